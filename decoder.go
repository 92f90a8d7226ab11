package pickle

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"math/big"
	"strconv"
	"sync"
	"unicode/utf8"

	"github.com/pickle-go/pickle/internal/alloc"
)

// This file is the pickle machine: a stack, a mark stack and a memo, driven
// by the opcode table one opcode at a time. It never recurses, so deep input
// cannot overflow the Go stack, and it never executes anything: globals are
// checked against the allowlist and calls become values.

// machine decodes one pickle at a time from its source.
type machine struct {
	src   *source
	cfg   *config
	stack []any
	marks []int // stack lengths at each MARK; the last is the fence
	memo  memo
	proto int
	// nextBuffer is the index of the next out-of-band buffer.
	nextBuffer int
	// pending counts pendingGlobal values on the stack; see admit.
	pending     int
	lastPending Global
	// probation is set once any value has been admitted on probation, so
	// that pickles without one need not look for them.
	probation bool
	// lastPut is the memo index most recently given an object that BUILD
	// may turn into a value (see buildConvertible).
	lastPut uint64
	// borrow lets bytes and bytearray payloads share the input's memory
	// (decode_borrow.go says when).
	borrow bool
	// hashWork is the bytes hashed for dict keys and set elements so far.
	hashWork int64
	// lookahead is how many more bytes batchesAhead may walk in this
	// pickle (twice the input, so that decoding stays linear).
	lookahead int

	// strs holds the bytes of short strings.
	strs alloc.StringArena
	// arg is the current opcode's argument.
	arg argument
	// Small slices come from shared chunks; see alloc.Slab.
	anys      alloc.Slab[any]
	dictItems alloc.Slab[DictItem]
	box       alloc.Boxer

	// obs, when set, records the globals and calls the pickle makes (the
	// scanner, and tests); opStart and opCode say where the machine is.
	obs     *observer
	opStart int64
	opCode  byte
	// raw, when not nil, collects where a raw build read past BUILD
	// (decode_raw.go), for the disassembler (dis_raw.go).
	raw *[]rawSpan
	// cText reads text arguments as the C unpickler does, for the
	// scanner's C readings; see textArg.
	cText bool
	// nested marks a machine decoding a pickle inside another's input
	// (see decodeNested): its loader is plain pickle.load, which reads
	// nothing past BUILD.
	nested bool
}

// Hashing a key costs time in proportion to its size, and a pickle can use
// one large key many times for two bytes each (a memo GET). To keep decoding
// time linear in the input, the bytes hashed may not exceed
// hashWorkPerByte times the input read so far, plus hashWorkBase.
const (
	hashWorkPerByte = 64
	hashWorkBase    = 1 << 20
)

// chargeKeys accounts for hashing every stride-th item of items.
func (m *machine) chargeKeys(items []any, stride int) error {
	for i := 0; i < len(items); i += stride {
		m.hashWork += int64(keyCost(items[i], 0))
	}
	if m.hashWork > hashWorkPerByte*m.src.offset()+hashWorkBase {
		return &LimitError{Limit: "hashing work for dict keys (64 bytes per input byte)", Value: hashWorkPerByte*m.src.offset() + hashWorkBase, Reached: m.hashWork}
	}
	return nil
}

// keyCost estimates the bytes hashKey reads for v.
func keyCost(v any, depth int) int {
	switch x := v.(type) {
	case int64, float64, bool, nil:
		return 1
	case string:
		return len(x) + 1
	case []byte:
		return len(x) + 1
	case *big.Int:
		return x.BitLen()/8 + 1
	case Tuple:
		if depth > maxKeyDepth {
			return 1
		}
		n := len(x) + 1
		for _, it := range x {
			n += keyCost(it, depth+1)
		}
		return n
	}
	return rowKeyCost(v)
}

// machines are reused by Unmarshal, so that their stack, memo and string
// chunk need not grow again on every call.
var machines = sync.Pool{New: func() any { return new(machine) }}

func getMachine(src *source, cfg *config) *machine {
	m := machines.Get().(*machine)
	m.src, m.cfg = src, cfg
	return m
}

// putMachine returns a machine to the pool, dropping every reference to what
// it decoded, and any slice grown too large to keep.
func putMachine(m *machine) {
	const keep = 1 << 20          // entries; the pool itself is emptied by the GC
	clear(m.stack[:cap(m.stack)]) // popped slots still point at values
	clear(m.marks)
	m.memo.reset(keep / alloc.PageSize)
	if cap(m.stack) > keep {
		m.stack = nil
	}
	// The argument may point into the input, and used slab chunks at
	// decoded values: drop both.
	m.arg = argument{}
	m.anys, m.dictItems, m.box = alloc.Slab[any]{}, alloc.Slab[DictItem]{}, alloc.Boxer{}
	m.src, m.cfg, m.obs, m.raw = nil, nil, nil, nil
	m.nested = false
	m.borrow = false
	machines.Put(m)
}

