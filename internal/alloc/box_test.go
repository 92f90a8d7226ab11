package alloc

import (
	"fmt"
	"math"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

// TestBoxerMatchesRuntime pins that the boxer's interfaces behave as the
// runtime's conversions do: equality, type switches, reflection, printing,
// map keys, and surviving garbage collections that reuse freed
// memory.
func TestBoxerMatchesRuntime(t *testing.T) {
	var b Boxer
	var boxed, plain []any
	for i := range 3000 {
		n := int64(i*7919) - 10000
		f := math.Float64frombits(uint64(i) * 0x9e3779b97f4a7c15)
		s := strings.Repeat("x", i%5) + fmt.Sprint(i)
		boxed = append(boxed, b.Int64(n), b.Float64(f), b.String(s))
		plain = append(plain, n, f, s)
	}
	b = Boxer{} // the chunks are now reachable only through the interfaces
	for round := range 3 {
		runtime.GC()
		garbage := make([][]byte, 0, 1000)
		for range 1000 {
			garbage = append(garbage, make([]byte, 64))
		}
		_ = garbage
		keys := map[any]int{}
		for i, v := range plain {
			keys[v] = i
		}
		for i, v := range boxed {
			p := plain[i]
			if f, ok := p.(float64); ok && math.IsNaN(f) {
				if g, ok := v.(float64); !ok || math.Float64bits(g) != math.Float64bits(f) {
					t.Fatalf("round %d, %d: %v is not NaN %v", round, i, v, p)
				}
				continue
			}
			if v != p {
				t.Fatalf("round %d, %d: boxed %#v != %#v", round, i, v, p)
			}
			if reflect.TypeOf(v) != reflect.TypeOf(p) || !reflect.DeepEqual(v, p) {
				t.Fatalf("round %d, %d: reflection differs for %#v", round, i, p)
			}
			if fmt.Sprintf("%#v", v) != fmt.Sprintf("%#v", p) {
				t.Fatalf("round %d, %d: printing differs for %#v", round, i, p)
			}
			if keys[v] != i {
				t.Fatalf("round %d, %d: as a map key %#v finds %d", round, i, p, keys[v])
			}
			switch x := v.(type) {
			case int64:
				if x != p.(int64) {
					t.Fatal("type switch")
				}
			case float64:
				if x != p.(float64) {
					t.Fatal("type switch")
				}
			case string:
				if x != p.(string) {
					t.Fatal("type switch")
				}
			default:
				t.Fatalf("type switch found %T", v)
			}
		}
	}
}

// BenchmarkBoxer compares the boxer with the runtime's conversions.
func BenchmarkBoxer(b *testing.B) {
	var sink any
	b.Run("runtime/int64", func(b *testing.B) {
		b.ReportAllocs()
		for i := range b.N {
			sink = int64(i) + 1000
		}
	})
	b.Run("boxer/int64", func(b *testing.B) {
		b.ReportAllocs()
		var bx Boxer
		for i := range b.N {
			sink = bx.Int64(int64(i) + 1000)
		}
	})
	b.Run("runtime/float64", func(b *testing.B) {
		b.ReportAllocs()
		for i := range b.N {
			sink = float64(i) + 0.5
		}
	})
	b.Run("boxer/float64", func(b *testing.B) {
		b.ReportAllocs()
		var bx Boxer
		for i := range b.N {
			sink = bx.Float64(float64(i) + 0.5)
		}
	})
	_ = sink
}
