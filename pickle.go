// Package pickle reads and writes Python's pickle format, protocols 0 to 5,
// as CPython 2.7 and 3.x write and read it.
//
// The package has two layers. The pickle machine (opcodes, stack, marks,
// memo, frames) decodes a pickle into a value model and encodes the model
// back; it is exact, and it never executes anything. The mapping between the
// model and ordinary Go types unmarshals and marshals, with encoding/json's
// conventions.
//
// # Entry points
//
// Unmarshal and Marshal work on byte slices; NewDecoder and NewEncoder on
// streams, one pickle per Decode or Encode call. All take Options, which are
// immutable values, safe to share between goroutines. NewOptions joins a set
// of options and checks it once, where it is built; passed alone, the set
// is used as compiled, so a program that registers many classes pays for
// them once, not on every call. Decoding into `any`
// gives the value model below; decoding into other Go types (structs, maps,
// slices, numbers) follows encoding/json's rules; see Unmarshal. Marshal
// writes both the value model and ordinary Go values, byte for byte as
// CPython's pickler writes builtin data. RegisterClass binds Python classes
// to Go types both ways, and the Reducer, StateGetter, StateSetter and
// Initializer interfaces are the __reduce__, __getstate__ and __setstate__
// of Go types (Marshal and Unmarshal say which hook wins). Disassemble prints a
// pickle as pickletools does; Scan reports what a pickle would do.
//
// # Python values in Go
//
// Decoding into an `any` produces these Go values:
//
//	Python                      Go
//	None                        nil
//	bool                        bool
//	int                         int64, or *big.Int when it does not fit
//	float                       float64
//	complex                     complex128
//	str (and Python 2 unicode)  string (see "Strings" below)
//	bytes                       []byte
//	bytearray                   *ByteArray
//	tuple                       Tuple
//	list                        *List
//	dict                        *Dict (insertion-ordered, any hashable key)
//	set                         *Set
//	frozenset                   *FrozenSet
//	collections.OrderedDict     *OrderedDict (instance attributes in Attrs)
//	collections.defaultdict     *DefaultDict
//	collections.Counter         *Counter
//	collections.deque           *Deque
//	datetime.datetime           time.Time: Location Naive when naive, time.UTC
//	                            for timezone.utc, else a fixed zone (fold=1,
//	                            or another tzinfo: *Object, which Unmarshal
//	                            also takes into a time.Time)
//	zoneinfo/pytz/dateutil zone *Tzinfo (the zone's class, key and Location)
//	datetime.date               Date
//	datetime.time               TimeOfDay
//	datetime.timedelta          time.Duration (beyond its range: *Object)
//	datetime.timezone           *time.Location: time.UTC or a fixed zone
//	decimal.Decimal             Decimal (its exact text, as str() gives it)
//	uuid.UUID                   UUID (with is_safe: *Object)
//	fractions.Fraction          *big.Rat
//	Python 2 str                string, or []byte with Encoding("bytes")
//	pickle.PickleBuffer         *PickleBuffer (protocol 5 buffers)
//	numpy.ndarray, scalars      *NDArray (Shape, Dtype, the raw Data)
//	numpy.dtype                 *Dtype
//	pandas.DataFrame            *DataFrame (columns in order, and the index)
//	pandas.Series, Index        *Series, *Index
//	pandas.Categorical          *Categorical
//	pandas.Timestamp            Timestamp (a time.Time, to the nanosecond)
//	pandas.Timedelta, NaT       Timedelta (a time.Duration), nil
//	a class or function         Global (with AllowGlobals or AllowAllGlobals)
//	any other object            *Object: the call and state that build it
//	a persistent id             what the PersistentLoad hook returns, or
//	                            *PersistentID with AllowAllGlobals
//
// Mutable containers are pointers: a list referenced twice in a pickle decodes
// to one *List, so a change through one reference shows through the other,
// and a list that contains itself decodes to a *List that contains itself.
// Code that walks decoded values must therefore expect cycles.
//
// Dict and Set follow Python's equality: 1, 1.0 and True are one key, and a
// later write to an equal key replaces the value but keeps the first key and
// its position. An unhashable key (a list, say) is an error.
//
// # Plain Go values
//
// The model keeps what encoding/json cannot: tuples apart from lists, keys of
// any hashable type, sets, objects. For code written for JSON, Plain turns a
// decoded value into encoding/json's shapes (map[string]any for dicts, []any
// for lists, tuples and sets; its documentation states the rules for other
// keys and for objects), and the PlainValues option makes Unmarshal store
// such values in every `any` it fills, a map[string]any target's values
// included. The model's types implement json.Marshaler by the same rules,
// so json.Marshal of a decoded value writes its data, never {}. Repr stays
// the exact Python view.
//
// # Strings
//
// Python strings may hold lone surrogates (U+D800 to U+DFFF), which UTF-8
// cannot. The decoder keeps them as the 3-byte sequences Python's
// "surrogatepass" error handler writes, so a decoded string is valid UTF-8
// except for those sequences, and encoding it back reproduces them.
//
// Python 2 str values are bytes with no declared encoding. The Encoding
// option chooses, as Python's pickle.load(encoding=...) does: "ASCII" (the
// default), "latin1", "utf-8", or "bytes".
//
// # Security
//
// Unpickling in Python can run arbitrary code: a pickle names functions to
// call. This package never calls anything: the only calls it evaluates are
// the constructors of plain data listed above. A pickle may only name globals
// the allowlist admits. The default admits the builtin types that carry
// plain data (builtins.set, frozenset, bytearray, bytes, complex, int, float,
// str, range, slice, object, list, dict, tuple), _codecs.encode (how Python 3
// writes bytes at protocols 0 to 2), copyreg._reconstructor, the standard
// library types above (collections.OrderedDict, defaultdict, Counter, deque;
// datetime.date, time, datetime, timedelta, timezone; decimal.Decimal;
// fractions.Fraction; uuid.UUID), and their Python 2 spellings; and, only in
// the constructs CPython writes for nested classes and for NEWOBJ_EX below
// protocol 4, builtins.getattr and functools.partial. Any other global is an
// error naming it (ErrForbiddenGlobal), unless AllowGlobals or RegisterClass
// admits it or AllowAllGlobals admits everything; admitted globals decode to
// inert Global and Object values. Allowed globals are admitted only as plain
// data: _codecs.encode only with latin1, no constructor asked to allocate
// more than MaxPlainAlloc (NotPlainError, which wraps ErrForbiddenGlobal).
//
// No input can make the decoder panic, loop, or allocate much more than the
// input's size: declared lengths are checked against the data before
// anything is allocated, memo indices never size an allocation, frame
// boundaries are enforced as Python's own unpickler does, hashing dict keys
// may cost at most 64 bytes per input byte, and the limits MaxDepth (10000),
// MaxMemo, MaxStack (2^26 each) and MaxIntDigits (4300, as Python) bound the
// rest. Decoding N bytes allocates at most 256*N bytes plus 1 MiB, and
// Unmarshal into Go types at most twice that. A pickle that references one
// object exponentially often decodes to shared values in linear time; typed
// decoding, which would copy them, stops with ErrLimit once its Go values
// would pass 256 bytes per input byte plus 1 MiB, and Repr after a million
// values. Encoding
// and typed decoding fail beyond MaxDepth rather than overflow the stack.
//
// ReadFile, ReadContainer, EachStream and Scan open compressed files and
// archives: every decompressor stops at MaxDecompressedSize (4 GiB by
// default) with a *LimitError, so a small file cannot expand without limit.
// The input is held in memory once decompressed; an .xz block header may
// ask the xz reader for a dictionary of up to 4 GiB, which it allocates.
// joblib's NumpyArrayWrapper (admitted by default: it builds an array)
// reads the array's bytes after its BUILD, as many as its shape and dtype
// say, and never more than the input holds; an object array's elements are
// a nested pickle, decoded with the same allowlist (and scanned). joblib's
// format before 0.10 names a file next to the pickle for each array: only
// ReadFile reads it, and only a plain file name in the same directory.
// numpy's .npy header is bounded as numpy bounds it (10000 bytes).
//
// Scan reports, without loading anything, the globals a pickle references and
// the calls it would make, with a verdict (safe, suspicious, dangerous,
// malformed); it runs the decoder's machine, so the two cannot disagree,
// once for each way CPython's unpicklers read frames and text arguments.
// SignWith and VerifyWith wrap pickles in an HMAC-SHA256 envelope that is
// checked before anything is decoded.
//
// Where Go cannot follow CPython exactly: float NaN keys never compare equal
// (CPython compares one NaN object equal to itself), BUILD is applied only to
// objects the pickle created, calls are recorded rather than made, and the
// existence of modules and attributes is not checked.
package pickle

