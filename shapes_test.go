package pickle

import (
	"encoding/json"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// This file tests the shapes of issue 16 against what CPython writes and
// loads: testdata/gen_shapes.py made testdata/shapes/expected.json.

type shapesFixture struct {
	Times []struct {
		Sec    int64  `json:"sec"`
		Nsec   int64  `json:"nsec"`
		ISO    string `json:"iso"`
		Pickle string `json:"pickle"`
		Error  string `json:"error"`
	} `json:"times"`
	Durations []struct {
		NS     int64  `json:"ns"`
		US     int64  `json:"us"`
		Pickle string `json:"pickle"`
	} `json:"durations"`
}

func loadShapes(t testing.TB) *shapesFixture {
	t.Helper()
	data, err := os.ReadFile("testdata/shapes/expected.json")
	require.NoError(t, err)
	var f shapesFixture
	require.NoError(t, json.Unmarshal(data, &f))
	return &f
}

// TestShapesTimeRounding writes nanosecond times and durations as CPython
// rounds them, half to even, byte for byte.
func TestShapesTimeRounding(t *testing.T) {
	f := loadShapes(t)
	require.NotEmpty(t, f.Times)
	for _, c := range f.Times {
		name := fmt.Sprintf("%d.%09d", c.Sec, c.Nsec)
		tm := time.Unix(c.Sec, c.Nsec).UTC()
		tm = time.Date(tm.Year(), tm.Month(), tm.Day(), tm.Hour(), tm.Minute(), tm.Second(), tm.Nanosecond(), Naive)
		got, err := Marshal(tm, Protocol(4))
		if c.Error != "" {
			assert.Error(t, err, name)
			continue
		}
		require.NoError(t, err, name)
		assert.Equal(t, c.Pickle, hexOf(got), "%s: CPython's datetime is %s", name, c.ISO)
		_, err = Marshal(tm, Protocol(4), ExactTime())
		if c.Nsec%1000 != 0 {
			assert.ErrorContains(t, err, "fraction of a microsecond", name)
		} else {
			assert.NoError(t, err, name)
		}
	}
	require.NotEmpty(t, f.Durations)
	for _, c := range f.Durations {
		got, err := Marshal(time.Duration(c.NS), Protocol(4))
		require.NoError(t, err, "%dns", c.NS)
		assert.Equal(t, c.Pickle, hexOf(got), "%dns: CPython's timedelta has %dus", c.NS, c.US)
		_, err = Marshal(time.Duration(c.NS), ExactTime())
		assert.Equal(t, c.NS%1000 != 0, err != nil, "%dns with ExactTime: %v", c.NS, err)
	}
}

// TestShapesLiveTimeNow writes time.Now() and checks that CPython loads the
// instant it would itself make of those nanoseconds.
func TestShapesLiveTimeNow(t *testing.T) {
	now := time.Now()
	local, err := Marshal(now)
	require.NoError(t, err)
	u := now.UTC()
	naive, err := Marshal(time.Date(u.Year(), u.Month(), u.Day(), u.Hour(), u.Minute(), u.Second(), u.Nanosecond(), Naive))
	require.NoError(t, err)
	want := livePickle(t, fmt.Sprintf("__import__('datetime').datetime(1970, 1, 1) + __import__('datetime').timedelta(seconds=%d, microseconds=%d / 1000.0)", u.Unix(), u.Nanosecond()), DefaultProtocol)
	r := crossCheck(t, "3", []map[string]any{
		{"op": "same", "a": hexOf(naive), "b": hexOf(want)},
		{"op": "loads", "data": hexOf(local)},
	})
	assert.Equal(t, true, r[0]["ok"], "%v", r[0]["why"])
	assert.Nil(t, r[1]["error"])
	assert.Contains(t, r[1]["repr"], "datetime.datetime(")
}