// decode runs the machine until STOP and returns the pickled value. At a clean
// end of input before the first opcode it returns io.EOF.
func (m *machine) decode() (any, error) {
	m.stack = m.stack[:0]
	m.marks = m.marks[:0]
	m.memo.reset(math.MaxInt) // a Decoder's next pickle reuses every page
	m.proto = 0
	m.nextBuffer = 0
	m.pending = 0
	m.probation = false
	m.hashWork = 0
	m.lookahead = 0
	m.src.frameEnd = 0
	if m.src.r == nil {
		m.lookahead = 2 * len(m.src.buf)
	}
	if m.src.atEOF() {
		if m.src.rerr != nil && m.src.rerr != io.EOF {
			return nil, m.src.rerr
		}
		return nil, io.EOF
	}
	src := m.src
	for {
		start := src.offset()
		var code byte
		var err error
		if src.pos < src.limit {
			code = src.buf[src.pos]
			src.pos++
		} else if code, err = src.readByte(); err != nil {
			return nil, &DecodeError{Offset: start, Err: err}
		}
		// The commonest opcodes, without the general path's dispatch
		// (which also makes their errors, and takes them when the stack
		// or the marks are full). A traced machine takes the general path
		// for every opcode.
		quick := code
		if m.obs != nil && m.obs.trace != nil {
			quick = opStop // not a quick opcode
		}
		switch quick {
		case opMark:
			if len(m.marks) < m.cfg.maxDepth {
				m.marks = append(m.marks, len(m.stack))
				continue
			}
		case opBinInt1:
			if src.pos < src.limit && len(m.stack) < m.cfg.maxStack {
				m.stack = append(m.stack, m.box.Int64(int64(src.buf[src.pos])))
				src.pos++
				continue
			}
		case opBinInt2:
			if src.pos+2 <= src.limit && len(m.stack) < m.cfg.maxStack {
				m.stack = append(m.stack, m.box.Int64(int64(binary.LittleEndian.Uint16(src.buf[src.pos:]))))
				src.pos += 2
				continue
			}
		case opBinInt:
			if src.pos+4 <= src.limit && len(m.stack) < m.cfg.maxStack {
				m.stack = append(m.stack, m.box.Int64(int64(int32(binary.LittleEndian.Uint32(src.buf[src.pos:])))))
				src.pos += 4
				continue
			}
		case opShortBinUnicode:
			if len(m.stack) < m.cfg.maxStack && src.readArgInPlace(argUnicode1, &m.arg) {
				m.stack = append(m.stack, m.box.String(m.newString(m.arg.b)))
				continue
			}
		case opBinFloat:
			if src.pos+8 <= src.limit && len(m.stack) < m.cfg.maxStack {
				m.stack = append(m.stack, m.box.Float64(math.Float64frombits(binary.BigEndian.Uint64(src.buf[src.pos:]))))
				src.pos += 8
				continue
			}
		case opBinGet:
			if src.pos < src.limit && m.obs == nil && !m.probation && m.quickGet(uint64(src.buf[src.pos])) {
				src.pos++
				continue
			}
		case opLongBinGet:
			if src.pos+4 <= src.limit && m.obs == nil && !m.probation && m.quickGet(uint64(binary.LittleEndian.Uint32(src.buf[src.pos:]))) {
				src.pos += 4
				continue
			}
		case opMemoize:
			if m.obs == nil {
				if err := m.memoPut(uint64(m.memo.n)); err != nil {
					return nil, &DecodeError{Offset: start, Op: "MEMOIZE", Err: err}
				}
				continue
			}
		}
		op := opcodes[code]
		if op == nil {
			if m.obs != nil {
				m.obs.traceOp(src, start, code, true)
			}
			return nil, &DecodeError{Offset: start, Err: malformed("invalid load key, %s", invalidKey(code))}
		}
		switch {
		case op.arg == argNone:
		case !src.readArgInPlace(op.arg, &m.arg):
			err = src.readArg(op.arg, &m.arg)
		}
		m.opStart, m.opCode = start, code
		if m.obs != nil {
			m.obs.traceOp(src, start, code, err != nil)
		}
		if err == nil {
			if code == opStop {
				var v any
				if v, err = m.pop(); err == nil {
					if m.obs != nil {
						m.obs.settle(m.pending == 0)
						m.pending = 0
					}
					if m.pending != 0 {
						// A global admitted on probation was used for
						// something other than getattr.
						err = &GlobalError{Module: m.lastPending.Module, Name: m.lastPending.Name}
					} else if err = m.src.endPickle(); err == nil {
						return v, nil
					}
				}
			} else {
				err = m.exec(code, &m.arg)
			}
		}
		if err != nil {
			if m.obs != nil {
				m.obs.traceFailed()
			}
			return nil, &DecodeError{Offset: start, Op: op.name, Err: err}
		}
	}
}

