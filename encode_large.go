package pickle

import (
	"runtime"
	"sync/atomic"
)

// largeEncoder keeps one encoder whose memo tables or spare segments grew
// large, for the next Marshal on any P. sync.Pool keeps an encoder put
// back in the P that put it and lends it to another P only from a queue
// that a single idle encoder never reaches: on this machine's 2 Ps, a
// goroutine that moved between calls (as one does across a runtime.GC)
// found none half the time, and grew 16 MB of memo tables and its
// segments again (strings.p4 from any: 64 MB allocated and 70 to 100 ms
// of CPU a call instead of 18 MB and 25 to 30 ms). Like a pool, it lets
// go of the encoder after two collections without a use.
var largeEncoder struct {
	e   atomic.Pointer[encoder]
	gcs atomic.Int32 // collections since e was put back
}

// largeEncoderSize is the memo table size (slots) from which an encoder
// is kept here rather than in the pool.
const largeEncoderSize = 1 << 16

func init() { onEachGC(ageLargeEncoder) }

// getEncoder returns an encoder for Marshal: the large one if it is there.
func getEncoder() *encoder {
	if e := largeEncoder.e.Swap(nil); e != nil {
		return e
	}
	return encoders.Get().(*encoder)
}

// keepLarge keeps e, reset, as the large encoder if it is one and none is
// kept, and reports whether it did.
func keepLarge(e *encoder) bool {
	if len(e.spare) == 0 && max(e.strMemo.byPtr.Size(), e.memo.lists.Size(), e.memo.dicts.Size(), e.memo.tuples.Size()) < largeEncoderSize {
		return false
	}
	largeEncoder.gcs.Store(0)
	return largeEncoder.e.CompareAndSwap(nil, e)
}

func ageLargeEncoder() {
	if largeEncoder.gcs.Add(1) >= 2 {
		largeEncoder.e.Store(nil)
	}
}

// onEachGC calls f after each collection, from the runtime's cleanup
// goroutine: the cleanup of an object dropped at once, which arms the next
// before it calls f. (A collection that starts before the cleanup of the
// last one has run is not seen: f counts collections at most.)
func onEachGC(f func()) {
	runtime.AddCleanup(new(gcTick), func(f func()) { onEachGC(f); f() }, f)
}

// gcTick is large enough not to share a block with other tiny objects,
// which would put off its cleanup.
type gcTick [32]byte
