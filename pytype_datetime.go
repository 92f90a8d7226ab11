package pickle

import (
	"fmt"
	"math"
	"math/big"
	"reflect"
	"time"
)

// This file is the datetime family: datetime.date, time, datetime,
// timedelta and timezone as Date, TimeOfDay, time.Time, time.Duration and
// *time.Location. Decoding evaluates the calls CPython's pickles make;
// anything without an exact Go value (a datetime with fold=1, a tzinfo that
// is not a datetime.timezone, a timedelta beyond time.Duration) stays a
// symbolic *Object, so nothing is lost. Encoding reduces as CPython 3.11's C
// pickler does; dict keys follow Python's equality; repr is Python's.

// Naive is the Location of a time.Time that stands for a naive
// datetime.datetime, one without tzinfo: the decoder gives naive datetimes
// this Location, and the encoder writes a time.Time in it without tzinfo.
// Test for it by identity, t.Location() == pickle.Naive. It behaves as UTC
// and its zone is named "naive". (time.UTC stands for
// datetime.timezone.utc, an aware datetime.)
var Naive = time.FixedZone("naive", 0)

// Date is a datetime.date.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// String returns the date as Python's str() does: "2024-01-02".
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// TimeOfDay is a datetime.time: a time of day without a date, naive or with a
// fixed zone.
type TimeOfDay struct {
	Hour, Minute, Second, Microsecond int
	// Location is the tzinfo: nil for a naive time, time.UTC for
	// datetime.timezone.utc, a fixed zone (time.FixedZone) for any other
	// datetime.timezone.
	Location *time.Location
	// Fold is 0 or 1, Python's fold attribute (PEP 495). CPython pickles
	// it from protocol 4 on and drops it below; the encoder writes it at
	// every protocol, so that it is never lost (Python 3.6 and later read
	// it at any protocol).
	Fold int
}

// String returns the time as Python's str() does: "03:04:05.000006",
// "12:00:00+01:00".
func (t TimeOfDay) String() string {
	s := fmt.Sprintf("%02d:%02d:%02d", t.Hour, t.Minute, t.Second)
	if t.Microsecond != 0 {
		s += fmt.Sprintf(".%06d", t.Microsecond)
	}
	if t.Location != nil && t.Location != Naive {
		if _, off, fixed := fixedZone(t.Location); fixed {
			sign := '+'
			if off < 0 {
				sign, off = '-', -off
			}
			s += fmt.Sprintf("%c%02d:%02d", sign, off/3600, off/60%60)
			if off%60 != 0 {
				s += fmt.Sprintf(":%02d", off%60)
			}
		}
	}
	return s
}

// The globals of the datetime types.
var (
	globalDate      = Global{"datetime", "date"}
	globalTime      = Global{"datetime", "time"}
	globalDatetime  = Global{"datetime", "datetime"}
	globalTimedelta = Global{"datetime", "timedelta"}
	globalTimezone  = Global{"datetime", "timezone"}
)

func init() {
	registerType(&pyType{
		name:       "datetime.datetime",
		ctors:      []ctor{{global: globalDatetime, call: callDatetime}},
		allowed:    true,
		goTypes:    []reflect.Type{reflect.TypeFor[time.Time]()},
		reduce:     reduceDatetimeValue,
		hashKey:    datetimeKey,
		repr:       appendDatetimeRepr,
		objectRepr: appendDatetimeObjectRepr,
	})
	registerType(&pyType{
		name:    "datetime.date",
		ctors:   []ctor{{global: globalDate, call: callDate}},
		allowed: true,
		goTypes: []reflect.Type{reflect.TypeFor[Date]()},
		reduce:  reduceDateValue,
		plain:   func(v any) any { return v.(Date).String() },
		hashKey: dateKey,
		repr:    appendDateRepr,
	})
	registerType(&pyType{
		name:       "datetime.time",
		ctors:      []ctor{{global: globalTime, call: callTime}},
		allowed:    true,
		goTypes:    []reflect.Type{reflect.TypeFor[TimeOfDay]()},
		reduce:     reduceTimeValue,
		plain:      func(v any) any { return v.(TimeOfDay).String() },
		hashKey:    timeOfDayKey,
		repr:       appendTimeOfDayRepr,
		objectRepr: appendTimeObjectRepr,
	})
	registerType(&pyType{
		name:       "datetime.timedelta",
		ctors:      []ctor{{global: globalTimedelta, call: callTimedelta}},
		allowed:    true,
		goTypes:    []reflect.Type{reflect.TypeFor[time.Duration]()},
		direct:     true, // an int64 kind: the direct decoder fills it from ints
		reduce:     reduceTimedeltaValue,
		hashKey:    timedeltaKey,
		repr:       appendDurationRepr,
		objectRepr: appendTimedeltaObjectRepr,
	})
	registerType(&pyType{
		name:    "datetime.timezone",
		ctors:   []ctor{{global: globalTimezone, call: callTimezone}},
		allowed: true,
		goTypes: []reflect.Type{reflect.TypeFor[*time.Location]()},
		direct:  true,
		reduce:  reduceTimezoneValue,
		hashKey: timezoneKey,
		repr:    appendLocationRepr,
	})
}