import (
	"io"
	"reflect"
)

// Protocol numbers.
const (
	// DefaultProtocol is what Marshal writes without a Protocol option: 4,
	// which CPython 3.8 to 3.13 write by default and every Python since 3.4
	// reads. Use Protocol(2) for Python 2 readers.
	DefaultProtocol = 4
	// HighestProtocol is the newest protocol, 5 (Python 3.8, PEP 574).
	HighestProtocol = 5
)

// Unmarshal decodes the pickle in data and stores the result in the value
// that v points to. It rejects data with bytes after the pickle's STOP.
//
// Into an `any`, Unmarshal stores the value model (see the package
// documentation), or with PlainValues the values encoding/json would (see
// Plain). Into other Go types it converts, with encoding/json's rules where
// Python allows:
//
//	Go target            accepts
//	bool                 bool
//	int*, uint*          int, checked for overflow
//	float32, float64     float, or an int that converts exactly, or a
//	                     Decimal as float(d) rounds it (nearest, ±Inf)
//	complex*             complex, float, int
//	string               str (and a Python 2 str decoded as text), or a
//	                     Decimal's text
//	[]byte               bytes, bytearray
//	slice, array         list, tuple, set, frozenset, deque; a numpy
//	                     array. A slice with the capacity for all the
//	                     items is reused, as encoding/json reuses one: its
//	                     length set, its elements zeroed, then filled
//	map                  dict, OrderedDict, defaultdict, Counter; None is a
//	                     nil map. Keys converted (str, int, bool, float, and
//	                     tuples into array or struct keys); in a key of
//	                     interface type (map[any]T), a tuple is an [N]any
//	                     array of its items (N <= 32) and bytes a BytesKey,
//	                     which Go can hash and Marshal writes back as the
//	                     same tuple and bytes. A key Go cannot hash is an
//	                     *UnmarshalTypeError, never a panic.
//	                     map[T]bool and map[T]struct{} also take a set or
//	                     frozenset: its items are the keys
//	struct               dict with str keys, or the state of an instance;
//	                     fields by `pickle:"name"` tag, else by Go name
//	                     (exact, then case-insensitive), embedded structs
//	                     flattened, unknown keys ignored unless
//	                     DisallowUnknownFields
//	struct with a blank  also a tuple or list of exactly its number of
//	field `_ struct{}`   fields, by position; and an instance built with
//	`pickle:",tuple"`    that many positional arguments (a namedtuple or
//	                     typing.NamedTuple), whose class AllowGlobals or
//	                     RegisterClass admits
//	pointer              allocated as needed; None is nil. Two references to
//	                     one Python object give one Go pointer.
//	time.Time, ...       the standard library types' own Go values; a
//	                     datetime.date into time.Time is naive midnight; a
//	                     datetime with a zoneinfo, pytz or dateutil zone
//	                     (which `any` keeps as an *Object) or with fold=1
//	                     is the instant Python means, in the zone's
//	                     Location (a skipped wall time shows as the time
//	                     after the transition, as time.Time cannot show it)
//	*big.Int, big.Int    int
//	bool, numbers,       also an enum.Enum member, which CPython writes as
//	string               its class called with its value (Color(1)), when
//	                     the class is admitted: its value; into a type
//	                     registered for the class, that type
//	*big.Rat, big.Rat    Fraction, or a finite Decimal exactly (at most
//	                     MaxIntDigits digits once its exponent is expanded)
//	*big.Float           a Decimal, to the nearest at the big.Float's
//	                     precision, or when that is 0 at one that holds
//	                     the coefficient exactly (at least 64 bits)
//	TextUnmarshaler      str, or a Decimal's text
//	NDArray, *NDArray    a numpy array or scalar. An NDArray value whose Data
//	                     has the capacity for the array's bytes receives
//	                     them there, as a slice is reused (not with
//	                     ShareInput or Buffers, which share memory instead)
//	Dict, Set, Object,   the model's own types held by value (not through
//	Tuple, List, ...     a pointer): a copy of what decoding into `any`
//	                     gives; a Dict accepts any dict-like value, a Set a
//	                     set or frozenset
//
// An instance of a class bound to a Go type by RegisterClass is built
// through hooks, in this order:
//
//  1. FindClass, then the Python 2 renames, pick the class name;
//  2. the arguments of the call that built the instance go to
//     ClassFuncs.Init, else to a PickleInit method (Initializer), else
//     they are an error (but for an enum member's value and a namedtuple's
//     fields);
//  3. the state goes to ClassFuncs.SetState, else to a PickleSetState
//     method (StateSetter), else a dict state (or the dict and slots of a
//     (dict, slots) pair) fills the struct's fields by name;
//  4. list and dict items (of list and dict subclasses) fill a slice or a
//     map.
//
// A mismatch is an *UnmarshalTypeError naming the Python type, the Go type
// and the path (for example [3].score).
//
// Into a Go type other than `any`, whose value is zero, pickles of plain
// data (lists, dicts, tuples, numbers, strings) are decoded straight into
// the Go values, without building the value model first; anything else
// (objects, sets, a container referenced twice, a mismatch) is decoded
// through the model. Both ways give the same result.
func Unmarshal(data []byte, v any, opts ...Option) error {
	return unmarshal(data, v, true, opts)
}

