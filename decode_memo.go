package pickle

import (
	"github.com/pickle-go/pickle/internal/alloc"
)

// memo is the decoder's memo: index -> value. Python writers number entries
// densely from 0 (Python 2's cPickle from 1, with gaps), so indices near the
// number of entries live in pages; any other index goes to a map, so that
// an index from the input never sizes an allocation (CVE-2018-20406).
type memo struct {
	dense  alloc.Pages[any] // nil is an unset slot, memoNone is None
	sparse map[uint64]any
	n      int // entries present
}

// memoNone stands for None in a page, where nil means unset.
type memoNoneType struct{}

var memoNone any = memoNoneType{}

// put stores v at index i, reporting whether a new entry was added.
func (m *memo) put(i uint64, v any) (added bool) {
	if size := m.dense.Len(); i < size || i < 2*size+alloc.PageSize && m.sparse == nil {
		if v == nil {
			v = memoNone
		}
		slot := m.dense.Slot(i)
		added = *slot == nil
		*slot = v
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
	if slot, ok := m.dense.Get(i); ok {
		switch v := *slot; v {
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

// reset empties the memo, dropping its values, keeping at most keep pages.
func (m *memo) reset(keep int) {
	m.dense.Reset(keep)
	m.sparse = nil
	m.n = 0
}
