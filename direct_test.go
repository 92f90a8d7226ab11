package pickle

import (
	"errors"
	"fmt"
	"math/big"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/require"
)

// The direct decoder (direct.go) must give what the general path gives, or
// give up. These tests decode the same pickles both ways into the same Go
// types and compare.

// shapeOf returns a Go type that v fits: what a Go program reading that data
// would declare. Dicts with str keys become structs (a field per key) or
// maps, tuples arrays or slices, None a nil pointer or slice. nil when v has
// no such type (mixed lists, objects, sets, cycles).
func shapeOf(v any, depth int, alt bool) reflect.Type {
	if depth > 12 {
		return nil
	}
	switch x := v.(type) {
	case nil:
		return nil
	case bool:
		return reflect.TypeFor[bool]()
	case int64:
		if alt {
			return reflect.TypeFor[float64]() // ints into floats, when exact
		}
		return reflect.TypeFor[int64]()
	case *big.Int:
		if alt && x.IsUint64() {
			return reflect.TypeFor[uint64]()
		}
		return reflect.TypeFor[*big.Int]()
	case float64:
		return reflect.TypeFor[float64]()
	case string:
		return reflect.TypeFor[string]()
	case []byte, *ByteArray:
		return reflect.TypeFor[[]byte]()
	case Tuple:
		elem, ok := unifyShapes(x, depth, alt)
		if !ok {
			return nil
		}
		if len(x) <= 4 && !alt {
			return reflect.ArrayOf(len(x), elem)
		}
		return reflect.SliceOf(elem)
	case *List:
		elem, ok := unifyShapes(*x, depth, alt)
		if !ok {
			return nil
		}
		if alt && elem.Kind() != reflect.Pointer {
			elem = reflect.PointerTo(elem)
		}
		return reflect.SliceOf(elem)
	case *Dict:
		keys := make([]any, 0, x.Len())
		values := make([]any, 0, x.Len())
		structOK := x.Len() > 0 && !alt
		for _, it := range x.items {
			keys = append(keys, it.Key)
			values = append(values, it.Value)
			s, isStr := it.Key.(string)
			if !isStr || s == "" || s == "-" || strings.ContainsAny(s, ",\"`\\") || !isFieldName(s) {
				structOK = false
			}
		}
		if structOK {
			var fields []reflect.StructField
			for i, it := range x.items {
				ft := shapeOf(it.Value, depth+1, alt)
				if it.Value == nil {
					ft = reflect.TypeFor[*int64]()
				}
				if ft == nil {
					return nil
				}
				fields = append(fields, reflect.StructField{
					Name: fmt.Sprintf("F%d", i),
					Type: ft,
					Tag:  reflect.StructTag(fmt.Sprintf(`pickle:"%s"`, it.Key)),
				})
			}
			return reflect.StructOf(fields)
		}
		kt, ok := unifyShapes(keys, depth, alt)
		if !ok || !kt.Comparable() || kt.Kind() == reflect.Pointer {
			return nil
		}
		vt, ok := unifyShapes(values, depth, alt)
		if !ok {
			return nil
		}
		return reflect.MapOf(kt, vt)
	}
	return nil
}

// isFieldName reports whether a dict key is a plain identifier, so that a
// struct tag holds it as it is.
func isFieldName(s string) bool {
	for _, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// unifyShapes returns a type every item fits: None items make it a pointer.
func unifyShapes(items []any, depth int, alt bool) (reflect.Type, bool) {
	var t reflect.Type
	none := false
	for _, it := range items {
		if it == nil {
			none = true
			continue
		}
		s := shapeOf(it, depth+1, alt)
		if s == nil || (t != nil && s != t) {
			return nil, false
		}
		t = s
	}
	if t == nil {
		return reflect.TypeFor[int64](), true
	}
	if none && t.Kind() != reflect.Pointer && t.Kind() != reflect.Slice {
		t = reflect.PointerTo(t)
	}
	return t, true
}

// otherTargets are types that most pickles do not fit, to make the direct
// decoder give up in every way it can.
var otherTargets = []reflect.Type{
	reflect.TypeFor[[]int64](),
	reflect.TypeFor[[]string](),
	reflect.TypeFor[[]*int32](),
	reflect.TypeFor[[2]float64](),
	reflect.TypeFor[map[string]string](),
	reflect.TypeFor[map[int64][]uint8](),
	reflect.TypeFor[map[[2]int64]string](),
	reflect.TypeFor[struct {
		A int64
		B string `pickle:"b"`
		C []int8
	}](),
	reflect.TypeFor[[][]byte](),
	reflect.TypeFor[*[]uint16](),
	reflect.TypeFor[[]bool](),
	reflect.TypeFor[[]*[]int64](),
	reflect.TypeFor[map[string]*[]string](),
	reflect.TypeFor[map[int64]float64](),
	reflect.TypeFor[map[int64]int64](),
	reflect.TypeFor[map[int64]string](),
	reflect.TypeFor[map[string]int64](),
	reflect.TypeFor[map[string]float64](),
	reflect.TypeFor[[]struct {
		_ struct{} `pickle:",tuple"`
		A any
		B int64
	}](),
}

var equalDecoded = cmp.Options{cmpopts.EquateNaNs(), cmp.Comparer(func(a, b *big.Int) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Cmp(b) == 0
}), cmp.Comparer(func(a, b big.Int) bool { return a.Cmp(&b) == 0 })}

