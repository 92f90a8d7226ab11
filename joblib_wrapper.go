package pickle

import "strings"

// This file reads the array a joblib NumpyArrayWrapper stands for, as
// joblib's NumpyArrayWrapper.read_array does (joblib/numpy_pickle.py): the
// wrapper's state says the shape, order ('C' or 'F') and dtype; the bytes
// follow BUILD, after a padding of one length byte and that many filler
// bytes when the state has numpy_array_alignment_bytes (joblib 1.2 on); an
// object array is a whole protocol 2 pickle there instead.

// joblibWrapperState is what read_array reads of the wrapper's state.
type joblibWrapperState struct {
	shape   []int
	fortran bool
	dtype   *Dtype
	aligned bool
}

func buildNumpyArrayWrapper(state any, in rawInput) (any, error) {
	st, err := readWrapperState(state)
	if err != nil {
		return nil, err
	}
	if st.dtype.Kind == 'O' {
		v, err := in.decodeNested()
		if err != nil {
			return nil, wrapperError("NumpyArrayWrapper's object array's pickle", err)
		}
		a, ok := v.(*NDArray)
		if !ok || a.Dtype.Kind != 'O' {
			return nil, malformed("joblib object array's pickle holds a %s, not an object array", typeName(v))
		}
		return a, nil
	}
	n, err := checkedLen(st.shape, st.dtype.Size)
	if err != nil {
		return nil, err
	}
	if st.aligned {
		pad, err := in.readRaw(1)
		if err != nil {
			return nil, wrapperError("NumpyArrayWrapper's padding", err)
		}
		if _, err := in.readRaw(int(pad[0])); err != nil {
			return nil, wrapperError("NumpyArrayWrapper's padding", err)
		}
	}
	data, err := in.readRaw(n * st.dtype.Size)
	if err != nil {
		return nil, wrapperError("NumpyArrayWrapper's array data", err)
	}
	a := &NDArray{Shape: st.shape, Dtype: *st.dtype, Fortran: st.fortran && len(st.shape) > 1, Data: data}
	return a, a.validate()
}

// wrapperError says which part of a wrapper's input failed ("NumpyArrayWrapper's
// padding"). It is the
// cause of the DecodeError for BUILD, which has the "pickle: " already.
func wrapperError(what string, err error) error {
	return &wrapperReadError{what, err}
}

type wrapperReadError struct {
	what string
	err  error
}

func (e *wrapperReadError) Error() string {
	return "joblib " + e.what + ": " + strings.TrimPrefix(e.err.Error(), "pickle: ")
}

func (e *wrapperReadError) Unwrap() error { return e.err }

// readWrapperState reads the wrapper's attribute dict. The subclass must
// be numpy.ndarray: joblib writes others (numpy.matrix, numpy.memmap) by
// name, and the allowlist refuses those globals before BUILD.
func readWrapperState(state any) (joblibWrapperState, error) {
	var st joblibWrapperState
	d, ok := state.(*Dict)
	if !ok {
		return st, malformed("joblib NumpyArrayWrapper state is a %s, not a dict", typeName(state))
	}
	get := func(key string) any { v, _ := d.Get(key); return v }
	if sub := get("subclass"); sub != any(globalNDArray) {
		return st, unsupported("joblib NumpyArrayWrapper of a %s subclass, not %s", Repr(sub), globalNDArray)
	}
	shape, err := numpyShape(get("shape"))
	if err != nil {
		return st, err
	}
	st.shape = shape
	switch get("order") {
	case "C":
	case "F":
		st.fortran = true
	default:
		return st, malformed("joblib NumpyArrayWrapper order is %s, not 'C' or 'F'", Repr(get("order")))
	}
	if st.dtype, ok = get("dtype").(*Dtype); !ok {
		return st, unsupported("joblib NumpyArrayWrapper dtype is a %s, not a dtype this package reads", typeName(get("dtype")))
	}
	// joblib before 1.2 wrote no alignment and no padding; the amount of
	// padding is in the file, so the value itself does not matter.
	_, st.aligned = d.Get("numpy_array_alignment_bytes")
	return st, nil
}
