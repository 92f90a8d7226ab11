package pickle

// This file formats values the way CPython 3.11 does: repr() of float, str
// and bytes, and the raw-unicode-escape text that protocol 0 writes for the
// UNICODE opcode. Python str values are held in Go strings as UTF-8, except
// that lone surrogates (U+D800..U+DFFF) are kept as their 3-byte generalized
// UTF-8 form (ED A0 80 .. ED BF BF), as Python's 'surrogatepass' codec writes
// them; two surrogates in a row stay two 3-byte sequences.
//
// Printability follows Python's str.isprintable: categories L, M, N, P, S and
// the ASCII space. That is exactly Go's unicode.IsPrint/strconv.IsPrint
// definition, but Go's tables (Go 1.21 and later) are Unicode 15.0.0 while
// CPython 3.11 uses 14.0.0. Measured over all 0x110000 code points, the only
// differences are the 4489 code points added in Unicode 15.0 (for example
// U+0CF3, U+11F00..U+11F59 Kawi, U+1E4D0..U+1E4F9 Nag Mundari, U+1FA75 and
// other emoji, U+31350..U+323AF CJK Extension H): Python 3.11 calls them
// unassigned (Cn) and escapes them, Go prints 4482 of them literally
// (U+13439..U+1343F are Cf in 15.0, escaped by both). These are not emulated,
// so repr of such a character matches CPython 3.12 (Unicode 15.0, no
// differences at all) rather than 3.11.

import (
	"math"
	"strconv"
	"unicode/utf8"
)

const lowerHex = "0123456789abcdef"

// appendPyFloatRepr appends Python's repr(f): the shortest digits that round
// trip, in fixed notation when the decimal exponent is in [-4, 16) (with ".0"
// added to integral values) and in d[.ddd]e±XX notation otherwise. It is also
// the text protocol 0 writes for FLOAT.
func appendPyFloatRepr(dst []byte, f float64) []byte {
	switch {
	case f != f:
		return append(dst, "nan"...) // never "-nan", whatever the sign bit
	case math.IsInf(f, 1):
		return append(dst, "inf"...)
	case math.IsInf(f, -1):
		return append(dst, "-inf"...)
	}
	var buf [32]byte
	e := strconv.AppendFloat(buf[:0], f, 'e', -1, 64) // [-]d[.ddd]e±dd[d]
	m := len(e) - 4                                   // 'e' is here or before: the exponent has 2 or 3 digits
	for e[m] != 'e' {
		m--
	}
	exp := 0
	for _, c := range e[m+2:] {
		exp = exp*10 + int(c-'0')
	}
	if e[m+1] == '-' {
		exp = -exp
	}
	if exp < -4 || exp >= 16 {
		return append(dst, e...) // Go's exponent form is Python's
	}
	mant := e[:m]
	if mant[0] == '-' {
		dst = append(dst, '-')
		mant = mant[1:]
	}
	// Gather the significant digits without the point.
	var digits [20]byte
	n := copy(digits[:], mant[:1])
	if len(mant) > 2 {
		n += copy(digits[n:], mant[2:])
	}
	switch {
	case exp < 0:
		dst = append(dst, "0.000"[:1-exp]...)
		return append(dst, digits[:n]...)
	case n <= exp+1:
		dst = append(dst, digits[:n]...)
		dst = append(dst, "000000000000000"[:exp+1-n]...)
		return append(dst, ".0"...)
	default:
		dst = append(dst, digits[:exp+1]...)
		dst = append(dst, '.')
		return append(dst, digits[exp+1:n]...)
	}
}

// appendPyStrRepr appends Python's repr of the str held in s (UTF-8, lone
// surrogates as 3-byte sequences). A byte that starts neither a valid UTF-8
// sequence nor a surrogate sequence cannot come from a decoded str; it is
// written as \xhh of the byte itself rather than rejected.
func appendPyStrRepr(dst []byte, s string) []byte {
	quote := reprQuote(s)
	dst = append(dst, quote)
	start := 0 // s[start:i] is a pending run of bytes to copy as they are
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f || c == '\\' || c == quote {
				dst = append(dst, s[start:i]...)
				dst = appendByteEscape(dst, c)
				start = i + 1
			}
			i++
			continue
		}
		r, n := decodeSurrogatepass(s[i:])
		if r < 0 {
			r = rune(c) // invalid byte: \xhh below
		} else if strconv.IsPrint(r) { // false for surrogates
			i += n
			continue
		}
		dst = append(dst, s[start:i]...)
		switch {
		case r < 0x100:
			dst = appendHexEscape(dst, 'x', r, 2)
		case r < 0x10000:
			dst = appendHexEscape(dst, 'u', r, 4)
		default:
			dst = appendHexEscape(dst, 'U', r, 8)
		}
		i += n
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, quote)
}

// appendPyBytesRepr appends Python's repr of a bytes object: b'...'.
func appendPyBytesRepr(dst []byte, b []byte) []byte {
	return appendBytesRepr(dst, b, false)
}

