package pickle

import (
	"bytes"
	"fmt"
	"math"
	"math/big"
	"math/rand"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type marshalCase struct {
	name string
	v    any
	expr string // the Python value it must load as
}

type embedded struct {
	Inner string `pickle:"inner"`
}

type tagged struct {
	embedded
	A     int               `pickle:"a"`
	B     string            `pickle:"b,omitempty"`
	C     *int              `pickle:"c,omitempty"`
	Plain float64           // untagged
	Skip  int               `pickle:"-"`
	M     map[string][]byte `pickle:"m"`
	T     [2]int            `pickle:"t"`
}

// TestMarshalGoValuesLive writes Go values at every protocol and has Python 3
// (and Python 2 for protocols 0-2) check they load as the expected value.
func TestMarshalGoValuesLive(t *testing.T) {
	seven := 7
	shared := &[]int{1}
	cases := []marshalCase{
		{"bools", []bool{true, false}, "[True, False]"},
		{"ints", []any{int8(-8), int16(300), int32(-70000), int64(math.MinInt64), uint8(255), uint16(65535), uint32(math.MaxUint32), uint64(math.MaxUint64), uint(1)}, "[-8, 300, -70000, -2**63, 255, 65535, 2**32 - 1, 2**64 - 1, 1]"},
		{"floats", []any{float32(1.5), 0.1, math.Inf(-1)}, "[1.5, 0.1, float('-inf')]"},
		{"complex", []any{complex64(1 + 2i), complex(0, -1)}, "[complex(1, 2), complex(0, -1)]"},
		{"strings", []string{"", "abc", "é", "日本"}, "['', 'abc', '\\xe9', '\\u65e5\\u672c']"},
		{"bytes", [][]byte{nil, {}, []byte("ab")}, "[None, b'', b'ab']"},
		{"arrays", [3]int{1, 2, 3}, "[1, 2, 3]"},
		{"map sorted", map[int]string{3: "c", 1: "a", 2: "b"}, "{1: 'a', 2: 'b', 3: 'c'}"},
		{"map tuple keys", map[[2]int]bool{{1, 2}: true}, "{(1, 2): True}"},
		{"nil map", map[string]int(nil), "None"},
		{"struct", tagged{embedded: embedded{"in"}, A: 1, Plain: 2.5, M: map[string][]byte{"k": []byte("v")}, T: [2]int{4, 5}},
			"{'inner': 'in', 'a': 1, 'Plain': 2.5, 'm': {'k': b'v'}, 't': [4, 5]}"},
		{"struct omitempty set", tagged{A: 1, B: "b", C: &seven}, "{'inner': '', 'a': 1, 'b': 'b', 'c': 7, 'Plain': 0.0, 'm': None, 't': [0, 0]}"},
		{"pointers shared", []*[]int{shared, shared}, "(lambda x: [x, x])([1])"},
		{"big", []*big.Int{big.NewInt(-3), new(big.Int).Lsh(big.NewInt(1), 100)}, "[-3, 2**100]"},
		{"any", []any{nil, "x", Tuple{int64(1)}}, "[None, 'x', (1,)]"},
		// Issue 11: nil model pointers were memo references to earlier objects.
		{"nil model pointers", struct {
			A *List
			B *Dict
			C *big.Int
			D *Set
			E *Object
		}{}, "{'A': None, 'B': None, 'C': None, 'D': None, 'E': None}"},
		{"nil lists", []*List{nil, {int64(1)}, nil}, "[None, [1], None]"},
		// Issue 11: keys of types save writes otherwise were tuples of
		// their fields or items, or panicked while sorting.
		{"date keys", map[Date]int{{2024, 1, 1}: 1, {2023, 5, 6}: 2}, "{__import__('datetime').date(2023, 5, 6): 2, __import__('datetime').date(2024, 1, 1): 1}"},
		{"uuid keys", map[UUID]int{{1}: 1}, "{__import__('uuid').UUID('01000000-0000-0000-0000-000000000000'): 1}"},
		{"time keys", map[any]any{time.Date(2024, 1, 1, 0, 0, 0, 0, Naive): 1, time.Date(2023, 1, 1, 0, 0, 0, 0, Naive): 2},
			"{__import__('datetime').datetime(2023, 1, 1): 2, __import__('datetime').datetime(2024, 1, 1): 1}"},
		{"str and bytes keys", map[any]any{"k": 1, BytesKey("k"): 2, [2]any{BytesKey("x"), 1}: 3}, "{'k': 1, b'k': 2, (b'x', 1): 3}"},
	}
	var reqs3, reqs2 []map[string]any
	for _, c := range cases {
		for p := 0; p <= HighestProtocol; p++ {
			data, err := Marshal(c.v, Protocol(p))
			require.NoError(t, err, c.name)
			want := livePickle(t, c.expr, p)
			req := map[string]any{"op": "same", "a": hexOf(want), "b": hexOf(data)}
			reqs3 = append(reqs3, req)
			if p <= 2 && c.name != "strings" && c.name != "bytes" && c.name != "str and bytes keys" {
				reqs2 = append(reqs2, req)
			}
		}
	}
	for version, reqs := range map[string][]map[string]any{"3": reqs3, "2.7.18": reqs2} {
		for i, r := range crossCheck(t, version, reqs) {
			assert.Equal(t, true, r["ok"], "Python %s, request %d: %v", version, i, r)
		}
	}
}

func TestMarshalCycles(t *testing.T) {
	type node struct {
		Name string
		Next *node
	}
	a := &node{Name: "a"}
	b := &node{Name: "b", Next: a}
	a.Next = b
	data, err := Marshal([]*node{a, b})
	require.NoError(t, err)
	var back []*node
	require.NoError(t, Unmarshal(data, &back))
	require.Len(t, back, 2)
	assert.Same(t, back[0].Next, back[1])
	assert.Same(t, back[1].Next, back[0])

	m := map[string]any{}
	m["self"] = m
	data, err = Marshal(m)
	require.NoError(t, err)
	var v any
	require.NoError(t, Unmarshal(data, &v))
	assert.Equal(t, "{'self': {...}}", Repr(v))
}

func TestMarshalDeterministic(t *testing.T) {
	m := map[any]int{}
	for i := 0; i < 100; i++ {
		m[i] = i
		m[string(rune('a'+i%26))+string(rune('a'+i/26))] = i
		m[float64(i)+0.5] = i
	}
	first, err := Marshal(m)
	require.NoError(t, err)
	for range 20 {
		again, err := Marshal(m)
		require.NoError(t, err)
		require.True(t, bytes.Equal(first, again))
	}
}

func TestMarshalErrorsNamePath(t *testing.T) {
	type inner struct{ Ch chan int }
	type outer struct{ Rows []inner }
	_, err := Marshal(outer{Rows: []inner{{Ch: make(chan int)}}})
	var ee *EncodeError
	require.ErrorAs(t, err, &ee)
	assert.Equal(t, ".Rows[0].Ch", ee.Path)
	assert.Contains(t, err.Error(), "chan int")

	_, err = Marshal(map[string]func(){"f": func() {}})
	require.ErrorAs(t, err, &ee)
	assert.Equal(t, `["f"]`, ee.Path)
}

// TestMarshalRegisteredClassLive writes registered Go types that Python loads
// as instances of their classes, equal to ones Python made.
func TestMarshalRegisteredClassLive(t *testing.T) {
	cases := []marshalCase{
		{"plain", plainFixture{1, "two", []int{1, 2}}, "__import__('fixture_classes').Plain()"},
		{"plain pointer", &plainFixture{1, "two", []int{1, 2}}, "__import__('fixture_classes').Plain()"},
		{"getstate tuple", &getStateTupleFixture{1, "x"}, "__import__('fixture_classes').GetStateTuple()"},
		{"nested class", innerFixture{1}, "__import__('fixture_classes').Outer.Inner()"},
	}
	var reqs []map[string]any
	for _, c := range cases {
		for p := 0; p <= HighestProtocol; p++ {
			data, err := Marshal(c.v, append([]Option{Protocol(p)}, fixtureClasses...)...)
			require.NoError(t, err, c.name)
			reqs = append(reqs, map[string]any{"op": "same", "a": hexOf(livePickle(t, c.expr, p)), "b": hexOf(data)})
			// And back.
			var back any
			require.NoError(t, Unmarshal(data, &back, fixtureClasses...))
		}
	}
	for i, r := range crossCheck(t, "3", reqs) {
		assert.Equal(t, true, r["ok"], "%s at protocol %d: %v", cases[i/6].name, i%6, r)
	}
}

type withReducer struct{ N int }

func (w withReducer) PickleReduce() (*Object, error) {
	return &Object{Class: Global{"builtins", "complex"}, Args: Tuple{int64(w.N), int64(0)}}, nil
}

func TestMarshalReducer(t *testing.T) {
	data, err := Marshal([]any{withReducer{3}}, Protocol(2))
	require.NoError(t, err)
	var v any
	require.NoError(t, Unmarshal(data, &v))
	assert.Equal(t, "[(3+0j)]", Repr(v))
}

func TestMarshalPointersToStdlibValues(t *testing.T) {
	tm := time.Date(2024, 1, 2, 3, 4, 5, 6000, time.UTC)
	u := UUID{1, 2, 3}
	data, err := Marshal([]any{&tm, &u, &tm})
	require.NoError(t, err)
	var v any
	require.NoError(t, Unmarshal(data, &v))
	l := *v.(*List)
	assert.Equal(t, tm, l[0])
	assert.Equal(t, u, l[1])
	assert.Equal(t, tm, l[2])
}

// noQuickPaths is an Option for tests: Marshal without marshal_fast.go.
type noQuickPaths struct{}

func (noQuickPaths) apply(c *config) { c.noQuickPaths = true }

// TestMarshalQuickPathsMatch marshals Go values shaped after every fixture,
// and maps of every key kind the quick paths sort, with and without the
// quick paths: the bytes must be the same.
func TestMarshalQuickPathsMatch(t *testing.T) {
	var values []any
	for _, f := range loadFixtures(t) {
		var v any
		if Unmarshal(f.Data, &v, f.decodeOptions()...) != nil {
			continue
		}
		for _, alt := range []bool{false, true} {
			typ := shapeOf(v, 0, alt)
			if typ == nil {
				continue
			}
			p := reflect.New(typ)
			if Unmarshal(f.Data, p.Interface(), f.decodeOptions()...) == nil {
				values = append(values, p.Elem().Interface())
			}
		}
	}
	rng := rand.New(rand.NewSource(1))
	for _, n := range []int{0, 1, 2, 255, 256, 1000, 1001, 5000} {
		ints := map[int64]float64{}
		int8s := map[int8]string{}
		uints := map[uint64]bool{}
		strs := map[string]int32{}
		for range n {
			k := rng.Int63() >> rng.Intn(63)
			if rng.Intn(2) == 0 {
				k = -k
			}
			ints[k] = rng.Float64()
			int8s[int8(k)] = fmt.Sprint(k)
			uints[rng.Uint64()>>rng.Intn(64)] = k%2 == 0
			strs[fmt.Sprintf("k%x", k)] = int32(k)
		}
		ints[math.MinInt64], ints[math.MaxInt64], uints[math.MaxUint64] = 1, 2, true
		type nestedKey struct {
			A int8
			B uint16
			c [2]int64 // unexported: compared, not written
		}
		type pointKey struct{ X, Y int64 }
		nested := map[nestedKey]string{}
		points := map[pointKey][]int{}
		pairs := map[[2]int32]bool{}
		bigs := map[[1]uint64]int{}
		i64s, i2s := map[int64]int64{}, map[int64]string{}
		s2s, s2i, s2f := map[string]string{}, map[string]int64{}, map[string]float64{}
		for range n {
			nested[nestedKey{int8(rng.Intn(7) - 3), uint16(rng.Intn(5)), [2]int64{rng.Int63n(9) - 4, rng.Int63() >> rng.Intn(63)}}] = "v"
			points[pointKey{rng.Int63n(100) - 50, -rng.Int63()}] = []int{rng.Int()}
			pairs[[2]int32{int32(rng.Intn(3)), -int32(rng.Intn(1 << 30))}] = rng.Intn(2) == 0
			bigs[[1]uint64{rng.Uint64()}] = rng.Int()
			k := rng.Int63n(1<<40) - 1<<39
			i64s[k], i2s[k] = -k, fmt.Sprint(k%7)
			s2s[fmt.Sprint(k)], s2i[fmt.Sprint(k%1000)], s2f[fmt.Sprintf("%x", k)] = "v", k, float64(k)/3
		}
		values = append(values, ints, int8s, uints, strs, nested, points, pairs, bigs, i64s, i2s, s2s, s2i, s2f, []uint{math.MaxUint64, 3}, []float32{1.5, -2})
	}
	values = append(values, quickStructValues()...)
	// Float runs across frame (64 KiB) and segment (1 MiB) boundaries,
	// typed and in lists of `any`, alone and among other items.
	for _, n := range []int{2, 1001, 7282, 7283, 7300, 130000} {
		fs := make([]float64, n)
		l, mixed := make(List, n), make(List, n)
		for i := range fs {
			fs[i] = rng.NormFloat64()
			l[i], mixed[i] = fs[i], fs[i]
			if rng.Intn(50) == 0 {
				mixed[i] = int64(i)
			}
		}
		mixed[0], mixed[n-1] = "first", nil
		values = append(values, fs, struct {
			S string
			F []float64
		}{"x", fs}, &l, &mixed)
	}
	require.Greater(t, len(values), 4000)
	for _, f := range loadFixtures(t) {
		var v any
		if Unmarshal(f.Data, &v, f.decodeOptions()...) != nil {
			continue
		}
		for _, p := range []int{0, 2, 4} {
			general, err := Marshal(v, Protocol(p), noQuickPaths{})
			if err != nil {
				continue // not every decoded value encodes at every protocol
			}
			quick, err := Marshal(v, Protocol(p))
			require.NoError(t, err)
			require.Equal(t, general, quick, "%s at protocol %d", f.Name, p)
		}
	}
	for _, v := range values {
		for _, p := range []int{0, 2, 4} {
			quick, err := Marshal(v, Protocol(p))
			require.NoError(t, err)
			general, err := Marshal(v, Protocol(p), noQuickPaths{})
			require.NoError(t, err)
			require.Equal(t, general, quick, "%T at protocol %d", v, p)
		}
	}
	// Errors name the same place both ways.
	deep := &List{}
	for range DefaultMaxDepth {
		deep = &List{deep}
	}
	bad := "\xff"
	for _, v := range []any{&List{int64(1), bad}, dictOf(t, "k", bad), dictOf(t, bad, 1.5),
		&List{Tuple{bad}}, []string{"a", bad}, deep, []any{int64(1), &List{&List{bad}}}} {
		_, quick := Marshal(v)
		_, general := Marshal(v, noQuickPaths{})
		require.Error(t, general)
		require.Equal(t, general.Error(), quick.Error())
	}
	// A registered class in a slice, and a registered pointed-to type, are
	// written as classes, not as plain values.
	registered := []Option{RegisterClass("m.Rec", quickRecord{}), RegisterClass("m.Kind", registeredKind(0))}
	k := registeredKind(3)
	for _, v := range []any{quickStructValues()[0], []*registeredKind{&k, nil}, struct{ K *registeredKind }{&k}} {
		quick, err := Marshal(v, registered...)
		require.NoError(t, err)
		general, err := Marshal(v, append(registered, noQuickPaths{})...)
		require.NoError(t, err)
		require.Equal(t, general, quick, "%T", v)
	}
}

type quickRecord struct {
	ID     int64
	Score  *float64
	Parent *int64
	Name   *string
	Tags   []string
	Nums   [2]uint8
	When   time.Time
	Class  Global
	Args   Tuple
	ID2    UUID
	Red    withReducer
	PtrRed ptrReducer
	Inner  struct{ A []int32 }
	Any    any
}

type ptrReducer struct{ N int }

func (p *ptrReducer) PickleReduce() (*Object, error) {
	return &Object{Class: Global{"builtins", "complex"}, Args: Tuple{int64(0), int64(p.N)}}, nil
}

// quickStructValues are structs, and slices, arrays and maps of them, with
// fields of every kind saveQuick writes or refuses to.
func quickStructValues() []any {
	score, parent, name := 1.5, int64(-7), "n"
	recs := []quickRecord{
		{ID: 1, Score: &score, Parent: &parent, Name: &name, Tags: []string{"a", "b", name}, Nums: [2]uint8{1, 2},
			When: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), Class: Global{"m", "C"}, Args: Tuple{int64(1), "x"},
			ID2: UUID{9}, Red: withReducer{4}, PtrRed: ptrReducer{5}, Inner: struct{ A []int32 }{[]int32{-1}}, Any: &parent},
		{ID: 2, Parent: &parent, Tags: []string{}, Class: Global{"m", "D"}, Any: []quickRecord{{ID: 3, Class: Global{"m", "E"}}}},
		{Class: Global{"m", "C"}},
	}
	ptrs := []*int64{&parent, nil, &parent}
	return []any{recs, [3]quickRecord(recs), struct{ R []quickRecord }{recs}, &recs,
		map[string]quickRecord{"a": recs[0], "b": recs[1]}, ptrs, []*float64{&score, &score},
		[]*string{&name, &name}, [][]quickRecord{recs, recs[:1]}}
}

type registeredKind int16

// A registered class whose Go type is a scalar is written as its class
// called with its value, as its underlying type (as CPython writes an enum
// member; it was written as the class again, without end, until MaxDepth
// stopped it, and then with the value as the state), and decodes back.
func TestMarshalRegisteredNonStruct(t *testing.T) {
	opt := RegisterClass("m.Kind", registeredKind(0))
	k := registeredKind(-3)
	data, err := Marshal([]*registeredKind{&k, nil}, opt, Protocol(2))
	require.NoError(t, err)
	var v any
	require.NoError(t, Unmarshal(data, &v, AllowAllGlobals()))
	assert.Equal(t, "[m.Kind(-3), None]", Repr(v))
	var back []*registeredKind
	require.NoError(t, Unmarshal(data, &back, opt))
	require.Len(t, back, 2)
	assert.Equal(t, k, *back[0])
	assert.Nil(t, back[1])
}

// dictOf is a dict of one item.
func dictOf(t *testing.T, k, v any) *Dict {
	d := NewDict(1)
	require.NoError(t, d.Set(k, v))
	return d
}
