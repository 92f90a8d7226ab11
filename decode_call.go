package pickle

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf8"
)

// This file evaluates the few calls whose result has a natural place in the
// value model: the builtin constructors CPython's pickles of builtin data use
// (set, frozenset, bytearray, bytes through _codecs.encode, complex,
// OrderedDict, ...). Every other call becomes a symbolic *Object.

// A stateBuilder is a value of the model that a call makes and BUILD then
// completes in place (a numpy array or dtype), so that memo references to
// it see the completed value.
type stateBuilder interface {
	buildState(state any) error
}

// bareInstanceClass returns the class of an instance that is just
// cls.__new__(cls), before any BUILD: NEWOBJ(cls, ()), or
// copyreg._reconstructor(cls, object, None), as protocols 0 and 1 spell it
// (with datetime.tzinfo and tzinfo() for a tzinfo subclass).
func bareInstanceClass(o *Object) (Global, bool) {
	if o.HasState || len(o.ListItems) != 0 || len(o.DictItems) != 0 {
		return Global{}, false
	}
	if o.Kind == CallNewObj && len(o.Args) == 0 {
		g, ok := o.Class.(Global)
		return g, ok
	}
	if o.Kind == CallReduce && o.Class == any(globalReconstructor) {
		return reconstructedClass(o.Args)
	}
	return Global{}, false
}

// reconstructedClass returns cls when args are copyreg._reconstructor's
// for a bare instance: (cls, object, None), or (cls, datetime.tzinfo,
// datetime.tzinfo()), which copyreg writes for tzinfo subclasses.
func reconstructedClass(args Tuple) (Global, bool) {
	if len(args) != 3 {
		return Global{}, false
	}
	g, ok := args[0].(Global)
	switch {
	case args[1] == any(globalObject) && args[2] == nil:
		return g, ok
	case args[1] == any(globalTzinfoBase):
		base, isObj := args[2].(*Object)
		bare := isObj && base.Class == any(globalTzinfoBase) && base.Kind == CallReduce && len(base.Args) == 0 &&
			base.Kwargs == nil && !base.HasState && len(base.ListItems) == 0 && len(base.DictItems) == 0
		return g, ok && bare
	}
	return Global{}, false
}

// buildConvertible reports whether v is an object BUILD may turn into a
// value of the model: a bare instance of a class in builtinBuilds. The
// machine remembers where such an object is memoized, so that the value
// replaces it there too (its state is memoized after it).
func buildConvertible(v any) bool {
	o, ok := v.(*Object)
	if !ok {
		return false
	}
	g, ok := bareInstanceClass(o)
	return ok && (builtinBuilds[g] != nil || rawBuilds[g] != nil)
}

