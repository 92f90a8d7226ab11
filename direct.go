package pickle

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"sync"
	"unsafe"

	"github.com/pickle-go/pickle/internal/alloc"
)

// This file decodes a pickle straight into Go values of a static type,
// without building the value model first: the fast path of Unmarshal.
//
// It handles the shapes that data pickles are made of (lists, dicts, tuples
// and scalars, with memo references to numbers and strs) and leaves
// everything else to the general path (decode into the model, then
// convert, unmarshal.go), which also reports every error: whenever the
// direct decoder meets anything it does not handle, or anything wrong, it
// gives up and Unmarshal starts over on the general path. Its results are
// therefore the general path's by construction where it gives up, and by
// test where it does not (TestDirectMatchesGeneral, FuzzDirect).
//
// A list or dict is filled in place as it is decoded: when its EMPTY_LIST
// or EMPTY_DICT runs, the decoder works out from the stack which Go value
// it will become part of (an item of the list below the topmost mark, a
// value of a dict's field, ...), and builds a value of that type. The guess
// is checked when the container is stored: a container is stored only
// where a value of exactly its type is wanted. Tuples are immutable and
// built from the bottom up, so they are kept as their items until stored.

// errGiveUp says the direct decoder leaves this pickle to the general path.
// As a *directGiveUp, it says where.
var errGiveUp = errors.New("pickle: direct decoding gives up")

// directGiveUp is where the direct decoder gave up, for tests.
type directGiveUp struct {
	offset int64
	op     string
}

func (g *directGiveUp) Error() string {
	return fmt.Sprintf("pickle: direct decoding gives up at %s at offset %d", g.op, g.offset)
}

func (g *directGiveUp) Is(target error) bool { return target == errGiveUp }

// dvKind is the kind of a value on the direct decoder's stack.
type dvKind uint8

const (
	dvEmpty dvKind = iota // an unset memo slot
	dvNone
	dvBool
	dvInt
	dvBig
	dvFloat
	dvStr
	dvBytes     // ref views the input; copied when stored
	dvByteArray // as dvBytes, but not hashable
	dvTuple     // ref points at n items
	dvCont      // ref is a *dcont
)

// dval is a value on the direct decoder's stack or in its memo.
type dval struct {
	kind dvKind
	h    int32          // nesting height of tuples and containers
	n    int64          // bool, int, float bits, tuple and string length
	ref  unsafe.Pointer // string and bytes data, *big.Int, tuple items, *dcont
}

// One pointer word keeps the stack cheap to write while the collector runs.

func strVal(kind dvKind, b []byte) dval {
	return dval{kind: kind, n: int64(len(b)), ref: unsafe.Pointer(unsafe.SliceData(b))}
}

// str returns the text of a str, or the bytes of bytes.
func (v *dval) str() string { return unsafe.String((*byte)(v.ref), int(v.n)) }

func (v *dval) cont() *dcont     { return (*dcont)(v.ref) }
func (v *dval) bigInt() *big.Int { return (*big.Int)(v.ref) }
func (v *dval) float() float64   { return math.Float64frombits(uint64(v.n)) }
func (v *dval) items() []dval {
	if v.n == 0 {
		return nil
	}
	return unsafe.Slice((*dval)(v.ref), v.n)
}

// dcont is a list or dict being filled into a Go value.
type dcont struct {
	plan *directPlan
	ptr  unsafe.Pointer // a new value of plan.t
	n    int            // items stored (arrays); the next field (structs)
	h    int32          // nesting height of what was stored
	// inPlace: ptr is the spare capacity of the list being filled that
	// this struct is an item of; see newContainer.
	inPlace bool
	// taken: the items of the batch above the topmost mark stored
	// already (direct_struct.go); only SETITEMS may pop that mark.
	taken int
	ext   *dext // maps, and long lists
	// start is where the list began in the input, and estimated says its
	// length was estimated once already (direct_estimate.go).
	start     int64
	estimated bool
	// dirty: the spare capacity of this list from dirty on is zero, as
	// it was allocated; below it, structs were built in place. reflect's
	// Grow keeps the old spare capacity and zeroes past it.
	dirty int
	// hdr holds a list's slice while it is filled (ptr points here): it is
	// copied where it is stored, so it needs no allocation of its own.
	hdr sliceHeader
}

// boxed returns where the value is, moved out of the dcont (a list's
// slice header, which the dcont holds) when something will keep a pointer
// to it.
func (c *dcont) boxed() unsafe.Pointer {
	if c.ptr != unsafe.Pointer(&c.hdr) {
		return c.ptr
	}
	nv := reflect.New(c.plan.t).UnsafePointer()
	*(*sliceHeader)(nv) = c.hdr
	return nv
}

// dext is what few containers need: for a map, the map and a key and a
// value to store items through; for a long list, the chunks filled before
// the current one (makeRoom).
type dext struct {
	m, k, v reflect.Value
	full    []sliceHeader
	fullLen int
}

