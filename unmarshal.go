package pickle

import (
	"encoding"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"strconv"
	"sync"
	"time"
)

// This file unmarshals decoded values into Go types; Unmarshal's
// documentation has the rules.

// UnmarshalTypeError describes a Python value that does not fit the Go type
// it was decoded into.
type UnmarshalTypeError struct {
	Value string       // Python type, e.g. "str", or a description
	Type  reflect.Type // Go type it could not go into
	Path  string       // where, e.g. "[3].score"; "" for the top
	Err   error        // the detail, if any (an overflow, a hook's error)
}

func (e *UnmarshalTypeError) Error() string {
	msg := "pickle: cannot unmarshal Python " + e.Value + " into Go value of type " + e.Type.String()
	if e.Path != "" {
		msg += " at " + e.Path
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *UnmarshalTypeError) Unwrap() error { return e.Err }

// atIndex, atKey and atField add where a conversion failed to its error, as
// the error returns through the containers: paths cost nothing when nothing
// fails.
func (u *unmarshaler) atIndex(err error, i int) error {
	return prependTypePath(err, "["+strconv.Itoa(i)+"]")
}

func (u *unmarshaler) atKey(err error, k any) error {
	if s, ok := k.(string); ok {
		return prependTypePath(err, "["+strconv.Quote(s)+"]")
	}
	return prependTypePath(err, "["+Repr(k)+"]")
}

func (u *unmarshaler) atField(err error, name string) error {
	return prependTypePath(err, "."+name)
}

func prependTypePath(err error, elem string) error {
	if ute, ok := err.(*UnmarshalTypeError); ok {
		ute.Path = elem + ute.Path
	}
	return err
}

// Typed decoding copies what a pickle shares, so that a few bytes of memo
// references can stand for any number of Go values, and a Go value can be
// large (a struct of many fields): the Go values one decode makes are
// charged, twice their size plus 16 bytes each (the temporaries a map entry
// needs and the allocator's rounding), against a budget of
// typedBytesPerInputByte per input byte plus typedBytesBase.
const (
	typedBytesPerInputByte = 256
	typedBytesBase         = 1 << 20
)

// store puts a decoded value where v points. inputLen sizes the budget that
// stops a pickle of shared references from expanding without bound.
func store(v any, val any, cfg *config, inputLen int64, borrowed bool) error {
	if p, ok := v.(*any); ok && len(cfg.classByName) == 0 {
		if cfg.plain {
			val = Plain(val)
		}
		*p = val
		return nil
	}
	u := &unmarshaler{
		cfg:      cfg,
		budget:   typedBytesPerInputByte*inputLen + typedBytesBase,
		input:    inputLen,
		shared:   map[sharedKey]reflect.Value{},
		borrowed: borrowed,
	}
	return u.convert(val, reflect.ValueOf(v).Elem())
}

type unmarshaler struct {
	cfg    *config
	budget int64 // bytes of Go values left to make
	input  int64 // the pickle's length, which sized the budget
	depth  int
	// shared maps an object of the model and a Go pointer type to the
	// pointer already made for it, so that sharing survives.
	shared map[sharedKey]reflect.Value
	// models maps objects of the model to what they became in an `any`.
	models map[any]any
	// borrowed says the decoded bytes objects share the input's memory
	// (decode_borrow.go): they are copied where they are stored.
	borrowed bool
	// inKey counts the map keys being converted: their interface slots
	// receive comparable forms (unmarshal_keys.go).
	inKey int
	// plain makes the values `any` slots receive with PlainValues, one
	// for the whole decode, so that sharing survives.
	plain plainer
}

type sharedKey struct {
	src any
	t   reflect.Type
}

// identityKey returns the identity of a model value that has one.
func identityKey(v any) any {
	switch x := v.(type) {
	case *List, *Dict, *Set, *Object:
		return v
	case Tuple:
		if len(x) > 0 {
			return tupleID{&x[0], len(x)}
		}
		return nil
	case nil, bool, int64, float64, string, []byte:
		return nil // the scalars, without the table lookup
	}
	if hasIdentity(v) {
		return v
	}
	return nil
}

var (
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
	timeType            = reflect.TypeFor[time.Time]()
	bytesKeyType        = reflect.TypeFor[BytesKey]()
	objectType          = reflect.TypeFor[Object]()
)

func (u *unmarshaler) mismatch(src any, dst reflect.Value, err error) error {
	return &UnmarshalTypeError{Value: typeName(src), Type: dst.Type(), Err: err}
}

// convert stores src into dst.
func (u *unmarshaler) convert(src any, dst reflect.Value) error {
	u.budget -= 2*int64(dst.Type().Size()) + 16
	if u.budget < 0 {
		// References to shared values expand beyond what the input
		// can stand for.
		total := typedBytesPerInputByte*u.input + typedBytesBase
		return u.mismatch(src, dst, &LimitError{Limit: "bytes of Go values made by typed decoding (256 per input byte, plus 1 MiB)", Value: total, Reached: total - u.budget})
	}
	if u.depth >= u.cfg.maxDepth {
		return u.mismatch(src, dst, &LimitError{Limit: "MaxDepth", Value: int64(u.cfg.maxDepth), Reached: int64(u.depth + 1)})
	}
	u.depth++
	err := u.convertValue(src, dst)
	u.depth--
	return err
}

// textUnmarshalers caches, per type, whether its pointer is an
// encoding.TextUnmarshaler.
var textUnmarshalers sync.Map // reflect.Type -> bool

func isTextUnmarshaler(t reflect.Type) bool {
	if v, ok := textUnmarshalers.Load(t); ok {
		return v.(bool)
	}
	is := reflect.PointerTo(t).Implements(textUnmarshalerType)
	textUnmarshalers.Store(t, is)
	return is
}

func (u *unmarshaler) convertValue(src any, dst reflect.Value) error {
	t := dst.Type()
	kind := t.Kind()
	// The commonest pairs first: a Python int, float or str into a plain
	// Go number or string.
	switch x := src.(type) {
	case int64:
		if kind >= reflect.Int && kind <= reflect.Int64 && t.PkgPath() == "" {
			if dst.OverflowInt(x) {
				return u.mismatch(src, dst, fmt.Errorf("%d overflows %s", x, t))
			}
			dst.SetInt(x)
			return nil
		}
	case float64:
		if kind == reflect.Float64 && t.PkgPath() == "" {
			dst.SetFloat(x)
			return nil
		}
	case string:
		if kind == reflect.String && t.PkgPath() == "" {
			dst.SetString(x)
			return nil
		}
	case *NDArray:
		if kind != reflect.Interface && kind != reflect.Pointer {
			return u.convertNDArray(x, dst)
		}
	case *Object:
		if t == timeType {
			if tm, ok, err := zonedTime(x); ok {
				if err != nil {
					return u.mismatch(src, dst, err)
				}
				dst.Set(reflect.ValueOf(tm))
				return nil
			}
		}
		if kind != reflect.Interface && t != objectType {
			if handled, err := u.convertObject(x, dst); handled {
				return err
			}
			if v, ok := enumValue(x); ok && isScalarKind(kind) {
				return u.convert(v, dst) // an enum member's value
			}
		}
	}
	if handled, err := u.convertPandas(src, dst); handled {
		return err
	}
	if kind == reflect.Struct && modelStructTypes[t] {
		return u.fillModelStruct(src, dst)
	}
	switch t {
	case bigIntType:
		switch x := src.(type) {
		case int64:
			dst.Set(reflect.ValueOf(*big.NewInt(x)))
			return nil
		case *big.Int:
			dst.Set(reflect.ValueOf(*new(big.Int).Set(x)))
			return nil
		}
		return u.mismatch(src, dst, nil)
	case bytesKeyType:
		if b, ok := bytesOf(src); ok {
			dst.SetString(string(b))
			return nil
		}
		return u.mismatch(src, dst, nil)
	case timeType:
		if d, ok := src.(Date); ok {
			// A date is a time.Time at naive midnight.
			dst.Set(reflect.ValueOf(time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, Naive)))
			return nil
		}
	}
	if src != nil && kind != reflect.Interface {
		if st := reflect.TypeOf(src); st == t || st.AssignableTo(t) {
			// The decoded value is already of the target type: a model
			// type, or a standard library value (time.Time, *big.Rat).
			if b, ok := src.([]byte); ok && u.borrowed {
				src = append([]byte{}, b...)
			}
			dst.Set(reflect.ValueOf(src))
			return nil
		}
	}
	if d, ok := src.(Decimal); ok && kind != reflect.Interface && t != decimalType {
		if handled, err := u.convertDecimal(d, dst); handled {
			return err
		}
	}
	if s, ok := src.(string); ok && kind != reflect.Interface && dst.CanAddr() && isTextUnmarshaler(t) {
		if err := dst.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(s)); err != nil {
			return u.mismatch(src, dst, err)
		}
		return nil
	}

	switch dst.Kind() {
	case reflect.Interface:
		if src == nil {
			dst.SetZero()
			return nil
		}
		v, err := u.modelValue(src)
		if err == nil && u.inKey > 0 {
			v, err = u.keyValue(v, dst)
		} else if err == nil && u.cfg.plain {
			v = u.plain.plain(v)
		}
		if err != nil {
			return err
		}
		rv := reflect.ValueOf(v)
		if !rv.Type().AssignableTo(t) {
			return u.mismatch(src, dst, nil)
		}
		dst.Set(rv)
		return nil
	case reflect.Pointer:
		if src == nil {
			dst.SetZero()
			return nil
		}
		key := identityKey(src)
		if key != nil {
			if v, ok := u.shared[sharedKey{key, t}]; ok {
				dst.Set(v)
				return nil
			}
		}
		nv := reflect.New(t.Elem())
		if key != nil {
			u.shared[sharedKey{key, t}] = nv
		}
		dst.Set(nv)
		return u.convert(src, nv.Elem())
	case reflect.Bool:
		if b, ok := src.(bool); ok {
			dst.SetBool(b)
			return nil
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		switch x := src.(type) {
		case int64:
			if dst.OverflowInt(x) {
				return u.mismatch(src, dst, fmt.Errorf("%d overflows %s", x, t))
			}
			dst.SetInt(x)
			return nil
		case *big.Int:
			return u.mismatch(src, dst, fmt.Errorf("%s overflows %s", x, t))
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		var n uint64
		switch x := src.(type) {
		case int64:
			if x < 0 {
				return u.mismatch(src, dst, fmt.Errorf("%d is negative", x))
			}
			n = uint64(x)
		case *big.Int:
			if !x.IsUint64() {
				return u.mismatch(src, dst, fmt.Errorf("%s overflows %s", x, t))
			}
			n = x.Uint64()
		default:
			return u.mismatch(src, dst, nil)
		}
		if dst.OverflowUint(n) {
			return u.mismatch(src, dst, fmt.Errorf("%d overflows %s", n, t))
		}
		dst.SetUint(n)
		return nil
	case reflect.Float32, reflect.Float64:
		var f float64
		switch x := src.(type) {
		case float64:
			f = x
		case int64:
			f = float64(x)
			if int64(f) != x || f >= 1<<63 {
				return u.mismatch(src, dst, fmt.Errorf("%d does not convert to a float exactly", x))
			}
		case *big.Int:
			bf, acc := new(big.Float).SetInt(x).Float64()
			if acc != big.Exact {
				return u.mismatch(src, dst, fmt.Errorf("%s does not convert to a float exactly", x))
			}
			f = bf
		default:
			return u.mismatch(src, dst, nil)
		}
		if t.Kind() == reflect.Float32 && !math.IsInf(f, 0) && !math.IsNaN(f) && dst.OverflowFloat(f) {
			return u.mismatch(src, dst, fmt.Errorf("%v overflows float32", f))
		}
		dst.SetFloat(f)
		return nil
	case reflect.Complex64, reflect.Complex128:
		switch x := src.(type) {
		case complex128:
			dst.SetComplex(x)
			return nil
		case float64:
			dst.SetComplex(complex(x, 0))
			return nil
		case int64:
			dst.SetComplex(complex(float64(x), 0))
			return nil
		}
	case reflect.String:
		if s, ok := src.(string); ok {
			dst.SetString(s)
			return nil
		}
	case reflect.Slice:
		if src == nil {
			dst.SetZero()
			return nil
		}
		if t.Elem().Kind() == reflect.Uint8 {
			if b, ok := bytesOf(src); ok {
				dst.SetBytes(append([]byte{}, b...))
				return nil
			}
		}
		items, ok := sequenceItems(src)
		if !ok {
			return u.mismatch(src, dst, nil)
		}
		setLenZeroed(dst, len(items))
		for i, it := range items {
			if err := u.convert(it, dst.Index(i)); err != nil {
				return u.atIndex(err, i)
			}
		}
		return nil
	case reflect.Array:
		items, ok := sequenceItems(src)
		if !ok {
			if b, isBytes := bytesOf(src); isBytes && t.Elem().Kind() == reflect.Uint8 {
				items = make([]any, len(b))
				for i, c := range b {
					items[i] = int64(c)
				}
			} else {
				return u.mismatch(src, dst, nil)
			}
		}
		if len(items) != t.Len() {
			return u.mismatch(src, dst, fmt.Errorf("%d items for an array of %d", len(items), t.Len()))
		}
		for i, it := range items {
			if err := u.convert(it, dst.Index(i)); err != nil {
				return u.atIndex(err, i)
			}
		}
		return nil
	case reflect.Map:
		if src == nil {
			dst.SetZero() // None is a nil map, as Marshal writes one
			return nil
		}
		items, ok := dictItems(src)
		if !ok {
			if keys, isSet := setItems(src); isSet && isSetMap(t) {
				return u.fillSetMap(keys, dst)
			}
			return u.mismatch(src, dst, nil)
		}
		return u.fillMap(items, dst)
	case reflect.Struct:
		items, ok := dictItems(src)
		if !ok {
			if seq, isSeq := positionalItems(src); isSeq && cachedFields(t).tuple {
				return u.fillTupleStruct(seq, dst, src)
			}
			return u.mismatch(src, dst, nil)
		}
		return u.fillStruct(items, dst, src)
	}
	return u.mismatch(src, dst, nil)
}

// bytesOf returns the bytes of bytes-like values.
func bytesOf(v any) ([]byte, bool) {
	switch x := v.(type) {
	case []byte:
		return x, true
	case *ByteArray:
		return *x, true
	case *PickleBuffer:
		return x.Data, true
	}
	return nil, false
}

// sequenceItems returns the items of sequence-like values.
func sequenceItems(v any) ([]any, bool) {
	switch x := v.(type) {
	case *List:
		return *x, true
	case Tuple:
		return x, true
	case *Set:
		return x.items, true
	case *FrozenSet:
		return x.s.items, true
	}
	return rowSequence(v)
}

// dictItems returns the items of dict-like values.
func dictItems(v any) ([]DictItem, bool) {
	switch x := v.(type) {
	case *Dict:
		return x.items, true
	case *OrderedDict:
		return x.items, true
	}
	return rowMapping(v)
}

func (u *unmarshaler) fillMap(items []DictItem, dst reflect.Value) error {
	t := dst.Type()
	if dst.IsNil() {
		dst.Set(reflect.MakeMapWithSize(t, len(items)))
	}
	for _, it := range items {
		k := reflect.New(t.Key()).Elem()
		if err := u.mapKey(it.Key, k); err != nil {
			return u.atKey(err, it.Key)
		}
		v := reflect.New(t.Elem()).Elem()
		if err := u.convert(it.Value, v); err != nil {
			return u.atKey(err, it.Key)
		}
		dst.SetMapIndex(k, v)
	}
	return nil
}

// convertKey converts a dict key; tuples go into array or struct keys.
func (u *unmarshaler) convertKey(src any, dst reflect.Value) error {
	if tup, ok := src.(Tuple); ok && dst.Kind() == reflect.Struct && dst.Type() != bigIntType {
		return u.fillTupleStruct(tup, dst, src)
	}
	return u.convert(src, dst)
}

// fillStruct sets fields from str-keyed items.
func (u *unmarshaler) fillStruct(items []DictItem, dst reflect.Value, src any) error {
	fields := cachedFields(dst.Type())
	for _, it := range items {
		name, ok := it.Key.(string)
		if !ok {
			return u.mismatch(src, dst, fmt.Errorf("key %s is not a str", Repr(it.Key)))
		}
		f, ok := fields.lookup(name)
		if !ok {
			if u.cfg.disallowUnknownFields {
				return u.mismatch(src, dst, fmt.Errorf("unknown field %q", name))
			}
			continue
		}
		fv, err := fieldForSet(dst, f.index)
		if err != nil {
			return u.mismatch(src, dst, err)
		}
		if err := u.convert(it.Value, fv); err != nil {
			return u.atField(err, f.name)
		}
	}
	return nil
}

// fieldForSet follows an index path, allocating nil embedded pointers.
func fieldForSet(v reflect.Value, index []int) (reflect.Value, error) {
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				if !v.CanSet() {
					return reflect.Value{}, fmt.Errorf("cannot set embedded pointer to unexported struct %s", v.Type().Elem())
				}
				v.Set(reflect.New(v.Type().Elem()))
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v, nil
}

// instance is what a symbolic object means as an instance of a class.
type instance struct {
	class    any // usually a Global
	args     Tuple
	kwargs   *Dict
	state    any
	hasState bool
	list     []any
	dict     []DictItem
}

// instanceOf reads an object as an instance: NEWOBJ, NEWOBJ_EX, INST and OBJ
// name the class directly; copyreg._reconstructor(cls, object, None) is how
// protocols 0 and 1 spell cls.__new__(cls); REDUCE of a class calls it.
func instanceOf(o *Object) instance {
	in := instance{class: o.Class, args: o.Args, kwargs: o.Kwargs, state: o.State, hasState: o.HasState, list: o.ListItems, dict: o.DictItems}
	if o.Kind == CallReduce && o.Class == any(globalReconstructor) && len(o.Args) == 3 {
		in.class = o.Args[0]
		if o.Args[1] == any(globalObject) {
			in.args = nil
		} else {
			in.args = Tuple{o.Args[2]}
		}
	}
	return in
}

// convertObject converts an instance of a class into dst: through the class
// registry, the hooks of dst's type, or its state.
func (u *unmarshaler) convertObject(o *Object, dst reflect.Value) (bool, error) {
	in := instanceOf(o)
	var info *classInfo
	if g, ok := in.class.(Global); ok {
		info = u.cfg.classOf(g)
	}
	t := dst.Type()
	if t.Kind() == reflect.Pointer {
		return false, nil // allocated by convert, then filled here
	}
	ptr := dst.Addr()
	_, setter := ptr.Interface().(StateSetter)
	_, initer := ptr.Interface().(Initializer)
	switch {
	case info != nil && (info.typ == t || info.typ.Kind() == reflect.Pointer && info.typ.Elem() == t):
	case setter || initer:
	case t.Kind() == reflect.Struct || t.Kind() == reflect.Slice || t.Kind() == reflect.Map:
	default:
		return false, nil
	}
	var funcs ClassFuncs
	if info != nil {
		funcs = info.funcs
	}
	if len(in.args) > 0 || (in.kwargs != nil && in.kwargs.Len() > 0) {
		var err error
		switch {
		case funcs.Init != nil:
			err = funcs.Init(ptr.Interface(), in.args, in.kwargs)
		case initer:
			err = ptr.Interface().(Initializer).PickleInit(in.args, in.kwargs)
		case isScalarKind(t.Kind()) && info != nil && len(in.args) == 1:
			// An enum member into the type registered for its class.
			return true, u.convert(in.args[0], dst)
		case t.Kind() == reflect.Struct && cachedFields(t).tuple:
			// A namedtuple, say: its arguments are its fields.
			items, ok := instanceItems(o, in)
			if !ok {
				return true, u.mismatch(o, dst, fmt.Errorf("built with arguments %s, not a tuple's items", Repr(in.args)))
			}
			if err := u.fillTupleStruct(items, dst, o); err != nil {
				return true, err
			}
		default:
			return true, u.mismatch(o, dst, fmt.Errorf("built with arguments %s: %s needs a PickleInit method or ClassFuncs.Init, or a `pickle:\",tuple\"` tag to take them as its fields", Repr(in.args), t))
		}
		if err != nil {
			return true, u.mismatch(o, dst, err)
		}
	}
	if in.hasState {
		var err error
		switch {
		case funcs.SetState != nil:
			err = funcs.SetState(ptr.Interface(), in.state)
		case setter:
			err = ptr.Interface().(StateSetter).PickleSetState(in.state)
		default:
			err = u.fillFromState(in.state, dst, o)
			if err != nil {
				return true, err
			}
		}
		if err != nil {
			return true, u.mismatch(o, dst, err)
		}
	}
	switch {
	case len(in.list) > 0 && t.Kind() == reflect.Slice:
		return true, u.convert((*List)(&in.list), dst)
	case len(in.dict) > 0 && t.Kind() == reflect.Map:
		return true, u.fillMap(in.dict, dst)
	}
	return true, nil
}

// fillFromState fills a struct from an instance's state: its __dict__, or a
// (__dict__, slots) pair.
func (u *unmarshaler) fillFromState(state any, dst reflect.Value, o *Object) error {
	if dst.Kind() != reflect.Struct {
		if state == nil {
			return nil
		}
		return u.convert(state, dst)
	}
	if pair, ok := state.(Tuple); ok && len(pair) == 2 {
		for _, part := range pair {
			if part == nil {
				continue
			}
			items, ok := dictItems(part)
			if !ok {
				return u.mismatch(o, dst, fmt.Errorf("state %s is not a (dict, slots) pair; add a PickleSetState method", Repr(state)))
			}
			if err := u.fillStruct(items, dst, o); err != nil {
				return err
			}
		}
		return nil
	}
	if state == nil {
		return nil
	}
	items, ok := dictItems(state)
	if !ok {
		return u.mismatch(o, dst, fmt.Errorf("state %s is not a dict; add a PickleSetState method", Repr(state)))
	}
	return u.fillStruct(items, dst, o)
}

// modelValue is the value an `any` receives: the model value itself, with
// instances of registered classes converted to their Go types.
func (u *unmarshaler) modelValue(src any) (any, error) {
	if len(u.cfg.classByName) == 0 {
		return src, nil
	}
	if u.models == nil {
		u.models = map[any]any{}
	}
	return u.replaceClasses(src)
}

// replaceClasses walks a value of the model, replacing instances of
// registered classes, in place, by their Go values.
func (u *unmarshaler) replaceClasses(v any) (any, error) {
	key := identityKey(v)
	if key != nil {
		if done, ok := u.models[key]; ok {
			return done, nil
		}
		u.models[key] = v // a cycle back here keeps the model value
	}
	u.depth++
	defer func() { u.depth-- }()
	if u.depth > u.cfg.maxDepth {
		return nil, &UnmarshalTypeError{Value: typeName(v), Type: reflect.TypeFor[any](), Err: &LimitError{Limit: "MaxDepth", Value: int64(u.cfg.maxDepth), Reached: int64(u.depth)}}
	}
	replaceAll := func(items []any) error {
		for i, it := range items {
			nv, err := u.replaceClasses(it)
			if err != nil {
				return u.atIndex(err, i)
			}
			items[i] = nv
		}
		return nil
	}
	switch x := v.(type) {
	case *Object:
		in := instanceOf(x)
		if g, ok := in.class.(Global); ok {
			if info := u.cfg.classOf(g); info != nil {
				dst := reflect.New(info.typ).Elem()
				if err := u.convert(x, dst); err != nil {
					return nil, err
				}
				u.models[key] = dst.Interface()
				return dst.Interface(), nil
			}
		}
		if err := replaceAll(x.Args); err != nil {
			return nil, err
		}
		if err := replaceAll(x.ListItems); err != nil {
			return nil, err
		}
		if x.HasState {
			st, err := u.replaceClasses(x.State)
			if err != nil {
				return nil, err
			}
			x.State = st
		}
		for i := range x.DictItems {
			nv, err := u.replaceClasses(x.DictItems[i].Value)
			if err != nil {
				return nil, err
			}
			x.DictItems[i].Value = nv
		}
	case *List:
		return v, replaceAll(*x)
	case Tuple:
		return v, replaceAll(x)
	case *Dict:
		return v, u.replaceValues(x)
	case *OrderedDict:
		return v, u.replaceValues(&x.Dict)
	}
	return v, nil
}

// replaceValues replaces registered instances among a dict's values. Keys are
// left as they are: instances hash by identity, so they stay valid keys.
func (u *unmarshaler) replaceValues(d *Dict) error {
	for i := range d.items {
		nv, err := u.replaceClasses(d.items[i].Value)
		if err != nil {
			return u.atKey(err, d.items[i].Key)
		}
		d.items[i].Value = nv
	}
	return nil
}

// setLenZeroed makes the slice dst hold n zero elements: in its own backing
// array when that has room for them, as encoding/json reuses a slice, else
// in a new one. Unlike encoding/json, the reused elements are zeroed first,
// so that what is decoded into them is what a new slice would get.
func setLenZeroed(dst reflect.Value, n int) {
	if dst.Cap() >= n && dst.Cap() > 0 {
		dst.SetLen(n)
		dst.Clear()
		return
	}
	dst.Set(reflect.MakeSlice(dst.Type(), n, n))
}
