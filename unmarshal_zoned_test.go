package pickle

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The fixture testdata/zoned/zoned.json holds datetimes with a zoneinfo,
// pytz or dateutil zone, or with fold=1, as Debian's CPython pickled them
// (testdata/gen_zoned.py), beside the instant and offset Python gives.

type zonedCase struct {
	Name   string
	Pickle []byte
	Micros *int64
	Offset *int
	Zone   *string
	Wall   [7]int
}

type zonedFixture struct {
	Python string
	Cases  []zonedCase
}

func TestUnmarshalZonedDatetimes(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "zoned", "zoned.json"))
	require.NoError(t, err)
	checkZonedJSON(t, raw, 200)
}

// TestUnmarshalZonedDatetimesLive has python3 pickle the standard library's
// cases afresh and checks them the same way.
func TestUnmarshalZonedDatetimesLive(t *testing.T) {
	out, err := exec.Command(pythonPath(t, "3"), filepath.Join("testdata", "gen_zoned.py"), "--stdlib", "--stdout").Output()
	require.NoError(t, err)
	checkZonedJSON(t, out, 60)
}

// checkZonedJSON checks the cases of a zoned.json document, of which there
// must be more than least.
func checkZonedJSON(t *testing.T, raw []byte, least int) {
	var fx zonedFixture
	require.NoError(t, json.Unmarshal(raw, &fx))
	require.Greater(t, len(fx.Cases), least)
	checkZonedCases(t, fx.Cases)
}

// TestUnmarshalZonedSweepLive has Debian's python3 (pytz, dateutil and
// zoneinfo) pickle every wall time around every transition of eight zones
// from 1900 to 2040, fold 0 and 1, one list per zone and library, and
// requires the instants Python loads.
func TestUnmarshalZonedSweepLive(t *testing.T) {
	py := pythonPath(t, debianPython)
	out, err := exec.Command(py, filepath.Join("testdata", "gen_zoned.py"), "--sweep").Output()
	require.NoError(t, err, "%s with pytz and dateutil is needed", py)
	var fx struct {
		Sweeps []struct {
			Name   string
			Pickle []byte
			Micros []int64
		}
	}
	require.NoError(t, json.Unmarshal(out, &fx))
	require.Len(t, fx.Sweeps, 24)
	n := 0
	for _, sw := range fx.Sweeps {
		var got []time.Time
		require.NoError(t, Unmarshal(sw.Pickle, &got), sw.Name)
		require.Len(t, got, len(sw.Micros), sw.Name)
		for i, g := range got {
			require.Equal(t, sw.Micros[i], g.UnixMicro(), "%s: item %d, %s", sw.Name, i, g)
		}
		n += len(got)
	}
	require.Greater(t, n, 10000)
}

func checkZonedCases(t *testing.T, cases []zonedCase) {
	t.Helper()
	for _, c := range cases {
		var got time.Time
		require.NoError(t, Unmarshal(c.Pickle, &got), c.Name)
		if c.Micros == nil {
			// Naive: the wall clock, in Naive.
			w := c.Wall
			require.Equal(t, time.Date(w[0], time.Month(w[1]), w[2], w[3], w[4], w[5], w[6]*1000, Naive), got, c.Name)
			continue
		}
		require.Equal(t, *c.Micros, got.UnixMicro(), "%s: %s", c.Name, got)
		if c.Offset != nil {
			_, off := got.Zone()
			require.Equal(t, *c.Offset, off, "%s: %s", c.Name, got)
		}
		if c.Zone != nil {
			require.Equal(t, *c.Zone, got.Location().String(), c.Name)
		}
		// In a struct field too, and into `any` the value stays what
		// Marshal writes back as it was.
		var s struct{ T time.Time }
		wrapped, err := Marshal(map[string]any{"T": mustDecode(t, c.Pickle)}, Protocol(2))
		require.NoError(t, err, c.Name)
		require.NoError(t, Unmarshal(wrapped, &s), c.Name)
		require.True(t, got.Equal(s.T), c.Name)
	}
}

func mustDecode(t *testing.T, data []byte) any {
	t.Helper()
	var v any
	require.NoError(t, Unmarshal(data, &v))
	return v
}
