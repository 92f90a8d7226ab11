package pickle

import (
	"math/bits"
	"unsafe"
)

// getCache remembers, for an item of a list or dict found in the memo
// before, the memo index it was written as, keyed by the interface value
// itself (its type and data words), as CPython's save looks an object up
// in its memo by address before asking its type. A payload of references
// (shared: 1M items into a pool of 1000 tuples, lists and strs) spent a
// third of its time in the type switch over items in random order and a
// quarter in the memo tables of each kind; an item seen again is here one
// probe, whatever its type.
//
// Only strs, tuples, lists and dicts of the model go in, after one was
// written as a GET: a later item with the same words is the same value
// (a box behind an interface is never changed), so its GET is what the
// path through its type would write. Entries keep their values alive, as
// the memo's keys do, so an address is never reused within a pickle.
type getCache struct {
	slots []getSlot
	n     int
	shift uint // 64 - log2(len(slots))
	// hits and puts tell a cache that pays from one that does not: where
	// each use of a value is boxed anew (a Go value made into an `any`
	// per item), the same value comes in other words every time. (The
	// corpus's decoded payloads all pay: records 1.9M hits to 92k puts,
	// nested 1.4M to 6, shared 958k to 41k.)
	hits, puts int
	off        bool // given up on, for this pickle
}

// getCacheTrial is how many puts the cache may take before it must have
// had as many hits.
const getCacheTrial = 1024

type getSlot struct {
	typ, data unsafe.Pointer
	idx       int
}

// getCacheMax bounds the table (96 KiB), which stays in the L2 cache; an
// item that loses its slot to another is found by the slow path again.
const getCacheMax = 4096

// ifaceWords returns the type and data words of v.
func ifaceWords(v *any) (typ, data unsafe.Pointer) {
	w := (*[2]unsafe.Pointer)(unsafe.Pointer(v))
	return w[0], w[1]
}

func (c *getCache) slot(data unsafe.Pointer) *getSlot {
	h := uint64(uintptr(data)) * 0x9e3779b97f4a7c15 >> c.shift
	return &c.slots[h&uint64(len(c.slots)-1)]
}

// get returns the memo index v was written as, if v is here.
func (c *getCache) get(v *any) (int, bool) {
	typ, data := ifaceWords(v)
	s := c.slot(data)
	// A nil interface has the words of an empty slot.
	if s.data != data || s.typ != typ || typ == nil {
		return 0, false
	}
	c.hits++
	return s.idx, true
}

// put remembers that v was written as memo index idx.
func (c *getCache) put(v *any, idx int) {
	if c.off {
		return
	}
	if c.puts++; c.puts > getCacheTrial && c.puts > c.hits {
		c.clear()
		c.off = true
		return
	}
	typ, data := ifaceWords(v)
	c.putWords(typ, data, idx)
}

func (c *getCache) putWords(typ, data unsafe.Pointer, idx int) {
	if 2*(c.n+1) > len(c.slots) && len(c.slots) < getCacheMax {
		c.grow()
	}
	s := c.slot(data)
	if s.data == nil {
		c.n++
	}
	*s = getSlot{typ, data, idx}
}

// grow starts small, so that a short pickle with one shared item clears
// little, and quadruples.
func (c *getCache) grow() {
	old := c.slots
	size := max(64, 4*len(old))
	c.slots, c.n = make([]getSlot, size), 0
	c.shift = uint(64 - bits.Len(uint(size-1)))
	for _, s := range old {
		if s.data != nil {
			c.putWords(s.typ, s.data, s.idx)
		}
	}
}

func (c *getCache) clear() {
	if c.n > 0 {
		clear(c.slots)
		c.n = 0
	}
	c.hits, c.puts, c.off = 0, 0, false
}