// The reduces return the value's memo identity with the call: the value
// itself, or for a time.Time its instant and Location (timeMemoKey), so that
// a datetime shared in a pickle is written once and then fetched from the
// memo, as CPython writes it (equal values written separately by CPython
// become shared: invisible to Python code that does not test identity).
func reduceDatetimeValue(v any, proto int, exactTime bool) (*Object, any, error) {
	x := v.(time.Time)
	if !exactTime {
		x = roundMicrosecond(x)
	}
	o, err := reduceDatetime(x)
	return o, timeMemoKey{x.Unix(), x.Nanosecond(), x.Location()}, err
}

func reduceDateValue(v any, proto int, exactTime bool) (*Object, any, error) {
	o, err := reduceDate(v.(Date))
	return o, v, err
}

func reduceTimeValue(v any, proto int, exactTime bool) (*Object, any, error) {
	o, err := reduceTime(v.(TimeOfDay))
	return o, v, err
}

func reduceTimedeltaValue(v any, proto int, exactTime bool) (*Object, any, error) {
	o, err := reduceTimedelta(v.(time.Duration), exactTime)
	return o, v, err
}

func reduceTimezoneValue(v any, proto int, exactTime bool) (*Object, any, error) {
	o, err := reduceTimezone(v.(*time.Location))
	return o, v, err
}

// Dict keys: aware datetimes are equal when they are the same instant, in
// any zone; naive ones when their fields are; a naive one never equals an
// aware one. Likewise for times of day (an aware one compares its time
// minus its offset). Dates and timedeltas equal their own kind only;
// timezones are equal when their offsets are.

func datetimeKey(v any) (any, bool, error) {
	x := v.(time.Time)
	if x.Location() == Naive {
		return stdKey(fmt.Sprintf("n%d.%d", x.Unix(), x.Nanosecond())), true, nil
	}
	return stdKey(fmt.Sprintf("a%d.%d", x.Unix(), x.Nanosecond())), true, nil
}

func dateKey(v any) (any, bool, error) {
	x := v.(Date)
	return stdKey(fmt.Sprintf("D%d-%d-%d", x.Year, int(x.Month), x.Day)), true, nil
}

func timeOfDayKey(v any) (any, bool, error) {
	x := v.(TimeOfDay)
	us := ((int64(x.Hour)*60+int64(x.Minute))*60+int64(x.Second))*1e6 + int64(x.Microsecond)
	if x.Location != nil && x.Location != Naive {
		// A time whose zone has no fixed offset has utcoffset() None
		// in Python and compares as naive.
		if _, off, fixed := fixedZone(x.Location); fixed {
			return stdKey(fmt.Sprintf("T%d", us-int64(off)*1e6)), true, nil
		}
	}
	return stdKey(fmt.Sprintf("t%d", us)), true, nil
}

func timedeltaKey(v any) (any, bool, error) {
	return stdKey(fmt.Sprintf("d%d", int64(v.(time.Duration)))), true, nil
}

func timezoneKey(v any) (any, bool, error) {
	x := v.(*time.Location)
	if x == nil || x == Naive {
		return nil, false, nil
	}
	if _, off, fixed := fixedZone(x); fixed {
		return stdKey(fmt.Sprintf("z%d", off)), true, nil
	}
	return nil, false, nil // identity
}

// Reprs, as Python's: "datetime.datetime(2024, 1, 2, 3, 4, 5, 6)".

