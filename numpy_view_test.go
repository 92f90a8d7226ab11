package pickle

import (
	"bytes"
	"fmt"
	"math"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/require"
)

// celsius is a named float64: NDArrayView takes it as a float64.
type celsius float64

// TestNDArrayViewPickles: a view pickles byte for byte as NewNDArray's copy
// of the same slice does, at every protocol (NewNDArray's pickles are
// checked against numpy in TestNumpyLiveLoad, and so are views), and
// decodes back to the slice's elements.
func TestNDArrayViewPickles(t *testing.T) {
	for _, c := range []struct {
		name string
		view *NDArray
		copy any // the slice, for NewNDArray
	}{
		{"float64", NDArrayView([]float64{1.5, math.Inf(-1), -0.0, math.MaxFloat64}), []float64{1.5, math.Inf(-1), -0.0, math.MaxFloat64}},
		{"float32", NDArrayView([]float32{1.5, -2}), []float32{1.5, -2}},
		{"int", NDArrayView([]int{-1, math.MaxInt}), []int{-1, math.MaxInt}},
		{"int8", NDArrayView([]int8{-128, 127}), []int8{-128, 127}},
		{"int16", NDArrayView([]int16{-1, 300}), []int16{-1, 300}},
		{"int32", NDArrayView([]int32{math.MinInt32}), []int32{math.MinInt32}},
		{"int64", NDArrayView([]int64{math.MinInt64, 7}), []int64{math.MinInt64, 7}},
		{"uint", NDArrayView([]uint{math.MaxUint}), []uint{math.MaxUint}},
		{"uint8", NDArrayView([]uint8{0, 255}), []uint8{0, 255}},
		{"uint16", NDArrayView([]uint16{65535}), []uint16{65535}},
		{"uint32", NDArrayView([]uint32{1 << 31}), []uint32{1 << 31}},
		{"uint64", NDArrayView([]uint64{math.MaxUint64}), []uint64{math.MaxUint64}},
		{"bool", NDArrayView([]bool{true, false, true}), []bool{true, false, true}},
		{"complex64", NDArrayView([]complex64{1 + 2i}), []complex64{1 + 2i}},
		{"complex128", NDArrayView([]complex128{-1i, 3}), []complex128{-1i, 3}},
		{"named float64", NDArrayView([]celsius{36.6}), []float64{36.6}},
		{"empty", NDArrayView([]float64{}), []float64{}},
		{"nil", NDArrayView([]int32(nil)), []int32{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			want, err := NewNDArray(c.copy)
			require.NoError(t, err)
			require.Equal(t, want.Dtype, c.view.Dtype)
			require.Equal(t, want.Shape, c.view.Shape)
			for p := 0; p <= HighestProtocol; p++ {
				got, err := Marshal(c.view, Protocol(p))
				require.NoError(t, err, "protocol %d", p)
				exp, err := Marshal(want, Protocol(p))
				require.NoError(t, err)
				if !bytes.Equal(got, exp) {
					t.Fatalf("protocol %d: the view wrote\n%s\nNewNDArray's array\n%s", p, disString(got), disString(exp))
				}
				var back any
				require.NoError(t, Unmarshal(got, &back))
				vals, err := back.(*NDArray).Values()
				require.NoError(t, err)
				wantVals, err := want.Values()
				require.NoError(t, err)
				require.Equal(t, fmt.Sprint(wantVals), fmt.Sprint(vals), "protocol %d", p)
			}
		})
	}
}

// TestNDArrayViewAliases pins what the documentation promises: Data is the
// slice's memory (no copy, no allocation of its size), changes show both
// ways, and an append to Data cannot write into the slice's spare capacity.
func TestNDArrayViewAliases(t *testing.T) {
	s := make([]float64, 3, 10)
	copy(s, []float64{1, 2, 3})
	a := NDArrayView(s)
	require.Equal(t, unsafe.Pointer(&s[0]), unsafe.Pointer(&a.Data[0]), "Data is not the slice's memory")
	require.Len(t, a.Data, 24)
	require.Equal(t, 24, cap(a.Data))

	s[1] = 42
	got, err := a.Float64s()
	require.NoError(t, err)
	require.Equal(t, []float64{1, 42, 3}, got, "a change to the slice is not in Data")

	copy(a.Data[16:], NDArrayView([]float64{-7}).Data)
	require.Equal(t, -7.0, s[2], "a change through Data is not in the slice")

	grown := append(a.Data, 0xff)
	require.NotEqual(t, unsafe.Pointer(&s[0]), unsafe.Pointer(&grown[0]))
	require.Equal(t, []float64{1, 42, -7}, s, "the append changed the slice")

	big := make([]float64, 1<<20)
	allocs := testing.AllocsPerRun(10, func() { a = NDArrayView(big) })
	require.LessOrEqual(t, allocs, 2.0, "a view allocates the NDArray and its shape, no copy of the data")
}
