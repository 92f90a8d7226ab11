package pickle

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"slices"
)

// This file implements Python's key equality for dicts and sets. Every key is
// normalized to a comparable Go value such that two keys are equal in Python
// exactly when their normalized forms are == in Go:
//
//   - bool, every integer type, integral floats and complex numbers with a zero
//     imaginary part collapse to int64 (or bigKey beyond int64), so 1, 1.0,
//     True and (1+0j) are one key, as in Python;
//   - strings are themselves; bytes become bytesKey, so b"a" != "a";
//   - tuples and frozensets become a canonical byte encoding of their items;
//   - a NaN is never equal to another key (Python compares float objects by
//     identity first, and each decoded float is a distinct object);
//   - objects, persistent ids and other pointers hash by identity;
//   - list, dict, set, bytearray and buffers are unhashable, as in Python.

type (
	noneKey    struct{}
	bytesKey   string
	bigKey     string
	tupleKey   string
	frozenKey  string
	complexKey struct{ re, im float64 }
	// nanKey is allocated once per NaN key so that it equals nothing else.
	// It must not be zero-sized: distinct zero-sized allocations may share an
	// address.
	nanKey struct{ _ byte }
)

// UnhashableError reports a dict key or set element of an unhashable type.
type UnhashableError struct {
	Type string // Python type name, e.g. "list"
}

func (e *UnhashableError) Error() string {
	return fmt.Sprintf("pickle: unhashable type: '%s'", e.Type)
}

// Is makes an UnhashableError match ErrMalformed: a pickle that uses one as a
// key cannot have been written by Python.
func (e *UnhashableError) Is(target error) bool { return target == ErrMalformed }

