package pickle

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// reprUnlike are the fixtures whose repr this package does not print as
// pandas 1.5 does, and why.
var reprUnlike = map[string]string{
	"nat": "NaT decodes to nil",
}

// TestPandasRepr compares Repr of every fixture with what pandas printed
// for it (testdata/gen_pandas.py), but those in reprUnlike, which must
// still print as pandas values, not as Go structs.
func TestPandasRepr(t *testing.T) {
	matched := 0
	for _, c := range loadPandasCases(t) {
		if c.Repr == nil || c.Proto != 4 {
			continue
		}
		var v any
		require.NoError(t, Unmarshal(c.data(t), &v), c.Name)
		got := Repr(v)
		if why, ok := reprUnlike[c.Name]; ok {
			require.NotEqual(t, *c.Repr, got, "%s is listed as unlike (%s) but matches", c.Name, why)
			require.False(t, strings.HasPrefix(got, "&{"), "%s: %s", c.Name, got)
			continue
		}
		if assert.Equal(t, *c.Repr, got, c.Name) {
			matched++
		}
	}
	require.Equal(t, 35, matched)
}
