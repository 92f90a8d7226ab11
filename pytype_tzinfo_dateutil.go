package pickle

import (
	"sort"
	"time"
)

// This file reads a dateutil tzfile's UTC offset for a wall-clock time the
// way dateutil 2.8 does (tzfile.utcoffset), from the state the zone
// pickled: its transitions in local wall time, bisected, and the
// transition before one a time falls into twice taken unless the fold is
// set. dateutil's rule differs from PEP 495's, which zoneinfo follows,
// after transitions into negative summer time (Europe/Dublin), in London's
// double summer time, and before 1901, where dateutil rounds offsets to
// whole minutes: only its own state gives its answers.

// dateutilOffset returns the UTC offset, in seconds, that the tzfile tz
// gives the wall time wallSecs (the wall clock read as UTC, in whole
// seconds: dateutil compares a float timestamp with integer transitions,
// which its floor decides alike) with fold; ok is false when tz is not a
// tzfile whose state is what dateutil pickles.
func (tz *Tzinfo) dateutilOffset(wallSecs int64, fold bool) (offset int64, ok bool) {
	if tz.Class != "dateutil.tz.tzfile" || tz.read == nil || !tz.read.HasState {
		return 0, false
	}
	trans, ok1 := int64Items(dictValue(tz.read.State, "_trans_list"))
	infos, ok2 := sequenceItems(dictValue(tz.read.State, "_trans_idx"))
	std := dictValue(tz.read.State, "_ttinfo_std")
	before := dictValue(tz.read.State, "_ttinfo_before")
	if !ok1 || !ok2 || len(infos) != len(trans) {
		return 0, false
	}
	if std == nil {
		return 0, true // no zone information: dateutil's ZERO
	}
	// ttinfo is tzfile._get_ttinfo: the standard time after the last
	// transition (or with none at all), the one before the first, else
	// the transition's.
	ttinfo := func(i int) any {
		switch {
		case i+1 >= len(trans):
			return std
		case i < 0:
			return before
		}
		return infos[i]
	}
	i := sort.Search(len(trans), func(k int) bool { return trans[k] > wallSecs }) - 1
	if i > 0 && !fold {
		// is_ambiguous: the time is within the overlap after transition
		// i, so fold=0 reads it with the offset before.
		prev, okp := ttinfoSeconds(ttinfo(i-1), "offset")
		cur, okc := ttinfoSeconds(ttinfo(i), "offset")
		if !okp || !okc {
			return 0, false
		}
		if wallSecs < trans[i]+prev-cur {
			i--
		}
	}
	return ttinfoSeconds(ttinfo(i), "delta")
}

// dictValue returns the value of key in a dict state, or nil.
func dictValue(state any, key string) any {
	v, _ := dictLookup(state, key)
	return v
}

// int64Items returns a tuple or list of ints.
func int64Items(v any) ([]int64, bool) {
	items, ok := sequenceItems(v)
	if !ok {
		return nil, false
	}
	out := make([]int64, len(items))
	for i, x := range items {
		if out[i], ok = x.(int64); !ok {
			return nil, false
		}
	}
	return out, true
}

// ttinfoSeconds reads a _ttinfo's offset (int seconds) or delta (a
// timedelta) as seconds.
func ttinfoSeconds(info any, field string) (int64, bool) {
	o, ok := info.(*Object)
	if !ok {
		return 0, false
	}
	switch v := dictValue(o.State, field).(type) {
	case int64:
		return v, true
	case time.Duration:
		return int64(v / time.Second), v%time.Second == 0
	}
	return 0, false
}