// newString returns the bytes as a string.
func (m *machine) newString(b []byte) string { return m.strs.String(b) }

// invalidKey spells a byte as CPython's "invalid load key" message does.
func invalidKey(c byte) string {
	if c >= 0x20 && c < 0x7f && c != '\'' && c != '\\' {
		return "'" + string(rune(c)) + "'."
	}
	return fmt.Sprintf("'\\x%02x'.", c)
}

// exec executes one opcode other than STOP.
func (m *machine) exec(code byte, a *argument) error {
	switch code {
	case opMark:
		if len(m.marks) >= m.cfg.maxDepth {
			return &LimitError{Limit: "MaxDepth", Value: int64(m.cfg.maxDepth), Reached: int64(len(m.marks) + 1)}
		}
		m.marks = append(m.marks, len(m.stack))
		return nil
	case opPop:
		if len(m.stack) > m.fence() {
			m.discard(m.stack[len(m.stack)-1:])
			m.stack = m.stack[:len(m.stack)-1]
			return nil
		}
		if len(m.marks) > 0 {
			// With nothing above the topmost mark, POP removes the mark:
			// CPython's protocol 0 recursive tuples rely on it.
			m.marks = m.marks[:len(m.marks)-1]
			return nil
		}
		return m.underflow()
	case opPopMark:
		items, err := m.popMark()
		m.discard(items)
		return err
	case opDup:
		v, err := m.top()
		if err != nil {
			return err
		}
		m.countPending(v)
		return m.push(v)

	// Scalars.
	case opNone:
		return m.push(nil)
	case opNewTrue:
		return m.push(true)
	case opNewFalse:
		return m.push(false)
	case opBinInt, opBinInt1, opBinInt2:
		return m.push(m.box.Int64(a.n))
	case opInt:
		if !m.cText && bytes.IndexByte(a.b, 0) >= 0 {
			// As LONG and FLOAT: Python's int() takes no NUL (the C
			// unpickler's strtol stops at one).
			return malformed("invalid literal for int(): %q", a.b)
		}
		n, bi, isBool, err := parseCInt(a.b, m.cfg.maxIntDigits)
		switch {
		case err != nil:
			return err
		case isBool:
			return m.push(n == 1)
		case bi != nil:
			return m.push(bi)
		}
		return m.push(m.box.Int64(n))
	case opLong:
		return m.pushLong(m.textArg(a.b))
	case opLong1, opLong4:
		if a.bi != nil {
			return m.push(a.bi)
		}
		return m.push(m.box.Int64(a.n))
	case opFloat:
		f, err := parseTextFloat(m.textArg(a.b))
		if err != nil {
			return err
		}
		return m.push(m.box.Float64(f))
	case opBinFloat:
		return m.push(m.box.Float64(a.f))

	// Strings.
	case opBinBytes, opShortBinBytes, opBinBytes8:
		if m.borrow {
			return m.push(a.b) // the input's own bytes; see decode_borrow.go
		}
		return m.push(append([]byte{}, a.b...))
	case opByteArray8:
		ba := ByteArray(a.b)
		if !m.borrow {
			ba = append(ByteArray{}, a.b...)
		}
		return m.push(&ba)
	case opString, opBinString, opShortBinString:
		v, err := m.pythonTwoString(a.b)
		if err != nil {
			return err
		}
		return m.push(v)
	case opUnicode, opBinUnicode, opShortBinUnicode, opBinUnicode8:
		return m.push(m.box.String(m.newString(a.b)))

	// Containers.
	case opEmptyTuple:
		return m.push(emptyTuple)
	case opTuple:
		items, err := m.popMark()
		if err != nil {
			return err
		}
		if len(items) == 0 {
			return m.push(emptyTuple)
		}
		return m.push(m.tuple(items))
	case opTuple1, opTuple2, opTuple3:
		items, err := m.popN(int(code-opTuple1) + 1)
		if err != nil {
			return err
		}
		return m.push(m.tuple(items))
	case opEmptyList:
		return m.push(new(List))
	case opList:
		items, err := m.popMark()
		if err != nil {
			return err
		}
		l := List(m.anys.Take(len(items)))
		copy(l, items)
		return m.push(&l)
	case opAppend:
		v, err := m.pop()
		if err != nil {
			return err
		}
		return m.appendItems(code, []any{v})
	case opAppends:
		items, err := m.popMark()
		if err != nil {
			return err
		}
		return m.appendItems(code, items)
	case opEmptyDict:
		return m.push(&Dict{})
	case opDict:
		items, err := m.popMark()
		if err != nil {
			return err
		}
		if len(items)%2 != 0 {
			return malformed("odd number of items for DICT")
		}
		if err := m.chargeKeys(items, 2); err != nil {
			return err
		}
		d := &Dict{items: m.dictItems.Take(len(items) / 2)[:0]}
		for i := 0; i < len(items); i += 2 {
			if err := d.Set(items[i], items[i+1]); err != nil {
				return err
			}
		}
		return m.push(d)
	case opSetItem:
		kv, err := m.popN(2)
		if err != nil {
			return err
		}
		return m.setItems(code, kv)
	case opSetItems:
		items, err := m.popMark()
		if err != nil {
			return err
		}
		if len(items)%2 != 0 {
			return malformed("odd number of items for SETITEMS")
		}
		return m.setItems(code, items)
	case opEmptySet:
		return m.push(&Set{})
	case opAddItems:
		items, err := m.popMark()
		if err != nil {
			return err
		}
		if err := m.chargeKeys(items, 1); err != nil {
			return err
		}
		target, err := m.top()
		if err != nil {
			return err
		}
		s, ok := target.(*Set)
		if !ok {
			return malformed("ADDITEMS needs a set, not %s", typeName(target))
		}
		s.grow(len(items))
		for _, it := range items {
			if err := s.Add(it); err != nil {
				return err
			}
		}
		return nil
	case opFrozenSet:
		items, err := m.popMark()
		if err != nil {
			return err
		}
		if err := m.chargeKeys(items, 1); err != nil {
			return err
		}
		f, err := NewFrozenSet(items...)
		if err != nil {
			return err
		}
		return m.push(f)

	// Memo.
	case opPut:
		i, err := parseMemoIndex(m.textArg(a.b))
		if err != nil {
			return err
		}
		return m.memoPut(i)
	case opBinPut, opLongBinPut:
		return m.memoPut(uint64(a.n))
	case opMemoize:
		return m.memoPut(uint64(m.memo.n))
	case opGet:
		i, err := parseMemoIndex(m.textArg(a.b))
		if err != nil {
			return err
		}
		return m.memoGet(i)
	case opBinGet, opLongBinGet:
		return m.memoGet(uint64(a.n))

	// Protocol and framing.
	case opProto:
		if a.n > HighestProtocol {
			return malformed("unsupported pickle protocol: %d", a.n)
		}
		m.proto = int(a.n)
		return nil
	case opFrame:
		return m.src.startFrame(uint64(a.n))

	// Globals and calls.
	case opGlobal:
		if !utf8.ValidString(a.s) || !utf8.ValidString(a.s2) {
			return malformed("GLOBAL names must be UTF-8")
		}
		g, err := m.resolveGlobal(a.s, a.s2)
		if err != nil {
			return err
		}
		return m.push(g)
	case opStackGlobal:
		mn, err := m.popN(2)
		if err != nil {
			return err
		}
		module, ok1 := mn[0].(string)
		name, ok2 := mn[1].(string)
		if !ok1 || !ok2 {
			if m.obs != nil && m.obs.scanning && (ok1 || computed(mn[0])) && (ok2 || computed(mn[1])) {
				// Python imports whatever str the calls return.
				return m.push(m.obs.computedGlobal(m, mn[0], mn[1]))
			}
			return malformed("STACK_GLOBAL requires str")
		}
		g, err := m.resolveGlobal(module, name)
		if err != nil {
			return err
		}
		return m.push(g)
	case opExt1, opExt2, opExt4:
		if a.n <= 0 {
			return malformed("EXT specifies code <= 0")
		}
		g, ok := m.cfg.extensions[int32(a.n)]
		if !ok {
			if m.obs != nil {
				// Python would look the code up in copyreg's registry.
				ext := Global{extensionRegistryScope, strconv.FormatInt(a.n, 10)}
				m.obs.global(m, ext, findingUnknown)
				return m.push(ext)
			}
			return unsupported("unregistered extension code %d", a.n)
		}
		v, err := m.resolveGlobal(g.Module, g.Name)
		if err != nil {
			return err
		}
		return m.push(v)
	case opReduce:
		ca, err := m.popN(2)
		if err != nil {
			return err
		}
		args, ok := ca[1].(Tuple)
		if !ok {
			return malformed("REDUCE argument list must be a tuple, not %s", typeName(ca[1]))
		}
		if !maybeCallable(ca[0]) {
			return malformed("'%s' object is not callable", typeName(ca[0]))
		}
		return m.pushCall(ca[0], args, nil, CallReduce)
	case opNewObj:
		ca, err := m.popN(2)
		if err != nil {
			return err
		}
		args, ok := ca[1].(Tuple)
		if !ok {
			return malformed("NEWOBJ args argument must be a tuple, not %s", typeName(ca[1]))
		}
		if !maybeCallable(ca[0]) {
			return malformed("NEWOBJ class argument must be a type, not %s", typeName(ca[0]))
		}
		return m.pushCall(ca[0], args, nil, CallNewObj)
	case opNewObjEx:
		cak, err := m.popN(3)
		if err != nil {
			return err
		}
		args, ok := cak[1].(Tuple)
		if !ok {
			return malformed("NEWOBJ_EX args argument must be a tuple, not %s", typeName(cak[1]))
		}
		kwargs, ok := cak[2].(*Dict)
		if !ok {
			return malformed("NEWOBJ_EX kwargs argument must be a dict, not %s", typeName(cak[2]))
		}
		if !maybeCallable(cak[0]) {
			return malformed("NEWOBJ_EX class argument must be a type, not %s", typeName(cak[0]))
		}
		return m.pushCall(cak[0], args, kwargs, CallNewObjEx)
	case opInst:
		if !isASCII(a.s) || !isASCII(a.s2) {
			return malformed("INST names must be ASCII")
		}
		if len(m.marks) == 0 && m.obs != nil && m.obs.scanning {
			// The pure-Python unpickler imports the class before it
			// looks for the mark.
			_, _ = m.resolveGlobal(a.s, a.s2)
		}
		args, err := m.popMark()
		if err != nil {
			return err
		}
		args = append([]any(nil), args...)
		cls, err := m.resolveGlobal(a.s, a.s2)
		if err != nil {
			return err
		}
		return m.pushCall(cls, args, nil, CallInst)
	case opObj:
		items, err := m.popMark()
		if err != nil {
			return err
		}
		if len(items) == 0 {
			return m.underflow()
		}
		if !maybeCallable(items[0]) {
			return malformed("OBJ class argument must be a class, not %s", typeName(items[0]))
		}
		return m.pushCall(items[0], append(Tuple(nil), items[1:]...), nil, CallObj)
	case opBuild:
		state, err := m.pop()
		if err != nil {
			return err
		}
		target, err := m.top()
		if err != nil {
			return err
		}
		if m.obs != nil {
			if err := m.obs.build(m, target); err != nil {
				return err
			}
			if !madeByPickle(target) {
				return nil // the scanner notes it and goes on
			}
		}
		return m.build(target, state)

	// Persistent ids and buffers.
	case opPersID:
		if !isASCII(string(a.b)) {
			return malformed("persistent IDs in protocol 0 must be ASCII strings")
		}
		return m.persistentLoad(string(a.b))
	case opBinPersID:
		pid, err := m.pop()
		if err != nil {
			return err
		}
		return m.persistentLoad(pid)
	case opNextBuffer:
		if m.obs != nil && m.obs.scanning && m.nextBuffer >= len(m.cfg.buffers) {
			m.obs.outOfBand(m)
			m.nextBuffer++
			return m.push(&PickleBuffer{}) // the loader supplies it
		}
		if !m.cfg.buffersSet {
			return unsupported("pickle stream refers to out-of-band data but no Buffers option was given")
		}
		if m.nextBuffer >= len(m.cfg.buffers) {
			return malformed("not enough out-of-band buffers")
		}
		b := m.cfg.buffers[m.nextBuffer]
		m.nextBuffer++
		return m.push(&PickleBuffer{Data: b})
	case opReadOnlyBuffer:
		v, err := m.pop()
		if err != nil {
			return err
		}
		switch x := v.(type) {
		case []byte:
			// Already read-only.
		case *PickleBuffer:
			v = &PickleBuffer{Data: x.Data, ReadOnly: true}
		case *ByteArray:
			v = &PickleBuffer{Data: *x, ReadOnly: true}
		default:
			return malformed("READONLY_BUFFER needs a buffer, not %s", typeName(v))
		}
		return m.push(v)
	}
	panic("pickle: opcode " + opName(code) + " has no implementation")
}

