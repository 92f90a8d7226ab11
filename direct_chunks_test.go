package pickle

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestDirectListChunkBoundaries makes the direct decoder's list chunks
// (sliceChunkBytes) 64 bytes long, so that lists of a few items cross
// chunk boundaries, and decodes lists of lengths about those boundaries,
// of scalars, strings, pointers, lists and structs, both ways. Small, it
// runs in the race detector's short run, where checkptr checks the unsafe
// of makeRoom and slice.
func TestDirectListChunkBoundaries(t *testing.T) {
	saved, savedEstimate := sliceChunkBytes, estimateLists
	sliceChunkBytes = 64 // eight int64s, four strings
	estimateLists = false
	t.Cleanup(func() { sliceChunkBytes, estimateLists = saved, savedEstimate })

	type pair struct {
		A int64  `pickle:"a"`
		B string `pickle:"b"`
	}
	items := []struct {
		name string
		typ  reflect.Type
		item func(t *testing.T, i int) any
	}{
		{"int64", reflect.TypeFor[int64](), func(_ *testing.T, i int) any { return int64(i*7919 - 5000) }},
		{"float64", reflect.TypeFor[float64](), func(_ *testing.T, i int) any { return float64(i) / 3 }},
		{"string", reflect.TypeFor[string](), func(_ *testing.T, i int) any { return fmt.Sprint("s", i) }},
		{"pointer", reflect.TypeFor[*int64](), func(_ *testing.T, i int) any {
			if i%5 == 0 {
				return nil
			}
			return int64(i)
		}},
		{"list", reflect.TypeFor[[]int64](), func(_ *testing.T, i int) any { return &List{int64(i), int64(-i)} }},
		{"struct", reflect.TypeFor[pair](), func(t *testing.T, i int) any { return dict(t, "a", int64(i), "b", fmt.Sprint(i)) }},
	}
	direct, joined := 0, 0
	for _, it := range items {
		slice := reflect.SliceOf(it.typ)
		inPointer := reflect.StructOf([]reflect.StructField{{Name: "P", Type: reflect.PointerTo(slice), Tag: `pickle:"p"`}})
		for _, n := range []int{0, 1, 7, 8, 9, 16, 17, 33, batchSize + 100} {
			list := make(List, n)
			for i := range list {
				list[i] = it.item(t, i)
			}
			for p := range HighestProtocol + 1 {
				name := fmt.Sprintf("%s/%d items/protocol %d", it.name, n, p)
				bare, err := Marshal(&list, Protocol(p))
				require.NoError(t, err, name)
				wrapped, err := Marshal(dict(t, "p", &list), Protocol(p))
				require.NoError(t, err, name)
				for _, c := range []struct {
					data []byte
					typ  reflect.Type
				}{{bare, slice}, {wrapped, inPointer}} {
					if compareDirect(t, c.data, c.typ, nil) {
						direct++
					}
				}
				// A list that crossed a boundary comes back joined into one
				// slice of exactly its length; grown whole, it would have
				// room to spare.
				if it.name == "int64" && (p == 0 && n > 8 || n > batchSize) {
					var got []int64
					require.NoError(t, Unmarshal(bare, &got), name)
					require.Len(t, got, n, name)
					require.Equal(t, n, cap(got), "%s: not joined from chunks", name)
					joined++
				}
			}
		}
	}
	t.Logf("%d decodes went the direct way, %d lists checked as joined from chunks", direct, joined)
	require.Greater(t, direct, 500, "the direct decoder gave up on most of these lists")
}
