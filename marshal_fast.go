package pickle

import (
	"encoding/binary"
	"math"
	"math/big"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unsafe"
)

// This file is the quick way through marshal.go for the commonest Go values:
// numbers, bools and strings inside slices, structs and maps are written
// straight from their reflect.Value (or, in slices of float64, int64 and
// string, read as what they are), without first being made into `any`
// values (an allocation each); the commonest map types are ranged without
// reflection; and maps keyed by integers, strings or structs and arrays of
// integers are sorted as those, by radix sorts where the keys are
// integers. TestMarshalQuickPathsMatch checks every path against the
// general one, byte for byte.

// plainScalars caches plainScalar per type.
var plainScalars sync.Map // reflect.Type -> bool

// plainScalar reports whether values of t are numbers, bools or strings
// that no hook or special encoding applies to: no methods (so no Reducer,
// and none of the types the type table reduces: reducedValueTypes).
func plainScalar(t reflect.Type) bool { return cachedPerType(&plainScalars, t, isPlainScalar) }

func isPlainScalar(t reflect.Type) bool {
	plain := false
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.String:
		plain = t.NumMethod() == 0 && reflect.PointerTo(t).NumMethod() == 0 && !reducedValueTypes[t]
	}
	return plain
}

// cachedPerType returns f(t), computed once per type into cache.
func cachedPerType(cache *sync.Map, t reflect.Type, f func(reflect.Type) bool) bool {
	if v, ok := cache.Load(t); ok {
		return v.(bool)
	}
	v := f(t)
	cache.Store(t, v)
	return v
}

// quickScalars reports whether plain scalars of type t may be written by
// saveScalar: no class is registered for t, and no persistent-id hook wants
// to see every value.
func (e *encoder) quickScalars(t reflect.Type) bool {
	return !e.cfg.noQuickPaths && e.cfg.persistentID == nil && plainScalar(t) && (len(e.cfg.classByType) == 0 || e.cfg.classByType[t] == nil)
}

// saveScalar writes a plain scalar as save(rv.Interface()) would.
func (e *encoder) saveScalar(rv reflect.Value) error {
	if err := e.opcodeBoundary(); err != nil {
		return err
	}
	return e.writeScalar(rv)
}

