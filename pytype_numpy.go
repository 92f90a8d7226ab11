package pickle

import (
	"reflect"
	"strconv"
)

// This file is numpy's rows of the type table: numpy.ndarray (arrays and
// numpy scalars, held as *NDArray) and numpy.dtype (held as *Dtype), with
// every global numpy 1 and numpy 2 write for them. They build data and run
// nothing of consequence, so the default allowlist admits them;
// numpy.ndarray itself only as _reconstruct's argument (called, it
// allocates). numpy's gadgets are in scan_dangerous.go. The rest of numpy's
// support is in numpy_*.go.

// The globals numpy's pickles name, numpy 1's and numpy 2's.
var (
	globalNDArray = Global{"numpy", "ndarray"}
	globalDtype   = Global{"numpy", "dtype"}

	globalReconstruct  = Global{"numpy.core.multiarray", "_reconstruct"}
	globalScalar       = Global{"numpy.core.multiarray", "scalar"}
	globalFrombuffer   = Global{"numpy.core.numeric", "_frombuffer"}
	globalReconstruct2 = Global{"numpy._core.multiarray", "_reconstruct"}
	globalScalar2      = Global{"numpy._core.multiarray", "scalar"}
	globalFrombuffer2  = Global{"numpy._core.numeric", "_frombuffer"}
)

func init() {
	registerType(&pyType{
		name: "numpy.ndarray",
		ctors: []ctor{
			{global: globalReconstruct, call: callReconstruct, notPlain: reconstructNotPlain},
			{global: globalFrombuffer, call: callFrombuffer},
			{global: globalScalar, call: callScalar},
			{global: globalReconstruct2, call: callReconstruct, notPlain: reconstructNotPlain},
			{global: globalFrombuffer2, call: callFrombuffer},
			{global: globalScalar2, call: callScalar},
			{global: globalNDArray, notPlain: ndarrayNotPlain},
		},
		allowed: true,
		goTypes: []reflect.Type{reflect.TypeFor[*NDArray]()},
		byValue: true,
		reduce: func(v any, proto int, _ bool) (*Object, any, error) {
			return v.(*NDArray).reduceAt(proto)
		},
		hashKey: ndarrayKey,
		plain:   ndarrayPlain,
		repr:    ndarrayRepr,
	})
	registerType(&pyType{
		name:    "numpy.dtype",
		ctors:   []ctor{{global: globalDtype, call: callDtype}},
		allowed: true,
		goTypes: []reflect.Type{reflect.TypeFor[*Dtype]()},
		byValue: true,
		reduce: func(v any, _ int, _ bool) (*Object, any, error) {
			return v.(*Dtype).reduceAt()
		},
		hashKey: unhashable("numpy.dtype"),
		plain:   func(v any) any { return v.(*Dtype).String() },
	})
}

// ndarrayNotPlain: numpy.ndarray(shape) allocates; numpy's pickles only name
// the class as _reconstruct's argument.
func ndarrayNotPlain(Tuple) string {
	return "calling numpy.ndarray allocates an array; numpy's pickles only pass the class to _reconstruct"
}

// ndarrayKey: an array is unhashable; a numpy scalar hashes and compares as
// the Python value it holds (numpy.float64(1.5) == 1.5).
func ndarrayKey(v any) (any, bool, error) {
	a := v.(*NDArray)
	if !a.Scalar {
		return unhashable("numpy.ndarray")(v)
	}
	e, err := a.element(0, 0)
	if err != nil {
		return nil, true, err
	}
	k, err := hashKey(e)
	return k, true, err
}

// ndarrayPlain is what tolist() gives, nested by shape, each element Plain;
// a scalar is its element.
func ndarrayPlain(v any) any {
	a := v.(*NDArray)
	vals, err := a.Values()
	if err != nil {
		return a.String()
	}
	for i, e := range vals {
		vals[i] = Plain(e)
	}
	if len(a.Shape) == 0 {
		return vals[0]
	}
	var nest func(dim int, flat []any) []any
	nest = func(dim int, flat []any) []any {
		if dim == len(a.Shape)-1 {
			return flat
		}
		out := make([]any, a.Shape[dim])
		step := len(flat) / max(a.Shape[dim], 1)
		for i := range out {
			out[i] = nest(dim+1, flat[i*step:(i+1)*step])
		}
		return out
	}
	return nest(0, vals)
}

// scalarTypeNames are numpy's scalar type names by kind and size.
var scalarTypeNames = map[string]string{
	"b1": "bool_", "i1": "int8", "i2": "int16", "i4": "int32", "i8": "int64",
	"u1": "uint8", "u2": "uint16", "u4": "uint32", "u8": "uint64",
	"f2": "float16", "f4": "float32", "f8": "float64", "c8": "complex64", "c16": "complex128",
	"M8": "datetime64", "m8": "timedelta64",
}

// pythonTypeName is the Python type, for String: numpy.ndarray, or a
// scalar's type (numpy.float64).
func (a *NDArray) pythonTypeName() string {
	if !a.Scalar {
		return "numpy.ndarray"
	}
	switch a.Dtype.Kind {
	case 'U':
		return "numpy.str_"
	case 'S':
		return "numpy.bytes_"
	case 'V':
		return "numpy.void"
	}
	return "numpy." + scalarTypeNames[string(a.Dtype.Kind)+strconv.Itoa(a.Dtype.Size)]
}
