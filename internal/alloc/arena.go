package alloc

import "strings"

// StringArena copies short strings into shared chunks rather than each into
// its own allocation: a decoded string is a substring of a chunk, which
// stays alive while any of its strings does. Its zero value is ready to
// use.
type StringArena struct {
	b strings.Builder
}

const (
	arenaChunk     = 32 << 10
	arenaMaxString = 1 << 10
)

// String returns the bytes as a string.
func (a *StringArena) String(b []byte) string {
	n := len(b)
	if n == 0 {
		return ""
	}
	if n > arenaMaxString {
		return string(b)
	}
	if a.b.Cap()-a.b.Len() < n {
		a.b = strings.Builder{}
		a.b.Grow(arenaChunk)
	}
	start := a.b.Len()
	a.b.Write(b)
	return a.b.String()[start:]
}
