package pickle

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const torchDir = "testdata/torch"

// torchExpected is testdata/torch/expected.json, as gen_torch.py writes it.
type torchExpected struct {
	Torch   string                                `json:"torch"`
	Files   map[string]map[string]torchWantTensor `json:"files"`
	Globals []string                              `json:"weights_only_globals"`
}

type torchWantTensor struct {
	Dtype  string `json:"dtype"`
	Shape  []int  `json:"shape"`
	Values any    `json:"values"` // tolist(), complex as [re, im]
}

func loadTorchExpected(t testing.TB, dir string) torchExpected {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "expected.json"))
	require.NoError(t, err)
	var e torchExpected
	require.NoError(t, json.Unmarshal(data, &e))
	require.NotEmpty(t, e.Files)
	return e
}

// torchDtypes are the dtypes tensors of each torch dtype become.
var torchDtypes = map[string]string{
	"float16": "<f2", "bfloat16": "<bfloat16", "float32": "<f4", "float64": "<f8",
	"int8": "|i1", "int16": "<i2", "int32": "<i4", "int64": "<i8", "uint8": "|u1",
	"bool": "|b1", "complex64": "<c8", "complex128": "<c16",
}

// torchTensors collects the *NDArray values in a decoded checkpoint by the
// path gen_torch.py gives them (dict keys and list indexes joined by /).
func torchTensors(v any, path string, out map[string]*NDArray) {
	join := func(k string) string {
		if path == "" {
			return k
		}
		return path + "/" + k
	}
	switch x := v.(type) {
	case *NDArray:
		out[path] = x
	default:
		if items, ok := sequenceItems(v); ok {
			for i, e := range items {
				torchTensors(e, join(strconv.Itoa(i)), out)
			}
		}
		if items, ok := dictItems(v); ok {
			for _, it := range items {
				torchTensors(it.Value, join(it.Key.(string)), out)
			}
		}
	}
}

// flatten lists the elements of tolist()'s nesting of depth dims in
// row-major order.
func flatten(v any, dims int) []any {
	if dims == 0 {
		return []any{v}
	}
	out := []any{}
	for _, e := range v.([]any) {
		out = append(out, flatten(e, dims-1)...)
	}
	return out
}

// jsonLike turns an array's Values into what json.Unmarshal gives
// for tolist(): numbers as float64, complex as [re, im].
func jsonLike(v any) any {
	switch x := v.(type) {
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = jsonLike(e)
		}
		return out
	case int64:
		return float64(x)
	case complex128:
		return []any{real(x), imag(x)}
	}
	return v
}

// checkTorchFile reads one checkpoint and compares every tensor with
// torch's own account of it.
func checkTorchFile(t *testing.T, path string, want map[string]torchWantTensor) {
	var v any
	require.NoError(t, ReadFile(path, &v))
	got := map[string]*NDArray{}
	torchTensors(v, "", got)
	require.Equal(t, len(want), len(got), "tensors found: %v", slices.Sorted(maps.Keys(got)))
	for name, w := range want {
		a := got[name]
		require.NotNil(t, a, "tensor %s", name)
		require.Equal(t, torchDtypes[w.Dtype], a.Dtype.String(), "%s dtype", name)
		require.Equal(t, w.Shape, append([]int{}, a.Shape...), "%s shape", name)
		vals, err := a.Values()
		require.NoError(t, err, name)
		if flat := flatten(w.Values, len(w.Shape)); !reflect.DeepEqual(jsonLike(vals), flat) {
			t.Errorf("%s: Go reads %v, torch says %v", name, jsonLike(vals), flat)
		}
	}
}

// Every fixture, in both formats, reads to the tensors torch's tolist()
// gives, in torch's dtype and shape; from memory as from the file (a
// bytes.Reader says io.EOF for an empty read at its end, where a file
// does not).
func TestTorchFixtures(t *testing.T) {
	e := loadTorchExpected(t, torchDir)
	for name, want := range e.Files {
		t.Run(name, func(t *testing.T) {
			checkTorchFile(t, filepath.Join(torchDir, name), want)
			data, err := os.ReadFile(filepath.Join(torchDir, name))
			require.NoError(t, err)
			var fromFile, fromMemory any
			require.NoError(t, ReadFile(filepath.Join(torchDir, name), &fromFile))
			require.NoError(t, ReadContainer(bytes.NewReader(data), int64(len(data)), &fromMemory))
			require.Equal(t, Repr(fromFile), Repr(fromMemory))
		})
	}
}

// The globals admitted while reading a checkpoint are exactly those torch's
// weights_only unpickler admits (collections.OrderedDict is in the default
// allowlist already).
func TestTorchAllowlist(t *testing.T) {
	e := loadTorchExpected(t, torchDir)
	got := append([]string{"collections.OrderedDict"}, torchAllowed...)
	slices.Sort(got)
	require.Equal(t, e.Globals, got)
	for _, g := range torchAllowed {
		mod, name, _ := strings.Cut(g, ".")
		cfg, err := newConfig(nil)
		require.NoError(t, err)
		require.False(t, cfg.allowed(mod, name), "%s must not be in the default allowlist", g)
	}
}