func appendDatetimeRepr(p *reprPrinter, dst []byte, v any, depth int) ([]byte, bool) {
	x := v.(time.Time)
	y, mo, d := x.Date()
	h, mi, s := x.Clock()
	dst = fmt.Appendf(dst, "datetime.datetime(%d, %d, %d, ", y, int(mo), d)
	dst = appendClockRepr(dst, h, mi, s, x.Nanosecond()/1000)
	if loc := x.Location(); loc != Naive {
		name, off, fixed := fixedZone(loc)
		if !fixed {
			// Written as the zone in effect at x: see tzinfoOf.
			name, off = x.Zone()
		}
		dst = appendTimezoneRepr(append(dst, ", tzinfo="...), name, off, loc == time.UTC)
	}
	return append(dst, ')'), true
}

func appendDateRepr(p *reprPrinter, dst []byte, v any, depth int) ([]byte, bool) {
	x := v.(Date)
	return fmt.Appendf(dst, "datetime.date(%d, %d, %d)", x.Year, int(x.Month), x.Day), true
}

func appendTimeOfDayRepr(p *reprPrinter, dst []byte, v any, depth int) ([]byte, bool) {
	x := v.(TimeOfDay)
	dst = append(dst, "datetime.time("...)
	dst = appendClockRepr(dst, x.Hour, x.Minute, x.Second, x.Microsecond)
	if loc := x.Location; loc != nil && loc != Naive {
		dst = append(dst, ", tzinfo="...)
		if name, off, fixed := fixedZone(loc); fixed {
			dst = appendTimezoneRepr(dst, name, off, loc == time.UTC)
		} else {
			dst = fmt.Appendf(dst, "<Go *time.Location %s>", loc)
		}
	}
	if x.Fold != 0 {
		dst = fmt.Appendf(dst, ", fold=%d", x.Fold)
	}
	return append(dst, ')'), true
}

func appendDurationRepr(p *reprPrinter, dst []byte, v any, depth int) ([]byte, bool) {
	x := v.(time.Duration)
	if x%time.Microsecond != 0 {
		return dst, false
	}
	return appendTimedeltaRepr(dst, int64(x/time.Microsecond)), true
}

func appendLocationRepr(p *reprPrinter, dst []byte, v any, depth int) ([]byte, bool) {
	x := v.(*time.Location)
	if x == time.UTC {
		return appendTimezoneRepr(dst, "", 0, true), true
	}
	if x == nil || x == Naive {
		return dst, false
	}
	if name, off, ok := fixedZone(x); ok {
		return appendTimezoneRepr(dst, name, off, false), true
	}
	return dst, false
}

// The reprs of the datetime values that stay symbolic (a datetime with
// fold=1 or a tzinfo Go has no zone for, a timedelta beyond time.Duration),
// as Python shows them rather than by the call that builds them.

func appendDatetimeObjectRepr(p *reprPrinter, dst []byte, o *Object, depth int) ([]byte, bool) {
	if o.Class != any(globalDatetime) || o.HasState || len(o.Args) != 1 && len(o.Args) != 2 {
		return dst, false
	}
	b, ok := stateBytes(o.Args[0], 10)
	if !ok {
		return dst, false
	}
	f, fold := datetimeFields(b)
	dst = fmt.Appendf(dst, "datetime.datetime(%d, %d, %d, ", f[0], f[1], f[2])
	dst = appendClockRepr(dst, f[3], f[4], f[5], f[6])
	return appendTzFoldRepr(p, dst, o.Args[1:], fold, depth), true
}

// datetimeFields unpacks datetime's 10-byte state: year, month, day, hour,
// minute, second, microsecond, and the fold bit (the month's high bit,
// which protocols 4 and 5 carry).
func datetimeFields(b []byte) (f [7]int, fold byte) {
	return [7]int{int(b[0])<<8 | int(b[1]), int(b[2] & 0x7f), int(b[3]), int(b[4]), int(b[5]), int(b[6]),
		int(b[7])<<16 | int(b[8])<<8 | int(b[9])}, b[2] >> 7
}

