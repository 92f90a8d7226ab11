package pickle

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
	"time"
)

// This file is the type table's rows for the time zones of pytz, zoneinfo
// and dateutil: the tzinfo objects pandas keeps with tz-aware times
// (datetime.timezone is pytype_datetime.go's, a *time.Location). Each
// global here rebuilds a zone by name or offset and runs nothing else:
// pytz and zoneinfo look the name up in their zone databases (both refuse
// names that are not zones), dateutil's tzfile takes its transitions from
// the pickle. So the default allowlist admits them.

// Tzinfo is a time zone of pytz, zoneinfo or dateutil. It keeps the call
// it was read from, so that Marshal writes it back as it was, and gives
// the Go zone it stands for.
type Tzinfo struct {
	// Class is the Python class: "pytz.UTC", "pytz.FixedOffset",
	// "pytz.tzinfo" (a zone of pytz's database), "zoneinfo.ZoneInfo",
	// "dateutil.tz.tzutc", "dateutil.tz.tzoffset" or "dateutil.tz.tzfile".
	Class string
	// Key is the zone's IANA name ("Europe/Berlin"); a tzfile's path.
	Key string
	// Offset is a fixed zone's offset east of UTC, in seconds.
	Offset int
	// Name is a dateutil tzoffset's name: a string or nil.
	Name any
	// Location is the Go zone: time.UTC, a time.FixedZone, or
	// time.LoadLocation of the IANA name (a tzfile's path after
	// "zoneinfo/"). It is nil when Go's zone database lacks the name (Go
	// reads the system's; a program may embed one by importing
	// time/tzdata): the times are then given in UTC, the same instants.
	Location *time.Location

	// read is the call the zone was decoded from, written back as read.
	read *Object
}

var (
	globalPytzUTC       = Global{"pytz", "_UTC"}
	globalPytzZone      = Global{"pytz", "_p"}
	globalPytzFixed     = Global{"pytz", "FixedOffset"}
	globalZoneInfo      = Global{"zoneinfo", "ZoneInfo._unpickle"}
	globalZoneInfoClass = Global{"zoneinfo", "ZoneInfo"}
	globalDateutilUTC   = Global{"dateutil.tz.tz", "tzutc"}
	globalDateutilFixed = Global{"dateutil.tz.tz", "tzoffset"}
	globalDateutilFile  = Global{"dateutil.tz.tz", "tzfile"}
	// globalTzinfoBase is the abstract base class, which protocols 0 and
	// 1 name for dateutil's zones: copyreg._reconstructor(tzutc,
	// datetime.tzinfo, datetime.tzinfo()).
	globalTzinfoBase = Global{"datetime", "tzinfo"}
)

func init() {
	registerType(&pyType{
		name: "tzinfo",
		ctors: []ctor{
			{global: globalZoneInfo, call: callZoneInfo},
			// ZoneInfo(key) is the same zone; protocols 2 and 3 name the
			// class for getattr(ZoneInfo, "_unpickle").
			{global: globalZoneInfoClass, call: callZoneInfo},
			{global: globalPytzUTC, call: callPytzUTC},
			{global: globalPytzZone, call: callPytzZone},
			{global: globalPytzFixed, call: callPytzFixed},
			{global: globalDateutilUTC, call: callDateutilUTC},
			{global: globalDateutilFixed, build: buildDateutilFixed},
			{global: globalDateutilFile, call: callDateutilFile},
			// tzinfo() itself stays symbolic: it is only ever the base
			// state of the _reconstructor call above (bareInstanceClass).
			{global: globalTzinfoBase},
		},
		allowed: true,
		goTypes: []reflect.Type{reflect.TypeFor[*Tzinfo]()},
		byValue: true,
		reduce: func(v any, _ int, _ bool) (*Object, any, error) {
			return v.(*Tzinfo).reduceAt()
		},
		hashKey: unhashable("tzinfo"),
	})
	// A tzfile's state holds its transitions' _ttinfo records: plain
	// attributes (offset, abbreviation, dst), kept symbolic and written
	// back as read.
	registerType(&pyType{
		name:    "dateutil.tz._ttinfo",
		ctors:   []ctor{{global: Global{"dateutil.tz.tz", "_ttinfo"}}},
		allowed: true,
	})
}

// loadedZones caches time.LoadLocation's zones by name: a column's
// timestamps name theirs once each, but a pickle may hold many.
var loadedZones sync.Map

