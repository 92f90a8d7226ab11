package pickle

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const joblibDir = "testdata/joblib"

// joblibExpected is testdata/joblib/expected.json, what
// testdata/gen_joblib.py recorded of each file as Python dumped it.
type joblibExpected struct {
	Arrays  map[string]map[string]json.RawMessage `json:"arrays"`
	Sklearn map[string]sklearnExpected            `json:"sklearn"`
	// Scan names, for each file, the global hidden in an object array's
	// nested pickle.
	Scan map[string]string `json:"scan"`
	// Npy and Npz describe numpy.save's and savez's files.
	Npy map[string]json.RawMessage            `json:"npy"`
	Npz map[string]map[string]json.RawMessage `json:"npz"`
	// Old is joblib's format before 0.10, arrays in files of their own.
	Old map[string]map[string]json.RawMessage `json:"old"`
}

// arrayWant describes one value: an array by dtype, shape, order and its
// bytes in C order, an object array or any other value by repr.
type arrayWant struct {
	Dtype   string `json:"dtype"`
	Shape   []int  `json:"shape"`
	Fortran bool   `json:"fortran"`
	Hex     string `json:"hex"`
	Repr    string `json:"repr"`
}

func readJoblibExpected(t testing.TB, dir string) joblibExpected {
	data, err := os.ReadFile(filepath.Join(dir, "expected.json"))
	require.NoError(t, err)
	var e joblibExpected
	require.NoError(t, json.Unmarshal(data, &e))
	return e
}

// checkJoblibValue compares what Go read of one dumped value with what
// Python recorded.
func checkJoblibValue(t *testing.T, key string, raw json.RawMessage, got any) {
	t.Helper()
	if raw[0] == '[' {
		var wants []json.RawMessage
		require.NoError(t, json.Unmarshal(raw, &wants))
		l, ok := got.(*List)
		require.True(t, ok, "%s: a %s, not a list", key, typeName(got))
		require.Len(t, *l, len(wants), key)
		for i, w := range wants {
			checkJoblibValue(t, key, w, (*l)[i])
		}
		return
	}
	var w arrayWant
	require.NoError(t, json.Unmarshal(raw, &w))
	if w.Dtype == "" {
		assert.Equal(t, w.Repr, Repr(got), key)
		return
	}
	a, ok := got.(*NDArray)
	require.True(t, ok, "%s: a %s, not an array", key, typeName(got))
	assert.Equal(t, w.Dtype, a.Dtype.String(), key)
	assert.Equal(t, w.Shape, append([]int{}, a.Shape...), key)
	if w.Dtype == "|O" {
		l := List(a.Objects)
		assert.Equal(t, w.Repr, Repr(&l), key)
		return
	}
	assert.Equal(t, w.Fortran, a.Fortran, key)
	assert.Equal(t, w.Hex, hex.EncodeToString(a.rowMajorData()), key)
}

// checkJoblibArrays reads every arrays* file of dir and compares it with
// dir's expected.json; it returns how many files it read.
func checkJoblibArrays(t *testing.T, dir string) int {
	e := readJoblibExpected(t, dir)
	files := map[string]map[string]json.RawMessage{}
	maps.Copy(files, e.Arrays)
	maps.Copy(files, e.Old)
	for name, want := range files {
		t.Run(name, func(t *testing.T) {
			var v any
			require.NoError(t, ReadFile(filepath.Join(dir, name), &v))
			d, ok := v.(*Dict)
			require.True(t, ok, "a %s, not a dict", typeName(v))
			require.Equal(t, len(want), d.Len())
			for key, raw := range want {
				got, ok := d.Get(key)
				require.True(t, ok, key)
				checkJoblibValue(t, key, raw, got)
			}
		})
	}
	return len(files)
}

func TestReadFileJoblib(t *testing.T) {
	require.Equal(t, 13, checkJoblibArrays(t, joblibDir))
}

