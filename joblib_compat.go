package pickle

import (
	"bytes"
	"compress/zlib"
	"io"
	"strconv"
	"strings"
)

// This file reads joblib's format before 0.10 (joblib/numpy_pickle_compat.py),
// which joblib.load still reads: each array in a file of its own next to
// the main pickle, named in the wrapper's state. NDArrayWrapper's file is
// a .npy (numpy.save); ZNDArrayWrapper's is a z-file of the array's raw
// bytes, its shape and dtype in the wrapper's state as ndarray.__setstate__
// takes them, less the data. Only ReadFile knows the directory; the
// reader-based forms refuse these arrays (ErrUnsupported).

func buildNDArrayWrapper(state any, in rawInput) (any, error) {
	d, err := compatState(state)
	if err != nil {
		return nil, err
	}
	name, _ := d.Get("filename")
	file, ok := name.(string)
	if !ok {
		return nil, malformed("joblib NDArrayWrapper filename is a %s, not a str", typeName(name))
	}
	data, cfg, err := in.sideFile(file)
	if err == nil {
		var v any
		if v, err = decodeNpy(data, cfg); err == nil {
			return v, nil
		}
	}
	return nil, wrapperError("NDArrayWrapper's file "+strconv.Quote(file), err)
}

func buildZNDArrayWrapper(state any, in rawInput) (any, error) {
	d, err := compatState(state)
	if err != nil {
		return nil, err
	}
	name, _ := d.Get("filename")
	init, _ := d.Get("init_args")
	st, _ := d.Get("state")
	file, ok := name.(string)
	args, ok2 := init.(Tuple)
	partial, ok3 := st.(Tuple)
	if !ok || !ok2 || !ok3 || len(args) != 3 {
		return nil, malformed("joblib ZNDArrayWrapper state has filename %s, init_args %s and state of %d items, not a str, _reconstruct's 3 arguments and a tuple", typeName(name), Repr(init), tupleLen(st))
	}
	if args[0] != any(globalNDArray) {
		return nil, unsupported("joblib ZNDArrayWrapper of a %s subclass, not %s", Repr(args[0]), globalNDArray)
	}
	zdata, cfg, err := in.sideFile(file)
	if err == nil {
		var raw []byte
		if raw, err = readZfile(zdata, cfg.maxDecompressed); err == nil {
			a := new(NDArray)
			if err = a.buildState(append(partial[:len(partial):len(partial)], raw)); err == nil {
				return a, nil
			}
		}
	}
	return nil, wrapperError("ZNDArrayWrapper's file "+strconv.Quote(file), err)
}

// compatState reads an old wrapper's attribute dict; its subclass, when
// it names one, must be numpy.ndarray.
func compatState(state any) (*Dict, error) {
	d, ok := state.(*Dict)
	if !ok {
		return nil, malformed("joblib array wrapper state is a %s, not a dict", typeName(state))
	}
	if sub, ok := d.Get("subclass"); ok && sub != any(globalNDArray) {
		return nil, unsupported("joblib NDArrayWrapper of a %s subclass, not %s", Repr(sub), globalNDArray)
	}
	return d, nil
}

// zfileHeader is the length of a z-file's header: "ZF", then the length
// of the data in hex ("0x1f"), padded with spaces to 19 bytes.
const zfileHeader = 2 + 19

// readZfile returns what a z-file holds, at most bound bytes (bound <= 0:
// no bound), which must be the length its header declares.
func readZfile(data []byte, bound int64) ([]byte, error) {
	if len(data) < zfileHeader || !bytes.HasPrefix(data, []byte("ZF")) {
		return nil, malformed("not a joblib z-file (no \"ZF\" header)")
	}
	hex := strings.TrimRight(string(data[2:zfileHeader]), " ")
	n, err := strconv.ParseInt(strings.TrimPrefix(hex, "0x"), 16, 64)
	if err != nil || !strings.HasPrefix(hex, "0x") || n < 0 {
		return nil, malformed("joblib z-file length %q is not a hex number", hex)
	}
	if bound > 0 && n > bound {
		return nil, &LimitError{Limit: "MaxDecompressedSize", Value: bound, Reached: n}
	}
	zr, err := zlib.NewReader(bytes.NewReader(data[zfileHeader:]))
	if err != nil {
		return nil, err
	}
	// The declared length bounds the read; the buffer grows with what
	// really arrives.
	var out bytes.Buffer
	if _, err := out.ReadFrom(io.LimitReader(zr, n+1)); err != nil {
		return nil, err
	}
	if int64(out.Len()) != n {
		return nil, malformed("joblib z-file holds %d bytes, not the %d its header says", out.Len(), n)
	}
	return out.Bytes(), nil
}
