package pickle

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Tests of the standard library types (pytype_datetime.go, pytype_decimal.go, ...). Every pickle here is
// written by a live CPython (crossCheck's "dumps"), every expected repr and
// key equality is CPython's own; the Go side of each case is built in Go.

// stdExpr makes a Python expression see the modules it uses.
func stdExpr(e string) string {
	return "(lambda datetime, decimal, uuid, fractions, collections: " + e +
		")(*[__import__(m) for m in ('datetime', 'decimal', 'uuid', 'fractions', 'collections')])"
}

// reducing is an object that pickles as callable(*args), for the call forms
// CPython itself does not write.
func reducing(callable, args string) string {
	return "type('R', (object,), {'__reduce__': lambda self: (" + callable + ", " + args + ")})()"
}

// pyDumps pickles each expression at each protocol with one interpreter.
func pyDumps(t *testing.T, version string, exprs []string, protocols []int) map[string][][]byte {
	t.Helper()
	var reqs []map[string]any
	for _, e := range exprs {
		for _, p := range protocols {
			reqs = append(reqs, map[string]any{"op": "dumps", "expr": stdExpr(e), "protocol": p})
		}
	}
	out := map[string][][]byte{}
	for i, r := range crossCheck(t, version, reqs) {
		e := exprs[i/len(protocols)]
		require.Nil(t, r["error"], "Python %s: %s", version, e)
		data, err := hex.DecodeString(r["data"].(string))
		require.NoError(t, err)
		if out[e] == nil {
			out[e] = make([][]byte, HighestProtocol+1)
		}
		out[e][protocols[i%len(protocols)]] = data
	}
	return out
}

func protocolsUpTo(n int) []int {
	var ps []int
	for p := 0; p <= n; p++ {
		ps = append(ps, p)
	}
	return ps
}

// locIdentity says what a Location stands for in Python: naive, UTC, or a
// fixed zone's name and offset.
func locIdentity(loc *time.Location) string {
	switch loc {
	case nil:
		return "nil"
	case Naive:
		return "naive"
	case time.UTC:
		return "utc"
	}
	name, off, ok := fixedZone(loc)
	return fmt.Sprintf("fixed %v %q %d", ok, name, off)
}

// assertSameValue compares decoded values: exactly for the standard library
// types, by description for the rest.
func assertSameValue(t *testing.T, want, got any, msg string) {
	t.Helper()
	switch w := want.(type) {
	case time.Time:
		g, ok := got.(time.Time)
		if assert.True(t, ok, "%s: got %T %s", msg, got, Repr(got)) {
			assert.True(t, w.Equal(g), "%s: got %v, want %v", msg, g, w)
			assert.Equal(t, w.Format(time.RFC3339Nano), g.Format(time.RFC3339Nano), msg)
			assert.Equal(t, locIdentity(w.Location()), locIdentity(g.Location()), msg)
		}
		return
	case TimeOfDay:
		g, ok := got.(TimeOfDay)
		if assert.True(t, ok, "%s: got %T %s", msg, got, Repr(got)) {
			assert.Equal(t, locIdentity(w.Location), locIdentity(g.Location), msg)
			w.Location, g.Location = nil, nil
			assert.Equal(t, w, g, msg)
		}
		return
	case *time.Location:
		g, ok := got.(*time.Location)
		if assert.True(t, ok, "%s: got %T %s", msg, got, Repr(got)) {
			assert.Equal(t, locIdentity(w), locIdentity(g), msg)
		}
		return
	case *big.Rat:
		g, ok := got.(*big.Rat)
		if assert.True(t, ok, "%s: got %T %s", msg, got, Repr(got)) {
			assert.Equal(t, w.String(), g.String(), msg)
		}
		return
	}
	assert.Equal(t, reflect.TypeOf(want), reflect.TypeOf(got), "%s: %s", msg, Repr(got))
	assert.Equal(t, describe(want), describe(got), msg)
}

func mustDict(t *testing.T, kv ...any) *Dict {
	d := &Dict{}
	for i := 0; i < len(kv); i += 2 {
		require.NoError(t, d.Set(kv[i], kv[i+1]))
	}
	return d
}

func ratOf(num, den string) *big.Rat {
	n, _ := new(big.Int).SetString(num, 10)
	d, _ := new(big.Int).SetString(den, 10)
	return new(big.Rat).SetFrac(n, d)
}

var uuid1234 = UUID{0x12, 0x34, 0x56, 0x78, 0x12, 0x34, 0x56, 0x78, 0x12, 0x34, 0x56, 0x78, 0x12, 0x34, 0x56, 0x78}

