package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// debianPython is the interpreter with numpy (Debian's python3-numpy): the
// recoded files hold numpy arrays, which only numpy loads.
const debianPython = "/usr/bin/python3"

// checkRecoded is run by debianPython on a JSON list of [recoded pickle,
// expected.json, kind, name]: it loads each pickle with pickle.load and
// compares every array with what the fixture script recorded: torch's
// tolist(), dtype and shape (kind "torch"), or numpy's dtype (up to byte
// order), shape, order and bytes (kinds "npy", "npz"). It prints how many
// arrays agreed.
const checkRecoded = `
import json, pickle, sys
import numpy as np

def plain(v):
    if isinstance(v, complex):
        return [plain(v.real), plain(v.imag)]
    if isinstance(v, list):
        return [plain(x) for x in v]
    return v

def same_npy(a, want, where):
    assert isinstance(a, np.ndarray), (where, type(a))
    # The readers give arrays in the machine's byte order (numpy's values,
    # swapped): compare dtypes and bytes in the order numpy wrote.
    wdt = np.dtype(want['dtype'])
    assert a.dtype.newbyteorder('=') == wdt.newbyteorder('='), (where, a.dtype.str, want)
    a = a.astype(wdt)
    assert list(a.shape) == want['shape'], (where, a.shape, want)
    if 'repr' in want:
        assert repr(a.tolist()) == want['repr'], (where, a.tolist(), want)
        return
    fortran = bool(a.flags.f_contiguous and not a.flags.c_contiguous)
    assert fortran == want['fortran'], (where, fortran, want)
    assert a.tobytes(order='C').hex() == want['hex'], (where, a.tobytes().hex(), want)

count = 0
for path, expected, kind, name in json.load(sys.stdin):
    with open(path, 'rb') as f:
        v = pickle.load(f)
    exp = json.load(open(expected))
    if kind == 'torch':
        for key, want in exp['files'][name].items():
            x = v
            for part in key.split('/'):
                x = x[int(part)] if isinstance(x, (list, tuple)) else x[part]
            assert isinstance(x, np.ndarray), (name, key, type(x))
            assert str(x.dtype) == want['dtype'], (name, key, x.dtype, want['dtype'])
            assert list(x.shape) == want['shape'], (name, key, x.shape)
            assert plain(x.tolist()) == want['values'], (name, key, x.tolist(), want['values'])
            count += 1
    elif kind == 'npy':
        same_npy(v, exp['npy'][name], name)
        count += 1
    else:
        assert sorted(v) == sorted(exp['npz'][name]), (name, sorted(v))
        for key, want in exp['npz'][name].items():
            same_npy(v[key], want, name + '/' + key)
            count += 1
print(count)
`

// recode writes a PyTorch checkpoint (zip and legacy) or a numpy file
// (.npy, .npz) as one plain pickle, at every protocol, that pickle.load
// with numpy reads into the arrays the fixture scripts recorded.
func TestRecodeTorchAndNumpy(t *testing.T) {
	type file struct{ dir, name, kind string }
	files := []file{
		{"torch", "views.zip.pt", "torch"}, {"torch", "views.legacy.pt", "torch"},
		{"torch", "sequential.zip.pt", "torch"}, {"torch", "sequential.legacy.pt", "torch"},
		{"joblib", "arrays.npz", "npz"}, {"joblib", "arrays_compressed.npz", "npz"},
	}
	npys, err := filepath.Glob("../../testdata/joblib/npy_*.npy")
	require.NoError(t, err)
	require.Len(t, npys, 11)
	for _, p := range npys {
		files = append(files, file{"joblib", filepath.Base(p), "npy"})
	}
	tmp := t.TempDir()
	var jobs [][4]string
	arrays := 0
	for proto := 0; proto <= 5; proto++ {
		for _, f := range files {
			code, out, errOut := runCmd(nil, "recode", "-p", fmt.Sprint(proto), filepath.Join("../../testdata", f.dir, f.name))
			require.Equal(t, 0, code, "%s -p %d: %s", f.name, proto, errOut)
			path := filepath.Join(tmp, fmt.Sprintf("%s.p%d.pkl", f.name, proto))
			require.NoError(t, os.WriteFile(path, []byte(out), 0o644))
			expected, err := filepath.Abs(filepath.Join("../../testdata", f.dir, "expected.json"))
			require.NoError(t, err)
			jobs = append(jobs, [4]string{path, expected, f.kind, f.name})
		}
	}
	// The arrays the fixtures hold, counted from expected.json: 8+9
	// tensors per format, 4 arrays per .npz, one per .npy.
	arrays = 6 * (2*8 + 2*9 + 2*4 + 11)
	in, err := json.Marshal(jobs)
	require.NoError(t, err)
	cmd := exec.Command(debianPython, "-c", checkRecoded)
	cmd.Stdin = strings.NewReader(string(in))
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "the live cross-check needs %s with numpy: %s", debianPython, out)
	require.Equal(t, fmt.Sprint(arrays), strings.TrimSpace(string(out)))
}

// A tensor numpy has no dtype for fails to recode, by name.
func TestRecodeTorchBfloat16(t *testing.T) {
	for _, name := range []string{"dtypes.zip.pt", "dtypes.legacy.pt"} {
		code, _, errOut := runCmd(nil, "recode", "-p", "2", filepath.Join("../../testdata/torch", name))
		require.Equal(t, 1, code, name)
		require.Contains(t, errOut, "bfloat16", name)
	}
}
