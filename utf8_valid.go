package pickle

import (
	"encoding/binary"
	"unsafe"
)

// This file checks that a pickle's str arguments, and the Go strings the
// encoder writes as str, are well-formed UTF-8, the same answer as
// utf8.Valid, faster on the short strs data pickles hold.
// utf8.Valid branches on every rune, and a str mixing ASCII with other
// characters mispredicts most of those branches (the strings payload: 42
// ns a str, half of typed decoding). Here an ASCII str is checked a word at
// a time with no branch per byte, and any other str runs through a DFA
// whose step is a table load and a shift, with no branch at all.

// The DFA's states, after Table 3-7 (well-formed UTF-8 byte sequences) of
// the Unicode Standard: which continuation bytes may come next.
const (
	u8Accept  = iota // between characters
	u8Reject         // ill-formed; stays so
	u8Tail1          // one more byte of 80..BF
	u8Tail2          // two more
	u8AfterE0        // then A0..BF (no overlong 3-byte forms), then one
	u8AfterED        // then 80..9F (no surrogates), then one
	u8AfterF0        // then 90..BF (no overlong 4-byte forms), then two
	u8AfterF1        // F1..F3: then 80..BF, then two
	u8AfterF4        // then 80..8F (nothing past U+10FFFF), then two
	u8States
)

// u8Moves is Table 3-7 as moves: from a state, a byte in lo..hi goes to
// next. Every byte not listed goes to u8Reject.
var u8Moves = []struct {
	from, lo, hi, next byte
}{
	{u8Accept, 0x00, 0x7F, u8Accept},
	{u8Accept, 0xC2, 0xDF, u8Tail1},
	{u8Accept, 0xE0, 0xE0, u8AfterE0},
	{u8Accept, 0xE1, 0xEC, u8Tail2},
	{u8Accept, 0xED, 0xED, u8AfterED},
	{u8Accept, 0xEE, 0xEF, u8Tail2},
	{u8Accept, 0xF0, 0xF0, u8AfterF0},
	{u8Accept, 0xF1, 0xF3, u8AfterF1},
	{u8Accept, 0xF4, 0xF4, u8AfterF4},
	{u8Tail1, 0x80, 0xBF, u8Accept},
	{u8Tail2, 0x80, 0xBF, u8Tail1},
	{u8AfterE0, 0xA0, 0xBF, u8Tail1},
	{u8AfterED, 0x80, 0x9F, u8Tail1},
	{u8AfterF0, 0x90, 0xBF, u8Tail2},
	{u8AfterF1, 0x80, 0xBF, u8Tail2},
	{u8AfterF4, 0x80, 0x8F, u8Tail2},
}

// u8Rows holds, for each byte, the next state of every state: a state is
// kept as 6 times its number, a bit offset, and the next state of state s
// is the six bits at offset s of the byte's row. A step is then
// row >> state, and only its low six bits are read.
var u8Rows = func() (rows [256]uint64) {
	for b := range rows {
		for s := range u8States {
			rows[b] |= uint64(6*u8Reject) << (6 * s)
		}
	}
	for _, m := range u8Moves {
		for b := int(m.lo); b <= int(m.hi); b++ {
			rows[b] &^= 63 << (6 * uint(m.from))
			rows[b] |= uint64(6*m.next) << (6 * uint(m.from))
		}
	}
	return rows
}()

// utf8DFA reports whether b is well-formed UTF-8, a byte at a time.
func utf8DFA(b []byte) bool {
	var state uint64
	for _, c := range b {
		state = u8Rows[c] >> (state & 63)
	}
	return state&63 == u8Accept
}

const highBits = 0x8080808080808080

// validUTF8In reports whether buf[at:end] is well-formed UTF-8. A str
// shorter than a word is checked as the last word before end, the bytes
// before at (the opcode and its length, in a pickle) masked off.
func validUTF8In(buf []byte, at, end int) bool {
	n := end - at
	switch {
	case n >= 8:
		var or uint64
		i := at
		for ; i+8 < end; i += 8 {
			or |= binary.LittleEndian.Uint64(buf[i:])
		}
		// The last word may overlap the one before it.
		or |= binary.LittleEndian.Uint64(buf[end-8:])
		if or&highBits == 0 {
			return true
		}
	case end >= 8:
		w := binary.LittleEndian.Uint64(buf[end-8:]) >> (8 * (8 - n))
		if w&highBits == 0 {
			return true
		}
	}
	return utf8DFA(buf[at:end])
}

// validUTF8 reports whether s is well-formed UTF-8, as utf8.ValidString:
// the check of every Go string the encoder writes as a str (CPython need
// not check: its str objects hold code points).
func validUTF8(s string) bool {
	return validUTF8In(unsafe.Slice(unsafe.StringData(s), len(s)), 0, len(s))
}