func appendTimeObjectRepr(p *reprPrinter, dst []byte, o *Object, depth int) ([]byte, bool) {
	if o.Class != any(globalTime) || o.HasState || len(o.Args) != 1 && len(o.Args) != 2 {
		return dst, false
	}
	b, ok := stateBytes(o.Args[0], 6)
	if !ok {
		return dst, false
	}
	dst = append(dst, "datetime.time("...)
	dst = appendClockRepr(dst, int(b[0]&0x7f), int(b[1]), int(b[2]), int(b[3])<<16|int(b[4])<<8|int(b[5]))
	return appendTzFoldRepr(p, dst, o.Args[1:], b[0]>>7, depth), true
}

func appendTimedeltaObjectRepr(p *reprPrinter, dst []byte, o *Object, depth int) ([]byte, bool) {
	if o.Class != any(globalTimedelta) || o.HasState || len(o.Args) != 3 {
		return dst, false
	}
	total := new(big.Int)
	for i, a := range o.Args {
		n, ok := intValue(a)
		if !ok {
			return dst, false
		}
		total.Add(total, new(big.Int).Mul(n, big.NewInt(timedeltaUnits[i])))
	}
	days, rem := new(big.Int).DivMod(total, big.NewInt(86400e6), new(big.Int))
	secs, us := new(big.Int).DivMod(rem, big.NewInt(1e6), new(big.Int))
	dst = append(dst, "datetime.timedelta("...)
	sep := ""
	for _, f := range []struct {
		name string
		n    *big.Int
	}{{"days", days}, {"seconds", secs}, {"microseconds", us}} {
		if f.n.Sign() != 0 {
			dst = append(append(append(dst, sep...), f.name...), '=')
			dst = f.n.Append(dst, 10)
			sep = ", "
		}
	}
	if sep == "" {
		dst = append(dst, '0')
	}
	return append(dst, ')'), true
}

// stateBytes returns the packed state datetime's types pickle: bytes, or a
// Python 2 str, which the decoder gives as bytes (Encoding("bytes")) or as
// text of code points below 256 (Encoding("latin1")). Python 3's
// constructors, too, accept such text and encode it as Latin-1.
func stateBytes(v any, n int) ([]byte, bool) {
	switch x := v.(type) {
	case []byte:
		return x, len(x) == n
	case string:
		b := make([]byte, 0, n)
		for _, r := range x {
			if r > 0xff || len(b) == n {
				return nil, false
			}
			b = append(b, byte(r))
		}
		return b, len(b) == n
	}
	return nil, false
}

// intArgs returns args as small ints, if there are between lo and hi of them
// and all are.
func intArgs(args Tuple, lo, hi int) ([]int, bool) {
	if len(args) < lo || len(args) > hi {
		return nil, false
	}
	out := make([]int, len(args))
	for i, a := range args {
		n, ok := a.(int64)
		if !ok || n < math.MinInt32 || n > math.MaxInt32 {
			return nil, false
		}
		out[i] = int(n)
	}
	return out, true
}

// tzinfoArg returns the tzinfo argument of time and datetime: none, None, or
// a datetime.timezone (decoded to a *time.Location). Any other tzinfo has no
// Go equivalent.
func tzinfoArg(rest Tuple) (*time.Location, bool) {
	if len(rest) == 0 || rest[0] == nil {
		return nil, true
	}
	if loc, ok := rest[0].(*time.Location); ok && loc != Naive {
		return loc, true
	}
	return nil, false
}

