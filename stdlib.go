package pickle

import (
	"encoding/hex"
	"fmt"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"time"
)

// This file maps the Python standard library's data types onto Go values:
// datetime's date, time, datetime, timedelta and timezone, decimal.Decimal,
// uuid.UUID, fractions.Fraction and collections' deque, defaultdict and
// Counter. Decoding evaluates the calls CPython's pickles of them make
// (builtinCalls and builtinBuilds, registered below); anything that has no
// exact Go value (a datetime with fold=1, a tzinfo that is not a
// datetime.timezone, a timedelta beyond time.Duration, a UUID pickled with
// is_safe, ...) stays a symbolic *Object, so nothing is lost. Encoding
// reduces the Go values as CPython 3.11's C pickler does (stdlibReduce), dict
// keys follow Python's equality (stdlibHashKey), and Repr prints Python's
// repr (appendStdlibRepr).

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

// Decimal is a decimal.Decimal, held exactly as Python's str() of it:
// "1.10", "-0", "1E+5", "0E-10", "Infinity", "-Infinity", "NaN", "NaN12",
// "-sNaN". The digits, exponent and sign are kept; nothing goes through a
// float.
//
// Python's str() is the canonical spelling, and the decoder produces only
// that. A Decimal built in Go may use any spelling Python's Decimal() accepts
// in ASCII without spaces or underscores ("1e5", "+.5", "inf"): encoding,
// Repr and String write it canonically, and an invalid one is an encoding
// error.
type Decimal string

// String returns the canonical spelling of d, or d itself if it is not a
// valid decimal.
func (d Decimal) String() string {
	if p, ok := parseDecimal(string(d)); ok {
		return p.String()
	}
	return string(d)
}

// UUID is a uuid.UUID: its 16 bytes, most significant first (the order of
// the uuid's hex digits and of Python's UUID.bytes).
type UUID [16]byte

// String returns the canonical form "12345678-1234-5678-1234-567812345678".
func (u UUID) String() string {
	var b [36]byte
	hex.Encode(b[0:8], u[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], u[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], u[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], u[8:10])
	b[23] = '-'
	hex.Encode(b[24:], u[10:])
	return string(b[:])
}

// Deque is a collections.deque. The decoder produces *Deque, which APPEND
// and APPENDS extend as Python's deque.extend does (dropping items from the
// left beyond MaxLen).
type Deque struct {
	Items List
	// MaxLen is the deque's maxlen, or -1 for None (no bound). Beware the
	// zero value, 0: a deque that holds nothing. NewDeque sets -1.
	MaxLen int
}

// NewDeque returns an unbounded deque (maxlen None) of the given items.
func NewDeque(items ...any) *Deque {
	return &Deque{Items: append(List(nil), items...), MaxLen: -1}
}

func (d *Deque) appendItems(items []any) error {
	d.Items = append(d.Items, items...)
	if d.MaxLen >= 0 && len(d.Items) > d.MaxLen {
		// Reslicing keeps this linear: append reallocates (and copies
		// only the kept window) when the backing array is full.
		d.Items = d.Items[len(d.Items)-d.MaxLen:]
	}
	return nil
}

// DefaultDict is a collections.defaultdict. Its entries behave as a Dict's.
// The decoder produces *DefaultDict.
type DefaultDict struct {
	// Factory is default_factory: nil for None, otherwise what the pickle
	// names, usually a Global such as builtins.list or builtins.int.
	Factory any
	Dict
}

func (d *DefaultDict) setItem(key, value any) error { return d.Set(key, value) }

// Counter is a collections.Counter. Its entries behave as a Dict's. The
// decoder produces *Counter.
type Counter struct {
	Dict
}

func (c *Counter) setItem(key, value any) error { return c.Set(key, value) }

func (d *Deque) String() string       { return Repr(d) }
func (d *DefaultDict) String() string { return Repr(d) }
func (c *Counter) String() string     { return Repr(c) }

// The globals of the standard library types.
var (
	globalDate          = Global{"datetime", "date"}
	globalTime          = Global{"datetime", "time"}
	globalDatetime      = Global{"datetime", "datetime"}
	globalTimedelta     = Global{"datetime", "timedelta"}
	globalTimezone      = Global{"datetime", "timezone"}
	globalDecimal       = Global{"decimal", "Decimal"}
	globalUUID          = Global{"uuid", "UUID"}
	globalFraction      = Global{"fractions", "Fraction"}
	globalDeque         = Global{"collections", "deque"}
	globalDefaultDict   = Global{"collections", "defaultdict"}
	globalCounter       = Global{"collections", "Counter"}
	globalObject        = Global{"builtins", "object"}
	globalReconstructor = Global{"copyreg", "_reconstructor"}
)

