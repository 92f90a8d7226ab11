package pickle

// memo is the decoder's memo: index -> value. Python writers number entries
// densely from 0 (Python 2's cPickle from 1, with gaps), so indices near the
// number of entries live in pages of memoPageSize slots; any other index
// goes to a map, so that an index from the input never sizes an allocation
// (CVE-2018-20406). Pages, rather than one slice, because a growing slice
// of a million entries would be copied many times over.
type memo struct {
	pages  [][]any // nil is an unset slot, memoNone is None
	used   int     // pages in use
	high   uint64  // one past the highest index set in a page
	sparse map[uint64]any
	n      int // entries present
}

const memoPageSize = 1024

// memoNone stands for None in a page, where nil means unset.
type memoNoneType struct{}

var memoNone any = memoNoneType{}

// put stores v at index i, reporting whether a new entry was added.
func (m *memo) put(i uint64, v any) (added bool) {
	size := uint64(m.used) * memoPageSize
	if i >= size && i < 2*size+memoPageSize && m.sparse == nil {
		for uint64(m.used)*memoPageSize <= i {
			if m.used == len(m.pages) {
				m.pages = append(m.pages, make([]any, memoPageSize))
			}
			m.used++
		}
		size = uint64(m.used) * memoPageSize
	}
	if i < size {
		if v == nil {
			v = memoNone
		}
		slot := &m.pages[i/memoPageSize][i%memoPageSize]
		added = *slot == nil
		*slot = v
		m.high = max(m.high, i+1)
	} else {
		if m.sparse == nil {
			m.sparse = make(map[uint64]any)
		}
		_, present := m.sparse[i]
		added = !present
		m.sparse[i] = v
	}
	if added {
		m.n++
	}
	return added
}

// get returns the value at index i.
func (m *memo) get(i uint64) (any, bool) {
	if i < uint64(m.used)*memoPageSize {
		switch v := m.pages[i/memoPageSize][i%memoPageSize]; v {
		case nil:
			return nil, false
		case memoNone:
			return nil, true
		default:
			return v, true
		}
	}
	v, ok := m.sparse[i]
	return v, ok
}

// reset empties the memo, dropping its values and keeping its pages.
func (m *memo) reset() {
	for p := uint64(0); p*memoPageSize < m.high; p++ {
		clear(m.pages[p][:min(memoPageSize, m.high-p*memoPageSize)])
	}
	m.used, m.high = 0, 0
	m.sparse = nil
	m.n = 0
}

// slots is how many slots the memo keeps.
func (m *memo) slots() int { return len(m.pages) * memoPageSize }
