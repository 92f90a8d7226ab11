package pickle

import (
	"encoding/binary"
	"math"
	"unsafe"
)

// This file fills a long list of int64s, float64s or strings from an
// APPENDS batch as its items are read, instead of pushing each item and
// copying the batch at APPENDS: for the ints payload the push, the
// dispatch per opcode and the copy were most of the time.
//
// Items are stored into the list's spare room past its length, which
// stays as it was until APPENDS: only then do they become part of the
// list. Anything else in the batch (an item of another kind, the end of
// the frame, a batch longer than the room) ends the filling: the items
// stored so far are pushed as they would have been, and the opcode loop
// goes on from there, to append them at APPENDS as usual. Memo stores
// after an item are done as they are read, in order, as the loop would.

// fillList fills c, a list just given a MARK, from its batch.
func (d *direct) fillList(c *dcont) bool {
	p := c.plan
	hdr := (*sliceHeader)(c.ptr)
	if !scalarElems(p.elem) || hdr.cap-hdr.len < batchSize {
		return true // a short list, or one without room for a batch yet
	}
	want := listItemKind(p.elem)
	src := d.src
	buf := src.buf[:src.limit]
	pos := src.pos
	// The general path's stack holds the batch: MaxStack bounds it.
	room := min(hdr.cap-hdr.len, d.cfg.maxStack-len(d.stack)-d.taken)
	if room <= 0 {
		return true
	}
	dst := unsafe.Add(hdr.data, uintptr(hdr.len)*p.elem.size)
	n := 0
	for pos < len(buf) {
		// Runs of numbers without memo stores, and of short strs with
		// theirs, read by loops of their own; anything else item by
		// item, below.
		switch want {
		case dvInt:
			k, next := readInts(buf, pos, unsafe.Slice((*int64)(dst), room)[n:])
			n, pos = n+k, next
		case dvFloat:
			k, next := readFloats(buf, pos, unsafe.Slice((*uint64)(dst), room)[n:])
			n, pos = n+k, next
		case dvStr:
			k, next, ok := d.readStrs(buf, pos, unsafe.Slice((*string)(dst), room)[n:])
			if !ok {
				return false
			}
			n, pos = n+k, next
		}
		if pos >= len(buf) {
			break
		}
		if buf[pos] == opAppends {
			hdr.len += n
			d.marks = d.marks[:len(d.marks)-1]
			src.pos = pos + 1
			return true
		}
		if n == room {
			break
		}
		v, at, ok := d.scalarAt(buf, pos)
		if !ok || v.kind != want {
			break
		}
		storeListItem(want, dst, n, &v)
		op, next := memoOpAt(buf, at)
		switch op.kind {
		case memoOpPut:
			ok = d.memoSet(op.i, &v)
		case memoOpMemoize:
			ok = d.memoSet(uint64(d.memoN), &v)
		}
		if !ok {
			return false
		}
		n++
		pos = next
	}
	for i := range n {
		d.stack = append(d.stack, loadListItem(want, dst, i))
	}
	src.pos = pos
	return true
}

// listItemKind is the kind of item fillList stores into a list of elem,
// one of scalarElems.
func listItemKind(elem *directPlan) dvKind {
	switch elem.kind {
	case dkFloat64:
		return dvFloat
	case dkString:
		return dvStr
	}
	return dvInt
}

// storeListItem stores v, of kind k, as item i of the list's room at dst.
func storeListItem(k dvKind, dst unsafe.Pointer, i int, v *dval) {
	switch k {
	case dvInt:
		*(*int64)(unsafe.Add(dst, i*8)) = v.n
	case dvFloat:
		*(*float64)(unsafe.Add(dst, i*8)) = v.float()
	case dvStr:
		*(*string)(unsafe.Add(dst, uintptr(i)*unsafe.Sizeof(""))) = v.str()
	}
}

// loadListItem is the value storeListItem stored as item i.
func loadListItem(k dvKind, dst unsafe.Pointer, i int) dval {
	switch k {
	case dvFloat:
		return dval{kind: dvFloat, n: int64(math.Float64bits(*(*float64)(unsafe.Add(dst, i*8))))}
	case dvStr:
		s := *(*string)(unsafe.Add(dst, uintptr(i)*unsafe.Sizeof("")))
		return dval{kind: dvStr, n: int64(len(s)), ref: unsafe.Pointer(unsafe.StringData(s))}
	}
	return dval{kind: dvInt, n: *(*int64)(unsafe.Add(dst, i*8))}
}

// readInts reads ints that fit an int64 into out for as long as they come,
// with no memo store between them, as Python writes a list of ints. It
// returns how many it read and the position after them; it leaves the
// last ten bytes of buf, the longest int it reads, to the caller.
func readInts(buf []byte, pos int, out []int64) (int, int) {
	n := 0
	for n < len(out) && pos+10 <= len(buf) {
		switch buf[pos] {
		case opBinInt1:
			out[n] = int64(buf[pos+1])
			pos += 2
		case opBinInt2:
			out[n] = int64(binary.LittleEndian.Uint16(buf[pos+1:]))
			pos += 3
		case opBinInt:
			out[n] = int64(int32(binary.LittleEndian.Uint32(buf[pos+1:])))
			pos += 5
		case opLong1:
			size := uint(buf[pos+1])
			if size > 8 {
				return n, pos // a big int
			}
			// Little-endian two's complement of size bytes: the word
			// that starts with them, its other bytes shifted out, the
			// sign extended by the arithmetic shift back.
			w := binary.LittleEndian.Uint64(buf[pos+2:])
			// (Of no bytes, both shifts are by 64: zero.)
			out[n] = int64(w<<(64-8*size)) >> (64 - 8*size)
			pos += 2 + int(size)
		default:
			return n, pos
		}
		n++
	}
	return n, pos
}

// readFloats reads BINFLOATs into out, as their bits, for as long as they
// come, as readInts reads ints.
func readFloats(buf []byte, pos int, out []uint64) (int, int) {
	n := 0
	for n < len(out) && pos+9 <= len(buf) && buf[pos] == opBinFloat {
		out[n] = binary.BigEndian.Uint64(buf[pos+1:])
		pos += 9
		n++
	}
	return n, pos
}

// readStrs reads SHORT_BINUNICODEs into out for as long as they come, each
// with the MEMOIZE after it that protocol 4 writes, or none, as readInts
// reads ints; ok false means give up (the memo refused a store).
func (d *direct) readStrs(buf []byte, pos int, out []string) (n, next int, ok bool) {
	for n < len(out) && pos+1 < len(buf) && buf[pos] == opShortBinUnicode {
		end := pos + 2 + int(buf[pos+1])
		if end > len(buf) {
			break
		}
		s, valid := arenaStr(&d.strs, buf, pos+2, end)
		if !valid {
			break
		}
		out[n] = s
		n++
		pos = end
		if pos < len(buf) && buf[pos] == opMemoize {
			v := dval{kind: dvStr, n: int64(len(s)), ref: unsafe.Pointer(unsafe.StringData(s))}
			if !d.memoSet(uint64(d.memoN), &v) {
				return n, pos, false
			}
			pos++
		}
	}
	return n, pos, true
}
