package pickle

import (
	"bytes"
	"fmt"
	"math"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// This file holds the review of the encoder's fast paths of session 13
// (struct plans, the cache of GETs, reused segments, the kept large
// encoder): each case a way a fast path could write other bytes than the
// general path, or reuse memory still in use.

type reviewCelsius float64

func (c *reviewCelsius) PickleReduce() (*Object, error) {
	return &Object{Class: Global{Module: "builtins", Name: "float"}, Args: Tuple{float64(*c)}}, nil
}

type reviewNamed int16

type reviewEmbedded struct {
	reviewNamed
	Tagged planInner `pickle:"tagged"`
	hidden int64
	Pub    int64
}

// reviewExotic has fields of the types a plan must leave to the general
// path, or write as the general path does.
type reviewExotic struct {
	T     time.Time
	D     time.Duration
	BI    big.Int
	PBI   *big.Int
	C     complex128
	M     map[string]int
	PS    *string
	PN    *reviewNamed
	PU    *uint64
	PB    *bool
	PF32  *float32
	AR    [2]reviewCelsius // array of an address Reducer
	R     reviewCelsius
	AI    [2]planInner
	AA    [2][2]int8
	Bytes []byte
	BArr  [3]byte
	Emb   reviewEmbedded
	PE    *reviewEmbedded
	Iface any
	Obj   Object
	L     *List
	Tu    Tuple
	E     struct{}
	SE    []struct{}
	U8    []uint8
	I32s  []int32
	Di    Dict
	ND    NDArray
	BA    ByteArray
	PBuf  PickleBuffer
}

func reviewExoticValue() reviewExotic {
	s, n, u, b, f := "pointed", reviewNamed(-7), uint64(math.MaxUint64), true, float32(0.5)
	l := List{"x", int64(1)}
	d := NewDict(1)
	d.Set("k", "v")
	nd, err := NewNDArray([]float64{1, 2})
	if err != nil {
		panic(err)
	}
	return reviewExotic{
		T: time.Date(2024, 2, 29, 1, 2, 3, 4000, time.UTC), D: 3 * time.Second,
		BI: *big.NewInt(-12), PBI: big.NewInt(1 << 62), C: complex(1, -2), M: map[string]int{"a": 1}, /* one key: UnsortedMaps is in the options */
		PS: &s, PN: &n, PU: &u, PB: &b, PF32: &f, AR: [2]reviewCelsius{1, 2}, R: 36.6,
		AI: [2]planInner{{"a", 1}, {"b", 2}}, AA: [2][2]int8{{1, 2}, {3, 4}}, Bytes: []byte("raw"),
		BArr: [3]byte{1, 2, 3}, Emb: reviewEmbedded{reviewNamed: 3, Tagged: planInner{"t", 1}, hidden: 9, Pub: 4},
		PE: &reviewEmbedded{Pub: 5}, Iface: planInner{"i", 2},
		Obj: Object{Class: Global{Module: "builtins", Name: "int"}, Args: Tuple{"5"}},
		L:   &l, Tu: Tuple{int64(1), "t"}, SE: []struct{}{{}, {}}, U8: []uint8{}, I32s: []int32{-1, 1 << 30},
		Di: *d, ND: *nd, BA: ByteArray("ba"), PBuf: PickleBuffer{Data: []byte("buffer")},
	}
}

// TestReviewPlanExoticFields: a struct with fields of every kind the plans
// meet, by value, by pointer, in slices and arrays and behind interfaces,
// written with plans as without them and without quick paths, under each
// option that touches the encoder, at every protocol.
func TestReviewPlanExoticFields(t *testing.T) {
	x := reviewExoticValue()
	values := []struct {
		name string
		v    any
	}{
		{"value", x},
		{"pointer", &x},
		{"slice", []reviewExotic{x, {}, x}},
		{"array", [2]reviewExotic{{}, x}},
		{"in a struct", struct{ A, B reviewExotic }{x, x}},
		{"zero", reviewExotic{}},
	}
	options := []struct {
		name string
		opts []Option
	}{
		{"default", nil},
		{"ExactTime", []Option{ExactTime()}},
		{"UnsortedMaps", []Option{UnsortedMaps()}},
		{"Extension", []Option{Extension(1, "builtins", "float"), Extension(300, "builtins", "int")}},
		{"RegisterClass", []Option{RegisterClass("m.Inner", planInner{})}},
		{"RegisterClass pointer", []Option{RegisterClass("m.Named", reviewNamed(0))}},
		{"BufferCallback", []Option{BufferCallback(func(b *PickleBuffer) bool { return len(b.Data)%2 == 0 })}},
		{"NumpyModules(2)", []Option{NumpyModules(2)}},
		{"PersistentIDFunc", []Option{PersistentIDFunc(func(v any) (any, bool, error) {
			if s, ok := v.(string); ok && s == "t" {
				return "pid-t", true, nil
			}
			return nil, false, nil
		})}},
	}
	written := map[string]int{}
	for _, val := range values {
		for _, o := range options {
			for p := 0; p <= HighestProtocol; p++ {
				general, gerr := Marshal(val.v, append(o.opts[:len(o.opts):len(o.opts)], Protocol(p), noQuickPaths{})...)
				planned, perr := Marshal(val.v, append(o.opts[:len(o.opts):len(o.opts)], Protocol(p))...)
				where := fmt.Sprintf("%s, %s, protocol %d", val.name, o.name, p)
				if gerr != nil {
					require.Error(t, perr, where)
					require.Equal(t, gerr.Error(), perr.Error(), where)
					continue
				}
				require.NoError(t, perr, where)
				require.Equal(t, general, planned, where)
				written[o.name]++
			}
		}
	}
	for _, o := range options {
		require.NotZero(t, written[o.name], "no value written with %s", o.name)
	}
}

// reviewLarge is a value whose pickle is cut into several segments: n strs
// of 40 to 80 bytes, a slice of structs and a long bytes, all told from
// seed.
func reviewLarge(seed, n int) any {
	strs := make(List, n)
	for i := range strs {
		strs[i] = fmt.Sprintf("%d-%d-%s", seed, i, "abcdefghijklmnopqrstuvwxyz0123456789"[:i%37])
	}
	recs := make([]planInner, n/4)
	for i := range recs {
		recs[i] = planInner{fmt.Sprint(seed, i), int32(i)}
	}
	raw := bytes.Repeat([]byte{byte(seed)}, 300<<10)
	return Tuple{&strs, recs, raw, &strs}
}

// TestReviewConcurrentLargeMarshal: goroutines Marshal (and Encode, signed
// or not) large values at once, the outputs kept until all are done and
// then compared with the general path's: an output that still shared a
// segment, or the kept large encoder, with a later pickle would differ (and
// -race reports the sharing).
func TestReviewConcurrentLargeMarshal(t *testing.T) {
	const workers, rounds = 6, 4
	key := []byte("review key")
	want := make([][]byte, workers)
	for w := range want {
		var err error
		want[w], err = Marshal(reviewLarge(w, 120000+w*5000), noQuickPaths{})
		require.NoError(t, err)
		require.Greater(t, len(want[w]), 3*segmentSize, "the pickle must be cut into segments")
	}
	got := make([][][]byte, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v := reviewLarge(w, 120000+w*5000)
			for r := range rounds {
				var out []byte
				var err error
				switch (w + r) % 3 {
				case 0:
					out, err = Marshal(v)
				case 1:
					var buf bytes.Buffer
					err = NewEncoder(&buf).Encode(v)
					out = buf.Bytes()
				case 2:
					// Compared sealed: seal's output is a copy.
					var buf bytes.Buffer
					if err = NewEncoder(&buf, SignWith("k", key)).Encode(v); err == nil {
						out, err = Marshal(v, SignWith("k", key))
					}
					if err == nil && !bytes.Equal(out, buf.Bytes()) {
						err = fmt.Errorf("Marshal and Encode sealed other bytes")
					}
					if err == nil {
						out = out[len(out)-len(want[w])-32 : len(out)-32]
					}
				}
				if err != nil {
					t.Error(err)
					return
				}
				got[w] = append(got[w], out)
			}
		}()
	}
	wg.Wait()
	for w := range workers {
		for r, out := range got[w] {
			if !bytes.Equal(want[w], out) {
				t.Errorf("worker %d, round %d: %d bytes, want %d; first difference at %d", w, r, len(out), len(want[w]), firstDiff(out, want[w]))
			}
		}
	}
}

