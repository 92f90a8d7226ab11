package pickle

import (
	"unsafe"

	"github.com/pickle-go/pickle/internal/ptrtable"
)

// encMemo is the encoder's memo: object identity to memo index. The keys
// most pickles are made of (lists, dicts, tuples) go into address tables of
// their own (ptrtable.Table), which CPython's memo is too; anything else goes
// through an interface-keyed map.
type encMemo struct {
	lists  ptrtable.Table // memo index
	dicts  ptrtable.Table // memo index
	tuples ptrtable.Table // memo index << 32 | length
	other  map[any]int
}

func (m *encMemo) lookup(key any) (int, bool) {
	switch k := key.(type) {
	case *List:
		v, ok := m.lists.Get(unsafe.Pointer(k))
		return int(v), ok
	case *Dict:
		v, ok := m.dicts.Get(unsafe.Pointer(k))
		return int(v), ok
	case tupleID:
		return m.lookupTuple(k)
	}
	idx, ok := m.other[key]
	return idx, ok
}

// lookupTuple is lookup for a tuple, without making its key an `any` (an
// allocation).
func (m *encMemo) lookupTuple(k tupleID) (int, bool) {
	if v, ok := m.tuples.Get(unsafe.Pointer(k.first)); ok && int(uint32(v)) == k.n {
		return int(v >> 32), true
	}
	if m.other == nil {
		return 0, false
	}
	idx, ok := m.other[k]
	return idx, ok
}

// storeTuple is store for a tuple.
func (m *encMemo) storeTuple(k tupleID, idx int) {
	v, taken := m.tuples.Get(unsafe.Pointer(k.first))
	if k.n <= 1<<32-1 && idx <= 1<<32-1 && (!taken || int(uint32(v)) == k.n) {
		m.tuples.Set(unsafe.Pointer(k.first), uint64(idx)<<32|uint64(k.n))
		return
	}
	m.store(k, idx)
}

func (m *encMemo) store(key any, idx int) {
	switch k := key.(type) {
	case *List:
		m.lists.Set(unsafe.Pointer(k), uint64(idx))
		return
	case *Dict:
		m.dicts.Set(unsafe.Pointer(k), uint64(idx))
		return
	case tupleID:
		v, taken := m.tuples.Get(unsafe.Pointer(k.first))
		if k.n <= 1<<32-1 && idx <= 1<<32-1 && (!taken || int(uint32(v)) == k.n) {
			m.tuples.Set(unsafe.Pointer(k.first), uint64(idx)<<32|uint64(k.n))
			return
		}
	}
	// Anything else, and the rare key whose address is taken already (a
	// tuple and a shorter tuple of its first items): by value.
	if m.other == nil {
		m.other = make(map[any]int)
	}
	m.other[key] = idx
}

func (m *encMemo) len() int {
	return m.lists.Len() + m.dicts.Len() + m.tuples.Len() + len(m.other)
}

func (m *encMemo) clear() {
	m.lists.Clear()
	m.dicts.Clear()
	m.tuples.Clear()
	clear(m.other)
}
