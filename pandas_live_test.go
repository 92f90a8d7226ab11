package pickle

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"os/exec"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestPandasLive has Debian's pandas (debianPython) pickle every fixture
// value now, at protocols 2 to 5, and decodes each as TestPandasFixtures
// does the committed ones. It fails, not skips, without pandas.
func TestPandasLive(t *testing.T) {
	out, err := exec.Command(debianPython, "testdata/gen_pandas.py", "--stdout").Output()
	var stderr []byte
	if ee, ok := err.(*exec.ExitError); ok {
		stderr = ee.Stderr
	}
	require.NoError(t, err, "%s with pandas is needed: %s", debianPython, stderr)
	checkPandasCases(t, parsePandasCases(t, out))
}

// TestPandasLiveWrite has pandas load what Go writes: every fixture value
// but NaT decoded and written back at its protocol must equal what pandas
// pickled (names and dtypes too), and
// DataFrames built in Go must equal the ones pandas builds from the same
// values.
func TestPandasLiveWrite(t *testing.T) {
	var cases []map[string]string
	for _, c := range loadPandasCases(t) {
		if c.Expect["kind"] == "NaT" || c.Pandas2 && !c.Pandas15Loads {
			continue // nil, which writes None; a form only pandas 2 reads
		}
		var v any
		require.NoError(t, Unmarshal(c.data(t), &v), c.Name)
		data, err := Marshal(v, Protocol(c.Proto))
		require.NoError(t, err, "%s at protocol %d", c.Name, c.Proto)
		cases = append(cases, map[string]string{"name": fmt.Sprintf("%s/%d", c.Name, c.Proto),
			"pickle": base64.StdEncoding.EncodeToString(data), "want": c.Pickle})
	}
	require.Len(t, cases, 196) // 49 values at 4 protocols, pandas 2.x forms 1.5 reads among them

	mustColumn := func(name any, values any) Column {
		c, err := NewColumn(name, values)
		require.NoError(t, err)
		return c
	}
	t0 := time.Date(2024, 2, 29, 12, 0, 0, 5, time.UTC)
	built := []struct {
		name string
		df   *DataFrame
		want string
	}{
		{"built_mixed", &DataFrame{Columns: []Column{
			mustColumn("id", []int64{1, 2}),
			mustColumn("score", []float64{0.5, math.NaN()}),
			mustColumn("name", []string{"a", "b"}),
			mustColumn("note", []any{"x", nil}),
			mustColumn("ok", []bool{true, false}),
			mustColumn("at", []time.Time{t0, t0.Add(time.Hour)}),
		}}, `pd.DataFrame({'id': [1, 2], 'score': [0.5, nan], 'name': ['a', 'b'], 'note': ['x', None],
			'ok': [True, False], 'at': pd.to_datetime(['2024-02-29 12:00:00.000000005', '2024-02-29 13:00:00.000000005'])})`},
		{"built_index", &DataFrame{
			Columns: []Column{mustColumn("v", []float32{1, 2, 3})},
			Index:   &Index{Type: "Index", Name: "key", Values: objectArray([]any{"p", "q", "r"})},
		}, `pd.DataFrame({'v': np.array([1, 2, 3], dtype=np.float32)}, index=pd.Index(['p', 'q', 'r'], name='key'))`},
		{"built_empty", &DataFrame{}, `pd.DataFrame()`},
		{"built_int_labels", &DataFrame{Columns: []Column{
			mustColumn(int64(10), []int64{1, 2}),
			mustColumn(int64(-3), []float64{0.5, 1.5}),
		}}, `pd.DataFrame({10: [1, 2], -3: [0.5, 1.5]})`},
		{"built_tz", &DataFrame{Columns: []Column{
			{Name: "berlin", Values: tzColumn(t, zoneInfoOf("Europe/Berlin"), t0)},
			{Name: "fixed", Values: tzColumn(t, time.FixedZone("", 5*3600+1800), t0)},
			{Name: "pytz", Values: tzColumn(t, &Tzinfo{Class: "pytz.tzinfo", Key: "America/New_York"}, t0)},
		}}, `pd.DataFrame({'berlin': pd.to_datetime(['2024-02-29 12:00:00.000000005']).tz_localize('UTC').tz_convert(zoneinfo.ZoneInfo('Europe/Berlin')),
			'fixed': pd.to_datetime(['2024-02-29 12:00:00.000000005']).tz_localize('UTC').tz_convert(datetime.timezone(datetime.timedelta(hours=5, minutes=30))),
			'pytz': pd.to_datetime(['2024-02-29 12:00:00.000000005']).tz_localize('UTC').tz_convert('America/New_York')})`},
	}
	for _, b := range built {
		for proto := 2; proto <= 5; proto++ {
			data, err := Marshal(b.df, Protocol(proto))
			require.NoError(t, err, b.name)
			cases = append(cases, map[string]string{"name": fmt.Sprintf("%s/%d", b.name, proto),
				"pickle": base64.StdEncoding.EncodeToString(data), "want_expr": b.want})
		}
	}

	in, err := json.Marshal(cases)
	require.NoError(t, err)
	cmd := exec.Command(debianPython, "testdata/pandas_load.py")
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "%s with pandas is needed: %s", debianPython, stderr.String())
	var verdicts map[string]string
	require.NoError(t, json.Unmarshal(out, &verdicts))
	require.Len(t, verdicts, len(cases))
	for _, c := range cases {
		require.Equal(t, "ok", verdicts[c["name"]], c["name"])
	}
}

// tzColumn is a time zone aware column of times, in the zone tz.
func tzColumn(t *testing.T, tz any, times ...time.Time) *DatetimeArray {
	a, err := NewNDArray(times)
	require.NoError(t, err)
	return &DatetimeArray{Values: a, Dtype: &DatetimeTZDtype{Unit: "ns", TZ: tz}}
}
