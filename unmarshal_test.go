package pickle

import (
	"encoding/hex"
	"fmt"
	"math/big"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Go types for the classes of testdata/fixture_classes.py.
type (
	plainFixture struct {
		A int64  `pickle:"a"`
		B string `pickle:"b"`
		C []int  `pickle:"c"`
	}
	slotsFixture struct {
		X int
		Y string
	}
	getStateTupleFixture struct {
		A int
		B string
	}
	reduceArgsFixture struct {
		X, Y any
	}
	kwNewFixture struct {
		A int
		B []int
	}
	innerFixture struct {
		X int `pickle:"x"`
	}
	classicPlainFixture struct {
		A int
		B []int
	}
	classicInitArgsFixture struct {
		X int
		Y string
	}
	classicGetStateFixture struct {
		V int
	}
)

func (g *getStateTupleFixture) PickleSetState(state any) error {
	t, ok := state.(Tuple)
	if !ok || len(t) != 2 {
		return fmt.Errorf("want a 2-tuple, got %s", Repr(state))
	}
	a, ok1 := t[0].(int64)
	b, ok2 := t[1].(string)
	if !ok1 || !ok2 {
		return fmt.Errorf("want (int, str), got %s", Repr(state))
	}
	g.A, g.B = int(a), b
	return nil
}

func (g *getStateTupleFixture) PickleGetState() (any, error) {
	return Tuple{int64(g.A), g.B}, nil
}

func (r *reduceArgsFixture) PickleInit(args Tuple, kwargs *Dict) error {
	if len(args) != 2 {
		return fmt.Errorf("want 2 arguments, got %d", len(args))
	}
	r.X, r.Y = args[0], args[1]
	return nil
}

func (c *classicInitArgsFixture) PickleInit(args Tuple, kwargs *Dict) error {
	if len(args) != 2 {
		return fmt.Errorf("want 2 arguments, got %d", len(args))
	}
	x, _ := args[0].(int64)
	y, _ := args[1].(string)
	c.X, c.Y = int(x), y
	return nil
}

func (c *classicGetStateFixture) PickleGetState() (any, error) {
	return Tuple{"state", int64(c.V)}, nil
}

func (c *classicGetStateFixture) PickleSetState(state any) error {
	t, ok := state.(Tuple)
	if !ok || len(t) != 2 {
		return fmt.Errorf("want a 2-tuple, got %s", Repr(state))
	}
	v, _ := t[1].(int64)
	c.V = int(v)
	return nil
}

func mustMarshal(v any) []byte {
	b, err := Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// fixtureClasses registers the fixture classes.
var fixtureClasses = []Option{
	RegisterClass("fixture_classes.Plain", plainFixture{}),
	RegisterClass("fixture_classes.Slots", slotsFixture{}),
	RegisterClass("fixture_classes.GetStateTuple", getStateTupleFixture{}),
	RegisterClass("fixture_classes.ReduceArgs", reduceArgsFixture{}),
	RegisterClass("fixture_classes.Outer.Inner", innerFixture{}),
	RegisterClass("fixture_classes.ClassicPlain", classicPlainFixture{}),
	RegisterClass("fixture_classes.ClassicInitArgs", classicInitArgsFixture{}),
	RegisterClass("fixture_classes.ClassicGetState", classicGetStateFixture{}),
	RegisterClassFuncs("fixture_classes.KwNew", kwNewFixture{}, ClassFuncs{
		Init: func(ptr any, args Tuple, kwargs *Dict) error {
			k := ptr.(*kwNewFixture)
			a, _ := args[0].(int64)
			k.A = int(a)
			b, _ := kwargs.Get("b")
			return Unmarshal(mustMarshal(b), &k.B)
		},
	}),
}

// TestUnmarshalFixtureClasses decodes the instances CPython 2.7 and 3.6-3.13
// wrote, at every protocol, into Go structs, and checks every field.
func TestUnmarshalFixtureClasses(t *testing.T) {
	want := map[string]any{
		"obj_plain":          plainFixture{1, "two", []int{1, 2}},
		"obj_slots":          slotsFixture{1, "b"},
		"obj_getstate_tuple": getStateTupleFixture{1, "x"},
		"obj_reduce_args":    reduceArgsFixture{int64(3), "four"},
		"obj_nested_class":   innerFixture{1},
		"obj_getnewargs_ex":  kwNewFixture{1, []int{2}},
		"classic_plain":      classicPlainFixture{1, []int{1, 2}},
		"classic_initargs":   classicInitArgsFixture{1, "y"},
		"classic_getstate":   classicGetStateFixture{5},
	}
	checked := map[string]int{}
	for _, f := range loadFixtures(t) {
		name := strings.TrimSuffix(f.Name, f.Name[strings.LastIndex(f.Name, ".p"):])
		w, ok := want[name]
		if !ok {
			continue
		}
		opts := append([]Option{Encoding("latin1")}, fixtureClasses...)
		// Into a typed target.
		dst := reflect.New(reflect.TypeOf(w))
		require.NoError(t, Unmarshal(f.Data, dst.Interface(), opts...), "%s/%s", f.Writer, f.Name)
		assert.Equal(t, w, dst.Elem().Interface(), "%s/%s", f.Writer, f.Name)
		// Into `any`: registered classes become their Go types.
		var v any
		require.NoError(t, Unmarshal(f.Data, &v, opts...))
		assert.IsType(t, w, v, "%s/%s", f.Writer, f.Name)
		checked[name]++
	}
	for name := range want {
		assert.NotZero(t, checked[name], "no fixture for %s", name)
	}
	t.Logf("checked %v", checked)
}

type row struct {
	ID     int64    `pickle:"id"`
	Name   string   `pickle:"name"`
	Score  float64  `pickle:"score"`
	Tags   []string `pickle:"tags"`
	Active bool     `pickle:"active"`
	Parent *int64   `pickle:"parent"`
	Extra  string   // untagged: its Go name
}

func TestUnmarshalStructsFromDicts(t *testing.T) {
	var rows []row
	data := livePickle(t, `[{'id': 1, 'name': 'a', 'score': 1.5, 'tags': ['x'], 'active': True, 'parent': None, 'Extra': 'e', 'unknown': 0},
		{'id': 2, 'name': 'b', 'score': 3, 'tags': [], 'active': False, 'parent': 1}]`, 2)
	require.NoError(t, Unmarshal(data, &rows))
	one := int64(1)
	assert.Equal(t, []row{
		{ID: 1, Name: "a", Score: 1.5, Tags: []string{"x"}, Active: true, Extra: "e"},
		{ID: 2, Name: "b", Score: 3, Tags: []string{}, Parent: &one},
	}, rows)

	err := Unmarshal(data, &rows, DisallowUnknownFields())
	var ute *UnmarshalTypeError
	require.ErrorAs(t, err, &ute)
	assert.Contains(t, err.Error(), `unknown field "unknown"`)
}

func TestUnmarshalTypeErrors(t *testing.T) {
	data := livePickle(t, `[{'id': 1, 'name': 'a', 'score': 'high'}]`, 4)
	var rows []row
	err := Unmarshal(data, &rows)
	var ute *UnmarshalTypeError
	require.ErrorAs(t, err, &ute)
	assert.Equal(t, "[0].score", ute.Path)
	assert.Equal(t, "str", ute.Value)
	assert.Equal(t, reflect.TypeFor[float64](), ute.Type)
	assert.Equal(t, "pickle: cannot unmarshal Python str into Go value of type float64 at [0].score", err.Error())

	cases := []struct {
		expr   string
		target any
		detail string
	}{
		{"300", new(int8), "300 overflows int8"},
		{"-1", new(uint), "-1 is negative"},
		{"2**64", new(uint64), "overflows uint64"},
		{"2**64", new(int64), "overflows int64"},
		{"2**53 + 1", new(float64), "does not convert to a float exactly"},
		{"1e300", new(float32), "overflows float32"},
		{"(1, 2, 3)", new([2]int), "3 items for an array of 2"},
		{"{1: 2}", new(row), "is not a str"},
		{"'x'", new([]int), ""},
		{"[1, 'x']", new([]int), ""},
		{"True", new(int), ""},
		{"{(1, 2): 'a'}", new(map[[3]int]string), "2 items for an array of 3"},
	}
	for _, c := range cases {
		err := Unmarshal(livePickle(t, c.expr, 2), c.target)
		require.ErrorAs(t, err, &ute, c.expr)
		assert.Contains(t, err.Error(), c.detail, c.expr)
	}
}

func TestUnmarshalConversions(t *testing.T) {
	type point struct{ X, Y int }
	var m1 map[[2]int]string
	require.NoError(t, Unmarshal(livePickle(t, "{(1, 2): 'a', (3, 4): 'b'}", 4), &m1))
	assert.Equal(t, map[[2]int]string{{1, 2}: "a", {3, 4}: "b"}, m1)
	var m2 map[point]float64
	require.NoError(t, Unmarshal(livePickle(t, "{(1, 2): 0.5}", 4), &m2))
	assert.Equal(t, map[point]float64{{1, 2}: 0.5}, m2)
	var m3 map[int64]float64
	require.NoError(t, Unmarshal(livePickle(t, "{i: i / 2 for i in range(5)}", 4), &m3))
	assert.Len(t, m3, 5)
	var m4 map[bool]string
	require.NoError(t, Unmarshal(livePickle(t, "{True: 'y', False: 'n'}", 0), &m4))
	assert.Equal(t, map[bool]string{true: "y", false: "n"}, m4)

	var sets [][]int
	require.NoError(t, Unmarshal(livePickle(t, "[{1}, frozenset({2}), (3,), [4]]", 4), &sets))
	assert.Equal(t, [][]int{{1}, {2}, {3}, {4}}, sets)

	var bs [][]byte
	require.NoError(t, Unmarshal(livePickle(t, "[b'ab', bytearray(b'cd')]", 2), &bs))
	assert.Equal(t, [][]byte{[]byte("ab"), []byte("cd")}, bs)

	var big1 *big.Int
	var big2 big.Int
	require.NoError(t, Unmarshal(livePickle(t, "2**100", 2), &big1))
	require.NoError(t, Unmarshal(livePickle(t, "-5", 2), &big2))
	assert.Equal(t, "1267650600228229401496703205376", big1.String())
	assert.Equal(t, "-5", big2.String())

	var c complex64
	require.NoError(t, Unmarshal(livePickle(t, "complex(1, -2)", 2), &c))
	assert.Equal(t, complex64(complex(1, -2)), c)

	var anyField struct{ V any }
	require.NoError(t, Unmarshal(livePickle(t, "{'V': [1, (2,)]}", 4), &anyField))
	assert.Equal(t, "[1, (2,)]", Repr(anyField.V))
}

func TestUnmarshalSharedPointers(t *testing.T) {
	type node struct {
		Name string
		Next *node
	}
	// a -> b -> a: a cycle, and two references to b.
	data := livePickle(t, `(lambda a, b: (a.update(Name='a', Next=b), b.update(Name='b', Next=a), [a, b, b])[2])({}, {})`, 4)
	var nodes []*node
	require.NoError(t, Unmarshal(data, &nodes))
	require.Len(t, nodes, 3)
	assert.Same(t, nodes[1], nodes[2])
	assert.Same(t, nodes[0].Next, nodes[1])
	assert.Same(t, nodes[1].Next, nodes[0])
}

// TestUnmarshalBillionLaughs decodes a small pickle that references one list
// exponentially often: into `any` it stays small (shared), and into a typed
// target it stops at the budget instead of expanding.
func TestUnmarshalBillionLaughs(t *testing.T) {
	var b strings.Builder
	b.WriteString("\x80\x04]\x94K\x00a") // memo 0 = [0]
	for i := 0; i < 30; i++ {
		fmt.Fprintf(&b, "](h%c", byte(i)) // memo i+1 = [memo i] * 10
		for j := 0; j < 9; j++ {
			fmt.Fprintf(&b, "h%c", byte(i))
		}
		b.WriteString("e\x94")
	}
	b.WriteString(".")
	data := []byte(b.String())
	require.Less(t, len(data), 1024)

	var v any
	require.NoError(t, Unmarshal(data, &v))

	var typed [][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][]int
	err := Unmarshal(data, &typed)
	require.ErrorIs(t, err, ErrLimit)
}

func TestUnmarshalIntoNonPointer(t *testing.T) {
	var iue *InvalidUnmarshalError
	require.ErrorAs(t, Unmarshal([]byte("N."), row{}), &iue)
}

// TestUnmarshalLiveDataclass has CPython pickle a dataclass instance and Go
// decode it into a registered struct.
func TestUnmarshalLiveDataclass(t *testing.T) {
	type point struct {
		X     float64 `pickle:"x"`
		Y     float64 `pickle:"y"`
		Label string  `pickle:"label"`
	}
	for p := 0; p <= HighestProtocol; p++ {
		data := livePickle(t, "(lambda dc: (globals().__setitem__('Point', dc.make_dataclass('Point', ['x', 'y', 'label'], namespace={'__module__': '__main__'})), Point(1.5, -2, 'p'))[1])(__import__('dataclasses'))", p)
		var got point
		require.NoError(t, Unmarshal(data, &got, RegisterClass("__main__.Point", point{})), "protocol %d", p)
		assert.Equal(t, point{1.5, -2, "p"}, got)
	}
}

// livePickle pickles a Python expression with python3 at a protocol.
func livePickle(t testing.TB, expr string, protocol int) []byte {
	t.Helper()
	r := crossCheck(t, "3", []map[string]any{{"op": "dumps", "expr": expr, "protocol": protocol}})[0]
	if r["error"] != nil {
		t.Fatalf("python3 could not pickle %s: %v", expr, r["error"])
	}
	data, err := hex.DecodeString(r["data"].(string))
	require.NoError(t, err)
	return data
}

// TestUnmarshalStdlibIntoStructs decodes the standard library values CPython
// writes into the fields of a Go struct.
func TestUnmarshalStdlibIntoStructs(t *testing.T) {
	type event struct {
		When     time.Time     `pickle:"when"`
		Day      time.Time     `pickle:"day"`
		Lasted   time.Duration `pickle:"lasted"`
		Amount   Decimal       `pickle:"amount"`
		ID       UUID          `pickle:"id"`
		Queue    []int         `pickle:"queue"`
		Counts   map[string]int64
		Ratio    *big.Rat         `pickle:"ratio"`
		Defaults map[string][]int `pickle:"defaults"`
	}
	expr := `(lambda dt, dec, uuid, col, fr: {
		'when': dt.datetime(2024, 1, 2, 3, 4, 5, 6, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
		'day': dt.date(2024, 2, 29), 'lasted': dt.timedelta(days=1, microseconds=7),
		'amount': dec.Decimal('1.10'), 'id': uuid.UUID(int=12345), 'queue': col.deque([1, 2], maxlen=5),
		'Counts': col.Counter('aab'), 'ratio': fr.Fraction(1, 3), 'defaults': col.defaultdict(list, {'k': [1]})})(
		__import__('datetime'), __import__('decimal'), __import__('uuid'), __import__('collections'), __import__('fractions'))`
	for p := 0; p <= HighestProtocol; p++ {
		var ev event
		require.NoError(t, Unmarshal(livePickle(t, expr, p), &ev), "protocol %d", p)
		assert.Equal(t, time.Date(2024, 1, 2, 8, 4, 5, 6000, time.UTC), ev.When.UTC())
		_, offset := ev.When.Zone()
		assert.Equal(t, -5*3600, offset)
		assert.Equal(t, time.Date(2024, 2, 29, 0, 0, 0, 0, Naive), ev.Day)
		assert.Equal(t, 24*time.Hour+7*time.Microsecond, ev.Lasted)
		assert.Equal(t, Decimal("1.10"), ev.Amount)
		assert.Equal(t, UUID{14: 0x30, 15: 0x39}, ev.ID)
		assert.Equal(t, []int{1, 2}, ev.Queue)
		assert.Equal(t, map[string]int64{"a": 2, "b": 1}, ev.Counts)
		assert.Equal(t, big.NewRat(1, 3), ev.Ratio)
		assert.Equal(t, map[string][]int{"k": {1}}, ev.Defaults)
	}
}
