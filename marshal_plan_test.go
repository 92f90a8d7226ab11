package pickle

import (
	"bytes"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// planKinds has a field of every writer a struct plan chooses.
type planKinds struct {
	B    bool
	I8   int8
	I16  int16
	I32  int32
	I64  int64
	I    int
	U8   uint8
	U16  uint16
	U32  uint32
	U64  uint64
	F32  float32
	F64  float64
	S    string
	PI   *int64
	PF   *float64
	SS   []string
	SF   []float64
	SI   []int
	SU   []uint16 // a slice saveSliceItems does not take
	In   planInner
	Arr  [2]int8
	Any  any
	Recs []planInner
	AS   [2]string
	AU   [3]uint64
	AF   [2]float32
	Kids []planKinds    // a slice of the struct itself
	Fall []planFallback // items without a plan
	Ptrs []*planInner   // items behind pointers
}

type planInner struct {
	Name string `pickle:"name"`
	N    int32  `pickle:"n"`
}

// planFallback structs are written without a plan: omitempty, promoted
// fields, tuples.
type planFallback struct {
	A int64 `pickle:"a,omitempty"`
	planInner
}

type planTuple struct {
	_ struct{} `pickle:",tuple"`
	A int64
	B string
}

// planValues are structs, held every way a plan meets them: by value
// (unaddressable), in slices and arrays, behind pointers, in maps, with
// strings shared between fields and with a field's own name.
func planValues() []any {
	n, f := int64(-300), 2.5
	shared := "shared text"
	name := cachedFields(reflect.TypeFor[planInner]()).list[0].name // the very key string
	k := planKinds{
		B: true, I8: -8, I16: 300, I32: -70000, I64: math.MinInt64, I: 1 << 40,
		U8: 255, U16: 65535, U32: math.MaxUint32, U64: math.MaxUint64, F32: 1.25, F64: -0.0,
		S: shared, PI: &n, PF: &f, SS: []string{shared, name, "", "é"}, SF: []float64{1, math.Inf(-1)},
		SI: []int{1, -1 << 33}, SU: []uint16{7}, In: planInner{name, 5}, Arr: [2]int8{-1, 1},
		Any: shared, Recs: []planInner{{shared, 1}, {"x", 2}},
		AS: [2]string{shared, name}, AU: [3]uint64{0, math.MaxUint64, 1 << 40}, AF: [2]float32{0.1, -3},
		Kids: []planKinds{{S: shared, Kids: []planKinds{{I: 1}, {}}}}, Fall: []planFallback{{A: 1}, {}},
		Ptrs: []*planInner{{"p", 1}, nil},
	}
	empty := planKinds{SS: []string{}}
	many := make([]planInner, 600) // field names past memo index 255: LONG_BINGET
	for i := range many {
		many[i] = planInner{fmt.Sprint(i), int32(i)}
	}
	return []any{
		k, empty, &k, []planKinds{k, empty, k}, [2]planKinds{empty, k}, []*planKinds{&k, &k, nil},
		map[string]planKinds{"a": k, "b": empty}, many, struct{ L []planInner }{many},
		[]planFallback{{A: 0, planInner: planInner{"p", 1}}, {A: 3}}, []planTuple{{A: 1, B: "b"}},
		struct {
			K planKinds
			P *planKinds
		}{k, &k},
	}
}

// noStructPlans is an Option for tests: Marshal's quick paths without
// struct plans.
type noStructPlans struct{}

func (noStructPlans) apply(c *config) { c.noStructPlans = true }

// The plan writes what saveStruct writes without it and without quick paths, byte for
// byte, at every protocol; and the same in each pickle of a stream, where
// the memo of field names starts again.
func TestMarshalPlanMatchesGeneral(t *testing.T) {
	for i, v := range planValues() {
		for p := 0; p <= HighestProtocol; p++ {
			planned, err := Marshal(v, Protocol(p))
			require.NoError(t, err)
			general, err := Marshal(v, Protocol(p), noQuickPaths{})
			require.NoError(t, err)
			require.Equal(t, general, planned, "value %d (%T) at protocol %d", i, v, p)
			unplanned, err := Marshal(v, Protocol(p), noStructPlans{})
			require.NoError(t, err)
			require.Equal(t, unplanned, planned, "value %d (%T) at protocol %d", i, v, p)

			var stream bytes.Buffer
			enc := NewEncoder(&stream, Protocol(p))
			require.NoError(t, enc.Encode(v))
			require.NoError(t, enc.Encode(v))
			require.Equal(t, append(append([]byte(nil), general...), general...), stream.Bytes(), "value %d (%T) streamed twice at protocol %d", i, v, p)
		}
	}
}

// Errors from a planned struct name the same field, and the depth limit
// falls where it falls without a plan.
func TestMarshalPlanErrors(t *testing.T) {
	bad := "\xff"
	cases := []struct {
		name string
		v    any
		opts []Option
	}{
		{"bad string field", []planInner{{"a", 1}, {bad, 2}}, nil},
		{"bad string in a slice field", planKinds{SS: []string{"a", bad}}, nil},
		{"bad string in a nested struct", []planKinds{{In: planInner{Name: bad}}}, nil},
		{"bad string in an array field", []planKinds{{AS: [2]string{"", bad}}}, nil},
		{"bad string in a nested slice", []planKinds{{Kids: []planKinds{{}, {SS: []string{bad}}}}}, nil},
		{"unsupported field", struct{ C chan int }{make(chan int)}, nil},
	}
	for _, tc := range cases {
		_, planned := Marshal(tc.v, tc.opts...)
		_, general := Marshal(tc.v, append(tc.opts, noStructPlans{})...)
		require.Error(t, general, tc.name)
		require.Error(t, planned, tc.name)
		require.Equal(t, general.Error(), planned.Error(), tc.name)
		require.True(t, strings.HasPrefix(planned.Error(), "pickle:"), tc.name)
	}
	// Depth limits from too shallow to enough: the same error, or the
	// same bytes. (The quick paths count depth as saveQuick does, which
	// is not as save does: compared with themselves without plans.)
	v := []planKinds{{PI: new(int64), SS: []string{"s"}, Recs: []planInner{{}}, In: planInner{"i", 1}}}
	failed, passed := 0, 0
	for depth := 1; depth <= 6; depth++ {
		planned, perr := Marshal(v, MaxDepth(depth))
		general, gerr := Marshal(v, MaxDepth(depth), noStructPlans{})
		if gerr != nil {
			failed++
			require.Error(t, perr, "MaxDepth %d", depth)
			require.Equal(t, gerr.Error(), perr.Error(), "MaxDepth %d", depth)
			continue
		}
		passed++
		require.NoError(t, perr, "MaxDepth %d", depth)
		require.Equal(t, general, planned, "MaxDepth %d", depth)
	}
	require.NotZero(t, failed)
	require.NotZero(t, passed)
}
