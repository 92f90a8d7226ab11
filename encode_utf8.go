package pickle

// This file checks that a str is valid UTF-8, which the encoder does for
// every str it writes, with a table-driven automaton: one table load and
// one shift a byte, no branch on the byte's value, where utf8.ValidString
// branches on every byte outside ASCII (a misprediction for most of them in
// text that mixes scripts). Runs of ASCII are skipped 8 bytes at a time
// first, as utf8.ValidString skips them.

// The automaton's states, numbered by the shift that selects a state's
// next state in a byte's row (6 bits each).
const (
	u8Accept  = 6 * iota // between characters
	u8Reject             // absorbing
	u8Need1              // one continuation byte (80-BF) to go
	u8Need2              // two
	u8Need3              // three
	u8AfterE0            // A0-BF, then one (no overlong 3-byte forms)
	u8AfterED            // 80-9F, then one (no surrogates)
	u8AfterF0            // 90-BF, then two (no overlong 4-byte forms)
	u8AfterF4            // 80-8F, then two (nothing above U+10FFFF)
)

// utf8Rows[b] holds, at bit 6*k for each state k (its shift), the state
// byte b leads to from it.
var utf8Rows = func() (rows [256]uint64) {
	for b := range 256 {
		next := func(from, to int) { rows[b] |= uint64(to) << from }
		cont := b >= 0x80 && b <= 0xbf
		lead := u8Reject
		switch {
		case b < 0x80:
			lead = u8Accept
		case b >= 0xc2 && b <= 0xdf:
			lead = u8Need1
		case b == 0xe0:
			lead = u8AfterE0
		case b == 0xed:
			lead = u8AfterED
		case b >= 0xe1 && b <= 0xef:
			lead = u8Need2
		case b == 0xf0:
			lead = u8AfterF0
		case b >= 0xf1 && b <= 0xf3:
			lead = u8Need3
		case b == 0xf4:
			lead = u8AfterF4
		}
		next(u8Accept, lead)
		next(u8Reject, u8Reject)
		when := func(from int, ok bool, to int) {
			if ok {
				next(from, to)
			} else {
				next(from, u8Reject)
			}
		}
		when(u8Need1, cont, u8Accept)
		when(u8Need2, cont, u8Need1)
		when(u8Need3, cont, u8Need2)
		when(u8AfterE0, b >= 0xa0 && b <= 0xbf, u8Need1)
		when(u8AfterED, b >= 0x80 && b <= 0x9f, u8Need1)
		when(u8AfterF0, b >= 0x90 && b <= 0xbf, u8Need2)
		when(u8AfterF4, b >= 0x80 && b <= 0x8f, u8Need2)
	}
	return rows
}()

// validUTF8 reports whether s is valid UTF-8, as utf8.ValidString does.
func validUTF8(s string) bool {
	for len(s) >= 8 {
		w := uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
			uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
		if w&0x8080808080808080 != 0 {
			break
		}
		s = s[8:]
	}
	state := uint64(u8Accept)
	for i := 0; i < len(s); i++ {
		state = utf8Rows[s[i]] >> (state & 63)
	}
	return state&63 == u8Accept
}
