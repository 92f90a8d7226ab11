package alloc

import "unsafe"

// Boxer puts ints, floats and strings into interface values without an
// allocation for each. Converting a value to `any` makes the runtime copy it
// to a fresh heap allocation and point the interface at the copy; the boxer
// copies it into a slot of a shared chunk instead and points the interface
// there. A chunk stays alive while any interface points into it (the
// collector follows interior pointers), and a slot is written once, before
// anyone can see it. Its zero value is ready to use; one Boxer serves one
// goroutine.
//
// It uses unsafe: an interface value is two words, the type and a pointer
// to the value, and the boxer writes them itself.
// TestBoxerMatchesRuntime pins that the results behave exactly as the
// runtime's own conversions, through the collector too; BenchmarkBoxer shows
// what it saves.
type Boxer struct {
	ints    []int64
	floats  []float64
	strings []string
	// Chunks start small and double up to boxChunk, so that a small
	// pickle allocates little.
	intN, floatN, stringN int
}

const boxChunk = 256

// refill gives chunk a new chunk, twice as long as the last (n), up to
// boxChunk. It is kept out of line, off the boxing methods' common path
// (one call per up to boxChunk values). The methods are not inlined either
// way: `go build -gcflags=-m` gives them a cost of 117 to 126 against the
// compiler's budget of 80.
//
//go:noinline
func refill[T any](chunk *[]T, n *int) {
	*n = min(boxChunk, max(8, 2**n))
	*chunk = make([]T, *n)
}

// Type words of the interfaces the boxer makes.
var (
	int64TypeWord   = typeWord(int64(0))
	float64TypeWord = typeWord(float64(0))
	stringTypeWord  = typeWord("")
)

// eface is the layout of an interface value with no methods.
type eface struct {
	typ  unsafe.Pointer
	data unsafe.Pointer
}

func typeWord(v any) unsafe.Pointer {
	return (*eface)(unsafe.Pointer(&v)).typ
}

func makeAny(typ, data unsafe.Pointer) any {
	var v any
	e := (*eface)(unsafe.Pointer(&v))
	e.typ, e.data = typ, data
	return v
}

// Int64 returns v as an interface value.
func (b *Boxer) Int64(v int64) any {
	if v >= 0 && v < 256 {
		return v // the runtime boxes these without allocating
	}
	if len(b.ints) == 0 {
		refill(&b.ints, &b.intN)
	}
	p := &b.ints[0]
	b.ints = b.ints[1:]
	*p = v
	return makeAny(int64TypeWord, unsafe.Pointer(p))
}

// Float64 returns v as an interface value.
func (b *Boxer) Float64(v float64) any {
	if len(b.floats) == 0 {
		refill(&b.floats, &b.floatN)
	}
	p := &b.floats[0]
	b.floats = b.floats[1:]
	*p = v
	return makeAny(float64TypeWord, unsafe.Pointer(p))
}

// String returns s as an interface value.
func (b *Boxer) String(s string) any {
	if s == "" {
		return s // the runtime boxes the empty string without allocating
	}
	if len(b.strings) == 0 {
		refill(&b.strings, &b.stringN)
	}
	p := &b.strings[0]
	b.strings = b.strings[1:]
	*p = s
	return makeAny(stringTypeWord, unsafe.Pointer(p))
}