// stdlibValueCases are values CPython pickles and the Go values they decode
// to; the encoder must write each Go value as CPython 3.11 writes the
// expression.
func stdlibValueCases(t *testing.T) []struct {
	expr string
	want any
} {
	list := Global{"builtins", "list"}
	dd := &DefaultDict{Factory: list}
	require.NoError(t, dd.Set(int64(1), &List{int64(2)}))
	require.NoError(t, dd.Set("a", &List{}))
	ddNone := &DefaultDict{}
	require.NoError(t, ddNone.Set(int64(1), int64(2)))
	counter := &Counter{}
	for _, kv := range []struct {
		k string
		n int64
	}{{"a", 5}, {"b", 2}, {"r", 2}, {"c", 1}, {"d", 1}} {
		require.NoError(t, counter.Set(kv.k, kv.n))
	}
	shared := time.Date(2024, 1, 2, 3, 4, 5, 6000, Naive)
	tz := time.FixedZone("X", 7200)
	return []struct {
		expr string
		want any
	}{
		{"datetime.datetime(2024, 1, 2, 3, 4, 5, 6)", time.Date(2024, 1, 2, 3, 4, 5, 6000, Naive)},
		{"datetime.datetime(2024, 2, 29)", time.Date(2024, 2, 29, 0, 0, 0, 0, Naive)},
		{"datetime.datetime.min", time.Date(1, 1, 1, 0, 0, 0, 0, Naive)},
		{"datetime.datetime.max", time.Date(9999, 12, 31, 23, 59, 59, 999999000, Naive)},
		{"datetime.datetime(2024, 1, 2, 3, 4, 5, 6, tzinfo=datetime.timezone.utc)", time.Date(2024, 1, 2, 3, 4, 5, 6000, time.UTC)},
		{"datetime.datetime(2024, 1, 2, 3, tzinfo=datetime.timezone(datetime.timedelta(hours=5, minutes=30)))",
			time.Date(2024, 1, 2, 3, 0, 0, 0, time.FixedZone("", 19800))},
		{"datetime.datetime(1999, 12, 31, 23, 59, 59, 999999, tzinfo=datetime.timezone(datetime.timedelta(hours=-8), 'PST'))",
			time.Date(1999, 12, 31, 23, 59, 59, 999999000, time.FixedZone("PST", -28800))},
		{"datetime.datetime(1, 1, 1, tzinfo=datetime.timezone(datetime.timedelta(seconds=-3661)))",
			time.Date(1, 1, 1, 0, 0, 0, 0, time.FixedZone("", -3661))},
		{"(lambda d: [d, d, {'k': d}])(datetime.datetime(2024, 1, 2, 3, 4, 5, 6))", &List{shared, shared, mustDict(t, "k", shared)}},
		{"(lambda tz: [datetime.datetime(2024, 1, 1, tzinfo=tz), tz, datetime.time(1, tzinfo=tz)])(datetime.timezone(datetime.timedelta(hours=2), 'X'))",
			&List{time.Date(2024, 1, 1, 0, 0, 0, 0, tz), tz, TimeOfDay{Hour: 1, Location: tz}}},
		{"datetime.date(2024, 2, 29)", Date{2024, time.February, 29}},
		{"datetime.date.min", Date{1, time.January, 1}},
		{"datetime.date.max", Date{9999, time.December, 31}},
		{"datetime.time(3, 4, 5, 6)", TimeOfDay{Hour: 3, Minute: 4, Second: 5, Microsecond: 6}},
		{"datetime.time()", TimeOfDay{}},
		{"datetime.time(23, 59, 59, 999999, tzinfo=datetime.timezone.utc)", TimeOfDay{23, 59, 59, 999999, time.UTC, 0}},
		{"datetime.time(12, tzinfo=datetime.timezone(datetime.timedelta(hours=-2), 'Y'))", TimeOfDay{Hour: 12, Location: time.FixedZone("Y", -7200)}},
		{"datetime.timedelta(-1, 5, 7)", -24*time.Hour + 5*time.Second + 7*time.Microsecond},
		{"datetime.timedelta(0)", time.Duration(0)},
		{"datetime.timedelta(microseconds=-1)", -time.Microsecond},
		{"datetime.timedelta(days=106751, seconds=85636, microseconds=854775)", time.Duration(math.MaxInt64 / 1000 * 1000)},
		{"datetime.timedelta(days=-106752, seconds=763, microseconds=145225)", time.Duration(math.MinInt64 / 1000 * 1000)},
		{"datetime.timezone.utc", time.UTC},
		{"datetime.timezone(datetime.timedelta(hours=1))", time.FixedZone("", 3600)},
		{"datetime.timezone(datetime.timedelta(hours=-3), 'X')", time.FixedZone("X", -10800)},
		{"datetime.timezone(datetime.timedelta(0), 'UTC')", time.FixedZone("UTC", 0)},
		{"datetime.timezone.min", time.FixedZone("", -86340)},
		{"decimal.Decimal('1.10')", Decimal("1.10")},
		{"[decimal.Decimal(s) for s in ('NaN', 'NaN7', '-sNaN12', 'Infinity', '-Infinity', '-0', '0E-10', '1E+5', '1E-7', '1E+999999999999999999')]",
			&List{Decimal("NaN"), Decimal("NaN7"), Decimal("-sNaN12"), Decimal("Infinity"), Decimal("-Infinity"), Decimal("-0"),
				Decimal("0E-10"), Decimal("1E+5"), Decimal("1E-7"), Decimal("1E+999999999999999999")}},
		{"uuid.UUID('12345678-1234-5678-1234-567812345678')", uuid1234},
		{"[uuid.UUID(int=0), uuid.UUID(int=2**128-1)]", &List{UUID{}, UUID{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}}},
		{"(lambda u: [u, u])(uuid.UUID('12345678-1234-5678-1234-567812345678'))", &List{uuid1234, uuid1234}},
		{"fractions.Fraction(1, 3)", big.NewRat(1, 3)},
		{"fractions.Fraction(-2**100, 3)", ratOf("-1267650600228229401496703205376", "3")},
		{"fractions.Fraction(5)", big.NewRat(5, 1)},
		{"collections.deque([1, 2])", NewDeque(int64(1), int64(2))},
		{"collections.deque()", NewDeque()},
		{"collections.deque(['x'], maxlen=5)", &Deque{Items: List{"x"}, MaxLen: 5}},
		{"collections.deque([1, 2, 3], maxlen=2)", &Deque{Items: List{int64(2), int64(3)}, MaxLen: 2}},
		{"collections.deque(maxlen=0)", &Deque{MaxLen: 0}},
		{"collections.deque(range(1001))", NewDeque(rangeItems(1001)...)},
		{"collections.defaultdict(list, [(1, [2]), ('a', [])])", dd},
		{"collections.defaultdict(None, {1: 2})", ddNone},
		{"collections.Counter('abracadabra')", counter},
		{"collections.Counter()", &Counter{}},
	}
}

