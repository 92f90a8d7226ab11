package pickle

import (
	"math"
	"math/big"
	"reflect"
	"slices"
	"strings"
	"sync"
)

// This file is the quick way through marshal.go for the commonest Go values:
// numbers, bools and strings inside slices, structs and maps are written
// straight from their reflect.Value, without first being made into `any`
// values (an allocation each), and maps with int, uint or string keys are
// sorted as those.

// plainScalars caches plainScalar per type.
var plainScalars sync.Map // reflect.Type -> bool

// plainScalar reports whether values of t are numbers, bools or strings
// that no hook or special encoding applies to: no methods (so no Reducer,
// and none of the standard library types of stdlib.go).
func plainScalar(t reflect.Type) bool {
	if v, ok := plainScalars.Load(t); ok {
		return v.(bool)
	}
	plain := false
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.String:
		plain = t.NumMethod() == 0 && reflect.PointerTo(t).NumMethod() == 0 && !stdlibValueTypes[t]
	}
	plainScalars.Store(t, plain)
	return plain
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

// saveElem writes an item of a slice, array or map.
func (e *encoder) saveElem(rv reflect.Value, quick bool) error {
	if quick {
		return e.saveScalar(rv)
	}
	return e.save(rv.Interface())
}

// saveStruct writes a struct as a dict of its fields by tag name, in
// declaration order, as saveDictKeyed writes a dict.
func (e *encoder) saveStruct(rv reflect.Value, key any) error {
	fields := cachedFields(rv.Type()).list
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
		if err := e.saveStr(f.name); err != nil {
			return err
		}
		fv, _ := fieldByIndex(rv, f.index)
		var err error
		if e.quickScalars(f.typ) {
			err = e.saveScalar(fv)
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

// batchItems writes n items as the C pickler does for lists (dict false)
// and dicts: at protocol 0, or for a single item, each followed by the
// single-item opcode; otherwise in batches of MARK ... batch opcode, after a
// full batch of a dict always one more, empty if nothing is left.
func (e *encoder) batchItems(n int, single, batch byte, dict bool, item func(int) error) error {
	switch {
	case n == 0:
		return nil
	case e.proto == 0 || n == 1:
		for i := range n {
			if err := item(i); err != nil {
				return err
			}
			e.write(single)
		}
		return nil
	}
	for start := 0; ; start += batchSize {
		e.write(opMark)
		end := min(start+batchSize, n)
		for i := start; i < end; i++ {
			if err := item(i); err != nil {
				return err
			}
		}
		e.write(batch)
		if end-start < batchSize || !dict && end == n {
			return nil
		}
	}
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
	if leaves := intLeaves(kt, nil); leaves != nil && kt != globalType {
		return true, e.saveIntTupleKeyedMap(rv, key, leaves)
	}
	if !e.quickScalars(kt) {
		return false, nil
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
		sortIntKeys(pairs)
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
		slices.SortFunc(order, less)
	}
	e.openDict(key)
	quick := e.quickScalars(t.Elem())
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

type intKeyAt struct {
	k int64
	i int
}

// sortIntKeys sorts pairs by key, stably: a least-significant-digit radix
// sort, a byte at a time, skipping bytes all keys share (the high bytes of
// small numbers).
func sortIntKeys(pairs []intKeyAt) {
	if len(pairs) < 256 {
		slices.SortStableFunc(pairs, func(a, b intKeyAt) int { return cmpOrdered(a.k, b.k) })
		return
	}
	digit := func(k int64, shift uint) byte { return byte((uint64(k) ^ 1<<63) >> shift) }
	src, dst := pairs, make([]intKeyAt, len(pairs))
	for shift := uint(0); shift < 64; shift += 8 {
		var count [256]int
		for _, p := range src {
			count[digit(p.k, shift)]++
		}
		if count[digit(src[0].k, shift)] == len(src) {
			continue
		}
		pos := 0
		for d, c := range count {
			count[d] = pos
			pos += c
		}
		for _, p := range src {
			d := digit(p.k, shift)
			dst[count[d]] = p
			count[d]++
		}
		src, dst = dst, src
	}
	if &src[0] != &pairs[0] {
		copy(pairs, src)
	}
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

var globalType = reflect.TypeFor[Global]()

// intLeaves returns, for a struct or array type made of nothing but
// integers (fields of nested structs and arrays included, all of them, in
// the order compareKeys compares them), where those integers are; nil for
// any other type.
func intLeaves(t reflect.Type, path []int) []intLeaf {
	var leaves []intLeaf
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
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	pairs := make([]intKeyAt, n)
	for l := len(leaves) - 1; l >= 0; l-- {
		for j, i := range order {
			pairs[j] = intKeyAt{int64(leaves[l].word(keys.Index(i)) ^ 1<<63), i}
		}
		sortIntKeys(pairs)
		for j, p := range pairs {
			order[j] = p.i
		}
	}
	e.openDict(key)
	quick := e.quickScalars(t.Elem())
	return e.batchItems(n, opSetItem, opSetItems, true, func(j int) error {
		i := order[j]
		pk, err := mapKeyValue(keys.Index(i))
		if err != nil {
			return err
		}
		if err := e.save(pk); err != nil {
			return atKey(err, pk)
		}
		if err := e.saveElem(vals.Index(i), quick); err != nil {
			return atKey(err, pk)
		}
		return nil
	})
}
