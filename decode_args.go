package pickle

import (
	"encoding/binary"
	"errors"
	"math"
	"math/big"
	"strconv"
	"unicode/utf8"
)

// This file reads opcode arguments as the opcode table describes them, and
// parses the text forms protocol 0 uses. The decoder and the disassembler
// both read arguments through readArg, so they cannot disagree on where an
// argument ends.

// argument is one decoded inline argument. Which fields are set depends on
// the argument kind.
type argument struct {
	n  int64    // fixed-size integers, lengths of LONG1/LONG4 values that fit
	bi *big.Int // LONG1/LONG4 values beyond int64
	f  float64  // float8
	b  []byte   // counted payloads, text lines and str payloads (as UTF-8); may alias the input buffer
	s  string   // the first line of a pair
	s2 string   // the second line of a pair
}

// readArg reads the argument of the given kind into a, setting the fields
// that kind uses.
func (s *source) readArg(kind argKind, a *argument) error {
	switch kind {
	case argNone:
	case argUint1:
		b, err := s.readByte()
		a.n = int64(b)
		return err
	case argUint2:
		b, err := s.next(2)
		if err != nil {
			return err
		}
		a.n = int64(binary.LittleEndian.Uint16(b))
	case argInt4:
		b, err := s.next(4)
		if err != nil {
			return err
		}
		a.n = int64(int32(binary.LittleEndian.Uint32(b)))
	case argUint4:
		b, err := s.next(4)
		if err != nil {
			return err
		}
		a.n = int64(binary.LittleEndian.Uint32(b))
	case argUint8:
		b, err := s.next(8)
		if err != nil {
			return err
		}
		u := binary.LittleEndian.Uint64(b)
		if u > math.MaxInt64 {
			return malformed("length %d exceeds the maximum size", u)
		}
		a.n = int64(u)
	case argFloat8:
		b, err := s.next(8)
		if err != nil {
			return err
		}
		a.f = math.Float64frombits(binary.BigEndian.Uint64(b))
	case argDecimalShort, argDecimalLong, argFloatLine:
		line, err := s.readLine()
		if err != nil {
			return err
		}
		if len(line) == 0 {
			return ErrTruncated // as CPython's C unpickler reports it
		}
		a.b = line
	case argNoEscapeLine:
		line, err := s.readLine()
		if err != nil {
			return err
		}
		a.b = line
	case argStringLine:
		line, err := s.readLine()
		if err != nil {
			return err
		}
		if len(line) < 2 || (line[0] != '\'' && line[0] != '"') || line[len(line)-1] != line[0] {
			return malformed("the STRING opcode argument must be quoted")
		}
		a.b, err = decodeStringEscape(line[1 : len(line)-1])
		return err
	case argNoEscapeLinePair:
		line, err := s.readLine()
		if err != nil {
			return err
		}
		a.s = string(line) // copy before the next read may move the buffer
		line2, err := s.readLine()
		if err != nil {
			return err
		}
		if (len(line) == 0 || len(line2) == 0) && s.framing != framingPython {
			// As CPython's C unpickler reports it; the pure-Python one
			// goes on to import the module.
			return ErrTruncated
		}
		a.s2 = string(line2)
	case argUnicodeLine:
		line, err := s.readLine()
		if err != nil {
			return err
		}
		a.b, err = decodeRawUnicodeEscape(line)
		return err
	case argUnicode1, argUnicode4, argUnicode8:
		b, err := s.readCounted(kind)
		if err != nil {
			return err
		}
		if !isSurrogatepassUTF8(b) {
			return malformed("invalid UTF-8 in %s argument", kind)
		}
		a.b = b
	case argBytes1, argBytes4, argBytes8, argByteArray8, argString1:
		b, err := s.readCounted(kind)
		a.b = b
		return err
	case argString4:
		b, err := s.next(4)
		if err != nil {
			return err
		}
		n := int32(binary.LittleEndian.Uint32(b))
		if n < 0 {
			return malformed("BINSTRING pickle has negative byte count")
		}
		a.b, err = s.next(int(n))
		return err
	case argLong1, argLong4:
		var n int
		if kind == argLong1 {
			c, err := s.readByte()
			if err != nil {
				return err
			}
			n = int(c)
		} else {
			b, err := s.next(4)
			if err != nil {
				return err
			}
			m := int32(binary.LittleEndian.Uint32(b))
			if m < 0 {
				return malformed("LONG pickle has negative byte count")
			}
			n = int(m)
		}
		b, err := s.next(n)
		if err != nil {
			return err
		}
		a.n, a.bi = decodeLong(b)
	default:
		panic("pickle: unknown argument kind")
	}
	return nil
}