func rangeItems(n int) []any {
	items := make([]any, n)
	for i := range items {
		items[i] = int64(i)
	}
	return items
}

func TestStdlibDecodeAndEncode(t *testing.T) {
	cases := stdlibValueCases(t)
	var exprs []string
	for _, c := range cases {
		exprs = append(exprs, c.expr)
	}
	pickles := pyDumps(t, "3", exprs, protocolsUpTo(HighestProtocol))
	for _, c := range cases {
		for p, data := range pickles[c.expr] {
			var got any
			require.NoError(t, Unmarshal(data, &got), "%s at protocol %d (default options)", c.expr, p)
			assertSameValue(t, c.want, got, fmt.Sprintf("%s at protocol %d", c.expr, p))
			out, err := Marshal(c.want, Protocol(p))
			require.NoError(t, err, "%s at protocol %d", c.expr, p)
			if !bytes.Equal(out, data) {
				t.Errorf("%s at protocol %d: encoded\n%q\nCPython wrote\n%q", c.expr, p, out, data)
			}
		}
	}
}

// TestStdlibDecodeOlderForms decodes what Python 2.7 and CPython 3.8 write
// where they differ from 3.11: Python 2's str state of datetime's types
// (with Encoding latin1 and bytes), Fraction('n/d'), deque(list, maxlen),
// and UUIDs spelled copyreg._reconstructor at protocols 0 and 1.
func TestStdlibDecodeOlderForms(t *testing.T) {
	cases := []struct {
		expr string
		want any
	}{
		{"datetime.datetime(2024, 1, 2, 3, 4, 5, 6)", time.Date(2024, 1, 2, 3, 4, 5, 6000, Naive)},
		{"datetime.datetime(1, 1, 1)", time.Date(1, 1, 1, 0, 0, 0, 0, Naive)},
		{"datetime.date(2024, 12, 31)", Date{2024, 12, 31}},
		{"datetime.time(23, 59, 59, 999999)", TimeOfDay{Hour: 23, Minute: 59, Second: 59, Microsecond: 999999}},
		{"datetime.timedelta(-1, 5, 7)", -24*time.Hour + 5*time.Second + 7*time.Microsecond},
		{"decimal.Decimal('-1.10E+7')", Decimal("-1.10E+7")},
		{"fractions.Fraction(-7, 3)", big.NewRat(-7, 3)},
		{"fractions.Fraction(2**70)", new(big.Rat).SetInt(new(big.Int).Lsh(big.NewInt(1), 70))},
		{"uuid.UUID('12345678-1234-5678-1234-567812345678')", uuid1234},
		{"(lambda u: [u, u])(uuid.UUID('12345678-1234-5678-1234-567812345678'))", &List{uuid1234, uuid1234}},
		{"collections.deque([1, 2, 3], 5)", &Deque{Items: List{int64(1), int64(2), int64(3)}, MaxLen: 5}},
		{"collections.deque([1])", NewDeque(int64(1))},
		{"collections.Counter({1: 2})", &Counter{Dict: *mustDict(t, int64(1), int64(2))}},
	}
	var exprs []string
	for _, c := range cases {
		exprs = append(exprs, c.expr)
	}
	for _, version := range []string{"2.7.18", "3.8.18"} {
		protocols := protocolsUpTo(2)
		if version != "2.7.18" {
			protocols = protocolsUpTo(HighestProtocol)
		}
		pickles := pyDumps(t, version, exprs, protocols)
		for _, c := range cases {
			for _, p := range protocols {
				data := pickles[c.expr][p]
				for _, enc := range []string{"latin1", "bytes"} {
					var got any
					require.NoError(t, Unmarshal(data, &got, Encoding(enc)), "%s: %s at protocol %d", version, c.expr, p)
					assertSameValue(t, c.want, got, fmt.Sprintf("Python %s: %s at protocol %d, Encoding(%q)", version, c.expr, p, enc))
				}
			}
		}
	}
}

