package pickle

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"sync"
)

// This file is the encoder's machinery: the output buffer, frames, the memo
// and the dispatch on Go types. It follows CPython's C pickler (_pickle.c)
// decision by decision, so that for builtin data the bytes are CPython's.

// Marshal returns the pickle of v, at DefaultProtocol unless a Protocol
// option says otherwise.
//
// Values of the model (see the package documentation) are written as CPython
// writes the Python values they stand for, byte for byte for builtin data.
// What is reachable twice is written once and then fetched from the memo,
// as CPython does for one object: the same pointer, map or container, and
// the same string (the same bytes in memory, which is what decoding gives a
// Python str referenced twice; equal strings made apart are two objects, as
// in Python, except the empty and one-character ones, of which CPython keeps
// one each).
// Other Go values are written as:
//
//	Go                              Python
//	bool, int*, uint*, float*       bool, int, float
//	complex64, complex128           complex
//	string                          str (valid UTF-8, or an error)
//	[]byte                          bytes; a nil slice is None
//	ByteArray, *ByteArray           bytearray; nil is None
//	other slices, arrays            list; a nil slice is None
//	map                             dict, keys in sorted order (in the
//	                                order ranged with UnsortedMaps); nil
//	                                is None
//	map[T]struct{}                  set of the keys, in sorted order (or
//	                                as ranged, as for maps)
//	struct                          dict of its fields by tag name, or an
//	                                instance of its registered class
//	struct tagged `pickle:",tuple"` tuple of its fields in order; when
//	                                registered, an instance of its class
//	                                built from them, as CPython writes a
//	                                namedtuple
//	registered bool, number, string the enum member: its class called with
//	                                the value, Color(1)
//	pointer                         what it points to; nil is None. The same
//	                                pointer twice is one Python object, and
//	                                cycles work
//	time.Time, time.Duration, ...   datetime.datetime (naive when its
//	                                Location is Naive), timedelta, ...
//	*big.Int, big.Int               int
//
// Python's datetime and timedelta hold microseconds: a time.Time or
// time.Duration with a fraction of one (time.Now() has nanoseconds) is
// rounded to the nearest microsecond, half to even, as CPython's
// datetime.fromtimestamp rounds. The ExactTime option makes such a value an
// error instead.
//
// nil is None everywhere, for every type, as encoding/json writes null: a
// nil interface, and a nil pointer, map or slice of any type (the model's
// *List, *Dict, Tuple, *Object, ... included). A nil is never a reference
// to another object, and no method (PickleReduce, a ClassFuncs hook) is
// called on it.
//
// Hooks decide before the mapping above, in this order, the first that
// applies winning:
//
//  1. the PersistentIDFunc option, when it claims the value;
//  2. a PickleReduce method (Reducer) of the value;
//  3. for a type bound by RegisterClass: ClassFuncs.Reduce; else an
//     instance of the class whose state is ClassFuncs.GetState's, else the
//     PickleGetState method's (StateGetter), else the fields as a dict
//     (written with NEWOBJ and BUILD from protocol 2, copyreg's
//     _reconstructor and BUILD below); namedtuple, enum and __slots__
//     shapes as RegisterClass describes;
//  4. the mapping above.
//
// Channels, functions and other kinds are an *EncodeError naming the path.
// Nesting deeper than MaxDepth is an error, not a stack overflow.
func Marshal(v any, opts ...Option) ([]byte, error) {
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	e := getEncoder()
	defer putEncoder(e)
	e.reset()
	e.cfg, e.proto = cfg, cfg.protocol
	if err := e.encode(v); err != nil {
		return nil, err
	}
	if cfg.signKey != nil {
		return seal(e.output(), cfg.signKeyID, cfg.signKey), nil
	}
	if len(e.segs) > 0 {
		return e.output(), nil // a new slice already
	}
	if cap(e.buf) > encoderKeep {
		// A buffer too large to keep in the pool is handed over rather
		// than copied.
		out := e.buf
		e.buf = nil
		return out, nil
	}
	return append([]byte(nil), e.buf...), nil
}

// encoders are reused by Marshal, so that their buffer and memo tables need
// not grow again on every call.
var encoders = sync.Pool{New: func() any { return newEncoder(&config{}) }}

// putEncoder returns an encoder to the pool, dropping references to what it
// wrote and any buffer grown too large to keep.
const encoderKeep = 1 << 20

