package pickle

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// DisassembleJoblib shows joblib's array bytes as one line each and goes
// on; cut anywhere, the file fails as truncated, never as an unknown
// opcode; a pickle without arrays prints what Disassemble prints.
func TestDisassembleJoblib(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "joblib", "linreg.joblib"))
	require.NoError(t, err)
	var out bytes.Buffer
	require.NoError(t, DisassembleJoblib(&out, data))
	require.Equal(t, 2, strings.Count(out.String(), " bytes of array data>\n"), out.String())

	var plain bytes.Buffer
	err = Disassemble(&plain, bytes.NewReader(data))
	require.ErrorIs(t, err, ErrMalformed, "pickletools stops at the first array byte")
	require.True(t, strings.HasPrefix(out.String(), plain.String()))

	// arrays.joblib has an object array: a whole pickle after its BUILD.
	arrays, err := os.ReadFile(filepath.Join("testdata", "joblib", "arrays.joblib"))
	require.NoError(t, err)
	for _, file := range [][]byte{data, arrays} {
		for n := range len(file) {
			var cut bytes.Buffer
			err := DisassembleJoblib(&cut, file[:n])
			require.ErrorIs(t, err, ErrTruncated, "cut at %d", n)
			require.False(t, errors.Is(err, ErrMalformed), "cut at %d: %v", n, err)
		}
	}

	fixture, err := os.ReadFile(filepath.Join("testdata", "containers", "plain.pkl"))
	require.NoError(t, err)
	var a, b bytes.Buffer
	require.NoError(t, Disassemble(&a, bytes.NewReader(fixture)))
	require.NoError(t, DisassembleJoblib(&b, fixture))
	require.Equal(t, a.String(), b.String())
}