func init() {
	for g, fn := range map[Global]builtinCall{
		globalDate:        callDate,
		globalTime:        callTime,
		globalDatetime:    callDatetime,
		globalTimedelta:   callTimedelta,
		globalTimezone:    callTimezone,
		globalDecimal:     callDecimal,
		globalFraction:    callFraction,
		globalDeque:       callDeque,
		globalDefaultDict: callDefaultDict,
		globalCounter:     callCounter,
	} {
		builtinCalls[g] = fn
	}
	builtinBuilds[globalUUID] = buildUUID
}

// ---------------------------------------------------------------------------
// Decoding
// ---------------------------------------------------------------------------

// handledIf reports a converted value, or leaves the call symbolic.
func handledIf(v any, ok bool) (any, bool, error) {
	if !ok {
		return nil, false, nil
	}
	return v, true, nil
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
			if b[2]&0x80 != 0 {
				return nil, false, nil // fold=1
			}
			f = [7]int{int(b[0])<<8 | int(b[1]), int(b[2]), int(b[3]), int(b[4]), int(b[5]), int(b[6]),
				int(b[7])<<16 | int(b[8])<<8 | int(b[9])}
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

// intValue returns a Python int (or bool) as a big.Int.
func intValue(v any) (*big.Int, bool) {
	switch x := v.(type) {
	case int64:
		return big.NewInt(x), true
	case *big.Int:
		return x, true
	case bool:
		return big.NewInt(int64(boolToInt(x))), true
	}
	return nil, false
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

// callDecimal is decimal.Decimal(str): the text CPython pickles (a Python 2
// str may arrive as bytes). Any other argument stays symbolic.
func callDecimal(args Tuple, kind CallKind) (any, bool, error) {
	if len(args) != 1 {
		return nil, false, nil
	}
	var s string
	switch x := args[0].(type) {
	case string:
		s = x
	case []byte:
		s = string(x)
	case int64:
		s = strconv.FormatInt(x, 10)
	case *big.Int:
		s = x.String()
	default:
		return nil, false, nil
	}
	p, ok := parseDecimal(s)
	return handledIf(Decimal(p.String()), ok)
}

// callFraction is fractions.Fraction(numerator, denominator), as Python 3.11
// and later pickle it, or Fraction('n/d'), as earlier versions do.
func callFraction(args Tuple, kind CallKind) (any, bool, error) {
	switch len(args) {
	case 0:
		return new(big.Rat), true, nil
	case 2:
		n, ok1 := intValue(args[0])
		d, ok2 := intValue(args[1])
		if !ok1 || !ok2 || d.Sign() == 0 {
			return nil, false, nil
		}
		return new(big.Rat).SetFrac(n, d), true, nil
	case 1:
		if n, ok := intValue(args[0]); ok {
			return new(big.Rat).SetInt(n), true, nil
		}
		switch x := args[0].(type) {
		case string:
			r, ok := parseFractionText(x)
			return handledIf(r, ok)
		case []byte:
			r, ok := parseFractionText(string(x))
			return handledIf(r, ok)
		case float64:
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, false, nil
			}
			return new(big.Rat).SetFloat64(x), true, nil
		case Decimal:
			if p, ok := parseDecimal(string(x)); ok && p.kind == decFinite {
				r, ok := p.rat()
				return handledIf(r, ok)
			}
		case *big.Rat:
			return new(big.Rat).Set(x), true, nil
		}
	}
	return nil, false, nil
}

// parseFractionText parses str() of a Fraction: "n" or "n/d", signed.
func parseFractionText(s string) (*big.Rat, bool) {
	num, den, hasDen := strings.Cut(s, "/")
	n, ok := parseDecimalInt(num, true)
	if !ok {
		return nil, false
	}
	d := big.NewInt(1)
	if hasDen {
		if d, ok = parseDecimalInt(den, false); !ok || d.Sign() == 0 {
			return nil, false
		}
	}
	return new(big.Rat).SetFrac(n, d), true
}

// parseDecimalInt parses ASCII decimal digits, with a sign if signed, up to
// Python's default limit on the digits of an int.
func parseDecimalInt(s string, signed bool) (*big.Int, bool) {
	digits := s
	if signed && len(s) > 0 && (s[0] == '+' || s[0] == '-') {
		digits = s[1:]
	}
	if digits == "" || len(digits) > DefaultMaxIntDigits || !allDigits(digits) {
		return nil, false
	}
	return new(big.Int).SetString(s, 10)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// callDeque is collections.deque(iterable[, maxlen]): Python 3 pickles
// deque((), maxlen) or deque() and then appends the items, Python 2
// deque(list[, maxlen]). deque.__new__ (NEWOBJ) makes an empty deque.
func callDeque(args Tuple, kind CallKind) (any, bool, error) {
	d := &Deque{MaxLen: -1}
	if kind == CallNewObj || len(args) == 0 {
		return d, true, nil
	}
	if len(args) > 2 {
		return nil, false, nil
	}
	items, ok := iterableItems(args[0])
	if !ok {
		return nil, false, nil
	}
	if len(args) == 2 && args[1] != nil {
		n, ok := args[1].(int64)
		if !ok || n < 0 || n > math.MaxInt32 {
			return nil, false, nil
		}
		d.MaxLen = int(n)
	}
	_ = d.appendItems(items) // copies items
	return d, true, nil
}

// callDefaultDict is collections.defaultdict(default_factory[, mapping]);
// defaultdict.__new__ (NEWOBJ) has default_factory None.
func callDefaultDict(args Tuple, kind CallKind) (any, bool, error) {
	d := &DefaultDict{}
	if kind == CallNewObj || len(args) == 0 {
		return d, true, nil
	}
	if len(args) > 2 || (args[0] != nil && !maybeCallable(args[0])) {
		return nil, false, nil
	}
	d.Factory = args[0]
	if len(args) == 2 {
		items, ok := dictItems(args[1])
		if !ok {
			return nil, false, nil
		}
		for _, it := range items {
			_ = d.Set(it.Key, it.Value)
		}
	}
	return d, true, nil
}

// callCounter is collections.Counter(mapping), as Counter pickles itself;
// Counter.__new__ (NEWOBJ) makes an empty one.
func callCounter(args Tuple, kind CallKind) (any, bool, error) {
	c := &Counter{}
	if kind == CallNewObj || len(args) == 0 {
		return c, true, nil
	}
	items, ok := dictItems(args[0])
	if !ok || len(args) != 1 {
		return nil, false, nil
	}
	for _, it := range items {
		_ = c.Set(it.Key, it.Value)
	}
	return c, true, nil
}

// buildUUID completes uuid.UUID.__new__(UUID) with its state {'int': n}.
// A state with is_safe (what uuid1() gives on most systems) stays symbolic:
// UUID has no place for it.
func buildUUID(state any) (any, bool, error) {
	d, ok := state.(*Dict)
	if !ok || d.Len() != 1 {
		return nil, false, nil
	}
	switch k := d.items[0].Key.(type) {
	case string:
		ok = k == "int"
	case []byte:
		ok = string(k) == "int" // a Python 2 str with Encoding("bytes")
	default:
		ok = false
	}
	n, isInt := intValue(d.items[0].Value)
	if _, isBool := d.items[0].Value.(bool); isBool {
		isInt = false
	}
	if !ok || !isInt || n.Sign() < 0 || n.BitLen() > 128 {
		return nil, false, nil
	}
	var u UUID
	n.FillBytes(u[:])
	return u, true, nil
}

// ---------------------------------------------------------------------------
// Decimal text
// ---------------------------------------------------------------------------

type decKind uint8

const (
	decFinite decKind = iota
	decInfinity
	decNaN
	decSNaN
)

// decParts is a parsed Decimal: sign, kind, and for a finite number the
// coefficient digits (no leading zeros; "0" for zero) and exponent. For a
// NaN, coef is the diagnostic payload ("" for none).
type decParts struct {
	neg  bool
	kind decKind
	coef string
	exp  int64
}

// The exponent limits of CPython's decimal module (libmpdec's MAX_EMAX and
// MIN_ETINY on 64-bit platforms): Decimal() raises beyond them.
const (
	decMaxEmax  = 999999999999999999
	decMinEtiny = -1999999999999999997
)

// parseDecimal parses Python's decimal syntax, ASCII only, without the
// surrounding whitespace and digit-grouping underscores Python also accepts.
func parseDecimal(s string) (decParts, bool) {
	var p decParts
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return p, false
		}
	}
	if s != "" && (s[0] == '+' || s[0] == '-') {
		p.neg = s[0] == '-'
		s = s[1:]
	}
	lower := strings.ToLower(s)
	switch {
	case lower == "inf" || lower == "infinity":
		p.kind = decInfinity
		return p, true
	case strings.HasPrefix(lower, "nan") || strings.HasPrefix(lower, "snan"):
		p.kind = decNaN
		payload := s[3:]
		if lower[0] == 's' {
			p.kind, payload = decSNaN, s[4:]
		}
		if !allDigits(payload) {
			return p, false
		}
		p.coef = strings.TrimLeft(payload, "0")
		return p, true
	}
	mant, expText, hasExp := strings.Cut(lower, "e")
	intPart, frac, _ := strings.Cut(mant, ".")
	if intPart+frac == "" || !allDigits(intPart) || !allDigits(frac) {
		return p, false
	}
	var exp int64
	if hasExp {
		digits := expText
		if digits != "" && (digits[0] == '+' || digits[0] == '-') {
			digits = digits[1:]
		}
		if digits == "" || !allDigits(digits) {
			return p, false
		}
		// Beyond 19 digits the exponent is out of range whatever the
		// coefficient.
		if digits = strings.TrimLeft(digits, "0"); len(digits) > 19 {
			return p, false
		}
		if digits != "" {
			e, err := strconv.ParseInt(digits, 10, 64)
			if err != nil || e > 4e18 {
				return p, false
			}
			exp = e
		}
		if expText[0] == '-' {
			exp = -exp
		}
	}
	p.exp = exp - int64(len(frac))
	p.coef = strings.TrimLeft(intPart+frac, "0")
	if p.coef == "" {
		p.coef = "0"
	}
	// The adjusted exponent (of the first digit) must not exceed Emax.
	if p.exp < decMinEtiny || p.exp > decMaxEmax-int64(len(p.coef))+1 {
		return p, false
	}
	return p, true
}

