package pickle

import (
	"encoding/binary"
	"fmt"
	"math"
	"reflect"
	"time"
	"unicode/utf8"
)

// This file builds an NDArray from Go values: a slice or array, nested
// rectangular ones for more dimensions, or a single value for a 0-d array.

// NewNDArray returns the C-ordered, little-endian array numpy.array would
// make of v:
//   - bool: bool (|b1);
//   - int8 to int64, int: int8 to int64 (int as int64); uint8 to uint64,
//     uint: likewise unsigned;
//   - float32, float64: float32, float64; complex64, complex128: likewise;
//   - string: unicode, as wide as the longest (at least 1 character, as
//     numpy's <U1 for empty strings);
//   - time.Time: datetime64[ns] (UTC); time.Duration: timedelta64[ns].
//
// Slices and arrays add dimensions; nested ones must be rectangular (a
// ragged one is an error, as in numpy 1.24 without dtype=object). A slice
// of bytes is a 1-d uint8 array.
func NewNDArray(v any) (*NDArray, error) {
	if a := newFlatNDArray(v); a != nil {
		return a, nil
	}
	rv := reflect.ValueOf(v)
	if !rv.IsValid() {
		return nil, fmt.Errorf("pickle: NewNDArray of nil")
	}
	shape := []int{}
	leaf := rv.Type()
	var fixed []int // a Go array's length, or -1
	for leaf.Kind() == reflect.Slice || leaf.Kind() == reflect.Array {
		if leaf.Kind() == reflect.Array {
			fixed = append(fixed, leaf.Len())
		} else {
			fixed = append(fixed, -1)
		}
		leaf = leaf.Elem()
		shape = append(shape, -1)
	}
	d, err := dtypeForGo(leaf)
	if err != nil {
		return nil, err
	}
	if err := measure(rv, shape, 0); err != nil {
		return nil, err
	}
	for i, d := range shape {
		if d < 0 {
			// Below an empty dimension: numpy says 0 for a list.
			shape[i] = max(fixed[i], 0)
		}
	}
	var leaves []reflect.Value
	collectLeaves(rv, len(shape), &leaves)
	if d.Kind == 'U' {
		width := 1
		for _, l := range leaves {
			width = max(width, utf8.RuneCountInString(l.String()))
		}
		d.Size = 4 * width
	}
	n, err := checkedLen(shape, d.Size)
	if err != nil {
		return nil, err
	}
	a := &NDArray{Shape: shape, Dtype: d, Data: make([]byte, 0, n*d.Size)}
	for _, l := range leaves {
		if a.Data, err = appendElement(a.Data, l, d); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// measure sets shape[dim:] from v and checks that every sub-slice agrees.
func measure(v reflect.Value, shape []int, dim int) error {
	if dim == len(shape) {
		return nil
	}
	n := v.Len()
	if shape[dim] < 0 {
		shape[dim] = n
	}
	if n != shape[dim] {
		return fmt.Errorf("pickle: NewNDArray of ragged nested slices: %d items where dimension %d has %d", n, dim, shape[dim])
	}
	for i := range n {
		if err := measure(v.Index(i), shape, dim+1); err != nil {
			return err
		}
	}
	return nil
}

func collectLeaves(v reflect.Value, depth int, out *[]reflect.Value) {
	if depth == 0 {
		*out = append(*out, v)
		return
	}
	for i := range v.Len() {
		collectLeaves(v.Index(i), depth-1, out)
	}
}

var (
	goTimeType     = reflect.TypeFor[time.Time]()
	goDurationType = reflect.TypeFor[time.Duration]()
)

// dtypeForGo returns the dtype numpy gives values of the Go type.
func dtypeForGo(t reflect.Type) (Dtype, error) {
	switch t {
	case goTimeType:
		return Dtype{Kind: 'M', Order: '<', Size: 8, Unit: "ns", Count: 1}, nil
	case goDurationType:
		return Dtype{Kind: 'm', Order: '<', Size: 8, Unit: "ns", Count: 1}, nil
	}
	d := Dtype{Order: '<', Size: int(t.Size())}
	switch t.Kind() {
	case reflect.Bool:
		d.Kind = 'b'
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		d.Kind = 'i'
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		d.Kind = 'u'
	case reflect.Float32, reflect.Float64:
		d.Kind = 'f'
	case reflect.Complex64, reflect.Complex128:
		d.Kind = 'c'
	case reflect.String:
		d.Kind = 'U'
	default:
		return Dtype{}, fmt.Errorf("pickle: NewNDArray: %s has no numpy dtype", t)
	}
	d.fixOrder()
	return d, nil
}

// appendElement appends v's bytes as an element of dtype d.
func appendElement(b []byte, v reflect.Value, d Dtype) ([]byte, error) {
	le := binary.LittleEndian
	switch d.Kind {
	case 'M':
		t := v.Interface().(time.Time)
		ns := t.UnixNano()
		if !time.Unix(0, ns).Equal(t) {
			return nil, fmt.Errorf("pickle: NewNDArray: %v is beyond datetime64[ns]", t)
		}
		return le.AppendUint64(b, uint64(ns)), nil
	case 'm':
		return le.AppendUint64(b, uint64(v.Int())), nil
	case 'b':
		if v.Bool() {
			return append(b, 1), nil
		}
		return append(b, 0), nil
	case 'i':
		return appendWord(b, uint64(v.Int()), d.Size), nil
	case 'u':
		return appendWord(b, v.Uint(), d.Size), nil
	case 'f':
		if d.Size == 4 {
			return le.AppendUint32(b, math.Float32bits(float32(v.Float()))), nil
		}
		return le.AppendUint64(b, math.Float64bits(v.Float())), nil
	case 'c':
		c := v.Complex()
		if d.Size == 8 {
			b = le.AppendUint32(b, math.Float32bits(float32(real(c))))
			return le.AppendUint32(b, math.Float32bits(float32(imag(c)))), nil
		}
		b = le.AppendUint64(b, math.Float64bits(real(c)))
		return le.AppendUint64(b, math.Float64bits(imag(c))), nil
	case 'U':
		n := 0
		for _, r := range v.String() {
			b = le.AppendUint32(b, uint32(r))
			n++
		}
		for ; n < d.Size/4; n++ {
			b = le.AppendUint32(b, 0)
		}
		return b, nil
	}
	return nil, fmt.Errorf("pickle: NewNDArray: no element of dtype %s", d)
}

// appendWord appends the low size bytes of w, little-endian.
func appendWord(b []byte, w uint64, size int) []byte {
	for i := range size {
		b = append(b, byte(w>>(8*i)))
	}
	return b
}

// newFlatNDArray is NewNDArray for the commonest slices of numbers, encoded
// in one loop rather than element by element through reflection (a 100 MB
// []float64: ~200 MB/s the general way); nil for any other value.
func newFlatNDArray(v any) *NDArray {
	var data []byte
	var d Dtype
	switch x := v.(type) {
	case []float64:
		d, data = Dtype{Kind: 'f', Order: '<', Size: 8}, make([]byte, 8*len(x))
		for i, f := range x {
			binary.LittleEndian.PutUint64(data[8*i:], math.Float64bits(f))
		}
	case []float32:
		d, data = Dtype{Kind: 'f', Order: '<', Size: 4}, make([]byte, 4*len(x))
		for i, f := range x {
			binary.LittleEndian.PutUint32(data[4*i:], math.Float32bits(f))
		}
	case []int64:
		d, data = Dtype{Kind: 'i', Order: '<', Size: 8}, make([]byte, 8*len(x))
		for i, n := range x {
			binary.LittleEndian.PutUint64(data[8*i:], uint64(n))
		}
	case []int32:
		d, data = Dtype{Kind: 'i', Order: '<', Size: 4}, make([]byte, 4*len(x))
		for i, n := range x {
			binary.LittleEndian.PutUint32(data[4*i:], uint32(n))
		}
	default:
		return nil
	}
	return &NDArray{Shape: []int{len(data) / d.Size}, Dtype: d, Data: data}
}
