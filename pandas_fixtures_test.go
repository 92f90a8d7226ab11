package pickle

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The fixtures in testdata/pandas/cases.json were written by Debian's
// pandas (testdata/gen_pandas.py), each beside what pandas says the value
// holds. These tests decode every one with the default options and compare.

type pandasCase struct {
	Name   string
	Proto  int
	Pickle string
	Expect map[string]any
	// Pandas2 marks the pandas 2.x forms gen_pandas.py writes through its
	// Pandas2Pickler; Pandas15Loads says whether pandas 1.5 reads them.
	Pandas2       bool
	Pandas15Loads bool `json:"pandas15_loads"`
	// Repr is what repr() printed in pandas 1.5 (not for the pandas 2.x
	// forms).
	Repr *string
}

func loadPandasCases(t testing.TB) []pandasCase {
	t.Helper()
	raw, err := os.ReadFile("testdata/pandas/cases.json")
	require.NoError(t, err)
	return parsePandasCases(t, raw)
}

func parsePandasCases(t testing.TB, raw []byte) []pandasCase {
	t.Helper()
	var file struct{ Cases []pandasCase }
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber() // nanoseconds need all 64 bits
	require.NoError(t, dec.Decode(&file))
	require.GreaterOrEqual(t, len(file.Cases), 80)
	return file.Cases
}

func (c pandasCase) data(t testing.TB) []byte {
	b, err := base64.StdEncoding.DecodeString(c.Pickle)
	require.NoError(t, err)
	return b
}

// pandasJSON spells a decoded element as gen_pandas.py's value() does.
func pandasJSON(t testing.TB, v any) any {
	t.Helper()
	switch x := v.(type) {
	case nil, bool, string:
		return x
	case float64:
		return map[string]any{"float": Repr(x)}
	case float32:
		return map[string]any{"float": Repr(float64(x))}
	case time.Time:
		return pandasTimeJSON(x, map[string]any{"ns": x.UnixNano()})
	case time.Duration:
		return map[string]any{"duration_ns": int64(x)}
	case *big.Int:
		return x.String()
	case Tuple, []any: // a MultiIndex label; Plain's is a []any
		items := reflect.ValueOf(x).Convert(reflect.TypeFor[[]any]()).Interface().([]any)
		out := make([]any, len(items))
		for i, e := range items {
			out[i] = pandasJSON(t, e)
		}
		return out
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return rv.Uint()
	}
	t.Fatalf("no JSON spelling for %T %v", v, v)
	return nil
}

// pandasTimeJSON adds a time's UTC offset to its spelling m, where it is
// not 0, as gen_pandas.py's offset() does.
func pandasTimeJSON(t time.Time, m map[string]any) map[string]any {
	if _, off := t.Zone(); off != 0 {
		m["offset"] = off
	}
	return m
}

func pandasJSONs(t testing.TB, vals []any) []any {
	out := make([]any, len(vals))
	for i, v := range vals {
		out[i] = pandasJSON(t, v)
	}
	return out
}

func pandasIndexJSON(t testing.TB, ix *Index) map[string]any {
	labels, err := ix.Labels()
	require.NoError(t, err)
	names := ix.Names
	if ix.Levels == nil {
		names = []any{ix.Name}
	}
	return map[string]any{"type": ix.Type, "name": pandasJSON(t, ix.Name),
		"names": pandasJSONs(t, names), "labels": pandasJSONs(t, labels)}
}

func pandasValuesJSON(t testing.TB, values any) []any {
	vals, err := ValuesOf(values)
	require.NoError(t, err)
	return pandasJSONs(t, vals)
}

// pandasExpectOf spells a decoded value as gen_pandas.py's expect() does.
func pandasExpectOf(t testing.TB, v any) map[string]any {
	switch x := v.(type) {
	case *DataFrame:
		var names, dtypes, values []any
		for _, c := range x.Columns {
			names = append(names, pandasJSON(t, c.Name))
			dtypes = append(dtypes, DtypeName(c.Values))
			values = append(values, pandasValuesJSON(t, c.Values))
		}
		return map[string]any{"kind": "DataFrame", "columns": names, "dtypes": dtypes,
			"values": values, "index": pandasIndexJSON(t, x.Index)}
	case *Series:
		return map[string]any{"kind": "Series", "name": pandasJSON(t, x.Name), "dtype": DtypeName(x.Values),
			"values": pandasValuesJSON(t, x.Values), "index": pandasIndexJSON(t, x.Index)}
	case *Index:
		m := pandasIndexJSON(t, x)
		m["kind"] = "Index"
		return m
	case *Categorical:
		cats, err := x.Categories.Labels()
		require.NoError(t, err)
		return map[string]any{"kind": "Categorical", "values": pandasValuesJSON(t, x),
			"categories": pandasJSONs(t, cats), "ordered": x.Ordered}
	case nil:
		return map[string]any{"kind": "NaT"}
	case Timestamp:
		return pandasTimeJSON(x.Time, map[string]any{"kind": "Timestamp", "ns": x.UnixNano(), "naive": x.Location() == Naive})
	case Timedelta:
		return map[string]any{"kind": "Timedelta", "ns": int64(x.Duration)}
	}
	t.Fatalf("decoded a %T", v)
	return nil
}

// roundJSON puts v through JSON, so that Go's and Python's spellings
// compare as the same JSON.
func roundJSON(t testing.TB, v any) any {
	b, err := json.Marshal(v)
	require.NoError(t, err)
	var out any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	require.NoError(t, dec.Decode(&out))
	return out
}

// TestPandasFixtures decodes every pickle pandas wrote into the package's
// types and compares with what pandas said it holds.
func TestPandasFixtures(t *testing.T) {
	checkPandasCases(t, loadPandasCases(t))
}

func checkPandasCases(t *testing.T, cases []pandasCase) {
	kinds := map[string]int{}
	for _, c := range cases {
		var v any
		require.NoError(t, Unmarshal(c.data(t), &v), "%s at protocol %d", c.Name, c.Proto)
		got := roundJSON(t, pandasExpectOf(t, v))
		require.Equal(t, roundJSON(t, c.Expect), got, "%s at protocol %d", c.Name, c.Proto)
		kinds[c.Expect["kind"].(string)]++
	}
	for _, k := range []string{"DataFrame", "Series", "Index", "Categorical", "Timestamp", "Timedelta", "NaT"} {
		require.NotZero(t, kinds[k], "no %s fixture", k)
	}
}

// TestPandasRoundTrip writes each decoded value but NaT back at its
// protocol and decodes it again: the same value,
// as pandas' expectation spells it. (TestPandasLiveWrite has pandas load
// the same pickles.)
func TestPandasRoundTrip(t *testing.T) {
	n := 0
	for _, c := range loadPandasCases(t) {
		var v any
		require.NoError(t, Unmarshal(c.data(t), &v), c.Name)
		if v == nil {
			continue // NaT is nil, which writes None
		}
		data, err := Marshal(v, Protocol(c.Proto))
		require.NoError(t, err, c.Name)
		var back any
		require.NoError(t, Unmarshal(data, &back), c.Name)
		require.Equal(t, roundJSON(t, c.Expect), roundJSON(t, pandasExpectOf(t, back)), "%s at protocol %d", c.Name, c.Proto)
		n++
	}
	require.Equal(t, 228, n)
}