// TestStdlibSymbolic checks what has no exact Go value stays a symbolic
// *Object, that it recodes as CPython wrote it, and that everything else a
// pickle may name stays forbidden by default.
func TestStdlibSymbolic(t *testing.T) {
	cases := []struct {
		expr     string
		class    Global
		minProto int // below it the value is exact (CPython drops the fold)
	}{
		{"datetime.datetime(2024, 11, 3, 1, 30, fold=1)", globalDatetime, 4},
		{"datetime.datetime(2024, 1, 2, tzinfo=datetime.timezone(datetime.timedelta(0), ''))", globalDatetime, 0},
		{"datetime.timezone(datetime.timedelta(hours=1), '')", globalTimezone, 0},
		{"datetime.datetime(2024, 1, 2, tzinfo=datetime.timezone(datetime.timedelta(microseconds=1)))", globalDatetime, 0},
		{"datetime.timedelta.max", globalTimedelta, 0},
		{"datetime.timedelta(days=106751, seconds=85636, microseconds=854776)", globalTimedelta, 0},
		{"uuid.UUID(int=5, is_safe=uuid.SafeUUID.safe)", globalUUID, 0},
		{"uuid.UUID(int=5, is_safe=uuid.SafeUUID.unsafe)", globalUUID, 0},
		// Not what CPython writes, but what a pickle may hold: invalid
		// states (Python loads them unchecked) and arguments Go cannot
		// hold exactly.
		{reducing("datetime.datetime", "(b'\\x07\\xe8\\x02\\x1f\\x00\\x00\\x00\\x00\\x00\\x00',)"), globalDatetime, 0},
		{reducing("datetime.time", "(b'\\x17\\x3c\\x00\\x00\\x00\\x00',)"), globalTime, 0},
		{reducing("datetime.date", "(b'\\x00\\x00\\x01\\x01',)"), globalDate, 0},
		{reducing("decimal.Decimal", "(' 1.5',)"), globalDecimal, 0},
		{reducing("decimal.Decimal", "('1_000',)"), globalDecimal, 0},
		{reducing("decimal.Decimal", "((0, (1, 5), -1),)"), globalDecimal, 0},
		{reducing("fractions.Fraction", "('0.5',)"), globalFraction, 0},
		{reducing("collections.deque", "([1], -1)"), globalDeque, 0},
		{reducing("collections.defaultdict", "(1,)"), globalDefaultDict, 0},
	}
	var exprs []string
	for _, c := range cases {
		exprs = append(exprs, c.expr)
	}
	pickles := pyDumps(t, "3", exprs, protocolsUpTo(HighestProtocol))
	for _, c := range cases {
		for p, data := range pickles[c.expr] {
			var got any
			require.NoError(t, Unmarshal(data, &got), "%s at protocol %d", c.expr, p)
			if p < c.minProto {
				_, symbolic := got.(*Object)
				assert.False(t, symbolic, "%s at protocol %d: %s", c.expr, p, Repr(got))
				continue
			}
			o, ok := got.(*Object)
			if !assert.True(t, ok, "%s at protocol %d: got %T %s", c.expr, p, got, Repr(got)) {
				continue
			}
			class := o.Class
			if class == any(globalReconstructor) {
				class = o.Args[0]
			}
			assert.Equal(t, c.class, class, c.expr)
			out, err := Marshal(got, Protocol(p))
			require.NoError(t, err)
			assert.Equal(t, data, out, "%s at protocol %d: recoded", c.expr, p)
		}
	}

	// Other globals of these modules are not allowed by default, and are
	// named in the error.
	for _, g := range []string{"datetime.MINYEAR", "decimal.Context", "decimal.getcontext", "uuid.uuid4", "collections.namedtuple", "fractions.gcd"} {
		module, name, _ := strings.Cut(g, ".")
		data := []byte("c" + module + "\n" + name + "\n.")
		var v any
		err := Unmarshal(data, &v)
		var ge *GlobalError
		require.ErrorAs(t, err, &ge, g)
		assert.Equal(t, GlobalError{module, name}, *ge)
		require.NoError(t, Unmarshal(data, &v, AllowAllGlobals()))
		assert.Equal(t, Global{module, name}, v)
	}
}

// TestStdlibOtherCallForms decodes calls CPython does not write but Python
// evaluates the same way: datetime's types from integer fields, NEWOBJ, and
// the builtins list, dict and tuple that defaultdict factories name.
func TestStdlibOtherCallForms(t *testing.T) {
	defaultdictItems := &DefaultDict{}
	require.NoError(t, defaultdictItems.Set(int64(1), int64(2)))
	cases := []struct {
		expr string
		want any
	}{
		{reducing("datetime.datetime", "(2024, 1, 2, 3, 4, 5, 6, datetime.timezone.utc)"), time.Date(2024, 1, 2, 3, 4, 5, 6000, time.UTC)},
		{reducing("datetime.datetime", "(2024, 1, 2)"), time.Date(2024, 1, 2, 0, 0, 0, 0, Naive)},
		{reducing("datetime.date", "(2024, 1, 2)"), Date{2024, 1, 2}},
		{reducing("datetime.time", "(1, 2)"), TimeOfDay{Hour: 1, Minute: 2}},
		{reducing("datetime.time", "(1, 2, 3, 4, None)"), TimeOfDay{Hour: 1, Minute: 2, Second: 3, Microsecond: 4}},
		{reducing("datetime.timedelta", "(1, 2, 3, 4, 5, 6, 7)"),
			(1+7*7)*24*time.Hour + 6*time.Hour + 5*time.Minute + 2*time.Second + 4*time.Millisecond + 3*time.Microsecond},
		{reducing("datetime.timedelta", "(0, 10**6)"), 1e6 * time.Second},
		{reducing("decimal.Decimal", "('+.5e-3',)"), Decimal("0.0005")},
		{reducing("decimal.Decimal", "('inf',)"), Decimal("Infinity")},
		{reducing("decimal.Decimal", "('nan0012',)"), Decimal("NaN12")},
		{reducing("decimal.Decimal", "(12,)"), Decimal("12")},
		{reducing("fractions.Fraction", "(6, -4)"), big.NewRat(-3, 2)},
		{reducing("fractions.Fraction", "(0.375,)"), big.NewRat(3, 8)},
		{reducing("fractions.Fraction", "(decimal.Decimal('-1.25'),)"), big.NewRat(-5, 4)},
		{reducing("collections.deque", "([1, 2, 3], 2)"), &Deque{Items: List{int64(2), int64(3)}, MaxLen: 2}},
		{reducing("collections.deque", "((1, 2), None)"), NewDeque(int64(1), int64(2))},
		// NEWOBJ of defaultdict, its items set afterwards (as for a
		// subclass): defaultdict.__new__ ignores the factory.
		{"type('R', (object,), {'__class__': collections.defaultdict, '__reduce_ex__': lambda self, p: (__import__('copyreg').__newobj__, (collections.defaultdict, list), None, None, iter([(1, 2)]))})()",
			defaultdictItems},
		{reducing("collections.defaultdict", "(None, {1: 2})"), defaultdictItems},
		{reducing("collections.Counter", "(collections.OrderedDict([(1, 2)]),)"), &Counter{Dict: *mustDict(t, int64(1), int64(2))}},
		{reducing("list", "((1, 2),)"), &List{int64(1), int64(2)}},
		{reducing("list", "()"), &List{}},
		{reducing("dict", "([(1, 2), (3, 4)],)"), mustDict(t, int64(1), int64(2), int64(3), int64(4))},
		{reducing("dict", "({1: 2},)"), mustDict(t, int64(1), int64(2))},
		{reducing("tuple", "([1, 2],)"), Tuple{int64(1), int64(2)}},
		{reducing("tuple", "()"), Tuple{}},
	}
	var exprs []string
	for _, c := range cases {
		exprs = append(exprs, c.expr)
	}
	pickles := pyDumps(t, "3", exprs, protocolsUpTo(HighestProtocol))
	for _, c := range cases {
		for p, data := range pickles[c.expr] {
			// Protocols 0 and 1 spell NEWOBJ copyreg.__newobj__, which
			// the default allowlist does not admit.
			var got any
			require.NoError(t, Unmarshal(data, &got, AllowGlobals("copyreg.__newobj__")), "%s at protocol %d", c.expr, p)
			assertSameValue(t, c.want, got, fmt.Sprintf("%s at protocol %d", c.expr, p))
		}
	}
}

