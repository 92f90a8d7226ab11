package pickle

import "time"

// This file rounds Go's nanosecond times to the microseconds Python's
// datetime and timedelta hold, so that Marshal(time.Now()) works.

// roundMicrosecond rounds t to the nearest microsecond, half to even, as
// CPython's datetime.fromtimestamp rounds (_PyTime_ROUND_HALF_EVEN). The
// parity of the microsecond within the second is the parity of the count of
// microseconds since any whole second, so the rounding does not depend on
// the epoch. Round's monotonic reading is dropped, as Round drops it.
func roundMicrosecond(t time.Time) time.Time {
	rem := time.Duration(t.Nanosecond() % 1000)
	if rem == 0 {
		return t
	}
	t = t.Add(-rem).Round(0)
	if rem > 500 || rem == 500 && t.Nanosecond()/1000%2 == 1 {
		t = t.Add(time.Microsecond)
	}
	return t
}

// durationMicroseconds rounds d to whole microseconds, half to even, as
// timedelta(microseconds=x) rounds a float. In microseconds the extremes of
// time.Duration still fit an int64 after rounding.
func durationMicroseconds(d time.Duration) int64 {
	q, rem := int64(d/time.Microsecond), d%time.Microsecond
	if rem < 0 {
		q, rem = q-1, rem+time.Microsecond
	}
	if rem > 500 || rem == 500 && q%2 != 0 {
		q++
	}
	return q
}
