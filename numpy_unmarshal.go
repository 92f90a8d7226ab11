package pickle

import (
	"encoding/binary"
	"fmt"
	"math"
	"reflect"
	"unsafe"
)

// This file unmarshals an NDArray into Go types: a 1-d array into a slice or
// Go array, an N-d array into nested ones in row-major order whatever the
// memory order, a 0-d array or numpy scalar into a single value, each
// element by the rules a Python value of its kind follows. The commonest
// pairs ([]float64 from float64, ...) are filled without boxing the
// elements.

var (
	ndarrayType    = reflect.TypeFor[NDArray]()
	ndarrayPtrType = reflect.TypeFor[*NDArray]()
)

// convertNDArray stores a into dst, which is neither an interface nor
// *NDArray (convertValue stores those as they are).
func (u *unmarshaler) convertNDArray(a *NDArray, dst reflect.Value) error {
	if dst.Type() == ndarrayType {
		u.storeNDArray(a, dst)
		return nil
	}
	if len(a.Shape) == 0 {
		// A 0-d array or a scalar is its one element.
		return u.convertElement(a, 0, 0, dst)
	}
	var memOf func(i int) int
	if a.Fortran {
		memOf = fortranIndex(a.Shape)
	}
	return u.fillDim(a, 0, 0, memOf, dst)
}

// fillDim fills dst with the sub-array of a at dimension dim whose first
// element has row-major index start.
func (u *unmarshaler) fillDim(a *NDArray, dim, start int, memOf func(int) int, dst reflect.Value) error {
	t := dst.Type()
	n := a.Shape[dim]
	switch t.Kind() {
	case reflect.Slice:
		if dim == len(a.Shape)-1 && memOf == nil {
			if ok, err := u.fillFast(a, start, n, dst); ok {
				return err
			}
		}
		u.budget -= int64(n) * (2*int64(t.Elem().Size()) + 16)
		if u.budget < 0 {
			return &UnmarshalTypeError{Value: typeName(a), Type: t,
				Err: fmt.Errorf("the array expands beyond the typed decoding budget: %w", ErrLimit)}
		}
		setLenZeroed(dst, n)
	case reflect.Array:
		if t.Len() != n {
			return u.mismatch(a, dst, fmt.Errorf("%d items for an array of %d", n, t.Len()))
		}
	default:
		return u.mismatch(a, dst, fmt.Errorf("a numpy array of shape %v and dtype %s needs a slice or array", a.Shape, a.Dtype))
	}
	inner := 1
	for _, d := range a.Shape[dim+1:] {
		inner *= d
	}
	for k := range n {
		i := start + k*inner
		var err error
		if dim == len(a.Shape)-1 {
			mem := i
			if memOf != nil {
				mem = memOf(i)
			}
			err = u.convertElement(a, i, mem, dst.Index(k))
		} else {
			err = u.fillDim(a, dim+1, i, memOf, dst.Index(k))
		}
		if err != nil {
			return u.atIndex(err, k)
		}
	}
	return nil
}

// convertElement stores the element at row-major index i (memory index mem)
// into dst.
func (u *unmarshaler) convertElement(a *NDArray, i, mem int, dst reflect.Value) error {
	v, err := a.element(i, mem)
	if err != nil {
		return u.mismatch(a, dst, err)
	}
	if b, ok := v.([]byte); ok && a.Dtype.Kind == 'S' && dst.Kind() == reflect.String && dst.Type().PkgPath() == "" {
		dst.SetString(string(b))
		return nil
	}
	return u.convert(v, dst)
}

// fortranIndex returns the function from an element's row-major index to its
// index in a Fortran-ordered array of the shape.
func fortranIndex(shape []int) func(int) int {
	return func(i int) int {
		mem, stride := 0, 1
		idx := make([]int, len(shape))
		for k := len(shape) - 1; k >= 0; k-- {
			idx[k] = i % shape[k]
			i /= shape[k]
		}
		for k, d := range shape {
			mem += idx[k] * stride
			stride *= d
		}
		return mem
	}
}

// fillFast fills a slice of a plain Go number type from the n elements of a
// C-ordered array of the same type from row-major index start, decoding the
// bytes straight into the slice. ok is false for any other pair.
func (u *unmarshaler) fillFast(a *NDArray, start, n int, dst reflect.Value) (ok bool, err error) {
	t := dst.Type()
	if t.PkgPath() != "" || t.Elem().PkgPath() != "" || a.Dtype.Kind == 'O' {
		return false, nil
	}
	size := a.Dtype.Size
	data := a.Data[start*size : (start+n)*size]
	var v any
	switch k := t.Elem().Kind(); {
	case k == reflect.Float64 && a.Dtype.Kind == 'f' && size == 8 && !a.Dtype.BigEndian():
		v = littleFloat64s(reusedOrNew[float64](dst, n), data) // the commonest array of all, inlined
	case k == reflect.Float64 && a.Dtype.Kind == 'f' && size == 8:
		v = decodeWords(reusedOrNew[float64](dst, n), data, true, math.Float64frombits)
	case k == reflect.Float32 && a.Dtype.Kind == 'f' && size == 4:
		v = decodeWords(reusedOrNew[float32](dst, n), data, a.Dtype.BigEndian(), math.Float32frombits)
	case k == reflect.Int64 && a.Dtype.Kind == 'i' && size == 8:
		v = decodeWords(reusedOrNew[int64](dst, n), data, a.Dtype.BigEndian(), func(w uint64) int64 { return int64(w) })
	case k == reflect.Int32 && a.Dtype.Kind == 'i' && size == 4:
		v = decodeWords(reusedOrNew[int32](dst, n), data, a.Dtype.BigEndian(), func(w uint32) int32 { return int32(w) })
	default:
		return false, nil
	}
	dst.Set(reflect.ValueOf(v))
	return true, nil
}

// reusedOrNew returns the []T in dst with length n: its own backing array
// when that holds n elements, as encoding/json reuses a slice, else a new
// one. The caller overwrites every element.
func reusedOrNew[T any](dst reflect.Value, n int) []T {
	if dst.Cap() >= n && dst.Cap() > 0 {
		return dst.Slice(0, n).Interface().([]T)
	}
	return make([]T, n)
}

// littleFloat64s decodes little-endian float64s into out, which has room
// for them all: on a little-endian machine the bytes are already out's
// memory, and one copy (memmove) moves them.
func littleFloat64s(out []float64, data []byte) []float64 {
	if !nativeBigEndian && len(out) > 0 {
		copy(unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(out))), 8*len(out)), data[:8*len(out)])
		return out
	}
	for i := range out {
		out[i] = math.Float64frombits(binary.LittleEndian.Uint64(data[8*i:]))
	}
	return out
}

// decodeWords decodes data as words of W's size in the byte order given,
// each turned into a T, into out, which has room for them all: one pass.
func decodeWords[W uint32 | uint64, T any](out []T, data []byte, bigEndian bool, conv func(W) T) []T {
	var w W
	size := int(reflect.TypeOf(w).Size())
	switch {
	case size == 8 && bigEndian:
		for i := range out {
			out[i] = conv(W(binary.BigEndian.Uint64(data[8*i:])))
		}
	case size == 8:
		for i := range out {
			out[i] = conv(W(binary.LittleEndian.Uint64(data[8*i:])))
		}
	case bigEndian:
		for i := range out {
			out[i] = conv(W(binary.BigEndian.Uint32(data[4*i:])))
		}
	default:
		for i := range out {
			out[i] = conv(W(binary.LittleEndian.Uint32(data[4*i:])))
		}
	}
	return out
}
