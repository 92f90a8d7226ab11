package ptrtable

import (
	"fmt"
	"math/bits"
	"math/rand"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

// This file measures what one memo operation costs with Table's layout
// and with the alternatives it was chosen over, on the key streams an
// encoder meets: strings just made, in the order they were made (a
// decoded or freshly built payload); the same strings visited in an order
// unrelated to their addresses (long-lived objects, moved apart by the
// time they are written); and a small pool of objects referred to again
// and again (the shared payload: nearly every operation a hit).

// memoTable is what the encoder asks of its memo table.
type memoTable interface {
	GetOrAdd(p unsafe.Pointer, v uint64) (uint64, bool)
	Clear()
}

// altTable is open addressing with linear probing, keys and values in
// two arrays, as Table, with the slot of a key chosen otherwise: by a
// multiplicative hash of the whole address (grain < 0), where every new
// key lands at random; or by blocks of 1<<block bytes of memory, each
// hashed to a run of slots, one per 1<<grain bytes of the block.
type altTable struct {
	keys  []unsafe.Pointer
	vals  []uint64
	n     int
	shift uint
	block uint
	grain int
}

func (t *altTable) slot(p unsafe.Pointer) int {
	a := uint64(uintptr(p))
	if t.grain < 0 {
		return int(a * 0x9e3779b97f4a7c15 >> t.shift)
	}
	run := (a >> t.block) * 0x9e3779b97f4a7c15 >> t.shift
	return int(run+(a&(1<<t.block-1))>>t.grain) & (len(t.keys) - 1)
}

func (t *altTable) GetOrAdd(p unsafe.Pointer, v uint64) (uint64, bool) {
	if 2*(t.n+1) > len(t.keys) {
		t.rehash(max(256, 2*len(t.keys)))
	}
	mask := len(t.keys) - 1
	i := t.slot(p)
	for t.keys[i] != nil && t.keys[i] != p {
		i = (i + 1) & mask
	}
	if t.keys[i] == p {
		return t.vals[i], true
	}
	t.keys[i], t.vals[i] = p, v
	t.n++
	return 0, false
}

// rehash moves every key into a table of size slots.
func (t *altTable) rehash(size int) {
	old := *t
	*t = altTable{
		keys: make([]unsafe.Pointer, size), vals: make([]uint64, size),
		shift: uint(64 - bits.Len(uint(size-1))), block: old.block, grain: old.grain,
	}
	for i, k := range old.keys {
		if k != nil {
			t.GetOrAdd(k, old.vals[i])
		}
	}
}

func (t *altTable) Clear() { clear(t.keys); t.n = 0 }

// pairTable is altTable by hash with each key beside its value: one cache
// line per probe instead of two, at twice the bytes per probed line.
type pairTable struct {
	slots []pairSlot
	n     int
	shift uint
}

type pairSlot struct {
	key unsafe.Pointer
	val uint64
}

func (t *pairTable) GetOrAdd(p unsafe.Pointer, v uint64) (uint64, bool) {
	if 2*(t.n+1) > len(t.slots) {
		t.grow()
	}
	mask := len(t.slots) - 1
	for i := int(uint64(uintptr(p)) * 0x9e3779b97f4a7c15 >> t.shift); ; i = (i + 1) & mask {
		s := &t.slots[i]
		switch s.key {
		case p:
			return s.val, true
		case nil:
			s.key, s.val = p, v
			t.n++
			return 0, false
		}
	}
}

func (t *pairTable) grow() {
	old := t.slots
	size := max(256, 2*len(old))
	*t = pairTable{slots: make([]pairSlot, size), shift: uint(64 - bits.Len(uint(size-1)))}
	for _, s := range old {
		if s.key != nil {
			t.GetOrAdd(s.key, s.val)
		}
	}
}

func (t *pairTable) Clear() { clear(t.slots); t.n = 0 }

// goMap is the runtime's map (Swiss tables).
type goMap map[unsafe.Pointer]uint64

func (m goMap) GetOrAdd(p unsafe.Pointer, v uint64) (uint64, bool) {
	if old, ok := m[p]; ok {
		return old, true
	}
	m[p] = v
	return 0, false
}

func (m goMap) Clear() { clear(m) }

var layouts = []struct {
	name string
	make func() memoTable
}{
	{"table", func() memoTable { return new(Table) }},
	{"dense", func() memoTable { return &Table{Dense: true} }}, // as Table was before: a slot a byte
	{"hash", func() memoTable { return &altTable{grain: -1} }},
	{"pairs", func() memoTable { return new(pairTable) }},
	// By 64-byte line of memory, a slot per 8 or 4 bytes.
	{"line8", func() memoTable { return &altTable{block: 6, grain: 3} }},
	{"line4", func() memoTable { return &altTable{block: 6, grain: 2} }},
	{"map", func() memoTable { return goMap{} }},
}

// freshStrings returns the addresses of n strings of minLen to maxLen
// bytes, in the order they were made: each allocated on its own, as a
// program builds them, or packed into 32 KiB chunks, as the decoder's
// arena does.
func freshStrings(n int, packed bool, minLen, maxLen int) []unsafe.Pointer {
	rng := rand.New(rand.NewSource(1))
	keys := make([]unsafe.Pointer, n)
	var chunk strings.Builder
	for i := range keys {
		s := strings.Repeat("s", minLen+rng.Intn(maxLen-minLen+1))
		if !packed {
			s = strings.Clone(s)
		} else {
			if chunk.Cap()-chunk.Len() < len(s) {
				chunk = strings.Builder{}
				chunk.Grow(32 << 10)
			}
			start := chunk.Len()
			chunk.WriteString(s)
			s = chunk.String()[start:]
		}
		keys[i] = unsafe.Pointer(unsafe.StringData(s))
	}
	return keys
}

func BenchmarkLayouts(b *testing.B) {
	for _, n := range []int{10_000, 1_000_000} {
		made, packed := freshStrings(n, false, 6, 24), freshStrings(n, true, 6, 24)
		short := freshStrings(n, true, 3, 7) // names such as the nested payload's "n123"
		scattered := append([]unsafe.Pointer(nil), packed...)
		rand.New(rand.NewSource(2)).Shuffle(n, func(i, j int) {
			scattered[i], scattered[j] = scattered[j], scattered[i]
		})
		for _, order := range []struct {
			name string
			keys []unsafe.Pointer
		}{{"made", made}, {"packed", packed}, {"short", short}, {"scattered", scattered}} {
			for _, l := range layouts {
				// Every key new, into a table kept (cleared) from the
				// run before, as a pooled encoder keeps its memo.
				b.Run(fmt.Sprintf("new/order=%s/n=%d/layout=%s", order.name, n, l.name), func(b *testing.B) {
					t := l.make()
					b.ResetTimer()
					defer reportPerKey(b, n)()
					for range b.N {
						t.Clear()
						for i, k := range order.keys {
							t.GetOrAdd(k, uint64(i))
						}
					}
				})
			}
		}
	}
	// The shared payload: a million references into a pool of a thousand.
	pool := freshStrings(1000, false, 6, 24)
	rng := rand.New(rand.NewSource(3))
	refs := make([]unsafe.Pointer, 1_000_000)
	for i := range refs {
		refs[i] = pool[rng.Intn(len(pool))]
	}
	for _, l := range layouts {
		b.Run("hits/layout="+l.name, func(b *testing.B) {
			t := l.make()
			b.ResetTimer()
			defer reportPerKey(b, len(refs))()
			for range b.N {
				t.Clear()
				for i, k := range refs {
					t.GetOrAdd(k, uint64(i))
				}
			}
		})
	}
}

// reportPerKey reports wall and CPU time per key (the CPU time of the
// process, which on a machine shared with other work leaves out the waits
// for a core). Call the function it returns when the b.N loop is done.
func reportPerKey(b *testing.B, keys int) func() {
	start := cpuTime(b)
	return func() {
		ops := float64(b.N * keys)
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/ops, "ns/key")
		b.ReportMetric(float64((cpuTime(b)-start).Nanoseconds())/ops, "cpu-ns/key")
	}
}

func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatalf("getrusage: %v", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
