package pickle

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/stretchr/testify/require"
)

// reuseRow is a struct whose old values must not survive into a reused
// slice: a field the new dict lacks is zero, as in a new slice.
type reuseRow struct {
	A int64  `pickle:"a"`
	B *int64 `pickle:"b"`
}

func (r reuseRow) String() string {
	if r.B == nil {
		return fmt.Sprintf("{%d nil}", r.A)
	}
	return fmt.Sprintf("{%d %d}", r.A, *r.B)
}

// TestUnmarshalReusesSlice: Unmarshal into a slice with room for every item
// fills the slice's own backing array, as encoding/json does, and gives
// what a new slice gets (elements zeroed first, unlike encoding/json); a
// slice without the room gets a new array and the old one is left alone.
func TestUnmarshalReusesSlice(t *testing.T) {
	seven := int64(7)
	list, err := Marshal([]float64{1.5, -2, 1e300})
	require.NoError(t, err)
	rows, err := Marshal([]map[string]any{{"a": int64(1)}, {"a": int64(2), "b": int64(3)}})
	require.NoError(t, err)
	junkRows := func(n, c int) any {
		s := make([]reuseRow, n, c)
		for i := range s {
			s[i] = reuseRow{A: -1, B: &seven}
		}
		return &s
	}
	floats := func(n, c int) any {
		s := make([]float64, n, c)
		for i := range s {
			s[i] = 99
		}
		return &s
	}
	for _, c := range []struct {
		name   string
		data   []byte
		target any // a pointer to a slice holding old values
		reused bool
	}{
		{"numpy <f8 into []float64", loadNumpyCase(t, "f8.json", "<_1d_p4"), floats(2, 64), true},
		{"numpy >f8 into []float64", loadNumpyCase(t, "f8.json", ">_1d_p5"), floats(50, 64), true},
		{"numpy <i4 into []int32", loadNumpyCase(t, "i4.json", "<_1d_p2"), &[]int32{5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5}, true},
		{"numpy <i2 into []int16", loadNumpyCase(t, "i2.json", "<_1d_p5"), &[]int16{5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5}, true},
		{"numpy 2-d <f8 into [][]float64", loadNumpyCase(t, "f8.json", "<_2d_c_p2"), &[][]float64{{1}, {2}, {3}, {4}, {5}, {6}, {7}, {8}}, true},
		{"list into []float64", list, floats(0, 3), true},
		{"list of dicts into []struct", rows, junkRows(2, 2), true},
		{"numpy <f8 into a too small []float64", loadNumpyCase(t, "f8.json", "<_1d_p4"), floats(1, 1), false},
		{"list into a too small []float64", list, floats(2, 2), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			// The slice as it was: its header, not the variable's.
			old := reflect.ValueOf(reflect.ValueOf(c.target).Elem().Interface())
			oldCopy := reflect.ValueOf(deepCopySlice(old.Interface()))
			base := old.Pointer()

			fresh := reflect.New(old.Type())
			require.NoError(t, Unmarshal(c.data, fresh.Interface()))
			require.NoError(t, Unmarshal(c.data, c.target))
			got := reflect.ValueOf(c.target).Elem()
			// Printed, as NaN is not equal to itself.
			require.Equal(t, fmt.Sprint(fresh.Elem().Interface()), fmt.Sprint(got.Interface()), "not what a new slice gets")
			require.Equal(t, c.reused, got.Pointer() == base, "reused the backing array")
			if !c.reused {
				require.Equal(t, oldCopy.Interface(), old.Interface(), "the old backing array changed")
			}
		})
	}
}

// deepCopySlice copies a slice's top level, for comparing later.
func deepCopySlice(s any) any {
	v := reflect.ValueOf(s)
	c := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
	reflect.Copy(c, v)
	return c.Interface()
}