// String is Python's str() of the decimal (the specification's
// to-scientific-string).
func (p decParts) String() string {
	var b strings.Builder
	if p.neg {
		b.WriteByte('-')
	}
	switch p.kind {
	case decInfinity:
		b.WriteString("Infinity")
		return b.String()
	case decNaN:
		b.WriteString("NaN" + p.coef)
		return b.String()
	case decSNaN:
		b.WriteString("sNaN" + p.coef)
		return b.String()
	}
	n := int64(len(p.coef))
	leftDigits := p.exp + n
	dot := int64(1) // scientific notation: one digit before the point
	if p.exp <= 0 && leftDigits > -6 {
		dot = leftDigits
	}
	switch {
	case dot <= 0:
		b.WriteString("0." + strings.Repeat("0", int(-dot)) + p.coef)
	case dot >= n:
		b.WriteString(p.coef + strings.Repeat("0", int(dot-n)))
	default:
		b.WriteString(p.coef[:dot] + "." + p.coef[dot:])
	}
	if leftDigits != dot {
		fmt.Fprintf(&b, "E%+d", leftDigits-dot)
	}
	return b.String()
}

// maxExactDigits bounds the numbers Decimal keys and conversions expand into
// integers and fractions, 10**maxExactDigits, so that hashing a short
// Decimal such as '1E+100000' stays cheap. It covers every integral float and
// ints of a few hundred bytes; beyond it, a Decimal key equals only equal
// Decimals (see stdlibHashKey).
const maxExactDigits = 400

