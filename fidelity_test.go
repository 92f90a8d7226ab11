package pickle

import (
	"encoding/hex"
	"encoding/json"
	"os"
	"strings"
	"testing"

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
