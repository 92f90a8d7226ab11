package pickle

import (
	"encoding/binary"
	"reflect"
	"unsafe"
)

// This file fills a struct from the key, value pairs of a dict's SETITEMS
// batch as they are read, instead of pushing each pair and matching it to
// a field at SETITEMS: a record of the records payload is seven pairs,
// and pushing, popping and dispatching them was most of typed decoding.
//
// A pair is taken only when the key (a str, pushed or fetched from the
// memo), the value (a scalar) and the memo stores after each are all read,
// and the value has been stored into its field; anything else (a container
// value, an unknown key, the end of a frame) is left to the opcode loop,
// where the pair is pushed as usual. The pairs taken are those the batch
// holds first, in order, so setting them now gives what SETITEMS would:
// the dcont counts them (taken), and the stack holds only the batch's other
// pairs. An opcode that would reach below them (POP, TUPLE2, ...) meets
// the mark's fence and gives up, as does any opcode but SETITEMS that pops
// the mark (popMark), so the pairs taken are never seen by anything else.
// After a container value is done (APPENDS, SETITEMS, TUPLE2, TUPLE3) and
// a key follows, the pair is stored the same way and the filling resumes.

// memoOp is a memo store read after a key or a value, applied once the
// pair is taken.
type memoOp struct {
	kind uint8 // 0 none, memoOpPut or memoOpMemoize
	i    uint64
}

const (
	memoOpPut uint8 = 1 + iota
	memoOpMemoize
)

// memoOpAt reads a memo store at buf[pos], if there is one, and returns the
// position after it.
func memoOpAt(buf []byte, pos int) (memoOp, int) {
	if pos >= len(buf) {
		return memoOp{}, pos
	}
	switch buf[pos] {
	case opMemoize:
		return memoOp{kind: memoOpMemoize}, pos + 1
	case opBinPut:
		if pos+2 <= len(buf) {
			return memoOp{kind: memoOpPut, i: uint64(buf[pos+1])}, pos + 2
		}
	case opLongBinPut:
		if pos+5 <= len(buf) {
			return memoOp{kind: memoOpPut, i: uint64(binary.LittleEndian.Uint32(buf[pos+1:]))}, pos + 5
		}
	}
	return memoOp{}, pos
}

// scalarAt reads the scalar-pushing opcode at buf[pos] (pos < len(buf)),
// its argument in place: the value it pushes and the position after it.
// ok is false for any other opcode, an argument past buf, or a memo fetch
// of anything but a scalar.
func (d *direct) scalarAt(buf []byte, pos int) (v dval, next int, ok bool) {
	arg := pos + 1
	switch buf[pos] {
	case opBinGet:
		if arg < len(buf) && !d.pendingSlot(uint64(buf[arg])) {
			v, ok := d.memoScalar(uint64(buf[arg]))
			return v, arg + 1, ok
		}
	case opLongBinGet:
		if arg+4 <= len(buf) && !d.pendingSlot(uint64(binary.LittleEndian.Uint32(buf[arg:]))) {
			v, ok := d.memoScalar(uint64(binary.LittleEndian.Uint32(buf[arg:])))
			return v, arg + 4, ok
		}
	case opShortBinUnicode:
		if arg < len(buf) {
			return d.strAt(buf, arg+1, int(buf[arg]))
		}
	case opBinUnicode:
		if arg+4 <= len(buf) {
			return d.strAt(buf, arg+4, int(binary.LittleEndian.Uint32(buf[arg:])))
		}
	case opBinInt1:
		if arg < len(buf) {
			return dval{kind: dvInt, n: int64(buf[arg])}, arg + 1, true
		}
	case opBinInt2:
		if arg+2 <= len(buf) {
			return dval{kind: dvInt, n: int64(binary.LittleEndian.Uint16(buf[arg:]))}, arg + 2, true
		}
	case opBinInt:
		if arg+4 <= len(buf) {
			return dval{kind: dvInt, n: int64(int32(binary.LittleEndian.Uint32(buf[arg:])))}, arg + 4, true
		}
	case opBinFloat:
		if arg+8 <= len(buf) {
			return dval{kind: dvFloat, n: int64(binary.BigEndian.Uint64(buf[arg:]))}, arg + 8, true
		}
	case opLong1:
		return long1At(buf, arg)
	case opNone:
		return dval{kind: dvNone}, arg, true
	case opNewTrue:
		return dval{kind: dvBool, n: 1}, arg, true
	case opNewFalse:
		return dval{kind: dvBool}, arg, true
	}
	return dval{}, pos, false
}