// contChunks hands out dconts from chunks; the first chunk is kept, cleared,
// for the next pickle, so that a small pickle allocates none. A dcont
// stored into its place is handed out again (release): a list of 200k
// records would otherwise leave 400k dconts, 30 MB, to the collector.
type contChunks struct {
	chunks [][]dcont
	used   int // of the last chunk
	free   []*dcont
}

const contChunkLen = 64

func (cc *contChunks) next() *dcont {
	if n := len(cc.free); n > 0 {
		c := cc.free[n-1]
		cc.free = cc.free[:n-1]
		return c
	}
	if len(cc.chunks) == 0 || cc.used == contChunkLen {
		cc.chunks = append(cc.chunks, make([]dcont, contChunkLen))
		cc.used = 0
	}
	cc.used++
	return &cc.chunks[len(cc.chunks)-1][cc.used-1]
}

// release takes back a dcont whose value was stored where it belongs.
// Only one place ever holds a dcont (a stack slot, or a tuple's item that
// was one): memo GETs of containers and DUP are left to the general path,
// and the memo's copy is only ever read for its kind.
func (cc *contChunks) release(c *dcont) {
	*c = dcont{}
	cc.free = append(cc.free, c)
}

// reset drops what the dconts point at, keeping the first chunk.
func (cc *contChunks) reset() {
	clear(cc.free)
	cc.free = cc.free[:0]
	if len(cc.chunks) == 0 {
		return
	}
	first := cc.chunks[0]
	clear(first)
	clear(cc.chunks)
	cc.chunks = append(cc.chunks[:0], first)
	cc.used = 0
}

// chunk hands out new values of one struct type.
type chunk struct {
	plan    *directPlan
	base    unsafe.Pointer
	used, n int
}

// carveChunk hands out the backing arrays of short lists of one type, or
// values of one scalar type for pointers to point at.
type carveChunk struct {
	plan    *directPlan
	base    unsafe.Pointer
	used, n int
}

// carveBytes bounds the short lists carve serves, and carveChunkBytes
// the chunks they come from.
const (
	carveBytes      = 256
	carveChunkBytes = 4 << 10
)

// carve gives an empty list room for exactly n items in a chunk shared by
// the short lists of its type, instead of an allocation each. Its capacity
// is its length, so appending to it later moves it out.
func (d *direct) carve(p *directPlan, hdr *sliceHeader, n int) {
	if uintptr(n)*p.elem.size > carveBytes {
		return
	}
	if at := takeFromChunk(&d.carves, p, p.t, p.elem.size, n); at != nil {
		hdr.data, hdr.len, hdr.cap = at, 0, n
	}
}

// newPointee returns a new zero value for a pointer to point at: for a
// scalar type, a slot of a chunk kept for the type, rather than an
// allocation each.
func (d *direct) newPointee(p *directPlan) unsafe.Pointer {
	switch p.kind {
	case dkInt, dkUint, dkFloat32, dkFloat64, dkBool, dkString:
		if p.slice == nil {
			break // not yet known: allocated as usual
		}
		if at := takeFromChunk(&d.pointees, p, p.slice, p.size, 1); at != nil {
			return at
		}
	}
	return reflect.New(p.t).UnsafePointer()
}

// takeFromChunk returns room for n zero elements of size bytes from the
// chunk kept for key among slots (two keys at a time), which are arrays of
// sliceType; nil when neither slot is key's or free, or n elements are
// none.
func takeFromChunk(slots *[2]carveChunk, key *directPlan, sliceType reflect.Type, size uintptr, n int) unsafe.Pointer {
	if n == 0 || size == 0 || uintptr(n)*size > carveChunkBytes {
		return nil
	}
	var cv *carveChunk
	for i := range slots {
		if slots[i].plan == key || slots[i].plan == nil {
			cv = &slots[i]
			break
		}
	}
	if cv == nil {
		return nil
	}
	if cv.plan == nil || cv.n-cv.used < n {
		cv.plan, cv.n, cv.used = key, int(carveChunkBytes/size), 0
		cv.base = reflect.MakeSlice(sliceType, cv.n, cv.n).UnsafePointer()
	}
	// Never a pointer past the chunk's end, which the collector refuses.
	at := unsafe.Add(cv.base, uintptr(cv.used)*size)
	cv.used += n
	return at
}

// sliceHeader is the layout of a slice.
type sliceHeader struct {
	data     unsafe.Pointer
	len, cap int
}

// direct is the direct decoder's state; directs are pooled.
type direct struct {
	src      *source
	cfg      *config
	stack    []dval
	marks    []int
	memo     alloc.Pages[memoEntry]
	memoN    int
	hashWork int64
	arg      argument
	strs     alloc.StringArena
	root     *directPlan
	tuples   alloc.Slab[dval]
	chunks   [2]chunk      // for the two struct types last built
	carves   [2]carveChunk // short lists' backing arrays
	pointees [2]carveChunk // what pointers to scalars point at
	conts    contChunks
	// fillStruct's memo stores to do, and the items of a value it reads
	// (direct_struct.go).
	pend    [scratchItems + 2]pendingMemo
	npend   int
	scratch [scratchItems]dval
	// taken counts the items fillStruct took that the general path would
	// still hold on its stack, for MaxStack.
	taken int
	// keys: the fields that memo fetches of strs named (direct_keys.go).
	keys     fetchedKeys
	keysUsed bool
}

