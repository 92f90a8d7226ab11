// Package ptrtable maps addresses to numbers: the encoder's memo, which
// finds a value written before by its identity, as CPython's memo does.
// Keys are unsafe.Pointer; this package is where that is fenced in.
package ptrtable

import (
	"math/bits"
	"unsafe"
)

// Table maps addresses to numbers, as CPython's memo table maps objects
// to memo indices, keeping neighbours together: objects in one 4 KiB page
// of memory take neighbouring slots in address order, one slot per 8
// bytes of the page (Go's alignment for anything holding a pointer), or
// per byte in a Dense table, at a place in the table hashed from the
// page. Objects made one after another, which a pickle mostly visits in
// that order, are then looked up in cache-sized runs rather than at
// random, while pages spread over the whole table. Open addressing with
// linear probing, never more than half full. Its keys keep what they point
// to alive. Its zero value is an empty table.
type Table struct {
	// Dense is for keys closer than 8 bytes apart, such as the bytes of
	// short strings packed together, which would otherwise crowd one
	// another into long probe runs. Set it before the first key goes in.
	Dense bool

	keys  []unsafe.Pointer
	vals  []uint64
	n     int
	shift uint // 64 - log2(len(keys))
}

func (t *Table) slot(p unsafe.Pointer) int {
	a := uint64(uintptr(p))
	// The fewer slots a page, the more neighbours share a cache line of
	// the table; but keys closer than a slot apart overflow their page's
	// run into long probe sequences. Runs by 64-byte line of memory
	// overflow less, but put objects a line or more apart (most that are
	// not strings) at random: they cost more in the encoder than the old
	// slot a byte (layout_bench_test.go, and the payload benchmarks).
	// Dense tables keep that slot a byte: a slot per 2 bytes measured no
	// better on the payloads' strings.
	page := (a >> 12) * 0x9e3779b97f4a7c15 >> t.shift
	grain := uint(3)
	if t.Dense {
		grain = 0
	}
	return int(page+(a&4095)>>grain) & (len(t.keys) - 1)
}

// Get returns the number stored for p.
func (t *Table) Get(p unsafe.Pointer) (uint64, bool) {
	if t.n == 0 {
		return 0, false
	}
	mask := len(t.keys) - 1
	for i := t.slot(p); ; i = (i + 1) & mask {
		switch t.keys[i] {
		case p:
			return t.vals[i], true
		case nil:
			return 0, false
		}
	}
}

// GetOrAdd returns the number stored for p and true, or stores v for p and
// returns false.
func (t *Table) GetOrAdd(p unsafe.Pointer, v uint64) (uint64, bool) {
	i, found := t.probe(p)
	if found {
		return t.vals[i], true
	}
	t.keys[i], t.vals[i] = p, v
	t.n++
	return 0, false
}

// Add stores v for p unless p has a number already, and reports whether it
// stored it.
func (t *Table) Add(p unsafe.Pointer, v uint64) bool { return t.put(p, v, false) }

// Set stores v for p.
func (t *Table) Set(p unsafe.Pointer, v uint64) { t.put(p, v, true) }

func (t *Table) put(p unsafe.Pointer, v uint64, replace bool) bool {
	i, found := t.probe(p)
	if found {
		if replace {
			t.vals[i] = v
		}
		return replace
	}
	t.keys[i], t.vals[i] = p, v
	t.n++
	return true
}

// probe returns p's slot and true, or the empty slot where p goes and
// false, growing the table first if one more key would fill it past half.
func (t *Table) probe(p unsafe.Pointer) (int, bool) {
	if 2*(t.n+1) > len(t.keys) {
		t.grow()
	}
	mask := len(t.keys) - 1
	for i := t.slot(p); ; i = (i + 1) & mask {
		switch t.keys[i] {
		case p:
			return i, true
		case nil:
			return i, false
		}
	}
}

func (t *Table) grow() {
	old, oldVals := t.keys, t.vals
	size := max(256, 2*len(old))
	t.keys, t.vals, t.n = make([]unsafe.Pointer, size), make([]uint64, size), 0 // Dense kept
	t.shift = uint(64 - bits.Len(uint(size-1)))
	for i, k := range old {
		if k != nil {
			t.Add(k, oldVals[i])
		}
	}
}

// Size is how many slots the table has.
func (t *Table) Size() int { return len(t.keys) }

// Len is how many keys the table holds.
func (t *Table) Len() int { return t.n }

// Clear empties the table, keeping its size.
func (t *Table) Clear() {
	if t.n > 0 {
		clear(t.keys)
		t.n = 0
	}
}