var emptyTuple any = Tuple{}

func (m *machine) fence() int {
	if len(m.marks) == 0 {
		return 0
	}
	return m.marks[len(m.marks)-1]
}

func (m *machine) underflow() error {
	if len(m.marks) > 0 {
		return malformed("unexpected MARK found")
	}
	return malformed("unpickling stack underflow")
}

func (m *machine) push(v any) error {
	if len(m.stack) >= m.cfg.maxStack {
		return &LimitError{Limit: "MaxStack", Value: int64(m.cfg.maxStack), Reached: int64(len(m.stack) + 1)}
	}
	m.stack = append(m.stack, v)
	return nil
}

func (m *machine) pop() (any, error) {
	if len(m.stack) <= m.fence() {
		return nil, m.underflow()
	}
	v := m.stack[len(m.stack)-1]
	m.stack = m.stack[:len(m.stack)-1]
	return v, nil
}

func (m *machine) top() (any, error) {
	if len(m.stack) <= m.fence() {
		return nil, m.underflow()
	}
	return m.stack[len(m.stack)-1], nil
}

// popN pops n items above the fence. The slice aliases the stack: use it
// before the next push.
func (m *machine) popN(n int) ([]any, error) {
	if len(m.stack)-m.fence() < n {
		return nil, m.underflow()
	}
	items := m.stack[len(m.stack)-n:]
	m.stack = m.stack[:len(m.stack)-n]
	return items, nil
}

