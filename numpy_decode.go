package pickle

import (
	"math"
)

// This file evaluates the calls numpy's pickles make, and the BUILD states
// they complete, without numpy: numpy.dtype(typestr, align, copy) and its
// state, multiarray._reconstruct(ndarray, shape, typecode) and
// ndarray.__setstate__'s (version, shape, dtype, is_fortran, data),
// numeric._frombuffer(buffer, dtype, shape, order) at protocol 5, and
// multiarray.scalar(dtype, bytes). Each checks what it is given against
// what numpy itself writes; anything else stays a symbolic *Object or fails
// with the reason.

// callDtype evaluates numpy.dtype("f8", False, True): a dtype that BUILD
// completes with its byte order and unit.
func callDtype(args Tuple, kind CallKind) (any, bool, error) {
	if kind != CallReduce || len(args) != 3 {
		return nil, false, nil
	}
	s, ok := args[0].(string)
	if !ok {
		return nil, false, nil
	}
	d, ok := parseDtypeArg(s)
	if !ok {
		return nil, true, unsupported("numpy dtype %q is not one this package reads", s)
	}
	d.fixOrder()
	return &d, true, nil
}

// buildState applies dtype.__setstate__'s state.
func (d *Dtype) buildState(state any) error { return d.applyState(state) }

// callReconstruct evaluates _reconstruct(numpy.ndarray, (0,), b"b"): the
// empty int8 array that BUILD then fills. Other shapes (numpy never writes
// them; notPlain bounds them) and subclasses (numpy.matrix, masked arrays)
// stay symbolic, so that nothing is allocated for them here.
func callReconstruct(args Tuple, kind CallKind) (any, bool, error) {
	if kind != CallReduce || len(args) != 3 || args[0] != any(globalNDArray) {
		return nil, false, nil
	}
	shape, err := numpyShape(args[1])
	if err != nil {
		return nil, true, err
	}
	if n, err := checkedLen(shape, 1); err != nil || n != 0 {
		return nil, false, nil
	}
	return &NDArray{Shape: shape, Dtype: Dtype{Kind: 'i', Order: '|', Size: 1}, Data: []byte{}}, true, nil
}

// reconstructNotPlain says why a _reconstruct call is not plain data: numpy
// allocates the shape it is given.
func reconstructNotPlain(args Tuple) string {
	if len(args) < 2 {
		return ""
	}
	shape, err := numpyShape(args[1])
	if err != nil {
		return ""
	}
	if n, err := checkedLen(shape, 1); err != nil || n > MaxPlainAlloc {
		return "asks numpy to allocate an array of shape " + Repr(args[1]) + " (more than MaxPlainAlloc)"
	}
	return ""
}

// numpyShape reads a shape: a tuple of non-negative ints (or one int).
func numpyShape(v any) ([]int, error) {
	if n, ok := v.(int64); ok {
		v = Tuple{n}
	}
	t, ok := v.(Tuple)
	if !ok || len(t) > 64 {
		return nil, malformed("numpy array shape is a %s, not a tuple of at most 64 ints", typeName(v))
	}
	shape := make([]int, len(t))
	for i, x := range t {
		n, ok := x.(int64)
		if !ok || n < 0 || n > math.MaxInt {
			return nil, malformed("numpy array shape %s has a dimension that is not a non-negative int", Repr(v))
		}
		shape[i] = int(n)
	}
	return shape, nil
}

// buildState applies ndarray.__setstate__'s state: (version, shape, dtype,
// is_fortran, data), or the same without the version, which __setstate__
// also accepts. Big-endian data stays big-endian (numpy's __setstate__
// swaps it to native order, equal values): so the array re-encodes as it
// was written.
// data is bytes, a Latin-1 str (Python 2, or _codecs.encode already
// evaluated), or a list for object arrays.
func (a *NDArray) buildState(state any) error {
	t, ok := state.(Tuple)
	if ok && len(t) == 5 {
		t = t[1:]
	}
	if !ok || len(t) != 4 {
		return malformed("numpy array state is a %s of %d items, not (version, shape, dtype, is_fortran, data)", typeName(state), tupleLen(state))
	}
	shape, err := numpyShape(t[0])
	if err != nil {
		return err
	}
	d, ok := t[1].(*Dtype)
	if !ok {
		return unsupported("numpy array state has a %s for its dtype, not a dtype this package reads", typeName(t[1]))
	}
	fortran, ok := pyTruth(t[2])
	if !ok {
		return malformed("numpy array state has a %s for is_fortran", typeName(t[2]))
	}
	b := NDArray{Shape: shape, Dtype: *d, Fortran: fortran && len(shape) > 1}
	if d.Kind == 'O' {
		items, ok := t[3].(*List)
		if !ok {
			return malformed("numpy object array state has a %s, not a list", typeName(t[3]))
		}
		b.Objects = append([]any{}, (*items)...)
	} else if b.Data, ok = dataBytes(t[3]); !ok {
		return malformed("numpy array data is a %s, not bytes or Latin-1 text", typeName(t[3]))
	}
	if err := b.validate(); err != nil {
		return err
	}
	*a = b
	return nil
}