// readArgInPlace reads the commonest argument kinds when they lie whole in
// the buffer (or frame), faster than readArg; false leaves the argument to
// readArg.
func (s *source) readArgInPlace(kind argKind, a *argument) bool {
	buf, pos := s.buf[:s.limit], s.pos
	switch kind {
	case argUint1:
		if pos < len(buf) {
			a.n = int64(buf[pos])
			s.pos++
			return true
		}
	case argUint2:
		if pos+2 <= len(buf) {
			a.n = int64(binary.LittleEndian.Uint16(buf[pos:]))
			s.pos += 2
			return true
		}
	case argInt4:
		if pos+4 <= len(buf) {
			a.n = int64(int32(binary.LittleEndian.Uint32(buf[pos:])))
			s.pos += 4
			return true
		}
	case argUint4:
		if pos+4 <= len(buf) {
			a.n = int64(binary.LittleEndian.Uint32(buf[pos:]))
			s.pos += 4
			return true
		}
	case argFloat8:
		if pos+8 <= len(buf) {
			a.f = math.Float64frombits(binary.BigEndian.Uint64(buf[pos:]))
			s.pos += 8
			return true
		}
	case argUnicode1:
		if pos < len(buf) {
			end := pos + 1 + int(buf[pos])
			if end <= len(buf) && validUTF8In(buf, pos+1, end) {
				a.b = buf[pos+1 : end]
				s.pos = end
				return true
			}
		}
	}
	return false
}

// readCounted reads a length-prefixed payload.
func (s *source) readCounted(kind argKind) ([]byte, error) {
	var n uint64
	switch kind {
	case argUnicode1, argBytes1, argString1:
		c, err := s.readByte()
		if err != nil {
			return nil, err
		}
		n = uint64(c)
	case argUnicode4, argBytes4:
		b, err := s.next(4)
		if err != nil {
			return nil, err
		}
		n = uint64(binary.LittleEndian.Uint32(b))
	default: // 8-byte lengths
		b, err := s.next(8)
		if err != nil {
			return nil, err
		}
		n = binary.LittleEndian.Uint64(b)
	}
	if s.framing == framingNoPeek && s.inFrame && uint64(s.limit-s.pos) < n &&
		(kind == argBytes1 || kind == argBytes4 || kind == argBytes8 || kind == argByteArray8) {
		// The C unpickler without peek reads a bytes payload from the
		// rest of its buffer and then the stream (_Unpickler_ReadInto):
		// across the frame's end, dropping nothing.
		s.inFrame, s.limit = false, len(s.buf)
	}
	return s.nextLength(n)
}

// decodeLong decodes a little-endian two's complement integer, as Python's
// pickle.decode_long; an empty encoding is 0.
func decodeLong(b []byte) (int64, *big.Int) {
	if len(b) <= 8 {
		var u uint64
		for i := len(b) - 1; i >= 0; i-- {
			u = u<<8 | uint64(b[i])
		}
		if len(b) > 0 && len(b) < 8 && b[len(b)-1]&0x80 != 0 {
			u |= ^uint64(0) << (8 * len(b)) // sign-extend
		}
		return int64(u), nil
	}
	be := make([]byte, len(b))
	for i, c := range b {
		be[len(b)-1-i] = c
	}
	x := new(big.Int).SetBytes(be)
	if b[len(b)-1]&0x80 != 0 {
		x.Sub(x, new(big.Int).Lsh(big.NewInt(1), uint(8*len(b))))
	}
	if x.IsInt64() {
		return x.Int64(), nil
	}
	return 0, x
}

