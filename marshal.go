package pickle

import (
	"cmp"
	"fmt"
	"math/big"
	"reflect"
	"slices"
	"strings"
	"time"
	"unsafe"
)

// This file marshals ordinary Go values (everything outside the value model)
// into pickles, by reflection; Marshal's documentation has the mapping. Map
// keys are written in sorted order so that output is deterministic: numbers
// by value, strings bytewise, tuples (array and struct keys) item by item, and
// keys of different kinds by kind.

// goIdentity is the memo key of a Go pointer or map: its type and address.
type goIdentity struct {
	t reflect.Type
	p uintptr
}

var bigIntType = reflect.TypeFor[big.Int]()

// saveReflect writes a Go value by reflection.
func (e *encoder) saveReflect(v any) error {
	if r, ok := v.(Reducer); ok {
		o, err := r.PickleReduce()
		if err != nil {
			return &EncodeError{Err: fmt.Errorf("%T.PickleReduce: %w", v, err)}
		}
		return e.saveReduced(o, identityOf(v))
	}
	rv := reflect.ValueOf(v)
	if info := e.cfg.classByType[rv.Type()]; info != nil {
		return e.saveClassInstance(rv, info)
	}
	switch rv.Kind() {
	case reflect.Pointer:
		if rv.IsNil() {
			e.writeOp(opNone)
			return nil
		}
		if rv.Type().Elem() == bigIntType {
			return e.saveBigInt(rv.Interface().(*big.Int))
		}
		if reducedValueTypes[rv.Type().Elem()] {
			// *time.Time and the like: the value, which the standard
			// library types memoize by value.
			return e.save(rv.Elem().Interface())
		}
		key := goIdentity{rv.Type(), rv.Pointer()}
		if e.memoGet(key) {
			return nil
		}
		return e.saveValueAs(rv.Elem(), key)
	case reflect.Interface:
		if rv.IsNil() {
			e.writeOp(opNone)
			return nil
		}
		return e.save(rv.Elem().Interface())
	}
	return e.saveValueAs(rv, nil)
}

// identityOf returns the memo key of a value with identity, or nil.
func identityOf(v any) any {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Map:
		if !rv.IsNil() {
			return goIdentity{rv.Type(), rv.Pointer()}
		}
	}
	return nil
}

// saveValueAs writes rv, memoizing the Python object it becomes under key
// (the identity of the pointer that led to it), if not nil.
func (e *encoder) saveValueAs(rv reflect.Value, key any) error {
	if modelStructTypes[rv.Type()] {
		// A Dict, Set, Object, ... held by value: written as the
		// pointer the decoder would make, not as a struct of fields.
		if !rv.CanAddr() {
			p := reflect.New(rv.Type())
			p.Elem().Set(rv)
			rv = p.Elem()
		}
		return e.save(rv.Addr().Interface())
	}
	if rv.Type() == bigIntType {
		x := rv.Interface().(big.Int)
		return e.saveBigInt(&x)
	}
	if info := e.cfg.classByType[rv.Type()]; info != nil {
		return e.saveClassInstance(rv, info)
	}
	if key != nil {
		// A pointer to a value of the model or a type with its own
		// encoding: write that, under the pointer's identity when it
		// becomes a container.
		switch rv.Kind() {
		case reflect.Slice, reflect.Array, reflect.Map, reflect.Struct:
		default:
			return e.save(rv.Interface())
		}
		if _, model := rv.Interface().(Tuple); model {
			return e.save(rv.Interface())
		}
		if rv.CanAddr() {
			if _, ok := rv.Addr().Interface().(Reducer); ok {
				return e.save(rv.Addr().Interface())
			}
		}
	}
	switch rv.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.String:
		return e.writeScalar(rv)
	case reflect.Complex64, reflect.Complex128:
		return e.saveComplex(rv.Complex())
	case reflect.Slice:
		if rv.IsNil() {
			e.writeOp(opNone)
			return nil
		}
		if rv.Type().Elem().Kind() == reflect.Uint8 {
			if rv.Type() == reflect.TypeFor[ByteArray]() {
				ba := ByteArray(rv.Bytes())
				return e.saveByteArray(&ba)
			}
			return e.saveBytes(rv.Bytes())
		}
		return e.saveSequence(rv, key)
	case reflect.Array:
		return e.saveSequence(rv, key)
	case reflect.Map:
		if rv.IsNil() {
			e.writeOp(opNone)
			return nil
		}
		if key == nil {
			key = goIdentity{rv.Type(), rv.Pointer()}
			if e.memoGet(key) {
				return nil
			}
		}
		return e.saveMap(rv, key)
	case reflect.Struct:
		return e.saveStruct(rv, key)
	case reflect.Interface, reflect.Pointer:
		if rv.IsNil() {
			e.writeOp(opNone)
			return nil
		}
		return e.save(rv.Interface())
	}
	return &EncodeError{Err: fmt.Errorf("unsupported type %s", rv.Type())}
}