// popMark pops the topmost mark and everything above it. The slice aliases
// the stack: use it before the next push.
func (m *machine) popMark() ([]any, error) {
	if len(m.marks) == 0 {
		return nil, malformed("could not find MARK")
	}
	k := m.marks[len(m.marks)-1]
	m.marks = m.marks[:len(m.marks)-1]
	items := m.stack[k:]
	m.stack = m.stack[:k]
	return items, nil
}

// tuple returns a new tuple of the items.
func (m *machine) tuple(items []any) Tuple {
	if len(items) == 0 {
		return Tuple{} // never nil: a nil Tuple is written as None
	}
	t := Tuple(m.anys.Take(len(items)))
	copy(t, items)
	return t
}

// pushLong pushes the value of LONG's text: decimal with an optional 'L'.
func (m *machine) pushLong(text []byte) error {
	if text[len(text)-1] == 'L' {
		text = text[:len(text)-1]
	}
	n, b, err := parseTextInt(text, 0, m.cfg.maxIntDigits)
	if err != nil {
		return err
	}
	if b != nil {
		return m.push(b)
	}
	return m.push(m.box.Int64(n))
}

// textArg is the text argument of LONG, FLOAT, PUT or GET as the machine
// reads it: the whole line, as the pure-Python unpickler (and the decoder)
// does, or under cText the line up to a NUL, as the C unpickler does: it
// parses the line as a C string. (INT is parsed by parseCInt, after a check
// for a NUL outside cText.)
func (m *machine) textArg(b []byte) []byte {
	if m.cText {
		if i := bytes.IndexByte(b, 0); i > 0 {
			return b[:i]
		}
	}
	return b
}