// unmarshal is Unmarshal; direct false keeps it on the general path, for
// tests.
func unmarshal(data []byte, v any, direct bool, opts []Option) error {
	cfg, err := newConfig(opts)
	if err != nil {
		return err
	}
	if err := checkTarget(v); err != nil {
		return err
	}
	if cfg.verifyKeys != nil {
		src := newBytesSource(data)
		payload, err := openEnvelope(src, cfg.verifyKeys)
		if err != nil {
			return err
		}
		if src.pos < len(data) {
			return &DecodeError{Offset: int64(src.pos), Err: malformed("%d bytes of trailing data after the signed pickle", len(data)-src.pos)}
		}
		data = payload
	}
	if plan, dst := directTarget(v); direct && plan != nil && !cfg.plain {
		// The direct decoder either decodes the whole pickle or leaves
		// it, and the zero value it may have half filled, to the general
		// path (direct.go).
		pos, err := decodeDirect(data, cfg, plan, dst)
		if err == nil && pos == len(data) {
			return nil
		}
		reflect.ValueOf(v).Elem().SetZero()
	}
	if a, ok := v.(*NDArray); ok && reusesNDArray(cfg, a) {
		return unmarshalNDArray(data, cfg, a)
	}
	borrowed := borrowsInput(cfg, v)
	val, err := decodeAll(data, cfg, borrowed || cfg.shareInput)
	if err != nil {
		return err
	}
	return store(v, val, cfg, int64(len(data)), borrowed && !cfg.shareInput)
}