// saveSequence writes a slice or array as a list, the way saveList does.
func (e *encoder) saveSequence(rv reflect.Value, key any) error {
	e.openList(key)
	if rv.Kind() == reflect.Slice && e.quickScalars(rv.Type().Elem()) {
		if done, err := e.saveSliceItems(rv); done {
			return err
		}
	}
	if done, err := e.saveStructItems(rv); done {
		return err
	}
	quick := e.quickValues(rv.Type().Elem())
	return e.batchItems(rv.Len(), opAppend, opAppends, false, func(i int) error {
		if err := e.saveElem(rv.Index(i), quick); err != nil {
			return atIndex(err, i)
		}
		return nil
	})
}

// openList writes an empty list, memoized under key: items follow.
func (e *encoder) openList(key any) { e.openEmpty(opEmptyList, opList, key) }

// saveMap writes a map as a dict with sorted keys (unless UnsortedMaps).
func (e *encoder) saveMap(rv reflect.Value, key any) error {
	if isEmptyStruct(rv.Type().Elem()) {
		return e.saveSetMap(rv, key)
	}
	if done, err := e.saveOrderedMap(rv, key); done {
		return err
	}
	keys, pks, err := e.sortedMapKeys(rv)
	if err != nil {
		return err
	}
	items := make([]DictItem, len(keys))
	for i, k := range keys {
		items[i] = DictItem{pks[i], rv.MapIndex(k).Interface()}
	}
	return e.saveDictItems(items, key, false)
}

// saveSetMap writes a map[T]struct{}, Go's set, as a Python set of its keys
// in sorted order.
func (e *encoder) saveSetMap(rv reflect.Value, key any) error {
	_, pks, err := e.sortedMapKeys(rv)
	if err != nil {
		return err
	}
	return e.saveSetItems(pks, key)
}

// sortedMapKeys returns a map's keys in sorted order (unless UnsortedMaps),
// and the Python keys they become.
func (e *encoder) sortedMapKeys(rv reflect.Value) ([]reflect.Value, []any, error) {
	keys := rv.MapKeys()
	if !e.cfg.unsortedMaps {
		slices.SortFunc(keys, compareKeys)
	}
	pks := make([]any, len(keys))
	for i, k := range keys {
		pk, err := e.mapKeyValue(k)
		if err != nil {
			return nil, nil, &EncodeError{Path: "[" + fmt.Sprint(k.Interface()) + "]", Err: err}
		}
		pks[i] = pk
	}
	return keys, pks, nil
}

// saveDictItems writes a dict of the given items, as saveDict does.
func (e *encoder) saveDictItems(items []DictItem, key any, fieldNames bool) error {
	return e.saveDictKeyed(&Dict{items: items}, key, fieldNames)
}

// mapKeyValue turns a Go map key into the Python key: plain arrays and
// structs become tuples, since Python dict keys must be hashable; values
// that save writes otherwise (a time.Time, a UUID, a Global, a registered
// class, a Reducer) stay as they are.
func (e *encoder) mapKeyValue(k reflect.Value) (any, error) {
	switch k.Kind() {
	case reflect.Array:
		if !e.tupleKey(k.Type()) {
			break
		}
		t := make(Tuple, k.Len())
		for i := range t {
			v, err := e.mapKeyValue(k.Index(i))
			if err != nil {
				return nil, err
			}
			t[i] = v
		}
		return t, nil
	case reflect.Struct:
		if !e.tupleKey(k.Type()) {
			break
		}
		fields := cachedFields(k.Type())
		t := make(Tuple, len(fields.list))
		for i, f := range fields.list {
			fv, ok := fieldByIndex(k, f.index)
			if !ok {
				continue // through a nil embedded pointer: None
			}
			v, err := e.mapKeyValue(fv)
			if err != nil {
				return nil, err
			}
			t[i] = v
		}
		return t, nil
	case reflect.Interface:
		if k.IsNil() {
			return nil, nil
		}
		return e.mapKeyValue(k.Elem())
	}
	return k.Interface(), nil
}

// tupleKey reports whether map keys of array or struct type t are written
// as tuples of their items or fields.
func (e *encoder) tupleKey(t reflect.Type) bool {
	return isPlainComposite(t) && e.cfg.classByType[t] == nil
}