func (m *machine) memoPut(i uint64) error {
	v, err := m.top()
	if err != nil {
		return err
	}
	if buildConvertible(v) {
		m.lastPut = i
	}
	if m.memo.put(i, v) && m.memo.n > m.cfg.maxMemo {
		return &LimitError{Limit: "MaxMemo", Value: int64(m.cfg.maxMemo), Reached: int64(m.memo.n)}
	}
	return nil
}

func (m *machine) memoGet(i uint64) error {
	v, ok := m.memo.get(i)
	if !ok {
		return malformed("memo value not found at index %d", i)
	}
	m.countPending(v)
	return m.push(v)
}

// quickGet pushes memo entry i, as BINGET does, when nothing but the push
// is to be done (room on the stack; the caller checks that there is no
// observer and no value on probation) and the entry is there and not
// None; else it reports false, and the general path takes the opcode. It
// is small enough to be inlined into the decode loop.
func (m *machine) quickGet(i uint64) bool {
	slot, ok := m.memo.dense.Get(i)
	if !ok || *slot == nil || *slot == memoNone || len(m.stack) >= m.cfg.maxStack {
		return false // (None, stored as memoNone, is fetched the general way)
	}
	m.stack = append(m.stack, *slot)
	return true
}

// countPending counts a new stack reference to a value on probation, or to
// a tuple holding some: the getattr construct's argument tuple may be
// memoized and used again, and each use releases what it holds (see
// foldGetattr), so each reference must count.
func (m *machine) countPending(v any) {
	if m.probation {
		m.pending += pendingIn(v)
	}
}