func putEncoder(e *encoder) {
	const keep = encoderKeep
	if e.memo.len() > keep || e.strMemo.len() > keep {
		e.memo, e.strMemo = encMemo{}, newStrMemo() // clear keeps a map's size
	}
	e.reset()
	if cap(e.buf) > keep {
		e.buf = nil
	}
	e.cfg = nil
	if !keepLarge(e) {
		encoders.Put(e)
	}
}

// An Encoder writes pickles to a stream, one complete pickle per Encode call,
// so that a reader can load them one by one.
type Encoder struct {
	w   io.Writer
	e   *encoder
	err error
}

// NewEncoder returns an Encoder that writes to w.
func NewEncoder(w io.Writer, opts ...Option) *Encoder {
	cfg, err := newConfig(opts)
	enc := &Encoder{w: w, err: err}
	if err == nil {
		enc.e = newEncoder(cfg)
		enc.e.w = w
	}
	return enc
}

// Encode writes the pickle of v. Each pickle starts with an empty memo, as
// pickle.dump does. Output is written once per frame (protocol 4 and up) or
// once per pickle.
func (enc *Encoder) Encode(v any) error {
	if enc.err != nil {
		return enc.err
	}
	e := enc.e
	e.reset()
	if e.cfg.signKey != nil {
		// The envelope needs the whole pickle before it can be written.
		e.w = nil
		defer func() { e.w = enc.w }()
		if err := e.encode(v); err != nil {
			return err
		}
		_, err := enc.w.Write(seal(e.output(), e.cfg.signKeyID, e.cfg.signKey))
		return err
	}
	if err := e.encode(v); err != nil {
		return err
	}
	return e.flush()
}

// encoder holds the state of one pickle being written.
type encoder struct {
	cfg   *config
	proto int
	buf   []byte
	w     io.Writer // nil for Marshal

	// Output too large for one buffer is kept as segments, written
	// before buf, which are copied together once at the end: large
	// payloads are segments of their own, and buf is cut into a segment
	// once it holds segmentSize bytes, rather than grown and copied. Only
	// Marshal's encoders (w nil) cut; home is the pooled buffer that buf
	// was cut from.
	segs   [][]byte
	segLen int
	home   []byte
	// owned are the segments cut made this pickle, spare those it may
	// reuse (encode_segments.go).
	owned, spare [][]byte

	// frameStart is where the open frame's 9-byte header sits in buf, or -1.
	frameStart int
	framing    bool

	memo    encMemo // identity (or value, for immutable keys) -> index
	strMemo strMemo // strings, by identity (strIdentity)
	// moduleNames and qualNames give the one identity of each text of
	// a global's names; see saveInterned.
	moduleNames, qualNames map[string]strKey
	memoLen                int
	depth                  int
	// gets finds items written as GETs before; lastGet is the index the
	// last GET wrote (encode_getcache.go).
	gets    getCache
	lastGet int

	// plans memoizes struct plans' field names per pickle (planNames);
	// pickles numbers the pickles, so that reset need not clear it.
	plans   []planMemo
	pickles uint64
}

func newEncoder(cfg *config) *encoder {
	return &encoder{cfg: cfg, proto: cfg.protocol, frameStart: -1, strMemo: newStrMemo()}
}

func (e *encoder) reset() {
	if e.home != nil {
		e.buf, e.home = e.home, nil
	}
	clear(e.segs)
	e.segs, e.segLen = e.segs[:0], 0
	e.recycleSegments()
	e.buf = e.buf[:0]
	e.frameStart = -1
	e.framing = false
	e.memo.clear()
	e.strMemo.clear()
	e.gets.clear()
	clear(e.moduleNames)
	clear(e.qualNames)
	e.memoLen = 0
	e.depth = 0
	e.pickles++
}

// encode writes a whole pickle: PROTO, the value, STOP.
func (e *encoder) encode(v any) error {
	if e.cfg.bufferCallback != nil && e.proto < 5 {
		return fmt.Errorf("pickle: a buffer callback needs protocol 5, not %d", e.proto)
	}
	if e.proto >= 2 {
		e.write(opProto, byte(e.proto))
		if e.proto >= 4 {
			e.framing = true
		}
	}
	if err := e.save(v); err != nil {
		return err
	}
	e.writeOp(opStop)
	e.commitFrame()
	e.framing = false
	return nil
}