// compareKeys orders map keys: by kind, then by value.
func compareKeys(a, b reflect.Value) int {
	for a.Kind() == reflect.Interface && !a.IsNil() {
		a = a.Elem()
	}
	for b.Kind() == reflect.Interface && !b.IsNil() {
		b = b.Elem()
	}
	ka, kb := keyRank(a), keyRank(b)
	if ka != kb {
		return cmp.Compare(ka, kb)
	}
	switch ka {
	case 1:
		return cmp.Compare(a.Int(), b.Int())
	case 2:
		return cmp.Compare(a.Uint(), b.Uint())
	case 3:
		return cmp.Compare(a.Float(), b.Float())
	case 4:
		if c := strings.Compare(a.String(), b.String()); c != 0 || a.Type() == b.Type() {
			return c
		}
		// "k" and BytesKey("k"): two keys, in a fixed order.
		return strings.Compare(a.Type().String(), b.Type().String())
	case 5:
		return cmp.Compare(boolToInt(a.Bool()), boolToInt(b.Bool()))
	case 6:
		for i := 0; i < a.Len() && i < b.Len(); i++ {
			if c := compareKeys(a.Index(i), b.Index(i)); c != 0 {
				return c
			}
		}
		return cmp.Compare(a.Len(), b.Len())
	case 7:
		for _, f := range cachedFields(a.Type()).list {
			fa, okA := fieldByIndex(a, f.index)
			fb, okB := fieldByIndex(b, f.index)
			if okA != okB {
				return cmp.Compare(boolToInt(okA), boolToInt(okB))
			}
			if !okA {
				continue
			}
			if c := compareKeys(fa, fb); c != 0 {
				return c
			}
		}
		return 0
	}
	if a.Type() != b.Type() {
		return strings.Compare(a.Type().String(), b.Type().String())
	}
	if !a.CanInterface() || !b.CanInterface() {
		return 0
	}
	if ta, ok := a.Interface().(time.Time); ok {
		// By instant, then zone: a naive and a UTC midnight are two keys.
		tb := b.Interface().(time.Time)
		if c := ta.Compare(tb); c != 0 {
			return c
		}
		na, oa := ta.Zone()
		nb, ob := tb.Zone()
		if c := cmp.Compare(oa, ob); c != 0 {
			return c
		}
		return strings.Compare(na+"/"+ta.Location().String(), nb+"/"+tb.Location().String())
	}
	return strings.Compare(fmt.Sprint(a.Interface()), fmt.Sprint(b.Interface()))
}

func keyRank(v reflect.Value) int {
	switch v.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return 1
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return 2
	case reflect.Float32, reflect.Float64:
		return 3
	case reflect.String:
		return 4
	case reflect.Bool:
		return 5
	case reflect.Array:
		if isPlainComposite(v.Type()) {
			return 6
		}
	case reflect.Struct:
		if isPlainComposite(v.Type()) {
			return 7
		}
	}
	return 8
}

// structItems returns the fields of a struct as dict items, by tag name, in
// declaration order.
func structItems(rv reflect.Value) ([]DictItem, error) {
	fields := cachedFields(rv.Type())
	items := make([]DictItem, 0, len(fields.list))
	for _, f := range fields.list {
		fv, ok := fieldByIndex(rv, f.index)
		if !ok {
			continue // through a nil embedded pointer
		}
		if f.omitEmpty && isEmptyValue(fv) {
			continue
		}
		items = append(items, DictItem{f.name, fieldInterface(fv)})
	}
	return items, nil
}

// unnamedType returns the type literal of a named non-struct type's kind
// (int16 for `type kind int16`, []T for `type list []T`), or nil for other
// types (interfaces, funcs, channels, unnamed types).
func unnamedType(t reflect.Type) reflect.Type {
	if t.Name() == "" {
		return nil
	}
	switch k := t.Kind(); k {
	case reflect.Slice:
		return reflect.SliceOf(t.Elem())
	case reflect.Array:
		return reflect.ArrayOf(t.Len(), t.Elem())
	case reflect.Map:
		return reflect.MapOf(t.Key(), t.Elem())
	case reflect.Pointer:
		return reflect.PointerTo(t.Elem())
	default:
		if k <= reflect.Complex128 || k == reflect.String {
			return basicTypes[k]
		}
	}
	return nil
}

var basicTypes = func() map[reflect.Kind]reflect.Type {
	m := map[reflect.Kind]reflect.Type{}
	for _, v := range []any{false, 0, int8(0), int16(0), int32(0), int64(0), uint(0), uint8(0), uint16(0), uint32(0),
		uint64(0), uintptr(0), float32(0), float64(0), complex64(0), complex128(0), ""} {
		m[reflect.TypeOf(v).Kind()] = reflect.TypeOf(v)
	}
	return m
}()

// fieldInterface returns a field's value for saving; a field that can be
// addressed is passed by pointer when its pointer type has a Reducer.
func fieldInterface(fv reflect.Value) any {
	if fv.CanAddr() && fv.Kind() != reflect.Pointer {
		if _, ok := fv.Addr().Interface().(Reducer); ok {
			return fv.Addr().Interface()
		}
	}
	return fv.Interface()
}