func daysIn(year int, month time.Month) int {
	switch month {
	case time.February:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

func (d Date) valid() bool {
	return d.Year >= 1 && d.Year <= 9999 && d.Month >= 1 && d.Month <= 12 && d.Day >= 1 && d.Day <= daysIn(d.Year, d.Month)
}

func (t TimeOfDay) valid() bool {
	return t.Hour >= 0 && t.Hour < 24 && t.Minute >= 0 && t.Minute < 60 && t.Second >= 0 && t.Second < 60 &&
		t.Microsecond >= 0 && t.Microsecond < 1e6 && (t.Fold == 0 || t.Fold == 1)
}

// callDate is datetime.date(state) or date(year, month, day).
func callDate(args Tuple, kind CallKind) (any, bool, error) {
	if len(args) == 1 {
		b, ok := stateBytes(args[0], 4)
		if !ok {
			return nil, false, nil
		}
		d := Date{int(b[0])<<8 | int(b[1]), time.Month(b[2]), int(b[3])}
		return handledIf(d, d.valid())
	}
	n, ok := intArgs(args, 3, 3)
	if !ok {
		return nil, false, nil
	}
	d := Date{n[0], time.Month(n[1]), n[2]}
	return handledIf(d, d.valid())
}

// callTime is datetime.time(state[, tzinfo]) or time(hour, minute, second,
// microsecond, tzinfo).
func callTime(args Tuple, kind CallKind) (any, bool, error) {
	if len(args) >= 1 && len(args) <= 2 {
		if b, ok := stateBytes(args[0], 6); ok {
			loc, ok := tzinfoArg(args[1:])
			t := TimeOfDay{
				Hour: int(b[0] & 0x7f), Minute: int(b[1]), Second: int(b[2]),
				Microsecond: int(b[3])<<16 | int(b[4])<<8 | int(b[5]),
				Location:    loc, Fold: int(b[0] >> 7),
			}
			return handledIf(t, ok && t.valid())
		}
	}
	n, ok := intArgs(args[:min(len(args), 4)], 0, 4)
	if !ok {
		return nil, false, nil
	}
	loc, ok := tzinfoArg(args[len(n):])
	if !ok || len(args) > 5 {
		return nil, false, nil
	}
	n = append(n, 0, 0, 0, 0)
	t := TimeOfDay{Hour: n[0], Minute: n[1], Second: n[2], Microsecond: n[3], Location: loc}
	return handledIf(t, t.valid())
}

// callDatetime is datetime.datetime(state[, tzinfo]) or datetime(year,
// month, day, hour, minute, second, microsecond, tzinfo). A datetime with
// fold=1 stays symbolic: time.Time has no fold.
func callDatetime(args Tuple, kind CallKind) (any, bool, error) {
	var f [7]int // year, month, day, hour, minute, second, microsecond
	var loc *time.Location
	ok := false
	if len(args) >= 1 && len(args) <= 2 {
		if b, isState := stateBytes(args[0], 10); isState {
			var fold byte
			if f, fold = datetimeFields(b); fold != 0 {
				return nil, false, nil // fold=1
			}
			loc, ok = tzinfoArg(args[1:])
		}
	}
	if !ok {
		n, isInts := intArgs(args[:min(len(args), 7)], 3, 7)
		if !isInts || len(args) > 8 {
			return nil, false, nil
		}
		copy(f[:], n)
		if loc, ok = tzinfoArg(args[len(n):]); !ok {
			return nil, false, nil
		}
	}
	d := Date{f[0], time.Month(f[1]), f[2]}
	tod := TimeOfDay{Hour: f[3], Minute: f[4], Second: f[5], Microsecond: f[6]}
	if !d.valid() || !tod.valid() {
		return nil, false, nil
	}
	if loc == nil {
		loc = Naive
	}
	return time.Date(d.Year, d.Month, d.Day, tod.Hour, tod.Minute, tod.Second, tod.Microsecond*1000, loc), true, nil
}

// Microseconds per unit of timedelta's positional arguments: days, seconds,
// microseconds, milliseconds, minutes, hours, weeks.
var timedeltaUnits = [...]int64{86400e6, 1e6, 1, 1e3, 60e6, 3600e6, 7 * 86400e6}

// callTimedelta is datetime.timedelta(days, seconds, microseconds, ...) with
// integer arguments. One beyond time.Duration's range (about 292 years)
// stays symbolic.
func callTimedelta(args Tuple, kind CallKind) (any, bool, error) {
	if len(args) > len(timedeltaUnits) {
		return nil, false, nil
	}
	total := new(big.Int)
	for i, a := range args {
		n, ok := intValue(a)
		if !ok {
			return nil, false, nil
		}
		total.Add(total, new(big.Int).Mul(n, big.NewInt(timedeltaUnits[i])))
	}
	ns := total.Mul(total, big.NewInt(1000))
	return handledIf(time.Duration(ns.Int64()), ns.IsInt64())
}

// callTimezone is datetime.timezone(offset[, name]). Python's
// timezone(timedelta(0)) is timezone.utc, decoded to time.UTC; any other is a
// fixed zone. An offset with a fraction of a second, or an empty name (which
// a Go zone cannot tell from no name), stays symbolic.
func callTimezone(args Tuple, kind CallKind) (any, bool, error) {
	if len(args) < 1 || len(args) > 2 {
		return nil, false, nil
	}
	off, ok := args[0].(time.Duration)
	if !ok || off%time.Second != 0 || off <= -24*time.Hour || off >= 24*time.Hour {
		return nil, false, nil
	}
	if len(args) == 1 {
		if off == 0 {
			return time.UTC, true, nil
		}
		return time.FixedZone("", int(off/time.Second)), true, nil
	}
	name, ok := args[1].(string)
	if !ok || name == "" {
		return nil, false, nil
	}
	return time.FixedZone(name, int(off/time.Second)), true, nil
}

// Memo keys for values without a pointer of their own: a time.Time by its
// instant and Location. The other value types key by themselves.
type timeMemoKey struct {
	sec  int64
	nsec int
	loc  *time.Location
}

// fixedZone reports whether loc has one offset for all time, and its name
// and offset.
func fixedZone(loc *time.Location) (name string, offset int, ok bool) {
	if loc == time.UTC {
		return "UTC", 0, true
	}
	t := time.Unix(0, 0).In(loc)
	if start, end := t.ZoneBounds(); !start.IsZero() || !end.IsZero() {
		return "", 0, false
	}
	name, offset = t.Zone()
	return name, offset, true
}

func checkOffset(offset int) error {
	if offset <= -86400 || offset >= 86400 {
		return unsupported("zone offset %ds is beyond datetime.timezone's range (strictly within one day)", offset)
	}
	return nil
}

// reduceTimezone is (timezone, (offset,)) or (timezone, (offset, name)).
func reduceTimezone(loc *time.Location) (*Object, error) {
	if loc == nil {
		return nil, unsupported("nil *time.Location")
	}
	if loc == Naive {
		return nil, unsupported("pickle.Naive is not a Python value (a naive datetime has no tzinfo)")
	}
	if loc == time.UTC {
		return &Object{Class: globalTimezone, Args: Tuple{time.Duration(0)}}, nil
	}
	name, off, ok := fixedZone(loc)
	if !ok {
		return nil, unsupported("time zone %q has no fixed offset: datetime.timezone needs one", loc.String())
	}
	return timezoneObject(name, off)
}

func timezoneObject(name string, off int) (*Object, error) {
	if err := checkOffset(off); err != nil {
		return nil, err
	}
	args := Tuple{time.Duration(off) * time.Second}
	if name != "" {
		args = append(args, name)
	}
	return &Object{Class: globalTimezone, Args: args}, nil
}

// tzinfoOf returns the tzinfo to pickle for a time.Time: its Location when
// that is UTC or fixed, and otherwise a new datetime.timezone with the zone
// name and offset in effect at t, as Python's datetime.astimezone() makes
// for local time.
func tzinfoOf(t time.Time) (any, error) {
	loc := t.Location()
	if loc == time.UTC {
		return loc, nil
	}
	if _, off, ok := fixedZone(loc); ok {
		if err := checkOffset(off); err != nil {
			return nil, err
		}
		return loc, nil
	}
	name, off := t.Zone()
	return timezoneObject(name, off)
}

func reduceDatetime(t time.Time) (*Object, error) {
	y, mo, d := t.Date()
	h, mi, s := t.Clock()
	ns := t.Nanosecond()
	if y < 1 || y > 9999 {
		return nil, unsupported("year %d is out of datetime's range 1..9999", y)
	}
	if ns%1000 != 0 {
		return nil, unsupported("time %s has a fraction of a microsecond, which datetime cannot hold (ExactTime refuses to round it)", t.Format(time.RFC3339Nano))
	}
	us := ns / 1000
	state := []byte{byte(y >> 8), byte(y), byte(mo), byte(d), byte(h), byte(mi), byte(s), byte(us >> 16), byte(us >> 8), byte(us)}
	if t.Location() == Naive {
		return &Object{Class: globalDatetime, Args: Tuple{state}}, nil
	}
	tz, err := tzinfoOf(t)
	if err != nil {
		return nil, err
	}
	return &Object{Class: globalDatetime, Args: Tuple{state, tz}}, nil
}

func reduceDate(d Date) (*Object, error) {
	if !d.valid() {
		return nil, unsupported("%v is not a valid datetime.date", d)
	}
	return &Object{Class: globalDate, Args: Tuple{[]byte{byte(d.Year >> 8), byte(d.Year), byte(d.Month), byte(d.Day)}}}, nil
}

func reduceTime(t TimeOfDay) (*Object, error) {
	if !t.valid() {
		return nil, unsupported("%+v is not a valid datetime.time", t)
	}
	h := byte(t.Hour)
	if t.Fold == 1 {
		// CPython writes the fold only from protocol 4 on, and so loses
		// it below. Python 3.6 and later read it at any protocol (Python
		// 2 cannot read a time with fold=1 at all), and a symbolic
		// datetime with fold=1 keeps it at any protocol too.
		h |= 0x80
	}
	us := t.Microsecond
	state := []byte{h, byte(t.Minute), byte(t.Second), byte(us >> 16), byte(us >> 8), byte(us)}
	if t.Location == nil || t.Location == Naive {
		return &Object{Class: globalTime, Args: Tuple{state}}, nil
	}
	if _, off, ok := fixedZone(t.Location); !ok {
		return nil, unsupported("time zone %q has no fixed offset: datetime.timezone needs one", t.Location.String())
	} else if err := checkOffset(off); err != nil {
		return nil, err
	}
	return &Object{Class: globalTime, Args: Tuple{state, t.Location}}, nil
}

// timedeltaParts splits microseconds as timedelta normalizes them: days,
// then 0 <= seconds < 86400 and 0 <= microseconds < 1000000.
func timedeltaParts(us int64) (days, secs, micros int64) {
	days = us / 86400e6
	rem := us % 86400e6
	if rem < 0 {
		days--
		rem += 86400e6
	}
	return days, rem / 1e6, rem % 1e6
}

func reduceTimedelta(d time.Duration, exact bool) (*Object, error) {
	if exact && d%time.Microsecond != 0 {
		return nil, unsupported("duration %v has a fraction of a microsecond, which timedelta cannot hold (ExactTime refuses to round it)", d)
	}
	days, secs, us := timedeltaParts(durationMicroseconds(d))
	return &Object{Class: globalTimedelta, Args: Tuple{days, secs, us}}, nil
}

// appendClockRepr appends "h, m[, s[, us]]" as datetime's and time's reprs
// do: the seconds only when they or the microseconds are not zero.
func appendClockRepr(dst []byte, h, m, s, us int) []byte {
	dst = fmt.Appendf(dst, "%d, %d", h, m)
	if us != 0 {
		return fmt.Appendf(dst, ", %d, %d", s, us)
	}
	if s != 0 {
		return fmt.Appendf(dst, ", %d", s)
	}
	return dst
}

// appendTzFoldRepr ends a datetime or time repr: ", tzinfo=...", ", fold=1".
func appendTzFoldRepr(p *reprPrinter, dst []byte, tz Tuple, fold byte, depth int) []byte {
	if len(tz) == 1 && tz[0] != nil {
		dst = append(dst, ", tzinfo="...)
		dst = p.append(dst, tz[0], depth+1)
	}
	if fold != 0 {
		dst = append(dst, ", fold=1"...)
	}
	return append(dst, ')')
}

func appendTimezoneRepr(dst []byte, name string, off int, utc bool) []byte {
	if utc {
		return append(dst, "datetime.timezone.utc"...)
	}
	dst = append(dst, "datetime.timezone("...)
	dst = appendTimedeltaRepr(dst, int64(off)*1e6)
	if name != "" {
		dst = append(dst, ", "...)
		dst = appendPyStrRepr(dst, name)
	}
	return append(dst, ')')
}

// appendTimedeltaRepr appends timedelta's repr (Python 3.7 and later).
func appendTimedeltaRepr(dst []byte, us int64) []byte {
	days, secs, micros := timedeltaParts(us)
	dst = append(dst, "datetime.timedelta("...)
	sep := ""
	if days != 0 {
		dst = fmt.Appendf(dst, "days=%d", days)
		sep = ", "
	}
	if secs != 0 {
		dst = fmt.Appendf(dst, "%sseconds=%d", sep, secs)
		sep = ", "
	}
	if micros != 0 {
		dst = fmt.Appendf(dst, "%smicroseconds=%d", sep, micros)
		sep = ", "
	}
	if sep == "" {
		dst = append(dst, '0')
	}
	return append(dst, ')')
}
