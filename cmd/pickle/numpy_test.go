package main

import (
	"bytes"
	"encoding/json"
	"os"
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
