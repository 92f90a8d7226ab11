package pickle

import (
	"bytes"
	"fmt"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// These tests encode arrays, scalars and dtypes and compare with what numpy
// wrote for them.

// TestNumpyEncodeAsNumpy decodes every fixture numpy wrote with numpy 1's
// names and encodes the value again at the same protocol: byte for byte
// what numpy wrote.
func TestNumpyEncodeAsNumpy(t *testing.T) {
	n := 0
	files := append(numpyArrayFiles(t), "dtypes.json", "records.json")
	for _, file := range files {
		for _, c := range loadNumpyCases(t, file) {
			if c.Numpy2 || c.Scalar && c.PickledDtype[1:] != c.Dtype[1:] {
				// numpy 2's names are not the default; and a str_ or
				// bytes_ scalar loads narrower than it was pickled
				// (numpy.str_("ab") is <U2 whatever array it came
				// from), so the loaded one is written narrower too.
				continue
			}
			t.Run(file+"/"+c.Name, func(t *testing.T) {
				var v any
				require.NoError(t, Unmarshal(c.Pickle, &v))
				out, err := Marshal(v, Protocol(c.Protocol))
				require.NoError(t, err)
				if !bytes.Equal(out, c.Pickle) {
					t.Fatalf("numpy wrote\n%s\nGo wrote\n%s", disString(c.Pickle), disString(out))
				}
			})
			n++
		}
	}
	require.Greater(t, n, 600)
}

// TestNumpyEncodeAsNumpy2 encodes every fixture written under numpy 2's
// module names (numpy._core.*) with NumpyModules(2): byte for byte what
// numpy 2 writes. numpy 1.24 cannot load those names, so the generator
// pickled through stand-ins registered under them and loaded each back.
func TestNumpyEncodeAsNumpy2(t *testing.T) {
	n := 0
	for _, file := range numpyArrayFiles(t) {
		for _, c := range loadNumpyCases(t, file) {
			if !c.Numpy2 {
				continue
			}
			t.Run(file+"/"+c.Name, func(t *testing.T) {
				var v any
				require.NoError(t, Unmarshal(c.Pickle, &v))
				out, err := Marshal(v, Protocol(c.Protocol), NumpyModules(2))
				require.NoError(t, err)
				if !bytes.Equal(out, c.Pickle) {
					t.Fatalf("numpy 2 writes\n%s\nGo wrote\n%s", disString(c.Pickle), disString(out))
				}
				// numpy 1's names by default, which numpy 2 loads too.
				out, err = Marshal(v, Protocol(c.Protocol))
				require.NoError(t, err)
				require.NotContains(t, string(out), "numpy._core")
				require.Contains(t, string(out), "numpy.core")
			})
			n++
		}
	}
	require.Greater(t, n, 40)
	for _, bad := range []int{0, 3, -1} {
		_, err := Marshal(1, NumpyModules(bad))
		require.ErrorContains(t, err, "pickle: NumpyModules")
	}
}

func disString(data []byte) string {
	var b bytes.Buffer
	if err := Disassemble(&b, bytes.NewReader(data)); err != nil {
		b.WriteString(err.Error())
	}
	return b.String()
}

func TestNewNDArray(t *testing.T) {
	cases := []struct {
		name  string
		v     any
		dtype string
		shape string
	}{
		{"float64 2-d", [][]float64{{1, 2, 3}, {4, 5, 6}}, "<f8", "[2 3]"},
		{"int", []int{1}, "<i8", "[1]"},
		{"int8", []int8{1}, "|i1", "[1]"},
		{"bytes", []byte("ab"), "|u1", "[2]"},
		{"uint32 array", [2]uint32{1, 2}, "<u4", "[2]"},
		{"bool 0-d", true, "|b1", "[]"},
		{"complex64", []complex64{1i}, "<c8", "[1]"},
		{"strings", []string{"", "h\u00e9llo"}, "<U5", "[2]"},
		{"empty strings", []string{""}, "<U1", "[1]"},
		{"times", []time.Time{time.Unix(1, 5)}, "<M8[ns]", "[1]"},
		{"durations", [][]time.Duration{{1}}, "<m8[ns]", "[1 1]"},
		{"empty", []float32{}, "<f4", "[0]"},
		{"empty nested", [][]float32{}, "<f4", "[0 0]"},
		{"empty rows", [][]int16{{}, {}}, "<i2", "[2 0]"},
		{"arrays below empty", [][3]int16{}, "<i2", "[0 3]"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, err := NewNDArray(c.v)
			require.NoError(t, err)
			require.Equal(t, c.dtype, a.Dtype.String())
			require.Equal(t, c.shape, fmt.Sprint(a.Shape))
			for p := 0; p <= HighestProtocol; p++ {
				data, err := Marshal(a, Protocol(p))
				require.NoError(t, err)
				var back *NDArray
				require.NoError(t, Unmarshal(data, &back))
				require.Equal(t, a, back, "protocol %d", p)
			}
			// And back into the Go type it came from.
			data, err := Marshal(a)
			require.NoError(t, err)
			dst := reflect.New(reflect.TypeOf(c.v))
			require.NoError(t, Unmarshal(data, dst.Interface()))
			require.Equal(t, fmt.Sprint(c.v), fmt.Sprint(dst.Elem().Interface()))
		})
	}
	for _, bad := range []any{[][]int{{1}, {1, 2}}, [][]int{{}, {1}}, []any{1}, nil, []time.Time{time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)}} {
		_, err := NewNDArray(bad)
		require.Error(t, err, "%v", bad)
		require.Regexp(t, "^pickle: ", err.Error())
	}
}

