package pickle

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// Inputs the fuzzers found, kept as named tests. Each also stays in
// testdata/fuzz as a seed.

// _codecs.encode() with no arguments indexed an empty tuple.
func TestRegressionCodecsEncodeWithoutArgs(t *testing.T) {
	var v any
	require.NoError(t, Unmarshal([]byte("c_codecs\nencode\n(tR."), &v))
	require.Equal(t, "_codecs.encode()", Repr(v))
}
