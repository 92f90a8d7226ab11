package pickle

import (
	"fmt"
	"math"
	"reflect"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// These tests unmarshal numpy's arrays into Go types and compare with the
// elements the fixture tests check against numpy's tolist().

// numpyElemType is the Go type each dtype's elements go into.
func numpyElemType(d Dtype) reflect.Type {
	switch d.Kind {
	case 'b':
		return reflect.TypeFor[bool]()
	case 'i':
		return reflect.TypeFor[int64]()
	case 'u':
		return reflect.TypeFor[uint64]()
	case 'f':
		return reflect.TypeFor[float64]()
	case 'c':
		return reflect.TypeFor[complex128]()
	case 'U', 'S':
		return reflect.TypeFor[string]()
	case 'M':
		return reflect.TypeFor[*time.Time]() // NaT is nil
	case 'm':
		return reflect.TypeFor[*time.Duration]()
	}
	return reflect.TypeFor[any]()
}

// flattenGo lists the leaves of nested slices and arrays in order, printed.
func flattenGo(v reflect.Value, depth int, out *[]string) {
	if depth > 0 {
		for i := range v.Len() {
			flattenGo(v.Index(i), depth-1, out)
		}
		return
	}
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			*out = append(*out, "<nil>")
			return
		}
		v = v.Elem()
	}
	*out = append(*out, printNumpyValue(v.Interface()))
}

func printNumpyValue(v any) string {
	switch x := v.(type) {
	case []byte:
		return string(x)
	case nil:
		return "<nil>"
	case time.Time:
		return x.Format(time.RFC3339Nano)
	}
	return fmt.Sprint(v)
}

func TestNumpyUnmarshalNested(t *testing.T) {
	n := 0
	for _, file := range numpyArrayFiles(t) {
		for _, c := range loadNumpyCases(t, file) {
			var v any
			require.NoError(t, Unmarshal(c.Pickle, &v))
			a := v.(*NDArray)
			want, err := a.Values()
			if err != nil {
				continue // unit beyond Go's types: TestNumpyUnmarshalErrors
			}
			typ := numpyElemType(a.Dtype)
			if len(a.Shape) == 0 && typ.Kind() == reflect.Interface {
				continue // an any receives the array itself
			}
			for range a.Shape {
				typ = reflect.SliceOf(typ)
			}
			t.Run(file+"/"+c.Name+"/"+typ.String(), func(t *testing.T) {
				dst := reflect.New(typ)
				require.NoError(t, Unmarshal(c.Pickle, dst.Interface()))
				var got []string
				flattenGo(dst.Elem(), len(a.Shape), &got)
				require.Len(t, got, len(want))
				for i := range want {
					require.Equal(t, printNumpyValue(want[i]), got[i], "element %d", i)
				}
			})
			n++
		}
	}
	require.Greater(t, n, 700)
}