var directs = sync.Pool{New: func() any { return new(direct) }}

// directTarget returns the plan for what v points to, if Unmarshal may try
// the direct decoder on it: a non-interface type with a plan, whose value is
// zero (the general path only sets what the pickle holds, and building a
// new value is the same only when the old one is zero).
func directTarget(v any) (*directPlan, unsafe.Pointer) {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return nil, nil
	}
	e := rv.Elem()
	if e.Kind() == reflect.Interface || !e.IsZero() {
		return nil, nil
	}
	p := planFor(e.Type())
	if p.kind == dkUnsupported {
		return nil, nil
	}
	return p, rv.UnsafePointer()
}

// decodeDirect decodes data into dst, of the plan's type. It returns the
// offset after STOP, or errGiveUp.
func decodeDirect(data []byte, cfg *config, root *directPlan, dst unsafe.Pointer) (int, error) {
	d := directs.Get().(*direct)
	d.src, d.cfg = newBytesSource(data), cfg
	d.stack, d.marks = d.stack[:0], d.marks[:0]
	d.memoN, d.hashWork, d.taken = 0, 0, 0
	pos, err := d.run(root, dst)
	clear(d.stack[:cap(d.stack)])
	d.memo.Reset(64)
	if cap(d.stack) > 1<<16 {
		d.stack = nil
	}
	d.arg = argument{}
	// Slabs and chunks point at what was decoded: drop them. The string
	// arena is kept, as the general decoder keeps its own: strings only
	// ever go after those already handed out.
	d.tuples, d.chunks, d.carves, d.pointees = alloc.Slab[dval]{}, [2]chunk{}, [2]carveChunk{}, [2]carveChunk{}
	d.conts.reset()
	d.forgetKeys()
	d.src, d.cfg, d.root = nil, nil, nil
	directs.Put(d)
	return pos, err
}

func (d *direct) run(root *directPlan, dst unsafe.Pointer) (int, error) {
	d.root = root
	src := d.src
	for {
		start := src.offset()
		var code byte
		if src.pos < src.limit {
			code = src.buf[src.pos]
			src.pos++
		} else {
			var err error
			if code, err = src.readByte(); err != nil {
				return 0, errGiveUp
			}
		}
		if ok, done := d.hot(code); done {
			if !ok {
				return 0, &directGiveUp{start, opcodes[code].name}
			}
			if at, ok := d.hotRun(); !ok {
				return 0, &directGiveUp{src.base + int64(at), opcodes[src.buf[at]].name}
			}
			continue
		}
		op := opcodes[code]
		if op == nil {
			return 0, errGiveUp
		}
		a := &d.arg
		switch {
		case op.arg == argNone:
		case op.arg == argUint1 && src.pos < src.limit:
			a.n = int64(src.buf[src.pos])
			src.pos++
		default:
			if src.readArg(op.arg, a) != nil {
				return 0, errGiveUp
			}
		}
		if code == opStop {
			if len(d.stack) != 1 || len(d.marks) != 0 || !d.store(&d.stack[0], root, dst, nil, false) {
				return 0, &directGiveUp{start, op.name}
			}
			if src.endPickle() != nil {
				return 0, &directGiveUp{start, op.name}
			}
			return src.pos, nil
		}
		if !d.exec(code, a) {
			return 0, &directGiveUp{start, op.name}
		}
	}
}

// hotRun runs hot opcodes for as long as they come. It returns, when it
// gives up, the offset of the opcode that did it.
func (d *direct) hotRun() (int, bool) {
	src := d.src
	for src.pos < src.limit {
		at := src.pos
		src.pos++
		ok, done := d.hot(src.buf[at])
		if !done {
			src.pos = at
			return 0, true
		}
		if !ok {
			return at, false
		}
	}
	return 0, true
}

