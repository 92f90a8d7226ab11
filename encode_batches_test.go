package pickle

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"strconv"
	"testing"
)

// TestBatchesTypedLive checks the batching of the typed encoders (Go
// slices and maps, which take their own paths) around every batch boundary
// against python3's pickle of the same values, at every protocol. (The
// value model's lists, dicts, sets and reduce items are held to CPython at
// the same sizes by TestMarshalMatchesLivePython.)
func TestBatchesTypedLive(t *testing.T) {
	type typedCase struct {
		expr string // Python's value
		v    any    // the same in Go
	}
	var cases []typedCase
	for _, n := range []int{0, 1, 2, 999, 1000, 1001, 1999, 2000, 2001} {
		floats, ints, strs := make([]float64, n), make([]int64, n), make([]string, n)
		anys, m := make([]any, n), make(map[int64]int64, n)
		for i := range n {
			floats[i], ints[i], strs[i] = float64(i)/4, int64(i), strconv.Itoa(i)
			anys[i] = floats[i]
			if i%3 == 0 {
				anys[i] = strs[i]
			}
			m[int64(i)] = -int64(i)
		}
		r := fmt.Sprintf("range(%d)", n)
		cases = append(cases,
			typedCase{"[i / 4 for i in " + r + "]", floats},
			typedCase{"list(" + r + ")", ints},
			typedCase{"[str(i) for i in " + r + "]", strs},
			typedCase{"[str(i) if i % 3 == 0 else i / 4 for i in " + r + "]", anys},
			typedCase{"{i: -i for i in " + r + "}", m},
		)
	}
	var reqs []map[string]any
	for _, c := range cases {
		for p := 0; p <= HighestProtocol; p++ {
			reqs = append(reqs, map[string]any{"op": "dumps", "expr": c.expr, "protocol": p})
		}
	}
	for i, r := range crossCheck(t, "3", reqs) {
		c, p := cases[i/(HighestProtocol+1)], reqs[i]["protocol"].(int)
		if r["error"] != nil {
			t.Fatalf("%s: %v", c.expr, r["error"])
		}
		want, err := hex.DecodeString(r["data"].(string))
		if err != nil {
			t.Fatal(err)
		}
		got, err := Marshal(c.v, Protocol(p))
		if err != nil {
			t.Fatalf("Marshal(%T for %s, Protocol(%d)): %v", c.v, c.expr, p, err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%T for %s at protocol %d: Marshal differs from CPython", c.v, c.expr, p)
		}
	}
}
