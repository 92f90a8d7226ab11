package pickle

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"testing"
)

// Fuzz targets. Their seeds are every CPython-written fixture and every
// input of the decoder vectors; crashers found by `go test -fuzz` land in
// testdata/fuzz/<target>/ and then run as regression tests with the rest.

func addSeeds(f *testing.F) {
	for _, fx := range loadFixtures(f) {
		if len(fx.Data) <= 1<<14 {
			f.Add(fx.Data)
		}
	}
	for _, v := range loadDecoderVectors(f) {
		b, err := hex.DecodeString(v.Hex)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// fuzzBuffers are the out-of-band buffers fuzz inputs may refer to.
var fuzzBuffers = [][]byte{[]byte("oob0"), []byte("oob1")}

// Allocation bound the fuzz targets enforce: decoding N bytes allocates at
// most allocPerByte*N + allocBase bytes.
const (
	allocPerByte = 256
	allocBase    = 1 << 20
)

func FuzzDecode(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, opts := range [][]Option{
			nil,
			{AllowAllGlobals(), Encoding("latin1"), Buffers(fuzzBuffers...)},
		} {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			before := ms.TotalAlloc
			var v any
			err := Unmarshal(data, &v, opts...)
			runtime.ReadMemStats(&ms)
			if used := ms.TotalAlloc - before; used > uint64(allocPerByte*len(data)+allocBase) {
				t.Fatalf("decoding %d bytes allocated %d bytes", len(data), used)
			}
			if err == nil {
				_ = Repr(v) // printing must terminate on cycles and depth
			}
		}
	})
}

func FuzzRoundTrip(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		opts := []Option{AllowAllGlobals(), Encoding("latin1"), Buffers(fuzzBuffers...)}
		var v any
		if err := Unmarshal(data, &v, opts...); err != nil {
			return
		}
		want := describe(v)
		for p := 0; p <= HighestProtocol; p++ {
			encOpts := []Option{Protocol(p)}
			var oob [][]byte
			if p == 5 {
				encOpts = append(encOpts, BufferCallback(func(b *PickleBuffer) bool {
					oob = append(oob, b.Data)
					return false
				}))
			}
			out, err := Marshal(v, encOpts...)
			if err != nil {
				if errors.Is(err, ErrUnsupported) {
					continue // a value this protocol cannot carry
				}
				t.Fatalf("protocol %d: %v\nvalue %s", p, err, Repr(v))
			}
			var back any
			if err := Unmarshal(out, &back, AllowAllGlobals(), Encoding("latin1"), Buffers(oob...)); err != nil {
				t.Fatalf("protocol %d: decoding our own output: %v\n%x", p, err, out)
			}
			if got := describe(back); !reflect.DeepEqual(got, want) {
				t.Fatalf("protocol %d: round trip changed the value\n got %s\nwant %s", p, fmt.Sprint(got), fmt.Sprint(want))
			}
			oob = nil
			again, err := Marshal(back, encOpts...)
			if err != nil || !bytes.Equal(again, out) {
				t.Fatalf("protocol %d: encoding is not stable: %v", p, err)
			}
		}
	})
}
