package pickle

// pages is a slice indexed from 0 that grows a page at a time and never
// moves what it holds: the memos of both decoders, which reach a million
// entries on large pickles, where a growing slice would be copied many times
// over. Slots are zero until written; reset zeroes what was written and
// keeps the pages for the next pickle.
type pages[T any] struct {
	pages [][]T
	used  int    // pages in use
	high  uint64 // one past the highest slot handed out
}

const pageSize = 1024

// len is how many slots are in use: a multiple of pageSize.
func (p *pages[T]) len() uint64 { return uint64(p.used) * pageSize }

// slot returns slot i, first putting pages in use up to it. Callers bound i:
// it sizes what is allocated.
func (p *pages[T]) slot(i uint64) *T {
	for p.len() <= i {
		if p.used == len(p.pages) {
			p.pages = append(p.pages, make([]T, pageSize))
		}
		p.used++
	}
	p.high = max(p.high, i+1)
	return &p.pages[i/pageSize][i%pageSize]
}

// get returns slot i if it is in use.
func (p *pages[T]) get(i uint64) (*T, bool) {
	if i >= p.len() {
		return nil, false
	}
	return &p.pages[i/pageSize][i%pageSize], true
}

// reset zeroes every slot handed out, keeping at most keep pages.
func (p *pages[T]) reset(keep int) {
	for i := uint64(0); i*pageSize < p.high; i++ {
		clear(p.pages[i][:min(pageSize, p.high-i*pageSize)])
	}
	p.used, p.high = 0, 0
	if len(p.pages) > keep {
		p.pages = nil
	}
}