// decodeAll decodes the one pickle data holds, to its last byte. With
// borrow, bytes payloads may point into data (see decode_borrow.go).
func decodeAll(data []byte, cfg *config, borrow bool) (any, error) {
	m := getMachine(newBytesSource(data), cfg)
	m.borrow = borrow
	val, err := m.decode()
	pos := m.src.pos
	putMachine(m)
	if err == io.EOF {
		return nil, &DecodeError{Offset: 0, Err: ErrTruncated}
	}
	if err != nil {
		return nil, err
	}
	if pos < len(data) {
		return nil, &DecodeError{Offset: int64(pos), Err: malformed("%d bytes of trailing data after STOP", len(data)-pos)}
	}
	return val, nil
}

// A Decoder reads consecutive pickles from a stream.
type Decoder struct {
	src source
	m   machine
	err error
}

// NewDecoder returns a Decoder that reads from r. It buffers its input, so it
// may read past the end of the pickle it decodes; Buffered returns that data.
func NewDecoder(r io.Reader, opts ...Option) *Decoder {
	d := &Decoder{src: source{r: r}}
	cfg, err := newConfig(opts)
	d.err = err
	d.m = machine{src: &d.src, cfg: cfg}
	return d
}

// Decode reads the next pickle and stores its value in the value v points to.
// At the end of the stream it returns io.EOF; a pickle cut off by the end of
// the stream is an error matching io.ErrUnexpectedEOF. Each pickle starts
// with an empty memo, as when Python calls pickle.load once per pickle.
// After an error other than io.EOF, the Decoder keeps returning that error.
func (d *Decoder) Decode(v any) error {
	if d.err != nil {
		return d.err
	}
	if err := checkTarget(v); err != nil {
		return err
	}
	start := d.src.offset()
	var val any
	var err error
	if d.m.cfg.verifyKeys != nil {
		val, err = d.decodeSigned()
	} else {
		val, err = d.m.decode()
	}
	if err != nil {
		if err != io.EOF {
			d.err = err
		}
		return err
	}
	return store(v, val, d.m.cfg, d.src.offset()-start, false)
}