// fieldByIndex follows an index path, reporting false at a nil embedded
// pointer.
func fieldByIndex(v reflect.Value, index []int) (reflect.Value, bool) {
	fv, ok := walkFields(v, index)
	if ok && !fv.CanInterface() {
		fv = readableField(v, index)
	}
	return fv, ok
}

// readableField returns the field at index (a path walkFields follows) as
// a value reflect makes an `any` of. A field of an unexported embedded
// type that a tag names (a field of its own, as encoding/json takes it) is
// read-only to reflect, whose Interface panics on it: it is read where it
// sits, as the struct plans and the decoder read every field, in a copy of
// v when v cannot be addressed.
func readableField(v reflect.Value, index []int) reflect.Value {
	if !v.CanAddr() {
		c := reflect.New(v.Type()).Elem()
		c.Set(v)
		v = c
	}
	fv, _ := walkFields(v, index)
	return reflect.NewAt(fv.Type(), unsafe.Pointer(fv.UnsafeAddr())).Elem()
}

// walkFields is fieldByIndex as reflect gives the field.
func walkFields(v reflect.Value, index []int) (reflect.Value, bool) {
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return reflect.Value{}, false
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v, true
}

// saveClassInstance writes a value of a registered type as an instance of
// its Python class: NEWOBJ (protocol 2 and up) or copyreg._reconstructor
// (below), then BUILD with its state, as CPython writes a plain instance.
func (e *encoder) saveClassInstance(rv reflect.Value, info *classInfo) error {
	var key any
	ptr := rv
	if rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			e.writeOp(opNone)
			return nil
		}
		key = goIdentity{rv.Type(), rv.Pointer()}
		if e.memoGet(key) {
			return nil
		}
	} else if rv.CanAddr() {
		ptr = rv.Addr()
	} else {
		p := reflect.New(rv.Type())
		p.Elem().Set(rv)
		ptr = p
	}
	v := rv.Interface()
	if info.funcs.Reduce != nil {
		o, err := info.funcs.Reduce(v)
		if err != nil {
			return &EncodeError{Err: fmt.Errorf("%s reduce: %w", info.global, err)}
		}
		return e.saveReduced(o, key)
	}
	if _, getter := ptr.Interface().(StateGetter); !getter && info.funcs.GetState == nil {
		switch sv := ptr.Elem(); {
		case sv.Kind() == reflect.Struct && cachedFields(sv.Type()).tuple:
			// A namedtuple: built from its items, with no state.
			return e.saveReduced(namedTupleInstance(info.global, tupleStructItems(sv), e.proto), key)
		case isScalarKind(sv.Kind()):
			// An enum member: its class called with its value.
			return e.saveReduced(enumMember(info.global, sv), key)
		}
	}
	var state any
	var err error
	switch {
	case info.funcs.GetState != nil:
		state, err = info.funcs.GetState(v)
	default:
		if sg, ok := ptr.Interface().(StateGetter); ok {
			state, err = sg.PickleGetState()
		} else {
			state, err = defaultState(ptr.Elem())
			if d, ok := state.(*Dict); ok && d.Len() > 0 && cachedFields(ptr.Elem().Type()).slots {
				// No __dict__: the fields are slots, which CPython
				// writes as the second of a (None, slots) pair.
				state = Tuple{nil, d}
			}
		}
	}
	if err != nil {
		return &EncodeError{Err: fmt.Errorf("%s state: %w", info.global, err)}
	}
	hasState := state != nil
	if d, ok := state.(*Dict); ok && d.Len() == 0 {
		hasState = false // CPython writes no BUILD for an empty __dict__
	}
	o := &Object{Class: info.global, Kind: CallNewObj, Args: emptyTupleValue, State: state, HasState: hasState}
	if e.proto < 2 {
		o = &Object{
			Class:    globalReconstructor,
			Args:     Tuple{info.global, globalObject, nil},
			State:    state,
			HasState: hasState,
		}
	}
	return e.saveReduced(o, key)
}

// defaultState is a registered struct's state: its fields as a dict, as a
// Python instance's __dict__.
func defaultState(rv reflect.Value) (any, error) {
	if rv.Kind() != reflect.Struct {
		// As its unnamed type: the registered type itself would be
		// written as the class again, without end.
		if u := unnamedType(rv.Type()); u != nil {
			return rv.Convert(u).Interface(), nil
		}
		return rv.Interface(), nil
	}
	items, err := structItems(rv)
	if err != nil {
		return nil, err
	}
	d := NewDict(len(items))
	for _, it := range items {
		if err := d.Set(it.Key, it.Value); err != nil {
			return nil, err
		}
	}
	return d, nil
}