// TestStdlibEncodeFromGo writes values built in Go that do not come from a
// decoded pickle: they must be CPython's bytes for the equivalent value.
func TestStdlibEncodeFromGo(t *testing.T) {
	cases := []struct {
		v    any
		expr string
	}{
		{Decimal("1e5"), "decimal.Decimal('1E+5')"},
		{Decimal("+.50"), "decimal.Decimal('0.50')"},
		{Decimal("-inf"), "decimal.Decimal('-Infinity')"},
		{Decimal("snan003"), "decimal.Decimal('sNaN3')"},
		{new(big.Rat), "fractions.Fraction(0)"},
		{time.Time{}, "datetime.datetime(1, 1, 1, tzinfo=datetime.timezone.utc)"},
		{time.Date(2024, 1, 2, 3, 4, 5, 0, time.FixedZone("", 0)), "datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone(datetime.timedelta(0)))"},
		{TimeOfDay{Hour: 1, Location: Naive}, "datetime.time(1)"},
		{&List{time.UTC, time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)}, "[datetime.timezone.utc, datetime.datetime(2024, 1, 2, tzinfo=datetime.timezone.utc)]"},
		{Tuple{&Deque{MaxLen: -1}, &DefaultDict{Factory: Global{"builtins", "int"}}}, "(collections.deque(), collections.defaultdict(int))"},
	}
	// A zone with rules is written as its offset and abbreviation at that
	// instant, as Python's datetime.astimezone() writes local time.
	if berlin, err := time.LoadLocation("Europe/Berlin"); err == nil {
		cases = append(cases,
			struct {
				v    any
				expr string
			}{time.Date(2024, 7, 1, 12, 0, 0, 0, berlin), "datetime.datetime(2024, 7, 1, 12, tzinfo=datetime.timezone(datetime.timedelta(hours=2), 'CEST'))"},
			struct {
				v    any
				expr string
			}{time.Date(2024, 1, 1, 12, 0, 0, 0, berlin), "datetime.datetime(2024, 1, 1, 12, tzinfo=datetime.timezone(datetime.timedelta(hours=1), 'CET'))"})
	} else {
		t.Logf("no tz database: %v", err)
	}
	var exprs []string
	for _, c := range cases {
		exprs = append(exprs, c.expr)
	}
	pickles := pyDumps(t, "3", exprs, protocolsUpTo(HighestProtocol))
	for _, c := range cases {
		for p, data := range pickles[c.expr] {
			out, err := Marshal(c.v, Protocol(p))
			require.NoError(t, err, "%s", c.expr)
			assert.Equal(t, data, out, "%s at protocol %d", c.expr, p)
		}
	}
}

// TestStdlibFoldAtEveryProtocol: CPython drops a time's fold below protocol
// 4; we write it at every protocol, and Python 3 reads it back.
func TestStdlibFoldAtEveryProtocol(t *testing.T) {
	v := TimeOfDay{Hour: 1, Minute: 30, Fold: 1}
	var reqs []map[string]any
	for p := 0; p <= HighestProtocol; p++ {
		out, err := Marshal(v, Protocol(p))
		require.NoError(t, err)
		var back any
		require.NoError(t, Unmarshal(out, &back))
		assert.Equal(t, v, back, "protocol %d", p)
		reqs = append(reqs, map[string]any{"op": "loads", "data": hexOf(out)})
	}
	for p, r := range crossCheck(t, "3", reqs) {
		assert.Equal(t, "datetime.time(1, 30, fold=1)", r["repr"], "protocol %d", p)
	}
}

func TestStdlibEncodeErrors(t *testing.T) {
	values := []any{
		time.Date(10000, 1, 1, 0, 0, 0, 0, Naive), // beyond year 9999
		time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2024, 1, 1, 0, 0, 0, 0, time.FixedZone("", 86400)), // a day's offset
		Date{2023, 2, 29},
		TimeOfDay{Hour: 24},
		TimeOfDay{Fold: 2},
		Decimal("1.5x"),
		Decimal(" 1"),
		Decimal("1e1000000000000000000"),
		&Deque{Items: List{int64(1)}, MaxLen: 0},
		&Deque{MaxLen: -2},
		Naive, // nil *Deque and *big.Rat are None now: TestMarshalNilIsNone
	}
	if berlin, err := time.LoadLocation("Europe/Berlin"); err == nil {
		// A time of day has no date to find the offset at.
		values = append(values, TimeOfDay{Location: berlin})
	}
	for _, v := range values {
		_, err := Marshal(v)
		require.Error(t, err, "%#v", v)
		require.ErrorIs(t, err, ErrUnsupported, "%#v", v)
	}
	// A nanosecond is rounded away (TestShapesTimeRounding) unless
	// ExactTime asks for the error.
	for _, v := range []any{time.Date(2024, 1, 2, 3, 4, 5, 1, Naive), time.Nanosecond} {
		_, err := Marshal(v, ExactTime())
		require.ErrorIs(t, err, ErrUnsupported, "%#v", v)
	}
}

