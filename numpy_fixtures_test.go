package pickle

import (
	"encoding/base64"
	"encoding/json"
	"math"
	"math/big"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The fixtures in testdata/numpy were written by Debian's numpy
// (testdata/gen_numpy.py), each beside what numpy says the array holds.
// These tests decode every one with the default options and compare.

type numpyCase struct {
	Name     string
	Protocol int
	Numpy2   bool
	Pickle   []byte
	Dtype    string
	// PickledDtype is the dtype numpy pickled; Dtype is what numpy loads
	// (native byte order below protocol 5, for example).
	PickledDtype string `json:"pickled_dtype"`
	Shape        []int
	Fortran      bool
	Scalar       bool
	Data         []byte
	Values       []json.RawMessage
}

// loadNumpyCases reads one fixture file of testdata/numpy.
func loadNumpyCases(t testing.TB, file string) []numpyCase {
	t.Helper()
	var cases []numpyCase
	readNumpyFixture(t, file, &cases)
	require.NotEmpty(t, cases, file)
	return cases
}

// readNumpyFixture decodes the JSON of one fixture file of testdata/numpy.
func readNumpyFixture(t testing.TB, file string, into any) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "numpy", file))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(raw, into))
}

// numpyArrayFiles are the fixture files of arrays, one per dtype.
func numpyArrayFiles(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "numpy", "*.json"))
	require.NoError(t, err)
	var out []string
	for _, f := range files {
		switch base := filepath.Base(f); base {
		case "dtypes.json", "dtypes_structured.json", "out_of_band.json", "records.json", "repr.json":
		default:
			out = append(out, base)
		}
	}
	require.GreaterOrEqual(t, len(out), 20)
	return out
}

func TestNumpyFixturesDecode(t *testing.T) {
	n := 0
	for _, file := range numpyArrayFiles(t) {
		for _, c := range loadNumpyCases(t, file) {
			t.Run(file+"/"+c.Name, func(t *testing.T) {
				var v any
				require.NoError(t, Unmarshal(c.Pickle, &v))
				a, ok := v.(*NDArray)
				require.True(t, ok, "decoded a %T", v)
				// The array keeps the byte order numpy pickled; numpy
				// loads some big-endian ones in native order.
				require.Equal(t, c.PickledDtype[0], a.Dtype.String()[0])
				if c.Dtype[0] == '<' {
					a = a.toNative()
				}
				require.Equal(t, c.Dtype, a.Dtype.String())
				require.Equal(t, len(c.Shape), len(a.Shape))
				for i := range c.Shape {
					require.Equal(t, c.Shape[i], a.Shape[i])
				}
				require.Equal(t, c.Fortran, a.Fortran)
				require.Equal(t, c.Scalar, a.Scalar)
				if c.Data != nil {
					require.Equal(t, c.Data, append([]byte{}, a.rowMajorData()...))
				}
				vals, err := a.Values()
				wantErr := false
				for _, w := range c.Values {
					wantErr = wantErr || string(w) == `"inexact"` || string(w) == `"nonlinear"` || timeOutOfRange(a.Dtype, w)
				}
				if wantErr {
					require.Error(t, err)
					return
				}
				require.NoError(t, err)
				require.Len(t, vals, len(c.Values))
				for i, w := range c.Values {
					checkNumpyValue(t, a.Dtype, vals[i], w)
				}
			})
			n++
		}
	}
	require.GreaterOrEqual(t, n, 700)
}

// timeOutOfRange reports an expected datetime64 or timedelta64 in
// nanoseconds that Go's time.Duration cannot hold (time.Time can).
func timeOutOfRange(d Dtype, w json.RawMessage) bool {
	var s string
	if d.Kind != 'm' || string(w) == "null" || json.Unmarshal(w, &s) != nil {
		return false
	}
	_, err := strconv.ParseInt(s, 10, 64)
	return err != nil && s != "inexact" && s != "nonlinear"
}

