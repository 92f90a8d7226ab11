package alloc

// Pages is a slice indexed from 0 that grows a page at a time and never
// moves what it holds: the memos of both decoders, which reach a million
// entries on large pickles, where a growing slice would be copied many times
// over. Slots are zero until written; Reset zeroes what was written and
// keeps the pages for the next pickle. Its zero value is ready to use.
type Pages[T any] struct {
	pages [][]T
	used  int    // pages in use
	high  uint64 // one past the highest slot handed out
}

// PageSize is how many slots a page holds.
const PageSize = 1024

// Len is how many slots are in use: a multiple of PageSize.
func (p *Pages[T]) Len() uint64 { return uint64(p.used) * PageSize }

// Slot returns slot i, first putting pages in use up to it. Callers bound i:
// it sizes what is allocated.
func (p *Pages[T]) Slot(i uint64) *T {
	for p.Len() <= i {
		if p.used == len(p.pages) {
			p.pages = append(p.pages, make([]T, PageSize))
		}
		p.used++
	}
	p.high = max(p.high, i+1)
	return &p.pages[i/PageSize][i%PageSize]
}

// Get returns slot i if it is in use.
func (p *Pages[T]) Get(i uint64) (*T, bool) {
	if i >= p.Len() {
		return nil, false
	}
	return &p.pages[i/PageSize][i%PageSize], true
}

// Reset zeroes every slot handed out, keeping at most keep pages.
func (p *Pages[T]) Reset(keep int) {
	for i := uint64(0); i*PageSize < p.high; i++ {
		clear(p.pages[i][:min(PageSize, p.high-i*PageSize)])
	}
	p.used, p.high = 0, 0
	if len(p.pages) > keep {
		p.pages = nil
	}
}
