package pickle

// memo is the decoder's memo: index -> value. Python writers number entries
// densely from 0 (Python 2's cPickle from 1, with gaps), so indices near the
// number of entries live in a slice; any other index goes to a map, so that an
// index from the input never sizes an allocation (CVE-2018-20406).
type memo struct {
	dense  []any // memoHole marks an index that is not set
	sparse map[uint64]any
	n      int // entries present
}

// memoHole marks an unset slot. None is nil, so nil cannot mean "unset".
type memoHoleType struct{}

var memoHole any = memoHoleType{}

// put stores v at index i, reporting whether a new entry was added.
func (m *memo) put(i uint64, v any) (added bool) {
	if i < uint64(len(m.dense)) {
		added = m.dense[i] == memoHole
		m.dense[i] = v
	} else if i < uint64(2*len(m.dense)+64) && m.sparse == nil {
		for uint64(len(m.dense)) < i {
			m.dense = append(m.dense, memoHole)
		}
		m.dense = append(m.dense, v)
		added = true
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
	if i < uint64(len(m.dense)) {
		v := m.dense[i]
		return v, v != memoHole
	}
	v, ok := m.sparse[i]
	return v, ok
}

func (m *memo) reset() {
	clear(m.dense)
	m.dense = m.dense[:0]
	m.sparse = nil
	m.n = 0
}