// loadZone returns the Go zone of an IANA name, or nil when Go has none.
func loadZone(name string) *time.Location {
	if loc, ok := loadedZones.Load(name); ok {
		return loc.(*time.Location)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil
	}
	loadedZones.Store(name, loc)
	return loc
}

// callZoneInfo evaluates ZoneInfo._unpickle(key, from_cache) and
// ZoneInfo(key).
func callZoneInfo(args Tuple, kind CallKind) (any, bool, error) {
	key, ok := args0String(args, kind, 2)
	if !ok {
		return nil, false, nil
	}
	return zoneInfoOf(key), true, nil
}

// zoneInfoOf is zoneinfo.ZoneInfo(key), which Marshal writes as CPython
// pickles it.
func zoneInfoOf(key string) *Tzinfo {
	return &Tzinfo{Class: "zoneinfo.ZoneInfo", Key: key, Location: loadZone(key)}
}

// callPytzUTC evaluates pytz._UTC(): pytz.utc.
func callPytzUTC(args Tuple, kind CallKind) (any, bool, error) {
	if kind != CallReduce || len(args) != 0 {
		return nil, false, nil
	}
	return &Tzinfo{Class: "pytz.UTC", Key: "UTC", Location: time.UTC}, true, nil
}

// callPytzZone evaluates pytz._p(zone[, utcoffset, dstoffset, tzname]):
// the zone of pytz's database, at the offsets a localized time had.
func callPytzZone(args Tuple, kind CallKind) (any, bool, error) {
	key, ok := args0String(args, kind, 4)
	if !ok {
		return nil, false, nil
	}
	return &Tzinfo{Class: "pytz.tzinfo", Key: key, Location: loadZone(key), read: &Object{Class: globalPytzZone, Args: args}}, true, nil
}

// callPytzFixed evaluates pytz.FixedOffset(minutes), which is pytz.utc for
// 0 minutes.
func callPytzFixed(args Tuple, kind CallKind) (any, bool, error) {
	if kind != CallReduce || len(args) != 1 {
		return nil, false, nil
	}
	min, ok := args[0].(int64)
	if !ok || min <= -24*60 || min >= 24*60 {
		return nil, false, nil
	}
	if min == 0 {
		return &Tzinfo{Class: "pytz.UTC", Key: "UTC", Location: time.UTC, read: &Object{Class: globalPytzFixed, Args: args}}, true, nil
	}
	return &Tzinfo{Class: "pytz.FixedOffset", Offset: int(min) * 60, Location: time.FixedZone("", int(min)*60)}, true, nil
}

// callDateutilUTC evaluates tzutc(), which dateutil pickles as NEWOBJ.
func callDateutilUTC(args Tuple, kind CallKind) (any, bool, error) {
	if len(args) != 0 {
		return nil, false, nil
	}
	return &Tzinfo{Class: "dateutil.tz.tzutc", Location: time.UTC}, true, nil
}

// buildDateutilFixed applies a tzoffset's state, {"_name": name,
// "_offset": timedelta}.
func buildDateutilFixed(state any) (any, bool, error) {
	name, ok1 := dictLookup(state, "_name")
	off, ok2 := dictLookup(state, "_offset")
	d, ok3 := off.(time.Duration)
	_, isStr := name.(string)
	if !ok1 || !ok2 || !ok3 || name != nil && !isStr || d%time.Second != 0 || d <= -24*time.Hour || d >= 24*time.Hour {
		return nil, false, nil
	}
	zone, _ := name.(string)
	secs := int(d / time.Second)
	return &Tzinfo{Class: "dateutil.tz.tzoffset", Offset: secs, Name: name, Location: time.FixedZone(zone, secs)}, true, nil
}

// callDateutilFile evaluates tzfile(None, filename), which BUILD fills with
// the zone's transitions (buildState).
func callDateutilFile(args Tuple, kind CallKind) (any, bool, error) {
	if kind != CallReduce || len(args) != 2 || args[0] != nil {
		return nil, false, nil
	}
	path, ok := args[1].(string)
	if !ok {
		return nil, false, nil
	}
	tz := &Tzinfo{Class: "dateutil.tz.tzfile", Key: path, read: &Object{Class: globalDateutilFile, Args: args}}
	if _, name, found := strings.Cut(path, "zoneinfo/"); found {
		tz.Location = loadZone(name)
	}
	return tz, true, nil
}