// TestStdlibKeyEquality checks dict key equality against CPython's: each
// pair is equal as keys exactly when Python's {a: 0, b: 0} has one entry.
func TestStdlibKeyEquality(t *testing.T) {
	pairs := []string{
		"decimal.Decimal('1.0'), 1",
		"decimal.Decimal('1.0'), 1.0",
		"decimal.Decimal('1'), True",
		"decimal.Decimal('-0'), 0",
		"decimal.Decimal('0E+5'), 0.0",
		"decimal.Decimal('0.5'), 0.5",
		"decimal.Decimal('0.1'), 0.1",
		"decimal.Decimal('0.1'), fractions.Fraction(1, 10)",
		"decimal.Decimal('1.50'), decimal.Decimal('1.5')",
		"decimal.Decimal('1E+22'), 1e22",
		"decimal.Decimal('1E+300'), 10**300",
		"decimal.Decimal('1E+300'), 1e300",
		"decimal.Decimal('123456789012345678901234567890'), 123456789012345678901234567890",
		"decimal.Decimal('Infinity'), float('inf')",
		"decimal.Decimal('-Infinity'), float('-inf')",
		"decimal.Decimal('NaN'), decimal.Decimal('NaN')",
		"decimal.Decimal('5E-324'), 5e-324",
		"decimal.Decimal('0.5'), complex(0.5, 0)",
		"fractions.Fraction(1, 2), 0.5",
		"fractions.Fraction(1, 2), decimal.Decimal('0.5')",
		"fractions.Fraction(1, 3), 1/3",
		"fractions.Fraction(5), 5",
		"fractions.Fraction(2**100), 2**100",
		"fractions.Fraction(2**100, 3), fractions.Fraction(2**101, 6)",
		"fractions.Fraction(1, 2**1074), 5e-324",
		"datetime.datetime(2024, 1, 1), datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)",
		"datetime.datetime(2024, 1, 1, 12, tzinfo=datetime.timezone.utc), datetime.datetime(2024, 1, 1, 13, tzinfo=datetime.timezone(datetime.timedelta(hours=1)))",
		"datetime.datetime(2024, 1, 1, 12, tzinfo=datetime.timezone.utc), datetime.datetime(2024, 1, 1, 12, tzinfo=datetime.timezone(datetime.timedelta(hours=1)))",
		"datetime.datetime(2024, 1, 1), datetime.datetime(2024, 1, 1, 0, 0, 0, 0)",
		"datetime.datetime(2024, 1, 1), datetime.date(2024, 1, 1)",
		"datetime.date(2024, 1, 1), datetime.date(2024, 1, 1)",
		"datetime.time(12, tzinfo=datetime.timezone.utc), datetime.time(13, tzinfo=datetime.timezone(datetime.timedelta(hours=1), 'A'))",
		"datetime.time(12), datetime.time(12, tzinfo=datetime.timezone.utc)",
		"datetime.time(12), datetime.time(12)",
		"datetime.timedelta(1), datetime.timedelta(hours=24)",
		"datetime.timedelta(0), 0",
		"datetime.timezone(datetime.timedelta(hours=1), 'A'), datetime.timezone(datetime.timedelta(hours=1), 'B')",
		"datetime.timezone.utc, datetime.timezone(datetime.timedelta(0), 'UTC')",
		"datetime.timezone.utc, datetime.timedelta(0)",
		"uuid.UUID(int=1), uuid.UUID(int=1)",
		"uuid.UUID(int=1), 1",
	}
	var reqs []map[string]any
	for _, p := range pairs {
		reqs = append(reqs,
			map[string]any{"op": "dumps", "expr": stdExpr("(" + p + ")"), "protocol": 4},
			map[string]any{"op": "dumps", "expr": stdExpr("(lambda a, b: len({a: 0, b: 0}) == 1)(" + p + ")"), "protocol": 4})
	}
	res := crossCheck(t, "3", reqs)
	for i, p := range pairs {
		require.Nil(t, res[2*i]["error"], p)
		require.Nil(t, res[2*i+1]["error"], p)
		var pair, equal any
		data, _ := hex.DecodeString(res[2*i]["data"].(string))
		require.NoError(t, Unmarshal(data, &pair), p)
		data, _ = hex.DecodeString(res[2*i+1]["data"].(string))
		require.NoError(t, Unmarshal(data, &equal), p)
		a, b := pair.(Tuple)[0], pair.(Tuple)[1]
		ka, err := hashKey(a)
		require.NoError(t, err, p)
		kb, err := hashKey(b)
		require.NoError(t, err, p)
		assert.Equal(t, equal, ka == kb, "%s: Python says equal=%v; keys %#v, %#v", p, equal, ka, kb)
		// And the same inside a tuple, and in a Dict.
		ta, _ := hashKey(Tuple{a})
		tb, _ := hashKey(Tuple{b})
		assert.Equal(t, equal, ta == tb, "(%s,)", p)
		d := mustDict(t, a, "a", b, "b")
		assert.Equal(t, equal == true, d.Len() == 1, p)
	}

	// Unhashable values, with Python's messages.
	for _, c := range []struct {
		v   any
		msg string
	}{
		{NewDeque(), "unhashable type: 'collections.deque'"},
		{&DefaultDict{}, "unhashable type: 'collections.defaultdict'"},
		{&Counter{}, "unhashable type: 'Counter'"},
		{Decimal("sNaN"), "cannot hash a signaling NaN value"},
	} {
		_, err := hashKey(c.v)
		require.Error(t, err)
		assert.Contains(t, err.Error(), c.msg)
		assert.ErrorIs(t, err, ErrMalformed)
	}
}

