package pickle

import (
	"encoding/json"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Unmarshal reads pandas' fixtures into Go slices, maps and structs; every
// expected value is what pandas said (testdata/pandas/cases.json).

// pandasKey turns a label as the fixture spells it into the Go value the
// decoder gives.
func pandasKey(t *testing.T, v any) any {
	if n, ok := v.(json.Number); ok {
		i, err := n.Int64()
		require.NoError(t, err)
		return i
	}
	return v
}

func pandasCasesOf(t *testing.T, kind string) []pandasCase {
	var out []pandasCase
	for _, c := range loadPandasCases(t) {
		if c.Expect["kind"] == kind {
			out = append(out, c)
		}
	}
	require.NotEmpty(t, out, kind)
	return out
}

func TestPandasUnmarshalFrames(t *testing.T) {
	for _, c := range pandasCasesOf(t, "DataFrame") {
		want := roundJSON(t, c.Expect).(map[string]any)
		names, cols := want["columns"].([]any), want["values"].([]any)
		if _, ok := names[0].(string); !ok {
			continue // frame_2d's int column names: TestPandasUnmarshalTyped
		}
		data := c.data(t)
		var byName map[string][]any
		require.NoError(t, Unmarshal(data, &byName), c.Name)
		var anyCols map[string]any
		require.NoError(t, Unmarshal(data, &anyCols), c.Name)
		var rows []map[string]any
		require.NoError(t, Unmarshal(data, &rows), c.Name)
		require.Len(t, byName, len(names), c.Name)
		for j, name := range names {
			col := cols[j].([]any)
			require.Equal(t, col, roundJSON(t, pandasJSONs(t, byName[name.(string)])), "%s column %s", c.Name, name)
			require.Equal(t, col, roundJSON(t, pandasJSONs(t, *anyCols[name.(string)].(*List))), "%s column %s", c.Name, name)
			require.Len(t, rows, len(col), c.Name)
			for i, want := range col {
				require.Equal(t, want, roundJSON(t, pandasJSON(t, rows[i][name.(string)])), "%s row %d column %s", c.Name, i, name)
			}
		}
	}
}

func TestPandasUnmarshalSeriesAndIndexes(t *testing.T) {
	for _, c := range pandasCasesOf(t, "Series") {
		want := roundJSON(t, c.Expect).(map[string]any)
		var vals []any
		require.NoError(t, Unmarshal(c.data(t), &vals), c.Name)
		require.Equal(t, want["values"], roundJSON(t, pandasJSONs(t, vals)), c.Name)
		var byLabel map[any]any
		require.NoError(t, Unmarshal(c.data(t), &byLabel), c.Name)
		labels := want["index"].(map[string]any)["labels"].([]any)
		require.Len(t, byLabel, len(labels), c.Name)
		for i, l := range labels {
			require.Equal(t, want["values"].([]any)[i], roundJSON(t, pandasJSON(t, byLabel[pandasKey(t, l)])), "%s label %v", c.Name, l)
		}
	}
	for _, c := range pandasCasesOf(t, "Index") {
		var labels []any
		require.NoError(t, Unmarshal(c.data(t), &labels), c.Name)
		require.Equal(t, roundJSON(t, c.Expect["labels"]), roundJSON(t, pandasJSONs(t, labels)), c.Name)
	}
}

// TestPandasUnmarshalTyped fills typed Go values: struct rows by field name
// and tag, typed columns and series, and checks each against pandas.
func TestPandasUnmarshalTyped(t *testing.T) {
	type mixedRow struct {
		ID    int64      `pickle:"id"`
		Score float64    `pickle:"score"`
		Name  any        `pickle:"name"`
		OK    bool       `pickle:"ok"`
		Grade *string    `pickle:"grade"`
		Seen  *time.Time `pickle:"seen"`
	}
	jsonOf := func(v any) any { return roundJSON(t, pandasJSON(t, v)) }
	tests := []struct {
		name  string
		into  func() any
		check func(t *testing.T, got any, want map[string]any)
	}{
		{"frame_mixed", func() any { return &[]mixedRow{} }, func(t *testing.T, got any, want map[string]any) {
			rows := *got.(*[]mixedRow)
			cols := want["values"].([]any)
			require.Len(t, rows, 3)
			for i, r := range rows {
				var grade, seen any
				if r.Grade != nil {
					grade = *r.Grade
				}
				if r.Seen != nil {
					seen = *r.Seen
				}
				for j, v := range []any{r.ID, r.Score, r.Name, r.OK, grade, seen} {
					require.Equal(t, cols[j].([]any)[i], jsonOf(v), "row %d column %d", i, j)
				}
			}
		}},
		{"frame_2d", func() any { return &map[int64][]int32{} }, func(t *testing.T, got any, want map[string]any) {
			cols := *got.(*map[int64][]int32)
			for j, name := range want["columns"].([]any) {
				col := cols[pandasKey(t, name).(int64)]
				require.Equal(t, want["values"].([]any)[j], roundJSON(t, pandasJSONs(t, anySlice(col))))
			}
		}},
		{"series_labels", func() any { return &map[string]float64{} }, func(t *testing.T, got any, want map[string]any) {
			m := *got.(*map[string]float64)
			for i, l := range want["index"].(map[string]any)["labels"].([]any) {
				require.Equal(t, want["values"].([]any)[i], jsonOf(m[l.(string)]))
			}
			require.True(t, math.IsNaN(m["c"]), "NaN stays NaN")
		}},
		{"series_range", func() any { return &[]int{} }, func(t *testing.T, got any, want map[string]any) {
			require.Equal(t, want["values"], roundJSON(t, pandasJSONs(t, anySlice(*got.(*[]int)))))
		}},
		{"index_object", func() any { return &[]string{} }, func(t *testing.T, got any, want map[string]any) {
			require.Equal(t, want["labels"], roundJSON(t, pandasJSONs(t, anySlice(*got.(*[]string)))))
		}},
		{"index_datetime", func() any { return &[]*time.Time{} }, func(t *testing.T, got any, want map[string]any) {
			ts := *got.(*[]*time.Time)
			require.Equal(t, want["labels"].([]any)[0], jsonOf(*ts[0]))
			require.Nil(t, ts[1], "NaT is nil")
		}},
		{"timestamp", func() any { return new(time.Time) }, func(t *testing.T, got any, want map[string]any) {
			ts := *got.(*time.Time)
			require.Equal(t, want["ns"], roundJSON(t, ts.UnixNano()))
			require.Equal(t, Naive, ts.Location())
		}},
		{"timedelta", func() any { return new(time.Duration) }, func(t *testing.T, got any, want map[string]any) {
			require.Equal(t, want["ns"], roundJSON(t, int64(*got.(*time.Duration))))
		}},
		{"categorical", func() any { return &[]any{} }, func(t *testing.T, got any, want map[string]any) {
			require.Equal(t, want["values"], roundJSON(t, pandasJSONs(t, *got.(*[]any))))
		}},
	}
	byName := map[string]pandasCase{}
	for _, c := range loadPandasCases(t) {
		byName[c.Name] = c
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, ok := byName[tc.name]
			require.True(t, ok)
			got := tc.into()
			require.NoError(t, Unmarshal(c.data(t), got))
			tc.check(t, got, roundJSON(t, c.Expect).(map[string]any))
		})
	}
}