// TestNewNDArrayFlat pins that the one-loop path for the commonest slices
// makes what the general path makes of the same numbers in a Go array.
func TestNewNDArrayFlat(t *testing.T) {
	for _, c := range []struct {
		name        string
		slice, arry any
	}{
		{"float64", []float64{1.5, -2, math.Inf(1), math.SmallestNonzeroFloat64}, [4]float64{1.5, -2, math.Inf(1), math.SmallestNonzeroFloat64}},
		{"float32", []float32{1.5, -2, math.MaxFloat32}, [3]float32{1.5, -2, math.MaxFloat32}},
		{"int64", []int64{math.MinInt64, -1, math.MaxInt64}, [3]int64{math.MinInt64, -1, math.MaxInt64}},
		{"int32", []int32{math.MinInt32, -1, math.MaxInt32}, [3]int32{math.MinInt32, -1, math.MaxInt32}},
		{"empty", []float64{}, [0]float64{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			require.NotNil(t, newFlatNDArray(c.slice))
			require.Nil(t, newFlatNDArray(c.arry))
			fast, err := NewNDArray(c.slice)
			require.NoError(t, err)
			general, err := NewNDArray(c.arry)
			require.NoError(t, err)
			require.Equal(t, general, fast)
		})
	}
}

func TestNumpyEncodeRefuses(t *testing.T) {
	for _, a := range []*NDArray{
		{Shape: []int{2}, Dtype: Dtype{Kind: 'f', Order: '<', Size: 8}, Data: make([]byte, 8)},
		{Shape: []int{1}, Dtype: Dtype{Kind: 'f', Order: '<', Size: 16}, Data: make([]byte, 16)},
		{Shape: []int{1}, Dtype: Dtype{Kind: 'f', Order: '|', Size: 8}, Data: make([]byte, 8)},
		{Shape: []int{-1}, Dtype: Dtype{Kind: 'b', Order: '|', Size: 1}},
		{Shape: []int{1}, Dtype: Dtype{Kind: 'M', Order: '<', Size: 8, Unit: "fortnight", Count: 1}, Data: make([]byte, 8)},
	} {
		_, err := Marshal(a)
		require.Error(t, err, "%s", a)
		require.Regexp(t, "^pickle: ", err.Error())
	}
}