// decodeSigned reads an envelope, checks it, and decodes the pickle inside.
func (d *Decoder) decodeSigned() (any, error) {
	if d.src.atEOF() {
		if d.src.rerr != nil && d.src.rerr != io.EOF {
			return nil, d.src.rerr
		}
		return nil, io.EOF
	}
	payload, err := openEnvelope(&d.src, d.m.cfg.verifyKeys)
	if err != nil {
		return nil, err
	}
	inner := newBytesSource(payload)
	d.m.src = inner
	defer func() { d.m.src = &d.src }()
	val, err := d.m.decode()
	if err == io.EOF {
		return nil, &DecodeError{Err: ErrTruncated}
	}
	if err == nil && inner.pos < len(payload) {
		err = &DecodeError{Offset: int64(inner.pos), Err: malformed("%d bytes of trailing data in the signed pickle", len(payload)-inner.pos)}
	}
	return val, err
}

// Buffered returns the data the Decoder has read from its reader but not yet
// decoded.
func (d *Decoder) Buffered() io.Reader {
	return &sliceReader{d.src.buf[d.src.pos:]}
}

// InputOffset returns the stream offset just after the last decoded pickle.
func (d *Decoder) InputOffset() int64 { return d.src.offset() }

type sliceReader struct{ b []byte }

func (r *sliceReader) Read(p []byte) (int, error) {
	if len(r.b) == 0 {
		return 0, io.EOF
	}
	n := copy(p, r.b)
	r.b = r.b[n:]
	return n, nil
}

// InvalidUnmarshalError describes an invalid argument passed to Unmarshal or
// Decode: it must be a non-nil pointer.
type InvalidUnmarshalError struct {
	Type reflect.Type
}

func (e *InvalidUnmarshalError) Error() string {
	if e.Type == nil {
		return "pickle: Unmarshal(nil)"
	}
	if e.Type.Kind() != reflect.Pointer {
		return "pickle: Unmarshal(non-pointer " + e.Type.String() + ")"
	}
	return "pickle: Unmarshal(nil " + e.Type.String() + ")"
}

func checkTarget(v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return &InvalidUnmarshalError{reflect.TypeOf(v)}
	}
	return nil
}
