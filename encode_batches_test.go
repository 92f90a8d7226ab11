package pickle

import (
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
	var cases []liveDumps
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
			liveDumps{"[i / 4 for i in " + r + "]", floats},
			liveDumps{"list(" + r + ")", ints},
			liveDumps{"[str(i) for i in " + r + "]", strs},
			liveDumps{"[str(i) if i % 3 == 0 else i / 4 for i in " + r + "]", anys},
			liveDumps{"{i: -i for i in " + r + "}", m},
		)
	}
	requireMarshalMatchesDumps(t, cases)
}
