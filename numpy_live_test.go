package pickle

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// debianPython is the interpreter with numpy (Debian's python3-numpy); the
// pyenv interpreters on PATH have none.
const debianPython = "/usr/bin/python3"

// TestNumpyLiveLoad writes arrays from Go at every protocol (protocol 5 in
// band and out of band) and loads them with numpy: numpy must see the same
// dtype, shape, order and elements. It fails, not skips, without numpy.
func TestNumpyLiveLoad(t *testing.T) {
	out, err := exec.Command(debianPython, "-c", "import numpy").CombinedOutput()
	require.NoError(t, err, "%s with numpy is needed: %s", debianPython, out)

	values := map[string]any{
		"f64_2d":    [][]float64{{1.5, -0.0, 1e308}, {4, 5, 6}},
		"f32_1d":    []float32{1.5, 2.5},
		"i64_1d":    []int64{-1 << 63, 1<<63 - 1},
		"int_3d":    [2][1][2]int{{{1, 2}}, {{3, 4}}},
		"i8_0d":     int8(-5),
		"u16":       []uint16{0, 65535},
		"u8_bytes":  []byte("abc"),
		"bools":     []bool{true, false},
		"c128":      []complex128{1 + 2i, -1i},
		"c64":       []complex64{1 + 2i},
		"strs":      []string{"", "h\u00e9llo", "\U0001f600"},
		"times":     []time.Time{time.Date(2024, 1, 2, 3, 4, 5, 6, time.UTC), time.Unix(0, 0)},
		"durations": [][]time.Duration{{time.Second, -time.Nanosecond}},
		"empty":     []float64{},
		"empty_2x0": [][]int32{{}, {}},
	}
	arrays := map[string]*NDArray{}
	for name, v := range values {
		a, err := NewNDArray(v)
		require.NoError(t, err, name)
		arrays[name] = a
	}
	// Views of Go slices, which Marshal writes without NewNDArray's copy.
	arrays["view_f64"] = NDArrayView([]float64{1.5, -0.0, 1e308})
	arrays["view_i32"] = NDArrayView([]int32{-1 << 31, 7})
	arrays["view_bools"] = NDArrayView([]bool{false, true})
	arrays["view_c64"] = NDArrayView([]complex64{1 - 2i})
	// Decoded ones: Fortran order, big-endian, objects, scalars.
	for _, fc := range []struct{ file, name string }{
		{"f8.json", ">_2d_f_p2"}, {"i2.json", "<_3d_f_p5"}, {"O.json", "<_2d_f_p2"},
		{"U5.json", ">_2d_f_p5"}, {"f2.json", "<_scalar_p2"}, {"M8_ns.json", ">_1d_p2"},
		{"S3.json", "<_2d_c_p5"}, {"c8.json", ">_scalar_p4"},
	} {
		var v any
		require.NoError(t, Unmarshal(loadNumpyCase(t, fc.file, fc.name), &v))
		arrays[fc.file+fc.name] = v.(*NDArray)
	}

	dir := t.TempDir()
	type written struct {
		a     *NDArray
		proto int
	}
	want := map[string]written{}
	i := 0
	for name, a := range arrays {
		for p := 0; p <= HighestProtocol; p++ {
			for _, oob := range []bool{false, true} {
				if oob && p < 5 {
					continue
				}
				var bufs [][]byte
				opts := []Option{Protocol(p)}
				if oob {
					opts = append(opts, BufferCallback(func(b *PickleBuffer) bool {
						bufs = append(bufs, b.Data)
						return false
					}))
				}
				data, err := Marshal(a, opts...)
				require.NoError(t, err, name)
				stem := fmt.Sprintf("c%03d", i)
				i++
				require.NoError(t, os.WriteFile(filepath.Join(dir, stem+".pkl"), data, 0o600))
				for k, b := range bufs {
					require.NoError(t, os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s.buf%d", stem, k)), b, 0o600))
				}
				want[stem] = written{a, p}
			}
		}
	}

	cmd := exec.Command(debianPython, filepath.Join("testdata", "numpy_load.py"), dir)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.Output()
	require.NoError(t, err)
	var seen []struct {
		Name, Type, Dtype string
		Shape             []int
		Fortran           bool
		Data              []byte
		Objects           string
	}
	require.NoError(t, json.Unmarshal(stdout, &seen))
	require.Len(t, seen, len(want))
	for _, s := range seen {
		w := want[s.Name]
		a := w.a
		what := fmt.Sprintf("%s at protocol %d", a, w.proto)
		if w.proto < 5 || a.Scalar || a.Dtype.Kind == 'M' || a.Dtype.Kind == 'm' {
			// What numpy's __setstate__ and scalar() load is native.
			a = a.toNative()
		}
		require.Equal(t, a.Dtype.String(), s.Dtype, what)
		require.Equal(t, fmt.Sprint(a.Shape), fmt.Sprint(s.Shape), what)
		if a.Scalar {
			require.NotEqual(t, "numpy.ndarray", s.Type, what)
		} else {
			require.Equal(t, "numpy.ndarray", s.Type, what)
			require.Equal(t, a.Fortran && !isCContiguousToo(a.Shape), s.Fortran, what)
		}
		if a.Dtype.Kind == 'O' {
			vals, err := a.Values()
			require.NoError(t, err)
			l := List(vals)
			require.Equal(t, Repr(&l), flatReprOfNested(s.Objects, a.Shape), what)
			continue
		}
		require.Equal(t, append([]byte{}, a.rowMajorData()...), append([]byte{}, s.Data...), what)
	}
}

// flatReprOfNested is a check of object arrays' nesting: numpy's tolist()
// nests by shape, and the Go side lists the same elements flat, so the
// brackets differ only in nesting.
func flatReprOfNested(repr string, shape []int) string {
	if len(shape) < 2 {
		return repr
	}
	// [[a, b], [c, d]] -> [a, b, c, d] for the shapes the test uses (no
	// brackets inside the elements).
	out := []byte{}
	depth := 0
	for i := 0; i < len(repr); i++ {
		c := repr[i]
		switch c {
		case '[':
			depth++
			if depth > 1 {
				continue
			}
		case ']':
			depth--
			if depth > 0 {
				continue
			}
		}
		out = append(out, c)
	}
	return string(out)
}
