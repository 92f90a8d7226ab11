package pickle

import (
	"reflect"
)

// A long list (past sliceChunkBytes) is filled in chunks that are joined
// when it is stored: 17 MB of records were allocated twice over and copied
// once more. When the whole pickle is in memory, the list's first chunk
// tells how many bytes of input an item takes, and the input left tells how
// many items may follow; the list grows once to that estimate (and a
// sixteenth), and is filled in place. A wrong estimate costs what chunks
// cost: a shorter list moves to chunks when the estimate runs out, and one
// that ends far short of it is copied to its length when stored
// (trimEstimate), so it never keeps more than an eighth to spare.

//
// A large dict into a Go map is estimated the same way, at its first
// SETITEMS of a whole batch: Go's map, grown from empty, splits its tables
// again and again as it fills (20% of decoding a 1M-item dict), and a map
// made at its final size does not. Where the estimate is long (a dict
// followed by more input) the map has room to spare; it is never copied.

// estimateLists turns the estimate off, for tests of the chunks.
var estimateLists = true

// estimateAmplification bounds the estimate: no more bytes of slice than
// this many times the input left.
const estimateAmplification = 4

// growToEstimate grows the full list to its estimated length, once, and
// reports whether it did.
func (c *dcont) growToEstimate(n int, src *source) bool {
	c.estimated = true
	hdr := (*sliceHeader)(c.ptr)
	read := src.offset() - c.start
	if !estimateLists || src.r != nil || hdr.len == 0 || read <= 0 {
		return false // a stream does not say how much of it is left
	}
	left := int64(len(src.buf) - src.pos)
	more := int(left * int64(hdr.len) / read)
	want := hdr.len + n + more + more/16
	size := c.plan.elem.size
	if want <= hdr.cap || uintptr(want-hdr.len)*size > estimateAmplification*uintptr(left) {
		return false
	}
	c.reallocate(want)
	c.dirty = hdr.len
	return true
}

// trimEstimate copies a list that ended more than an eighth short of its
// estimate to its length.
func (c *dcont) trimEstimate() {
	hdr := (*sliceHeader)(c.ptr)
	if hdr.cap-hdr.len <= hdr.len/8 {
		return
	}
	c.reallocate(hdr.len)
}

// reallocate moves the list's items into a new backing array of the given
// capacity.
func (c *dcont) reallocate(capacity int) {
	list := reflect.NewAt(c.plan.t, c.ptr).Elem()
	moved := reflect.MakeSlice(c.plan.t, list.Len(), capacity)
	reflect.Copy(moved, list)
	list.Set(moved)
}

// presizeMap remakes the empty map of a dict about to receive its first
// batch of n items at the size the batch's bytes and the input left
// predict, once.
func (c *dcont) presizeMap(n int, src *source) {
	c.estimated = true
	m := c.ext.m
	read := src.offset() - c.start
	if !estimateLists || src.r != nil || n < batchSize || m.Len() != 0 || read <= 0 {
		return // a short dict, or a stream
	}
	left := int64(len(src.buf) - src.pos)
	want := n + int(left*int64(n)/read)
	if uintptr(want)*(c.plan.key.size+c.plan.elem.size) > estimateAmplification*uintptr(left+read) {
		return
	}
	m.Set(reflect.MakeMapWithSize(c.plan.t, want))
}