// normalized returns the coefficient without trailing zeros and the
// exponent that keeps the value.
func (p decParts) normalized() (string, int64) {
	c := strings.TrimRight(p.coef, "0")
	if c == "" {
		return "0", 0
	}
	return c, p.exp + int64(len(p.coef)-len(c))
}

// rat returns a finite decimal's exact value, if it is within
// maxExactDigits.
func (p decParts) rat() (*big.Rat, bool) {
	return p.ratWithin(maxExactDigits)
}

// ratWithin returns a finite decimal's exact value, if its numerator and
// denominator have at most limit digits together.
func (p decParts) ratWithin(limit int) (*big.Rat, bool) {
	c, e := p.normalized()
	if int64(len(c))+max(e, -e) > int64(limit) {
		return nil, false
	}
	n, _ := new(big.Int).SetString(c, 10)
	if p.neg {
		n.Neg(n)
	}
	pow := new(big.Int).Exp(big.NewInt(10), big.NewInt(max(e, -e)), nil)
	if e >= 0 {
		return new(big.Rat).SetInt(n.Mul(n, pow)), true
	}
	return new(big.Rat).SetFrac(n, pow), true
}

// ---------------------------------------------------------------------------
// Encoding
// ---------------------------------------------------------------------------

// Memo keys for values without a pointer of their own: a time.Time by its
// instant and Location. The other value types key by themselves.
type timeMemoKey struct {
	sec  int64
	nsec int
	loc  *time.Location
}

