package pickle

import (
	"testing"
)

// BenchmarkNumpyFloat64 decodes and encodes a 100 MB float64 array, as numpy
// pickles it at protocols 4 (bytes in BUILD's state) and 5 (_frombuffer
// with an in-band buffer).
func BenchmarkNumpyFloat64(b *testing.B) {
	vals := make([]float64, 12_500_000)
	for i := range vals {
		vals[i] = float64(i) * 0.5
	}
	a, err := NewNDArray(vals)
	if err != nil {
		b.Fatal(err)
	}
	for _, proto := range []int{4, 5} {
		data, err := Marshal(a, Protocol(proto))
		if err != nil {
			b.Fatal(err)
		}
		name := "p" + string(rune('0'+proto))
		b.Run(name+"/into_float64s", func(b *testing.B) {
			b.SetBytes(int64(len(a.Data)))
			b.ReportAllocs()
			for b.Loop() {
				var out []float64
				if err := Unmarshal(data, &out); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/into_reused_float64s", func(b *testing.B) {
			// The slice of the run before: Unmarshal reuses its memory.
			var out []float64
			if err := Unmarshal(data, &out); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(a.Data)))
			b.ReportAllocs()
			for b.Loop() {
				if err := Unmarshal(data, &out); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/into_ndarray", func(b *testing.B) {
			b.SetBytes(int64(len(a.Data)))
			b.ReportAllocs()
			for b.Loop() {
				var out *NDArray
				if err := Unmarshal(data, &out); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/into_reused_ndarray", func(b *testing.B) {
			// The NDArray of the run before: Unmarshal reuses its Data.
			out := new(NDArray)
			if err := Unmarshal(data, out); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(a.Data)))
			b.ReportAllocs()
			for b.Loop() {
				if err := Unmarshal(data, out); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/into_ndarray_shared", func(b *testing.B) {
			b.SetBytes(int64(len(a.Data)))
			b.ReportAllocs()
			for b.Loop() {
				var out *NDArray
				if err := Unmarshal(data, &out, ShareInput()); err != nil {
					b.Fatal(err)
				}
			}
		})
		// From a []float64: NewNDArray copies it, then Marshal; a view is
		// copied by Marshal alone.
		b.Run(name+"/encode_float64s_new", func(b *testing.B) {
			b.SetBytes(int64(len(a.Data)))
			b.ReportAllocs()
			for b.Loop() {
				na, err := NewNDArray(vals)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := Marshal(na, Protocol(proto)); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/encode_float64s_view", func(b *testing.B) {
			b.SetBytes(int64(len(a.Data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Marshal(NDArrayView(vals), Protocol(proto)); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/encode", func(b *testing.B) {
			b.SetBytes(int64(len(a.Data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Marshal(a, Protocol(proto)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
