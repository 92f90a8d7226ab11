package alloc

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// TestStringArena pins that a string from the arena equals its bytes, does
// not change when the bytes do, and survives the arena's chunks being
// dropped and collected, with long strings given their own allocation.
func TestStringArena(t *testing.T) {
	var a StringArena
	var got, want []string
	buf := make([]byte, 0, 2*arenaMaxString)
	for i := range 5000 {
		want = append(want, strings.Repeat("ab", i%(arenaMaxString/2+8))+fmt.Sprint(i))
		buf = append(buf[:0], want[i]...)
		got = append(got, a.String(buf))
		clear(buf) // the arena must have copied the bytes
	}
	a = StringArena{}
	runtime.GC()
	garbage := make([][]byte, 0, 1000)
	for range 1000 {
		garbage = append(garbage, make([]byte, 64))
	}
	_ = garbage
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("%d: %.20q..., want %.20q...", i, got[i], want[i])
		}
	}
	if s := a.String(nil); s != "" {
		t.Fatalf("String(nil) = %q", s)
	}
}

// TestStringArenaRoom pins that what Room gives is writable past the string
// by RoomSlack bytes, that scribbling there changes no string handed out,
// and that a chunk's end is never crossed.
func TestStringArenaRoom(t *testing.T) {
	var a StringArena
	var got, want []string
	for i := range 20000 {
		n := 1 + i%(MaxShort/8)
		room := a.Room(n)
		if len(room) != n+RoomSlack {
			t.Fatalf("Room(%d) has %d bytes, want %d", n, len(room), n+RoomSlack)
		}
		s := strings.Repeat(string(rune('a'+i%26)), n)
		copy(room, s)
		for j := n; j < len(room); j++ {
			room[j] = '!'
		}
		got, want = append(got, a.Take(n)), append(want, s)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("string %d: %.20q..., want %.20q...", i, got[i], want[i])
		}
	}
}
