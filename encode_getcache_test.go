package pickle

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// TestGetCacheMatchesGeneralPath writes lists and dicts whose items are
// drawn at random from a pool of strs, tuples, lists, dicts and values
// never memoized (None, ints, floats, bools, empty tuples), so that items
// are found again through the cache of GETs, and checks that the bytes are
// those of the general path (no quick paths, no cache) at every protocol.
func TestGetCacheMatchesGeneralPath(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for round := range 40 {
		var pool []any
		for i := range 5 + rng.IntN(3000) {
			switch i % 9 {
			case 0:
				pool = append(pool, "s"+string(rune('a'+i%26))+string(rune('0'+i%10)))
			case 1:
				pool = append(pool, Tuple{int64(i), "t"})
			case 2:
				l := List{int64(i), 1.5}
				pool = append(pool, &l)
			case 3:
				d := NewDict(0)
				d.Set("k", int64(i))
				pool = append(pool, d)
			case 4:
				pool = append(pool, nil)
			case 5:
				pool = append(pool, int64(i))
			case 6:
				pool = append(pool, Tuple{})
			case 7:
				pool = append(pool, string(rune('a'+i%26))) // one object per text in CPython
			case 8:
				pool = append(pool, i%2 == 0, float64(i))
			}
		}
		items := make(List, 200+rng.IntN(5000))
		for i := range items {
			items[i] = pool[rng.IntN(len(pool))]
		}
		dict := NewDict(0)
		for i := range 300 {
			dict.Set(int64(i), pool[rng.IntN(len(pool))])
		}
		v := Tuple{&items, dict, &items}
		for proto := 0; proto <= 5; proto++ {
			got, err := Marshal(v, Protocol(proto))
			if err != nil {
				t.Fatal(err)
			}
			want, err := Marshal(v, Protocol(proto), noQuickPaths{})
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("round %d, protocol %d: %d bytes, the general path %d; first difference at %d",
					round, proto, len(got), len(want), firstDiff(got, want))
			}
		}
	}
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
