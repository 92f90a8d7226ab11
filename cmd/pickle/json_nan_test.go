package main

import (
	"math"
	"testing"

	"github.com/pickle-go/pickle"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestJSONNonFinite: NaN and the infinities, as floats of a dict, a list,
// a numpy array and a float32 array, are an error that names -nan by
// default, and null or strings with -nan.
func TestJSONNonFinite(t *testing.T) {
	f64, err := pickle.NewNDArray([]float64{1, math.NaN()})
	require.NoError(t, err)
	f32, err := pickle.NewNDArray([][]float32{{float32(math.Inf(-1))}})
	require.NoError(t, err)
	shared := &pickle.List{math.Inf(1)}
	value := map[string]any{"nan": math.NaN(), "inf": math.Inf(1), "list": &pickle.List{1.5, math.Inf(-1)},
		"f64": f64, "f32": f32, "shared": []any{shared, shared}}
	data, err := pickle.Marshal(value)
	require.NoError(t, err)
	for _, tc := range []struct {
		args []string
		code int
		out  string
	}{
		{nil, 1, ""},
		{[]string{"-nan", "error"}, 1, ""},
		{[]string{"-nan", "null"}, 0, `{"f32":[[null]],"f64":[1,null],"inf":null,"list":[1.5,null],"nan":null,"shared":[[null],[null]]}` + "\n"},
		{[]string{"-nan", "string"}, 0, `{"f32":[["-Infinity"]],"f64":[1,"NaN"],"inf":"Infinity","list":[1.5,"-Infinity"],"nan":"NaN","shared":[["Infinity"],["Infinity"]]}` + "\n"},
		{[]string{"-nan", "zero"}, 2, ""},
	} {
		code, out, errOut := runCmd(data, append(append([]string{"json"}, tc.args...), "-")...)
		assert.Equal(t, tc.code, code, "%v: %s", tc.args, errOut)
		assert.Equal(t, tc.out, out, "%v", tc.args)
		if tc.code == 1 {
			assert.Contains(t, errOut, "rerun with -nan null or -nan string", "%v", tc.args)
		}
	}
}
