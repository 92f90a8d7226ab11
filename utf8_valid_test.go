package pickle

import (
	"bytes"
	"math/rand/v2"
	"strings"
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

// TestValidUTF8Exhaustive compares validUTF8 with utf8.ValidString on
// every string of up to three bytes, and on every four-byte string whose
// bytes are at the edges of the ranges UTF-8 treats differently, each
// also behind ASCII of every length up to 16 (the word-at-a-time paths).
func TestValidUTF8Exhaustive(t *testing.T) {
	check := func(s string) {
		if got, want := validUTF8(s), utf8.ValidString(s); got != want {
			t.Fatalf("validUTF8(%q) = %v, utf8.ValidString says %v", s, got, want)
		}
	}
	var b [3]byte
	for n := 0; n <= 3; n++ {
		for x := 0; x < 1<<(8*n); x++ {
			for i := range n {
				b[i] = byte(x >> (8 * i))
			}
			check(string(b[:n]))
		}
	}
	edges := []byte{0x00, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf,
		0xe0, 0xe1, 0xec, 0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf3, 0xf4, 0xf5, 0xff}
	for _, c0 := range edges {
		for _, c1 := range edges {
			for _, c2 := range edges {
				for _, c3 := range edges {
					seq := string([]byte{c0, c1, c2, c3})
					for pad := range 17 {
						ascii := strings.Repeat("a", pad)
						check(ascii + seq)
						check(seq + ascii)
						check(ascii + seq + ascii)
					}
				}
			}
		}
	}
}

// TestValidUTF8Random compares validUTF8 with utf8.ValidString on random
// text of the corpus's kind (ASCII with accented, CJK and emoji characters
// mixed in) and on the same text with one byte changed.
func TestValidUTF8Random(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []rune("aZ09 ~éßĀ中文字😀🎉\u07ff\u0800\uffff\U00010000\U0010ffff")
	for range 200000 {
		var sb strings.Builder
		for range rng.IntN(48) {
			sb.WriteRune(alphabet[rng.IntN(len(alphabet))])
		}
		s := sb.String()
		if !validUTF8(s) {
			t.Fatalf("validUTF8(%q) = false for valid text", s)
		}
		if len(s) > 0 {
			b := []byte(s)
			b[rng.IntN(len(b))] = byte(rng.Uint32())
			if got, want := validUTF8(string(b)), utf8.Valid(b); got != want {
				t.Fatalf("validUTF8(%q) = %v, utf8.Valid says %v", b, got, want)
			}
		}
	}
}

// BenchmarkValidUTF8 validates every str of the strings payload, with
// utf8.ValidString (what writeStr called before) and with validUTF8; ns/op
// is per string.
func BenchmarkValidUTF8(b *testing.B) {
	var strs []string
	for _, f := range benchFiles(b) {
		if f.name != "strings.p4" {
			continue
		}
		var v []string
		if err := Unmarshal(f.data, &v); err != nil {
			b.Fatal(err)
		}
		strs = v
	}
	if len(strs) == 0 {
		b.Fatal("no strings.p4 in the corpus")
	}
	for _, c := range []struct {
		name  string
		valid func(string) bool
	}{{"utf8.ValidString", utf8.ValidString}, {"validUTF8", validUTF8}} {
		b.Run(c.name, func(b *testing.B) {
			for i := range b.N {
				if !c.valid(strs[i%len(strs)]) {
					b.Fatal("invalid")
				}
			}
		})
	}
}
