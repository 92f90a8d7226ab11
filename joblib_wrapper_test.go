package pickle

import (
	"bytes"
	"encoding/binary"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// wrapperPickle writes what joblib writes for one array, at protocol 2 (no
// frames): a NumpyArrayWrapper with the given state, then tail, then a
// STOP for the pickle around it.
func wrapperPickle(t *testing.T, state map[string]any, tail []byte) []byte {
	t.Helper()
	d := NewDict(len(state))
	for _, k := range []string{"subclass", "shape", "order", "dtype", "allow_mmap", "numpy_array_alignment_bytes"} {
		if v, ok := state[k]; ok {
			require.NoError(t, d.Set(k, v))
		}
	}
	obj := &Object{Class: globalNumpyArrayWrapper, Kind: CallNewObj, Args: Tuple{}, State: d, HasState: true}
	data, err := Marshal(obj, Protocol(2))
	require.NoError(t, err)
	require.Equal(t, byte('.'), data[len(data)-1])
	data = append(data[:len(data)-1:len(data)-1], tail...)
	return append(data, '.')
}

func f8State(shape Tuple) map[string]any {
	return map[string]any{
		"subclass": globalNDArray, "shape": shape, "order": "C",
		"dtype": &Dtype{Kind: 'f', Order: '<', Size: 8}, "allow_mmap": false,
		"numpy_array_alignment_bytes": int64(16),
	}
}

func with(state map[string]any, key string, v any) map[string]any {
	out := map[string]any{}
	for k, x := range state {
		out[k] = x
	}
	if v == nil {
		delete(out, key)
	} else {
		out[key] = v
	}
	return out
}

func TestJoblibWrapperStates(t *testing.T) {
	two := binary.LittleEndian.AppendUint64(binary.LittleEndian.AppendUint64(nil, math.Float64bits(1.5)), math.Float64bits(-2))
	padded := append([]byte{3, 0xff, 0xff, 0xff}, two...)
	base := f8State(Tuple{int64(2)})
	for _, c := range []struct {
		name  string
		state map[string]any
		tail  []byte
		want  []float64
		err   error
	}{
		{"aligned", base, padded, []float64{1.5, -2}, nil},
		{"no padding before joblib 1.2", with(base, "numpy_array_alignment_bytes", nil), two, []float64{1.5, -2}, nil},
		{"Fortran order, 1-d", with(base, "order", "F"), padded, []float64{1.5, -2}, nil},
		{"truncated data", base, padded[:10], nil, ErrTruncated},
		{"truncated padding", base, padded[:2], nil, ErrTruncated},
		{"no padding byte", base, nil, nil, ErrTruncated},
		{"huge shape backed by nothing", f8State(Tuple{int64(1) << 40, int64(1) << 19}), padded, nil, ErrTruncated},
		{"shape overflows", f8State(Tuple{int64(1) << 40, int64(1) << 40}), padded, nil, ErrMalformed},
		{"negative dimension", f8State(Tuple{int64(-1)}), padded, nil, ErrMalformed},
		{"order neither C nor F", with(base, "order", "K"), padded, nil, ErrMalformed},
		{"another subclass", with(base, "subclass", Global{"numpy", "matrix"}), padded, nil, ErrUnsupported},
		{"dtype missing", with(base, "dtype", nil), padded, nil, ErrUnsupported},
		{"shape not a tuple", with(base, "shape", "2"), padded, nil, ErrMalformed},
	} {
		t.Run(c.name, func(t *testing.T) {
			data := wrapperPickle(t, c.state, c.tail)
			var v any
			err := Unmarshal(data, &v, AllowGlobals("numpy.matrix"))
			if c.err != nil {
				require.ErrorIs(t, err, c.err)
				return
			}
			require.NoError(t, err)
			got, err := v.(*NDArray).Float64s()
			require.NoError(t, err)
			assert.Equal(t, c.want, got)
		})
	}
}

// Array bytes inside a frame are no joblib file: joblib ends the frame
// before it writes them.
func TestJoblibWrapperInsideFrame(t *testing.T) {
	data := wrapperPickle(t, with(f8State(Tuple{int64(0)}), "numpy_array_alignment_bytes", nil), nil)
	// PROTO 4, then one FRAME around the rest, STOP included.
	body := data[2:]
	framed := append([]byte{0x80, 4, 0x95}, binary.LittleEndian.AppendUint64(nil, uint64(len(body)))...)
	framed = append(framed, body...)
	var v any
	require.NoError(t, Unmarshal(framed, &v), "no bytes to read: nothing straddles the frame")
	data = wrapperPickle(t, with(f8State(Tuple{int64(1)}), "numpy_array_alignment_bytes", nil), bytes.Repeat([]byte{0}, 8))
	body = data[2:]
	framed = append([]byte{0x80, 4, 0x95}, binary.LittleEndian.AppendUint64(nil, uint64(len(body)))...)
	framed = append(framed, body...)
	require.ErrorIs(t, Unmarshal(framed, &v), ErrMalformed)
}