// hot runs the commonest opcodes when their argument lies whole in the
// buffer, reading it in place; done false leaves the opcode to run's
// general way, ok false means give up. It reads the arguments itself, as
// readArgInPlace does for the general decoder (and not through scalarAt,
// which fillStruct reads a struct's values with: that call costs ints 8.6%,
// p=0.002, six interleaved runs): going through
// readArgInPlace and exec instead costs 10 to 20% of typed decoding
// (go test -bench PayloadDecodeTyped: records 214 -> 192 MB/s, ints 221 ->
// 194).
func (d *direct) hot(code byte) (ok, done bool) {
	src := d.src
	buf, pos := src.buf[:src.limit], src.pos
	switch code {
	case opBinInt1:
		if pos < len(buf) {
			src.pos++
			return d.push(dval{kind: dvInt, n: int64(buf[pos])}), true
		}
	case opBinInt2:
		if pos+2 <= len(buf) {
			src.pos += 2
			return d.push(dval{kind: dvInt, n: int64(binary.LittleEndian.Uint16(buf[pos:]))}), true
		}
	case opBinInt:
		if pos+4 <= len(buf) {
			src.pos += 4
			return d.push(dval{kind: dvInt, n: int64(int32(binary.LittleEndian.Uint32(buf[pos:])))}), true
		}
	case opBinFloat:
		if pos+8 <= len(buf) {
			src.pos += 8
			return d.push(dval{kind: dvFloat, n: int64(binary.BigEndian.Uint64(buf[pos:]))}), true
		}
	case opLong1:
		if v, end, ok := long1At(buf, pos); ok {
			src.pos = end
			return d.push(v), true
		}
	case opShortBinUnicode:
		if pos < len(buf) {
			end := pos + 1 + int(buf[pos])
			if end <= len(buf) {
				if str, ok := arenaStr(&d.strs, buf, pos+1, end); ok {
					src.pos = end
					return d.push(dval{kind: dvStr, n: int64(len(str)), ref: unsafe.Pointer(unsafe.StringData(str))}), true
				}
			}
		}
	case opBinGet:
		if pos < len(buf) {
			src.pos++
			return d.memoGet(uint64(buf[pos])), true
		}
	case opBinPut:
		if pos < len(buf) {
			src.pos++
			return d.memoPut(uint64(buf[pos])), true
		}
	case opMemoize:
		return d.memoPut(uint64(d.memoN)), true
	case opMark:
		return d.exec(code, nil) && d.enterBatch(), true
	case opSetItems, opAppends, opTuple2, opTuple3:
		return d.exec(code, nil) && d.resumeStruct(), true
	case opEmptyDict, opEmptyList, opNone, opNewTrue, opNewFalse:
		return d.exec(code, nil), true
	}
	return false, false
}

