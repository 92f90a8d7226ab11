package snapshot

import (
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The live tests: python/pickle_snapshot.py writes what the Go store loads,
// with fallback, and the reverse, under the oldest and newest Pythons it
// supports and python3. Like the root package's cross-checks, they fail
// rather than skip without Python, so that CI cannot pass without them;
// PICKLE_NO_PYTHON=1 skips them deliberately.

var pythonVersions = []string{"3", "3.6.15", "3.13.0"}

func pythonPath(t testing.TB, version string) string {
	t.Helper()
	if os.Getenv("PICKLE_NO_PYTHON") == "1" {
		t.Skip("PICKLE_NO_PYTHON=1: live tests against CPython skipped")
	}
	if version == "3" {
		p, err := exec.LookPath("python3")
		require.NoError(t, err, "the live tests need python3 on PATH (or PICKLE_NO_PYTHON=1)")
		return p
	}
	root, err := exec.Command("pyenv", "root").Output()
	require.NoError(t, err, "the live tests need pyenv for Python %s", version)
	p := filepath.Join(strings.TrimSpace(string(root)), "versions", version, "bin", "python")
	_, err = os.Stat(p)
	require.NoError(t, err, "the live tests need Python %s", version)
	return p
}

// pythonPeer runs testdata/python_peer.py op on dir and returns its output.
func pythonPeer(t *testing.T, python, op, dir string) []byte {
	t.Helper()
	cmd := exec.Command(python, "testdata/python_peer.py", op, dir, hex.EncodeToString(testKey))
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	require.NoError(t, err, "python_peer.py %s", op)
	return out
}

// pythonLoad is what python_peer.py read prints.
type pythonLoad struct {
	State      counter
	Generation uint64
	Records    int
	Writer     string
	Skipped    []struct {
		Generation uint64
		Record     int
		Reason     string
	}
}

func readWithPython(t *testing.T, python, dir string) pythonLoad {
	t.Helper()
	var l pythonLoad
	require.NoError(t, json.Unmarshal(pythonPeer(t, python, "read", dir), &l))
	return l
}

func TestPythonWritesGoLoads(t *testing.T) {
	for _, version := range pythonVersions {
		t.Run(version, func(t *testing.T) {
			python := pythonPath(t, version)
			dir := t.TempDir()
			pythonPeer(t, python, "write", dir)

			var skips []*GenerationError
			s := mustOpen(t, dir, testConfig(&skips))
			var got counter
			l, err := s.Load(&got)
			require.NoError(t, err)
			assert.Equal(t, counter{N: 4, Names: []string{"py0", "py1", "py2", "py3"}}, got)
			assert.Equal(t, uint64(2), l.Generation)
			assert.Equal(t, 2, l.Records)
			assert.Equal(t, "python_peer", l.Writer)
			assert.Empty(t, skips)

			corruptNewest(t, dir)
			l, err = s.Load(&got)
			require.NoError(t, err)
			assert.Equal(t, counter{N: 1, Names: []string{"py0"}}, got)
			require.Len(t, skips, 1)
			assert.Equal(t, uint64(2), skips[0].Generation)
			assert.Equal(t, skips, l.Skipped)
		})
	}
}

func TestGoWritesPythonLoads(t *testing.T) {
	for _, version := range pythonVersions {
		t.Run(version, func(t *testing.T) {
			python := pythonPath(t, version)
			dir := t.TempDir()
			s := mustOpen(t, dir, testConfig(nil))
			_, err := s.Save(counter{N: 1, Names: []string{"go0"}})
			require.NoError(t, err)
			_, err = s.Save(counter{N: 2, Names: []string{"go0", "go1"}})
			require.NoError(t, err)
			require.NoError(t, s.Append(add{"go2"}))
			require.NoError(t, s.Append(add{"go3"}))
			require.NoError(t, s.Close())

			l := readWithPython(t, python, dir)
			assert.Equal(t, counter{N: 4, Names: []string{"go0", "go1", "go2", "go3"}}, l.State)
			assert.Equal(t, uint64(2), l.Generation)
			assert.Equal(t, 2, l.Records)
			assert.Equal(t, "test", l.Writer)
			assert.Empty(t, l.Skipped)

			journal := filepath.Join(dir, genName(2, journalSuffix))
			info, err := os.Stat(journal)
			require.NoError(t, err)
			require.NoError(t, os.Truncate(journal, info.Size()-3))
			l = readWithPython(t, python, dir)
			assert.Equal(t, counter{N: 3, Names: []string{"go0", "go1", "go2"}}, l.State, "the torn record is dropped")
			require.Len(t, l.Skipped, 1)
			assert.Equal(t, 1, l.Skipped[0].Record)
			assert.Contains(t, l.Skipped[0].Reason, "torn record")

			corruptNewest(t, dir)
			l = readWithPython(t, python, dir)
			assert.Equal(t, counter{N: 1, Names: []string{"go0"}}, l.State)
			assert.Equal(t, uint64(1), l.Generation)
			require.Len(t, l.Skipped, 1)
			assert.Equal(t, uint64(2), l.Skipped[0].Generation)
			assert.Contains(t, l.Skipped[0].Reason, "does not verify")
		})
	}
}

func TestPythonAppendsToAGoStore(t *testing.T) {
	// The journal is shared too: Python cuts off a torn record and appends
	// after Go's good ones, and Go replays them all.
	python := pythonPath(t, "3")
	dir := t.TempDir()
	s := mustOpen(t, dir, testConfig(nil))
	_, err := s.Save(counter{N: 1, Names: []string{"go0"}})
	require.NoError(t, err)
	require.NoError(t, s.Append(add{"go1"}))
	require.NoError(t, s.Append(add{"torn"}))
	require.NoError(t, s.Close())
	journal := filepath.Join(dir, genName(1, journalSuffix))
	info, err := os.Stat(journal)
	require.NoError(t, err)
	require.NoError(t, os.Truncate(journal, info.Size()-3))
	script := `import sys; sys.path.insert(0, 'python'); import pickle_snapshot as p
s = p.Store(sys.argv[1], key_id=b'k1', key=bytes.fromhex(sys.argv[2]), schema=1)
s.load(replay=lambda st, ch: st)
s.append({'name': 'py2'})
s.append({'name': 'py3'})`
	cmd := exec.Command(python, "-c", script, dir, hex.EncodeToString(testKey))
	cmd.Stderr = os.Stderr
	require.NoError(t, cmd.Run())
	var got counter
	l, err := mustOpen(t, dir, testConfig(nil)).Load(&got)
	require.NoError(t, err)
	assert.Equal(t, counter{N: 4, Names: []string{"go0", "go1", "py2", "py3"}}, got)
	assert.Empty(t, l.Skipped)
}

func TestPythonMigratesAndRefusesNewer(t *testing.T) {
	python := pythonPath(t, "3")
	dir := t.TempDir()
	_, err := mustOpen(t, dir, testConfig(nil)).Save(counter{N: 1, Names: []string{"go0"}})
	require.NoError(t, err)
	script := `import json, sys; sys.path.insert(0, 'python'); import pickle_snapshot as p
key = bytes.fromhex(sys.argv[2])
def to2(s):
    s['names'] = [n.upper() for n in s['names']]
    return s
state, info = p.Store(sys.argv[1], key_id=b'k1', key=key, schema=2, migrations={1: to2}).load()
print(json.dumps([state, info['schema']]))
try:
    p.Store(sys.argv[1], key_id=b'k1', key=key, schema=0).load()
except p.LoadError as e:
    print(json.dumps(str(e.errors[0].reason)))`
	cmd := exec.Command(python, "-c", script, dir, hex.EncodeToString(testKey))
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	require.Len(t, lines, 2, "%s", out)
	assert.JSONEq(t, `[{"n": 1, "names": ["GO0"]}, 1]`, lines[0], "migrated from schema 1 to 2")
	assert.JSONEq(t, `"written with schema 1; this program knows up to 0"`, lines[1], "refused as newer")
}

func TestPythonNeverPrunesANewerSchemasGeneration(t *testing.T) {
	python := pythonPath(t, "3")
	dir := t.TempDir()
	newer := testConfig(nil)
	newer.Schema = 2
	_, err := mustOpen(t, dir, newer).Save(counter{N: 1})
	require.NoError(t, err)
	script := `import sys; sys.path.insert(0, 'python'); import pickle_snapshot as p
s = p.Store(sys.argv[1], key_id=b'k1', key=bytes.fromhex(sys.argv[2]), schema=1, keep=1)
s.save({'n': 2, 'names': []})
s.save({'n': 3, 'names': []})`
	cmd := exec.Command(python, "-c", script, dir, hex.EncodeToString(testKey))
	cmd.Stderr = os.Stderr
	require.NoError(t, cmd.Run())
	assert.Equal(t, []string{genName(1, snapSuffix), genName(3, snapSuffix)}, dirNames(t, dir))
}