// call performs REDUCE, NEWOBJ, NEWOBJ_EX, INST or OBJ.
func (m *machine) call(callable any, args Tuple, kwargs *Dict, kind CallKind) (any, error) {
	if kind == CallReduce {
		if v, ok, err := m.foldGetattr(callable, args); ok || err != nil {
			return v, err
		}
		if cls, args, kwargs, kind, ok := unwrapNewObj(callable, args); ok {
			if o, isObj := callable.(*Object); isObj && o.pending {
				m.pending--
			}
			return m.call(cls, args, kwargs, kind)
		}
	}
	if p, ok := callable.(pendingGlobal); ok {
		if p.g == partialGlobal && kind == CallReduce && len(args) == 1 && isNewFunc(args[0]) {
			// partial(cls.__new__): on probation until called with ().
			// The partial global is consumed; the partial object takes
			// its place on probation.
			return &Object{Class: partialGlobal, Kind: CallReduce, Args: args, pending: true}, nil
		}
		if m.obs != nil && m.obs.scanning {
			// The scanner goes on with the call Python would make.
			m.pending--
			m.obs.leaked = true
			callable = p.g
		} else {
			return nil, &GlobalError{Module: p.g.Module, Name: p.g.Name}
		}
	}
	if callable == any(globalReconstructor) && kind == CallReduce && len(args) == 3 && args[1] == any(globalTzinfoBase) {
		// A dateutil zone below protocol 2: evaluated as NEWOBJ(cls, ())
		// is at protocol 2.
		if cls, ok := reconstructedClass(args); ok && builtinCalls[cls] != nil {
			if v, handled, err := builtinCalls[cls](Tuple{}, CallNewObj); err != nil || handled {
				return v, err
			}
		}
	}
	if g, ok := callable.(Global); ok && (kwargs == nil || kwargs.Len() == 0) {
		if why := notPlain(g, args); why != "" {
			if m.obs == nil || !m.obs.scanning {
				return nil, &NotPlainError{Global: g, Reason: why}
			}
			m.obs.notPlain(why)
			return &Object{Class: callable, Kind: kind, Args: args, Kwargs: kwargs}, nil
		}
		if fn := builtinCalls[g]; fn != nil {
			// set(items), OrderedDict(pairs) and the like hash their
			// argument's items.
			if len(args) > 0 {
				if items, ok := iterableItems(args[0]); ok {
					if err := m.chargeKeys(items, 1); err != nil {
						return nil, err
					}
				}
			}
			if kind == CallInst || kind == CallObj {
				// Python's _instantiate: no arguments means cls.__new__(cls).
				if len(args) == 0 {
					kind = CallNewObj
				} else {
					kind = CallReduce
				}
			}
			v, handled, err := fn(args, kind)
			if err != nil || handled {
				return v, err
			}
		}
	}
	if kind == CallReduce && len(args) == 2 {
		if v, ok, err := m.stateSetter(callable, args[0], args[1]); ok || err != nil {
			return v, err
		}
	}
	return &Object{Class: callable, Kind: kind, Args: args, Kwargs: kwargs}, nil
}

// setterCalls are the methods a state_setter (the 6th item of a __reduce__,
// Python 3.8+) may be that the decoder applies to a value of the model, as
// Python would, by global: setter(target, state). They report handled=false
// when target or state is not a value they know. (Not list.extend: a few
// bytes of pickle could double a list each time.)
var setterCalls = map[Global]func(m *machine, target, state any) (handled bool, err error){
	{"builtins", "list.append"}: func(m *machine, target, state any) (bool, error) {
		l, ok := target.(*List)
		if ok {
			*l = append(*l, state)
		}
		return ok, nil
	},
	{"builtins", "dict.update"}: func(m *machine, target, state any) (bool, error) {
		var d *Dict
		switch x := target.(type) {
		case *Dict:
			d = x
		case *OrderedDict:
			d = &x.Dict
		}
		items, ok := dictItems(state)
		if d == nil || !ok {
			return false, nil
		}
		keys, _ := iterableItems(state)
		if err := m.chargeKeys(keys, 1); err != nil {
			return true, err
		}
		for _, it := range items {
			if err := d.Set(it.Key, it.Value); err != nil {
				return true, err
			}
		}
		return true, nil
	},
}

// popThenFixup reads ahead, without consuming: it reports whether a POP
// follows the REDUCE of callable, and whether a GET of an object callable
// made follows the POP. That GET makes the POP not a state_setter's but
// CPython's fix-up of an object reached through its own arguments, whose
// second copy it POPs to GET the first (pickle.py's save_reduce). It reads no
// further than the opcodes it looks at, which the pickle must hold anyway:
// on a stream, it never waits for data the decoder would not.
func (m *machine) popThenFixup(callable any) (pop, fixup bool) {
	next := m.src.peek(2)
	if len(next) == 0 || next[0] != opPop {
		return false, false
	}
	if len(next) < 2 {
		return true, false
	}
	var i uint64
	switch next[1] {
	case opBinGet:
		if next = m.src.peek(3); len(next) < 3 {
			return true, false
		}
		i = uint64(next[2])
	case opLongBinGet:
		if next = m.src.peek(6); len(next) < 6 {
			return true, false
		}
		i = uint64(binary.LittleEndian.Uint32(next[2:]))
	case opGet:
		// POP, GET and the decimal index up to its newline.
		for n := 3; n <= 24; n++ {
			if next = m.src.peek(n); len(next) < n || next[n-1] == '\n' {
				break
			}
		}
		idx, ok := bytes.CutSuffix(next[2:], []byte("\n"))
		n, err := strconv.ParseUint(string(idx), 10, 64)
		if !ok || err != nil {
			return true, false
		}
		i = n
	default:
		return true, false
	}
	v, _ := m.memo.get(i)
	o, ok := v.(*Object)
	return true, ok && o.Class == callable
}