// exec runs one opcode; false means give up.
func (d *direct) exec(code byte, a *argument) bool {
	switch code {
	case opProto:
		return a.n <= HighestProtocol
	case opFrame:
		return d.src.startFrame(uint64(a.n)) == nil
	case opMark:
		if len(d.marks) >= d.cfg.maxDepth {
			return false
		}
		if f := d.fence(); f > 0 && f == len(d.stack) && d.stack[f-1].kind == dvCont && d.stack[f-1].cont().taken > 0 {
			// The general path's stack top is a value fillStruct took,
			// not the dict this mark would seem to be above.
			return false
		}
		d.marks = append(d.marks, len(d.stack))
		return true
	case opPop:
		if len(d.stack) == 0 || len(d.stack) <= d.fence() {
			return false
		}
		d.stack = d.stack[:len(d.stack)-1]
		return true
	case opPopMark:
		_, ok := d.popMark()
		return ok

	case opNone:
		return d.push(dval{kind: dvNone})
	case opNewTrue:
		return d.push(dval{kind: dvBool, n: 1})
	case opNewFalse:
		return d.push(dval{kind: dvBool})
	case opBinInt, opBinInt1, opBinInt2:
		return d.push(dval{kind: dvInt, n: a.n})
	case opLong1, opLong4:
		if a.bi != nil {
			return d.push(dval{kind: dvBig, ref: unsafe.Pointer(a.bi)})
		}
		return d.push(dval{kind: dvInt, n: a.n})
	case opInt:
		n, bi, isBool, err := parseCInt(a.b, d.cfg.maxIntDigits)
		switch {
		case err != nil, bytes.IndexByte(a.b, 0) >= 0: // (the machine refuses a NUL)
			return false
		case isBool:
			return d.push(dval{kind: dvBool, n: n})
		case bi != nil:
			return d.push(dval{kind: dvBig, ref: unsafe.Pointer(bi)})
		}
		return d.push(dval{kind: dvInt, n: n})
	case opLong:
		text := a.b
		if text[len(text)-1] == 'L' {
			text = text[:len(text)-1]
		}
		n, bi, err := parseTextInt(text, 0, d.cfg.maxIntDigits)
		switch {
		case err != nil:
			return false
		case bi != nil:
			return d.push(dval{kind: dvBig, ref: unsafe.Pointer(bi)})
		}
		return d.push(dval{kind: dvInt, n: n})
	case opBinFloat:
		return d.push(dval{kind: dvFloat, n: int64(math.Float64bits(a.f))})
	case opFloat:
		f, err := parseTextFloat(a.b)
		if err != nil {
			return false
		}
		return d.push(dval{kind: dvFloat, n: int64(math.Float64bits(f))})
	case opUnicode, opBinUnicode, opShortBinUnicode, opBinUnicode8:
		str := d.strs.String(a.b)
		return d.push(dval{kind: dvStr, n: int64(len(str)), ref: unsafe.Pointer(unsafe.StringData(str))})
	case opBinBytes, opShortBinBytes, opBinBytes8:
		return d.push(strVal(dvBytes, a.b))
	case opByteArray8:
		return d.push(strVal(dvByteArray, a.b))

	case opPut:
		i, err := parseMemoIndex(a.b)
		return err == nil && d.memoPut(i)
	case opBinPut, opLongBinPut:
		return d.memoPut(uint64(a.n))
	case opMemoize:
		return d.memoPut(uint64(d.memoN))
	case opGet:
		i, err := parseMemoIndex(a.b)
		return err == nil && d.memoGet(i)
	case opBinGet, opLongBinGet:
		return d.memoGet(uint64(a.n))

	case opEmptyTuple:
		return d.push(dval{kind: dvTuple})
	case opTuple1, opTuple2, opTuple3:
		n := int(code-opTuple1) + 1
		if len(d.stack)-d.fence() < n {
			return false
		}
		items := d.stack[len(d.stack)-n:]
		d.stack = d.stack[:len(d.stack)-n]
		return d.pushTuple(items)
	case opTuple:
		items, ok := d.popMark()
		return ok && d.pushTuple(items)

	case opEmptyList:
		c := d.newContainer(false)
		return c != nil && d.pushContainer(c)
	case opList:
		items, ok := d.popMark()
		if !ok {
			return false
		}
		c := d.newContainer(false)
		return c != nil && d.appendItems(c, items) && d.pushContainer(c)
	case opAppend:
		if len(d.stack)-d.fence() < 2 {
			return false
		}
		item := d.stack[len(d.stack)-1 : len(d.stack)]
		target := &d.stack[len(d.stack)-2]
		if target.kind != dvCont || !d.appendItems(target.cont(), item) {
			return false
		}
		d.stack = d.stack[:len(d.stack)-1]
		return true
	case opAppends:
		f := d.fence()
		if len(d.marks) == 0 || f == 0 || d.stack[f-1].kind != dvCont || d.markOnMark() {
			return false
		}
		items, _ := d.popMark()
		return d.appendItems(d.stack[f-1].cont(), items)

	case opEmptyDict:
		c := d.newContainer(true)
		return c != nil && d.pushContainer(c)
	case opDict:
		items, ok := d.popMark()
		if !ok {
			return false
		}
		c := d.newContainer(true)
		return c != nil && d.setItems(c, items) && d.pushContainer(c)
	case opSetItem:
		if len(d.stack)-d.fence() < 3 {
			return false
		}
		kv := d.stack[len(d.stack)-2:]
		target := &d.stack[len(d.stack)-3]
		if target.kind != dvCont || !d.setItems(target.cont(), kv) {
			return false
		}
		d.stack = d.stack[:len(d.stack)-2]
		return true
	case opSetItems:
		f := d.fence()
		if len(d.marks) == 0 || f == 0 || d.stack[f-1].kind != dvCont || d.markOnMark() {
			return false
		}
		c := d.stack[f-1].cont()
		d.taken -= c.taken
		c.taken = 0
		items, _ := d.popMark()
		return d.setItems(c, items)
	}
	// Python 2 str, sets, globals, calls, BUILD, persistent ids, buffers,
	// DUP, extension codes: the general path's.
	return false
}

func (d *direct) fence() int {
	if len(d.marks) == 0 {
		return 0
	}
	return d.marks[len(d.marks)-1]
}

// markOnMark reports whether the topmost mark sits on another at the
// same height: the container below both is then out of reach of APPENDS
// and SETITEMS, which CPython refuses ("unexpected MARK found").
func (d *direct) markOnMark() bool {
	n := len(d.marks)
	return n >= 2 && d.marks[n-2] == d.marks[n-1]
}

func (d *direct) push(v dval) bool {
	if len(d.stack)+d.taken >= d.cfg.maxStack {
		return false
	}
	d.stack = append(d.stack, v)
	return true
}

// popMark pops the topmost mark and returns the items above it, which stay
// valid until the next push. It refuses a mark whose batch was partly
// stored already (dcont.taken).
func (d *direct) popMark() ([]dval, bool) {
	if len(d.marks) == 0 {
		return nil, false
	}
	f := d.marks[len(d.marks)-1]
	if f > 0 && d.stack[f-1].kind == dvCont && d.stack[f-1].cont().taken > 0 {
		return nil, false
	}
	d.marks = d.marks[:len(d.marks)-1]
	items := d.stack[f:]
	d.stack = d.stack[:f]
	return items, true
}

func (d *direct) memoPut(i uint64) bool {
	if len(d.stack) == 0 || len(d.stack) <= d.fence() {
		return false // an empty stack: the general path's
	}
	return d.memoSet(i, &d.stack[len(d.stack)-1])
}