// pendingIn counts the values on probation that a stack reference to v
// holds: v itself, or the items of a tuple.
func pendingIn(v any) int {
	if t, ok := v.(Tuple); ok {
		n := 0
		for _, it := range t {
			if isPending(it) {
				n++
			}
		}
		return n
	}
	if isPending(v) {
		return 1
	}
	return 0
}

func isPending(v any) bool {
	switch x := v.(type) {
	case pendingGlobal:
		return true
	case *Object:
		return x.pending
	}
	return false
}

// discard uncounts the references to values on probation among items
// dropped from the stack.
func (m *machine) discard(items []any) {
	if !m.probation {
		return
	}
	for _, v := range items {
		m.pending -= pendingIn(v)
	}
}

// pythonTwoString decodes a Python 2 str per the Encoding option.
func (m *machine) pythonTwoString(b []byte) (any, error) {
	switch m.cfg.encoding {
	case encBytes:
		return append([]byte{}, b...), nil
	case encLatin1:
		return latin1String(b), nil
	case encUTF8:
		if !utf8.Valid(b) {
			return nil, malformed("'utf-8' codec can't decode Python 2 str %s", strconv.QuoteToASCII(string(b)))
		}
		return string(b), nil
	}
	for i, c := range b {
		if c >= 0x80 {
			return nil, malformed("'ascii' codec can't decode byte 0x%02x in position %d of a Python 2 str (see the Encoding option)", c, i)
		}
	}
	return string(b), nil
}

func (m *machine) appendItems(code byte, items []any) error {
	target, err := m.top()
	if err != nil {
		return err
	}
	switch t := target.(type) {
	case *List:
		if *t == nil {
			*t = m.anys.Take(len(items))[:0]
		}
		if len(*t)+len(items) > cap(*t) {
			// To the size the batches ahead will make it, when the input
			// is in memory and says so; else double, rather than append's
			// 1.25x for large slices: a list built by many APPENDS is
			// copied (and rescanned by the GC) far fewer times.
			size := max(2*cap(*t), len(*t)+len(items))
			if ahead := m.itemsAhead(opAppends); ahead > 0 {
				size = len(*t) + len(items) + ahead
			}
			grown := make(List, len(*t), size)
			copy(grown, *t)
			*t = grown
		}
		*t = append(*t, items...)
	case *Object:
		t.ListItems = append(t.ListItems, items...)
	case itemAppender:
		return t.appendItems(items)
	default:
		return malformed("%s needs a list, not %s", opName(code), typeName(target))
	}
	return nil
}

// itemsAhead returns how many stack items the batches that follow (closed
// by closer) add to the list or dict that must grow now, when the input is
// in memory and batchesAhead can tell; those batches will fill room made
// for them. 0 when none follows: then it doubles, since it may well be
// complete, but a pickle could add to it one item at a time, each time
// copying all of it were it made exact.
func (m *machine) itemsAhead(closer byte) int {
	if m.lookahead <= 0 {
		return 0
	}
	ahead, walked := batchesAhead(m.src.buf[m.src.pos:], closer)
	m.lookahead -= walked
	return max(ahead, 0)
}

// itemAppender is a model type APPEND and APPENDS extend (collections.deque).
type itemAppender interface {
	appendItems(items []any) error
}

// itemSetter is a model type SETITEM and SETITEMS fill (dict subclasses).
type itemSetter interface {
	setItem(key, value any) error
}

func (m *machine) setItems(code byte, kv []any) error {
	target, err := m.top()
	if err != nil {
		return err
	}
	if err := m.chargeKeys(kv, 2); err != nil {
		return err
	}
	var d *Dict
	switch t := target.(type) {
	case *Dict:
		d = t
		switch n := len(kv) / 2; {
		case d.items == nil:
			d.items = m.dictItems.Take(n)[:0]
		case n > cap(d.items)-len(d.items):
			if ahead := m.itemsAhead(opSetItems); ahead > 0 {
				d.reserve(n + ahead/2) // as a list's (appendItems)
			} else {
				d.grow(n)
			}
		}
	case *OrderedDict:
		d = &t.Dict
	case *Object:
		for i := 0; i < len(kv); i += 2 {
			t.DictItems = append(t.DictItems, DictItem{kv[i], kv[i+1]})
		}
		return nil
	case itemSetter:
		for i := 0; i < len(kv); i += 2 {
			if err := t.setItem(kv[i], kv[i+1]); err != nil {
				return err
			}
		}
		return nil
	default:
		return malformed("%s needs a dict, not %s", opName(code), typeName(target))
	}
	for i := 0; i < len(kv); i += 2 {
		if err := d.Set(kv[i], kv[i+1]); err != nil {
			return err
		}
	}
	return nil
}