// Frames, as _pickle.c does them: a frame opens (9 bytes reserved) with the
// first write after a commit; save commits a frame once it holds 64 KiB; a
// frame of fewer than 4 bytes is written without its header.
const (
	frameHeaderSize = 9
	frameSizeMin    = 4
	frameSizeTarget = 64 << 10
)

// open makes room for the next write, opening a frame if one is due.
func (e *encoder) open() {
	if e.framing && e.frameStart < 0 {
		e.frameStart = len(e.buf)
		e.buf = append(e.buf, make([]byte, frameHeaderSize)...)
	}
}

// write appends bytes to the output.
func (e *encoder) write(b ...byte) {
	e.open()
	e.buf = append(e.buf, b...)
}

// writeOp appends one opcode byte, without write's variadic slice.
func (e *encoder) writeOp(b byte) {
	e.open()
	e.buf = append(e.buf, b)
}

func (e *encoder) writeString(s string) {
	e.open()
	e.buf = append(e.buf, s...)
}

func (e *encoder) commitFrame() {
	if !e.framing || e.frameStart < 0 {
		return
	}
	start := e.frameStart
	n := len(e.buf) - start - frameHeaderSize
	if n >= frameSizeMin {
		e.buf[start] = opFrame
		binary.LittleEndian.PutUint64(e.buf[start+1:], uint64(n))
	} else {
		copy(e.buf[start:], e.buf[start+frameHeaderSize:])
		e.buf = e.buf[:len(e.buf)-frameHeaderSize]
	}
	e.frameStart = -1
}

// opcodeBoundary runs at the start of every save: a full frame is committed,
// and a stream encoder writes it out.
func (e *encoder) opcodeBoundary() error {
	// Inside an open frame with room: nearly every call, and inlined.
	if e.frameStart >= 0 && e.framing && len(e.buf)-e.frameStart < frameHeaderSize+frameSizeTarget {
		return nil
	}
	return e.opcodeBoundarySlow()
}

func (e *encoder) opcodeBoundarySlow() error {
	if !e.framing || e.frameStart < 0 || len(e.buf)-e.frameStart-frameHeaderSize < frameSizeTarget {
		if e.w == nil && e.frameStart < 0 && len(e.buf) >= segmentSize {
			e.cut()
		}
		return nil
	}
	e.commitFrame()
	if e.w != nil {
		return e.flush()
	}
	if len(e.buf) >= segmentSize {
		e.cut()
	}
	return nil
}

// segmentSize is how large buf grows before it is cut.
const segmentSize = 1 << 20

// cut ends a segment with what buf holds, outside any frame, and goes on
// in the rest of buf's capacity or, with little left, a new buffer.
func (e *encoder) cut() {
	if len(e.buf) == 0 {
		return
	}
	if e.home == nil {
		e.home = e.buf
	}
	e.segs = append(e.segs, e.buf[:len(e.buf):len(e.buf)])
	e.segLen += len(e.buf)
	rest := e.buf[len(e.buf):]
	if cap(rest) < segmentSize/4 {
		rest = e.newSegment()
	}
	e.buf = rest
}

// output returns the whole pickle: buf, or the segments and buf copied
// together.
func (e *encoder) output() []byte {
	if len(e.segs) == 0 {
		return e.buf
	}
	// bytes.Join allocates without zeroing what it then overwrites.
	e.segs = append(e.segs, e.buf)
	out := bytes.Join(e.segs, nil)
	e.segs = e.segs[:len(e.segs)-1]
	return out
}

// flush writes the buffered output to the stream.
func (e *encoder) flush() error {
	if e.w == nil || len(e.buf) == 0 {
		return nil
	}
	_, err := e.w.Write(e.buf)
	e.buf = e.buf[:0]
	return err
}

// writeLarge writes an opcode header and its payload. A payload of 64 KiB or
// more goes outside frames: the open frame is committed first.
func (e *encoder) writeLarge(header []byte, payload []byte) error {
	if len(payload) < frameSizeTarget {
		e.write(header...)
		e.open()
		e.buf = append(e.buf, payload...)
		return nil
	}
	e.commitFrame()
	framing := e.framing
	e.framing = false
	e.buf = append(e.buf, header...)
	var err error
	if e.w != nil {
		if err = e.flush(); err == nil {
			_, err = e.w.Write(payload)
		}
	} else {
		// The payload becomes a segment of its own, copied once, into
		// the output.
		e.cut()
		e.segs = append(e.segs, payload)
		e.segLen += len(payload)
	}
	e.framing = framing
	return err
}