func TestNumpyUnmarshalTargets(t *testing.T) {
	f8 := loadNumpyCase(t, "f8.json", "<_2d_f_p2")
	var m [][]float64
	require.NoError(t, Unmarshal(f8, &m))
	require.Len(t, m, 2)
	require.Equal(t, 1.5, m[0][0])
	require.True(t, math.IsInf(m[0][2], 1))
	require.True(t, math.IsNaN(m[1][0]))

	var ute *UnmarshalTypeError
	var arr [2][3]float32
	require.Error(t, Unmarshal(f8, &arr), "1e308 overflows float32")

	var nd NDArray
	require.NoError(t, Unmarshal(f8, &nd))
	require.Equal(t, "<f8", nd.Dtype.String())
	var pnd *NDArray
	require.NoError(t, Unmarshal(f8, &pnd))
	require.True(t, pnd.Fortran)

	var rec struct {
		X     [][]float64
		Y     float32
		Z     []uint8
		Names []string `pickle:"names"`
	}
	for _, p := range []string{"record_p2", "record_p5"} {
		require.NoError(t, Unmarshal(loadNumpyCase(t, "records.json", p), &rec))
		require.Equal(t, m[1][2], rec.X[1][2])
		require.Equal(t, float32(2.5), rec.Y)
		require.Equal(t, []uint8{3, 200}, rec.Z)
		require.Equal(t, []string{"a", "bc"}, rec.Names)
	}
	var bad struct{ Z []int8 }
	require.ErrorAs(t, Unmarshal(loadNumpyCase(t, "records.json", "record_p2"), &bad), &ute)
	require.Equal(t, ".Z[1]", ute.Path)

	i4 := loadNumpyCase(t, "i4.json", "<_1d_p2")
	var small []int16
	err := Unmarshal(i4, &small)
	require.ErrorAs(t, err, &ute)
	require.Equal(t, "[0]", ute.Path)
	require.ErrorContains(t, err, "-2147483648 overflows int16")
	var ints [6]int
	require.NoError(t, Unmarshal(i4, &ints))
	require.Equal(t, 70000, ints[4])
	var five [5]int
	require.ErrorContains(t, Unmarshal(i4, &five), "6 items for an array of 5")
	var str []string
	require.ErrorAs(t, Unmarshal(i4, &str), &ute)

	var asF []float64
	require.NoError(t, Unmarshal(i4, &asF), "int32 converts to float64 exactly")
	require.Equal(t, float64(-1<<31), asF[0])

	scalar := loadNumpyCase(t, "f8.json", "<_scalar_p2")
	var f float64
	require.NoError(t, Unmarshal(scalar, &f))
	require.True(t, math.IsNaN(f))
	var f32 float32
	require.NoError(t, Unmarshal(loadNumpyCase(t, "f2.json", "<_scalar_p2"), &f32))
	require.True(t, math.IsNaN(float64(f32)))
	var half []float32
	require.NoError(t, Unmarshal(loadNumpyCase(t, "f2.json", ">_1d_p2"), &half))
	require.Equal(t, []float32{1.5, 0, float32(math.Inf(1))}, []float32{half[0], half[1], half[2]})
	require.True(t, math.Signbit(float64(half[1])))

	var zero int8
	require.NoError(t, Unmarshal(loadNumpyCase(t, "i1.json", "<_0d_p2"), &zero))
	require.Equal(t, int8(127), zero)

	var bs [][]byte
	require.NoError(t, Unmarshal(loadNumpyCase(t, "S3.json", "<_1d_p2"), &bs))
	require.Equal(t, []byte("\x00x"), bs[2])
	var words []string
	require.NoError(t, Unmarshal(loadNumpyCase(t, "U5.json", ">_1d_p2"), &words))
	require.Equal(t, "h\u00e9llo", words[2])

	var times []*time.Time
	require.NoError(t, Unmarshal(loadNumpyCase(t, "M8_ns.json", ">_1d_p5"), &times))
	require.Equal(t, time.Date(2023, 11, 14, 22, 13, 20, 123456789, time.UTC), *times[3])
	require.Nil(t, times[4])
	var plainTimes []time.Time
	require.ErrorAs(t, Unmarshal(loadNumpyCase(t, "M8_ns.json", ">_1d_p5"), &plainTimes), &ute)
	require.Equal(t, "[4]", ute.Path, "NaT has no time.Time")
	var durs []*time.Duration
	require.NoError(t, Unmarshal(loadNumpyCase(t, "m8_ns.json", "<_2d_f_p0"), &[][]*time.Duration{}))
	require.NoError(t, Unmarshal(loadNumpyCase(t, "m8_ns.json", "<_1d_p0"), &durs))
	require.Equal(t, -24*time.Hour, *durs[5])

	var objs []any
	require.NoError(t, Unmarshal(loadNumpyCase(t, "O.json", "<_2d_f_p2"), &[][]any{}))
	require.NoError(t, Unmarshal(loadNumpyCase(t, "O.json", "<_1d_p2"), &objs))
	require.Equal(t, []any{int64(1), "x", nil, 2.5, []byte("b"), Tuple{int64(1), int64(2)}}, objs)
	var objInts []int
	require.ErrorAs(t, Unmarshal(loadNumpyCase(t, "O.json", "<_1d_p2"), &objInts), &ute)
	require.Equal(t, "[1]", ute.Path)

	var u64 []uint64
	require.NoError(t, Unmarshal(loadNumpyCase(t, "u8.json", ">_1d_p2"), &u64))
	require.Equal(t, uint64(math.MaxUint64), u64[1])
	var c64 []complex64
	require.NoError(t, Unmarshal(loadNumpyCase(t, "c8.json", "<_1d_p5"), &c64))
	require.Equal(t, complex64(1+2i), c64[0])
}

