package pickle

// Validating the UTF-8 of every str written, which CPython need not do
// (its str objects hold code points, and their UTF-8 is cached): the
// strings payload spent 40% of its encoding time in utf8.ValidString,
// which walks short strings a byte at a time until it meets a run of
// ASCII. Here ASCII is read 8 bytes at a time from the first byte, and the
// words that hold other bytes go through a table-driven automaton with one
// load and one shift a byte and no branch per byte.

// validUTF8 reports whether s is well-formed UTF-8, as utf8.ValidString.
func validUTF8(s string) bool {
	i := 0
	for ; i+8 <= len(s); i += 8 {
		if word8(s, i)&0x8080808080808080 != 0 {
			return validUTF8From(s, i)
		}
	}
	if i == len(s) {
		return true
	}
	if len(s) >= 8 {
		// The tail, read as the last 8 bytes, which overlap ASCII
		// already checked.
		if word8(s, len(s)-8)&0x8080808080808080 == 0 {
			return true
		}
		return validUTF8From(s, i)
	}
	var or byte
	for ; i < len(s); i++ {
		or |= s[i]
	}
	return or < 0x80 || validUTF8From(s, 0)
}

// word8 is the 8 bytes of s at i, little-endian (one load).
func word8(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// validUTF8From runs the automaton over s[i:]; i is where a sequence
// starts (every byte before it is ASCII).
func validUTF8From(s string, i int) bool {
	st := uint64(utf8Accept)
	for ; i < len(s); i++ {
		st = utf8Next[s[i]] >> (st & 63)
	}
	return st&63 == utf8Accept
}

// The automaton's states, each a shift: utf8Next[c] >> state & 63 is the
// state after byte c. Six bits a state, nine states in a word.
const (
	utf8Accept  = 0  // between sequences
	utf8Cont1   = 6  // one continuation byte (80-BF) to go
	utf8Cont2   = 12 // two
	utf8Cont3   = 18 // three
	utf8AfterE0 = 24 // after E0: A0-BF, then one more (no overlong forms)
	utf8AfterED = 30 // after ED: 80-9F, then one more (no surrogates)
	utf8AfterF0 = 36 // after F0: 90-BF, then two more (no overlong forms)
	utf8AfterF4 = 42 // after F4: 80-8F, then two more (nothing past U+10FFFF)
	utf8Reject  = 48 // ill-formed, for good
)

// utf8Narrow is the range of the byte after E0, ED, F0 and F4, narrower
// than 80-BF so that no character has two encodings, no surrogate has
// one, and nothing goes past U+10FFFF; and what that byte leads to.
var utf8Narrow = map[int]struct {
	lo, hi int
	next   uint64
}{
	utf8AfterE0: {0xa0, 0xbf, utf8Cont1},
	utf8AfterED: {0x80, 0x9f, utf8Cont1},
	utf8AfterF0: {0x90, 0xbf, utf8Cont2},
	utf8AfterF4: {0x80, 0x8f, utf8Cont2},
}

var utf8Next = func() (t [256]uint64) {
	for c := range 256 {
		next := func(state int) uint64 {
			cont := c >= 0x80 && c <= 0xbf
			switch state {
			case utf8Accept:
				switch {
				case c < 0x80:
					return utf8Accept
				case c >= 0xc2 && c <= 0xdf:
					return utf8Cont1
				case c == 0xe0:
					return utf8AfterE0
				case c == 0xed:
					return utf8AfterED
				case c >= 0xe1 && c <= 0xef:
					return utf8Cont2
				case c == 0xf0:
					return utf8AfterF0
				case c >= 0xf1 && c <= 0xf3:
					return utf8Cont3
				case c == 0xf4:
					return utf8AfterF4
				}
			case utf8Cont1, utf8Cont2, utf8Cont3:
				if cont {
					return uint64(state - 6)
				}
			default:
				if r, ok := utf8Narrow[state]; ok && c >= r.lo && c <= r.hi {
					return r.next
				}
			}
			return utf8Reject
		}
		for state := 0; state <= utf8Reject; state += 6 {
			t[c] |= next(state) << state
		}
	}
	return t
}()