// hashKey returns the normalized key of v.
func hashKey(v any) (any, error) {
	switch x := v.(type) {
	case string, int64:
		return v, nil
	case nil:
		return noneKey{}, nil
	case bool:
		if x {
			return int64(1), nil
		}
		return int64(0), nil
	case int:
		return int64(x), nil
	case int8:
		return int64(x), nil
	case int16:
		return int64(x), nil
	case int32:
		return int64(x), nil
	case uint:
		return uintKey(uint64(x)), nil
	case uint8:
		return int64(x), nil
	case uint16:
		return int64(x), nil
	case uint32:
		return int64(x), nil
	case uint64:
		return uintKey(x), nil
	case *big.Int:
		if x.IsInt64() {
			return x.Int64(), nil
		}
		return bigKey(x.Text(16)), nil
	case float64:
		return floatKey(x), nil
	case float32:
		return floatKey(float64(x)), nil
	case complex128:
		return complexHashKey(x), nil
	case complex64:
		return complexHashKey(complex128(x)), nil
	case []byte:
		return bytesKey(x), nil
	case Tuple:
		if k, ok := smallTupleKey(x); ok {
			return k, nil
		}
		return compositeKey(v)
	case *FrozenSet:
		if x.hkey == nil {
			k, err := compositeKey(v)
			if err != nil {
				return nil, err
			}
			x.hkey = k
		}
		return x.hkey, nil
	case Global:
		return x, nil
	case *List, *Dict, *OrderedDict, *Set, *ByteArray, *PickleBuffer:
		return nil, &UnhashableError{typeName(v)}
	}
	if k, ok, err := rowHashKey(v); ok {
		return k, err
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer:
		return v, nil // identity
	case reflect.String:
		return rv.String(), nil
	case reflect.Bool:
		return hashKey(rv.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int(), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return uintKey(rv.Uint()), nil
	case reflect.Float32, reflect.Float64:
		return floatKey(rv.Float()), nil
	}
	return nil, &UnhashableError{fmt.Sprintf("%T", v)}
}

func uintKey(u uint64) any {
	if u <= math.MaxInt64 {
		return int64(u)
	}
	return bigKey(new(big.Int).SetUint64(u).Text(16))
}

func floatKey(f float64) any {
	if math.IsNaN(f) {
		return new(nanKey)
	}
	if f == math.Trunc(f) && !math.IsInf(f, 0) {
		if f >= -(1<<63) && f < 1<<63 {
			return int64(f)
		}
		i, _ := big.NewFloat(f).Int(nil)
		return bigKey(i.Text(16))
	}
	return f
}

func complexHashKey(c complex128) any {
	if imag(c) == 0 {
		return floatKey(real(c))
	}
	if math.IsNaN(real(c)) || math.IsNaN(imag(c)) {
		return new(nanKey)
	}
	// Adding zero turns -0.0 into 0.0, which Python considers equal.
	return complexKey{real(c) + 0, imag(c) + 0}
}

// Tuples of up to three items that are not themselves tuples or frozensets
// (coordinates, (name, id) pairs) are keyed by a struct of their items'
// keys: comparable, and far cheaper than a canonical encoding. Every tuple
// takes one form only, decided by its own items, so equal tuples get equal
// keys.
type (
	tuple1Key struct{ a any }
	tuple2Key struct{ a, b any }
	tuple3Key struct{ a, b, c any }
)

func smallTupleKey(t Tuple) (any, bool) {
	if len(t) == 0 || len(t) > 3 {
		return nil, false
	}
	var ks [3]any
	for i, it := range t {
		switch it.(type) {
		case Tuple, *FrozenSet:
			return nil, false
		}
		k, err := hashKey(it)
		if err != nil {
			return nil, false // compositeKey reports it
		}
		ks[i] = k
	}
	switch len(t) {
	case 1:
		return tuple1Key{ks[0]}, true
	case 2:
		return tuple2Key{ks[0], ks[1]}, true
	}
	return tuple3Key{ks[0], ks[1], ks[2]}, true
}

// compositeKey encodes a tuple or frozenset canonically. A NaN anywhere inside
// makes the key unique, as Python's identity-first comparison would.
func compositeKey(v any) (any, error) {
	b, err := appendCanonical(nil, v, 0)
	if err != nil {
		return nil, err
	}
	if b == nil {
		return new(nanKey), nil
	}
	if _, ok := v.(Tuple); ok {
		return tupleKey(b), nil
	}
	return frozenKey(b), nil
}

// appendCanonical appends a self-delimiting encoding of the normalized key of
// v. It returns nil (and no error) when v contains a NaN.
func appendCanonical(dst []byte, v any, depth int) ([]byte, error) {
	if depth > maxKeyDepth {
		return nil, fmt.Errorf("pickle: dict key: %w", &LimitError{Limit: "nesting", Value: maxKeyDepth, Reached: int64(depth)})
	}
	switch x := v.(type) {
	case Tuple:
		dst = append(dst, 't')
		dst = binary.AppendUvarint(dst, uint64(len(x)))
		for _, item := range x {
			var err error
			if dst, err = appendCanonical(dst, item, depth+1); dst == nil || err != nil {
				return nil, err
			}
		}
		return dst, nil
	case *FrozenSet:
		parts := make([][]byte, 0, x.Len())
		for _, item := range x.s.items {
			p, err := appendCanonical(nil, item, depth+1)
			if p == nil || err != nil {
				return nil, err
			}
			parts = append(parts, p)
		}
		slices.SortFunc(parts, func(a, b []byte) int { return bytesCompare(a, b) })
		dst = append(dst, 'F')
		dst = binary.AppendUvarint(dst, uint64(len(parts)))
		for _, p := range parts {
			dst = append(dst, p...)
		}
		return dst, nil
	}
	k, err := hashKey(v)
	if err != nil {
		return nil, err
	}
	switch k := k.(type) {
	case *nanKey:
		return nil, nil
	case int64:
		dst = append(dst, 'i')
		return binary.BigEndian.AppendUint64(dst, uint64(k)), nil
	case float64:
		dst = append(dst, 'f')
		return binary.BigEndian.AppendUint64(dst, math.Float64bits(k)), nil
	case complexKey:
		dst = append(dst, 'c')
		dst = binary.BigEndian.AppendUint64(dst, math.Float64bits(k.re))
		return binary.BigEndian.AppendUint64(dst, math.Float64bits(k.im)), nil
	case noneKey:
		return append(dst, 'N'), nil
	case string:
		return appendTagged(dst, 's', k), nil
	case bytesKey:
		return appendTagged(dst, 'b', string(k)), nil
	case bigKey:
		return appendTagged(dst, 'B', string(k)), nil
	case tupleKey:
		return appendTagged(dst, 'T', string(k)), nil
	case frozenKey:
		return appendTagged(dst, 'Z', string(k)), nil
	case Global:
		dst = appendTagged(dst, 'g', k.Module)
		return appendTagged(dst, 'g', k.Name), nil
	default:
		// Identity-hashed pointers.
		return appendTagged(dst, 'p', fmt.Sprintf("%T%p", k, k)), nil
	}
}

func appendTagged(dst []byte, tag byte, s string) []byte {
	dst = append(dst, tag)
	dst = binary.AppendUvarint(dst, uint64(len(s)))
	return append(dst, s...)
}

func bytesCompare(a, b []byte) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return int(a[i]) - int(b[i])
		}
	}
	return len(a) - len(b)
}

// maxKeyDepth bounds the nesting of tuples and frozensets inside a key.
const maxKeyDepth = 1000

// keyIndex finds normalized keys by position: a linear scan while small, a
// map once it grows.
type keyIndex struct {
	hkeys []any
	index map[any]int
}

const keyIndexThreshold = 8

func (x *keyIndex) find(hk any) int {
	if x.index != nil {
		if i, ok := x.index[hk]; ok {
			return i
		}
		return -1
	}
	for i, k := range x.hkeys {
		if k == hk {
			return i
		}
	}
	return -1
}

func (x *keyIndex) add(hk any) {
	x.hkeys = append(x.hkeys, hk)
	if x.index != nil {
		x.index[hk] = len(x.hkeys) - 1
	} else if len(x.hkeys) > keyIndexThreshold {
		x.index = make(map[any]int, 2*len(x.hkeys))
		for i, k := range x.hkeys {
			x.index[k] = i
		}
	}
}

func (x *keyIndex) remove(pos int) {
	x.hkeys = slices.Delete(x.hkeys, pos, pos+1)
	if x.index != nil {
		x.index = make(map[any]int, len(x.hkeys))
		for i, k := range x.hkeys {
			x.index[k] = i
		}
	}
}