// slot returns the plan of the value that what is pushed next most likely
// becomes: an item of the list below the topmost mark, a key or a value of
// the dict there or, without a mark, of the container on top (protocols 0
// and 1 add items one at a time); at the start, the root. nil means
// unknown.
//
// batch is the container below the topmost mark and pos the number of
// items above that mark, when there is one.
func (d *direct) slot() (p *directPlan, batch *dcont, pos int) {
	var parent *dcont
	var key *dval
	n := len(d.stack)
	switch {
	case len(d.marks) > 0:
		f := d.marks[len(d.marks)-1]
		if f == 0 || d.stack[f-1].kind != dvCont {
			return nil, nil, 0
		}
		parent, pos = d.stack[f-1].cont(), n-f
		batch = parent
		if pos%2 == 1 {
			key = &d.stack[n-1]
		}
	case n == 0:
		return d.root, nil, 0
	case d.stack[n-1].kind == dvCont:
		parent = d.stack[n-1].cont()
	case n >= 2 && d.stack[n-2].kind == dvCont:
		parent, pos, key = d.stack[n-2].cont(), 1, &d.stack[n-1]
	default:
		return nil, nil, 0
	}
	pp := parent.plan
	switch pp.kind {
	case dkSlice, dkArray:
		return pp.elem, batch, pos
	case dkMap:
		if pos%2 == 0 {
			return pp.key, batch, pos
		}
		return pp.elem, batch, pos
	case dkStruct:
		if pos%2 == 0 || key.kind != dvStr {
			return nil, nil, 0
		}
		if i, ok := pp.fieldFor(key.str(), parent.n); ok {
			return pp.fplans[i], batch, pos
		}
	}
	return nil, nil, 0
}

// newContainer returns a new list (dict false) or dict of the type its
// slot wants, or nil.
func (d *direct) newContainer(dict bool) *dcont {
	p, batch, pos := d.slot()
	slotPlan := p
	for p != nil && p.kind == dkPointer {
		p = p.elem
	}
	if p == nil || (dict && !p.isDict()) || (!dict && !p.isList()) {
		return nil
	}
	c := d.conts.next()
	c.plan = p
	c.start = d.src.offset()
	if p.kind == dkStruct && slotPlan == p && batch != nil && batch.plan.kind == dkSlice {
		// An item of a batch of a list of structs: built where APPENDS
		// will put it, if the list has room there. It may be stored
		// nowhere else (see store).
		hdr := (*sliceHeader)(batch.ptr)
		if at := hdr.len + pos; at < hdr.cap {
			c.ptr = unsafe.Add(hdr.data, uintptr(at)*p.size)
			if at < batch.dirty {
				// A struct given up on (POP) was built here.
				reflect.NewAt(p.t, c.ptr).Elem().SetZero()
			} else {
				batch.dirty = at + 1
			}
			c.inPlace = true
			c.h = 1
			return c
		}
	}
	if p.kind == dkSlice {
		c.ptr = unsafe.Pointer(&c.hdr)
		*(*[]byte)(c.ptr) = []byte{} // an empty list is an empty slice, not nil
	} else {
		c.ptr = d.newValue(p)
	}
	if p.kind == dkMap {
		if containsFloat(p.key) {
			return nil // map keys that may differ only in a zero's sign
		}
		m := reflect.NewAt(p.t, c.ptr).Elem()
		m.Set(reflect.MakeMap(p.t))
		c.ext = &dext{m: m, k: reflect.New(p.key.t).Elem(), v: reflect.New(p.elem.t).Elem()}
	}
	c.h = 1
	return c
}

// newValue returns a new zero value of the plan's type. Small structs come
// from chunks, as the slab does for the model; most are copied into the
// slice or map they become part of.
func (d *direct) newValue(p *directPlan) unsafe.Pointer {
	const chunkBytes = 8 << 10
	if p.kind != dkStruct || p.size == 0 || p.size > chunkBytes/16 {
		return reflect.New(p.t).UnsafePointer()
	}
	ch := &d.chunks[0]
	if ch.plan != p {
		ch = &d.chunks[1]
		if ch.plan != p {
			d.chunks[0], d.chunks[1] = d.chunks[1], chunk{plan: p}
			ch = &d.chunks[1]
		}
	}
	if ch.used == ch.n {
		ch.n = chunkBytes / int(p.size)
		ch.base = reflect.MakeSlice(reflect.SliceOf(p.t), ch.n, ch.n).UnsafePointer()
		ch.used = 0
	}
	// Never a pointer past the chunk's end, which the collector refuses.
	v := unsafe.Add(ch.base, uintptr(ch.used)*p.size)
	ch.used++
	return v
}

func (d *direct) pushContainer(c *dcont) bool {
	return d.push(dval{kind: dvCont, ref: unsafe.Pointer(c)})
}

// pushTuple pushes a tuple of the items, which it copies.
func (d *direct) pushTuple(items []dval) bool {
	v := dval{kind: dvTuple, h: 1, n: int64(len(items))}
	if len(items) > 0 {
		own := d.tuples.Take(len(items))
		copy(own, items)
		v.ref = unsafe.Pointer(&own[0])
		for i := range own {
			v.h = max(v.h, own[i].h+1)
		}
		if int(v.h) > d.cfg.maxDepth/2 {
			return false
		}
	}
	return d.push(v)
}

