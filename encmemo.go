package pickle

// encMemo is the encoder's memo: object identity to memo index. The keys
// most pickles are made of (lists, dicts, tuples) get maps of their own
// type, which hash a pointer or two words directly; anything else goes
// through an interface-keyed map.
type encMemo struct {
	lists  map[*List]int
	dicts  map[*Dict]int
	tuples map[tupleID]int
	other  map[any]int
}

func (m *encMemo) lookup(key any) (int, bool) {
	var idx int
	var ok bool
	switch k := key.(type) {
	case *List:
		idx, ok = m.lists[k]
	case *Dict:
		idx, ok = m.dicts[k]
	case tupleID:
		idx, ok = m.tuples[k]
	default:
		idx, ok = m.other[key]
	}
	return idx, ok
}

func (m *encMemo) store(key any, idx int) {
	switch k := key.(type) {
	case *List:
		if m.lists == nil {
			m.lists = make(map[*List]int)
		}
		m.lists[k] = idx
	case *Dict:
		if m.dicts == nil {
			m.dicts = make(map[*Dict]int)
		}
		m.dicts[k] = idx
	case tupleID:
		if m.tuples == nil {
			m.tuples = make(map[tupleID]int)
		}
		m.tuples[k] = idx
	default:
		if m.other == nil {
			m.other = make(map[any]int)
		}
		m.other[key] = idx
	}
}

func (m *encMemo) len() int {
	return len(m.lists) + len(m.dicts) + len(m.tuples) + len(m.other)
}

func (m *encMemo) clear() {
	clear(m.lists)
	clear(m.dicts)
	clear(m.tuples)
	clear(m.other)
}
