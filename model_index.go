package pickle

import "hash/maphash"

// posIndex finds the position of a normalized key among a large dict's
// items: an open-addressing table of positions, each stored with the high
// half of its key's hash, so that one hash and usually one key comparison
// answer a lookup. A Go map would hash twice per insertion (look up, then
// assign) and keep a second copy of every key.
type posIndex struct {
	slots []uint64 // hash>>32<<32 | position+1; 0 is empty
	mask  uint64
	count int
}

// indexSeed is per process, as Go's maps' seeds are, so that an input cannot
// be made to collide on purpose.
var indexSeed = maphash.MakeSeed()

func hashOf(hk any) uint64 {
	switch k := hk.(type) {
	case int64:
		return maphash.Comparable(indexSeed, k)
	case string:
		return maphash.String(indexSeed, k)
	}
	return maphash.Comparable(indexSeed, hk)
}

// build indexes the first n keys of d, with room to grow.
func (x *posIndex) build(d *Dict, n int) { x.buildSized(d, n, 4*n) }

// buildFor indexes the first n keys of d, with room for total keys before
// it is full.
func (x *posIndex) buildFor(d *Dict, n, total int) { x.buildSized(d, n, 2*total+1) }

// buildSized indexes the first n keys of d in a table of at least min
// slots.
func (x *posIndex) buildSized(d *Dict, n, min int) {
	size := uint64(16)
	for size < uint64(min) {
		size <<= 1
	}
	x.slots, x.mask, x.count = make([]uint64, size), size-1, 0
	for i := 0; i < n; i++ {
		x.put(hashOf(d.keyAt(i)), i)
	}
}

// find returns the position of hk, whose hash is h, or -1.
func (x *posIndex) find(d *Dict, hk any, h uint64) int {
	tag := h >> 32
	for i := h & x.mask; ; i = (i + 1) & x.mask {
		s := x.slots[i]
		if s == 0 {
			return -1
		}
		if s>>32 == tag {
			if pos := int(uint32(s)) - 1; d.keyAt(pos) == hk {
				return pos
			}
		}
	}
}

// put records that the key hashing to h is at pos. The caller has checked
// that it is absent and that there is room.
func (x *posIndex) put(h uint64, pos int) {
	for i := h & x.mask; ; i = (i + 1) & x.mask {
		if x.slots[i] == 0 {
			x.slots[i] = h>>32<<32 | uint64(pos+1)
			x.count++
			return
		}
	}
}

// fits reports whether the table holds total keys before it is full.
func (x *posIndex) fits(total int) bool { return x.slots != nil && uint64(2*total) <= x.mask }

// full reports whether the table should grow before another key: it is
// kept at most half full, so probes stay short.
func (x *posIndex) full() bool { return uint64(2*(x.count+1)) > x.mask }
