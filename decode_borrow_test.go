package pickle

import (
	"bytes"
	"reflect"
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"
)

type borrowTree struct {
	Name string
	Kids []*borrowTree
}

type borrowHook struct{ B []byte }

func (h *borrowHook) PickleSetState(state any) error { return nil }

// TestCopiesOut pins which targets let a decode borrow the input's bytes:
// only those that copy whatever they take from a bytes object.
func TestCopiesOut(t *testing.T) {
	for _, c := range []struct {
		name string
		typ  reflect.Type
		want bool
	}{
		{"floats", reflect.TypeFor[[]float64](), true},
		{"nested floats", reflect.TypeFor[[][]float32](), true},
		{"bytes", reflect.TypeFor[[]byte](), true},
		{"map of bytes", reflect.TypeFor[map[string][]byte](), true},
		{"recursive struct", reflect.TypeFor[borrowTree](), true},
		{"any", reflect.TypeFor[any](), false},
		{"struct with any", reflect.TypeFor[struct{ X []any }](), false},
		{"ndarray", reflect.TypeFor[*NDArray](), false},
		{"ndarrays", reflect.TypeFor[map[string]NDArray](), false},
		{"pickle buffer", reflect.TypeFor[PickleBuffer](), false},
		{"state setter", reflect.TypeFor[[]borrowHook](), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			require.Equal(t, c.want, copiesOut(c.typ))
		})
	}
}

// TestBorrowedBytesNeverEscape changes the input after Unmarshal and checks
// that no value decoded from it changed: the borrowed bytes were copied out.
func TestBorrowedBytesNeverEscape(t *testing.T) {
	arr, err := NewNDArray([]float64{1.5, -2, 3})
	require.NoError(t, err)
	raw := []byte("payload bytes")
	for _, proto := range []int{2, 4, 5} {
		data, err := Marshal(map[string]any{"b": raw, "ba": ByteArray(raw), "s": "text", "f": arr}, Protocol(proto))
		require.NoError(t, err)
		var out struct {
			B  []byte
			BA []byte
			S  string
			F  []float64
		}
		require.NoError(t, Unmarshal(data, &out), "protocol %d", proto)
		for i := range data {
			data[i] = 0xAA
		}
		require.Equal(t, raw, out.B, "protocol %d", proto)
		require.Equal(t, raw, out.BA, "protocol %d", proto)
		require.Equal(t, "text", out.S, "protocol %d", proto)
		require.Equal(t, []float64{1.5, -2, 3}, out.F, "protocol %d", proto)
	}
}

// TestNumpyIntoFloat64sOneCopy pins that Unmarshal of a float64 array into
// []float64 allocates its data once, at protocols 4 (BINBYTES8) and 5 (an
// in-band BYTEARRAY8): the slice, and no copy of the pickle's bytes.
func TestNumpyIntoFloat64sOneCopy(t *testing.T) {
	const n = 1 << 17
	a, err := NewNDArray(make([]float64, n))
	require.NoError(t, err)
	for _, proto := range []int{4, 5} {
		data, err := Marshal(a, Protocol(proto))
		require.NoError(t, err)
		var out []float64
		var ms runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&ms)
		before := ms.TotalAlloc
		require.NoError(t, Unmarshal(data, &out))
		runtime.ReadMemStats(&ms)
		require.Len(t, out, n)
		require.Less(t, ms.TotalAlloc-before, uint64(8*n+128<<10), "protocol %d: more than one copy of the data", proto)
	}
}

// TestShareInput pins that ShareInput decodes a numpy array without copying
// its data: the array's Data is the input's own bytes, at protocols 4
// (BINBYTES8) and 5 (BYTEARRAY8).
func TestShareInput(t *testing.T) {
	a, err := NewNDArray([]float64{1.5, -2, 3})
	require.NoError(t, err)
	for _, proto := range []int{4, 5} {
		data, err := Marshal(a, Protocol(proto))
		require.NoError(t, err)
		var shared, copied *NDArray
		require.NoError(t, Unmarshal(data, &shared, ShareInput()))
		require.NoError(t, Unmarshal(data, &copied))
		require.Equal(t, a, shared)
		start := bytes.Index(data, a.Data)
		require.Positive(t, start)
		require.Same(t, &data[start], &shared.Data[0], "protocol %d: ShareInput copied the data", proto)
		require.NotSame(t, &data[start], &copied.Data[0], "protocol %d: shared without ShareInput", proto)
	}
}