// stdlibReduce returns how CPython 3.11 reduces a standard library value at a
// protocol, and the value's memo identity: the pointer for *Deque,
// *DefaultDict, *Counter, *big.Rat and *time.Location; for value types the
// value itself, so that a datetime shared in a pickle is written once and
// then fetched from the memo, as CPython writes it (equal values written
// separately by CPython become shared: invisible to Python code that does
// not test identity).
func stdlibReduce(v any, proto int, exactTime bool) (o *Object, key any, ok bool, err error) {
	switch x := v.(type) {
	case time.Time:
		if !exactTime {
			x = roundMicrosecond(x)
		}
		o, err = reduceDatetime(x)
		return o, timeMemoKey{x.Unix(), x.Nanosecond(), x.Location()}, true, err
	case Date:
		o, err = reduceDate(x)
		return o, x, true, err
	case TimeOfDay:
		o, err = reduceTime(x)
		return o, x, true, err
	case time.Duration:
		o, err = reduceTimedelta(x, exactTime)
		return o, x, true, err
	case *time.Location:
		o, err = reduceTimezone(x)
		return o, x, true, err
	case Decimal:
		p, valid := parseDecimal(string(x))
		if !valid {
			return nil, nil, true, unsupported("%q is not a decimal.Decimal", string(x))
		}
		return &Object{Class: globalDecimal, Args: Tuple{p.String()}}, x, true, nil
	case UUID:
		return reduceUUID(x, proto), x, true, nil
	case *big.Rat:
		if x == nil {
			return nil, nil, true, unsupported("nil *big.Rat")
		}
		args := Tuple{bigOrInt64(new(big.Int).Set(x.Num())), bigOrInt64(new(big.Int).Set(x.Denom()))}
		return &Object{Class: globalFraction, Args: args}, x, true, nil
	case *Deque:
		if x == nil {
			return nil, nil, true, unsupported("nil *pickle.Deque")
		}
		if x.MaxLen < -1 || (x.MaxLen >= 0 && len(x.Items) > x.MaxLen) {
			return nil, nil, true, unsupported("deque of %d items with MaxLen %d", len(x.Items), x.MaxLen)
		}
		args := emptyTupleValue
		if x.MaxLen >= 0 {
			args = Tuple{emptyTupleValue, int64(x.MaxLen)}
		}
		return &Object{Class: globalDeque, Args: args, ListItems: x.Items}, x, true, nil
	case *DefaultDict:
		if x == nil {
			return nil, nil, true, unsupported("nil *pickle.DefaultDict")
		}
		args := emptyTupleValue
		if x.Factory != nil {
			args = Tuple{x.Factory}
		}
		return &Object{Class: globalDefaultDict, Args: args, DictItems: x.items}, x, true, nil
	case *Counter:
		if x == nil {
			return nil, nil, true, unsupported("nil *pickle.Counter")
		}
		// Counter.__reduce__ is (Counter, (dict(self),)): a new dict.
		d := NewDict(len(x.items))
		for _, it := range x.items {
			_ = d.Set(it.Key, it.Value)
		}
		return &Object{Class: globalCounter, Args: Tuple{d}}, x, true, nil
	}
	return nil, nil, false, nil
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

// reduceUUID is what object.__reduce_ex__ makes of a UUID: UUID.__new__(UUID)
// with the state {'int': n}, spelled copyreg._reconstructor(UUID, object,
// None) below protocol 2.
func reduceUUID(u UUID, proto int) *Object {
	state := NewDict(1)
	_ = state.Set("int", bigOrInt64(new(big.Int).SetBytes(u[:])))
	if proto < 2 {
		return &Object{Class: globalReconstructor, Args: Tuple{globalUUID, globalObject, nil}, State: state, HasState: true}
	}
	return &Object{Class: globalUUID, Kind: CallNewObj, Args: emptyTupleValue, State: state, HasState: true}
}

// ---------------------------------------------------------------------------
// Dict keys
// ---------------------------------------------------------------------------

// stdKey is the normalized dict key of the standard library values that equal
// nothing outside their own type, and of exact fractions that are neither
// ints nor floats. The first byte says what it is.
type stdKey string

// stdlibHashKey returns the dict key of a standard library value, following
// Python's equality:
//
//   - a Decimal or Fraction equal to an int or a float has that number's key,
//     so Decimal('1.0'), Fraction(1), 1 and 1.0 are one key, as are
//     Fraction(1, 2), Decimal('0.5') and 0.5; other fractions, and decimals
//     equal to them, share an exact-fraction key; a NaN equals nothing; a
//     signaling NaN cannot be hashed;
//   - aware datetimes are equal when they are the same instant, in any zone;
//     naive ones when their fields are; a naive one never equals an aware
//     one. Likewise for times of day (an aware one compares its time minus
//     its offset);
//   - dates, timedeltas and UUIDs equal their own kind only; timezones are
//     equal when their offsets are;
//   - deque, defaultdict and Counter are unhashable.
func stdlibHashKey(v any) (key any, ok bool, err error) {
	switch x := v.(type) {
	case time.Time:
		if x.Location() == Naive {
			return stdKey(fmt.Sprintf("n%d.%d", x.Unix(), x.Nanosecond())), true, nil
		}
		return stdKey(fmt.Sprintf("a%d.%d", x.Unix(), x.Nanosecond())), true, nil
	case Date:
		return stdKey(fmt.Sprintf("D%d-%d-%d", x.Year, int(x.Month), x.Day)), true, nil
	case TimeOfDay:
		us := ((int64(x.Hour)*60+int64(x.Minute))*60+int64(x.Second))*1e6 + int64(x.Microsecond)
		if x.Location != nil && x.Location != Naive {
			// A time whose zone has no fixed offset has utcoffset() None
			// in Python and compares as naive.
			if _, off, fixed := fixedZone(x.Location); fixed {
				return stdKey(fmt.Sprintf("T%d", us-int64(off)*1e6)), true, nil
			}
		}
		return stdKey(fmt.Sprintf("t%d", us)), true, nil
	case time.Duration:
		return stdKey(fmt.Sprintf("d%d", int64(x))), true, nil
	case *time.Location:
		if x == nil || x == Naive {
			return nil, false, nil
		}
		if _, off, fixed := fixedZone(x); fixed {
			return stdKey(fmt.Sprintf("z%d", off)), true, nil
		}
		return nil, false, nil // identity
	case UUID:
		return stdKey("u" + string(x[:])), true, nil
	case Decimal:
		p, valid := parseDecimal(string(x))
		if !valid {
			return nil, true, malformed("%q is not a decimal.Decimal", string(x))
		}
		k, err := decimalKey(p)
		return k, true, err
	case *big.Rat:
		if x == nil {
			return nil, false, nil
		}
		return ratKey(x), true, nil
	case *Deque:
		return nil, true, &UnhashableError{"collections.deque"}
	case *DefaultDict:
		return nil, true, &UnhashableError{"collections.defaultdict"}
	case *Counter:
		return nil, true, &UnhashableError{"Counter"}
	}
	return nil, false, nil
}

// ratKey is the key of an exact fraction: an int's or a float's key when it
// equals one.
func ratKey(r *big.Rat) any {
	if r.IsInt() {
		k, _ := hashKey(r.Num())
		return k
	}
	if f, exact := r.Float64(); exact {
		return floatKey(f)
	}
	return stdKey("q" + r.Num().Text(16) + "/" + r.Denom().Text(16))
}

func decimalKey(p decParts) (any, error) {
	switch p.kind {
	case decInfinity:
		return floatKey(math.Inf(1 - 2*boolToInt(p.neg))), nil
	case decNaN:
		return new(nanKey), nil
	case decSNaN:
		return nil, malformed("cannot hash a signaling NaN value")
	}
	if r, ok := p.rat(); ok {
		return ratKey(r), nil
	}
	// Too large to expand: equal only to an equal Decimal.
	c, e := p.normalized()
	sign := ""
	if p.neg {
		sign = "-"
	}
	return stdKey(fmt.Sprintf("e%s%sE%d", sign, c, e)), nil
}

// stdlibKeyCost estimates the work of hashing v as a dict key, in bytes, for
// the decoder's hashing budget (machine.chargeKeys): a Decimal is parsed and
// may be expanded to an exact fraction (about 8 bytes allocated per digit);
// a Fraction's numerator and denominator are written out in hex. Other
// values cost 1.
func stdlibKeyCost(v any) int {
	switch x := v.(type) {
	case Decimal:
		cost := len(x) + 1
		if p, ok := parseDecimal(string(x)); ok && p.kind == decFinite {
			if c, e := p.normalized(); len(c)+int(max(e, -e)) <= maxExactDigits {
				cost += 8 * (len(c) + int(max(e, -e)))
			}
		}
		return cost
	case *big.Rat:
		if x != nil {
			return (x.Num().BitLen()+x.Denom().BitLen())/4 + 1
		}
	}
	return 1
}

// ---------------------------------------------------------------------------
// Repr
// ---------------------------------------------------------------------------

// appendStdlibRepr appends Python's repr of a standard library value
// ("datetime.datetime(2024, 1, 2, 3, 4, 5, 6)", "Decimal('1.10')",
// "deque([1, 2], maxlen=5)", "Fraction(1, 3)", ...). A defaultdict's factory
// is shown as Python shows a class, "defaultdict(<class 'list'>, {...})",
// even when it is a function. A Counter is shown as Python 3.11 shows it,
// most common first when its counts can be ordered.
func appendStdlibRepr(p *reprPrinter, dst []byte, v any, depth int) ([]byte, bool) {
	switch x := v.(type) {
	case time.Time:
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
	case Date:
		return fmt.Appendf(dst, "datetime.date(%d, %d, %d)", x.Year, int(x.Month), x.Day), true
	case TimeOfDay:
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
	case time.Duration:
		if x%time.Microsecond != 0 {
			return dst, false
		}
		return appendTimedeltaRepr(dst, int64(x/time.Microsecond)), true
	case *time.Location:
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
	case Decimal:
		dst = append(dst, "Decimal("...)
		dst = appendPyStrRepr(dst, x.String())
		return append(dst, ')'), true
	case UUID:
		return append(append(append(dst, "UUID('"...), x.String()...), "')"...), true
	case *Object:
		return appendStdlibObjectRepr(p, dst, x, depth)
	case *big.Rat:
		if x == nil {
			return dst, false
		}
		dst = append(dst, "Fraction("...)
		dst = x.Num().Append(dst, 10)
		dst = append(dst, ", "...)
		dst = x.Denom().Append(dst, 10)
		return append(dst, ')'), true
	case *Deque:
		if x == nil {
			return dst, false
		}
		if p.active[x] {
			return append(dst, "[...]"...), true // as Python shows it
		}
		p.active[x] = true
		dst = append(dst, "deque(["...)
		dst = p.appendItems(dst, x.Items, depth)
		dst = append(dst, ']')
		delete(p.active, x)
		if x.MaxLen >= 0 {
			dst = fmt.Appendf(dst, ", maxlen=%d", x.MaxLen)
		}
		return append(dst, ')'), true
	case *DefaultDict:
		if x == nil {
			return dst, false
		}
		dst = append(dst, "defaultdict("...)
		if g, ok := x.Factory.(Global); ok {
			// Python shows a class as <class 'list'>, or <class
			// 'mod.Name'> outside builtins. (A function factory, which
			// a Global cannot be told from, is shown the same way.)
			dst = append(dst, "<class '"...)
			if g.Module != "builtins" {
				dst = append(append(dst, g.Module...), '.')
			}
			dst = append(append(dst, g.Name...), "'>"...)
		} else {
			dst = p.append(dst, x.Factory, depth+1)
		}
		dst = append(dst, ", "...)
		if p.active[x] {
			dst = append(dst, "{...}"...)
		} else {
			p.active[x] = true
			dst = p.appendDict(dst, x.items, depth)
			delete(p.active, x)
		}
		return append(dst, ')'), true
	case *Counter:
		if x == nil {
			return dst, false
		}
		if x.Len() == 0 {
			return append(dst, "Counter()"...), true
		}
		dst = append(dst, "Counter("...)
		if p.active[x] {
			dst = append(dst, "{...}"...)
		} else {
			p.active[x] = true
			dst = p.appendDict(dst, mostCommon(x.items), depth)
			delete(p.active, x)
		}
		return append(dst, ')'), true
	}
	return dst, false
}

// appendStdlibObjectRepr shows the standard library values that stay
// symbolic (a datetime with fold=1 or a tzinfo Go has no zone for, a
// timedelta beyond time.Duration, a UUID pickled with is_safe) as Python's
// repr shows them, rather than by the call that builds them.
func appendStdlibObjectRepr(p *reprPrinter, dst []byte, o *Object, depth int) ([]byte, bool) {
	g, ok := o.Class.(Global)
	if !ok || o.Kwargs != nil || len(o.ListItems) != 0 || len(o.DictItems) != 0 || o.Setter != nil {
		return dst, false
	}
	switch {
	case g == globalDatetime && !o.HasState && (len(o.Args) == 1 || len(o.Args) == 2):
		b, ok := stateBytes(o.Args[0], 10)
		if !ok {
			return dst, false
		}
		dst = fmt.Appendf(dst, "datetime.datetime(%d, %d, %d, ", int(b[0])<<8|int(b[1]), b[2]&0x7f, b[3])
		dst = appendClockRepr(dst, int(b[4]), int(b[5]), int(b[6]), int(b[7])<<16|int(b[8])<<8|int(b[9]))
		return appendTzFoldRepr(p, dst, o.Args[1:], b[2]>>7, depth), true
	case g == globalTime && !o.HasState && (len(o.Args) == 1 || len(o.Args) == 2):
		b, ok := stateBytes(o.Args[0], 6)
		if !ok {
			return dst, false
		}
		dst = append(dst, "datetime.time("...)
		dst = appendClockRepr(dst, int(b[0]&0x7f), int(b[1]), int(b[2]), int(b[3])<<16|int(b[4])<<8|int(b[5]))
		return appendTzFoldRepr(p, dst, o.Args[1:], b[0]>>7, depth), true
	case g == globalTimedelta && !o.HasState && len(o.Args) == 3:
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
	case o.HasState && len(o.Args) == 0 && o.Kind == CallNewObj && g == globalUUID ||
		o.HasState && o.Kind == CallReduce && g == globalReconstructor && len(o.Args) == 3 &&
			o.Args[0] == any(globalUUID) && o.Args[1] == any(globalObject) && o.Args[2] == nil:
		// UUID's repr shows its int only (not is_safe).
		d, ok := o.State.(*Dict)
		if !ok {
			return dst, false
		}
		v, _ := d.Get("int")
		n, ok := intValue(v)
		if !ok || n.Sign() < 0 || n.BitLen() > 128 {
			return dst, false
		}
		var u UUID
		n.FillBytes(u[:])
		return append(append(append(dst, "UUID('"...), u.String()...), "')"...), true
	}
	return dst, false
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

// mostCommon orders a Counter's items as Counter.most_common() does: by
// count, largest first, keeping insertion order among equal counts. Counts
// that Python cannot order (mixed types, NaN) keep insertion order, as
// Counter's repr falls back to then.
func mostCommon(items []DictItem) []DictItem {
	allStr, allNum := true, true
	for _, it := range items {
		switch c := it.Value.(type) {
		case string:
			allNum = false
		case int64, *big.Int, bool:
			allStr = false
		case float64:
			allStr = false
			if math.IsNaN(c) {
				return items
			}
		default:
			return items
		}
	}
	if !allStr && !allNum {
		return items
	}
	sorted := slices.Clone(items)
	slices.SortStableFunc(sorted, func(a, b DictItem) int {
		if allStr {
			return strings.Compare(b.Value.(string), a.Value.(string))
		}
		return numberFloat(b.Value).Cmp(numberFloat(a.Value))
	})
	return sorted
}

// numberFloat returns an int, bool or float exactly as a big.Float.
func numberFloat(v any) *big.Float {
	f := new(big.Float).SetPrec(0)
	switch x := v.(type) {
	case int64:
		return f.SetPrec(64).SetInt64(x)
	case *big.Int:
		return f.SetPrec(uint(max(x.BitLen(), 1))).SetInt(x)
	case bool:
		return f.SetPrec(64).SetInt64(int64(boolToInt(x)))
	case float64:
		return f.SetPrec(53).SetFloat64(x)
	}
	return f
}