func anySlice[T any](s []T) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

// A value that does not fit says where.
func TestPandasUnmarshalMismatch(t *testing.T) {
	byName := map[string]pandasCase{}
	for _, c := range loadPandasCases(t) {
		byName[c.Name] = c
	}
	var rows []struct {
		Name int `pickle:"name"`
	}
	err := Unmarshal(byName["frame_mixed"].data(t), &rows)
	var ute *UnmarshalTypeError
	require.ErrorAs(t, err, &ute)
	require.Contains(t, err.Error(), "[0].name")
	var m map[string]int
	require.Error(t, Unmarshal(byName["index_object"].data(t), &m))
}

// Plain gives a DataFrame as to_dict("list") does, a Series, Index or
// Categorical as tolist().
func TestPandasPlain(t *testing.T) {
	for _, c := range loadPandasCases(t) {
		var v any
		require.NoError(t, Unmarshal(c.data(t), &v))
		want := roundJSON(t, c.Expect).(map[string]any)
		switch c.Expect["kind"] {
		case "DataFrame":
			cols := Plain(v).(map[string]any)
			for j, name := range want["columns"].([]any) {
				key := fmt.Sprint(name)
				require.Equal(t, want["values"].([]any)[j], roundJSON(t, pandasJSONs(t, cols[key].([]any))), "%s column %s", c.Name, key)
			}
		case "Series", "Categorical":
			require.Equal(t, want["values"], roundJSON(t, pandasJSONs(t, Plain(v).([]any))), c.Name)
		case "Index":
			require.Equal(t, want["labels"], roundJSON(t, pandasJSONs(t, Plain(v).([]any))), c.Name)
		}
	}
}