// TestReviewStreamStartsAgain: pickles of one Encoder, one after another,
// each written as Marshal writes it alone without quick paths: nothing of
// the cache of GETs or of the plans' field names carries over to the next
// Encode, nor after an Encode that failed halfway.
func TestReviewStreamStartsAgain(t *testing.T) {
	shared := Tuple{"shared", int64(1)}
	str := "a shared str"
	l := List{str, shared}
	items := make(List, 3000)
	for i := range items {
		items[i] = []any{shared, str, &l}[i%3]
	}
	other := make(List, 3000)
	for i := range other {
		other[i] = Tuple{fmt.Sprint(i % 50)}
	}
	recs := []planInner{{"x", 1}, {"y", 2}}
	pickles := []any{&items, recs, &other, &items, List{&items, recs}, recs, &items}
	bad := List{str, shared, "\xff"}
	for p := 0; p <= HighestProtocol; p++ {
		var stream, want bytes.Buffer
		enc := NewEncoder(&stream, Protocol(p))
		for i, v := range pickles {
			if i == 3 {
				require.Error(t, enc.Encode(&bad), "protocol %d", p)
				stream.Reset()
				want.Reset()
			}
			require.NoError(t, enc.Encode(v), "pickle %d, protocol %d", i, p)
			general, err := Marshal(v, Protocol(p), noQuickPaths{})
			require.NoError(t, err)
			want.Write(general)
			require.Equal(t, want.Bytes(), stream.Bytes(), "pickle %d, protocol %d", i, p)
		}
	}
}

