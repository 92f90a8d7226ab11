package pickle

import (
	"fmt"
	"time"
)

// This file takes into a time.Time the datetimes the decoder keeps as
// *Object because time.Time cannot say all they say: a datetime whose
// tzinfo is a zone of zoneinfo, pytz or dateutil (a *Tzinfo, written back
// as that class), and one with fold=1. Into `any` they stay as they are, so
// that Marshal writes them back exactly; into a time.Time they are the
// instant Python means, in the zone's Location.

// zonedTime returns the time.Time a datetime *Object stands for; ok is
// false when o is not such a datetime.
func zonedTime(o *Object) (t time.Time, ok bool, err error) {
	if o.Class != any(globalDatetime) || o.HasState || len(o.Args) != 1 && len(o.Args) != 2 {
		return time.Time{}, false, nil
	}
	b, ok := stateBytes(o.Args[0], 10)
	if !ok {
		return time.Time{}, false, nil
	}
	f, foldBit := datetimeFields(b)
	if !(Date{f[0], time.Month(f[1]), f[2]}).valid() || !(TimeOfDay{Hour: f[3], Minute: f[4], Second: f[5], Microsecond: f[6]}).valid() {
		return time.Time{}, false, nil
	}
	fold := foldBit == 1
	at := func(loc *time.Location) time.Time {
		return time.Date(f[0], time.Month(f[1]), f[2], f[3], f[4], f[5], f[6]*1000, loc)
	}
	// The wall clock, read as if it were UTC.
	wall := at(time.UTC)
	var tz any
	if len(o.Args) == 2 {
		tz = o.Args[1]
	}
	switch z := tz.(type) {
	case nil:
		// A naive datetime with fold=1: fold changes no naive value.
		return at(Naive), true, nil
	case *time.Location:
		if z == Naive {
			return time.Time{}, false, nil
		}
		// A fixed offset: fold changes nothing.
		return at(z), true, nil
	case *Tzinfo:
		if z.Location == nil {
			return time.Time{}, true, fmt.Errorf("its tzinfo %s names a zone Go's zone database lacks (importing time/tzdata embeds one)", z)
		}
		if off, ok := z.localizedOffset(); ok {
			return wall.Add(-time.Duration(off) * time.Second).In(z.Location), true, nil
		}
		if off, ok := z.dateutilOffset(wall.Unix(), fold); ok {
			return wall.Add(-time.Duration(off) * time.Second).In(z.Location), true, nil
		}
		gapAfter := fold || z.skipsForward()
		return wall.Add(-time.Duration(wallOffset(wall, z.Location, fold, gapAfter)) * time.Second).In(z.Location), true, nil
	}
	return time.Time{}, false, nil
}

// wallOffset returns the offset, in seconds, that a zone gives a wall-clock
// time (wall read as UTC), choosing as PEP 495 does around a transition: a
// time the clock shows twice is the earlier with fold=0 and the later with
// fold=1; a time it skips is read with the offset after the transition when
// gapAfter is set, else with the one before. Zones change offset at most
// once within two days of any time.
func wallOffset(wall time.Time, loc *time.Location, fold, gapAfter bool) int {
	offsetAt := func(t time.Time) int { _, off := t.In(loc).Zone(); return off }
	before, after := offsetAt(wall.Add(-48*time.Hour)), offsetAt(wall.Add(48*time.Hour))
	validBefore := offsetAt(wall.Add(-time.Duration(before)*time.Second)) == before
	validAfter := offsetAt(wall.Add(-time.Duration(after)*time.Second)) == after
	switch {
	case validBefore && validAfter:
		// Shown twice (or one offset throughout): fold=0 is the first
		// showing, under the offset before the transition.
		if fold {
			return after
		}
		return before
	case validBefore:
		return before
	case validAfter:
		return after
	case gapAfter: // skipped
		return after
	}
	return before
}