// parseCInt parses the text of INT as CPython's C unpickler does: C's
// strtol with base 0 (so "017" is octal 15), falling back to Python's
// int(text, 0) for what strtol cannot take. A two-character line holding 0 or
// 1 is a bool: pickles spell True and False "01" and "00".
func parseCInt(line []byte, maxDigits int) (n int64, bi *big.Int, isBool bool, err error) {
	if v, end, ok := cStrtol(line); ok && (end == len(line) || line[end] == 0) {
		return v, nil, len(line) == 2 && (v == 0 || v == 1), nil
	}
	n, bi, err = parseTextInt(line, 0, maxDigits)
	if err != nil && !errors.Is(err, ErrLimit) {
		err = malformed("could not convert string to int: %q", line)
	}
	return n, bi, false, err
}

// cStrtol is C's strtol(s, &end, 0) for a 64-bit long: it reports the value,
// where parsing stopped, and false on overflow or when no digit was read.
func cStrtol(s []byte) (int64, int, bool) {
	i := 0
	for i < len(s) && (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r')) {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	base := 10
	if i < len(s) && s[i] == '0' {
		base = 8
		if i+2 < len(s) && (s[i+1] == 'x' || s[i+1] == 'X') && digitValue(s[i+2]) < 16 {
			base = 16
			i += 2
		}
	}
	start := i
	var u uint64
	for ; i < len(s) && digitValue(s[i]) < base; i++ {
		d := uint64(digitValue(s[i]))
		if u > (math.MaxUint64-d)/uint64(base) {
			return 0, i, false
		}
		u = u*uint64(base) + d
	}
	if i == start {
		return 0, 0, false
	}
	if neg {
		if u > 1<<63 {
			return 0, i, false
		}
		return int64(-u), i, true
	}
	if u > math.MaxInt64 {
		return 0, i, false
	}
	return int64(u), i, true
}

// parseTextInt parses the text of INT, LONG, GET and PUT as Python's
// int(text, base) does, with base 0 (prefixes 0x, 0o, 0b; no leading zeros)
// or 10: surrounding whitespace, a sign and single underscores between digits
// are accepted. Decimal text longer than maxDigits digits is refused, as
// Python refuses it since CVE-2020-10735.
func parseTextInt(text []byte, base int, maxDigits int) (int64, *big.Int, error) {
	s := string(trimPySpace(text))
	orig := s
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if base == 0 {
		base = 10
		if len(s) >= 2 && s[0] == '0' {
			switch s[1] {
			case 'x', 'X':
				base = 16
			case 'o', 'O':
				base = 8
			case 'b', 'B':
				base = 2
			}
			if base != 10 {
				s = s[2:]
				if len(s) > 0 && s[0] == '_' {
					s = s[1:]
				}
			} else if len(trimZeros(s)) > 0 {
				return 0, nil, malformed("invalid literal for int() with base 0: %q", orig)
			}
		}
	}
	digits := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '_' && i > 0 && i+1 < len(s) && s[i-1] != '_' && s[i+1] != '_' {
			continue
		}
		if digitValue(c) >= base {
			return 0, nil, malformed("invalid literal for int() with base %d: %q", base, orig)
		}
		digits = append(digits, c)
	}
	if len(digits) == 0 {
		return 0, nil, malformed("invalid literal for int(): %q", orig)
	}
	if base == 10 && len(digits) > maxDigits {
		return 0, nil, &LimitError{Limit: "MaxIntDigits", Value: int64(maxDigits), Reached: int64(len(digits))}
	}
	if u, err := strconv.ParseUint(string(digits), base, 64); err == nil {
		if !neg && u <= math.MaxInt64 {
			return int64(u), nil, nil
		}
		if neg && u <= 1<<63 {
			return int64(-u), nil, nil
		}
	}
	x, ok := new(big.Int).SetString(string(digits), base)
	if !ok {
		return 0, nil, malformed("invalid literal for int(): %q", orig)
	}
	if neg {
		x.Neg(x)
	}
	return 0, x, nil
}

func trimZeros(s string) string {
	for len(s) > 0 && (s[0] == '0' || s[0] == '_') {
		s = s[1:]
	}
	return s
}

func digitValue(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'z':
		return int(c-'a') + 10
	case 'A' <= c && c <= 'Z':
		return int(c-'A') + 10
	}
	return 99
}

