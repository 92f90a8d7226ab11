package pickle

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/require"
)

// The pickles in testdata/fidelity/expected.json were written by every
// CPython on the machine (testdata/gen_fidelity.py), with what Python 3.11's
// pickletools prints for them and what CPython loads from them. They pin the
// cases of issue 11 where the printer, the encoder or the decoder differed
// from CPython.

type fidelityPickle struct {
	Case     string   `json:"case"`
	Protocol int      `json:"protocol"`
	Writers  []string `json:"writers"`
	Hex      string   `json:"hex"`
	Dis      string   `json:"dis"`
	Loaded   string   `json:"loaded"` // repr(pickle.loads(...)), see the script
	Data     []byte   `json:"-"`
}

func (p fidelityPickle) String() string {
	return p.Case + ".p" + string(rune('0'+p.Protocol)) + " (" + strings.Join(p.Writers, ",") + ")"
}

// loadFidelity returns the pickles of the cases whose names start with
// prefix.
func loadFidelity(t testing.TB, prefix string) []fidelityPickle {
	t.Helper()
	raw, err := os.ReadFile("testdata/fidelity/expected.json")
	require.NoError(t, err)
	var doc struct {
		Pickles []fidelityPickle `json:"pickles"`
	}
	require.NoError(t, json.Unmarshal(raw, &doc))
	var out []fidelityPickle
	for _, p := range doc.Pickles {
		if !strings.HasPrefix(p.Case, prefix) {
			continue
		}
		p.Data, err = hex.DecodeString(p.Hex)
		require.NoError(t, err)
		out = append(out, p)
	}
	require.NotEmpty(t, out, "no fidelity pickles for %q: run python3 testdata/gen_fidelity.py", prefix)
	return out
}

// TestFidelityDis compares the disassembly of every fidelity pickle with
// pickletools'.
func TestFidelityDis(t *testing.T) {
	for _, p := range loadFidelity(t, "") {
		got, err := disassemble(p.Data)
		require.NoError(t, err, "%s", p)
		require.Equal(t, p.Dis, got, "%s", p)
	}
}

// TestFidelityByteArrayRepr checks Repr of a bytearray against CPython's:
// bytearray's repr escapes ' even inside double quotes, unlike bytes'.
func TestFidelityByteArrayRepr(t *testing.T) {
	for _, p := range loadFidelity(t, "bytearray_") {
		var v any
		require.NoError(t, Unmarshal(p.Data, &v), "%s", p)
		require.Equal(t, p.Loaded, Repr(v), "%s", p)
	}
}

// TestFidelityRenamedExceptions checks that the exceptions Python 3 writes
// under their Python 2 names below protocol 3 (OSError's subclasses as
// exceptions.OSError, ModuleNotFoundError as exceptions.ImportError) are
// written byte for byte as CPython 3.13 writes them, at every protocol.
func TestFidelityRenamedExceptions(t *testing.T) {
	n := 0
	for _, p := range loadFidelity(t, "exception_") {
		if !slices.Contains(p.Writers, "3.13") {
			continue
		}
		var v any = Global{"builtins", strings.TrimPrefix(p.Case, "exception_")}
		if p.Case == "exception_instance" {
			v = &Object{Class: Global{"builtins", "FileNotFoundError"}, Kind: CallReduce, Args: Tuple{int64(2), "x"}}
		}
		out, err := Marshal(v, Protocol(p.Protocol))
		require.NoError(t, err, "%s", p)
		require.Equal(t, p.Hex, hexOf(out), "%s", p)
		n++
	}
	require.Equal(t, 16*(HighestProtocol+1), n)
}

// TestFidelityRenamedExceptionsLive does the same against the python3 on
// PATH: decoded from its protocol 3 pickle (which keeps the Python 3 names),
// a value is written at every protocol as Python writes it.
func TestFidelityRenamedExceptionsLive(t *testing.T) {
	exprs := []string{"FileNotFoundError", "TimeoutError", "ModuleNotFoundError",
		"FileNotFoundError(2, 'x')", "[PermissionError(1, 'y'), ConnectionError]"}
	var reqs []map[string]any
	for _, e := range exprs {
		for p := 0; p <= HighestProtocol; p++ {
			reqs = append(reqs, map[string]any{"op": "dumps", "expr": e, "protocol": p})
		}
	}
	res := crossCheck(t, "3", reqs)
	for i, e := range exprs {
		want := res[i*(HighestProtocol+1) : (i+1)*(HighestProtocol+1)]
		for _, r := range want {
			require.Nil(t, r["error"], "%s", e)
		}
		data, err := hex.DecodeString(want[3]["data"].(string))
		require.NoError(t, err)
		var v any
		require.NoError(t, Unmarshal(data, &v, AllowAllGlobals()))
		for p := 0; p <= HighestProtocol; p++ {
			out, err := Marshal(v, Protocol(p))
			require.NoError(t, err, "%s at protocol %d", e, p)
			require.Equal(t, want[p]["data"], hexOf(out), "%s at protocol %d", e, p)
		}
	}
}

