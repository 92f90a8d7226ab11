package pickle

import (
	"fmt"
	"strconv"
)

// This file reduces NDArray and Dtype as numpy does (methods.c's
// array_reduce_ex and descriptor.c's arraydescr_reduce): below protocol 5,
// or for object arrays, _reconstruct(ndarray, (0,), b'b') and BUILD with
// (1, shape, dtype, is_fortran, data); from protocol 5,
// _frombuffer(PickleBuffer, dtype, shape, order), whose buffer goes out of
// band through BufferCallback; scalars as scalar(dtype, bytes); dtypes as
// dtype(typestr, False, True) and BUILD with their state. numpy 1's module
// names, which numpy 2 also loads, unless NumpyModules(2) asks for numpy
// 2's.

// NumpyModules selects the module names Marshal writes for numpy's array
// functions: 1 (the default) writes numpy 1's (numpy.core.multiarray,
// numpy.core.numeric), which numpy 1 and numpy 2 both load; 2 writes numpy
// 2's (numpy._core.multiarray, numpy._core.numeric), as numpy 2 itself
// does, which numpy 1 cannot load. It renames the globals of any value
// written, including an Object naming numpy 1's functions. Decoding reads
// both spellings whatever this option says.
func NumpyModules(major int) Option {
	return optionFunc(func(c *config) {
		if major != 1 && major != 2 {
			c.fail(fmt.Errorf("pickle: NumpyModules(%d): want numpy's major version, 1 or 2", major))
			return
		}
		c.numpy2 = major == 2
	})
}

// numpy2Renames maps numpy 1's module names of the array functions to numpy
// 2's; numpy.ndarray and numpy.dtype are spelled alike in both.
var numpy2Renames = map[Global]Global{
	globalReconstruct: globalReconstruct2,
	globalScalar:      globalScalar2,
	globalFrombuffer:  globalFrombuffer2,
}

// numpy2Global is g as numpy 2 spells it.
func numpy2Global(g Global) Global {
	if g2, ok := numpy2Renames[g]; ok {
		return g2
	}
	return g
}

// reduceAt reduces the array as numpy does at the protocol.
func (a *NDArray) reduceAt(proto int) (*Object, any, error) {
	if a == nil {
		return nil, nil, unsupported("nil *pickle.NDArray")
	}
	if err := a.Dtype.check(); err != nil {
		return nil, nil, err
	}
	if err := a.validate(); err != nil {
		return nil, nil, err
	}
	dtype := a.Dtype.reduce()
	if a.Scalar {
		return &Object{Class: globalScalar, Kind: CallReduce, Args: Tuple{dtype, a.Data}}, a, nil
	}
	shape := make(Tuple, len(a.Shape))
	for i, d := range a.Shape {
		shape[i] = int64(d)
	}
	fortran := a.Fortran && !isCContiguousToo(a.Shape)
	if proto >= 5 && a.Dtype.Kind != 'O' && a.Dtype.Kind != 'M' && a.Dtype.Kind != 'm' {
		// numpy keeps the regular reduction for objects and datetimes.
		order := "C"
		if fortran {
			order = "F"
		}
		buf := &PickleBuffer{Data: a.Data}
		return &Object{Class: globalFrombuffer, Kind: CallReduce, Args: Tuple{buf, dtype, shape, order}}, a, nil
	}
	var data any = a.Data
	if a.Dtype.Kind == 'O' {
		l := List(append([]any{}, a.Objects...))
		data = &l
	}
	return &Object{
		Class: globalReconstruct, Kind: CallReduce,
		Args:  Tuple{globalNDArray, Tuple{int64(0)}, []byte("b")},
		State: Tuple{int64(1), shape, dtype, fortran, data}, HasState: true,
	}, a, nil
}

// isCContiguousToo reports whether an array of the shape is C-contiguous
// whatever its order (at most one dimension above 1): numpy then calls it
// C-ordered.
func isCContiguousToo(shape []int) bool {
	n := 0
	for _, d := range shape {
		if d > 1 {
			n++
		}
	}
	return n <= 1
}

// reduceAt reduces a dtype as numpy does, at every protocol.
func (d *Dtype) reduceAt() (*Object, any, error) {
	if d == nil {
		return nil, nil, unsupported("nil *pickle.Dtype")
	}
	if err := d.check(); err != nil {
		return nil, nil, err
	}
	o := d.reduce()
	if canonicalDtypes[*d] != nil {
		return o, o, nil
	}
	return o, d, nil
}

// canonicalDtypes are the reductions of the dtypes numpy keeps one object of
// (the fixed-size kinds in native byte order), which its pickles therefore
// write once and then fetch from the memo.
var canonicalDtypes = map[Dtype]*Object{}

func init() {
	for _, s := range []string{"b1", "i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8", "f2", "f4", "f8", "c8", "c16", "O8"} {
		d, _ := parseDtypeArg(s)
		d.fixOrder()
		canonicalDtypes[d] = d.reduceNew()
	}
}

// reduce returns numpy.dtype(typestr, False, True) with its state: one
// shared Object for the dtypes numpy shares.
func (d Dtype) reduce() *Object {
	if o := canonicalDtypes[d]; o != nil {
		return o
	}
	return d.reduceNew()
}

func (d Dtype) reduceNew() *Object {
	typestr := string(d.Kind) + strconv.Itoa(d.Size)
	elsize, align, flags := int64(-1), int64(-1), int64(0)
	switch d.Kind {
	case 'U':
		typestr = "U" + strconv.Itoa(d.Size/4)
		elsize, align, flags = int64(d.Size), 4, 8
	case 'S', 'V':
		elsize, align = int64(d.Size), 1
	case 'O':
		flags = 63 // NPY_OBJECT_DTYPE_FLAGS
	}
	state := Tuple{int64(3), string(d.Order), nil, nil, nil, elsize, align, flags}
	if d.Kind == 'M' || d.Kind == 'm' {
		unit, count := "generic", int64(1)
		if d.Unit != "" {
			unit, count = d.Unit, int64(d.Count)
		}
		state[0] = int64(4)
		state = append(state, Tuple{&Dict{}, Tuple{[]byte(unit), count, int64(1), int64(1)}})
	}
	return &Object{Class: globalDtype, Kind: CallReduce, Args: Tuple{typestr, false, true}, State: state, HasState: true}
}

// check reports a Dtype that numpy has no equivalent of (a Go-made one).
func (d Dtype) check() error {
	p, ok := parseDtypeArg(string(d.Kind) + strconv.Itoa(d.Size))
	if d.Kind == 'U' {
		p, ok = parseDtypeArg("U" + strconv.Itoa(d.Size/4))
		ok = ok && d.Size%4 == 0
	}
	if d.Kind == 'O' {
		ok = ok && d.Size == 8
	}
	p.fixOrder()
	switch {
	case !ok:
		return unsupported("numpy dtype %s has no numpy equivalent", d)
	case p.Order == '|' && d.Order != '|', p.Order != '|' && d.Order != '<' && d.Order != '>':
		return unsupported("numpy dtype %s has byte order %q, numpy's is %q", d, d.Order, p.Order)
	case (d.Kind == 'M' || d.Kind == 'm') && d.Unit != "" && (!datetimeUnits[d.Unit] || d.Count < 1):
		return unsupported("numpy dtype %s has an invalid unit", d)
	}
	return nil
}
