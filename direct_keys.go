package pickle

import "unsafe"

// This file finds the field a struct's key names without reading the key,
// when the key is a memo fetch seen before. Python memoizes a dict's keys
// the first time it writes them, so every record after the first names its
// fields by BINGET of the same memo slots: once a slot's str is matched to
// a field, the same slot holding the same str names the same field, and
// fillStruct skips decoding the memo entry and comparing the key's bytes
// (the records payload: seven keys a record, 1.4M in all).

// fetchedKey is what BINGET of one memo slot named last: the field of plan
// that the str at ref, n bytes long, names. ref is compared, not the
// bytes: a str in the memo is never changed, only replaced by another.
type fetchedKey struct {
	plan  *directPlan
	ref   unsafe.Pointer
	n     int64
	field int
}

// fetchedKeys holds a fetchedKey for each slot BINGET reaches.
type fetchedKeys [256]fetchedKey

// knownKey returns the key BINGET fetches at buf[pos] and the field of p
// it names, when the slot named the same field of p last time.
func (d *direct) knownKey(buf []byte, pos int, p *directPlan) (k dval, field, next int, ok bool) {
	if buf[pos] != opBinGet || pos+1 >= len(buf) {
		return dval{}, 0, 0, false
	}
	i := buf[pos+1]
	e := &d.keys[i]
	if e.plan != p {
		return dval{}, 0, 0, false
	}
	slot, found := d.memo.Get(uint64(i))
	if !found || slot.ref != e.ref || slot.n != e.n {
		return dval{}, 0, 0, false
	}
	return dval{kind: dvStr, n: e.n, ref: e.ref}, e.field, pos + 2, true
}

// learnKey notes that BINGET at buf[pos] fetched the str k, which names
// field of p.
func (d *direct) learnKey(buf []byte, pos int, p *directPlan, k *dval, field int) {
	if buf[pos] != opBinGet || k.n == 0 {
		return // an empty str's entry has no pointer of its own to compare
	}
	d.keys[buf[pos+1]] = fetchedKey{plan: p, ref: k.ref, n: k.n, field: field}
	d.keysUsed = true
}

// forgetKeys clears what learnKey noted, after a decode: the strs'
// memory may hold others later.
func (d *direct) forgetKeys() {
	if d.keysUsed {
		clear(d.keys[:])
		d.keysUsed = false
	}
}
