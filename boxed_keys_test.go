package pickle

import (
	"fmt"
	"math"
	"runtime"
	"testing"

	"github.com/pickle-go/pickle/internal/alloc"
)

// TestHashKeyOfBoxedValues pins that a dict key the decoder boxed
// (alloc.Boxer) hashes as the runtime's conversion of the same value does,
// after garbage collections too: alloc's own tests cannot reach hashKey.
func TestHashKeyOfBoxedValues(t *testing.T) {
	var b alloc.Boxer
	var boxed, plain []any
	for i := range 3000 {
		n := int64(i*7919) - 10000
		f := math.Float64frombits(uint64(i) * 0x9e3779b97f4a7c15)
		s := fmt.Sprint("k", i)
		boxed = append(boxed, b.Int64(n), b.Float64(f), b.String(s))
		plain = append(plain, n, f, s)
	}
	b = alloc.Boxer{} // the chunks are now reachable only through the interfaces
	runtime.GC()
	for i, v := range boxed {
		hv, err1 := hashKey(v)
		hp, err2 := hashKey(plain[i])
		if err1 != nil || err2 != nil || (hv != hp && fmt.Sprint(hv) != fmt.Sprint(hp)) {
			t.Fatalf("%d: hashKey(%#v) = %#v, %v; the runtime's conversion gives %#v, %v", i, plain[i], hv, err1, hp, err2)
		}
	}
}