// long1At reads the argument of a LONG1 at buf[at:] that fits an int64 (up
// to eight bytes); ok is false for a longer one, a big int.
func long1At(buf []byte, at int) (v dval, next int, ok bool) {
	if at >= len(buf) || buf[at] > 8 {
		return dval{}, 0, false
	}
	end := at + 1 + int(buf[at])
	if end > len(buf) {
		return dval{}, 0, false
	}
	n, _ := decodeLong(buf[at+1 : end])
	return dval{kind: dvInt, n: n}, end, true
}

// strAt reads a str of n UTF-8 bytes at buf[at:].
func (d *direct) strAt(buf []byte, at, n int) (dval, int, bool) {
	end := at + n
	if n < 0 || end > len(buf) || end < at {
		return dval{}, 0, false
	}
	str, ok := arenaStr(&d.strs, buf, at, end)
	if !ok {
		return dval{}, 0, false
	}
	return dval{kind: dvStr, n: int64(len(str)), ref: unsafe.Pointer(unsafe.StringData(str))}, end, true
}

// enterBatch starts filling a struct, or a long list of scalars
// (direct_list.go), when the MARK just run opens a batch of its items.
func (d *direct) enterBatch() bool {
	n := len(d.stack)
	if n == 0 || d.stack[n-1].kind != dvCont || d.markOnMark() {
		return true
	}
	c := d.stack[n-1].cont()
	switch c.plan.kind {
	case dkStruct:
		return d.fillStruct(c)
	case dkSlice:
		return d.fillList(c)
	}
	return true
}

// resumeStruct takes the key and container value above the topmost mark
// into the struct below it, when a key follows, and goes on filling.
func (d *direct) resumeStruct() bool {
	n, f := len(d.stack), d.fence()
	if n-f != 2 || f == 0 || d.stack[f-1].kind != dvCont || d.markOnMark() || !d.keyNext() {
		return true
	}
	c := d.stack[f-1].cont()
	if c.plan.kind != dkStruct || !d.takePair(c, &d.stack[f], &d.stack[f+1]) {
		return true // SETITEMS will try the pair, and decide
	}
	d.stack = d.stack[:f]
	return d.fillStruct(c)
}

// keyNext reports whether the next opcode pushes a str key.
func (d *direct) keyNext() bool {
	src := d.src
	return src.pos < src.limit && isKeyOp(src.buf[src.pos])
}

// takePair stores v into the field the key k names, as setItems would;
// false when it did not (nothing is then changed but what store wrote).
func (d *direct) takePair(c *dcont, k, v *dval) bool {
	if k.kind != dvStr {
		return false
	}
	f, ok := c.plan.fieldFor(k.str(), c.n)
	return ok && d.storeField(c, f, k, v)
}

// storeField stores v into field f of c, the field the key k names.
func (d *direct) storeField(c *dcont, f int, k, v *dval) bool {
	p := c.plan
	dst := unsafe.Add(c.ptr, p.offsets[f])
	if v.kind == dvScalarList {
		if !d.storeScalarList(p.fplans[f], dst, c, d.scratch[:v.n]) {
			return false
		}
	} else if !d.store(v, p.fplans[f], dst, c, false) {
		return false
	}
	// Hash work is charged as setItems charges it; setItems checks the
	// total at SETITEMS.
	d.hashWork += k.n + 1
	c.n = f + 1
	c.taken += 2
	d.taken += 2
	return true
}

// fillStruct takes the pairs that follow into c, for as long as they are
// str keys naming a field, with values valueAt reads; false means give up.
func (d *direct) fillStruct(c *dcont) bool {
	src := d.src
	buf := src.buf[:src.limit]
	pos := src.pos
	p := c.plan
	for pos < len(buf) {
		d.npend = 0
		k, f, at, ok := d.knownKey(buf, pos, p)
		if !ok {
			if k, at, ok = d.scalarAt(buf, pos); !ok || k.kind != dvStr {
				break
			}
			if f, ok = p.fieldFor(k.str(), c.n); !ok {
				break
			}
			d.learnKey(buf, pos, p, &k, f)
		}
		at = d.memoAfter(buf, at, pendKey)
		v, at, ok := d.valueAt(buf, at, p.fplans[f])
		if !ok || !d.stackRoom(&v) || !d.storeField(c, f, &k, &v) {
			break
		}
		pos = at
		for i := range d.npend {
			if !d.apply(d.pend[i], &k, &v) {
				return false
			}
		}
	}
	d.npend = 0 // what the pair left unread is the opcode loop's
	src.pos = pos
	return true
}