// appendItems appends items to a list being filled.
func (d *direct) appendItems(c *dcont, items []dval) bool {
	p := c.plan
	switch p.kind {
	case dkSlice:
		hdr := (*sliceHeader)(c.ptr)
		if hdr.cap == 0 && len(items) < batchSize {
			d.carve(p, hdr, len(items)) // a short list, in one batch
		}
		if scalarElems(p.elem) {
			if hdr.cap-hdr.len < len(items) {
				c.makeRoom(len(items), d.src)
			}
			if hdr.cap-hdr.len >= len(items) && storeScalars(p.elem, unsafe.Add(hdr.data, uintptr(hdr.len)*p.elem.size), items) {
				hdr.len += len(items)
				return true
			}
		}
		size := p.elem.size
		for i := range items {
			if hdr.len == hdr.cap {
				c.makeRoom(len(items)-i, d.src)
			}
			if !d.store(&items[i], p.elem, unsafe.Add(hdr.data, uintptr(hdr.len)*size), c, false) {
				return false
			}
			hdr.len++
		}
		return true
	case dkArray:
		if c.n+len(items) > p.n {
			return false
		}
		for i := range items {
			if !d.store(&items[i], p.elem, unsafe.Add(c.ptr, uintptr(c.n)*p.elem.size), c, false) {
				return false
			}
			c.n++
		}
		return true
	}
	return false
}

// scalarElems reports whether storeScalars may store elements of this plan.
func scalarElems(elem *directPlan) bool {
	return elem.kind == dkFloat64 || elem.kind == dkInt && elem.size == 8 || elem.kind == dkString
}

// storeScalars stores items into dst, a slice's spare room for them, when
// the slice holds float64s, int64s or strings and every item is one (a
// float64 of a float, an int64 of an int, a string of a str), without
// store's dispatch per item; false when it did not store them all.
func storeScalars(elem *directPlan, dst unsafe.Pointer, items []dval) bool {
	switch {
	case elem.kind == dkFloat64:
		out := unsafe.Slice((*float64)(dst), len(items))
		for i := range items {
			if items[i].kind != dvFloat {
				return false
			}
			out[i] = items[i].float()
		}
	case elem.kind == dkInt && elem.size == 8:
		out := unsafe.Slice((*int64)(dst), len(items))
		for i := range items {
			if items[i].kind != dvInt {
				return false
			}
			out[i] = items[i].n
		}
	case elem.kind == dkString:
		out := unsafe.Slice((*string)(dst), len(items))
		for i := range items {
			if items[i].kind != dvStr {
				return false
			}
			out[i] = items[i].str()
		}
	default:
		return false
	}
	return true
}

// A long list is filled in chunks of about chunkBytes each, joined into one
// slice of exactly its length when it is stored: growing one slice instead
// would allocate several times its size (append grows large slices by a
// quarter at a time) and copy it each time. A variable, not a constant, so
// that TestDirectListChunkBoundaries can make chunks a few items long and
// cross their boundaries on small inputs, quick enough for the race
// detector's (checkptr's) short run.
var sliceChunkBytes uintptr = 1 << 20

// makeRoom makes room in a full slice being filled for at least one of the
// n items to come, read from src.
func (c *dcont) makeRoom(n int, src *source) {
	p := c.plan
	hdr := (*sliceHeader)(c.ptr)
	if uintptr(hdr.cap)*p.elem.size < sliceChunkBytes {
		reflect.NewAt(p.t, c.ptr).Elem().Grow(n)
		return
	}
	if c.ext == nil && !c.estimated && c.growToEstimate(n, src) {
		return
	}
	if c.ext == nil {
		c.ext = &dext{}
	}
	c.ext.full = append(c.ext.full, *hdr)
	c.ext.fullLen += hdr.len
	reflect.NewAt(p.t, c.ptr).Elem().Set(reflect.MakeSlice(p.t, 0, hdr.cap))
	c.dirty = 0
}

// slice returns the list filled: its one chunk, or its chunks joined.
func (c *dcont) slice() unsafe.Pointer {
	if c.ext == nil || len(c.ext.full) == 0 {
		if c.estimated {
			c.trimEstimate()
		}
		return c.ptr
	}
	p, x := c.plan, c.ext
	last := *(*sliceHeader)(c.ptr)
	joined := reflect.MakeSlice(p.t, x.fullLen+last.len, x.fullLen+last.len)
	at := 0
	for _, chunk := range append(x.full, last) {
		reflect.Copy(joined.Slice(at, at+chunk.len), reflect.NewAt(p.t, unsafe.Pointer(&chunk)).Elem())
		at += chunk.len
	}
	x.full, x.fullLen = nil, 0
	reflect.NewAt(p.t, c.ptr).Elem().Set(joined)
	return c.ptr
}

