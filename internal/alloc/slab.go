package alloc

import "unsafe"

// Slab hands out small slices carved from shared chunks, so that the many
// small tuples, lists and dicts of a pickle do not each need an allocation
// of their own. A slice handed out has its capacity capped at its length, so
// appending to it copies it out rather than into its neighbour. A chunk stays
// alive while any slice from it does, and is never handed out twice. Its
// zero value is ready to use.
type Slab[T any] struct {
	chunk []T
	size  int // elements in the last chunk: chunks start small and double
}

const (
	slabChunkBytes = 8 << 10 // small enough for the allocator's size classes
	slabMaxTake    = 32      // larger slices get their own allocation
)

// Take returns a slice of length n.
func (s *Slab[T]) Take(n int) []T {
	if n > slabMaxTake {
		return make([]T, n)
	}
	if len(s.chunk) < n {
		var zero T
		s.size = min(slabChunkBytes/max(1, int(unsafe.Sizeof(zero))), max(16, 2*s.size))
		s.chunk = make([]T, max(s.size, n))
	}
	out := s.chunk[:n:n]
	s.chunk = s.chunk[n:]
	return out
}