// trimPySpace strips the ASCII whitespace Python's int() ignores.
func trimPySpace(b []byte) []byte {
	isSpace := func(c byte) bool { return c == ' ' || (c >= '\t' && c <= '\r') }
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

// parseTextFloat parses the text of FLOAT as CPython's C unpickler does
// (PyOS_string_to_double): decimal and exponent forms, inf, infinity and nan in
// any case; no whitespace, underscores or hex; overflow is an error.
func parseTextFloat(text []byte) (float64, error) {
	for _, c := range text {
		if c == '_' || c == 'x' || c == 'X' || c == ' ' || c == '\t' || c == 'p' || c == 'P' {
			return 0, malformed("could not convert string to float: %q", text)
		}
	}
	f, err := strconv.ParseFloat(string(text), 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange && math.IsInf(f, 0) {
			return 0, malformed("float %q is out of range", text)
		}
		if ne, ok := err.(*strconv.NumError); !ok || ne.Err != strconv.ErrRange {
			return 0, malformed("could not convert string to float: %q", text)
		}
	}
	return f, nil
}

// decodeStringEscape decodes the inside of a STRING argument as Python's
// codecs.escape_decode does.
func decodeStringEscape(b []byte) ([]byte, error) {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c != '\\' {
			out = append(out, c)
			continue
		}
		i++
		if i >= len(b) {
			return nil, malformed("trailing \\ in STRING argument")
		}
		switch c = b[i]; c {
		case '\n':
		case '\\', '\'', '"':
			out = append(out, c)
		case 'a':
			out = append(out, '\a')
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'v':
			out = append(out, '\v')
		case '0', '1', '2', '3', '4', '5', '6', '7':
			v := int(c - '0')
			for k := 0; k < 2 && i+1 < len(b) && b[i+1] >= '0' && b[i+1] <= '7'; k++ {
				i++
				v = v*8 + int(b[i]-'0')
			}
			out = append(out, byte(v))
		case 'x':
			if i+2 < len(b) && digitValue(b[i+1]) < 16 && digitValue(b[i+2]) < 16 {
				out = append(out, byte(digitValue(b[i+1])<<4|digitValue(b[i+2])))
				i += 2
			} else {
				return nil, malformed("invalid \\x escape at position %d", i-1)
			}
		default:
			out = append(out, '\\', c)
		}
	}
	return out, nil
}

// decodeRawUnicodeEscape decodes the UNICODE argument as Python's
// raw_unicode_escape codec: bytes are Latin-1 code points, except \uXXXX and
// \UXXXXXXXX after an odd number of backslashes. Lone surrogates are kept in
// their 3-byte form.
func decodeRawUnicodeEscape(b []byte) ([]byte, error) {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf && c != '\\' {
			out = append(out, c)
			i++
			continue
		}
		if c != '\\' {
			out = utf8.AppendRune(out, rune(c))
			i++
			continue
		}
		j := i
		for j < len(b) && b[j] == '\\' {
			j++
		}
		run := j - i
		if run%2 == 0 || j >= len(b) || (b[j] != 'u' && b[j] != 'U') {
			out = append(out, b[i:j]...)
			i = j
			continue
		}
		out = append(out, b[i:j-1]...)
		width := 4
		if b[j] == 'U' {
			width = 8
		}
		if j+1+width > len(b) {
			return nil, malformed("truncated \\uXXXX escape in UNICODE argument")
		}
		var r uint32 // eight hex digits may not fit a rune
		for _, h := range b[j+1 : j+1+width] {
			d := digitValue(h)
			if d >= 16 {
				return nil, malformed("truncated \\uXXXX escape in UNICODE argument")
			}
			r = r<<4 | uint32(d)
		}
		if r > utf8.MaxRune {
			return nil, malformed("\\Uxxxxxxxx out of range in UNICODE argument")
		}
		out = appendCodePoint(out, rune(r))
		i = j + 1 + width
	}
	return out, nil
}

// appendCodePoint appends r as UTF-8, writing a surrogate code point as its
// 3-byte generalized form (what Python's surrogatepass writes) rather than
// replacing it.
func appendCodePoint(dst []byte, r rune) []byte {
	if r >= 0xD800 && r <= 0xDFFF {
		return append(dst, byte(0xE0|r>>12), byte(0x80|(r>>6)&0x3F), byte(0x80|r&0x3F))
	}
	return utf8.AppendRune(dst, r)
}
