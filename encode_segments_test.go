package pickle

import (
	"bytes"
	"strings"
	"testing"
)

// TestSegmentsReused checks that a second large pickle is written into
// the segments the first one was cut into, and that neither output shares
// memory with them: each stays as written while the next is encoded.
func TestSegmentsReused(t *testing.T) {
	big := func(c string) any {
		l := make(List, 0, 40000)
		for i := range 40000 {
			l = append(l, strings.Repeat(c, 60)+string(rune('a'+i%26)))
		}
		return &l
	}
	e := newEncoder(&config{protocol: 4, maxDepth: 1000})
	encode := func(v any) ([]byte, map[*byte]bool) {
		t.Helper()
		e.reset()
		if err := e.encode(v); err != nil {
			t.Fatal(err)
		}
		segs := map[*byte]bool{}
		for _, b := range e.owned {
			segs[&b[:1][0]] = true
		}
		return e.output(), segs
	}
	first, firstSegs := encode(big("x"))
	want := bytes.Clone(first)
	second, secondSegs := encode(big("y"))
	if len(firstSegs) < 2 {
		t.Fatalf("the first pickle (%d bytes) was cut into %d segments, want 2 or more", len(first), len(firstSegs))
	}
	for p := range secondSegs {
		if !firstSegs[p] {
			t.Errorf("the second pickle allocated a segment, with %d spare", len(firstSegs))
		}
	}
	e.reset()
	if err := e.encode(big("z")); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, want) {
		t.Error("the first output changed while later pickles were written")
	}
	fresh, err := Marshal(big("y"), Protocol(4))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(second, fresh) {
		t.Error("a pickle written into reused segments differs from one written by a fresh encoder")
	}
}
