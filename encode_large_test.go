package pickle

import (
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"
	"time"
)

// TestLargeEncoderKept checks that Marshal keeps an encoder whose memo grew
// large where the next Marshal finds it, whatever its P, and that it is let
// go after two collections without a use.
func TestLargeEncoderKept(t *testing.T) {
	l := make(List, 0, largeEncoderSize)
	for i := range largeEncoderSize {
		l = append(l, "s"+strconv.Itoa(i))
	}
	largeEncoder.e.Store(nil)
	if _, err := Marshal(&l, Protocol(4)); err != nil {
		t.Fatal(err)
	}
	kept := largeEncoder.e.Load()
	if kept == nil {
		t.Fatalf("no encoder kept after a Marshal of %d strings", len(l))
	}
	if e := getEncoder(); e != kept {
		t.Fatal("getEncoder did not return the kept encoder")
	} else {
		putEncoder(e)
	}
	if _, err := Marshal(List{"small"}, Protocol(4)); err != nil {
		t.Fatal(err)
	}
	if largeEncoder.e.Load() != kept {
		t.Fatal("the kept encoder was not put back after a Marshal used it")
	}
	// Aged by hand: a collection elsewhere in the test binary may also
	// age it at any time, so the collections are counted apart, below.
	largeEncoder.gcs.Store(0)
	ageLargeEncoder()
	if largeEncoder.e.Load() != kept {
		t.Fatal("the kept encoder was let go after one collection")
	}
	ageLargeEncoder()
	if largeEncoder.e.Load() != nil {
		t.Fatal("the kept encoder is still held after two collections")
	}
}

// TestOnEachGC checks that the hook that ages the kept encoder runs after
// each collection, again and again.
func TestOnEachGC(t *testing.T) {
	var n atomic.Int32
	onEachGC(func() { n.Add(1) })
	for want := int32(1); want <= 3; want++ {
		runtime.GC()
		deadline := time.Now().Add(5 * time.Second)
		for n.Load() < want {
			if time.Now().After(deadline) {
				t.Fatalf("after %d collections the hook ran %d times", want, n.Load())
			}
			time.Sleep(time.Millisecond)
		}
	}
}