// TestFidelityBuildAttrs decodes an OrderedDict and dict and list
// subclasses with instance attributes, which CPython pickles with a BUILD of
// the instance dict: the attributes are kept (an OrderedDict's in Attrs), the
// scanner does not call the BUILD dangerous, and the encoder writes CPython
// 3.13's bytes back.
func TestFidelityBuildAttrs(t *testing.T) {
	for _, p := range loadFidelity(t, "") {
		if !strings.HasSuffix(p.Case, "_attrs") {
			continue
		}
		var v any
		require.NoError(t, Unmarshal(p.Data, &v, AllowAllGlobals()), "%s", p)
		var attrs any
		switch x := v.(type) {
		case *OrderedDict:
			require.NotNil(t, x.Attrs, "%s", p)
			attrs = x.Attrs
		case *Object:
			attrs = x.State
			if !x.HasState {
				attrs = nil
			}
		}
		require.NotNil(t, attrs, "%s: %s", p, Repr(v))
		if !slices.Contains(p.Writers, "2.7") { // (Python 2 prints u'...')
			require.True(t, strings.HasSuffix(p.Loaded, " "+Repr(attrs)), "%s: Python loads %s; got %s", p, p.Loaded, Repr(attrs))
		}

		rep, err := Scan(bytes.NewReader(p.Data))
		require.NoError(t, err)
		require.NotEqual(t, Dangerous, rep.Verdict, "%s", p)
		if p.Case == "ordereddict_attrs" {
			require.Equal(t, Safe, rep.Verdict, "%s", p)
		}

		if slices.Contains(p.Writers, "3.13") {
			out, err := Marshal(v, Protocol(p.Protocol))
			require.NoError(t, err, "%s", p)
			require.Equal(t, p.Hex, hexOf(out), "%s", p)
		}
	}
}

// TestFidelityBuildAttrsLive has python3 load each such pickle and our
// recoding of it at every protocol, and compare them (attributes included).
func TestFidelityBuildAttrsLive(t *testing.T) {
	var pickles []fidelityPickle
	for _, p := range loadFidelity(t, "") {
		if strings.HasSuffix(p.Case, "_attrs") {
			pickles = append(pickles, p)
		}
	}
	requireRecodingsLoadSame(t, pickles)
}

// requireRecodingsLoadSame has python3 load each pickle and our recoding of
// it at every protocol, and compare them.
func requireRecodingsLoadSame(t *testing.T, pickles []fidelityPickle) {
	var reqs []map[string]any
	for _, p := range pickles {
		var v any
		require.NoError(t, Unmarshal(p.Data, &v, AllowAllGlobals()), "%s", p)
		for q := 0; q <= HighestProtocol; q++ {
			out, err := Marshal(v, Protocol(q))
			require.NoError(t, err, "%s", p)
			reqs = append(reqs, map[string]any{"op": "same", "a": p.Hex, "b": hexOf(out), "what": p.String(), "protocol": q})
		}
	}
	for i, r := range crossCheck(t, "3", reqs) {
		require.Nil(t, r["error"], "%v at protocol %v", reqs[i]["what"], reqs[i]["protocol"])
		require.Equal(t, true, r["ok"], "%v at protocol %v: %v", reqs[i]["what"], reqs[i]["protocol"], r["why"])
	}
}

