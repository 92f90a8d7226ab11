package pickle

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func scanBytes(t *testing.T, data []byte, opts ...Option) *ScanReport {
	t.Helper()
	rep, err := Scan(bytes.NewReader(data), opts...)
	require.NoError(t, err)
	return rep
}

// TestScanMaliciousSamples scans the techniques of testdata/scan.
func TestScanMaliciousSamples(t *testing.T) {
	cases := map[string]string{ // file -> a global or call the report must name
		"os_system_p0.pkl":           "posix.system",
		"os_system_p4.pkl":           "posix.system",
		"stack_global_from_memo.pkl": "posix.system",
		"inst_os_system.pkl":         "os.system",
		"nested_pickle_loads.pkl":    "pickle.loads",
		"getattr_chain.pkl":          "builtins.__import__",
		"import_reduce.pkl":          "builtins.__import__",
		"build_on_global.pkl":        "os.path",
		"model.pt":                   "posix.system",
		"concatenated.pkl":           "posix.system",
	}
	for file, name := range cases {
		data, err := os.ReadFile(filepath.Join("testdata/scan", file))
		require.NoError(t, err)
		rep := scanBytes(t, data)
		assert.Equal(t, Dangerous, rep.Verdict, file)
		found := false
		for _, p := range rep.Pickles {
			for _, f := range append(p.Globals, p.Calls...) {
				if f.Name == name && f.Verdict == Dangerous {
					found = true
				}
			}
		}
		assert.True(t, found, "%s: no dangerous finding for %s in %+v", file, name, rep)
	}
}

func TestScanDetails(t *testing.T) {
	data, err := os.ReadFile("testdata/scan/stack_global_from_memo.pkl")
	require.NoError(t, err)
	rep := scanBytes(t, data)
	require.Len(t, rep.Pickles, 1)
	p := rep.Pickles[0]
	require.Len(t, p.Globals, 1)
	assert.Equal(t, Finding{Offset: 25, Op: "STACK_GLOBAL", Name: "posix.system", Verdict: Dangerous, Reason: "posix: operating system access"}, p.Globals[0])
	require.Len(t, p.Calls, 1)
	assert.Equal(t, "REDUCE", p.Calls[0].Op)

	data, err = os.ReadFile("testdata/scan/concatenated.pkl")
	require.NoError(t, err)
	rep = scanBytes(t, data)
	require.Len(t, rep.Pickles, 2)
	assert.Equal(t, Safe, rep.Pickles[0].Verdict)
	assert.Equal(t, Dangerous, rep.Pickles[1].Verdict)
	assert.NotZero(t, rep.Pickles[1].Offset)

	data, err = os.ReadFile("testdata/scan/model.pt")
	require.NoError(t, err)
	rep = scanBytes(t, data)
	require.Len(t, rep.Pickles, 3, "the pickle, the other member, and the archive read as a pickle")
	assert.Equal(t, "archive/data.pkl", rep.Pickles[0].Source)
	assert.False(t, rep.Pickles[0].Secondary)
	assert.True(t, rep.Pickles[1].Secondary)
	assert.True(t, rep.Pickles[2].Secondary)

	var out strings.Builder
	require.NoError(t, FormatReport(&out, "model.pt", rep))
	assert.Contains(t, out.String(), "model.pt: dangerous")
	assert.Contains(t, out.String(), "posix.system")
}

func TestScanLooksLikeCodeIsSafe(t *testing.T) {
	data, err := os.ReadFile("testdata/scan/looks_like_code.pkl")
	require.NoError(t, err)
	assert.Equal(t, Safe, scanBytes(t, data).Verdict)
}

// TestScanFixtures: every CPython-written fixture of builtin data is safe;
// fixtures of user classes are suspicious, not dangerous.
func TestScanFixtures(t *testing.T) {
	for _, f := range loadFixtures(t) {
		want := Safe
		if !f.Case.Safe {
			want = Suspicious
		}
		// Python 2 pickles scan the same under every Encoding.
		for _, enc := range []string{"ASCII", "latin1", "utf-8", "bytes"} {
			rep := scanBytes(t, f.Data, Encoding(enc))
			require.Equal(t, want, rep.Verdict, "%s/%s with %s: %+v", f.Writer, f.Name, enc, rep)
			if !strings.HasPrefix(f.Writer, "2.") {
				break
			}
		}
	}
}

