package pickle

import (
	"bytes"
	"testing"
	"unicode/utf8"
)

// edgeBytes are the bytes where Table 3-7 changes its mind, and their
// neighbours.
var edgeBytes = []byte{
	0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2,
	0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF,
}

// utf8Cases returns every sequence of one or two bytes, every three-byte
// one whose first byte is any byte, and every four-byte one, of edge bytes.
func utf8Cases() [][]byte {
	var out [][]byte
	for a := range 256 {
		out = append(out, []byte{byte(a)})
		for b := range 256 {
			out = append(out, []byte{byte(a), byte(b)})
		}
		for _, b := range edgeBytes {
			for _, c := range edgeBytes {
				out = append(out, []byte{byte(a), b, c})
			}
		}
	}
	for _, a := range edgeBytes {
		for _, b := range edgeBytes {
			for _, c := range edgeBytes {
				for _, d := range edgeBytes {
					out = append(out, []byte{a, b, c, d})
				}
			}
		}
	}
	return out
}

func TestUTF8DFAMatchesUTF8Valid(t *testing.T) {
	for _, b := range utf8Cases() {
		if got, want := utf8DFA(b), utf8.Valid(b); got != want {
			t.Fatalf("utf8DFA(% x) = %v, utf8.Valid says %v", b, got, want)
		}
	}
}

// TestValidUTF8InMatchesUTF8Valid places each case after ASCII text of
// lengths around one and two words, between bytes that are never valid,
// so that a word read past either end of the str would be seen.
func TestValidUTF8InMatchesUTF8Valid(t *testing.T) {
	cases := utf8Cases()
	if testing.Short() {
		cases = cases[:len(cases)/16]
	}
	cases = append(cases, []byte{}, []byte("héllo wörld, ça va"), []byte("\xed\xa0\x80 a lone surrogate"))
	ascii := []byte("pickle-go/pickle")
	for _, c := range cases {
		for _, pad := range []int{0, 1, 4, 7, 8, 9, 15, 16} {
			str := append(append([]byte{}, ascii[:pad]...), c...)
			buf := append(append(bytes.Repeat([]byte{0xFF}, 9), str...), 0xFF, 0xFF)
			if got, want := validUTF8In(buf, 9, 9+len(str)), utf8.Valid(str); got != want {
				t.Fatalf("validUTF8In(% x) = %v, utf8.Valid says %v", str, got, want)
			}
		}
	}
	// At the very start of a buffer, no word ends before a short str.
	for _, s := range []string{"", "a", "abc", "\xff", "é", "\xc3"} {
		if got, want := validUTF8In([]byte(s), 0, len(s)), utf8.ValidString(s); got != want {
			t.Errorf("validUTF8In(%q) at offset 0 = %v, want %v", s, got, want)
		}
	}
}

func FuzzValidUTF8In(f *testing.F) {
	f.Add([]byte("ascii only, longer than a word"), 3, 20)
	f.Add([]byte("\x8c\x05h\xc3\xa9llo"), 2, 8)
	f.Add([]byte("\xf0\x9f\x98\x80\xf4\x90\x80\x80"), 0, 8)
	f.Fuzz(func(t *testing.T, buf []byte, at, end int) {
		if at < 0 || end < at || end > len(buf) {
			return
		}
		if got, want := validUTF8In(buf, at, end), utf8.Valid(buf[at:end]); got != want {
			t.Fatalf("validUTF8In(% x, %d, %d) = %v, utf8.Valid says %v", buf, at, end, got, want)
		}
	})
}
