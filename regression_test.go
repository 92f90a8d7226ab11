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

// An eight-digit \U escape above 0x7fffffff overflowed a rune and slipped
// past the range check (found by the disassembler's mutation tests).
func TestRegressionRawUnicodeEscapeOverflow(t *testing.T) {
	var v any
	require.ErrorIs(t, Unmarshal([]byte("V\\Ua0001f600\n."), &v), ErrMalformed)
}

// Printing a pickle that references one list exponentially often must end.
func TestReprOfExponentialSharingEnds(t *testing.T) {
	l := &List{int64(0)}
	for range 60 {
		l = &List{l, l}
	}
	s := Repr(l)
	require.Less(t, len(s), 64<<20)
	require.Contains(t, s, "...")
}
