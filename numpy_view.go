package pickle

import (
	"encoding/binary"
	"reflect"
	"unsafe"
)

// This file builds an NDArray that views a Go slice of numbers in place, so
// that Marshal writes a []float64 for numpy with one copy, the pickle's own:
// NewNDArray copies the elements into a new Data first.

// Viewable is the element types NDArrayView can view: Go's numbers and bool,
// whose memory is already numpy's layout for their dtype (bool is one byte,
// 0 or 1, as numpy's |b1; a complex is its real part, then its imaginary).
type Viewable interface {
	~bool | ~int | ~int8 | ~int16 | ~int32 | ~int64 |
		~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64 |
		~float32 | ~float64 | ~complex64 | ~complex128
}

// nativeBigEndian reports a big-endian machine, whose numbers a view
// presents as numpy's '>' byte order.
var nativeBigEndian = binary.NativeEndian.Uint16([]byte{0, 1}) == 1

// NDArrayView returns a 1-d, C-ordered NDArray whose Data is s's own memory,
// not a copy of it: Marshal then copies the elements once, into the pickle
// (and an Encoder writes them to its writer without copying them at all).
// The dtype is NewNDArray's for the element type, in this machine's byte
// order (little-endian on amd64 and arm64, where the pickle is the same one
// NewNDArray's array gives).
//
// The array and s share memory: a change to s's elements shows in Data, and
// one made through Data shows in s. Do not change s while the array is
// being written. Data's capacity is its length, so an append to Data copies
// rather than writing into s's spare capacity.
func NDArrayView[T Viewable](s []T) *NDArray {
	// Every kind Viewable admits has a dtype, so there is no error to see.
	d, _ := dtypeForGo(reflect.TypeFor[T]())
	if nativeBigEndian && d.Order == '<' {
		d.Order = '>'
	}
	data := []byte{}
	if len(s) > 0 {
		// T holds no pointers, so the bytes are all there is to it; the
		// view keeps s's backing array alive as s itself would.
		data = unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(s))), len(s)*d.Size)
	}
	return &NDArray{Shape: []int{len(s)}, Dtype: d, Data: data}
}
