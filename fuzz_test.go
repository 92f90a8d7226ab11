package pickle

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"reflect"
	"runtime"
	"slices"
	"testing"
)

// Fuzz targets. Their seeds are every CPython-written fixture and every
// input of the decoder vectors; crashers found by `go test -fuzz` land in
// testdata/fuzz/<target>/ and then run as regression tests with the rest.

func addSeeds(f *testing.F) {
	for _, in := range seedInputs(f) {
		f.Add(in)
	}
}

func seedInputs(f *testing.F) [][]byte {
	var seeds [][]byte
	for _, fx := range loadFixtures(f) {
		if len(fx.Data) <= 1<<14 {
			seeds = append(seeds, fx.Data)
		}
	}
	for _, v := range loadDecoderVectors(f) {
		b, err := hex.DecodeString(v.Hex)
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, b)
	}
	for _, c := range loadPandasCases(f) {
		seeds = append(seeds, c.data(f))
	}
	return seeds
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
			want, renamed := want, false
			if p < 3 {
				// Renamed, globals may also merge: no longer two objects
				// but one, which the encoding of back writes once.
				renamed = !reflect.DeepEqual(renamedBelow3(want), want)
				want = renamedBelow3(want)
			}
			if got := describe(back); !reflect.DeepEqual(got, want) {
				t.Fatalf("protocol %d: round trip changed the value\n got %s\nwant %s", p, fmt.Sprint(got), fmt.Sprint(want))
			}
			if renamed {
				continue
			}
			oob = nil
			again, err := Marshal(back, encOpts...)
			if err != nil || !bytes.Equal(again, out) {
				t.Fatalf("protocol %d: encoding is not stable: %v", p, err)
			}
		}
	})
}

// renamedBelow3 returns a description with its globals named as a pickle
// below protocol 3 makes Python read them: some Python 3 names have no Python
// 2 spelling of their own (FileNotFoundError is written as
// exceptions.OSError, read back as builtins.OSError).
func renamedBelow3(desc any) any {
	switch d := desc.(type) {
	case map[string]any:
		out := make(map[string]any, len(d))
		for k, v := range d {
			out[k] = renamedBelow3(v)
		}
		if d["t"] == "global" {
			m, n := d["module"].(string), d["name"].(string)
			if rm, rn := reverseFixImports(m, n); rm != m || rn != n {
				out["module"], out["name"] = fixImports(rm, rn)
			}
		}
		return out
	case []any:
		out := make([]any, len(d))
		for i, v := range d {
			out[i] = renamedBelow3(v)
		}
		return out
	}
	return desc
}

// FuzzScanAgrees checks that the scanner and the decoder agree: for every
// input the decoder accepts with AllowAllGlobals, every reading of the
// scanner (scan.go) reads its first pickle as the decoder does, and the
// globals it met are exactly those the scanner reports for that pickle; and
// whatever the scanner's c-strict reading, the decoder's own rules, calls
// malformed the decoder rejects.
func FuzzScanAgrees(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := newConfig([]Option{AllowAllGlobals()})
		if err != nil {
			t.Fatal(err)
		}
		obs := &observer{cfg: cfg}
		m := machine{src: newBytesSource(data), cfg: cfg, obs: obs}
		_, decodeErr := m.decode()

		rep, err := Scan(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("Scan: %v", err)
		}
		for _, p := range rep.Pickles {
			if p.Offset != 0 {
				break
			}
			if decodeErr == nil {
				if p.Verdict == Malformed {
					t.Fatalf("the decoder accepts what the scanner's %v reading calls malformed: %s", p.Readings, p.Error)
				}
				if !sameGlobals(obs.globals, p.Globals) {
					t.Fatalf("globals differ\ndecoder %+v\nscanner %v %+v", obs.globals, p.Readings, p.Globals)
				}
			}
			if p.Verdict == Malformed && slices.Contains(p.Readings, "c-strict") {
				var v any
				if _, err := decodeFirst(data); err == nil {
					t.Fatalf("the scanner calls malformed what the decoder accepts: %s", p.Error)
				}
				if err := Unmarshal(data, &v, AllowAllGlobals()); err == nil {
					t.Fatalf("the scanner calls malformed what the decoder accepts with AllowAllGlobals: %s", p.Error)
				}
			}
		}
	})
}

func sameGlobals(a, b []Finding) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Offset != b[i].Offset || a[i].Name != b[i].Name || a[i].Op != b[i].Op {
			return false
		}
	}
	return true
}

// shortReader returns at most a pseudo-random number of bytes per Read.
type shortReader struct {
	data []byte
	seed uint32
}

func (r *shortReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	r.seed = r.seed*1664525 + 1013904223
	n := int(r.seed>>24)%7 + 1
	n = min(n, len(p), len(r.data))
	copy(p, r.data[:n])
	r.data = r.data[n:]
	return n, nil
}

// FuzzShortReads checks that a stream that arrives in random short reads
// decodes exactly as the same bytes decode at once: every pickle in it, with
// the same values and the same errors.
func FuzzShortReads(f *testing.F) {
	for i, in := range seedInputs(f) {
		f.Add(in, uint32(i))
	}
	f.Fuzz(func(t *testing.T, data []byte, seed uint32) {
		opts := []Option{AllowAllGlobals(), Encoding("latin1")}
		whole := NewDecoder(bytes.NewReader(data), opts...)
		pieces := NewDecoder(&shortReader{data, seed}, opts...)
		for i := 0; ; i++ {
			var v1, v2 any
			err1 := whole.Decode(&v1)
			err2 := pieces.Decode(&v2)
			if (err1 == nil) != (err2 == nil) || err1 != nil && err1.Error() != err2.Error() {
				t.Fatalf("pickle %d: at once: %v; in pieces: %v", i, err1, err2)
			}
			if err1 != nil {
				return
			}
			if d1, d2 := describe(v1), describe(v2); !reflect.DeepEqual(d1, d2) {
				t.Fatalf("pickle %d: at once %v; in pieces %v", i, d1, d2)
			}
		}
	})
}