type reviewWide struct {
	Arr [4]int16
	P   *uint64
	F   float32
	In  planInner
	S   []float64
	K   []planInner
}

// TestReviewPlansMatchLivePython: structs whose plans write arrays,
// pointers to scalars, float32s, nested structs and slices of structs,
// over many frames, against CPython's bytes for the same dicts and lists
// at every protocol; and a list of shared items found through the cache of
// GETs.
func TestReviewPlansMatchLivePython(t *testing.T) {
	wide := make([]reviewWide, 6000)
	for i := range wide {
		w := reviewWide{Arr: [4]int16{int16(i), int16(-i), int16(2 * i), 3}, F: 0.5,
			In: planInner{fmt.Sprint("n", i), int32(i)}, S: []float64{float64(i) / 2}}
		if i%3 != 0 {
			u := uint64(math.MaxUint64) - uint64(i)
			w.P = &u
		}
		if i%5 == 0 {
			w.K = []planInner{{"k", int32(i)}}
		}
		wide[i] = w
	}
	pool := List{"str-a", Tuple{"t", int64(1)}, &List{int64(2)}, NewDict(0)}
	shared := make(List, 40000)
	for i := range shared {
		shared[i] = pool[i*7%len(pool)]
	}
	requireMarshalMatchesDumps(t, []liveDumps{
		{"[{'Arr': [i, -i, 2 * i, 3], 'P': None if i % 3 == 0 else 2**64 - 1 - i, 'F': 0.5," +
			" 'In': {'name': 'n%d' % i, 'n': i}, 'S': [i / 2], 'K': [{'name': 'k', 'n': i}] if i % 5 == 0 else None}" +
			" for i in range(6000)]", wide},
		{"(lambda pool: [pool[i * 7 % 4] for i in range(40000)])(['str-a', ('t', 1), [2], {}])", &shared},
	})
}

// reviewTaggedEmbed embeds an unexported struct type and names it by a
// tag, which makes it one field (as in encoding/json), of a type reflect
// keeps read-only.
type reviewTaggedEmbed struct {
	planInner    `pickle:"inner"`
	*reviewBoxed `pickle:"boxed"`
	X            int64
}

type reviewBoxed struct{ Z int64 }

// TestReviewTaggedUnexportedEmbed: such a field is written as the plans
// write it (and the decoder reads it back) on the general path too, which
// every option that turns the quick paths off takes (a PersistentIDFunc, a
// registered class): it panicked there, reflect refusing to make an `any`
// of a read-only field.
func TestReviewTaggedUnexportedEmbed(t *testing.T) {
	v := reviewTaggedEmbed{planInner{"a", 1}, &reviewBoxed{2}, 3}
	noPID := PersistentIDFunc(func(any) (any, bool, error) { return nil, false, nil })
	values := []any{v, &v, []reviewTaggedEmbed{v, v}, [1]reviewTaggedEmbed{v}, map[string]reviewTaggedEmbed{"k": v},
		struct{ E reviewTaggedEmbed }{v}, Tuple{v}, reviewTaggedEmbed{}}
	for i, x := range values {
		for p := 0; p <= HighestProtocol; p++ {
			want, err := Marshal(x, Protocol(p))
			require.NoError(t, err, "value %d at protocol %d", i, p)
			for _, opt := range []Option{noQuickPaths{}, noStructPlans{}, noPID, RegisterClass("m.Other", planFallback{})} {
				var got []byte
				require.NotPanics(t, func() { got, err = Marshal(x, Protocol(p), opt) }, "value %d at protocol %d, %T", i, p, opt)
				require.NoError(t, err, "value %d at protocol %d, %T", i, p, opt)
				require.Equal(t, want, got, "value %d at protocol %d, %T", i, p, opt)
			}
		}
	}
	out, err := Marshal(v, noQuickPaths{})
	require.NoError(t, err)
	var back reviewTaggedEmbed
	require.NoError(t, Unmarshal(out, &back))
	require.Equal(t, v, back)
}
