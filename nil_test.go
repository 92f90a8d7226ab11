package pickle

import (
	"math/big"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// nilReducer has a PickleReduce method that must never be called on nil.
type nilReducer struct{ n int }

func (r *nilReducer) PickleReduce() (*Object, error) {
	return &Object{Class: Global{"builtins", "int"}, Args: Tuple{int64(r.n)}}, nil
}

// nilValuesOfEveryType holds a nil of every pointer, map, slice and
// interface type Marshal knows, as encoding/json's null.
func nilValuesOfEveryType() []any {
	return []any{
		(*List)(nil), (*Dict)(nil), (*Set)(nil), (*FrozenSet)(nil), (*Object)(nil),
		(*ByteArray)(nil), (*OrderedDict)(nil), (*PersistentID)(nil), (*PickleBuffer)(nil),
		(*Deque)(nil), (*DefaultDict)(nil), (*Counter)(nil), (*Tuple)(nil), (*Global)(nil),
		(*big.Int)(nil), (*big.Rat)(nil), (*big.Float)(nil), (*time.Location)(nil), (*time.Time)(nil),
		(*time.Duration)(nil), (*Date)(nil), (*TimeOfDay)(nil), (*Decimal)(nil), (*UUID)(nil),
		(*int)(nil), (*string)(nil), (*float64)(nil), (*[]int)(nil), (*map[string]int)(nil),
		(*tagged)(nil), (*nilReducer)(nil), (**List)(nil),
		map[string]int(nil), map[any]any(nil), []int(nil), []byte(nil), []any(nil), Tuple(nil), List(nil),
		ByteArray(nil),
	}
}

// TestMarshalNilIsNone: every nil pointer, map, slice and interface is
// written as None wherever it stands, and never as a reference to another
// object (issue 11: nil *List and *Dict were memo hits on whatever came
// first, and nil *big.Int, *Set, *Object, ... panicked).
func TestMarshalNilIsNone(t *testing.T) {
	for _, nilValue := range nilValuesOfEveryType() {
		typ := reflect.TypeOf(nilValue)
		pair := reflect.New(reflect.StructOf([]reflect.StructField{
			{Name: "A", Type: typ}, {Name: "B", Type: typ},
		})).Elem().Interface()
		slice := reflect.MakeSlice(reflect.SliceOf(typ), 2, 2).Interface()
		mapOf := reflect.MakeMap(reflect.MapOf(reflect.TypeFor[string](), typ))
		mapOf.SetMapIndex(reflect.ValueOf("k"), reflect.Zero(typ))
		places := []struct {
			name string
			v    any
			want string
		}{
			{"top", nilValue, "None"},
			{"struct fields", pair, "{'A': None, 'B': None}"},
			{"slice items", slice, "[None, None]"},
			{"items of []any", []any{nilValue, nilValue}, "[None, None]"},
			{"map value", mapOf.Interface(), "{'k': None}"},
			{"items of a *List", &List{nilValue, nilValue}, "[None, None]"},
			{"items of a Tuple", Tuple{nilValue, nilValue}, "(None, None)"},
			{"value in a *Dict", dictOf(t, "k", nilValue), "{'k': None}"},
			{"after a list", []any{&List{}, nilValue}, "[[], None]"},
			{"after a dict", []any{NewDict(0), nilValue}, "[{}, None]"},
		}
		for _, place := range places {
			for p := 0; p <= HighestProtocol; p++ {
				name := typ.String() + " " + place.name
				var data []byte
				require.NotPanics(t, func() {
					var err error
					data, err = Marshal(place.v, Protocol(p))
					require.NoError(t, err, name)
				}, name)
				var got any
				require.NoError(t, Unmarshal(data, &got), name)
				assert.Equal(t, place.want, Repr(got), "%s at protocol %d: %q", name, p, data)
			}
		}
	}
}

// TestMarshalNilNeverCallsMethods: as encoding/json skips MarshalJSON on a
// nil pointer, Marshal writes None without calling PickleReduce.
func TestMarshalNilNeverCallsMethods(t *testing.T) {
	data, err := Marshal(struct{ R *nilReducer }{})
	require.NoError(t, err)
	var got any
	require.NoError(t, Unmarshal(data, &got))
	assert.Equal(t, "{'R': None}", Repr(got))
}

// TestUnmarshalNoneIntoMap: None into a map is a nil map, as Marshal writes
// a nil map as None (found by FuzzUnmarshalTyped: it was an error).
func TestUnmarshalNoneIntoMap(t *testing.T) {
	m := map[string]int{"stale": 1}
	require.NoError(t, Unmarshal(livePickle(t, "None", 2), &m))
	assert.Nil(t, m)
	var s struct{ M map[string]any }
	data, err := Marshal(s)
	require.NoError(t, err)
	require.NoError(t, Unmarshal(data, &s))
	assert.Nil(t, s.M)
}

// TestMarshalModelStructsByValue: a Dict, Set, Object, ... held by value
// is written as what it stands for (found by FuzzUnmarshalTyped: it was
// written as a struct of its exported fields, so a Set field as {}), and a
// zero Object, which Python could not load, is an error.
func TestMarshalModelStructsByValue(t *testing.T) {
	type holder struct {
		D  Dict
		S  Set
		FS FrozenSet
		OD OrderedDict
		Q  Deque
	}
	var h holder
	require.NoError(t, h.D.Set("k", int64(1)))
	require.NoError(t, h.S.Add(int64(2)))
	require.NoError(t, h.OD.Set("o", int64(3)))
	h.Q = Deque{Items: List{int64(4)}, MaxLen: -1}
	want := "{'D': {'k': 1}, 'S': {2}, 'FS': frozenset(), 'OD': __import__('collections').OrderedDict([('o', 3)]), 'Q': __import__('collections').deque([4])}"
	var reqs []map[string]any
	for p := 0; p <= HighestProtocol; p++ {
		data, err := Marshal(h, Protocol(p))
		require.NoError(t, err)
		reqs = append(reqs, map[string]any{"op": "same", "a": hexOf(livePickle(t, want, p)), "b": hexOf(data)})
	}
	for i, r := range crossCheck(t, "3", reqs) {
		assert.Equal(t, true, r["ok"], "protocol %d: %v", i, r)
	}

	_, err := Marshal(struct{ O Object }{})
	var ee *EncodeError
	require.ErrorAs(t, err, &ee)
	assert.Contains(t, err.Error(), "Class")
}