// appendPyByteArrayRepr appends Python's repr of a bytearray:
// bytearray(b'...'). It differs from bytes' in escaping ' even inside double
// quotes (CPython's bytearray_repr escapes it unconditionally).
func appendPyByteArrayRepr(dst []byte, b []byte) []byte {
	dst = append(dst, "bytearray("...)
	return append(appendBytesRepr(dst, b, true), ')')
}

// appendBytesRepr appends b'...', escaping ' also inside double quotes if
// escapeSingle is set.
func appendBytesRepr(dst []byte, b []byte, escapeSingle bool) []byte {
	quote := reprQuote(b)
	dst = append(dst, 'b', quote)
	start := 0
	for i, c := range b {
		if c < 0x20 || c >= 0x7f || c == '\\' || c == quote || c == '\'' && escapeSingle {
			dst = append(dst, b[start:i]...)
			dst = appendByteEscape(dst, c)
			start = i + 1
		}
	}
	dst = append(dst, b[start:]...)
	return append(dst, quote)
}

// reprQuote returns the quote repr uses for s: ' unless s has ' and no ".
func reprQuote[T string | []byte](s T) byte {
	single := false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"':
			return '\''
		case '\'':
			single = true
		}
	}
	if single {
		return '"'
	}
	return '\''
}

// appendByteEscape appends repr's escape for a byte (or a code point below
// 0x100) that needs one: \\, \', \", \t, \n, \r or \xhh.
func appendByteEscape(dst []byte, c byte) []byte {
	switch c {
	case '\\', '\'', '"':
		return append(dst, '\\', c)
	case '\t':
		return append(dst, '\\', 't')
	case '\n':
		return append(dst, '\\', 'n')
	case '\r':
		return append(dst, '\\', 'r')
	}
	return append(dst, '\\', 'x', lowerHex[c>>4], lowerHex[c&15])
}

// appendHexEscape appends a backslash, kind and the low `digits` hex digits of
// r in lowercase, as CPython writes \xhh, \uhhhh and \Uhhhhhhhh.
func appendHexEscape(dst []byte, kind byte, r rune, digits int) []byte {
	dst = append(dst, '\\', kind)
	for shift := 4 * (digits - 1); shift >= 0; shift -= 4 {
		dst = append(dst, lowerHex[r>>shift&15])
	}
	return dst
}

// surrogateAt returns the code point of the lone surrogate whose 3-byte
// encoding (ED A0..BF 80..BF) starts s, or -1 if s does not start with one.
func surrogateAt[T string | []byte](s T) rune {
	if len(s) >= 3 && s[0] == 0xed && s[1]&0xe0 == 0xa0 && s[2]&0xc0 == 0x80 {
		return 0xd000 | rune(s[1]&0x3f)<<6 | rune(s[2]&0x3f)
	}
	return -1
}

// decodeSurrogatepass decodes the first code point of the non-empty s and
// returns it with its length in bytes, accepting lone surrogates as 3-byte
// sequences. It returns (-1, 1) for a byte that starts neither a valid UTF-8
// sequence nor a surrogate sequence.
func decodeSurrogatepass(s string) (rune, int) {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError && n == 1 {
		if r = surrogateAt(s); r >= 0 {
			return r, 3
		}
		return -1, 1
	}
	return r, n
}

// isSurrogatepassUTF8 reports whether b is valid UTF-8 with lone surrogates
// allowed as 3-byte sequences: exactly the inputs that Python's
// b.decode('utf-8', 'surrogatepass') accepts.
func isSurrogatepassUTF8(b []byte) bool {
	if utf8.Valid(b) {
		return true
	}
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			if surrogateAt(b[i:]) < 0 {
				return false
			}
			n = 3
		}
		i += n
	}
	return true
}

// appendRawUnicodeEscape appends the text of a protocol 0 UNICODE opcode as
// CPython 3.11's C pickler writes it (_pickle.c raw_unicode_escape): code
// points >= 0x10000 as \Uxxxxxxxx, those >= 0x100 (lone surrogates included)
// and \, NUL, \n, \r and \x1a as \uxxxx, all in lowercase hex, and every other
// code point (so 0x7f..0xff too) as its single Latin-1 byte. A byte of s that
// is neither valid UTF-8 nor a surrogate sequence is copied as it is, that is,
// it reads back as the code point U+00hh; callers that care should check s
// with isSurrogatepassUTF8 first.
func appendRawUnicodeEscape(dst []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c == '\\' || c == 0 || c == '\n' || c == '\r' || c == 0x1a {
				dst = append(dst, s[start:i]...)
				dst = appendHexEscape(dst, 'u', rune(c), 4)
				start = i + 1
			}
			i++
			continue
		}
		r, n := decodeSurrogatepass(s[i:])
		dst = append(dst, s[start:i]...)
		switch {
		case r < 0:
			dst = append(dst, c)
		case r < 0x100:
			dst = append(dst, byte(r))
		case r < 0x10000:
			dst = appendHexEscape(dst, 'u', r, 4)
		default:
			dst = appendHexEscape(dst, 'U', r, 8)
		}
		i += n
		start = i
	}
	return append(dst, s[start:]...)
}
