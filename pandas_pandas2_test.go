package pickle

import (
	"bytes"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestNDArrayBackedChecksums derives the checksums __pyx_unpickle_NDArrayBacked
// accepts as Cython computes them: the first 7 hex digits of a hash of the
// class's member names joined by spaces, md5 (Cython 0.29, pandas 1.x)
// and, since Cython 3, sha256 and sha1 too.
func TestNDArrayBackedChecksums(t *testing.T) {
	want := map[int64]bool{}
	for _, h := range []hash.Hash{md5.New(), sha256.New(), sha1.New()} {
		h.Write([]byte("_dtype _ndarray"))
		n, err := strconv.ParseInt(hex.EncodeToString(h.Sum(nil))[:7], 16, 64)
		require.NoError(t, err)
		want[n] = true
	}
	require.Equal(t, want, ndarrayBackedChecksums)
	require.True(t, want[ndarrayBackedChecksum])
}

// TestPandas2Forms: the pandas 2.x forms gen_pandas.py writes are among the
// fixtures TestPandasFixtures checks, one of each kind, and a checksum
// Cython would refuse is refused here too.
func TestPandas2Forms(t *testing.T) {
	names := map[string]bool{}
	var categorical []byte
	for _, c := range loadPandasCases(t) {
		if c.Pandas2 {
			names[c.Name] = true
		}
		if c.Name == "pandas2_checksum_sha256" && c.Proto == 2 {
			categorical = c.data(t)
		}
	}
	for _, name := range []string{"pandas2_index_int64", "pandas2_timestamp_s", "pandas2_timedelta_ms",
		"pandas2_frame_datetime_us", "pandas2_series_datetime_s", "pandas2_checksum_sha256", "pandas2_checksum_sha1"} {
		require.True(t, names[name], name)
	}
	var v any
	require.NoError(t, Unmarshal(categorical, &v))
	// The sha256 checksum, 82904607, is the BININT 0x04f1061f; any other
	// number is refused.
	sha256 := []byte{'J', 0x1f, 0x06, 0xf1, 0x04}
	require.Equal(t, 2, bytes.Count(categorical, sha256), "a Categorical's and a DatetimeArray's")
	bad := bytes.Replace(categorical, sha256, []byte{'J', 0x20, 0x06, 0xf1, 0x04}, 1)
	require.ErrorIs(t, Unmarshal(bad, &v), ErrMalformed)
}