// TestFidelityStateSetter decodes the pickles of 6-item __reduce__ values
// (a state_setter, Python 3.8+): list.append and dict.update are applied as
// Python applies them; another setter is kept as the Object's Setter, and
// written back as CPython writes it. The scanner reports the setter's call.
func TestFidelityStateSetter(t *testing.T) {
	for _, p := range loadFidelity(t, "state_setter_") {
		var v any
		require.NoError(t, Unmarshal(p.Data, &v, AllowAllGlobals()), "%s", p)
		setter := "builtins.list.append"
		switch p.Case {
		case "state_setter_symbolic":
			o, ok := v.(*Object)
			require.True(t, ok, "%s: %s", p, Repr(v))
			require.Equal(t, Global{"fixture_classes", "set_state"}, o.Setter, "%s", p)
			require.True(t, o.HasState)
			require.Equal(t, p.Loaded, "<fixture_classes.SetterTarget "+Repr(o.State)+">", "%s", p)
			if slices.Contains(p.Writers, "3.13") {
				out, err := Marshal(v, Protocol(p.Protocol))
				require.NoError(t, err, "%s", p)
				require.Equal(t, p.Hex, hexOf(out), "%s", p)
			}
			setter = "fixture_classes.set_state"
		case "state_setter_dict":
			setter = "builtins.dict.update"
			fallthrough
		default:
			require.Equal(t, p.Loaded, Repr(v), "%s", p)
		}

		rep, err := Scan(bytes.NewReader(p.Data))
		require.NoError(t, err)
		found := false
		for _, f := range rep.Pickles[0].Calls {
			found = found || f.Op == "REDUCE" && f.Name == setter && f.Verdict != Safe
		}
		require.True(t, found, "%s: the scanner does not report the call of %s: %+v", p, setter, rep.Pickles[0].Calls)
	}
}

// TestFidelityStateSetterLive has python3 load each such pickle and our
// recoding of it at every protocol, and compare them.
func TestFidelityStateSetterLive(t *testing.T) {
	requireRecodingsLoadSame(t, loadFidelity(t, "state_setter_"))
}

// A call for its effect (REDUCE, then POP) on a value that has no place
// for it is an error, not dropped; with its result used, it is an Object.
func TestStateSetterWithoutPlace(t *testing.T) {
	var v any
	err := Unmarshal([]byte("\x80\x02cfixture_classes\nset_state\n]N\x86R0N."), &v, AllowAllGlobals())
	require.ErrorIs(t, err, ErrUnsupported)
	require.NoError(t, Unmarshal([]byte("\x80\x02cfixture_classes\nset_state\n]N\x86R."), &v, AllowAllGlobals()))
	require.Equal(t, "fixture_classes.set_state([], None)", Repr(v))
	// The scanner goes on.
	rep, err := Scan(bytes.NewReader([]byte("\x80\x02cfixture_classes\nset_state\n]N\x86R0N.")))
	require.NoError(t, err)
	require.Equal(t, Suspicious, rep.Verdict)
}

// TestFidelityReduceSelfInArgs decodes CPython's fix-up of an object reached
// through its own arguments (REDUCE, POP, GET of the first copy): no
// state_setter, though the REDUCE of two arguments is POPped. From a stream
// read one byte at a time too, where the look-ahead must read.
func TestFidelityReduceSelfInArgs(t *testing.T) {
	pickles := loadFidelity(t, "reduce_self_in_args")
	for _, p := range pickles {
		for _, oneByte := range []bool{false, true} {
			var v any
			if oneByte {
				require.NoError(t, NewDecoder(iotest.OneByteReader(bytes.NewReader(p.Data)), AllowAllGlobals()).Decode(&v), "%s", p)
			} else {
				require.NoError(t, Unmarshal(p.Data, &v, AllowAllGlobals()), "%s", p)
			}
			o, ok := v.(*Object)
			require.True(t, ok, "%s: %s", p, Repr(v))
			require.Equal(t, Global{"fixture_classes", "SelfInArgs"}, o.Class, "%s", p)
			require.Nil(t, o.Setter, "%s", p)
			require.False(t, o.HasState, "%s", p)
			require.Len(t, o.Args, 2, "%s", p)
			require.Equal(t, &List{o}, o.Args[0], "%s", p)
			require.Same(t, o, (*o.Args[0].(*List))[0], "%s", p)
			require.Equal(t, int64(7), o.Args[1], "%s", p)
		}
	}
	// (Not CPython's bytes: its __reduce__ makes a new args tuple at each
	// call, where the decoded object has one, which the encoder writes as
	// a recursive tuple. Python loads the same value.)
	requireRecodingsLoadSame(t, pickles)
}
