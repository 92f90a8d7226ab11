package pickle

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

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
