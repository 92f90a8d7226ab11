package pickle

import (
	"encoding/base64"
	"encoding/json"
	"math/big"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// These tests decode numpy's protocol 5 pickles with out-of-band buffers,
// scan numpy's pickles and gadgets, and feed the decoder hostile shapes,
// dtypes and data.

func TestNumpyOutOfBand(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "numpy", "out_of_band.json"))
	require.NoError(t, err)
	var cases []struct {
		numpyCase
		Buffers []string
	}
	require.NoError(t, json.Unmarshal(raw, &cases))
	require.Len(t, cases, 4)
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			var bufs [][]byte
			for _, b := range c.Buffers {
				d, err := base64.StdEncoding.DecodeString(b)
				require.NoError(t, err)
				bufs = append(bufs, d)
			}
			var v any
			require.ErrorIs(t, Unmarshal(c.Pickle, &v), ErrUnsupported, "no Buffers option")
			require.NoError(t, Unmarshal(c.Pickle, &v, Buffers(bufs...)))
			if tup, ok := v.(Tuple); ok {
				v = tup[0]
			}
			a := v.(*NDArray)
			require.Equal(t, c.Dtype, a.Dtype.String())
			require.Equal(t, c.Fortran, a.Fortran)
			require.Equal(t, c.Data, append([]byte{}, a.rowMajorData()...))
			// The array shares the buffer's memory, as numpy's does.
			require.Same(t, &bufs[0][0], &a.Data[0])
		})
	}
}

func TestNumpyScanSafe(t *testing.T) {
	n := 0
	for _, file := range append(numpyArrayFiles(t), "dtypes.json") {
		for _, c := range loadNumpyCases(t, file) {
			rep := scanBytes(t, c.Pickle)
			require.Equal(t, Safe, rep.Verdict, "%s/%s: %+v", file, c.Name, rep)
			n++
		}
	}
	require.Greater(t, n, 700)
}

// numpyCall returns a pickle of a call of module.name(args...).
func numpyCall(t *testing.T, g Global, args ...any) []byte {
	t.Helper()
	data, err := Marshal(&Object{Class: g, Kind: CallReduce, Args: Tuple(args)}, Protocol(2))
	require.NoError(t, err)
	return data
}

func TestNumpyScanGadgets(t *testing.T) {
	cases := []struct {
		name string
		data []byte
	}{
		{"runstring", numpyCall(t, Global{"numpy.testing._private.utils", "runstring"}, "import os", &Dict{})},
		{"load", numpyCall(t, Global{"numpy", "load"}, "x.npy", nil, true)},
		{"loadtxt", numpyCall(t, Global{"numpy", "loadtxt"}, "/etc/passwd")},
		{"npyio", numpyCall(t, Global{"numpy.lib.npyio", "load"}, "x.npy")},
		{"f2py", numpyCall(t, Global{"numpy.f2py", "compile"}, "source")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			require.Equal(t, Dangerous, scanBytes(t, c.data).Verdict)
			var v any
			require.ErrorIs(t, Unmarshal(c.data, &v), ErrForbiddenGlobal)
		})
	}
}

// numpyDtypeObject is a numpy.dtype call and its BUILD state, as numpy
// writes them, for hostile cases to vary.
func numpyDtypeObject(typestr string, state Tuple) *Object {
	return &Object{Class: globalDtype, Kind: CallReduce, Args: Tuple{typestr, false, true}, State: state, HasState: true}
}

func plainDtypeState(order string) Tuple {
	return Tuple{int64(3), order, nil, nil, nil, int64(-1), int64(-1), int64(0)}
}

// numpyArrayPickle is an array as numpy pickles it below protocol 5, with the
// state given.
func numpyArrayPickle(t *testing.T, state Tuple) []byte {
	t.Helper()
	o := &Object{Class: globalReconstruct, Kind: CallReduce,
		Args: Tuple{globalNDArray, Tuple{int64(0)}, []byte("b")}, State: state, HasState: true}
	data, err := Marshal(o, Protocol(2))
	require.NoError(t, err)
	return data
}

