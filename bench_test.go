package pickle

import (
	"bytes"
	"encoding/binary"
	"testing"
)

// lyingInputs are 20-byte pickles whose length prefix claims 2**62 bytes.
func lyingInputs() map[string][]byte {
	n := make([]byte, 8)
	binary.LittleEndian.PutUint64(n, 1<<62)
	in := map[string][]byte{}
	for name, op := range map[string]byte{"BINBYTES8": opBinBytes8, "BINUNICODE8": opBinUnicode8, "BYTEARRAY8": opByteArray8, "FRAME": opFrame} {
		b := append([]byte{opProto, 5, op}, n...)
		b = append(b, bytes.Repeat([]byte("N"), 20-len(b)-1)...)
		in[name] = append(b, '.')
	}
	return in
}

// BenchmarkLyingLength shows that a declared length the input cannot back is
// refused at once, without allocating for it, from a []byte and a stream.
func BenchmarkLyingLength(b *testing.B) {
	for name, data := range lyingInputs() {
		b.Run(name+"/bytes", func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				var v any
				if err := Unmarshal(data, &v); err == nil {
					b.Fatal("accepted")
				}
			}
		})
		b.Run(name+"/stream", func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				var v any
				if err := NewDecoder(bytes.NewReader(data)).Decode(&v); err == nil {
					b.Fatal("accepted")
				}
			}
		})
	}
}

// TestLyingLengthIsCheap pins what BenchmarkLyingLength shows: a few hundred
// bytes for a []byte input; a stream reads what there is, in one buffer.
func TestLyingLengthIsCheap(t *testing.T) {
	for name, data := range lyingInputs() {
		if len(data) != 20 {
			t.Fatalf("%s: %d bytes", name, len(data))
		}
		res := testing.Benchmark(func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				var v any
				_ = Unmarshal(data, &v)
			}
		})
		if bytes := res.AllocedBytesPerOp(); bytes > 1024 {
			t.Errorf("%s: %d bytes allocated", name, bytes)
		}
	}
}
