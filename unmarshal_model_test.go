package pickle

import (
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestUnmarshalModelTypesAsValues: the model's types held by value are
// filled (issue 11: a Dict, OrderedDict or Object value was left empty
// with no error), and hold what decoding into any gives.
func TestUnmarshalModelTypesAsValues(t *testing.T) {
	cases := []struct {
		expr   string
		target any // a pointer to a zero value
	}{
		{"{'a': 1, (1, 2): [3]}", new(Dict)},
		{"__import__('collections').OrderedDict([('b', 1), ('a', 2)])", new(OrderedDict)},
		{"__import__('collections').OrderedDict([('b', 1), ('a', 2)])", new(Dict)},
		{"__import__('collections').defaultdict(list, {'k': [1]})", new(DefaultDict)},
		{"__import__('collections').Counter('abca')", new(Counter)},
		{"__import__('collections').deque([1, 2], 5)", new(Deque)},
		{"{1, 'x', (2, 3)}", new(Set)},
		{"frozenset({1, 'x'})", new(FrozenSet)},
		{"frozenset({1, 'x'})", new(Set)},
		{"(1, 'x', [2])", new(Tuple)},
		{"[1, 'x', (2,)]", new(List)},
		{"fixture_classes.Plain()", new(Object)},
	}
	for _, c := range cases {
		for _, p := range []int{0, 2, 4} {
			data := livePickle(t, c.expr, p)
			var want any
			require.NoError(t, Unmarshal(data, &want, AllowAllGlobals()))
			target := reflect.New(reflect.TypeOf(c.target).Elem())
			require.NoError(t, Unmarshal(data, target.Interface(), AllowAllGlobals()), c.expr)
			got := target.Interface()
			if _, isDict := c.target.(*Dict); isDict {
				if od, ok := want.(*OrderedDict); ok {
					want = &od.Dict // an OrderedDict into a Dict: its items
				}
			}
			if _, isSet := c.target.(*Set); isSet {
				if fs, ok := want.(*FrozenSet); ok {
					want = &fs.s
				}
			}
			if _, isPtr := want.(Tuple); isPtr {
				got = target.Elem().Interface()
			}
			assert.Equal(t, Repr(want), Repr(got), "%s at protocol %d into %T", c.expr, p, c.target)
		}
	}

	// As struct fields, from one shared dict: two copies, not one backing
	// array.
	type holder struct {
		A, B Dict
		S    Set
	}
	data := livePickle(t, "(lambda d: {'A': d, 'B': d, 'S': {1}})({'k': 1})", 2)
	var h holder
	require.NoError(t, Unmarshal(data, &h))
	require.NoError(t, h.A.Set("new", 2))
	assert.Equal(t, "{'k': 1, 'new': 2}", Repr(&h.A))
	assert.Equal(t, "{'k': 1}", Repr(&h.B))
	assert.Equal(t, "{1}", Repr(&h.S))

	// What does not fit is an error, never silence.
	var d Dict
	err := Unmarshal(livePickle(t, "[1]", 2), &d)
	var ute *UnmarshalTypeError
	require.ErrorAs(t, err, &ute)
	assert.Equal(t, "list", ute.Value)
}
