package pickle

import (
	"bytes"
	"fmt"
	"reflect"
	"runtime"
	"runtime/debug"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// TestDirectValuesSurviveCollections decodes many pickles with the direct
// decoder alone and holds what it made, forcing garbage collections between
// decodes and while the values are held, and filling the memory the
// collector freed with junk. Everything the direct decoder hands out comes
// from chunks it shares between values (carve, newValue, newPointee, the
// string arena) and is written through unsafe pointers: a value the
// collector could not see from the results would be freed and overwritten
// here, and the held results would then differ from what the general path
// decodes afresh at the end.
func TestDirectValuesSurviveCollections(t *testing.T) {
	type held struct {
		name string
		data []byte
		opts []Option
		v    reflect.Value // a pointer to what the direct decoder made
	}
	var all []held
	decode := func(name string, data []byte, typ reflect.Type, opts []Option) {
		cfg, err := newConfig(opts)
		require.NoError(t, err)
		v := reflect.New(typ)
		plan, dst := directTarget(v.Interface())
		if plan == nil {
			return
		}
		if _, err := decodeDirect(data, cfg, plan, dst); err != nil {
			return // it gave up; TestDirectMatchesGeneral covers that
		}
		all = append(all, held{name, data, opts, v})
		if len(all)%100 == 0 {
			runtime.GC()
			overwriteFreed()
		}
		if len(all)%2000 == 0 {
			debug.FreeOSMemory()
		}
	}
	// The race detector's short run takes a sixteenth of the fixtures and
	// a quarter of the lists below.
	stride := 1
	if testing.Short() {
		stride = 16
	}
	for i, f := range loadFixtures(t) {
		if i%stride != 0 {
			continue
		}
		opts := f.decodeOptions()
		var v any
		if Unmarshal(f.Data, &v, opts...) != nil {
			continue
		}
		targets := otherTargets
		for _, alt := range []bool{false, true} {
			if typ := shapeOf(v, 0, alt); typ != nil {
				targets = append([]reflect.Type{typ}, targets...)
			}
		}
		for _, typ := range targets {
			decode(f.Writer+"/"+f.Name, f.Data, typ, opts)
		}
	}
	for _, f := range benchFiles(t) {
		if target := benchTyped(f.payload); target != nil {
			decode(f.name, f.data, reflect.TypeOf(target).Elem(), nil)
		}
	}
	// Lists whose items point into shared chunks: strings, pointers to
	// scalars (newPointee), short lists (carve), pointers to structs
	// (newValue), pointers to lists (boxed).
	for p := range HighestProtocol + 1 {
		for n := 0; n < 40; n += max(1, stride/4) {
			l := make(List, n)
			for i := range l {
				l[i] = dict(t, "s", fmt.Sprint("item ", n, ".", i), "p", int64(i*n), "l", &List{fmt.Sprint(i), fmt.Sprint(n)})
			}
			data, err := Marshal(&l, Protocol(p))
			require.NoError(t, err)
			type item struct {
				S string   `pickle:"s"`
				P *int64   `pickle:"p"`
				L []string `pickle:"l"`
			}
			decode(fmt.Sprintf("%d structs at protocol %d", n, p), data, reflect.TypeFor[[]item](), nil)
			decode(fmt.Sprintf("%d pointers to structs at protocol %d", n, p), data, reflect.TypeFor[[]*item](), nil)
			decode(fmt.Sprintf("%d maps at protocol %d", n, p), data, reflect.TypeFor[[]map[string]any](), nil)
			type pointers struct {
				L *[]string `pickle:"l"`
			}
			decode(fmt.Sprintf("%d pointers to lists at protocol %d", n, p), data, reflect.TypeFor[[]pointers](), nil)
		}
	}
	t.Logf("%d values decoded the direct way and held", len(all))
	require.Greater(t, len(all), 8000/stride, "too few direct decodes for this test to prove anything")

	for round := range 3 {
		runtime.GC()
		debug.FreeOSMemory()
		junk := overwriteFreed()
		for _, h := range all {
			general := reflect.New(h.v.Type().Elem())
			require.NoError(t, unmarshal(h.data, general.Interface(), false, h.opts), h.name)
			if reflect.DeepEqual(general.Elem().Interface(), h.v.Elem().Interface()) {
				continue // cmp.Diff, for NaNs and big.Ints, is much slower
			}
			if diff := cmp.Diff(general.Elem().Interface(), h.v.Elem().Interface(), equalDecoded); diff != "" {
				t.Fatalf("round %d, %s into %s: the held direct value differs from the general path's (-general +direct):\n%s",
					round, h.name, h.v.Type().Elem(), diff)
			}
		}
		runtime.KeepAlive(junk)
	}
}

// overwriteFreed allocates, in the size classes of small values, both
// pointer-free memory (where string bytes and scalars live) and memory
// with pointers (where structs, slices and interfaces live), filled with
// junk, so that memory the collector freed is reused and written over.
// It returns the junk for the caller to hold while it checks.
func overwriteFreed() any {
	sentinel := "junk, not decoded"
	var blobs [][]byte
	var ptrs [][]*string
	for _, size := range []int{8, 16, 24, 32, 48, 64, 96, 128, 256, 512, 1024, 4096, 8192} {
		for range 64 << 10 / size {
			b := bytes.Repeat([]byte{0xa5}, size)
			p := make([]*string, size/8)
			for i := range p {
				p[i] = &sentinel
			}
			blobs, ptrs = append(blobs, b), append(ptrs, p)
		}
	}
	return []any{blobs, ptrs}
}
