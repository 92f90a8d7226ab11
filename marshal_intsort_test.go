package pickle

import (
	"fmt"
	"math"
	"math/rand"
	"slices"
	"testing"
)

// TestSortIntKeys checks the radix sort against a stable comparison sort,
// on few keys (sorted by comparison) and on spans of one to eight bytes.
func TestSortIntKeys(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	tests := []struct {
		name string
		n    int
		key  func() int64
	}{
		{"few", 100, func() int64 { return rng.Int63() }},
		{"two bytes", 5000, func() int64 { return rng.Int63n(65536) - 30000 }},
		{"wide, few", 1000, func() int64 { return rng.Int63() }},
		{"wide", 200_000, func() int64 { return int64(rng.Uint64()) }},
		{"mixed sizes", 200_000, func() int64 { return mixedInt(rng) }},
		{"extremes", 100_000, func() int64 { return []int64{math.MinInt64, math.MaxInt64, 0, -1}[rng.Intn(4)] }},
		{"many equal", 100_000, func() int64 { return rng.Int63n(50) << 40 }},
		{"all equal", 1000, func() int64 { return 7 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pairs := make([]intKeyAt, tt.n)
			for i := range pairs {
				pairs[i] = intKeyAt{tt.key(), i}
			}
			want := slices.Clone(pairs)
			slices.SortStableFunc(want, func(a, b intKeyAt) int { return cmpOrdered(a.k, b.k) })
			sortIntKeys(pairs)
			for i := range pairs {
				if pairs[i] != want[i] {
					t.Fatalf("pair %d: got %v, want %v (a stable sort by key)", i, pairs[i], want[i])
				}
			}
		})
	}
}

// mixedInt is the bench corpus's mixed_int: a quarter each of one-byte,
// two-byte and 32-bit integers, and of 64-bit ones either side of zero.
func mixedInt(rng *rand.Rand) int64 {
	switch rng.Intn(4) {
	case 0:
		return rng.Int63n(256)
	case 1:
		return 256 + rng.Int63n(65536-256)
	case 2:
		return rng.Int63n(1<<32) - 1<<31
	}
	v := 1<<31 + rng.Int63n(math.MaxInt64-1<<31)
	if rng.Intn(2) == 0 {
		v = -v
	}
	return v
}

func BenchmarkSortIntKeys(b *testing.B) {
	for _, n := range []int{10_000, 1_000_000} {
		for _, dist := range []struct {
			name string
			key  func(*rand.Rand) int64
		}{{"uniform", func(rng *rand.Rand) int64 { return int64(rng.Uint64()) }}, {"mixed", mixedInt}} {
			benchSortIntKeys(b, n, dist.name, dist.key)
		}
	}
}

func benchSortIntKeys(b *testing.B, n int, name string, key func(*rand.Rand) int64) {
	rng := rand.New(rand.NewSource(1))
	keys := make([]intKeyAt, n)
	for i := range keys {
		keys[i] = intKeyAt{key(rng), i}
	}
	pairs := make([]intKeyAt, n)
	b.Run(fmt.Sprintf("%s/%d", name, n), func(b *testing.B) {
		defer reportCPUTime(b)()
		for range b.N {
			copy(pairs, keys)
			sortIntKeys(pairs)
		}
	})
}
