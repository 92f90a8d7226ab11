package pickle

import (
	"bytes"
	"errors"
	"math/big"
	"reflect"
	"runtime"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// FuzzUnmarshalTyped decodes every input into a zoo of Go types, with and
// without AllowAllGlobals, and checks: no panic; the direct decoder and the
// general path agree; and whatever decoded marshals without a panic, and
// what Marshal wrote decodes into the same Go type as a value Marshal
// writes again byte for byte (issue 11: the typed paths had no fuzz target,
// and a dict with a tuple key crashed Unmarshal into map[any]any).

// fuzzRecord has a field of every kind Unmarshal fills.
type fuzzRecord struct {
	I     int
	I8    int8
	U16   uint16
	F     float64
	F32   float32
	B     bool
	S     string
	Bs    []byte
	C     complex128
	P     *int
	PS    *string
	Big   *big.Int
	BigV  big.Int
	T     time.Time
	PT    *time.Time
	Dur   time.Duration
	Arr   [2]any
	Any   any
	Anys  []any
	M     map[string]any
	MA    map[any]any
	MK    map[[2]any]int
	D     Dict
	PD    *Dict
	OD    OrderedDict
	L     List
	PL    *List
	Tup   Tuple
	Set   Set
	PSet  *Set
	FS    FrozenSet
	PO    *Object
	Dec   *Decimal // zero Decimal and Date values are not valid: Marshal refuses them
	ID    UUID
	Day   *Date
	Next  *fuzzRecord
	Kids  []fuzzRecord
	Named map[string]*fuzzRecord
}

// fuzzTargets are the Go types every input is decoded into.
var fuzzTargets = []reflect.Type{
	reflect.TypeFor[any](),
	reflect.TypeFor[map[any]any](),
	reflect.TypeFor[map[string]any](),
	reflect.TypeFor[map[[2]any]int](),
	reflect.TypeFor[map[any]bool](),
	reflect.TypeFor[[]any](),
	reflect.TypeFor[[3]any](),
	reflect.TypeFor[[]float64](),
	reflect.TypeFor[[]float32](),
	reflect.TypeFor[[][]float32](),
	reflect.TypeFor[*NDArray](),
	reflect.TypeFor[[]bool](),
	reflect.TypeFor[[]string](),
	reflect.TypeFor[[][2]any](),
	reflect.TypeFor[map[string]float64](),
	reflect.TypeFor[map[string][]byte](),
	reflect.TypeFor[[]*big.Int](),
	reflect.TypeFor[[]time.Time](),
	reflect.TypeFor[fuzzRecord](),
	reflect.TypeFor[*fuzzRecord](),
	reflect.TypeFor[[]fuzzRecord](),
	reflect.TypeFor[map[string]fuzzRecord](),
	reflect.TypeFor[Dict](),
	reflect.TypeFor[OrderedDict](),
	reflect.TypeFor[Set](),
	reflect.TypeFor[FrozenSet](),
	reflect.TypeFor[Object](),
	reflect.TypeFor[Tuple](),
	reflect.TypeFor[List](),
	reflect.TypeFor[[]Dict](),
	reflect.TypeFor[[]*Dict](),
	reflect.TypeFor[*List](),
}

func FuzzUnmarshalTyped(f *testing.F) {
	addSeeds(f)
	for _, seed := range typedSeeds(f) {
		f.Add(seed)
	}
	// numpy's own arrays, for checkNDArrayRoom: numbers, bytes, objects.
	for _, file := range []string{"f8.json", "S3.json", "O.json"} {
		for _, c := range loadNumpyCases(f, file)[:4] {
			f.Add(c.Pickle)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, opts := range [][]Option{nil, {AllowAllGlobals(), Encoding("latin1")}} {
			for _, typ := range fuzzTargets {
				checkTyped(t, data, typ, opts)
			}
			checkNDArrayRoom(t, data, opts)
		}
	})
}

// checkNDArrayRoom decodes data into an NDArray whose Data has room (the
// path that borrows the input, numpy_reuse.go) and into a new *NDArray:
// both fail or both give the same array, and nothing decoded into the room
// shares the input (which is overwritten before the comparison).
func checkNDArrayRoom(t *testing.T, data []byte, opts []Option) {
	var fresh *NDArray
	errFresh := Unmarshal(bytes.Clone(data), &fresh, opts...)
	room := &NDArray{Data: make([]byte, 0, 64)}
	in := bytes.Clone(data)
	errRoom := Unmarshal(in, room, opts...)
	clear(in)
	var v any
	errAny := Unmarshal(data, &v, opts...)
	if _, isArray := v.(*NDArray); errAny != nil || !isArray {
		// Not an array (a dict fills an NDArray's fields by name, and
		// leaves the others, Data's room too, as they were), or an error.
		return
	}
	if errFresh != nil {
		t.Fatalf("an array decodes into any but not into a new *NDArray: %v", errFresh)
	}
	if errRoom != nil {
		t.Fatalf("into an NDArray with room: %v (into a new *NDArray: no error)", errRoom)
	}
	if diff := cmp.Diff(*fresh, *room, equalDecoded, exportModel); diff != "" {
		t.Fatalf("into an NDArray with room (-new +room):\n%s", diff)
	}
}

// typedSeeds are pickles of fuzzRecord values, so that the fuzzer starts
// from inputs whose keys name the fields.
func typedSeeds(f *testing.F) [][]byte {
	n, dec := 7, Decimal("1.5")
	when := time.Date(2024, 1, 2, 3, 4, 5, 6000, Naive)
	rec := fuzzRecord{
		I: 1, I8: -2, U16: 3, F: 1.5, F32: 2.5, B: true, S: "s", Bs: []byte("b"), C: 1i,
		P: &n, Big: big.NewInt(1 << 40), T: when, PT: &when, Dur: time.Second,
		Arr: [2]any{int64(1), "x"}, Any: Tuple{int64(1)}, Anys: []any{nil, 2.5},
		M: map[string]any{"k": int64(1)}, MA: map[any]any{[2]any{int64(1), BytesKey("b")}: "v"},
		MK: map[[2]any]int{{int64(1), int64(2)}: 3}, PL: &List{int64(1)}, Tup: Tuple{"t"},
		Dec: &dec, Day: &Date{2024, 1, 2}, Kids: []fuzzRecord{{S: "kid"}},
	}
	rec.Next = &rec
	// One bytes object twice (a memo GET) sends the decode down the
	// general path, where it may borrow the input (decode_borrow.go).
	raw := []byte("shared bytes")
	shared := map[string]any{"a": raw, "b": raw}
	var seeds [][]byte
	for p := 0; p <= HighestProtocol; p++ {
		for _, v := range []any{&rec, shared} {
			data, err := Marshal(v, Protocol(p))
			if err != nil {
				f.Fatal(err)
			}
			seeds = append(seeds, data)
		}
	}
	return seeds
}

// checkTyped decodes data into typ both ways and checks the round trip of
// what decoded.
func checkTyped(t *testing.T, data []byte, typ reflect.Type, opts []Option) {
	general := reflect.New(typ)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	before := ms.TotalAlloc
	errGeneral := unmarshal(data, general.Interface(), false, opts)
	runtime.ReadMemStats(&ms)
	if used := ms.TotalAlloc - before; used > typedAllocBound(len(data)) {
		t.Fatalf("into %s: decoding %d bytes allocated %d bytes", typ, len(data), used)
	}
	both := reflect.New(typ)
	errBoth := unmarshal(data, both.Interface(), true, opts)
	if (errGeneral == nil) != (errBoth == nil) || errGeneral != nil && errGeneral.Error() != errBoth.Error() {
		t.Fatalf("into %s: general path: %v; with the direct decoder: %v", typ, errGeneral, errBoth)
	}
	if errGeneral != nil {
		var ute *UnmarshalTypeError
		var de *DecodeError
		var ge *GlobalError
		if !errors.As(errGeneral, &ute) && !errors.As(errGeneral, &de) && !errors.As(errGeneral, &ge) && !errors.Is(errGeneral, ErrLimit) {
			t.Fatalf("into %s: an error that says neither where nor why: %T %v", typ, errGeneral, errGeneral)
		}
		return
	}
	if plan, dst := directTarget(reflect.New(typ).Interface()); plan != nil {
		cfg, err := newConfig(opts)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := decodeDirect(data, cfg, plan, dst); err == nil {
			// The direct decoder decoded it itself: it holds no model
			// values then, which cmp can compare.
			if diff := cmp.Diff(general.Elem().Interface(), both.Elem().Interface(), equalDecoded, exportModel); diff != "" {
				t.Fatalf("into %s: the direct decoder differs from the general path (-general +direct):\n%s", typ, diff)
			}
		}
	}
	v1 := general.Interface()
	out, err := Marshal(v1)
	if err != nil {
		if !errors.Is(err, ErrUnsupported) {
			var ee *EncodeError
			if !errors.As(err, &ee) {
				t.Fatalf("into %s: Marshal of what decoded: %T %v", typ, err, err)
			}
		}
		return
	}
	back := reflect.New(typ)
	if err := Unmarshal(out, back.Interface(), AllowAllGlobals(), Encoding("latin1")); err != nil {
		t.Fatalf("into %s: what Marshal wrote does not decode into the type it came from: %v\n%x", typ, err, out)
	}
	if !sameMarshal(v1, back.Interface(), out) {
		t.Fatalf("into %s: a Marshal/Unmarshal round trip changed the value\n%x", typ, out)
	}
	checkNoAlias(t, data, typ, opts, v1, out)
}

// checkNoAlias decodes a copy of data into typ, overwrites the copy, and
// checks that the value still marshals as v1 did to out: whatever the
// decode borrowed from its input (decode_borrow.go), the value holds none
// of it.
func checkNoAlias(t *testing.T, data []byte, typ reflect.Type, opts []Option, v1 any, out []byte) {
	scratch := bytes.Clone(data)
	v := reflect.New(typ)
	if err := Unmarshal(scratch, v.Interface(), opts...); err != nil {
		t.Fatalf("into %s: decodes once, fails the second time: %v", typ, err)
	}
	for i := range scratch {
		scratch[i] ^= 0xff
	}
	if !sameMarshal(v1, v.Interface(), out) {
		t.Fatalf("into %s: the value changed with the input it was decoded from", typ)
	}
}

// typedAllocBound is what typed decoding may allocate for n input bytes:
// decoding's own bound for the value model, and as much again for the Go
// values made from it (the typed budget, unmarshal.go).
func typedAllocBound(n int) uint64 {
	return 2 * uint64(allocPerByte*n+allocBase)
}

// exportModel lets cmp compare the model's unexported fields (of the zero
// values the direct decoder leaves in fields a pickle does not set).
var exportModel = cmp.Exporter(func(t reflect.Type) bool { return t.PkgPath() == reflect.TypeFor[Dict]().PkgPath() })

// sameMarshal reports whether b marshals to out, as a, which marshaled to
// out, does. Go maps keyed by distinct pointers to equal objects have no
// order of their own: their bytes can differ from one Marshal to the next,
// so a difference counts only when a itself marshals stably.
func sameMarshal(a, b any, out []byte) bool {
	for range 8 {
		if again, err := Marshal(b); err == nil && bytes.Equal(again, out) {
			return true
		}
		if again, err := Marshal(a); err != nil || !bytes.Equal(again, out) {
			out = again // not stable: compare with this ordering
		}
	}
	return false
}
