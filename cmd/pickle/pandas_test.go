package main

import (
	"os"
	"testing"

	"github.com/stretchr/testify/require"
)

// show prints a DataFrame as pandas prints it (testdata/gen_pandas.py
// wrote frame.txt with print(df)).
func TestShowDataFrame(t *testing.T) {
	want, err := os.ReadFile("../../testdata/pandas/frame.txt")
	require.NoError(t, err)
	code, out, errOut := runCmd(nil, "show", "../../testdata/pandas/frame.pkl")
	require.Equal(t, 0, code, errOut)
	require.Equal(t, string(want), out)
}
