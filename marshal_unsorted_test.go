package pickle

import (
	"bytes"
	"fmt"
	"reflect"
	"testing"
)

// unsortedCases are Go maps and sets down every path Marshal writes them
// by: the native map types, the reflected integer, unsigned, string and
// integer-tuple keys, the general path, sets, and a map inside a struct.
func unsortedCases() []struct {
	name string
	v    any
} {
	type keyed string
	type pair struct{ X, Y int64 }
	type holder struct {
		M map[int16]string `pickle:"m"`
	}
	const n = 64 // enough that ranging in sorted order by chance is out of the question
	var (
		i64f   = map[int64]float64{}
		i64i   = map[int64]int64{}
		i64s   = map[int64]string{}
		ss     = map[string]string{}
		si     = map[string]int64{}
		sf     = map[string]float64{}
		i32    = map[int32]bool{}
		u16    = map[uint16]string{}
		kk     = map[keyed]int{}
		xy     = map[pair]string{}
		arr    = map[[2]int8]int{}
		floats = map[float64]string{}
		set    = map[int]struct{}{}
		strset = map[string]struct{}{}
		h      = holder{M: map[int16]string{}}
	)
	for i := range n {
		s := fmt.Sprintf("k%02d", i)
		i64f[int64(i*1000-9000)] = float64(i) / 4
		i64i[int64(i)<<40] = int64(-i)
		i64s[int64(i)] = s
		ss[s] = s + "v"
		si[s] = int64(i)
		sf[s] = float64(i)
		i32[int32(i-30)] = i%2 == 0
		u16[uint16(i*999)] = s
		kk[keyed(s)] = i
		xy[pair{int64(i % 7), int64(-i)}] = s
		arr[[2]int8{int8(i % 5), int8(i)}] = i
		floats[float64(i)/3] = s
		set[i*3] = struct{}{}
		strset[s] = struct{}{}
		h.M[int16(i)] = s
	}
	return []struct {
		name string
		v    any
	}{
		{"map[int64]float64", i64f}, {"map[int64]int64", i64i}, {"map[int64]string", i64s},
		{"map[string]string", ss}, {"map[string]int64", si}, {"map[string]float64", sf},
		{"map[int32]bool", i32}, {"map[uint16]string", u16}, {"map[keyed]int", kk},
		{"map[pair]string", xy}, {"map[[2]int8]int", arr}, {"map[float64]string", floats},
		{"set of ints", set}, {"set of strings", strset}, {"struct holding a map", h},
	}
}

// TestUnsortedMaps checks that UnsortedMaps writes the same dict or set
// (decoded here, and, in TestUnsortedMapsPython, by CPython) in another
// order: at least one of a few tries differs from the sorted bytes.
func TestUnsortedMaps(t *testing.T) {
	for _, tc := range unsortedCases() {
		for _, proto := range []int{0, 2, 4} {
			t.Run(fmt.Sprintf("%s/p%d", tc.name, proto), func(t *testing.T) {
				sorted, err := Marshal(tc.v, Protocol(proto))
				if err != nil {
					t.Fatal(err)
				}
				var want any
				if err := Unmarshal(sorted, &want); err != nil {
					t.Fatal(err)
				}
				differs := false
				for range 5 {
					out, err := Marshal(tc.v, Protocol(proto), UnsortedMaps())
					if err != nil {
						t.Fatal(err)
					}
					var got any
					if err := Unmarshal(out, &got); err != nil {
						t.Fatal(err)
					}
					if !sameModel(got, want) {
						t.Fatalf("unsorted decodes to %v, sorted to %v", got, want)
					}
					differs = differs || !bytes.Equal(out, sorted)
				}
				if !differs {
					t.Error("UnsortedMaps wrote the sorted bytes five times out of five")
				}
			})
		}
	}
}

// sameModel compares decoded values, dicts and sets without regard to
// order.
func sameModel(a, b any) bool {
	switch a := a.(type) {
	case *Dict:
		b, ok := b.(*Dict)
		if !ok || a.Len() != b.Len() {
			return false
		}
		for _, it := range a.Items() {
			v, ok := b.Get(it.Key)
			if !ok || !sameModel(it.Value, v) {
				return false
			}
		}
		return true
	case *Set:
		b, ok := b.(*Set)
		if !ok || a.Len() != b.Len() {
			return false
		}
		for _, it := range a.Items() {
			if !b.Contains(it) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(a, b)
}

// TestUnsortedMapsPython asks CPython whether each unsorted pickle loads
// as the same value as the sorted one.
func TestUnsortedMapsPython(t *testing.T) {
	var reqs []map[string]any
	var names []string
	for _, tc := range unsortedCases() {
		for _, proto := range []int{0, 2, 4, 5} {
			sorted, err := Marshal(tc.v, Protocol(proto))
			if err != nil {
				t.Fatal(err)
			}
			out, err := Marshal(tc.v, Protocol(proto), UnsortedMaps())
			if err != nil {
				t.Fatal(err)
			}
			reqs = append(reqs, map[string]any{"op": "same", "a": hexOf(sorted), "b": hexOf(out)})
			names = append(names, fmt.Sprintf("%s/p%d", tc.name, proto))
		}
	}
	for i, r := range crossCheck(t, "3", reqs) {
		if r["ok"] != true {
			t.Errorf("%s: CPython loads the unsorted pickle differently: %v %v", names[i], r["why"], r["error"])
		}
	}
}

// BenchmarkUnsortedMaps writes the typed intkeys payload with its maps
// sorted (the default) and as ranged (UnsortedMaps).
func BenchmarkUnsortedMaps(b *testing.B) {
	for _, f := range benchFiles(b) {
		if f.payload != "intkeys" {
			continue
		}
		var v benchIntKeys
		if err := Unmarshal(f.data, &v); err != nil {
			b.Fatal(err)
		}
		for _, mode := range []struct {
			name string
			opts []Option
		}{
			{"sorted", []Option{Protocol(f.proto)}},
			{"unsorted", []Option{Protocol(f.proto), UnsortedMaps()}},
		} {
			b.Run(f.name+"/"+mode.name, func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(f.data)))
				defer reportCPUTime(b)()
				for range b.N {
					if _, err := Marshal(v, mode.opts...); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
