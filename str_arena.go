package pickle

import (
	"encoding/binary"

	"github.com/pickle-go/pickle/internal/alloc"
)

// arenaStr copies buf[at:end], a str argument, into the arena and returns
// it, when it is well-formed UTF-8; ok is false, and nothing handed out,
// when it is not. The copy and the check are one pass over the bytes: each
// word read is stored and OR-ed into what says whether all were ASCII,
// where utf8.Valid and then copy would read them twice and branch on the
// length twice. Other strs are checked again from the copy, by the DFA.
func arenaStr(a *alloc.StringArena, buf []byte, at, end int) (s string, ok bool) {
	n := end - at
	if n <= 0 || n > alloc.MaxShort {
		if !validUTF8In(buf, at, end) {
			return "", false
		}
		return a.String(buf[at:end]), true
	}
	dst := a.Room(n) // n bytes and a word more
	var or uint64
	switch {
	case n >= 8:
		i := 0
		for ; i+8 < n; i += 8 {
			w := binary.LittleEndian.Uint64(buf[at+i:])
			or |= w
			binary.LittleEndian.PutUint64(dst[i:], w)
		}
		// The last word may overlap the one before, with the same bytes.
		w := binary.LittleEndian.Uint64(buf[end-8:])
		or |= w
		binary.LittleEndian.PutUint64(dst[n-8:], w)
	case end >= 8:
		// The word ending at end, the bytes before at shifted out; the
		// zeros after the str fall in the room's slack.
		or = binary.LittleEndian.Uint64(buf[end-8:]) >> (8 * (8 - n))
		binary.LittleEndian.PutUint64(dst, or)
	default:
		copy(dst, buf[at:end])
		or = highBits // checked by the DFA below
	}
	if or&highBits != 0 && !utf8DFA(dst[:n]) {
		return "", false
	}
	return a.Take(n), true
}