// checkNumpyValue compares one element with what numpy's tolist() gave,
// spelled as gen_numpy.py's expect() spells it.
func checkNumpyValue(t *testing.T, d Dtype, got any, want json.RawMessage) {
	t.Helper()
	var s string
	switch d.Kind {
	case 'b':
		var b bool
		require.NoError(t, json.Unmarshal(want, &b))
		require.Equal(t, b, got)
	case 'i', 'u':
		require.NoError(t, json.Unmarshal(want, &s))
		switch x := got.(type) {
		case int64:
			require.Equal(t, s, strconv.FormatInt(x, 10))
		case *big.Int:
			require.Equal(t, s, x.String())
		default:
			t.Fatalf("int element is a %T", got)
		}
	case 'f':
		require.NoError(t, json.Unmarshal(want, &s))
		requireSameFloat(t, s, got.(float64))
	case 'c':
		var parts [2]string
		require.NoError(t, json.Unmarshal(want, &parts))
		c := got.(complex128)
		requireSameFloat(t, parts[0], real(c))
		requireSameFloat(t, parts[1], imag(c))
	case 'U':
		require.NoError(t, json.Unmarshal(want, &s))
		require.Equal(t, s, got)
	case 'S':
		require.NoError(t, json.Unmarshal(want, &s))
		b, err := base64.StdEncoding.DecodeString(s)
		require.NoError(t, err)
		require.Equal(t, b, got)
	case 'O':
		require.NoError(t, json.Unmarshal(want, &s))
		require.Equal(t, s, Repr(got))
	case 'M', 'm':
		if string(want) == "null" {
			require.Nil(t, got)
			return
		}
		require.NoError(t, json.Unmarshal(want, &s))
		var ns *big.Int
		switch x := got.(type) {
		case time.Time:
			require.Equal(t, time.UTC, x.Location())
			ns = new(big.Int).Mul(big.NewInt(x.Unix()), big.NewInt(1e9))
			ns.Add(ns, big.NewInt(int64(x.Nanosecond())))
		case time.Duration:
			ns = big.NewInt(int64(x))
		default:
			t.Fatalf("time element is a %T", got)
		}
		require.Equal(t, s, ns.String())
	default:
		t.Fatalf("no check for dtype %s", d)
	}
}

// requireSameFloat compares a float with Python's repr of one, bit for bit
// (NaN with NaN).
func requireSameFloat(t *testing.T, repr string, got float64) {
	t.Helper()
	want, err := strconv.ParseFloat(repr, 64)
	require.NoError(t, err, repr)
	if math.IsNaN(want) {
		require.True(t, math.IsNaN(got), "want nan, got %v", got)
		return
	}
	require.Equal(t, math.Float64bits(want), math.Float64bits(got), "want %s, got %v", repr, got)
}

func TestNumpyFixturesDtypes(t *testing.T) {
	for _, c := range loadNumpyCases(t, "dtypes.json") {
		t.Run(c.Name, func(t *testing.T) {
			var v any
			require.NoError(t, Unmarshal(c.Pickle, &v))
			d, ok := v.(*Dtype)
			require.True(t, ok, "decoded a %T", v)
			require.Equal(t, c.Dtype, d.String())
		})
	}
	for _, c := range loadNumpyCases(t, "dtypes_structured.json") {
		t.Run(c.Name, func(t *testing.T) {
			var v any
			err := Unmarshal(c.Pickle, &v)
			require.ErrorIs(t, err, ErrUnsupported)
			require.ErrorContains(t, err, "structured numpy dtype")
		})
	}
}

// toNative returns (for the tests that compare with what numpy loads) the array with its elements in little-endian (native)
// byte order: a itself if they are, else a copy with each element's bytes
// (each half of a complex, each character of a U string) reversed. numpy's
// __setstate__ and scalar() do the same to what they load.
func (a *NDArray) toNative() *NDArray {
	if a.Dtype.Order != '>' {
		return a
	}
	w := a.Dtype.Size
	switch a.Dtype.Kind {
	case 'c':
		w /= 2
	case 'U':
		w = 4
	}
	b := *a
	b.Dtype.Order = '<'
	b.Data = make([]byte, len(a.Data))
	for i := 0; i+w <= len(a.Data); i += w {
		for k := range w {
			b.Data[i+k] = a.Data[i+w-1-k]
		}
	}
	return &b
}