// pyTruth reads a flag pickled as bool or int.
func pyTruth(v any) (bool, bool) {
	switch x := v.(type) {
	case bool:
		return x, true
	case int64:
		return x != 0, true
	}
	return false, false
}

// dataBytes returns the bytes of an array's data: bytes as they are, text
// (a Python 2 str decoded as Latin-1) code point by code point.
func dataBytes(v any) ([]byte, bool) {
	x, ok := v.(string)
	if !ok {
		return bytesOf(v)
	}
	b := make([]byte, 0, len(x))
	for _, r := range x {
		if r > 0xff {
			return nil, false
		}
		b = append(b, byte(r))
	}
	return b, true
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// callFrombuffer evaluates _frombuffer(buffer, dtype, shape, order), what
// numpy writes at protocol 5: the array shares the buffer's bytes, as in
// numpy.
func callFrombuffer(args Tuple, kind CallKind) (any, bool, error) {
	if kind != CallReduce || len(args) != 4 {
		return nil, false, nil
	}
	data, ok := bytesOf(args[0])
	if !ok {
		return nil, true, malformed("numpy _frombuffer's buffer is a %s", typeName(args[0]))
	}
	d, ok := args[1].(*Dtype)
	if !ok {
		return nil, true, unsupported("numpy _frombuffer's dtype is a %s, not a dtype this package reads", typeName(args[1]))
	}
	if d.Kind == 'O' {
		return nil, true, malformed("numpy _frombuffer of an object dtype")
	}
	shape, err := numpyShape(args[2])
	if err != nil {
		return nil, true, err
	}
	order, _ := args[3].(string)
	if order != "C" && order != "F" {
		return nil, true, malformed("numpy _frombuffer order %s is not 'C' or 'F'", Repr(args[3]))
	}
	if data == nil {
		data = []byte{}
	}
	a := &NDArray{Shape: shape, Dtype: *d, Fortran: order == "F" && len(shape) > 1, Data: data}
	if err := a.validate(); err != nil {
		return nil, true, err
	}
	return a, true, nil
}

// callScalar evaluates multiarray.scalar(dtype, bytes): a numpy scalar, or
// for the object dtype the object itself, as numpy gives it: str_ and
// bytes_ as wide as the value without its trailing NULs. (numpy also swaps
// a big-endian scalar to native order; here it keeps its order, as arrays
// do.)
func callScalar(args Tuple, kind CallKind) (any, bool, error) {
	if kind != CallReduce || len(args) < 1 || len(args) > 2 {
		return nil, false, nil
	}
	d, ok := args[0].(*Dtype)
	if !ok {
		return nil, true, unsupported("numpy scalar's dtype is a %s, not a dtype this package reads", typeName(args[0]))
	}
	if d.Kind == 'O' {
		if len(args) == 1 {
			return nil, true, nil
		}
		return args[1], true, nil
	}
	if len(args) != 2 {
		return nil, true, malformed("numpy scalar of dtype %s without its bytes", d)
	}
	data, ok := dataBytes(args[1])
	if !ok {
		return nil, true, malformed("numpy scalar data is a %s, not bytes", typeName(args[1]))
	}
	a := &NDArray{Shape: []int{}, Dtype: *d, Data: data, Scalar: true}
	if err := a.validate(); err != nil {
		return nil, true, err
	}
	if d.Kind == 'U' || d.Kind == 'S' {
		// numpy.str_ and numpy.bytes_ are as wide as their value.
		unit := 1
		if d.Kind == 'U' {
			unit = 4
		}
		n := len(a.Data)
		for n >= unit && allZero(a.Data[n-unit:n]) {
			n -= unit
		}
		a.Data, a.Dtype.Size = a.Data[:n], n
	}
	return a, true, nil
}