// compareDirect decodes data into a new value of type t both ways and
// reports whether the direct decoder decoded it (rather than giving up).
func compareDirect(t testing.TB, data []byte, typ reflect.Type, opts []Option) bool {
	t.Helper()
	general := reflect.New(typ)
	errGeneral := unmarshal(data, general.Interface(), false, opts)
	both := reflect.New(typ)
	errBoth := unmarshal(data, both.Interface(), true, opts)
	if (errGeneral == nil) != (errBoth == nil) || errGeneral != nil && errGeneral.Error() != errBoth.Error() {
		t.Fatalf("into %s: general path: %v; with the direct decoder: %v", typ, errGeneral, errBoth)
	}
	if diff := cmp.Diff(general.Elem().Interface(), both.Elem().Interface(), equalDecoded, exportModel); diff != "" {
		t.Fatalf("into %s: the direct decoder differs from the general path (-general +direct):\n%s", typ, diff)
	}
	cfg, err := newConfig(opts)
	require.NoError(t, err)
	plan, dst := directTarget(reflect.New(typ).Interface())
	if plan == nil {
		return false
	}
	_, err = decodeDirect(data, cfg, plan, dst)
	if err != nil && !errors.Is(err, errGiveUp) {
		t.Fatalf("into %s: direct decoder: %v", typ, err)
	}
	if err == nil && errGeneral != nil && !strings.Contains(errGeneral.Error(), "trailing data") {
		t.Fatalf("into %s: the direct decoder decoded what the general path refuses: %v", typ, errGeneral)
	}
	return err == nil
}

func TestDirectMatchesGeneral(t *testing.T) {
	direct, shaped := 0, 0
	for _, f := range loadFixtures(t) {
		opts := f.decodeOptions()
		var v any
		if err := Unmarshal(f.Data, &v, opts...); err != nil {
			continue
		}
		targets := otherTargets
		for _, alt := range []bool{false, true} {
			if typ := shapeOf(v, 0, alt); typ != nil {
				targets = append([]reflect.Type{typ}, targets...)
				shaped++
			}
		}
		for _, typ := range targets {
			if compareDirect(t, f.Data, typ, opts) {
				direct++
			}
		}
	}
	t.Logf("%d fixtures shaped into Go types; %d decodes went the direct way", shaped, direct)
	// Most fixtures of plain data go the direct way: if none did, this
	// test would prove nothing.
	require.Greater(t, direct, 5000)
}

// A list is filled in its container's own slice header, which the decoder
// reuses: a pointer to a list must point elsewhere, and stay valid after
// the next decodes.
func TestDirectPointersToListsOutliveTheDecoder(t *testing.T) {
	first := dumps(t, &List{&List{int64(1), int64(2)}, &List{int64(3)}})
	var got struct {
		P *[]int64
		L []*[]int64
	}
	want := []int64{7, 8, 9}
	require.NoError(t, Unmarshal(dumps(t, dict(t, "P", &List{int64(7), int64(8), int64(9)})), &got))
	require.NoError(t, Unmarshal(first, &got.L))
	for range 3 {
		var other []*[]int64
		require.NoError(t, Unmarshal(dumps(t, &List{&List{int64(-1), int64(-1), int64(-1)}}), &other))
	}
	require.Equal(t, want, *got.P)
	require.Len(t, got.L, 2)
	require.Equal(t, []int64{1, 2}, *got.L[0])
	require.Equal(t, []int64{3}, *got.L[1])
}

// Short lists share chunks (carve); each is its own slice all the same:
// appending to one leaves its neighbours as they were.
func TestDirectShortListsAreSeparate(t *testing.T) {
	var got [][]string
	require.NoError(t, Unmarshal(dumps(t, &List{&List{"a", "b"}, &List{"c"}, &List{"d", "e"}}), &got))
	require.Equal(t, [][]string{{"a", "b"}, {"c"}, {"d", "e"}}, got)
	for i := range got {
		require.Equal(t, len(got[i]), cap(got[i]))
	}
	got[0] = append(got[0], "x")
	got[1] = append(got[1], "y")
	require.Equal(t, [][]string{{"a", "b", "x"}, {"c", "y"}, {"d", "e"}}, got)
	// So are pointers to scalars, which share chunks too.
	var ptrs []*int64
	require.NoError(t, Unmarshal(dumps(t, &List{int64(1), nil, int64(3), int64(3)}), &ptrs))
	require.Nil(t, ptrs[1])
	require.NotSame(t, ptrs[2], ptrs[3])
	*ptrs[2] = 30
	require.Equal(t, []int64{1, 30, 3}, []int64{*ptrs[0], *ptrs[2], *ptrs[3]})
}

