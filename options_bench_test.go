package pickle

import (
	"fmt"
	"reflect"
	"testing"
)

// manyClasses returns options registering n distinct classes, as a program
// with a sizeable model would pass on every call.
func manyClasses(n int) []Option {
	opts := make([]Option, 0, n+1)
	for i := range n {
		// A distinct Go type per class: an array type of length i.
		t := reflect.ArrayOf(i+1, reflect.TypeFor[int8]())
		opts = append(opts, RegisterClass(fmt.Sprintf("app.C%d", i), reflect.New(t).Elem().Interface()))
	}
	return append(opts, AllowGlobals("collections.OrderedDict"))
}

// BenchmarkOptionsPerCall measures what the options cost each call when 50
// classes are registered: the list passed as it is, rebuilt every call,
// against the same list compiled once by NewOptions.
func BenchmarkOptionsPerCall(b *testing.B) {
	list := manyClasses(50)
	data, err := Marshal([]any{int64(1), "two", 3.0})
	if err != nil {
		b.Fatal(err)
	}
	set, err := NewOptions(list...)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("Unmarshal/list", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			var v any
			if err := Unmarshal(data, &v, list...); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Marshal/list", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			if _, err := Marshal(int64(7), list...); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Unmarshal/compiled", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			var v any
			if err := Unmarshal(data, &v, set); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Marshal/compiled", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			if _, err := Marshal(int64(7), set); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Marshal/none", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			if _, err := Marshal(int64(7)); err != nil {
				b.Fatal(err)
			}
		}
	})
}
