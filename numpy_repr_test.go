package pickle

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestNumpyReprMatchesNumpy prints every array of testdata/numpy/repr.json
// and compares with repr() of what numpy loaded from the same pickle.
func TestNumpyReprMatchesNumpy(t *testing.T) {
	var cases []struct {
		Name   string
		Pickle []byte
		Repr   string
	}
	readNumpyFixture(t, "repr.json", &cases)
	require.Greater(t, len(cases), 35)
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			var v any
			require.NoError(t, Unmarshal(c.Pickle, &v))
			require.Equal(t, c.Repr, Repr(v))
		})
	}
}

// TestNumpyReprFallsBack pins the summary printed for the kinds whose
// printing is not numpy's and for an inconsistent array, and numpy 1.24's
// scalar reprs.
func TestNumpyReprFallsBack(t *testing.T) {
	c, err := NewNDArray([]complex128{1 + 2i})
	require.NoError(t, err)
	scalar := &NDArray{Shape: []int{}, Dtype: Dtype{Kind: 'f', Order: '<', Size: 4}, Data: []byte{0xcd, 0xcc, 0xcc, 0x3d}, Scalar: true}
	broken := &NDArray{Shape: []int{3}, Dtype: Dtype{Kind: 'f', Order: '<', Size: 8}, Data: []byte{1}}
	for want, v := range map[string]any{
		"numpy.ndarray(shape=(1,), dtype='<c16')": c,
		"0.1":                                    scalar,
		"numpy.ndarray(shape=(3,), dtype='<f8')": broken,
		"[0.1, 1]":                               &List{scalar, int64(1)},
	} {
		require.Equal(t, want, Repr(v))
	}
}