// stateSetter handles callable(target, state) as a state_setter, which
// CPython writes as REDUCE and then POP of what the call returns: a method
// of setterCalls is applied (it returns None), and any other callable, on an
// Object, is kept as the Object's Setter and State. It reports ok=false for
// a call that stays an Object of its own: its result is used (no POP follows).
func (m *machine) stateSetter(callable, target, state any) (v any, ok bool, err error) {
	if g, isGlobal := callable.(Global); isGlobal {
		if fn := setterCalls[g]; fn != nil {
			if handled, err := fn(m, target, state); handled || err != nil {
				return nil, true, err
			}
		}
	}
	if pop, fixup := m.popThenFixup(callable); !pop || fixup {
		return nil, false, nil
	}
	if obj, isObj := target.(*Object); isObj && !obj.HasState {
		obj.Setter, obj.State, obj.HasState = callable, state, true
		return nil, true, nil
	}
	if m.obs != nil && m.obs.scanning {
		return nil, false, nil // the scanner has seen the call: enough
	}
	// A list, say, that a function of the pickle's fills: the model has
	// no place for the call.
	return nil, true, unsupported("a call of %s on a %s for its effect (a state_setter), which this package cannot keep", typeName(callable), typeName(target))
}

// MaxPlainAlloc is the most bytes, or items, that a call of an allowed
// constructor may ask CPython to allocate and still count as plain data:
// bytes(n) and bytearray(n) with n up to it, list(range(n)) and the like.
// CPython's own pickles never spell data so; a pickle that does with a
// larger n makes CPython allocate what it says (bytes(10**12) tries a
// terabyte), from a few bytes of input.
const MaxPlainAlloc = 1 << 20

// notPlain says why a call of an allowed global is not plain data, or "":
// what its row's ctor.notPlain says (the codecs bytes may be built with, in
// pytype_builtins.go), or a size beyond MaxPlainAlloc.
func notPlain(g Global, args Tuple) string {
	if check := plainChecks[g]; check != nil {
		if why := check(args); why != "" {
			return why
		}
	}
	if builtinCalls[g] != nil && len(args) > 0 {
		if n, ok := allocSize(g, args[0]); ok && n.Cmp(big.NewInt(MaxPlainAlloc)) > 0 {
			return fmt.Sprintf("asks CPython to allocate %s items (more than MaxPlainAlloc)", n)
		}
	}
	return ""
}

// allocSize returns how many bytes or items CPython allocates for the
// argument of an evaluated constructor, when the argument says so: an
// integer size for bytes and bytearray, or a range.
func allocSize(g Global, arg any) (*big.Int, bool) {
	sized := g == globalBytes || g == globalByteArray // bytes(n), bytearray(n)
	switch x := arg.(type) {
	case int64:
		if sized {
			return big.NewInt(x), true
		}
	case *big.Int:
		if sized {
			return x, true
		}
	case *Object:
		return rangeLen(x)
	}
	return nil, false
}

// rangeLen returns the length of range(...) or xrange(...) called with
// integers.
func rangeLen(o *Object) (*big.Int, bool) {
	if o.Class != any(globalRange) && o.Class != any(py2XRange) || o.Kind != CallReduce {
		return nil, false
	}
	var b [3]*big.Int
	for i, a := range o.Args {
		if i >= 3 {
			return nil, false
		}
		switch x := a.(type) {
		case int64:
			b[i] = big.NewInt(x)
		case *big.Int:
			b[i] = x
		default:
			return nil, false
		}
	}
	start, stop, step := big.NewInt(0), b[0], big.NewInt(1)
	switch len(o.Args) {
	case 0:
		return nil, false
	case 2, 3:
		start, stop = b[0], b[1]
		if len(o.Args) == 3 {
			step = b[2]
		}
	}
	if step.Sign() == 0 {
		return nil, false
	}
	// len = max(0, ceil((stop - start) / step))
	n := new(big.Int).Sub(stop, start)
	if step.Sign() < 0 {
		n.Neg(n)
		step = new(big.Int).Neg(step)
	}
	if n.Sign() <= 0 {
		return new(big.Int), true
	}
	n.Add(n, step).Sub(n, big.NewInt(1)).Quo(n, step)
	return n, true
}