// TestStdlibRepr compares Repr with Python's repr, for decoded values and for
// values built in Go.
func TestStdlibRepr(t *testing.T) {
	exprs := []string{
		"datetime.datetime(2024, 1, 2, 3, 4, 5, 6)",
		"datetime.datetime(2024, 1, 2, 3, 4)",
		"datetime.datetime(2024, 1, 2, 0, 0, 0, 5)",
		"datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)",
		"datetime.datetime(2024, 1, 2, tzinfo=datetime.timezone(datetime.timedelta(hours=-1), 'Y'))",
		"datetime.datetime(2024, 11, 3, 1, 30, fold=1)",
		"datetime.datetime(2024, 1, 2, tzinfo=datetime.timezone(datetime.timedelta(0), ''))",
		"datetime.date(2024, 1, 2)",
		"datetime.time()",
		"datetime.time(1, 2, 0, 5)",
		"datetime.time(1, 2, 3, tzinfo=datetime.timezone.utc, fold=1)",
		"datetime.timedelta(-1, 5, 7)",
		"datetime.timedelta(0)",
		"datetime.timedelta(microseconds=-1)",
		"datetime.timedelta.max",
		"datetime.timedelta.min",
		"datetime.timezone.utc",
		"datetime.timezone(datetime.timedelta(seconds=-3661), 'Z')",
		"datetime.timezone.max",
		"decimal.Decimal('1.10')",
		"[decimal.Decimal(s) for s in ('NaN', '-sNaN2', '-Infinity', '-0', '0E-10', '1E+5', '1E-7')]",
		"uuid.UUID('12345678-1234-5678-1234-567812345678')",
		"uuid.UUID(int=5, is_safe=uuid.SafeUUID.safe)",
		"fractions.Fraction(1, 3)",
		"fractions.Fraction(-5)",
		"collections.deque([1, 2])",
		"collections.deque([1, 2], maxlen=5)",
		"collections.deque(maxlen=0)",
		"(lambda d: (d.append(d), d)[1])(collections.deque([1]))",
		"collections.defaultdict(list, {1: [2]})",
		"collections.defaultdict(None, {})",
		"(lambda d: (d.__setitem__('me', d), d)[1])(collections.defaultdict(None))",
		"collections.defaultdict(collections.OrderedDict)",
		"collections.Counter({'a': 1, 'b': 3, 'c': 1, 'd': 2})",
		"collections.Counter({'a': 'x', 'b': 1})",
		"collections.Counter({'a': 'x', 'b': 'y'})",
		"collections.Counter({'a': 1.5, 'b': 2, 'c': True})",
		"collections.Counter()",
	}
	pickles := pyDumps(t, "3", exprs, []int{4})
	var reqs []map[string]any
	for _, e := range exprs {
		reqs = append(reqs, map[string]any{"op": "loads", "data": hexOf(pickles[e][4])})
	}
	for i, r := range crossCheck(t, "3", reqs) {
		var v any
		require.NoError(t, Unmarshal(pickles[exprs[i]][4], &v), exprs[i])
		assert.Equal(t, r["repr"], Repr(v), exprs[i])
	}

	// Values built in Go.
	for _, c := range []struct {
		v    any
		want string
	}{
		{time.Date(2024, 1, 2, 3, 4, 5, 6000, Naive), "datetime.datetime(2024, 1, 2, 3, 4, 5, 6)"},
		{time.Date(2024, 1, 2, 3, 4, 0, 0, time.FixedZone("", 3600)), "datetime.datetime(2024, 1, 2, 3, 4, tzinfo=datetime.timezone(datetime.timedelta(seconds=3600)))"},
		{TimeOfDay{Hour: 12, Location: time.UTC}, "datetime.time(12, 0, tzinfo=datetime.timezone.utc)"},
		{Date{2024, 1, 2}, "datetime.date(2024, 1, 2)"},
		{90 * time.Minute, "datetime.timedelta(seconds=5400)"},
		{Decimal("1e5"), "Decimal('1E+5')"},
		{uuid1234, "UUID('12345678-1234-5678-1234-567812345678')"},
		{big.NewRat(-6, 4), "Fraction(-3, 2)"},
		{&Deque{Items: List{"a"}, MaxLen: 3}, "deque(['a'], maxlen=3)"},
		{&DefaultDict{Factory: Global{"mod", "make"}}, "defaultdict(<class 'mod.make'>, {})"},
	} {
		assert.Equal(t, c.want, Repr(c.v))
	}
}

