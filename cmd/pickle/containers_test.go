package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	fx "github.com/pickle-go/pickle/internal/fixtures"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const containers = "../../testdata/containers"

// containerReprs reads what Python loaded from each fixture.
func containerReprs(t testing.TB) map[string]string {
	reprs, err := fx.Reprs(containers)
	require.NoError(t, err)
	return reprs
}

// withoutLabel drops the archive member's name that show and dis print
// first.
func withoutLabel(out string) string {
	if first, rest, ok := strings.Cut(out, "\n"); ok && strings.HasSuffix(first, ":") && !strings.Contains(first, " ") {
		return rest
	}
	return out
}

func TestShowContainers(t *testing.T) {
	for name, want := range containerReprs(t) {
		code, out, errOut := runCmd(nil, "show", filepath.Join(containers, name))
		require.Equal(t, 0, code, "%s: %s", name, errOut)
		assert.Equal(t, want+"\n", withoutLabel(out), name)
	}
	// Standard input is read whole, so zips work there too.
	data, err := os.ReadFile(filepath.Join(containers, "pandas_zip.pkl"))
	require.NoError(t, err)
	code, out, errOut := runCmd(data, "show", "-")
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, "pandas_zip.pkl:\n"+containerReprs(t)["pandas_zip.pkl"]+"\n", out)
}

// python3 runs code on the plain fixture and returns what it prints; the
// live checks fail, never skip, without it.
func python3(t *testing.T, code string) string {
	py, err := exec.LookPath("python3")
	require.NoError(t, err, "the live cross-check needs python3")
	out, err := exec.Command(py, "-c", code, filepath.Join(containers, "plain.pkl")).Output()
	require.NoError(t, err)
	return string(out)
}

// dis of every container prints what pickletools prints for the pickle
// inside, after the member's name.
func TestDisContainersLive(t *testing.T) {
	want := python3(t, "import pickletools, sys; pickletools.dis(open(sys.argv[1], 'rb').read())")
	for name := range containerReprs(t) {
		if name == "plain_p0.pkl" {
			continue // another pickle of the same value
		}
		code, out, errOut := runCmd(nil, "dis", filepath.Join(containers, name))
		require.Equal(t, 0, code, "%s: %s", name, errOut)
		assert.Equal(t, want, withoutLabel(out), name)
	}
	code, out, _ := runCmd(nil, "dis", filepath.Join(containers, "two.zip"))
	require.Equal(t, 0, code)
	assert.Equal(t, "a.pkl:\n"+want+"b.pkl:\n"+want, out)
}

// json prints the form the package doc gives; Python writes the same from
// the value it loads, bytes as base64, tuples as lists, keys as str().
func TestJSONLive(t *testing.T) {
	want := python3(t, `import base64, json, pickle, sys
def plain(x):
    if isinstance(x, dict):
        return {str(k): plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [plain(i) for i in x]
    if isinstance(x, bytes):
        return base64.b64encode(x).decode()
    return x
v = pickle.load(open(sys.argv[1], 'rb'))
print(json.dumps(plain(v), sort_keys=True, separators=(',', ':'), ensure_ascii=False))
`)
	for name := range containerReprs(t) {
		code, out, errOut := runCmd(nil, "json", filepath.Join(containers, name))
		require.Equal(t, 0, code, "%s: %s", name, errOut)
		assert.Equal(t, want, out, name)
	}
}

func TestJSONForms(t *testing.T) {
	tests := []struct {
		name, file string
		args       []string
		want       string
	}{
		{"set", "frozenset_0.p4.pkl", nil, "[]\n"},
		{"object", "obj_plain.p4.pkl", []string{"-allow-all"}, `{"__class__":"fixture_classes.Plain","a":1,"b":"two","c":[1,2]}` + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append(append([]string{"json"}, tt.args...), filepath.Join(fixtures, "3.11", tt.file))
			code, out, errOut := runCmd(nil, args...)
			require.Equal(t, 0, code, errOut)
			assert.Equal(t, tt.want, out)
		})
	}
	code, _, errOut := runCmd(nil, "json", filepath.Join(fixtures, "3.11", "float_nan.p4.pkl"))
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "no JSON form")
}

func TestRecodeContainer(t *testing.T) {
	plain, err := os.ReadFile(filepath.Join(containers, "plain.pkl"))
	require.NoError(t, err)
	code, out, errOut := runCmd(nil, "recode", "-p", "5", filepath.Join(containers, "obj.pkl.bz2"))
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, string(plain), out, "recoding at protocol 5 gives back CPython's bytes")
}

func TestHelpOnce(t *testing.T) {
	for _, args := range [][]string{{"-h"}, {"show", "-h"}, {"dis", "-h"}, {"json", "-h"}, {"recode", "-h"}, {"scan", "-h"}, {"help"}} {
		code, out, errOut := runCmd(nil, args...)
		assert.Equal(t, 0, code, args)
		assert.Equal(t, usage, out, args)
		assert.Empty(t, errOut, args)
	}
}

func TestContainerErrors(t *testing.T) {
	tests := []struct {
		name  string
		stdin string
		args  []string
		want  string
	}{
		{"text", "hello\n", []string{"show", "-"}, "looks like text"},
		{"empty", "", []string{"show", "-"}, "an empty file"},
		{"no pickle member", "", []string{"show", filepath.Join(containers, "nopickle.zip")}, "a zip without a pickle member (members: readme.txt)"},
		{"bound", "", []string{"json", "-max-decompressed", "100", filepath.Join(containers, "obj.pkl.gz")}, "MaxDecompressedSize limit of 100 exceeded: reached 101"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := runCmd([]byte(tt.stdin), tt.args...)
			assert.Equal(t, 1, code)
			assert.Contains(t, errOut, tt.want)
		})
	}
}

func TestScanAllowAndContainers(t *testing.T) {
	code, out, _ := runCmd(nil, "scan", filepath.Join(containers, "pandas_tar.pkl"), filepath.Join(containers, "obj.pkl.lz4"))
	assert.Equal(t, 0, code, out)
	evil := "cmymodule\nMyClass\n)R."
	code, _, _ = runCmd([]byte(evil), "scan", "-")
	assert.Equal(t, 1, code)
	code, out, _ = runCmd([]byte(evil), "scan", "-allow", "other.Thing", "-allow", "mymodule.MyClass", "-")
	assert.Equal(t, 0, code, out)
	code, _, _ = runCmd([]byte("cos\nsystem\n)R."), "scan", "-allow", "os.system", "-")
	assert.Equal(t, 1, code, "dangerous stays dangerous")
}