func TestNumpyAccessors(t *testing.T) {
	var v any
	require.NoError(t, Unmarshal(loadNumpyCase(t, "i2.json", ">_2d_f_p5"), &v))
	a := v.(*NDArray)
	ints, err := a.Int64s()
	require.NoError(t, err)
	require.Equal(t, []int64{-32768, 32767, 0, -1, 300, -300}, ints)
	fs, err := a.Float64s()
	require.NoError(t, err)
	require.Equal(t, -300.0, fs[5])
	_, err = a.Strings()
	require.Error(t, err)
	_, err = a.Uint64s()
	require.ErrorContains(t, err, "negative")
	require.Equal(t, []int{2, 4}, a.Strides(), "Fortran strides of a 2x3 int16 array")
	require.Equal(t, "numpy.ndarray(shape=(2, 3), dtype='>i2')", a.String())

	require.NoError(t, Unmarshal(loadNumpyCase(t, "U5.json", "<_2d_c_p2"), &v))
	strs, err := v.(*NDArray).Strings()
	require.NoError(t, err)
	require.Equal(t, []string{"", "a", "h\u00e9llo", "\U0001f600x", "abcde", "z"}, strs)
	require.Equal(t, []int{60, 20}, v.(*NDArray).Strides())
}

// TestNumpyFloat64sOneCopy pins that a float64 array goes into []float64 in
// one copy: the bytes the pickle holds are decoded straight into the slice.
func TestNumpyFloat64sOneCopy(t *testing.T) {
	const n = 1 << 17
	a := &NDArray{Shape: []int{n}, Dtype: Dtype{Kind: 'f', Order: '<', Size: 8}, Data: make([]byte, 8*n)}
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	before := ms.TotalAlloc
	out, err := a.Float64s()
	runtime.ReadMemStats(&ms)
	require.NoError(t, err)
	require.Len(t, out, n)
	require.Less(t, ms.TotalAlloc-before, uint64(8*n+4096), "more than one copy of the data")
}

// loadNumpyCase returns the pickle of one fixture.
func loadNumpyCase(t *testing.T, file, name string) []byte {
	t.Helper()
	for _, c := range loadNumpyCases(t, file) {
		if c.Name == name {
			return c.Pickle
		}
	}
	t.Fatalf("no fixture %s in %s", name, file)
	return nil
}

func TestNumpyScalarKeysAndPlain(t *testing.T) {
	var keys map[float64]string
	require.NoError(t, Unmarshal(loadNumpyCase(t, "records.json", "scalar_keys_p2"), &keys))
	require.Equal(t, map[float64]string{1.5: "a", 2: "b", 3: "c"}, keys)
	var d any
	require.NoError(t, Unmarshal(loadNumpyCase(t, "records.json", "scalar_keys_p2"), &d))
	v, ok := d.(*Dict).Get(1.5)
	require.True(t, ok, "numpy.float64(1.5) is the key 1.5, as in Python")
	require.Equal(t, "a", v)

	var plain any
	require.NoError(t, Unmarshal(loadNumpyCase(t, "records.json", "record_p5"), &plain, PlainValues()))
	m := plain.(map[string]any)
	require.Equal(t, []any{"a", "bc"}, m["names"])
	require.Equal(t, float32(2.5), float32(m["Y"].(float64)))
	require.Equal(t, []any{int64(3), int64(200)}, m["Z"])
	x := m["X"].([]any)
	require.Len(t, x, 2)
	require.Equal(t, 1.5, x[0].([]any)[0])

	var arr any
	require.NoError(t, Unmarshal(loadNumpyCase(t, "f8.json", "<_1d_p2"), &arr))
	_, err := hashKey(arr)
	require.Error(t, err, "arrays are unhashable")
}

func TestNumpyMarshalByValue(t *testing.T) {
	a, err := NewNDArray([]float64{1, 2})
	require.NoError(t, err)
	byPtr, err := Marshal(a)
	require.NoError(t, err)
	byVal, err := Marshal(*a)
	require.NoError(t, err)
	require.Equal(t, byPtr, byVal)
	d := a.Dtype
	dp, err := Marshal(&d)
	require.NoError(t, err)
	dv, err := Marshal(d)
	require.NoError(t, err)
	require.Equal(t, dp, dv)
	var back any
	require.NoError(t, Unmarshal(dv, &back))
	require.Equal(t, "<f8", back.(*Dtype).String())
}
