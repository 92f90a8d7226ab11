package pickle

import (
	"bytes"
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

// The text of a module name that was also a class's name elsewhere in the
// value (one Go string for both, as the decoder shares them) was written
// anew at each use at protocol 4, where a value decoded from that encoding
// refers back to it: two encodings of one value differed.
func TestRegressionGlobalNameSharedWithQualname(t *testing.T) {
	data := []byte("\x8c\b000000002\x8c\b00000001\x94\x932C\x000h\x00\x8c\b00000000\x94\x932h\x00\x8c\t000000000\x94\x93\x94C\x00M00C\x00\x87\x940\x94\x85\x94R\x94\x86\x94R2.")
	var v any
	require.NoError(t, Unmarshal(data, &v, AllowAllGlobals(), Encoding("latin1")))
	out, err := Marshal(v, Protocol(4))
	require.NoError(t, err)
	var back any
	require.NoError(t, Unmarshal(out, &back, AllowAllGlobals()))
	again, err := Marshal(back, Protocol(4))
	require.NoError(t, err)
	require.Equal(t, out, again)
	// The module name 00000001 is written once and then referred to.
	require.Equal(t, 1, bytes.Count(out, []byte("\x8c\b00000001\x94\x8c\b00000000")))
	require.Equal(t, 2, bytes.Count(out, []byte("\x8c\b00000001")))
}
