package main

import (
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// rawLine is the line dis prints for bytes joblib reads raw after BUILD.
var rawLine = regexp.MustCompile(`^ *(\d+): <(\d+) bytes of (array data|the object array's own pickle)>$`)

// dis walks joblib files to their STOP: each array's bytes are one line,
// and the next opcode is right after them; what comes before the first
// array is what pickletools prints before it stops there.
func TestDisJoblib(t *testing.T) {
	const dir = "../../testdata/joblib"
	tests := []struct {
		name string
		raw  int // lines of raw bytes
	}{
		{"arrays.joblib", 26}, {"arrays.joblib.gz", 26}, {"arrays.joblib.xz", 26}, {"arrays.joblib.lz4", 26},
		{"arrays_p0.joblib", 26}, {"arrays_p2.joblib", 26}, {"arrays_p5.joblib", 26},
		{"linreg.joblib", 2}, {"logreg3.joblib", 4}, {"nested_global.joblib", 1},
		{"old.pkl", 0}, // joblib before 0.10: the arrays are files of their own
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCmd(nil, "dis", filepath.Join(dir, tt.name))
			require.Equal(t, 0, code, errOut)
			lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			require.True(t, strings.HasPrefix(lines[len(lines)-1], "highest protocol among opcodes = "), lines[len(lines)-1])
			raw := 0
			for i, l := range lines {
				m := rawLine.FindStringSubmatch(l)
				if m == nil {
					continue
				}
				raw++
				at, _ := strconv.Atoi(m[1])
				n, _ := strconv.Atoi(m[2])
				next := strings.TrimLeft(lines[i+1], " ")
				require.True(t, strings.HasPrefix(next, strconv.Itoa(at+n)+":"), "%s\n%s", l, lines[i+1])
			}
			require.Equal(t, tt.raw, raw)
		})
	}

	py, err := exec.LookPath("python3")
	require.NoError(t, err, "the live cross-check needs python3")
	path := filepath.Join(dir, "arrays.joblib")
	want, err := exec.Command(py, "-c", `import io, pickletools, sys
out = io.StringIO()
try:
    pickletools.dis(open(sys.argv[1], 'rb').read(), out)
except ValueError:
    pass
print(out.getvalue(), end='')`, path).Output()
	require.NoError(t, err)
	_, out, _ := runCmd(nil, "dis", path)
	before, _, ok := strings.Cut(out, "  244: <36 bytes of array data>\n")
	require.True(t, ok, out)
	require.Equal(t, string(want), before)
}

// joblib's format before 0.10 keeps each array in a file beside the pickle:
// show reads a path as ReadFile does, which finds them.
func TestShowOldJoblibBesideItsArrays(t *testing.T) {
	for _, name := range []string{"old.pkl", "old_z.pkl"} {
		code, out, errOut := runCmd(nil, "show", filepath.Join("..", "..", "testdata", "joblib", name))
		require.Equal(t, 0, code, "%s: %s", name, errOut)
		require.Contains(t, out, "'f8': array([ 1.5 , -2.25])", name)
	}
}