// memoPut records that the object just written has the next memo index and
// writes the PUT. key is the object's identity, or nil for an object nothing
// can refer to again (CPython still numbers it).
func (e *encoder) memoPut(key any) {
	idx := e.memoLen
	e.memoLen++
	if key != nil {
		e.memo.store(key, idx)
	}
	e.writePut(idx)
}

// memoPutTuple is memoPut for a tuple, whose key would be an allocation as
// an `any`.
func (e *encoder) memoPutTuple(key tupleID) {
	idx := e.memoLen
	e.memoLen++
	e.memo.storeTuple(key, idx)
	e.writePut(idx)
}

func (e *encoder) writePut(idx int) {
	if e.proto >= 4 {
		e.writeOp(opMemoize)
		return
	}
	e.writeIndex(opPut, opBinPut, opLongBinPut, idx)
}

func (e *encoder) writeGet(idx int) {
	e.lastGet = idx
	e.writeIndex(opGet, opBinGet, opLongBinGet, idx)
}

// writeIndex writes a memo index: as text at protocol 0, else in one byte or
// four.
func (e *encoder) writeIndex(text, short, long byte, idx int) {
	e.open()
	switch {
	case e.proto == 0:
		e.buf = append(e.buf, text)
		e.buf = strconv.AppendInt(e.buf, int64(idx), 10)
		e.buf = append(e.buf, '\n')
	case idx < 256:
		e.buf = append(e.buf, short, byte(idx))
	default:
		e.buf = append(e.buf, long)
		e.buf = binary.LittleEndian.AppendUint32(e.buf, uint32(idx))
	}
}

// memoGet writes a GET if key was memoized.
func (e *encoder) memoGet(key any) bool {
	if idx, ok := e.memo.lookup(key); ok {
		e.writeGet(idx)
		return true
	}
	return false
}

// save writes one value.
func (e *encoder) save(v any) error {
	if err := e.opcodeBoundary(); err != nil {
		return err
	}
	if e.cfg.persistentID != nil {
		if pid, ok, err := e.cfg.persistentID(v); err != nil {
			return fmt.Errorf("pickle: PersistentIDFunc: %w", err)
		} else if ok {
			return e.savePersistentID(pid)
		}
	}
	if e.depth >= e.cfg.maxDepth {
		return &EncodeError{Err: &LimitError{Limit: "MaxDepth", Value: int64(e.cfg.maxDepth), Reached: int64(e.depth + 1)}}
	}
	e.depth++
	err := e.saveValue(v)
	e.depth--
	return err
}

// saveValue dispatches on the type of v.
func (e *encoder) saveValue(v any) error {
	switch x := v.(type) {
	case nil:
		e.writeOp(opNone)
		return nil
	case bool:
		e.saveBool(x)
		return nil
	case int64:
		e.saveInt(x)
		return nil
	case int:
		e.saveInt(int64(x))
		return nil
	case float64:
		e.saveFloat(x)
		return nil
	case string:
		return e.saveStr(x)
	case []byte:
		if x == nil {
			e.writeOp(opNone) // a nil slice is None, as encoding/json writes null
			return nil
		}
		return e.saveBytes(x)
	case Tuple:
		if x == nil {
			break // None, below
		}
		return e.saveTuple(x)
	case *List:
		if x == nil {
			break
		}
		return e.saveList(x)
	case *Dict:
		if x == nil {
			break
		}
		return e.saveDict(x)
	default:
		if !isNilRef(v) {
			return e.saveOther(v)
		}
	}
	// A nil pointer, map, slice or interface of any type, as encoding/json
	// writes null: never a memo reference, never a method call.
	e.writeOp(opNone)
	return nil
}

// isNilRef reports whether v is a nil pointer, map or slice in an
// interface.
func isNilRef(v any) bool {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice:
		return rv.IsNil()
	}
	return false
}

// EncodeError reports a value that cannot be pickled.
type EncodeError struct {
	Path string // where in the value, e.g. "rows[3].score"; "" for the top
	Err  error
}

func (e *EncodeError) Error() string {
	if e.Path == "" {
		return "pickle: cannot encode: " + e.Err.Error()
	}
	return "pickle: cannot encode " + e.Path + ": " + e.Err.Error()
}

func (e *EncodeError) Unwrap() error { return e.Err }