func TestNumpyHostile(t *testing.T) {
	f8 := numpyDtypeObject("f8", plainDtypeState("<"))
	huge := int64(1) << 62
	cases := []struct {
		name string
		data []byte
		want error
		msg  string
	}{
		{"shape product overflows", numpyArrayPickle(t, Tuple{int64(1), Tuple{huge, huge}, f8, false, []byte{}}), ErrMalformed, "overflows"},
		{"shape times itemsize overflows", numpyArrayPickle(t, Tuple{int64(1), Tuple{huge}, f8, false, []byte{}}), ErrMalformed, "overflows"},
		{"negative dimension", numpyArrayPickle(t, Tuple{int64(1), Tuple{int64(-1), int64(2)}, f8, false, []byte{}}), ErrMalformed, "not a non-negative int"},
		{"huge dimension", numpyArrayPickle(t, Tuple{int64(1), Tuple{new(big.Int).Lsh(big.NewInt(1), 80)}, f8, false, []byte{}}), ErrMalformed, "not a non-negative int"},
		{"data short", numpyArrayPickle(t, Tuple{int64(1), Tuple{int64(2)}, f8, false, make([]byte, 15)}), ErrMalformed, "has 15 bytes of data, not 16"},
		{"data long", numpyArrayPickle(t, Tuple{int64(1), Tuple{int64(2)}, f8, false, make([]byte, 17)}), ErrMalformed, "has 17 bytes of data, not 16"},
		{"data for empty", numpyArrayPickle(t, Tuple{int64(1), Tuple{int64(0), huge}, f8, false, []byte{1}}), ErrMalformed, "not 0"},
		{"objects short", numpyArrayPickle(t, Tuple{int64(1), Tuple{int64(3)}, numpyDtypeObject("O8", plainDtypeState("|")), false, &List{int64(1)}}), ErrMalformed, "has 1 objects, not 3"},
		{"data not bytes", numpyArrayPickle(t, Tuple{int64(1), Tuple{int64(1)}, f8, false, int64(5)}), ErrMalformed, "not bytes"},
		{"state not a tuple", numpyArrayPickle(t, Tuple{int64(1)}), ErrMalformed, "state is a tuple of 1 items"},
		{"dtype not a dtype", numpyArrayPickle(t, Tuple{int64(1), Tuple{int64(1)}, "f8", false, make([]byte, 8)}), ErrUnsupported, "not a dtype this package reads"},
		{"itemsize absurd", numpyCall(t, globalDtype, "U99999999999", false, true), ErrUnsupported, "is not one this package reads"},
		{"float128", numpyCall(t, globalDtype, "f16", false, true), ErrUnsupported, "is not one this package reads"},
		{"unknown kind", numpyCall(t, globalDtype, "x8", false, true), ErrUnsupported, "is not one this package reads"},
		{"signed size", numpyCall(t, globalDtype, "S+3", false, true), ErrUnsupported, "is not one this package reads"},
		{"elsize absurd", numpyArrayPickle(t, Tuple{int64(1), Tuple{int64(1)},
			numpyDtypeObject("S1", Tuple{int64(3), "|", nil, nil, nil, int64(1) << 40, int64(1), int64(0)}), false, []byte{}}), ErrMalformed, "element size"},
		{"unicode elsize odd", numpyArrayPickle(t, Tuple{int64(1), Tuple{int64(1)},
			numpyDtypeObject("U1", Tuple{int64(3), "<", nil, nil, nil, int64(5), int64(4), int64(8)}), false, []byte{}}), ErrMalformed, "element size"},
		{"byte order", numpyArrayPickle(t, Tuple{int64(1), Tuple{int64(1)}, numpyDtypeObject("f8", plainDtypeState("?")), false, make([]byte, 8)}), ErrMalformed, "byte order"},
		{"dtype version", numpyCall(t, Global{"builtins", "tuple"}, Tuple{numpyDtypeObject("f8", Tuple{int64(9), "<", nil, nil, nil, int64(-1), int64(-1), int64(0)})}), ErrUnsupported, "version"},
		{"datetime unit", numpyArrayPickle(t, Tuple{int64(1), Tuple{int64(1)}, numpyDtypeObject("M8", Tuple{int64(4), "<", nil, nil, nil, int64(-1), int64(-1), int64(0),
			Tuple{&Dict{}, Tuple{[]byte("fortnight"), int64(1), int64(1), int64(1)}}}), false, make([]byte, 8)}), ErrMalformed, "unit"},
		{"reconstruct allocates", numpyCall(t, globalReconstruct, globalNDArray, Tuple{huge}, []byte("b")), ErrForbiddenGlobal, "MaxPlainAlloc"},
		{"ndarray called", numpyCall(t, globalNDArray, Tuple{int64(3)}), ErrForbiddenGlobal, "allocates"},
		{"frombuffer short", numpyCall(t, globalFrombuffer, &ByteArray{1, 2}, numpyDtypeObject("f8", plainDtypeState("<")), Tuple{int64(1)}, "C"), ErrMalformed, "has 2 bytes of data, not 8"},
		{"frombuffer order", numpyCall(t, globalFrombuffer, &ByteArray{}, numpyDtypeObject("f8", plainDtypeState("<")), Tuple{int64(0)}, "K"), ErrMalformed, "order"},
		{"scalar short", numpyCall(t, globalScalar, numpyDtypeObject("f8", plainDtypeState("<")), []byte{1}), ErrMalformed, "has 1 bytes of data, not 8"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var v any
			err := Unmarshal(c.data, &v)
			require.ErrorIs(t, err, c.want)
			require.ErrorContains(t, err, c.msg)
			require.Regexp(t, "^pickle: ", err.Error())
		})
	}
}

// _reconstruct with a shape numpy never writes, or with a subclass, stays a
// symbolic call: nothing is allocated for the shape.
func TestNumpyReconstructStaysSymbolic(t *testing.T) {
	for _, args := range []Tuple{
		{globalNDArray, Tuple{int64(3)}, []byte("b")},
		{Global{"numpy", "matrix"}, Tuple{int64(0)}, []byte("b")},
	} {
		var v any
		err := Unmarshal(numpyCall(t, globalReconstruct, args...), &v, AllowGlobals("numpy.matrix"))
		require.NoError(t, err)
		o, ok := v.(*Object)
		require.True(t, ok, "decoded a %T", v)
		require.Equal(t, any(globalReconstruct), o.Class)
	}
}
