package pickle

import (
	"math/rand"
	"testing"
	"unicode/utf8"
)

// validUTF8 agrees with utf8.ValidString on every string of up to three
// bytes, on every 4-byte string that starts with a lead byte of a 4-byte
// form or a byte around those, and on random strings mixing ASCII runs with
// the bytes where the automaton's states change.
func TestValidUTF8MatchesStdlib(t *testing.T) {
	check := func(s string) {
		if got, want := validUTF8(s), utf8.ValidString(s); got != want {
			t.Fatalf("validUTF8(%q) = %v, utf8.ValidString says %v", s, got, want)
		}
	}
	check("")
	var b [4]byte
	for x := range 1 << 24 {
		b[0], b[1], b[2] = byte(x), byte(x>>8), byte(x>>16)
		check(string(b[:1]))
		if x < 1<<16 {
			check(string(b[:2]))
		}
		check(string(b[:3]))
	}
	for lead := 0xee; lead <= 0xff; lead++ {
		for x := range 1 << 24 {
			b[0], b[1], b[2], b[3] = byte(lead), byte(x), byte(x>>8), byte(x>>16)
			check(string(b[:]))
		}
	}
	edges := []byte{0, 'a', 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf,
		0xe0, 0xe1, 0xec, 0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf3, 0xf4, 0xf5, 0xff}
	rng := rand.New(rand.NewSource(1))
	for range 200000 {
		s := make([]byte, 0, 40)
		for n := rng.Intn(40); len(s) < n; {
			if rng.Intn(3) == 0 {
				s = append(s, "abcdefghij"[:rng.Intn(11)]...)
			} else {
				s = append(s, edges[rng.Intn(len(edges))])
			}
		}
		check(string(s))
		check(string(s) + "é") // valid text after it, across the 8-byte skip
	}
}

func BenchmarkValidUTF8(b *testing.B) {
	texts := []string{"plain ascii text of some length", "Chloé Müller García", "数据 mixed 文本 ok", "emoji 😀 here 🎉"}
	for _, tc := range []struct {
		name  string
		valid func(string) bool
	}{{"automaton", validUTF8}, {"stdlib", utf8.ValidString}} {
		b.Run(tc.name, func(b *testing.B) {
			for range b.N {
				for _, s := range texts {
					if !tc.valid(s) {
						b.Fatal(s)
					}
				}
			}
		})
	}
}