// An uncompressed joblib file is one stream: Unmarshal and a Decoder read
// it as ReadFile does, the Decoder through its buffered reads.
func TestJoblibUnmarshalAndDecoder(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(joblibDir, "arrays.joblib"))
	require.NoError(t, err)
	var fromFile, fromBytes, fromStream any
	require.NoError(t, ReadFile(filepath.Join(joblibDir, "arrays.joblib"), &fromFile))
	require.NoError(t, Unmarshal(data, &fromBytes))
	require.NoError(t, NewDecoder(iotest.OneByteReader(bytes.NewReader(data))).Decode(&fromStream))
	assert.Equal(t, Repr(fromFile), Repr(fromBytes))
	assert.Equal(t, Repr(fromFile), Repr(fromStream))
}

// Every truncated prefix of a joblib file fails cleanly, never with a
// value.
func TestJoblibTruncated(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(joblibDir, "arrays.joblib"))
	require.NoError(t, err)
	for n := range len(data) {
		var v any
		err := ReadContainer(bytes.NewReader(data[:n]), int64(n), &v)
		require.Error(t, err, "prefix of %d bytes", n)
	}
}

// TestJoblibLive runs testdata/gen_joblib.py under Debian's python3 into a
// temporary directory and reads what it wrote: joblib's files, numpy's, and
// models freshly fitted, predicting as scikit-learn did. It fails, never skips,
// without /usr/bin/python3, joblib, numpy, scikit-learn or lz4 (.ci/run
// installs them).
func TestJoblibLive(t *testing.T) {
	dir := t.TempDir()
	out, err := exec.Command("/usr/bin/python3", "testdata/gen_joblib.py", dir).CombinedOutput()
	require.NoError(t, err, "the live check needs Debian's python3 with python3-joblib, python3-sklearn and python3-lz4: %s", out)
	require.Equal(t, 13, checkJoblibArrays(t, dir))
	require.Equal(t, 13, checkNumpyFiles(t, dir))
	checkSklearnModels(t, dir)
}

// sklearnExpected is what gen_joblib.py recorded of a model: its class,
// its learned arrays and its predictions for the probe inputs.
type sklearnExpected struct {
	Class     string          `json:"class"`
	Probe     [][]float64     `json:"probe"`
	Predict   json.RawMessage `json:"predict"`
	Coef      arrayWant       `json:"coef_"`
	Intercept arrayWant       `json:"intercept_"`
	Classes   *arrayWant      `json:"classes_"`
}

// linearModel is what scikit-learn's linear models learn, read as arrays
// whatever their shapes.
type linearModel struct {
	Coef      *NDArray `pickle:"coef_"`
	Intercept *NDArray `pickle:"intercept_"`
	Classes   *NDArray `pickle:"classes_"`
}

// scores returns x·coef + intercept for each row of coef (one row for a
// 1-d coef).
func (m *linearModel) scores(t *testing.T, x []float64) []float64 {
	coef, err := m.Coef.Float64s()
	require.NoError(t, err)
	icept, err := m.Intercept.Float64s()
	require.NoError(t, err)
	out := make([]float64, len(icept))
	for k := range out {
		out[k] = icept[k]
		for j, xj := range x {
			out[k] += coef[k*len(x)+j] * xj
		}
	}
	return out
}

// Each model reads into a struct of its learned arrays, equal to
// scikit-learn's, and predicts in Go what it predicted in Python.
func TestSklearnModels(t *testing.T) {
	checkSklearnModels(t, joblibDir)
}

func checkSklearnModels(t *testing.T, dir string) {
	e := readJoblibExpected(t, dir)
	require.Len(t, e.Sklearn, 3)
	for name, want := range e.Sklearn {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name)
			var m linearModel
			err := ReadFile(path, &m)
			require.ErrorIs(t, err, ErrForbiddenGlobal, "the estimator class is not admitted by default")
			require.NoError(t, ReadFile(path, &m, AllowGlobals(want.Class)))
			checkModelArray(t, want.Coef, m.Coef)
			checkModelArray(t, want.Intercept, m.Intercept)
			if want.Classes == nil {
				var pred []float64
				require.NoError(t, json.Unmarshal(want.Predict, &pred))
				for i, x := range want.Probe {
					assert.InEpsilon(t, pred[i], m.scores(t, x)[0], 1e-12, "%v", x)
				}
				return
			}
			checkModelArray(t, *want.Classes, m.Classes)
			classes, err := m.Classes.Values()
			require.NoError(t, err)
			var pred []any
			require.NoError(t, json.Unmarshal(want.Predict, &pred))
			for i, x := range want.Probe {
				s := m.scores(t, x)
				k := 0
				if len(s) == 1 { // two classes: one score, positive for the second
					if s[0] > 0 {
						k = 1
					}
				} else {
					for j := range s {
						if s[j] > s[k] {
							k = j
						}
					}
				}
				assert.Equal(t, fmt.Sprint(pred[i]), fmt.Sprint(classes[k]), "%v", x)
			}
		})
	}
}

