package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// show and json read PyTorch checkpoints whole (their pickle names the
// storages beside it), from a file or standard input, in both formats;
// json gives the tensors as tolist() does (testdata/torch/expected.json).
func TestTorchCommands(t *testing.T) {
	const dir = "../../testdata/torch"
	data, err := os.ReadFile(filepath.Join(dir, "expected.json"))
	require.NoError(t, err)
	var expected struct {
		Files map[string]map[string]struct {
			Values any `json:"values"`
		} `json:"files"`
	}
	require.NoError(t, json.Unmarshal(data, &expected))
	for _, name := range []string{"views.zip.pt", "views.legacy.pt"} {
		path := filepath.Join(dir, name)
		code, out, errOut := runCmd(nil, "json", path)
		require.Equal(t, 0, code, "%s: %s", name, errOut)
		var got map[string]any
		require.NoError(t, json.Unmarshal([]byte(out), &got), out)
		for _, key := range []string{"base", "slice", "row", "transposed", "expanded", "param"} {
			require.Equal(t, expected.Files[name][key].Values, got[key], "%s %s", name, key)
		}

		file, err := os.ReadFile(path)
		require.NoError(t, err)
		code, fromFile, errOut := runCmd(nil, "show", path)
		require.Equal(t, 0, code, "%s: %s", name, errOut)
		code, fromStdin, errOut := runCmd(file, "show", "-")
		require.Equal(t, 0, code, "%s: %s", name, errOut)
		require.Equal(t, fromFile, fromStdin)
		require.Contains(t, fromFile, "'transposed': array([[ 0.,  6., 12., 18.],\n       [ 1.,  7., 13., 19.],")
	}
}

// scan takes torch.save's own checkpoints as torch.load(weights_only=True)
// does: safe, exit 0, whether zip or legacy, and the same from stdin.
func TestTorchScan(t *testing.T) {
	for _, name := range []string{"views.zip.pt", "views.legacy.pt", "sequential.zip.pt", "dtypes.legacy.pt"} {
		path := filepath.Join("../../testdata/torch", name)
		code, out, errOut := runCmd(nil, "scan", path)
		require.Equal(t, 0, code, "%s: %s%s", name, out, errOut)
		require.Contains(t, out, path+": safe\n")
		file, err := os.ReadFile(path)
		require.NoError(t, err)
		code, out, errOut = runCmd(file, "scan", "-")
		require.Equal(t, 0, code, "%s: %s%s", name, out, errOut)
		require.Contains(t, out, "-: safe\n")
	}
}
