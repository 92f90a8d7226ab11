package alloc

import (
	"runtime"
	"testing"
)

// TestSlabTake pins what callers rely on: each slice has the length asked
// for and its capacity capped there, so appending to one copies it out
// instead of writing into its neighbour, and the slices stay intact after
// the slab lets go of its chunks and the collector runs.
func TestSlabTake(t *testing.T) {
	for _, n := range []int{0, 1, 3, 16, slabMaxTake, slabMaxTake + 1, 1000} {
		var s Slab[int64]
		var got [][]int64
		for i := range 200 {
			out := s.Take(n)
			if len(out) != n || cap(out) != n {
				t.Fatalf("Take(%d): len %d, cap %d", n, len(out), cap(out))
			}
			for j := range out {
				if out[j] != 0 {
					t.Fatalf("Take(%d) #%d: slot %d is %d, not zero", n, i, j, out[j])
				}
				out[j] = int64(i*n + j)
			}
			got = append(got, out)
		}
		for i := range got {
			got[i] = append(got[i], -1) // must not reach the next slice
		}
		s = Slab[int64]{}
		runtime.GC()
		for i, out := range got {
			for j := range n {
				if out[j] != int64(i*n+j) {
					t.Fatalf("Take(%d) #%d: slot %d is %d, want %d", n, i, j, out[j], i*n+j)
				}
			}
		}
	}
}