func checkModelArray(t *testing.T, w arrayWant, a *NDArray) {
	t.Helper()
	require.NotNil(t, a)
	assert.Equal(t, w.Dtype, a.Dtype.String())
	assert.Equal(t, w.Shape, append([]int{}, a.Shape...))
	assert.Equal(t, w.Hex, hex.EncodeToString(a.rowMajorData()))
}

// The nested pickle of an object array is loaded by plain pickle.load in
// Python: the scanner reports the globals in it, and the decoder refuses
// them as it would at the top level.
func TestJoblibNestedPickleScanned(t *testing.T) {
	e := readJoblibExpected(t, joblibDir)
	require.NotEmpty(t, e.Scan)
	for name, global := range e.Scan {
		data, err := os.ReadFile(filepath.Join(joblibDir, name))
		require.NoError(t, err)
		rep, err := Scan(bytes.NewReader(data))
		require.NoError(t, err)
		assert.Equal(t, Dangerous, rep.Verdict, name)
		var names []string
		for _, p := range rep.Pickles {
			for _, f := range p.Globals {
				names = append(names, f.Name)
			}
		}
		assert.Contains(t, names, global, name)
		var v any
		err = ReadFile(filepath.Join(joblibDir, name), &v)
		require.ErrorIs(t, err, ErrForbiddenGlobal)
		assert.Contains(t, err.Error(), global)
	}
}

// joblib's format before 0.10 keeps arrays in files next to the pickle:
// only ReadFile knows where; the reader-based forms say so, and a file
// name that is a path is refused.
func TestJoblibOldFormatFiles(t *testing.T) {
	for _, name := range []string{"old.pkl", "old_z.pkl"} {
		data, err := os.ReadFile(filepath.Join(joblibDir, name))
		require.NoError(t, err)
		var v any
		err = ReadContainer(bytes.NewReader(data), int64(len(data)), &v)
		require.ErrorIs(t, err, ErrUnsupported, name)
		assert.Contains(t, err.Error(), "read it with ReadFile", name)
		var side *SideFileError
		require.ErrorAs(t, err, &side, name)
		assert.Regexp(t, `^old(_z)?\.pkl_01\.npy(\.z)?$`, side.Name)
	}
	for _, file := range []string{"../old.pkl_01.npy", "/etc/passwd", "..", ""} {
		d := NewDict(2)
		require.NoError(t, d.Set("filename", file))
		require.NoError(t, d.Set("subclass", globalNDArray))
		data, err := Marshal(&Object{Class: globalNDArrayWrapper, Kind: CallNewObj, Args: Tuple{}, State: d, HasState: true}, Protocol(2))
		require.NoError(t, err)
		path := filepath.Join(t.TempDir(), "x.pkl")
		require.NoError(t, os.WriteFile(path, data, 0o644))
		var v any
		require.ErrorIs(t, ReadFile(path, &v), ErrMalformed, file)
	}
	var v any
	dir := t.TempDir()
	data, err := os.ReadFile(filepath.Join(joblibDir, "old_z.pkl"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "old_z.pkl"), data, 0o644))
	err = ReadFile(filepath.Join(dir, "old_z.pkl"), &v)
	require.ErrorIs(t, err, os.ErrNotExist)
	assert.Contains(t, err.Error(), `ZNDArrayWrapper's file "old_z.pkl_01.npy.z"`)
}
