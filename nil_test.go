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