// TestDirectDecodesPayloads pins that the benchmark payloads, in their
// typed targets, are decoded directly, without giving up.
func TestDirectDecodesPayloads(t *testing.T) {
	cfg, err := newConfig(nil)
	require.NoError(t, err)
	for _, f := range benchFiles(t) {
		target := benchTyped(f.payload)
		if target == nil {
			continue
		}
		plan, dst := directTarget(target)
		require.NotNil(t, plan, f.name)
		_, err := decodeDirect(f.data, cfg, plan, dst)
		require.NoError(t, err, f.name)
		compareDirect(t, f.data, reflect.TypeOf(target).Elem(), nil)
	}
}

// dumps pickles the model value v at protocol 4, as CPython would.
func dumps(t *testing.T, v any) []byte {
	t.Helper()
	data, err := Marshal(v, Protocol(4))
	require.NoError(t, err)
	return data
}

func dict(t *testing.T, kv ...any) *Dict {
	d := NewDict(len(kv) / 2)
	for i := 0; i < len(kv); i += 2 {
		require.NoError(t, d.Set(kv[i], kv[i+1]))
	}
	return d
}

func TestDirectGivesUp(t *testing.T) {
	type pair struct {
		A []int64 `pickle:"a"`
		B []int64 `pickle:"b"`
	}
	// One list referenced twice: the general path's.
	l := &List{int64(1), int64(2)}
	var p pair
	require.NoError(t, Unmarshal(dumps(t, dict(t, "a", l, "b", l)), &p))
	require.Equal(t, pair{[]int64{1, 2}, []int64{1, 2}}, p)

	// A value already set is the general path's: it sets only what the
	// pickle holds.
	q := pair{B: []int64{7}}
	require.NoError(t, Unmarshal(dumps(t, dict(t, "a", &List{int64(3)})), &q))
	require.Equal(t, pair{A: []int64{3}, B: []int64{7}}, q)

	// Trailing data: the same error, and the value left as it was.
	var r []int64
	data := append(dumps(t, &List{int64(1), int64(2)}), 'x')
	require.ErrorContains(t, Unmarshal(data, &r), "trailing data")
	require.Nil(t, r)

	// A value that does not fit, deep inside: the general path's error,
	// with its path.
	var s []struct {
		N int8 `pickle:"n"`
	}
	err := Unmarshal(dumps(t, &List{dict(t, "n", int64(1)), dict(t, "n", int64(1000))}), &s)
	require.ErrorContains(t, err, "[1].n")
}

// FuzzDirect checks, for any input, that Unmarshal with the direct decoder
// gives exactly what the general path gives, into the shapes of the decoded
// value and into types it does not fit.
func FuzzDirect(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		targets := otherTargets
		var v any
		if Unmarshal(data, &v) == nil {
			for _, alt := range []bool{false, true} {
				if typ := shapeOf(v, 0, alt); typ != nil {
					targets = append([]reflect.Type{typ}, targets...)
				}
			}
		}
		for _, typ := range targets {
			compareDirect(t, data, typ, nil)
		}
	})
}

// TestDirectLongLists decodes lists long enough to be filled in chunks
// (sliceChunkBytes) both ways, at every protocol.
func TestDirectLongLists(t *testing.T) {
	if testing.Short() {
		t.Skip("runs in the full suite; too slow for the race detector's short run")
	}
	const n = 300_000 // 2.4 MB of int64s: three chunks
	ints := make(List, n)
	strs := make(List, n/10)
	for i := range ints {
		ints[i] = int64(i*7919) % 100_003
	}
	for i := range strs {
		strs[i] = fmt.Sprint(i)
	}
	for _, p := range []int{0, 2, 4} {
		data, err := Marshal(dict(t, "ints", &ints, "strs", &strs), Protocol(p))
		require.NoError(t, err)
		for _, typ := range []reflect.Type{
			reflect.TypeFor[struct {
				Ints []int64  `pickle:"ints"`
				Strs []string `pickle:"strs"`
			}](),
			reflect.TypeFor[map[string]*[]any](),
			reflect.TypeFor[map[string]*[]int64](),
			reflect.TypeFor[struct {
				Ints *[]int32 `pickle:"ints"`
			}](),
		} {
			compareDirect(t, data, typ, nil)
		}
		var direct struct {
			Ints *[]int64 `pickle:"ints"`
		}
		require.NoError(t, Unmarshal(data, &direct))
		require.Len(t, *direct.Ints, n)
		require.Equal(t, int64((n-1)*7919%100_003), (*direct.Ints)[n-1])
	}
}
