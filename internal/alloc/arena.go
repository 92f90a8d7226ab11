package alloc

import "unsafe"

// StringArena copies short strings into shared chunks rather than each into
// its own allocation: a decoded string is a substring of a chunk, which
// stays alive while any of its strings does. Its zero value is ready to
// use.
//
// A chunk's bytes are written once, before the string over them is handed
// out, and never again: strings only ever go after those handed out.
type StringArena struct {
	chunk []byte // len: the bytes handed out
}

const (
	arenaChunk     = 32 << 10
	arenaMaxString = 1 << 10
	// RoomSlack is how many bytes past a string Room leaves writable, so
	// that a caller may copy a word at a time.
	RoomSlack = 8
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
	copy(a.Room(n), b)
	return a.Take(n)
}

// Room returns where the next string of n bytes (0 < n <= MaxShort) goes:
// n bytes and RoomSlack more, all writable until Take hands the string
// out. Calling Room again before Take gives the same place.
func (a *StringArena) Room(n int) []byte {
	used := len(a.chunk)
	if cap(a.chunk)-used < n+RoomSlack {
		a.chunk = make([]byte, 0, arenaChunk)
		used = 0
	}
	return a.chunk[used : used+n+RoomSlack]
}

// Take hands out the n bytes Room last returned as a string.
func (a *StringArena) Take(n int) string {
	used := len(a.chunk)
	a.chunk = a.chunk[:used+n]
	return unsafe.String(&a.chunk[used], n)
}

// MaxShort is the longest string the arena holds; longer ones are
// allocated alone.
const MaxShort = arenaMaxString