// stackRoom reports whether the general path's stack stays within MaxStack
// while it pushes the key and the value v.
func (d *direct) stackRoom(v *dval) bool {
	high := len(d.stack) + d.taken + 1 // the key, then the value
	switch v.kind {
	case dvTuple:
		high += max(int(v.n)-1, 0) // its items
	case dvScalarList:
		high += int(v.n) // the list, then its items
	}
	return high < d.cfg.maxStack
}

// pendingMemo is a memo store read but not yet done: fillStruct does them
// once the pair they belong to is taken. It names what it stores rather
// than holding a copy, which would cost a write barrier while the
// collector runs.
type pendingMemo struct {
	op   memoOp
	what int // an item of d.scratch, or one of the pend constants
}

const (
	pendKey   = -1 - iota // the pair's key
	pendValue             // the pair's value
	pendList              // a list (only its kind is ever read)
	pendTuple             // a tuple (the same)
)

// memoAfter notes the memo store at buf[pos], if any, of what, and returns
// the position after it; -1 when there are more than d.pend holds.
func (d *direct) memoAfter(buf []byte, pos int, what int) int {
	op, at := memoOpAt(buf, pos)
	if op.kind != 0 {
		if d.npend == len(d.pend) {
			return -1
		}
		d.pend[d.npend] = pendingMemo{op, what}
		d.npend++
	}
	return at
}

// pendingSlot reports whether a memo store memoAfter noted, not yet done,
// may write slot i: a fetch of it must see that store, so it is left to
// the opcode loop. A MEMOIZE writes at memoN or past it.
func (d *direct) pendingSlot(i uint64) bool {
	for _, pm := range d.pend[:d.npend] {
		if pm.op.kind == memoOpPut && pm.op.i == i || pm.op.kind == memoOpMemoize && i >= uint64(d.memoN) {
			return true
		}
	}
	return false
}

// apply does the memo store pm, of the pair k, v.
func (d *direct) apply(pm pendingMemo, k, v *dval) bool {
	var x *dval
	switch pm.what {
	case pendKey:
		x = k
	case pendValue:
		x = v
	case pendList:
		x = &dval{kind: dvCont}
	case pendTuple:
		x = &dval{kind: dvTuple, h: 1}
	default:
		x = &d.scratch[pm.what]
	}
	if pm.op.kind == memoOpPut {
		return d.memoSet(pm.op.i, x)
	}
	return d.memoSet(uint64(d.memoN), x)
}

// scratchItems bounds the items of a tuple or list valueAt reads: longer
// ones are left to the opcode loop.
const scratchItems = 16

// dvScalarList marks a value valueAt read as a list of scalars, whose items
// are in d.scratch; it never leaves fillStruct.
const dvScalarList = dvCont + 1

// valueAt reads a dict value at buf[pos] for a field of plan fp: a scalar,
// a tuple of up to three scalars, or a short list of scalars (EMPTY_LIST,
// then MARK items APPENDS, or one item and APPEND, or none), each with the
// memo stores after it noted. A list is read only when a key or SETITEMS
// follows it, so that nothing else can append to it. Into a field of a
// scalar type, only a scalar is read.
func (d *direct) valueAt(buf []byte, pos int, fp *directPlan) (dval, int, bool) {
	if pos < 0 || pos >= len(buf) {
		return dval{}, 0, false
	}
	if fp.scalar {
		v, at, ok := d.scalarAt(buf, pos)
		return v, d.memoAfter(buf, at, pendValue), ok
	}
	if fp.kind == dkStruct && !fp.fields.tuple || fp.kind == dkMap {
		return dval{}, 0, false // a dict, for the opcode loop
	}
	switch buf[pos] {
	case opEmptyList:
		if fp.kind != dkSlice || !scalarElems(fp.elem) {
			return dval{}, 0, false // a list the opcode loop fills
		}
		return d.scalarListAt(buf, pos+1)
	case opEmptyTuple:
		return d.tupleAt(buf, pos, 0)
	}
	first, pos, ok := d.scalarAt(buf, pos)
	if !ok {
		return dval{}, 0, false
	}
	if pos = d.memoAfter(buf, pos, pendValue); pos < 0 {
		return dval{}, 0, false
	}
	// A tuple's items come before TUPLE1 to TUPLE3; a scalar followed by
	// anything else is the value alone. The items after the first are
	// stepped over, not decoded, until the TUPLE is seen.
	n, at := 1, pos
	for ; n < 3; n++ {
		next, ok := skipScalar(buf, at)
		if !ok {
			break
		}
		_, at = memoOpAt(buf, next)
	}
	if at >= len(buf) || buf[at] != opTuple1+byte(n-1) {
		return first, pos, true
	}
	if fp.kind != dkArray && fp.kind != dkSlice && fp.kind != dkStruct {
		return dval{}, 0, false
	}
	d.scratch[0] = first
	for i := range d.npend {
		if d.pend[i].what == pendValue {
			d.pend[i].what = 0 // the first item, not the tuple
		}
	}
	for i := 1; i < n; i++ {
		v, next, ok := d.scalarAt(buf, pos)
		if !ok {
			return dval{}, 0, false
		}
		if pos = d.memoAfter(buf, next, i); pos < 0 {
			return dval{}, 0, false
		}
		d.scratch[i] = v
	}
	return d.tupleAt(buf, pos, n)
}

