package pickle

import (
	"bytes"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/require"
)

// TestUnmarshalNDArrayReusesData decodes every array fixture numpy wrote
// into an NDArray whose Data has room (more than enough, and too little),
// and checks that the result equals a fresh decode, that the room was
// reused when it sufficed, and that nothing decoded shares the input:
// overwriting the input afterwards changes nothing.
func TestUnmarshalNDArrayReusesData(t *testing.T) {
	n := 0
	for _, file := range numpyArrayFiles(t) {
		for _, c := range loadNumpyCases(t, file) {
			var fresh *NDArray
			require.NoError(t, Unmarshal(c.Pickle, &fresh), "%s/%s", file, c.Name)
			for _, extra := range []int{16, -1} {
				room := len(fresh.Data) + extra
				if room < 1 {
					room = 1
				}
				backing := bytes.Repeat([]byte{0xa5}, room)
				a := &NDArray{Data: backing[:0], Shape: []int{7}}
				in := bytes.Clone(c.Pickle)
				require.NoError(t, Unmarshal(in, a), "%s/%s", file, c.Name)
				clear(in)
				require.Equal(t, *fresh, *a, "%s/%s with room for %d bytes", file, c.Name, room)
				reused := len(a.Data) > 0 && unsafe.SliceData(a.Data) == unsafe.SliceData(backing)
				require.Equal(t, fresh.Objects == nil && len(fresh.Data) > 0 && room >= len(fresh.Data), reused,
					"%s/%s: room for %d bytes, %d needed", file, c.Name, room, len(fresh.Data))
				n++
			}
		}
	}
	require.Greater(t, n, 500)
}

// TestUnmarshalNDArrayRoomRules pins when the room is not used: ShareInput
// shares the input instead, and an NDArray held by value in a struct field
// reuses its room as a top-level one does.
func TestUnmarshalNDArrayRoomRules(t *testing.T) {
	vals := []float64{1.5, -2, 3.25}
	arr, err := NewNDArray(vals)
	require.NoError(t, err)
	data, err := Marshal(arr, Protocol(4))
	require.NoError(t, err)

	t.Run("ShareInput shares the input", func(t *testing.T) {
		a := &NDArray{Data: make([]byte, 0, 64)}
		require.NoError(t, Unmarshal(data, a, ShareInput()))
		start, end := uintptr(unsafe.Pointer(&data[0])), uintptr(unsafe.Pointer(&data[len(data)-1]))
		p := uintptr(unsafe.Pointer(&a.Data[0]))
		require.True(t, p >= start && p <= end, "Data does not point into the input")
	})
	t.Run("a struct field's room", func(t *testing.T) {
		type holder struct{ A NDArray }
		room := make([]byte, 0, 64)
		h := holder{A: NDArray{Data: room}}
		wrapped, err := Marshal(map[string]any{"A": arr}, Protocol(4))
		require.NoError(t, err)
		require.NoError(t, Unmarshal(wrapped, &h))
		require.Equal(t, unsafe.SliceData(room), unsafe.SliceData(h.A.Data))
		got, err := h.A.Float64s()
		require.NoError(t, err)
		require.Equal(t, vals, got)
	})
	t.Run("no room: a new buffer, not the input", func(t *testing.T) {
		a := &NDArray{}
		in := bytes.Clone(data)
		require.NoError(t, Unmarshal(in, a))
		clear(in)
		got, err := a.Float64s()
		require.NoError(t, err)
		require.Equal(t, vals, got)
	})
}