// writeScalar writes a bool, number or string of any Go type.
func (e *encoder) writeScalar(rv reflect.Value) error {
	switch rv.Kind() {
	case reflect.Bool:
		e.saveBool(rv.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		e.saveInt(rv.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if u := rv.Uint(); u <= math.MaxInt64 {
			e.saveInt(int64(u))
		} else {
			return e.saveBigInt(new(big.Int).SetUint64(u))
		}
	case reflect.Float32, reflect.Float64:
		e.saveFloat(rv.Float())
	case reflect.String:
		return e.saveStr(rv.String())
	}
	return nil
}

// saveSliceItems writes the items of a slice of plain float64s, int64s,
// ints or strings (named types included), reading them as what they are;
// false for other slices. (The item functions are literals here, not
// returned, so that they need no allocation.)
func (e *encoder) saveSliceItems(rv reflect.Value) (bool, error) {
	return e.saveSliceItemsAt(rv.Type().Elem().Kind(), rv.UnsafePointer(), rv.Len())
}

// saveSliceItemsAt is saveSliceItems for the n items of kind at p.
func (e *encoder) saveSliceItemsAt(kind reflect.Kind, p unsafe.Pointer, n int) (bool, error) {
	switch kind {
	case reflect.Float64:
		items := unsafe.Slice((*float64)(p), n)
		if e.proto >= 1 { // saveFloats writes BINFLOAT
			for b := e.batches(n, batchExactList); b.more(); b = b.next() {
				if b.marked() {
					e.writeOp(opMark)
				}
				if err := e.saveFloats(items[b.start:b.end]); err != nil {
					return true, err
				}
				e.writeOp(b.closer(opAppend, opAppends))
			}
			return true, nil
		}
		return true, e.batchItems(n, opAppend, opAppends, false, func(i int) error {
			if err := e.opcodeBoundary(); err != nil {
				return err
			}
			e.saveFloat(items[i])
			return nil
		})
	case reflect.Int64, reflect.Int:
		if unsafe.Sizeof(int(0)) != 8 && kind == reflect.Int {
			return false, nil
		}
		items := unsafe.Slice((*int64)(p), n)
		return true, e.batchItems(n, opAppend, opAppends, false, func(i int) error {
			if err := e.opcodeBoundary(); err != nil {
				return err
			}
			e.saveInt(items[i])
			return nil
		})
	case reflect.String:
		items := unsafe.Slice((*string)(p), n)
		return true, e.batchItems(n, opAppend, opAppends, false, func(i int) error {
			if err := e.opcodeBoundary(); err != nil {
				return err
			}
			if err := e.saveStr(items[i]); err != nil {
				return atIndex(err, i)
			}
			return nil
		})
	}
	return false, nil
}

// saveFloats writes a BINFLOAT for each item, with an opcode boundary
// before each, as opcodeBoundary and saveFloat item by item would, but in
// runs of floatRoom's size with no checks in between. Protocol 1 and
// above only.
func (e *encoder) saveFloats(items []float64) error {
	for len(items) > 0 {
		n, err := e.floatRoom(len(items))
		if err != nil {
			return err
		}
		out := e.grow(9 * n)
		for i, f := range items[:n] {
			out[9*i] = opBinFloat
			binary.BigEndian.PutUint64(out[9*i+1:], math.Float64bits(f))
		}
		items = items[n:]
	}
	return nil
}

// saveFloatRun writes the float64 items at the start of items (of a list
// of `any`) as saveFloats does, and returns how many there were.
func (e *encoder) saveFloatRun(items []any) (int, error) {
	done := 0
	for done < len(items) {
		if _, ok := items[done].(float64); !ok {
			break
		}
		n, err := e.floatRoom(len(items) - done)
		if err != nil {
			return done, err
		}
		out := e.grow(9 * n)
		for i, item := range items[done : done+n] {
			f, ok := item.(float64)
			if !ok {
				e.buf = e.buf[:len(e.buf)-9*(n-i)]
				return done + i, nil
			}
			out[9*i] = opBinFloat
			binary.BigEndian.PutUint64(out[9*i+1:], math.Float64bits(f))
		}
		done += n
	}
	return done, nil
}

// floatRoom passes the opcode boundary before the next of n BINFLOATs and
// says how many of them (at least one) come before the next boundary that
// would commit a frame or cut a segment: since each is 9 bytes, that is
// known beforehand.
func (e *encoder) floatRoom(n int) (int, error) {
	if err := e.opcodeBoundary(); err != nil {
		return 0, err
	}
	e.open()
	switch {
	case e.framing:
		// A boundary commits once the frame holds frameSizeTarget.
		fill := len(e.buf) - e.frameStart - frameHeaderSize
		n = min(n, max(1, (frameSizeTarget-fill+8)/9))
	case e.w == nil:
		// Or cuts the segment once buf holds segmentSize.
		n = min(n, max(1, (segmentSize-len(e.buf)+8)/9))
	}
	return n, nil
}

// grow extends buf by n bytes and returns them, to be written.
func (e *encoder) grow(n int) []byte {
	start := len(e.buf)
	e.buf = slices.Grow(e.buf, n)[:start+n]
	return e.buf[start:]
}

// plainComposites caches plainComposite per type.
var plainComposites sync.Map // reflect.Type -> bool

// plainComposite reports whether values of t are structs, slices or
// arrays that reach saveValueAs unchanged through save: neither t nor *t
// is a Reducer, nor (for structs and arrays) is the pointer to anything
// they hold inline (save's copy of t would make that unaddressable, so its
// Reducer unused), and t is not one of the value types save or the type table
// write otherwise (Tuple, Global, time.Time, Date, ...). Pointers to
// plainScalar types are plain too: save writes what they point to (no
// memo entry, as CPython keeps none for ints, floats and bools either).
func plainComposite(t reflect.Type) bool {
	return cachedPerType(&plainComposites, t, isPlainComposite)
}

func isPlainComposite(t reflect.Type) bool {
	plain := false
	switch t.Kind() {
	case reflect.Struct, reflect.Slice, reflect.Array:
		plain = t != tupleType && t != globalType && t != bigIntType && !reducedValueTypes[t] && !modelStructTypes[t] &&
			!t.Implements(reducerType) && !inlineAddrReducer(t)
	case reflect.Pointer:
		plain = t.NumMethod() == 0 && plainScalar(t.Elem()) && t.Elem().Kind() != reflect.String
	}
	return plain
}

// inlineAddrReducer reports whether *t, or the pointer to a field or
// element t holds inline (not through a pointer, slice or map), is a
// Reducer.
func inlineAddrReducer(t reflect.Type) bool {
	if reflect.PointerTo(t).Implements(reducerType) {
		return true
	}
	switch t.Kind() {
	case reflect.Struct:
		for i := range t.NumField() {
			if inlineAddrReducer(t.Field(i).Type) {
				return true
			}
		}
	case reflect.Array:
		return inlineAddrReducer(t.Elem())
	}
	return false
}

// quickValues reports whether values of type t may be written by
// saveQuick: plain scalars as quickScalars says, and plain composites
// when no class is registered for them (or, for pointers, for what they
// point to) and no persistent-id hook wants to see every value.
func (e *encoder) quickValues(t reflect.Type) bool {
	if e.quickScalars(t) {
		return true
	}
	if e.cfg.noQuickPaths || e.cfg.persistentID != nil || !plainComposite(t) {
		return false
	}
	if len(e.cfg.classByType) == 0 {
		return true
	}
	if t.Kind() == reflect.Pointer && e.cfg.classByType[t.Elem()] != nil {
		return false
	}
	return e.cfg.classByType[t] == nil
}

// saveQuick writes a value of a type quickValues accepts, as
// save(rv.Interface()) would, without making it into an `any` (which
// copies structs and slice headers to the heap).
func (e *encoder) saveQuick(rv reflect.Value) error {
	switch rv.Kind() {
	case reflect.Struct, reflect.Slice, reflect.Array:
		if e.depth+1 > e.cfg.maxDepth {
			return e.save(rv.Interface()) // for its error
		}
		if err := e.opcodeBoundary(); err != nil {
			return err
		}
		e.depth++
		err := e.saveValueAs(rv, nil)
		e.depth--
		return err
	case reflect.Pointer:
		if e.depth+2 > e.cfg.maxDepth {
			return e.save(rv.Interface())
		}
		if err := e.opcodeBoundary(); err != nil {
			return err
		}
		if rv.IsNil() {
			e.writeOp(opNone)
			return nil
		}
		return e.writeScalar(rv.Elem())
	}
	return e.saveScalar(rv)
}

// saveElem writes an item of a slice, array or map.
func (e *encoder) saveElem(rv reflect.Value, quick bool) error {
	if quick {
		return e.saveQuick(rv)
	}
	return e.save(rv.Interface())
}

// saveStruct writes a struct as a dict of its fields by tag name, in
// declaration order, as saveDictKeyed writes a dict.
func (e *encoder) saveStruct(rv reflect.Value, key any) error {
	if e.plannedConfig() {
		if plan := encodePlanFor(rv.Type()); plan != nil {
			return e.saveStructPlanned(rv, key, plan)
		}
	}
	return e.saveStructFields(rv, key)
}

// saveStructFields is saveStruct without a plan: each field's facts looked
// up as it is written.
func (e *encoder) saveStructFields(rv reflect.Value, key any) error {
	sf := cachedFields(rv.Type())
	if sf.tuple {
		return e.saveTuple(tupleStructItems(rv))
	}
	fields := sf.list
	var present [32]int
	idx := present[:0]
	for i := range fields {
		fv, ok := fieldByIndex(rv, fields[i].index)
		if !ok || fields[i].omitEmpty && isEmptyValue(fv) {
			continue // through a nil embedded pointer, or empty
		}
		idx = append(idx, i)
	}
	e.openDict(key)
	field := func(i int) error {
		f := &fields[i]
		// The key may close a full frame, as save does before any
		// object.
		if err := e.opcodeBoundary(); err != nil {
			return err
		}
		if err := e.saveStr(f.name); err != nil {
			return err
		}
		fv, _ := fieldByIndex(rv, f.index)
		var err error
		if e.quickValues(f.typ) {
			err = e.saveQuick(fv)
		} else {
			err = e.save(fieldInterface(fv))
		}
		if err != nil {
			return prependPath(err, "."+f.name)
		}
		return nil
	}
	return e.batchItems(len(idx), opSetItem, opSetItems, true, func(j int) error { return field(idx[j]) })
}

// batchItems writes n items, each by item, as the C pickler writes an exact
// list (dict false) or dict; single and batch are the bare and marked
// closing opcodes.
func (e *encoder) batchItems(n int, single, batch byte, dict bool, item func(int) error) error {
	rule := batchExactList
	if dict {
		rule = batchExactDict
	}
	for b := e.batches(n, rule); b.more(); b = b.next() {
		if b.marked() {
			e.writeOp(opMark)
		}
		for i := b.start; i < b.end; i++ {
			if err := item(i); err != nil {
				return err
			}
		}
		e.writeOp(b.closer(single, batch))
	}
	return nil
}

// saveOrderedMap writes a map whose keys are plain ints, uints or strings,
// sorted as compareKeys sorts them; false when the map's keys are of
// another kind.
func (e *encoder) saveOrderedMap(rv reflect.Value, key any) (bool, error) {
	t := rv.Type()
	kt := t.Key()
	if e.cfg.noQuickPaths {
		return false, nil
	}
	if leaves := intLeaves(kt, nil); leaves != nil && e.quickValues(kt) {
		return true, e.saveIntTupleKeyedMap(rv, key, leaves)
	}
	if !e.quickScalars(kt) {
		return false, nil
	}
	if done, err := e.saveNativeMap(rv, key); done {
		return true, err
	}
	n := rv.Len()
	vals := reflect.MakeSlice(reflect.SliceOf(t.Elem()), n, n)
	order := make([]int, n)
	var less func(a, b int) int
	var writeKey func(i int) error
	var keyOf func(i int) any // for errors
	switch kt.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		// Sorted as (key, index) pairs, which keeps the sort's reads in
		// order in memory.
		pairs := make([]intKeyAt, n)
		k := reflect.New(kt).Elem()
		iterate(rv, vals, k, func(i int) { pairs[i] = intKeyAt{k.Int(), i} })
		e.sortIntKeys(pairs)
		for j, p := range pairs {
			order[j] = p.i
		}
		keys := make([]int64, n)
		for _, p := range pairs {
			keys[p.i] = p.k
		}
		writeKey = func(i int) error { e.saveInt(keys[i]); return nil }
		keyOf = func(i int) any { return keys[i] }
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		keys := make([]uint64, n)
		k := reflect.New(kt).Elem()
		iterate(rv, vals, k, func(i int) { keys[i] = k.Uint() })
		less = func(a, b int) int { return cmpOrdered(keys[a], keys[b]) }
		writeKey = func(i int) error {
			if keys[i] <= math.MaxInt64 {
				e.saveInt(int64(keys[i]))
				return nil
			}
			return e.saveBigInt(new(big.Int).SetUint64(keys[i]))
		}
		keyOf = func(i int) any { return keys[i] }
	case reflect.String:
		keys := make([]string, n)
		k := reflect.New(kt).Elem()
		iterate(rv, vals, k, func(i int) { keys[i] = k.String() })
		less = func(a, b int) int { return strings.Compare(keys[a], keys[b]) }
		writeKey = func(i int) error { return e.saveStr(keys[i]) }
		keyOf = func(i int) any { return keys[i] }
	default:
		return false, nil
	}
	if less != nil {
		for i := range order {
			order[i] = i
		}
		if !e.cfg.unsortedMaps {
			slices.SortFunc(order, less)
		}
	}
	e.openDict(key)
	quick := e.quickValues(t.Elem())
	return true, e.batchItems(n, opSetItem, opSetItems, true, func(j int) error {
		i := order[j]
		if err := e.opcodeBoundary(); err != nil {
			return err
		}
		if err := writeKey(i); err != nil {
			return err
		}
		if err := e.saveElem(vals.Index(i), quick); err != nil {
			return atKey(err, keyOf(i))
		}
		return nil
	})
}

func cmpOrdered[T int64 | uint64](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// iterate copies a map's values into vals and calls got with each entry's
// index once its key is in k.
func iterate(m, vals, k reflect.Value, got func(i int)) {
	it := m.MapRange()
	for i := 0; it.Next(); i++ {
		k.SetIterKey(it)
		vals.Index(i).SetIterValue(it)
		got(i)
	}
}

var (
	globalType  = reflect.TypeFor[Global]()
	tupleType   = reflect.TypeFor[Tuple]()
	reducerType = reflect.TypeFor[Reducer]()
)

// intLeaves returns, for a struct or array type made of nothing but
// integers (fields of nested structs and arrays included, all of them, in
// the order compareKeys compares them), where those integers are; nil for
// any other type.
func intLeaves(t reflect.Type, path []int) []intLeaf {
	var leaves []intLeaf
	if !plainScalar(t) && !plainComposite(t) {
		return nil // written otherwise: a Date, a Duration, a Reducer, ...
	}
	switch t.Kind() {
	case reflect.Struct:
		if t.NumField() == 0 {
			return nil
		}
		for i := range t.NumField() {
			sub := intLeaves(t.Field(i).Type, append(path[:len(path):len(path)], i))
			if sub == nil {
				return nil
			}
			leaves = append(leaves, sub...)
		}
		return leaves
	case reflect.Array:
		if t.Len() == 0 {
			return nil
		}
		for i := range t.Len() {
			sub := intLeaves(t.Elem(), append(path[:len(path):len(path)], -1-i))
			if sub == nil {
				return nil
			}
			leaves = append(leaves, sub...)
		}
		return leaves
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if len(path) > 0 {
			return []intLeaf{{path, true}}
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if len(path) > 0 {
			return []intLeaf{{path, false}}
		}
	}
	return nil
}

// intLeaf is where an integer sits in a key: field indices, and -1-i for
// array index i.
type intLeaf struct {
	path   []int
	signed bool
}

// word returns the leaf's integer in v as an unsigned number that orders
// as the integer does.
func (l intLeaf) word(v reflect.Value) uint64 {
	for _, i := range l.path {
		if i >= 0 {
			v = v.Field(i)
		} else {
			v = v.Index(-1 - i)
		}
	}
	if l.signed {
		return uint64(v.Int()) ^ 1<<63
	}
	return v.Uint()
}

// saveIntTupleKeyedMap writes a map whose keys are structs or arrays of
// integers (written as tuples), sorted as compareKeys sorts them: a stable
// radix sort by each integer, the last first.
func (e *encoder) saveIntTupleKeyedMap(rv reflect.Value, key any, leaves []intLeaf) error {
	t := rv.Type()
	n := rv.Len()
	keys := reflect.MakeSlice(reflect.SliceOf(t.Key()), n, n)
	vals := reflect.MakeSlice(reflect.SliceOf(t.Elem()), n, n)
	it := rv.MapRange()
	for i := 0; it.Next(); i++ {
		keys.Index(i).SetIterKey(it)
		vals.Index(i).SetIterValue(it)
	}
	// The integers of every key, key by key: as two's complement for
	// signed leaves.
	L := len(leaves)
	raw := make([]uint64, n*L)
	for i := range n {
		k := keys.Index(i)
		for l, leaf := range leaves {
			raw[i*L+l] = leaf.word(k)
			if leaf.signed {
				raw[i*L+l] ^= 1 << 63
			}
		}
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	pairs := make([]intKeyAt, n)
	for l := L - 1; l >= 0 && !e.cfg.unsortedMaps; l-- {
		for j, i := range order {
			w := raw[i*L+l]
			if leaves[l].signed {
				w ^= 1 << 63
			}
			pairs[j] = intKeyAt{int64(w ^ 1<<63), i}
		}
		sortIntKeys(pairs)
		for j, p := range pairs {
			order[j] = p.i
		}
	}
	e.openDict(key)
	quick := e.quickValues(t.Elem())
	flat := flatIntKey(t.Key(), L)
	return e.batchItems(n, opSetItem, opSetItems, true, func(j int) error {
		i := order[j]
		if flat {
			if err := e.saveIntTuple(raw[i*L:(i+1)*L], leaves); err != nil {
				return err
			}
		} else {
			pk, err := e.mapKeyValue(keys.Index(i))
			if err != nil {
				return err
			}
			if err := e.save(pk); err != nil {
				return atKey(err, pk)
			}
		}
		if err := e.saveElem(vals.Index(i), quick); err != nil {
			return atKey(err, keys.Index(i).Interface())
		}
		return nil
	})
}

// flatIntKey reports whether keys of type t, made of L integers, are
// written as a flat tuple of those integers (mapKeyValue): an array, or a
// struct whose fields are all exported, untagged away and integers.
func flatIntKey(t reflect.Type, L int) bool {
	if L > 3 {
		return false // written with MARK ... TUPLE; left to save
	}
	switch t.Kind() {
	case reflect.Array:
		k := t.Elem().Kind()
		return k != reflect.Array && k != reflect.Struct
	case reflect.Struct:
		fields := cachedFields(t).list
		if len(fields) != L || t.NumField() != L {
			return false
		}
		for i, f := range fields {
			if len(f.index) != 1 || f.index[0] != i {
				return false
			}
			if k := f.typ.Kind(); k == reflect.Array || k == reflect.Struct {
				return false
			}
		}
		return true
	}
	return false
}

// saveIntTuple writes a tuple of one to three integers as saveTuple writes
// a new tuple of them: at protocol 2 and up, the items and TUPLE1..3, else
// MARK, the items and TUPLE; then memoized.
func (e *encoder) saveIntTuple(raw []uint64, leaves []intLeaf) error {
	if err := e.opcodeBoundary(); err != nil {
		return err
	}
	if e.proto < 2 {
		e.writeOp(opMark)
	}
	for l, w := range raw {
		if err := e.opcodeBoundary(); err != nil {
			return err
		}
		if leaves[l].signed || w <= math.MaxInt64 {
			e.saveInt(int64(w))
		} else if err := e.saveBigInt(new(big.Int).SetUint64(w)); err != nil {
			return err
		}
	}
	if e.proto < 2 {
		e.writeOp(opTuple)
	} else {
		e.write(opTuple1 + byte(len(raw)-1))
	}
	e.memoPut(nil)
	return nil
}

// saveNativeMap writes the commonest map types without reflection: int64
// keys to float64, int64 or string values, and string keys to string,
// int64 or float64 values.
func (e *encoder) saveNativeMap(rv reflect.Value, key any) (bool, error) {
	if !e.quickScalars(rv.Type().Elem()) {
		return false, nil
	}
	float := func(f float64) error { e.saveFloat(f); return nil }
	integer := func(n int64) error { e.saveInt(n); return nil }
	switch m := rv.Interface().(type) {
	case map[int64]float64:
		if strconv.IntSize == 64 {
			return true, saveIntKeyedWords(e, m, key, math.Float64bits, func(w uint64) { e.saveFloat(math.Float64frombits(w)) })
		}
		return true, saveIntKeyedMap(e, m, key, float)
	case map[int64]int64:
		if strconv.IntSize == 64 {
			return true, saveIntKeyedWords(e, m, key, func(n int64) uint64 { return uint64(n) }, func(w uint64) { e.saveInt(int64(w)) })
		}
		return true, saveIntKeyedMap(e, m, key, integer)
	case map[int64]string:
		return true, saveIntKeyedMap(e, m, key, e.saveStr)
	case map[string]string:
		return true, saveStrKeyedMap(e, m, key, e.saveStr)
	case map[string]int64:
		return true, saveStrKeyedMap(e, m, key, integer)
	case map[string]float64:
		return true, saveStrKeyedMap(e, m, key, float)
	}
	return false, nil
}

// saveIntKeyedWords writes a map[int64]V in key order, for values that
// fit in a word (on 64-bit platforms): each value rides in its key's sort
// pair instead of its index, so the values are read in order, not at
// random (a cache miss each, in a large map).
func saveIntKeyedWords[V any](e *encoder, m map[int64]V, key any, toWord func(V) uint64, writeWord func(uint64)) error {
	pairs := make([]intKeyAt, 0, len(m))
	for k, v := range m {
		pairs = append(pairs, intKeyAt{k, int(toWord(v))})
	}
	return e.saveIntKeyedPairs(pairs, key, func(p intKeyAt) error {
		writeWord(uint64(p.i))
		return nil
	})
}

// saveIntKeyedMap writes a map[int64]V in key order.
func saveIntKeyedMap[V any](e *encoder, m map[int64]V, key any, writeValue func(V) error) error {
	pairs := make([]intKeyAt, 0, len(m))
	values := make([]V, 0, len(m))
	for k, v := range m {
		pairs = append(pairs, intKeyAt{k, len(values)})
		values = append(values, v)
	}
	return e.saveIntKeyedPairs(pairs, key, func(p intKeyAt) error {
		if err := writeValue(values[p.i]); err != nil {
			return atKey(err, p.k)
		}
		return nil
	})
}

// saveIntKeyedPairs sorts pairs by key and writes them as a dict memoized
// under key: each key, then its value, written by value.
func (e *encoder) saveIntKeyedPairs(pairs []intKeyAt, key any, value func(intKeyAt) error) error {
	e.sortIntKeys(pairs)
	e.openDict(key)
	return e.batchItems(len(pairs), opSetItem, opSetItems, true, func(j int) error {
		p := pairs[j]
		if err := e.opcodeBoundary(); err != nil {
			return err
		}
		e.saveInt(p.k)
		if err := e.opcodeBoundary(); err != nil {
			return err
		}
		return value(p)
	})
}

// saveStrKeyedMap writes a map[string]V in key order.
func saveStrKeyedMap[V any](e *encoder, m map[string]V, key any, writeValue func(V) error) error {
	type entry struct {
		k string
		v V
	}
	entries := make([]entry, 0, len(m))
	for k, v := range m {
		entries = append(entries, entry{k, v})
	}
	if !e.cfg.unsortedMaps {
		slices.SortFunc(entries, func(a, b entry) int { return strings.Compare(a.k, b.k) })
	}
	e.openDict(key)
	return e.batchItems(len(entries), opSetItem, opSetItems, true, func(j int) error {
		en := &entries[j]
		if err := e.opcodeBoundary(); err != nil {
			return err
		}
		if err := e.saveStr(en.k); err != nil {
			return err
		}
		if err := e.opcodeBoundary(); err != nil {
			return err
		}
		if err := writeValue(en.v); err != nil {
			return atKey(err, en.k)
		}
		return nil
	})
}
