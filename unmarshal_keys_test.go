package pickle

import (
	"errors"
	"math/big"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestUnmarshalUnhashableKeys: dicts keyed by tuples and bytes go into maps
// keyed by any (issue 11: SetMapIndex panicked, "hash of unhashable type
// pickle.Tuple"), as [N]any arrays and BytesKey values that Marshal writes
// back as the same tuples and bytes.
func TestUnmarshalUnhashableKeys(t *testing.T) {
	cases := []struct {
		expr string
		want map[any]any
	}{
		{"{(1, 2): 1}", map[any]any{[2]any{int64(1), int64(2)}: int64(1)}},
		{"{b'k': 1}", map[any]any{BytesKey("k"): int64(1)}},
		{"{(1, (b'x', 'y'), ()): 'v', 'plain': 2}", map[any]any{
			[3]any{int64(1), [2]any{BytesKey("x"), "y"}, [0]any{}}: "v", "plain": int64(2)}},
		{"{(None, 2**70): 0}", map[any]any{[2]any{nil, new(big.Int).Lsh(big.NewInt(1), 70)}: int64(0)}},
	}
	for _, c := range cases {
		for p := 0; p <= HighestProtocol; p++ {
			data := livePickle(t, c.expr, p)
			var got map[any]any
			require.NotPanics(t, func() { require.NoError(t, Unmarshal(data, &got), c.expr) }, c.expr)
			if strings.Contains(c.expr, "2**70") {
				// *big.Int keys compare by pointer: check by value.
				require.Len(t, got, 1)
				for k := range got {
					arr := k.([2]any)
					assert.Nil(t, arr[0])
					assert.Equal(t, "1180591620717411303424", arr[1].(*big.Int).String())
				}
				continue
			}
			assert.Equal(t, c.want, got, "%s at protocol %d", c.expr, p)

			// Marshal writes the keys back as Python wrote them.
			back, err := Marshal(got, Protocol(p))
			require.NoError(t, err)
			for i, r := range crossCheck(t, "3", []map[string]any{{"op": "same", "a": hexOf(data), "b": hexOf(back)}}) {
				assert.Equal(t, true, r["ok"], "%s at protocol %d, request %d: %v", c.expr, p, i, r)
			}
		}
	}
}

// TestUnmarshalUnhashableKeysFixtures decodes every dict CPython wrote among
// the fixtures into map[any]any, and into structs and arrays with interface
// slots in their keys: never a panic, and every key Go can hash.
func TestUnmarshalUnhashableKeysFixtures(t *testing.T) {
	n := 0
	for _, f := range loadFixtures(t) {
		var v any
		if Unmarshal(f.Data, &v, f.decodeOptions()...) != nil {
			continue
		}
		if _, ok := v.(*Dict); !ok {
			continue
		}
		for _, target := range []any{new(map[any]any), new(map[[2]any]any), new(map[any]string)} {
			require.NotPanics(t, func() { _ = Unmarshal(f.Data, target, f.decodeOptions()...) }, f.Name)
		}
		var m map[any]any
		if err := Unmarshal(f.Data, &m, f.decodeOptions()...); err == nil {
			n++
			_, err := Marshal(m)
			assert.NoError(t, err, f.Name)
		}
	}
	assert.Greater(t, n, 100, "dicts decoded into map[any]any")
}

// TestUnmarshalLongTupleKey: a tuple key too long for an [N]any array is an
// error naming the key, not a panic.
func TestUnmarshalLongTupleKey(t *testing.T) {
	data := livePickle(t, "{tuple(range(40)): 1}", 4)
	var m map[any]any
	err := Unmarshal(data, &m)
	var ute *UnmarshalTypeError
	require.True(t, errors.As(err, &ute), "%v", err)
	assert.Contains(t, err.Error(), "[(0, 1, 2,")
	assert.Contains(t, err.Error(), "*pickle.Dict")

	// A key of a registered class whose Go value cannot be hashed.
	type slicey struct {
		C []int `pickle:"c"`
	}
	data = livePickle(t, "{fixture_classes.Plain(): 1}", 4)
	err = Unmarshal(data, &m, RegisterClass("fixture_classes.Plain", slicey{}))
	require.True(t, errors.As(err, &ute), "%v", err)
	assert.Equal(t, reflect.TypeFor[any](), ute.Type)
}

// TestUnmarshalTypedBudgetCountsBytes: a 181-byte pickle of dicts shared
// through the memo, into a large struct that nests through a slice, made
// Unmarshal allocate 668 MB before it stopped (the budget counted values,
// not their size, and started at a million). It stops within the typed
// bound now.
func TestUnmarshalTypedBudgetCountsBytes(t *testing.T) {
	var d any = NewDict(0)
	for range 6 {
		l := make(List, 10)
		for j := range l {
			l[j] = d
		}
		nd := NewDict(1)
		require.NoError(t, nd.Set("Kids", &l))
		d = nd
	}
	data, err := Marshal(d)
	require.NoError(t, err)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	before := ms.TotalAlloc
	var r fuzzRecord
	err = Unmarshal(data, &r)
	runtime.ReadMemStats(&ms)
	require.ErrorIs(t, err, ErrLimit)
	assert.LessOrEqual(t, ms.TotalAlloc-before, typedAllocBound(len(data)), "%d input bytes", len(data))
}