// unwrapNewObj recognizes the spellings of cls.__new__(cls, *args, **kwargs)
// that protocols without NEWOBJ and NEWOBJ_EX use, so that an object decodes
// to the same value whichever protocol wrote it:
//
//	copyreg.__newobj__(cls, *args)
//	copyreg.__newobj_ex__(cls, args, kwargs)
//	functools.partial(cls.__new__, cls, *args, **kwargs)()
func unwrapNewObj(callable any, args Tuple) (cls any, newArgs Tuple, kwargs *Dict, kind CallKind, ok bool) {
	switch c := callable.(type) {
	case Global:
		switch c {
		case globalNewObj:
			if len(args) >= 1 && maybeCallable(args[0]) {
				return args[0], args[1:], nil, CallNewObj, true
			}
		case globalNewObjEx:
			if len(args) == 3 && maybeCallable(args[0]) {
				a, ok1 := args[1].(Tuple)
				kw, ok2 := args[2].(*Dict)
				if ok1 && ok2 {
					return args[0], a, kw, CallNewObjEx, true
				}
			}
		}
	case *Object:
		// The partial object: partial(f) with state (f, (cls, *args),
		// kwargs, None), where f is cls.__new__.
		if c.Class != any(partialGlobal) || c.Kind != CallReduce || len(args) != 0 ||
			len(c.Args) != 1 || !c.HasState || len(c.ListItems) != 0 || len(c.DictItems) != 0 {
			return
		}
		st, isTuple := c.State.(Tuple)
		if !isTuple || len(st) != 4 || st[3] != nil {
			return
		}
		pargs, isTuple := st[1].(Tuple)
		if !isTuple || len(pargs) == 0 || !isNewOf(st[0], pargs[0]) || !isNewOf(c.Args[0], pargs[0]) {
			return
		}
		kw, isDict := st[2].(*Dict)
		if st[2] == nil {
			kw = &Dict{}
		} else if !isDict {
			return
		}
		return pargs[0], pargs[1:], kw, CallNewObjEx, true
	}
	return
}

// isNewFunc reports whether f is some cls.__new__.
func isNewFunc(f any) bool {
	switch f := f.(type) {
	case Global:
		return strings.HasSuffix(f.Name, ".__new__")
	case *Object:
		return f.Class == any(getattrGlobal) && f.Kind == CallReduce && len(f.Args) == 2 && f.Args[1] == any("__new__")
	}
	return false
}

// isNewOf reports whether f is cls.__new__: the global mod.C.__new__, or
// getattr(cls, '__new__').
func isNewOf(f, cls any) bool {
	switch f := f.(type) {
	case Global:
		c, ok := cls.(Global)
		return ok && f == Global{c.Module, c.Name + ".__new__"}
	case *Object:
		return f.Class == any(getattrGlobal) && f.Kind == CallReduce && len(f.Args) == 2 &&
			f.Args[1] == any("__new__") && sameIdentity(f.Args[0], cls)
	}
	return false
}

// sameIdentity reports whether a and b are the same object of the model.
func sameIdentity(a, b any) bool {
	switch a := a.(type) {
	case Global:
		return a == b
	case *Object:
		b, ok := b.(*Object)
		return ok && a == b
	case *PersistentID:
		b, ok := b.(*PersistentID)
		return ok && a == b
	}
	return false
}

// iterableItems returns what Python's iter() yields for an argument: the
// items of a sequence or set, the keys of a dict.
func iterableItems(v any) ([]any, bool) {
	if items, ok := sequenceItems(v); ok {
		return items, true
	}
	if items, ok := dictItems(v); ok {
		keys := make([]any, len(items))
		for i, it := range items {
			keys[i] = it.Key
		}
		return keys, true
	}
	return nil, false
}

