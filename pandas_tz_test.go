package pickle

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestPandasTimeZones reads frame_tz, which pandas wrote with one column
// per kind of tzinfo (testdata/gen_pandas.py): each column's tz decodes to
// its Python class and the Go zone it names, and its times come out in
// that zone. (TestPandasFixtures checks the dtypes and instants against
// what pandas printed.)
func TestPandasTimeZones(t *testing.T) {
	var c pandasCase
	for _, x := range loadPandasCases(t) {
		if x.Name == "frame_tz" && x.Proto == 2 {
			c = x
		}
	}
	var v any
	require.NoError(t, Unmarshal(c.data(t), &v))
	df := v.(*DataFrame)
	tests := []struct {
		column   string
		class    string // "" for a datetime.timezone, a *time.Location
		zone     string // the Go Location's name
		julyOff  int    // the offset of the column's July time, in seconds
		tzString string
	}{
		{"utc", "pytz.UTC", "UTC", 0, "UTC"},
		{"berlin", "pytz.tzinfo", "Europe/Berlin", 7200, "Europe/Berlin"},
		{"fixed", "pytz.FixedOffset", "", -7200, "pytz.FixedOffset(-120)"},
		{"tokyo", "zoneinfo.ZoneInfo", "Asia/Tokyo", 9 * 3600, "Asia/Tokyo"},
		{"paris", "dateutil.tz.tzfile", "Europe/Paris", 7200, "tzfile('/usr/share/zoneinfo/Europe/Paris')"},
		{"dutc", "dateutil.tz.tzutc", "UTC", 0, "tzutc()"},
		{"doff", "dateutil.tz.tzoffset", "", 3600, "tzoffset(None, 3600)"},
		{"dname", "dateutil.tz.tzoffset", "BRT", -10800, "tzoffset('BRT', -10800)"},
		{"pyutc", "", "UTC", 0, "UTC"},
		{"pyoff", "", "", 19800, "UTC+05:30"},
		{"pyname", "", "BRT", -10800, "BRT"},
	}
	for _, tt := range tests {
		t.Run(tt.column, func(t *testing.T) {
			var col *DatetimeArray
			for _, c := range df.Columns {
				if c.Name == tt.column {
					col = c.Values.(*DatetimeArray)
				}
			}
			require.NotNil(t, col)
			dtype := col.Dtype.(*DatetimeTZDtype)
			require.Equal(t, "datetime64[ns, "+tt.tzString+"]", dtype.String())
			if tt.class == "" {
				require.IsType(t, (*time.Location)(nil), dtype.TZ)
			} else {
				require.Equal(t, tt.class, dtype.TZ.(*Tzinfo).Class)
			}
			require.Equal(t, tt.zone, dtype.Location().String())
			vals, err := ValuesOf(col)
			require.NoError(t, err)
			july := vals[1].(time.Time)
			require.Equal(t, time.Date(2020, 7, 1, 12, 0, 0, 0, Naive).Unix()-int64(tt.julyOff), july.Unix(), "naive 12:00 localized")
			_, off := july.Zone()
			require.Equal(t, tt.julyOff, off)
			require.Nil(t, vals[2], "NaT")
		})
	}
}

// TestPandasUnknownZone: a zone Go's database lacks keeps its name and
// its instants, given in UTC, and is written back by name.
func TestPandasUnknownZone(t *testing.T) {
	at := time.Date(2020, 1, 2, 3, 4, 5, 6, time.UTC)
	values, err := NewNDArray([]time.Time{at})
	require.NoError(t, err)
	tz := &Tzinfo{Class: "pytz.tzinfo", Key: "No/Such_Zone"}
	s := &Series{Name: "x", Index: &Index{Type: "RangeIndex", Stop: 1, Step: 1},
		Values: &DatetimeArray{Values: values, Dtype: &DatetimeTZDtype{Unit: "ns", TZ: tz}}}
	data, err := Marshal(s)
	require.NoError(t, err)
	var back any
	require.NoError(t, Unmarshal(data, &back))
	got := back.(*Series).Values.(*DatetimeArray)
	require.Equal(t, "datetime64[ns, No/Such_Zone]", DtypeName(got))
	require.Nil(t, got.Dtype.(*DatetimeTZDtype).TZ.(*Tzinfo).Location)
	vals, err := ValuesOf(got)
	require.NoError(t, err)
	require.Equal(t, []any{at}, vals)
}
