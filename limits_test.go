package pickle

import (
	"bytes"
	"encoding/hex"
	"runtime"
	"testing"
)

// adversarialInputs repeat the opcodes that allocate the most per input
// byte.
func adversarialInputs() map[string][]byte {
	const n = 100000
	// One item at a time to a memoized list or dict, by a batch each (the
	// look-ahead finds no batch after any of them), and by APPEND.
	var oneByOne, oneKeyByOne []byte
	for i := range n / 10 {
		oneByOne = append(oneByOne, "h\x00(Ne0"...)
		oneKeyByOne = append(oneKeyByOne, 'h', 0, '(', 'J', byte(i), byte(i>>8), byte(i>>16), 0, 'N', 'u', '0')
	}
	return map[string][]byte{
		"APPENDS one by one":  append([]byte("]\x94"), oneByOne...),
		"SETITEMS one by one": append([]byte("}\x94"), oneKeyByOne...),
		"APPEND":              append([]byte("]"), bytes.Repeat([]byte("Na"), n/2)...),
		"EMPTY_DICT":          bytes.Repeat([]byte("}"), n),
		"EMPTY_SET":           bytes.Repeat([]byte("\x8f"), n),
		"EMPTY_LIST":          bytes.Repeat([]byte("]"), n),
		"MEMOIZE":             append([]byte("N"), bytes.Repeat([]byte("\x94"), n)...),
		"DUP":                 append([]byte("N"), bytes.Repeat([]byte("2"), n)...),
		"FROZENSET":           bytes.Repeat([]byte("(\x91"), n/2),
		"ADDITEMS":            append([]byte("\x8f("), append(bytes.Repeat([]byte(")"), n), 0x90)...),
		"DICT":                bytes.Repeat([]byte("(d"), n/2),
		"TUPLE1":              append([]byte("N"), bytes.Repeat([]byte("\x85"), n)...),
		"SHORT_BINBYTES":      bytes.Repeat([]byte("C\x01a"), n/3),
		"MARK":                bytes.Repeat([]byte("("), DefaultMaxDepth),
		"NEWOBJ":              append([]byte("cbuiltins\nobject\n\x94"), bytes.Repeat([]byte("h\x00)\x81"), n/4)...),
		"BINGET of a key":     append([]byte("}X\x00\x00\x01\x00"+string(bytes.Repeat([]byte("k"), 65536))+"\x94"), bytes.Repeat([]byte("h\x00Ns"), n/4)...),
	}
}

// TestAllocationBound checks the documented bound: decoding N bytes with
// default options (or with every global admitted) allocates at most
// allocPerByte*N + allocBase bytes, on every fixture, every bad input of the
// decoder vectors, and the adversarial inputs above. It logs the worst ratio
// measured, which the README quotes.
func TestAllocationBound(t *testing.T) {
	inputs := map[string][]byte{}
	for _, f := range loadFixtures(t) {
		inputs[f.Writer+"/"+f.Name] = f.Data
	}
	for i, v := range loadDecoderVectors(t) {
		b, err := hex.DecodeString(v.Hex)
		if err != nil {
			t.Fatal(err)
		}
		inputs["vector "+string(rune('0'+i%10))+v.Hex] = b
	}
	for name, b := range adversarialInputs() {
		inputs[name] = append(b, '.')
	}
	var worst float64
	var worstName string
	var ms runtime.MemStats
	for name, in := range inputs {
		for _, opts := range [][]Option{nil, {AllowAllGlobals(), Encoding("latin1")}} {
			runtime.ReadMemStats(&ms)
			before := ms.TotalAlloc
			var v any
			_ = Unmarshal(in, &v, opts...)
			runtime.ReadMemStats(&ms)
			used := ms.TotalAlloc - before
			if used > uint64(allocPerByte*len(in)+allocBase) {
				t.Errorf("%s: %d bytes allocated for %d bytes of input", name, used, len(in))
			}
			if len(in) >= 1024 {
				if r := float64(used) / float64(len(in)); r > worst {
					worst, worstName = r, name
				}
			}
		}
	}
	t.Logf("%d inputs; worst ratio for inputs of 1 KiB or more: %.1f bytes allocated per input byte (%s)", len(inputs), worst, worstName)
}

// BenchmarkAdversarialInputs times the inputs above that allocate the most
// per byte, to show that decoding time stays linear in the input: compare
// their MB/s with BenchmarkPayloadDecodeAny's.
func BenchmarkAdversarialInputs(b *testing.B) {
	for name, in := range adversarialInputs() {
		data := append(in, '.')
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for range b.N {
				var v any
				_ = Unmarshal(data, &v, AllowAllGlobals())
			}
		})
	}
}
