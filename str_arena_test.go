package pickle

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/pickle-go/pickle/internal/alloc"
)

// TestArenaStr checks arenaStr against utf8.Valid and a plain copy, for
// strs of every length up to a few words around the edge cases, and that
// the word it writes past each str never changes a str handed out before.
func TestArenaStr(t *testing.T) {
	var a alloc.StringArena
	var got, want []string
	cases := utf8Cases()
	if testing.Short() {
		cases = cases[:len(cases)/16]
	}
	cases = append(cases, []byte(strings.Repeat("é", alloc.MaxShort/2+1)), []byte(strings.Repeat("x", alloc.MaxShort)))
	ascii := []byte("pickle-go/pickle writes")
	for i, c := range cases {
		pad := i % (len(ascii) + 1)
		str := append(append([]byte{}, ascii[:pad]...), c...)
		buf := append(append(bytes.Repeat([]byte{0xFF}, 9), str...), 0xFF)
		s, ok := arenaStr(&a, buf, 9, 9+len(str))
		if ok != utf8.Valid(str) || ok && s != string(str) {
			t.Fatalf("arenaStr(% x) = %q, %v; want %q, %v", str, s, ok, str, utf8.Valid(str))
		}
		if ok {
			got, want = append(got, s), append(want, string(str))
		}
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("str %d changed after it was handed out: %q, want %q", i, got[i], want[i])
		}
	}
	// At the very start of a buffer, no word ends before a short str.
	for _, s := range []string{"", "a", "abc", "\xff", "é", "\xc3"} {
		got, ok := arenaStr(&a, []byte(s), 0, len(s))
		if ok != utf8.ValidString(s) || ok && got != s {
			t.Errorf("arenaStr(%q) at offset 0 = %q, %v", s, got, ok)
		}
	}
}