func (m *machine) pushCall(callable any, args Tuple, kwargs *Dict, kind CallKind) error {
	if m.obs != nil {
		i, leaked := m.obs.call(m, callable), m.obs.leaked
		defer func() {
			if !leaked && m.obs.leaked {
				m.obs.misused(i)
			}
		}()
	}
	v, err := m.call(callable, args, kwargs, kind)
	if err != nil {
		return err
	}
	return m.push(v)
}

// maybeCallable rules out the values that certainly cannot be called.
func maybeCallable(v any) bool {
	switch v.(type) {
	case Global, *Object, *PersistentID, pendingGlobal:
		return true
	}
	return false
}

// madeByPickle reports whether BUILD may apply state to target: an object
// the pickle made, which BUILD completes. BUILD on anything else would, in
// Python, set attributes on an object the pickle did not create (a
// module-level global, say).
func madeByPickle(target any) bool {
	switch target.(type) {
	case *Object, *OrderedDict, stateBuilder:
		return true
	}
	return false
}

// build applies BUILD: it records the state on the object the pickle made,
// and refuses any other target (see madeByPickle).
func (m *machine) build(target, state any) error {
	if od, ok := target.(*OrderedDict); ok {
		// An OrderedDict with instance attributes: CPython's state is its
		// __dict__ (and a second BUILD updates it again).
		attrs, ok := state.(*Dict)
		if !ok {
			return unsupported("BUILD applies a %s to a %s, which keeps only an attribute dict", typeName(state), typeName(od))
		}
		od.Attrs = mergeAttrs(od.Attrs, attrs)
		return nil
	}
	if sb, ok := target.(stateBuilder); ok {
		return sb.buildState(state)
	}
	obj, ok := target.(*Object)
	if !ok {
		return malformed("BUILD applies state to a %s, which has no place for it", typeName(target))
	}
	if g, ok := bareInstanceClass(obj); ok {
		if fn := rawBuilds[g]; fn != nil && !m.nested {
			v, err := fn(state, m)
			if err != nil {
				return err
			}
			m.replaceBuilt(target, v)
			return nil
		}
		if fn := builtinBuilds[g]; fn != nil {
			v, handled, err := fn(state)
			if err != nil {
				return err
			}
			if handled {
				m.replaceBuilt(target, v)
				return nil
			}
		}
	}
	if obj.Setter != nil {
		return unsupported("BUILD applied to a %s after its state_setter", typeName(target))
	}
	if obj.HasState {
		// A second BUILD updates the instance dict again in Python.
		old, ok1 := obj.State.(*Dict)
		upd, ok2 := state.(*Dict)
		if !ok1 || !ok2 {
			return malformed("BUILD applied twice to one %s", typeName(target))
		}
		obj.State = mergeAttrs(old, upd)
		return nil
	}
	obj.State = state
	obj.HasState = true
	return nil
}

// mergeAttrs returns the attribute dict old updated with upd (a new dict:
// old may be shared), or upd if there is no old one.
func mergeAttrs(old, upd *Dict) *Dict {
	if old == nil {
		return upd
	}
	merged := NewDict(old.Len() + upd.Len())
	for _, it := range old.items {
		_ = merged.Set(it.Key, it.Value)
	}
	for _, it := range upd.items {
		_ = merged.Set(it.Key, it.Value)
	}
	return merged
}

func (m *machine) persistentLoad(pid any) error {
	if m.obs != nil {
		m.obs.persistentID(m, pid)
	}
	if m.cfg.persistentLoad != nil {
		v, err := m.cfg.persistentLoad(pid)
		if err != nil {
			return fmt.Errorf("PersistentLoad(%v): %w", pid, err)
		}
		return m.push(v)
	}
	if m.cfg.allowAll || m.cfg.keepPIDs || m.obs != nil && m.obs.scanning {
		return m.push(&PersistentID{ID: pid})
	}
	return unsupported("a persistent id was found but no PersistentLoad hook was given (KeepPersistentIDs keeps it as a PersistentID)")
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// bigOrInt64 is the integer type the model uses: int64 when it fits.
func bigOrInt64(x *big.Int) any {
	if x.IsInt64() {
		return x.Int64()
	}
	return x
}