// setItems sets key, value pairs in a dict being filled.
func (d *direct) setItems(c *dcont, kv []dval) bool {
	p := c.plan
	if len(kv)%2 != 0 || !p.isDict() {
		return false
	}
	// Hash work is charged as the general path charges it.
	for i := 0; i < len(kv); i += 2 {
		cost, ok := directKeyCost(&kv[i])
		if !ok {
			return false // an unhashable key: the general path's error
		}
		d.hashWork += int64(cost)
	}
	if d.hashWork > hashWorkPerByte*d.src.offset()+hashWorkBase {
		return false
	}
	if p.kind == dkStruct {
		for i := 0; i < len(kv); i += 2 {
			k, v := &kv[i], &kv[i+1]
			if k.kind != dvStr {
				return false
			}
			f, ok := p.fieldFor(k.str(), c.n)
			if !ok {
				if d.cfg.disallowUnknownFields || v.kind == dvCont {
					return false
				}
				continue
			}
			c.n = f + 1
			if !d.store(v, p.fplans[f], unsafe.Add(c.ptr, p.offsets[f]), c, false) {
				return false
			}
		}
		return true
	}
	if !c.estimated {
		c.presizeMap(len(kv)/2, d.src)
	}
	if done, ok := setNativeMap(p.t, c.ptr, kv); done {
		return ok
	}
	m := c.ext
	kp, vp := unsafe.Pointer(m.k.UnsafeAddr()), unsafe.Pointer(m.v.UnsafeAddr())
	for i := 0; i < len(kv); i += 2 {
		if !d.store(&kv[i], p.key, kp, c, true) || !d.store(&kv[i+1], p.elem, vp, c, false) {
			return false
		}
		m.m.SetMapIndex(m.k, m.v)
	}
	return true
}

// Map types setNativeMap fills as what they are.
var (
	mapInt64Float64 = reflect.TypeFor[map[int64]float64]()
	mapInt64Int64   = reflect.TypeFor[map[int64]int64]()
	mapInt64String  = reflect.TypeFor[map[int64]string]()
	mapStringString = reflect.TypeFor[map[string]string]()
	mapStringInt64  = reflect.TypeFor[map[string]int64]()
	mapStringFloat  = reflect.TypeFor[map[string]float64]()
)

// setNativeMap sets the key, value pairs in the map at ptr, of type t,
// when t is one of the commonest map types, with Go's own map assignment
// rather than reflection; done is false for other types. ok is false when
// an item does not fit (the direct decoder then gives up, as store would).
func setNativeMap(t reflect.Type, ptr unsafe.Pointer, kv []dval) (done, ok bool) {
	switch t {
	case mapInt64Float64:
		return true, setPairs(*(*map[int64]float64)(ptr), kv, intKey, floatValue)
	case mapInt64Int64:
		return true, setPairs(*(*map[int64]int64)(ptr), kv, intKey, intKey)
	case mapInt64String:
		return true, setPairs(*(*map[int64]string)(ptr), kv, intKey, strValue)
	case mapStringString:
		return true, setPairs(*(*map[string]string)(ptr), kv, strValue, strValue)
	case mapStringInt64:
		return true, setPairs(*(*map[string]int64)(ptr), kv, strValue, intKey)
	case mapStringFloat:
		return true, setPairs(*(*map[string]float64)(ptr), kv, strValue, floatValue)
	}
	return false, false
}

func setPairs[K comparable, V any](m map[K]V, kv []dval, key func(*dval) (K, bool), value func(*dval) (V, bool)) bool {
	for i := 0; i < len(kv); i += 2 {
		k, ok := key(&kv[i])
		if !ok {
			return false
		}
		v, ok := value(&kv[i+1])
		if !ok {
			return false
		}
		m[k] = v
	}
	return true
}

// intKey, floatValue and strValue read an item as store does into an
// int64, a float64 and a string.
func intKey(v *dval) (int64, bool)       { return v.n, v.kind == dvInt }
func floatValue(v *dval) (float64, bool) { return v.toFloat() }
func strValue(v *dval) (string, bool) {
	if v.kind != dvStr {
		return "", false
	}
	return v.str(), true
}

// directKeyCost is what hashing the key costs the general path (keyCost),
// and whether the key is hashable.
func directKeyCost(v *dval) (int, bool) {
	switch v.kind {
	case dvStr, dvBytes:
		return int(v.n) + 1, true
	case dvBig:
		return v.bigInt().BitLen()/8 + 1, true
	case dvTuple:
		n := int(v.n) + 1
		for i := range v.items() {
			c, ok := directKeyCost(&v.items()[i])
			if !ok {
				return 0, false
			}
			n += c
		}
		return n, true
	case dvCont, dvByteArray:
		return 0, false
	}
	return 1, true
}

// containsFloat reports whether values of the plan's type hold a float.
func containsFloat(p *directPlan) bool {
	switch p.kind {
	case dkFloat32, dkFloat64:
		return true
	case dkArray:
		return containsFloat(p.elem)
	case dkStruct:
		for _, fp := range p.fplans {
			if containsFloat(fp) {
				return true
			}
		}
	}
	return false
}