// A state_dict unmarshals into a Go struct by its keys, and into a map of
// arrays; views of one storage share its bytes, a transposed view is a
// row-major copy; bfloat16 fills []float32.
func TestTorchUnmarshal(t *testing.T) {
	for _, format := range []string{"zip", "legacy"} {
		t.Run(format, func(t *testing.T) {
			var model struct {
				Weight  [][]float32     `pickle:"0.weight"`
				Bias    []float32       `pickle:"0.bias"`
				Conv    [][][][]float32 `pickle:"1.weight"`
				Batches int64           `pickle:"2.num_batches_tracked"`
			}
			require.NoError(t, ReadFile(filepath.Join(torchDir, "sequential."+format+".pt"), &model))
			want := loadTorchExpected(t, torchDir).Files["sequential."+format+".pt"]
			require.Equal(t, int64(3), model.Batches)
			require.Len(t, model.Weight, 2)
			require.Len(t, model.Conv, 2)
			for i, row := range want["0.weight"].Values.([]any) {
				for j, x := range row.([]any) {
					require.Equal(t, float32(x.(float64)), model.Weight[i][j])
				}
			}
			require.Equal(t, float32(want["0.bias"].Values.([]any)[1].(float64)), model.Bias[1])

			var m map[string]*NDArray
			require.NoError(t, ReadFile(filepath.Join(torchDir, "sequential."+format+".pt"), &m))
			require.Len(t, m, 9)
			require.Equal(t, []int{2, 1, 2, 2}, m["1.weight"].Shape)

			var views map[string]any
			require.NoError(t, ReadFile(filepath.Join(torchDir, "views."+format+".pt"), &views))
			base, slice, row := views["base"].(*NDArray), views["slice"].(*NDArray), views["row"].(*NDArray)
			tr := views["transposed"].(*NDArray)
			require.Same(t, &base.Data[2*6*4], &row.Data[0], "a contiguous view shares its storage")
			require.False(t, overlaps(base.Data, tr.Data), "a transposed view is a copy")
			require.False(t, overlaps(base.Data, slice.Data), "a strided slice is a copy")

			var dt struct {
				B [][]float32 `pickle:"bfloat16"`
				H [][]float32 `pickle:"float16"`
			}
			require.NoError(t, ReadFile(filepath.Join(torchDir, "dtypes."+format+".pt"), &dt))
			require.Equal(t, [][]float32{{0, 1.5, -2.25}, {3, -0.125, 100}}, dt.B)
			require.Equal(t, dt.B, dt.H)
		})
	}
}

func overlaps(a, b []byte) bool {
	if len(a) == 0 || len(b) == 0 {
		return false
	}
	a0, b0 := &a[0], &b[0]
	aEnd, bEnd := &a[len(a)-1], &b[len(b)-1]
	return uintptrOf(a0) <= uintptrOf(bEnd) && uintptrOf(b0) <= uintptrOf(aEnd)
}

func uintptrOf(p *byte) uintptr { return reflect.ValueOf(p).Pointer() }

// Cut and corrupted checkpoints fail with errors that say where, never
// with a panic or a wrong value.
func TestTorchDamaged(t *testing.T) {
	for _, name := range []string{"views.zip.pt", "views.legacy.pt", "dtypes.zip.pt", "dtypes.legacy.pt"} {
		data, err := os.ReadFile(filepath.Join(torchDir, name))
		require.NoError(t, err)
		for n := 0; n < len(data); n += max(1, len(data)/97) {
			var v any
			err := ReadContainer(bytes.NewReader(data[:n]), int64(n), &v)
			require.Error(t, err, "%s cut at %d", name, n)
			require.True(t, strings.HasPrefix(err.Error(), "pickle: "), "%s cut at %d: %v", name, n, err)
		}
	}
	// A storage's bytes changed in a zip fail its CRC, naming the member.
	data, err := os.ReadFile(filepath.Join(torchDir, "views.zip.pt"))
	require.NoError(t, err)
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	var off int64 = -1
	for _, f := range zr.File {
		if f.Name == "views.zip/data/0" {
			off, err = f.DataOffset()
			require.NoError(t, err)
		}
	}
	require.Positive(t, off)
	bad := slices.Clone(data)
	bad[off+5]++
	var v any
	err = ReadContainer(bytes.NewReader(bad), int64(len(bad)), &v)
	require.ErrorIs(t, err, ErrMalformed)
	require.Contains(t, err.Error(), "views.zip/data/0")
}

