package pickle

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// pandas' own pickles scan safe; its gadgets (file readers that load nested
// pickles, eval) scan dangerous and are refused by the decoder.

func TestPandasScanSafe(t *testing.T) {
	for _, c := range loadPandasCases(t) {
		rep := scanBytes(t, c.data(t))
		require.Equal(t, Safe, rep.Verdict, "%s at protocol %d: %+v", c.Name, c.Proto, rep)
	}
}

func TestPandasScanGadgets(t *testing.T) {
	cases := []struct {
		name string
		data []byte
	}{
		{"read_pickle", numpyCall(t, Global{"pandas", "read_pickle"}, "x.pkl")},
		{"io.pickle", numpyCall(t, Global{"pandas.io.pickle", "read_pickle"}, "x.pkl")},
		{"read_csv", numpyCall(t, Global{"pandas", "read_csv"}, "/etc/passwd")},
		{"eval", numpyCall(t, Global{"pandas", "eval"}, "1+1")},
		{"computation", numpyCall(t, Global{"pandas.core.computation.eval", "eval"}, "1+1")},
		{"clipboard", numpyCall(t, Global{"pandas.io.clipboards", "read_clipboard"})},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			require.Equal(t, Dangerous, scanBytes(t, c.data).Verdict)
			var v any
			require.ErrorIs(t, Unmarshal(c.data, &v), ErrForbiddenGlobal)
		})
	}
}