// buildState keeps a tzfile's state (its transitions, as dateutil read
// them) to write back.
func (tz *Tzinfo) buildState(state any) error {
	if tz.read == nil || tz.read.Class != any(globalDateutilFile) || tz.read.HasState {
		return malformed("%s is not built by a state", tz)
	}
	tz.read.State, tz.read.HasState = state, true
	return nil
}

// args0String returns args[0] of a call of up to n arguments, the first a
// string.
func args0String(args Tuple, kind CallKind, n int) (string, bool) {
	if kind != CallReduce || len(args) == 0 || len(args) > n {
		return "", false
	}
	s, ok := args[0].(string)
	return s, ok && s != ""
}

// String is str(tz) in Python, as pandas prints it in a dtype.
func (tz *Tzinfo) String() string {
	switch tz.Class {
	case "pytz.UTC":
		return "UTC"
	case "pytz.FixedOffset":
		return fmt.Sprintf("pytz.FixedOffset(%d)", tz.Offset/60)
	case "dateutil.tz.tzutc":
		return "tzutc()"
	case "dateutil.tz.tzoffset":
		return fmt.Sprintf("tzoffset(%s, %d)", Repr(tz.Name), tz.Offset)
	case "dateutil.tz.tzfile":
		return "tzfile(" + Repr(tz.Key) + ")"
	}
	return tz.Key
}

// reduceAt writes the zone as it was read, or as its module pickles it.
func (tz *Tzinfo) reduceAt() (*Object, any, error) {
	if tz.read != nil {
		return tz.read, tz, nil
	}
	var o *Object
	switch tz.Class {
	case "zoneinfo.ZoneInfo":
		o = &Object{Class: globalZoneInfo, Args: Tuple{tz.Key, int64(1)}}
	case "pytz.tzinfo":
		o = &Object{Class: globalPytzZone, Args: Tuple{tz.Key}}
	case "pytz.UTC":
		o = &Object{Class: globalPytzUTC, Args: Tuple{}}
	case "pytz.FixedOffset":
		o = &Object{Class: globalPytzFixed, Args: Tuple{int64(tz.Offset / 60)}}
	case "dateutil.tz.tzutc":
		o = &Object{Class: globalDateutilUTC, Kind: CallNewObj, Args: Tuple{}}
	case "dateutil.tz.tzoffset":
		state, err := dictFromItems([]DictItem{{Key: "_name", Value: tz.Name}, {Key: "_offset", Value: time.Duration(tz.Offset) * time.Second}})
		if err != nil {
			return nil, nil, err
		}
		o = &Object{Class: globalDateutilFixed, Kind: CallNewObj, Args: Tuple{}, State: state, HasState: true}
	default:
		return nil, nil, fmt.Errorf("pickle: time zone %s of class %q is not one this package writes: %w", tz, tz.Class, ErrUnsupported)
	}
	return o, tz, nil
}

// pyTimezoneName is str() of the datetime.timezone a *time.Location
// stands for: its name, or "UTC" and the offset.
func pyTimezoneName(loc *time.Location) string {
	name, off, fixed := fixedZone(loc)
	if !fixed {
		return loc.String()
	}
	if name != "" || off == 0 {
		return name
	}
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	s := fmt.Sprintf("UTC%c%02d:%02d", sign, off/3600, off/60%60)
	if off%60 != 0 {
		s += fmt.Sprintf(":%02d", off%60)
	}
	return s
}

// localizedOffset returns the UTC offset, in seconds, that a localized pytz
// zone carries, pytz._p(zone, utcoffset, dstoffset, tzname): pytz keeps the
// offset a time was localized with rather than the zone's rule.
func (tz *Tzinfo) localizedOffset() (int64, bool) {
	if tz.Class != "pytz.tzinfo" || tz.read == nil || len(tz.read.Args) != 4 {
		return 0, false
	}
	off, ok := tz.read.Args[1].(int64)
	return off, ok && off > -86400 && off < 86400
}

// skipsForward reports whether the zone reads a wall time its clock skips
// with the offset after the transition whatever the time's fold, as
// dateutil's tzfile does (dateutil 2.8); zoneinfo follows PEP 495 (fold=0:
// the offset before).
func (tz *Tzinfo) skipsForward() bool { return tz.Class == "dateutil.tz.tzfile" }