// TestStdlibDecimalText checks the canonical spelling against Python's
// str(Decimal(s)), and that what Python rejects is rejected.
func TestStdlibDecimalText(t *testing.T) {
	valid := []string{
		"0", "-0", "1", "+1", "1.10", "1e5", "1E+5", "1e-5", "0.000001", "0.0000001", "10e-7", "123e-2", ".5", "5.", "-.5e+3",
		"0E-10", "0.000", "0E+2", "0e999999999999999999", "12e999999999999999998", "0.1e1000000000000000000",
		"0.1e-1999999999999999996", "0e-1999999999999999997", "1111111111111111111111111111111111111111e999999999999999959",
		"12345678901234567890e-30", "1.0e-7", "007.50", "inf", "-Inf", "INFINITY", "nan", "-NaN", "NaN007", "NaN0", "sNaN", "-snan12",
	}
	invalid := []string{
		"", "-", ".", "e5", "1e", "1e+", "--1", "1.2.3", "1e5.5", "abc", "NaNx", "infinit", "sNaN-1",
		"12e999999999999999999", "0e1000000000000000000", "10e-1999999999999999998", "1e9223372036854775807",
		"1e99999999999999999999999999",
	}
	var reqs []map[string]any
	for _, s := range append(append([]string{}, valid...), invalid...) {
		reqs = append(reqs, map[string]any{"op": "dumps", "expr": stdExpr(fmt.Sprintf("str(decimal.Decimal(%q))", s)), "protocol": 4})
	}
	res := crossCheck(t, "3", reqs)
	for i, s := range valid {
		require.Nil(t, res[i]["error"], s)
		data, _ := hex.DecodeString(res[i]["data"].(string))
		var want any
		require.NoError(t, Unmarshal(data, &want))
		p, ok := parseDecimal(s)
		require.True(t, ok, s)
		assert.Equal(t, want, p.String(), s)
		assert.Equal(t, want, Decimal(s).String(), s)
	}
	for i, s := range invalid {
		assert.NotNil(t, res[len(valid)+i]["error"], "Python accepts %q", s)
		_, ok := parseDecimal(s)
		assert.False(t, ok, s)
	}
}

// TestStdlibContainersReceiveItems: deque, defaultdict and Counter take
// APPENDS and SETITEMS, and deque keeps only maxlen items.
func TestStdlibContainersReceiveItems(t *testing.T) {
	d := &Deque{MaxLen: 3}
	for i := range 10 {
		require.NoError(t, d.appendItems([]any{int64(i)}))
	}
	require.NoError(t, d.appendItems([]any{"a", "b"}))
	assert.Equal(t, List{int64(9), "a", "b"}, d.Items)
	require.NoError(t, d.appendItems(rangeItems(5)))
	assert.Equal(t, List{int64(2), int64(3), int64(4)}, d.Items)
	z := &Deque{MaxLen: 0}
	require.NoError(t, z.appendItems([]any{int64(1)}))
	assert.Empty(t, z.Items)
	u := NewDeque()
	require.NoError(t, u.appendItems(rangeItems(3)))
	assert.Len(t, u.Items, 3)

	dd := &DefaultDict{}
	require.NoError(t, dd.setItem(int64(1), "a"))
	require.NoError(t, dd.setItem(1.0, "b"))
	v, ok := dd.Get(int64(1))
	assert.True(t, ok)
	assert.Equal(t, "b", v)
	require.Error(t, dd.setItem(&List{}, 1))
	c := &Counter{}
	require.NoError(t, c.setItem("x", int64(1)))
	assert.Equal(t, 1, c.Len())
}

// TestStdlibNaive documents the naive Location.
func TestStdlibNaive(t *testing.T) {
	assert.NotSame(t, time.UTC, Naive)
	assert.NotSame(t, time.FixedZone("", 0), Naive, "FixedZone caches unnamed zones: Naive must not be one")
	assert.Equal(t, "naive", Naive.String())
	var v any
	out, err := Marshal(time.Date(2024, 1, 2, 0, 0, 0, 0, Naive))
	require.NoError(t, err)
	require.NoError(t, Unmarshal(out, &v))
	assert.Same(t, Naive, v.(time.Time).Location())
}

// TestStdlibFixturesCoverEveryType makes sure the CPython fixtures hold each
// type, so that the fixture tests cover them.
func TestStdlibFixturesCoverEveryType(t *testing.T) {
	seen := map[string]bool{}
	var walk func(v any, depth int)
	walk = func(v any, depth int) {
		if depth > 20 {
			return
		}
		switch x := v.(type) {
		case time.Time:
			seen["time.Time "+strings.Fields(locIdentity(x.Location()))[0]] = true
		case Date, TimeOfDay, time.Duration, Decimal, UUID, *big.Rat, *Deque, *DefaultDict, *Counter:
			seen[fmt.Sprintf("%T", v)] = true
		case *time.Location:
			seen["*time.Location"] = true
		case *Object:
			if g, ok := x.Class.(Global); ok && (g.Module == "datetime" || g.Module == "uuid" || g.Module == "decimal") {
				seen["symbolic "+g.String()] = true
			}
		}
		if items, ok := iterableItems(v); ok {
			for _, it := range items {
				walk(it, depth+1)
			}
		}
		if items, ok := dictItems(v); ok {
			for _, it := range items {
				walk(it.Key, depth+1)
				walk(it.Value, depth+1)
			}
		}
	}
	for _, f := range loadFixtures(t) {
		var v any
		if err := Unmarshal(f.Data, &v, f.decodeOptions()...); err == nil {
			walk(v, 0)
		}
	}
	for _, want := range []string{
		"time.Time naive", "time.Time utc", "time.Time fixed", "pickle.Date", "pickle.TimeOfDay", "time.Duration",
		"*time.Location", "pickle.Decimal", "pickle.UUID", "*big.Rat", "*pickle.Deque", "*pickle.DefaultDict",
		"*pickle.Counter", "symbolic datetime.datetime", "symbolic datetime.timedelta", "symbolic datetime.timezone",
		"symbolic uuid.UUID",
	} {
		assert.True(t, seen[want], "no fixture holds a %s", want)
	}
}

func TestStdlibErrorsAreTyped(t *testing.T) {
	_, err := Marshal(&List{Decimal("x")})
	var ee *EncodeError
	require.ErrorAs(t, err, &ee)
	assert.Equal(t, "[0]", ee.Path)
	assert.True(t, errors.Is(err, ErrUnsupported))
}