func callSet(args Tuple, kind CallKind) (any, bool, error) {
	if kind == CallNewObj || len(args) == 0 {
		return &Set{}, true, nil // set.__new__ ignores its arguments
	}
	items, ok := iterableItems(args[0])
	if !ok || len(args) != 1 {
		return nil, false, nil
	}
	s, err := NewSet(items...)
	return s, true, err
}

func callFrozenSet(args Tuple, kind CallKind) (any, bool, error) {
	if len(args) == 0 {
		return &FrozenSet{}, true, nil
	}
	items, ok := iterableItems(args[0])
	if !ok || len(args) != 1 {
		return nil, false, nil
	}
	f, err := NewFrozenSet(items...)
	return f, true, err
}

func callByteArray(args Tuple, kind CallKind) (any, bool, error) {
	if kind == CallNewObj || len(args) == 0 {
		return &ByteArray{}, true, nil // bytearray.__new__ ignores its arguments
	}
	b, ok, err := bytesFromArgs(args)
	if !ok || err != nil {
		return nil, ok, err
	}
	ba := ByteArray(b)
	return &ba, true, nil
}

func callBytes(args Tuple, kind CallKind) (any, bool, error) {
	if len(args) == 0 {
		return []byte{}, true, nil
	}
	b, ok, err := bytesFromArgs(args)
	return b, ok, err
}

// bytesFromArgs handles bytes(x) and bytearray(x) for a bytes-like or a list
// of ints, and (text, encoding).
func bytesFromArgs(args Tuple) ([]byte, bool, error) {
	switch len(args) {
	case 1:
		switch x := args[0].(type) {
		case int64:
			// bytes(n): n zero bytes (notPlain has bounded n).
			if x < 0 {
				return nil, true, malformed("negative count")
			}
			return make([]byte, x), true, nil
		case []byte:
			return append([]byte{}, x...), true, nil
		case *ByteArray:
			return append([]byte{}, *x...), true, nil
		}
		items, ok := iterableItems(args[0])
		if !ok {
			return nil, false, nil
		}
		b := make([]byte, len(items))
		for i, it := range items {
			n, ok := it.(int64)
			if !ok || n < 0 || n > 255 {
				return nil, true, malformed("bytes must be in range(0, 256)")
			}
			b[i] = byte(n)
		}
		return b, true, nil
	case 2, 3:
		return encodeText(args)
	}
	return nil, false, nil
}

func callCodecsEncode(args Tuple, kind CallKind) (any, bool, error) {
	if len(args) == 1 {
		args = Tuple{args[0], "utf-8"}
	}
	return encodeText(args)
}

// encodeText implements str.encode(encoding[, errors]) for the encodings
// pickles use, strictly.
func encodeText(args Tuple) ([]byte, bool, error) {
	if len(args) < 2 || len(args) > 3 {
		return nil, false, nil
	}
	text, ok := args[0].(string)
	if !ok {
		return nil, false, nil
	}
	enc, ok := args[1].(string)
	if !ok {
		return nil, false, nil
	}
	if len(args) == 3 {
		if errs, ok := args[2].(string); !ok || errs != "strict" {
			return nil, false, nil
		}
	}
	switch c := codecNamed(enc); c {
	case codecLatin1, codecASCII:
		limit := rune(0xff)
		if c == codecASCII {
			limit = 0x7f
		}
		out := make([]byte, 0, len(text))
		for i := 0; i < len(text); {
			r, size := decodeSurrogatepass(text[i:])
			if r > limit || r < 0 {
				return nil, true, malformed("%q codec can't encode character at position %d", enc, i)
			}
			out = append(out, byte(r))
			i += size
		}
		return out, true, nil
	case codecUTF8:
		if !utf8.ValidString(text) {
			return nil, true, malformed("'utf-8' codec can't encode surrogates")
		}
		return []byte(text), true, nil
	}
	return nil, false, nil
}

func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int64:
		return float64(x), true
	case bool:
		if x {
			return 1, true
		}
		return 0, true
	case *big.Int:
		f, _ := new(big.Float).SetInt(x).Float64()
		return f, !math.IsInf(f, 0)
	}
	return 0, false
}

