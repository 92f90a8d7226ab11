package alloc

import "testing"

// TestPages pins that slots never move as the pages grow, that Get sees
// only pages in use, and that Reset zeroes what was written, whether it
// keeps the pages or drops them.
func TestPages(t *testing.T) {
	for _, tc := range []struct {
		name  string
		slots []uint64
		keep  int
	}{
		{"one slot", []uint64{0}, 1},
		{"a page boundary", []uint64{PageSize - 1, PageSize}, 8},
		{"sparse, pages dropped", []uint64{5, 3 * PageSize, 10*PageSize + 7}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var p Pages[int]
			for round := range 2 {
				var ptrs []*int
				for i, s := range tc.slots {
					q := p.Slot(s)
					if *q != 0 {
						t.Fatalf("round %d: slot %d is %d before it was written", round, s, *q)
					}
					*q = i + 1
					ptrs = append(ptrs, q)
				}
				last := tc.slots[len(tc.slots)-1]
				if p.Len() <= last || p.Len()%PageSize != 0 {
					t.Fatalf("round %d: Len %d with slot %d in use", round, p.Len(), last)
				}
				for i, s := range tc.slots {
					q, ok := p.Get(s)
					if !ok || q != ptrs[i] || *q != i+1 {
						t.Fatalf("round %d: Get(%d) = %v, %v; want the slot written, %d", round, s, q, ok, i+1)
					}
				}
				if _, ok := p.Get(p.Len()); ok {
					t.Fatalf("round %d: Get(%d) beyond the pages in use", round, p.Len())
				}
				p.Reset(tc.keep)
				if p.Len() != 0 {
					t.Fatalf("round %d: Len %d after Reset", round, p.Len())
				}
				for i, q := range ptrs {
					if *q != 0 {
						t.Fatalf("round %d: slot %d is %d after Reset", round, tc.slots[i], *q)
					}
				}
			}
		})
	}
}
