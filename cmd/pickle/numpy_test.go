package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/pickle-go/pickle"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const joblibFiles = "../../testdata/joblib"

// show and json print what pickle.ReadFile reads from numpy's and joblib's
// files (which the package's tests compare with Python), from a file and
// from standard input.
func TestNumpyAndJoblibFiles(t *testing.T) {
	for _, c := range []struct {
		file string
		args []string
	}{
		{"npy_f8.npy", nil},
		{"npy_obj.npy", nil},
		{"arrays_compressed.npz", nil},
		{"arrays.npz", nil},
		{"arrays.joblib.gz", nil},
		{"linreg.joblib", []string{"-allow-all"}},
	} {
		t.Run(c.file, func(t *testing.T) {
			path := filepath.Join(joblibFiles, c.file)
			var v any
			require.NoError(t, pickle.ReadFile(path, &v, pickle.AllowAllGlobals()))
			var want bytes.Buffer
			enc := json.NewEncoder(&want)
			enc.SetEscapeHTML(false)
			require.NoError(t, enc.Encode(pickle.Plain(v)))

			args := append(append([]string{"json"}, c.args...), path)
			code, out, errOut := runCmd(nil, args...)
			require.Equal(t, 0, code, errOut)
			assert.Equal(t, want.String(), out)

			data, err := os.ReadFile(path)
			require.NoError(t, err)
			code, out, errOut = runCmd(data, append(append([]string{"show"}, c.args...), "-")...)
			require.Equal(t, 0, code, errOut)
			assert.Equal(t, pickle.Repr(v)+"\n", out)
		})
	}
}

// recode turns a joblib file into a plain pickle that Python's pickle.load
// reads as joblib.load reads the original (Debian's python3 with joblib:
// the check fails, never skips, without them).
func TestRecodeJoblibLive(t *testing.T) {
	src := filepath.Join(joblibFiles, "arrays.joblib.bz2")
	code, out, errOut := runCmd(nil, "recode", "-p", "4", src)
	require.Equal(t, 0, code, errOut)
	dst := filepath.Join(t.TempDir(), "recoded.pkl")
	require.NoError(t, os.WriteFile(dst, []byte(out), 0o644))
	script := `import pickle, sys, joblib, numpy as np
a = pickle.load(open(sys.argv[1], 'rb'))
b = joblib.load(sys.argv[2])
def same(x, y):
    if isinstance(y, np.ndarray):
        if y.dtype.hasobject:
            return list(x) == list(y)
        return x.dtype.newbyteorder('=') == y.dtype.newbyteorder('=') and x.shape == y.shape and np.array_equal(x, y)
    if isinstance(y, list):
        return len(x) == len(y) and all(same(p, q) for p, q in zip(x, y))
    return x == y
bad = [k for k in b if not same(a[k], b[k])]
print(sorted(a) == sorted(b), bad)
`
	got, err := exec.Command("/usr/bin/python3", "-c", script, dst, src).CombinedOutput()
	require.NoError(t, err, "the live check needs Debian's python3 with python3-joblib: %s", got)
	assert.Equal(t, "True []\n", string(got))
}