func callComplex(args Tuple, kind CallKind) (any, bool, error) {
	var re, im float64
	var ok bool
	switch len(args) {
	case 0:
		return complex128(0), true, nil
	case 2:
		if im, ok = toFloat(args[1]); !ok {
			return nil, false, nil
		}
		fallthrough
	case 1:
		if re, ok = toFloat(args[0]); !ok {
			return nil, false, nil
		}
		return complex(re, im), true, nil
	}
	return nil, false, nil
}

func callInt(args Tuple, kind CallKind) (any, bool, error) {
	if len(args) == 0 {
		return int64(0), true, nil
	}
	if len(args) != 1 {
		return nil, false, nil
	}
	switch x := args[0].(type) {
	case int64, *big.Int:
		return x, true, nil
	case bool:
		if x {
			return int64(1), true, nil
		}
		return int64(0), true, nil
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, true, malformed("cannot convert float %v to integer", x)
		}
		t := math.Trunc(x)
		if t >= -(1<<63) && t < 1<<63 {
			return int64(t), true, nil
		}
		i, _ := big.NewFloat(t).Int(nil)
		return i, true, nil
	case string:
		n, b, err := parseTextInt([]byte(x), 10, DefaultMaxIntDigits)
		if err != nil {
			return nil, true, err
		}
		if b != nil {
			return b, true, nil
		}
		return n, true, nil
	}
	return nil, false, nil
}

func callFloat(args Tuple, kind CallKind) (any, bool, error) {
	if len(args) == 0 {
		return 0.0, true, nil
	}
	if len(args) != 1 {
		return nil, false, nil
	}
	if f, ok := toFloat(args[0]); ok {
		return f, true, nil
	}
	return nil, false, nil
}

func callStr(args Tuple, kind CallKind) (any, bool, error) {
	if len(args) == 0 {
		return "", true, nil
	}
	if s, ok := args[0].(string); ok && len(args) == 1 {
		return s, true, nil
	}
	return nil, false, nil
}

// fillDict fills d as dict(*args) would: from a mapping, or from an
// iterable of pairs.
func fillDict(d *Dict, args Tuple) (handled bool, err error) {
	if len(args) != 1 {
		return false, nil
	}
	if items, ok := dictItems(args[0]); ok {
		d.grow(len(items))
		for _, it := range items {
			_ = d.Set(it.Key, it.Value)
		}
		return true, nil
	}
	pairs, ok := iterableItems(args[0])
	if !ok {
		return false, nil
	}
	d.grow(len(pairs))
	for _, p := range pairs {
		kv, ok := iterableItems(p)
		if !ok || len(kv) != 2 {
			return false, nil
		}
		if err := d.Set(kv[0], kv[1]); err != nil {
			return true, err
		}
	}
	return true, nil
}

// callList is list(iterable); list.__new__ (NEWOBJ) ignores its arguments.
func callList(args Tuple, kind CallKind) (any, bool, error) {
	if kind == CallNewObj || len(args) == 0 {
		return new(List), true, nil
	}
	items, ok := iterableItems(args[0])
	if !ok || len(args) != 1 {
		return nil, false, nil
	}
	l := List(append([]any(nil), items...))
	return &l, true, nil
}

// callTuple is tuple(iterable), by REDUCE or NEWOBJ (tuple.__new__ does the
// work).
func callTuple(args Tuple, kind CallKind) (any, bool, error) {
	if len(args) == 0 {
		return emptyTuple, true, nil
	}
	items, ok := iterableItems(args[0])
	if !ok || len(args) != 1 {
		return nil, false, nil
	}
	if len(items) == 0 {
		return emptyTuple, true, nil
	}
	return Tuple(append([]any(nil), items...)), true, nil
}

// callDict is dict(mapping) or dict(iterable of pairs); dict.__new__
// (NEWOBJ) ignores its arguments.
func callDict(args Tuple, kind CallKind) (any, bool, error) {
	d := &Dict{}
	if kind == CallNewObj || len(args) == 0 {
		return d, true, nil
	}
	handled, err := fillDict(d, args)
	if !handled || err != nil {
		return nil, handled, err
	}
	return d, true, nil
}