func TestScanMalformed(t *testing.T) {
	for _, data := range [][]byte{nil, []byte("N"), []byte("\x80\x04\x95\xff\xff\xff\xff\xff\xff\xff\x7f."), []byte("]a."), []byte("N.junk")} {
		rep := scanBytes(t, data)
		assert.Equal(t, Malformed, rep.Verdict, "%q", data)
		assert.NotEmpty(t, rep.Pickles[len(rep.Pickles)-1].Error)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("README")
	_, _ = w.Write([]byte("no pickles"))
	require.NoError(t, zw.Close())
	assert.Equal(t, Malformed, scanBytes(t, buf.Bytes()).Verdict)
}

// TestScanDangerousList checks every entry of the dangerous lists: a pickle
// calling a member of each is dangerous, at protocol 0 and 4 spellings.
func TestScanDangerousList(t *testing.T) {
	check := func(g Global) {
		p4 := append(append([]byte("\x80\x04\x8c"), byte(len(g.Module))), []byte(g.Module+"\x8c"+string(rune(len(g.Name)))+g.Name+"\x93)R.")...)
		inputs := [][]byte{p4}
		if !strings.Contains(g.Name, ".") {
			// Below protocol 4 a dotted name is a missing attribute.
			inputs = append(inputs, []byte("c"+g.Module+"\n"+g.Name+"\n)R."))
		}
		for _, data := range inputs {
			rep := scanBytes(t, data)
			assert.Equal(t, Dangerous, rep.Verdict, "%s: %+v", g, rep)
		}
	}
	for module := range dangerousModules {
		check(Global{module, "anything"})
	}
	for name := range dangerousBuiltins {
		check(Global{"builtins", name})
		check(Global{"__builtin__", name})
	}
	for name := range dangerousNames {
		m, n, _ := strings.Cut(name, ".")
		check(Global{m, n})
	}
	for module := range attributeModules {
		check(Global{"innocent", module + ".system"})
	}
	// Dotted names are checked component by component.
	check(Global{"os.path", "join"})
	check(Global{"innocent", "helper.__globals__"})
	// And what is not on the lists is suspicious, not dangerous.
	rep := scanBytes(t, []byte("cmymodule\nMyClass\n)R."))
	assert.Equal(t, Suspicious, rep.Verdict)
}

// TestScanAllowGlobals: what the options admit counts as safe, except what
// is dangerous anyway.
func TestScanAllowGlobals(t *testing.T) {
	data := []byte("cmymodule\nMyClass\n)R.")
	assert.Equal(t, Safe, scanBytes(t, data, AllowGlobals("mymodule.MyClass")).Verdict)
	data = []byte("cos\nsystem\n)R.")
	assert.Equal(t, Dangerous, scanBytes(t, data, AllowGlobals("os.system")).Verdict)
}

// joblib's array wrappers are rows the default allowlist admits: data, even
// in a module (joblib) whose loaders are gadgets, so joblib files of plain
// arrays scan safe, and a model only needs its estimator class allowed.
func TestScanJoblibFilesAreData(t *testing.T) {
	files, err := filepath.Glob("testdata/joblib/arrays*.joblib*")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, name := range files {
		f, err := os.Open(name)
		require.NoError(t, err)
		rep, err := Scan(f)
		f.Close()
		require.NoError(t, err, name)
		assert.Equal(t, Safe, rep.Verdict, "%s: %+v", name, rep)
	}
	data, err := os.ReadFile("testdata/joblib/linreg.joblib")
	require.NoError(t, err)
	rep, err := Scan(bytes.NewReader(data))
	require.NoError(t, err)
	assert.Equal(t, Suspicious, rep.Verdict)
	rep, err = Scan(bytes.NewReader(data), AllowGlobals("sklearn.linear_model._base.LinearRegression"))
	require.NoError(t, err)
	assert.Equal(t, Safe, rep.Verdict, "%+v", rep)
}
