package pickle

import (
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// This file is numpy's ndarray as a Go value: its shape, dtype, memory order
// and the bytes (or, for object arrays, the values) of its elements, and the
// checks that keep a hostile shape or dtype from asking for more than the
// pickle holds.

// NDArray is a numpy.ndarray, or a numpy scalar (numpy.float64(1.5)), which
// is a 0-d array with Scalar set. The decoder gives *NDArray; Unmarshal
// also fills slices, arrays and numbers from one (see Unmarshal).
type NDArray struct {
	// Shape is the array's shape: empty for a 0-d array or a scalar.
	Shape []int
	// Dtype is the elements' type, byte order and size.
	Dtype Dtype
	// Fortran reports that Data holds the elements in column-major
	// (Fortran) order; otherwise it is row-major (C) order.
	Fortran bool
	// Data holds the elements, Dtype.Size bytes each, in memory order and
	// in Dtype's byte order; nil for an object array. It may share memory
	// with the input (a protocol 5 buffer), as numpy's array would.
	// Unmarshal into an NDArray whose Data has the capacity for the
	// array's bytes copies them into Data's backing array.
	Data []byte
	// Objects holds the elements of an object array (dtype O) in
	// row-major order, as numpy pickles them; nil for any other dtype.
	Objects []any
	// Scalar reports a numpy scalar rather than a 0-d array: what
	// numpy.core.multiarray.scalar makes.
	Scalar bool
}

// Len returns the number of elements: the product of Shape (1 for a 0-d
// array).
func (a *NDArray) Len() int {
	n := 1
	for _, d := range a.Shape {
		n *= d
	}
	return n
}

// ByteOrder returns the byte order of the elements in Data.
func (a *NDArray) ByteOrder() binary.ByteOrder {
	if a.Dtype.BigEndian() {
		return binary.BigEndian
	}
	return binary.LittleEndian
}

// Strides returns numpy's strides: for each dimension, the bytes between
// consecutive elements along it in Data.
func (a *NDArray) Strides() []int {
	st := make([]int, len(a.Shape))
	step := a.Dtype.Size
	if a.Dtype.Kind == 'O' {
		step = 8 // numpy's pointer size, though Objects has no bytes
	}
	for k := range a.Shape {
		i := len(a.Shape) - 1 - k // C order: the last dimension moves fastest
		if a.Fortran {
			i = k
		}
		st[i] = step
		step *= max(a.Shape[i], 1)
	}
	return st
}

// checkedLen returns the number of elements shape holds, or an error if a
// dimension is negative or the product, times size bytes each, overflows.
func checkedLen(shape []int, size int) (int, error) {
	n := 1
	for _, d := range shape {
		if d < 0 {
			return 0, malformed("numpy array has negative dimension %d in shape %v", d, shape)
		}
		if d != 0 && n > math.MaxInt/d {
			return 0, malformed("numpy array shape %v overflows", shape)
		}
		n *= d
	}
	if size > 0 && n > math.MaxInt/size {
		return 0, malformed("numpy array shape %v of %d-byte elements overflows", shape, size)
	}
	return n, nil
}

// validate checks that the elements match the shape and dtype exactly: the
// only check an array needs before its accessors trust it.
func (a *NDArray) validate() error {
	n, err := checkedLen(a.Shape, a.Dtype.Size)
	if err != nil {
		return err
	}
	if a.Scalar && len(a.Shape) != 0 {
		return fmt.Errorf("pickle: numpy scalar with shape %v", a.Shape)
	}
	if a.Dtype.Kind == 'O' {
		if a.Data != nil || len(a.Objects) != n {
			return malformed("numpy object array of shape %v has %d objects, not %d", a.Shape, len(a.Objects), n)
		}
		return nil
	}
	if a.Objects != nil || len(a.Data) != n*a.Dtype.Size {
		return malformed("numpy array of shape %v and dtype %s has %d bytes of data, not %d", a.Shape, a.Dtype, len(a.Data), n*a.Dtype.Size)
	}
	return nil
}

// eachRowMajor calls fn with the memory index (in elements) of every element
// in row-major order: the identity for C order, a walk of the Fortran
// layout otherwise.
func (a *NDArray) eachRowMajor(fn func(i, mem int) error) error {
	n := a.Len()
	if !a.Fortran || len(a.Shape) < 2 {
		for i := range n {
			if err := fn(i, i); err != nil {
				return err
			}
		}
		return nil
	}
	// Fortran strides in elements; idx is the row-major multi-index.
	nd := len(a.Shape)
	stride := make([]int, nd)
	s := 1
	for k := range nd {
		stride[k] = s
		s *= a.Shape[k]
	}
	idx := make([]int, nd)
	mem := 0
	for i := range n {
		if err := fn(i, mem); err != nil {
			return err
		}
		for k := nd - 1; k >= 0; k-- {
			idx[k]++
			mem += stride[k]
			if idx[k] < a.Shape[k] {
				break
			}
			mem -= idx[k] * stride[k]
			idx[k] = 0
		}
	}
	return nil
}

// String describes the array by its Python type, shape and dtype, as in
// "numpy.ndarray(shape=(2, 3), dtype='<f8')".
func (a *NDArray) String() string {
	var b strings.Builder
	b.WriteString(a.pythonTypeName())
	b.WriteString("(shape=(")
	for i, d := range a.Shape {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Itoa(d))
	}
	if len(a.Shape) == 1 {
		b.WriteByte(',')
	}
	b.WriteString("), dtype='")
	b.WriteString(a.Dtype.String())
	b.WriteString("')")
	return b.String()
}

// rowMajorData returns the elements' bytes in row-major order: Data itself
// for a C-ordered array, a reordered copy for a Fortran-ordered one.
func (a *NDArray) rowMajorData() []byte {
	if !a.Fortran {
		return a.Data
	}
	size := a.Dtype.Size
	out := make([]byte, len(a.Data))
	_ = a.eachRowMajor(func(i, mem int) error {
		copy(out[i*size:(i+1)*size], a.Data[mem*size:(mem+1)*size])
		return nil
	})
	return out
}
