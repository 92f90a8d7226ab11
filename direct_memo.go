package pickle

import "unsafe"

// The direct decoder's memo holds a million entries on large pickles (four
// or five a record), so an entry is two words, not a dval's three: only a
// str keeps a pointer, to its bytes; every other kind points into
// memoKinds at its own index, with its number (a bool, an int, a float's
// bits) in n. Containers, tuples, bytes and big ints are never fetched
// back (memoGet leaves them to the general path), so their entries say
// only what they are. A nil ref is an unset slot.
type memoEntry struct {
	ref unsafe.Pointer
	n   int64
}

// memoKinds gives each kind but a non-empty str an address to mark it by.
var memoKinds [dvCont + 1]byte

func packMemo(v *dval) memoEntry {
	if v.kind == dvStr && v.n > 0 {
		return memoEntry{ref: v.ref, n: v.n}
	}
	e := memoEntry{ref: unsafe.Pointer(&memoKinds[v.kind])}
	switch v.kind {
	case dvBool, dvInt, dvFloat:
		e.n = v.n
	}
	return e
}

// kind returns what the entry holds, dvEmpty for an unset slot.
func (e *memoEntry) kind() dvKind {
	if e.ref == nil {
		return dvEmpty
	}
	if at := uintptr(e.ref) - uintptr(unsafe.Pointer(&memoKinds[0])); at < uintptr(len(memoKinds)) {
		return dvKind(at)
	}
	return dvStr
}

// memoSet stores v in memo slot i.
func (d *direct) memoSet(i uint64, v *dval) bool {
	if i > uint64(len(d.src.buf)) {
		return false // a sparse index: the general path's
	}
	slot := d.memo.Slot(i)
	if slot.ref == nil {
		d.memoN++
		if d.memoN > d.cfg.maxMemo {
			return false
		}
	}
	*slot = packMemo(v)
	return true
}

// memoGet pushes a memoized scalar. The general path shares what is
// referenced twice where it can (a list, dict or tuple into pointers; bytes
// into []byte; a big int into *big.Int), so those are left to it.
func (d *direct) memoGet(i uint64) bool {
	v, ok := d.memoScalar(i)
	return ok && d.push(v)
}

// memoScalar is what memoGet would push from slot i, if a scalar.
func (d *direct) memoScalar(i uint64) (dval, bool) {
	slot, ok := d.memo.Get(i)
	if !ok {
		return dval{}, false
	}
	switch k := slot.kind(); k {
	case dvNone, dvBool, dvInt, dvFloat:
		return dval{kind: k, n: slot.n}, true
	case dvStr:
		v := dval{kind: dvStr, n: slot.n}
		if slot.n > 0 {
			v.ref = slot.ref
		}
		return v, true
	}
	return dval{}, false
}