// skipScalar returns the position after the scalar-pushing opcode at
// buf[pos], as scalarAt reads it, without reading its value.
func skipScalar(buf []byte, pos int) (int, bool) {
	if pos >= len(buf) {
		return 0, false
	}
	var n int
	switch buf[pos] {
	case opNone, opNewTrue, opNewFalse:
		n = 1
	case opBinGet, opBinInt1:
		n = 2
	case opBinInt2:
		n = 3
	case opLongBinGet, opBinInt:
		n = 5
	case opBinFloat:
		n = 9
	case opShortBinUnicode, opLong1:
		if pos+1 < len(buf) {
			n = 2 + int(buf[pos+1])
		}
	}
	return pos + n, n > 0 && pos+n <= len(buf)
}

// tupleAt reads the opcode at buf[pos] that makes a tuple of the n items
// in d.scratch.
func (d *direct) tupleAt(buf []byte, pos, n int) (dval, int, bool) {
	v := dval{kind: dvTuple, h: 1, n: int64(n)}
	if n > 0 {
		v.ref = unsafe.Pointer(&d.scratch[0])
	}
	// The memo's copy of a tuple is only ever read for its kind.
	pos = d.memoAfter(buf, pos+1, pendTuple)
	return v, pos, pos >= 0
}

// scalarListAt reads a list of scalars after its EMPTY_LIST.
func (d *direct) scalarListAt(buf []byte, pos int) (dval, int, bool) {
	// The memo's copy of a list is only ever read for its kind.
	if pos = d.memoAfter(buf, pos, pendList); pos < 0 {
		return dval{}, 0, false
	}
	n := 0
	if pos < len(buf) && buf[pos] == opMark {
		if len(d.marks) >= d.cfg.maxDepth {
			return dval{}, 0, false
		}
		pos++
		for pos < len(buf) && buf[pos] != opAppends {
			v, at, ok := d.scalarAt(buf, pos)
			if !ok || n == scratchItems {
				return dval{}, 0, false
			}
			if pos = d.memoAfter(buf, at, n); pos < 0 {
				return dval{}, 0, false
			}
			d.scratch[n] = v
			n++
		}
		pos++ // APPENDS
	} else if v, at, ok := d.scalarAt(buf, pos); ok {
		// One item and APPEND, or an empty list and the next key.
		pending := d.npend
		at = d.memoAfter(buf, at, 0)
		if at >= 0 && at < len(buf) && buf[at] == opAppend {
			d.scratch[0] = v
			n, pos = 1, at+1
		} else {
			d.npend = pending
		}
	}
	if pos >= len(buf) || !isKeyOp(buf[pos]) && buf[pos] != opSetItems {
		return dval{}, 0, false // more items may follow
	}
	return dval{kind: dvScalarList, n: int64(n)}, pos, true
}

// isKeyOp reports whether the opcode may push a str key.
func isKeyOp(code byte) bool {
	switch code {
	case opBinGet, opLongBinGet, opShortBinUnicode, opBinUnicode:
		return true
	}
	return false
}

// storeScalarList stores the items of a list valueAt read into dst, a
// slice of float64s, int64s or strings, as appendItems would.
func (d *direct) storeScalarList(p *directPlan, dst unsafe.Pointer, parent *dcont, items []dval) bool {
	if p.kind != dkSlice || !scalarElems(p.elem) {
		return false
	}
	if len(items) == 0 {
		*(*[]byte)(dst) = []byte{} // an empty list is an empty slice, not nil
		return d.grow(parent, 1)
	}
	var hdr sliceHeader
	d.carve(p, &hdr, len(items))
	if hdr.cap == 0 {
		hdr.data, hdr.cap = reflect.MakeSlice(p.t, len(items), len(items)).UnsafePointer(), len(items)
	}
	if !storeScalars(p.elem, hdr.data, items) {
		return false
	}
	hdr.len = len(items)
	*(*sliceHeader)(dst) = hdr
	return d.grow(parent, 1)
}