// Live: checkpoints freshly saved by the installed torch, both formats,
// read as torch says. It fails, not skips, without /usr/bin/python3 and
// torch.
func TestTorchLive(t *testing.T) {
	dir := t.TempDir()
	out, err := exec.Command(debianPython, "testdata/gen_torch.py", "--out", dir, "--seed", "20261202", "--large").CombinedOutput()
	require.NoError(t, err, "%s with torch (python3-torch) is needed: %s", debianPython, out)
	e := loadTorchExpected(t, dir)
	require.Contains(t, e.Files, "large.zip.pt")
	for name, want := range e.Files {
		t.Run(name, func(t *testing.T) { checkTorchFile(t, filepath.Join(dir, name), want) })
	}
	// Large tensors fill Go slices: the typed decoding budget counts the
	// storages as input, not the small pickle alone.
	for _, format := range []string{"zip", "legacy"} {
		path := filepath.Join(dir, "large."+format+".pt")
		var large struct {
			H []float32 `pickle:"h"`
			B []float64 `pickle:"b"`
			E []float32 `pickle:"e"`
		}
		require.NoError(t, ReadFile(path, &large), format)
		want := e.Files["large."+format+".pt"]
		require.Len(t, large.H, 100000)
		for i, x := range want["h"].Values.([]any) {
			require.Equal(t, float32(x.(float64)), large.H[i], "%s h[%d]", format, i)
		}
		for i, x := range want["b"].Values.([]any) {
			require.Equal(t, x.(float64), large.B[i], "%s b[%d]", format, i)
		}
		require.Len(t, large.E, 1<<18)
		// The expanded view's copy, 1 MiB, counts against
		// MaxDecompressedSize.
		var v any
		require.NoError(t, ReadFile(path, &v, MaxDecompressedSize(1<<20)), format)
		err := ReadFile(path, &v, MaxDecompressedSize(1<<20-1))
		require.ErrorIs(t, err, ErrLimit, format)
	}
}

// Newer torch writes <name>/byteorder: "big" storages (saved on a
// big-endian machine) read to the same values once swapped, and anything
// else there is an error.
func TestTorchByteorder(t *testing.T) {
	members, order := zipMembers(t, filepath.Join(torchDir, "views.zip.pt"))
	want := loadTorchExpected(t, torchDir).Files["views.zip.pt"]
	for _, name := range order {
		if strings.Contains(name, "/data/") { // all float32 storages
			b := members[name]
			for i := 0; i+4 <= len(b); i += 4 {
				b[i], b[i+1], b[i+2], b[i+3] = b[i+3], b[i+2], b[i+1], b[i]
			}
		}
	}
	for _, tc := range []struct {
		order string
		ok    bool
	}{{"big", true}, {"little", false}, {"middle", false}} {
		members["views.zip/byteorder"] = []byte(tc.order)
		file := storedZip(t, append(order[:len(order):len(order)], "views.zip/byteorder"), members, members["views.zip/data.pkl"])
		path := filepath.Join(t.TempDir(), "big.pt")
		require.NoError(t, os.WriteFile(path, file, 0o644))
		var v map[string]any
		err := ReadFile(path, &v)
		if tc.order == "middle" {
			require.ErrorIs(t, err, ErrMalformed)
			continue
		}
		require.NoError(t, err)
		require.Equal(t, ">f4" == v["base"].(*NDArray).Dtype.String(), tc.order == "big")
		vals, err := v["transposed"].(*NDArray).Values()
		require.NoError(t, err)
		same := reflect.DeepEqual(jsonLike(vals), flatten(want["transposed"].Values, 2))
		require.Equal(t, tc.ok, same, "byteorder %s", tc.order)
	}
}

// A checkpoint zipped again with deflate (as some tools rewrite them) reads
// the same, its members bounded by MaxDecompressedSize.
func TestTorchDeflated(t *testing.T) {
	members, order := zipMembers(t, filepath.Join(torchDir, "views.zip.pt"))
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range order {
		w, err := zw.Create(name)
		require.NoError(t, err)
		_, err = w.Write(members[name])
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	data := buf.Bytes()
	var stored, deflated any
	require.NoError(t, ReadFile(filepath.Join(torchDir, "views.zip.pt"), &stored))
	require.NoError(t, ReadContainer(bytes.NewReader(data), int64(len(data)), &deflated))
	require.Equal(t, Repr(Plain(stored)), Repr(Plain(deflated)))
	// views.zip/data.pkl holds 626 bytes, each storage at most 96.
	err := ReadContainer(bytes.NewReader(data), int64(len(data)), &deflated, MaxDecompressedSize(625))
	var le *LimitError
	require.ErrorAs(t, err, &le)
	require.Equal(t, int64(626), le.Reached)
	require.Contains(t, err.Error(), "zip member views.zip/data.pkl")
	require.NoError(t, ReadContainer(bytes.NewReader(data), int64(len(data)), &deflated, MaxDecompressedSize(626)))
}
