package pickle

import (
	"runtime"
	"strconv"
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
	// The ages are counted by cleanups that run after each collection,
	// on their own goroutine: wait for each to be seen.
	collect := func(want int32) {
		t.Helper()
		runtime.GC()
		deadline := time.Now().Add(5 * time.Second)
		for largeEncoder.gcs.Load() < want {
			if time.Now().After(deadline) {
				t.Fatalf("after %d collections the kept encoder's age is %d", want, largeEncoder.gcs.Load())
			}
			time.Sleep(time.Millisecond)
		}
	}
	collect(1)
	if largeEncoder.e.Load() != kept {
		t.Fatal("the kept encoder was let go after one collection")
	}
	collect(2)
	if largeEncoder.e.Load() != nil {
		t.Fatal("the kept encoder is still held after two collections")
	}
}
