package main

import (
	"cmp"
	"fmt"
	"runtime"
	"runtime/metrics"
	"slices"
	"sync"
	"time"
)

// budget bounds the time one measurement takes: after at least minReps
// runs, a measurement stops once its runs add up to more than budget. Set by
// the -budget flag.
var budget = 2 * time.Second

const minReps = 3

// result is one implementation measured on one file.
type result struct {
	Impl   string
	Op     string // "decode", "encode" or "copy"
	Peer   bool   // a comparison library, not this one
	Ns     int64  // median time of one run
	Runs   []int64
	Allocs uint64 // heap allocations in the median run
	Bytes  uint64 // bytes allocated in the median run
	Err    string // the failure, when the implementation failed
	Note   string
}

// measure times up to reps runs of f, each after a full GC, and reads the
// allocations each run made from runtime.MemStats. The result of a run is
// dropped before the next one starts; the last one is returned. A panic or an
// error is the result.
func measure(impl, op string, reps int, f func() (any, error)) (r result, last any) {
	r = result{Impl: impl, Op: op}
	defer func() {
		if p := recover(); p != nil {
			r.Err = fmt.Sprintf("panic: %v", p)
			last = nil
		}
	}()
	type run struct {
		ns            int64
		allocs, bytes uint64
	}
	var runs []run
	var m0, m1 runtime.MemStats
	var total time.Duration
	for i := 0; i < reps; i++ {
		last = nil
		runtime.GC()
		runtime.ReadMemStats(&m0)
		t0 := time.Now()
		v, err := f()
		dt := time.Since(t0)
		runtime.ReadMemStats(&m1)
		if err != nil {
			r.Err = err.Error()
			return r, nil
		}
		last = v
		runs = append(runs, run{dt.Nanoseconds(), m1.Mallocs - m0.Mallocs, m1.TotalAlloc - m0.TotalAlloc})
		total += dt
		if len(runs) >= minReps && total > budget {
			break
		}
	}
	slices.SortFunc(runs, func(a, b run) int { return cmp.Compare(a.ns, b.ns) })
	med := runs[len(runs)/2]
	r.Ns, r.Allocs, r.Bytes = med.ns, med.allocs, med.bytes
	for _, x := range runs {
		r.Runs = append(r.Runs, x.ns)
	}
	return r, last
}

// memResult is the memory a decode needs.
type memResult struct {
	Impl  string
	Graph int64 // live heap the decoded value holds, after a GC
	Peak  int64 // highest heap (live and not yet collected) seen during the decode
	Err   string
}

const heapMetric = "/memory/classes/heap/objects:bytes"

func heapBytes(s []metrics.Sample) int64 {
	metrics.Read(s)
	return int64(s[0].Value.Uint64())
}

// measureMemory runs decode once and reports the heap the result keeps
// alive (after two GCs) and the peak heap during the run, sampled every 200µs by another
// goroutine, both above the heap before the run.
func measureMemory(impl string, decode func() (any, error)) (r memResult) {
	r = memResult{Impl: impl}
	defer func() {
		if p := recover(); p != nil {
			r.Err = fmt.Sprintf("panic: %v", p)
		}
	}()
	sample := []metrics.Sample{{Name: heapMetric}}
	runtime.GC()
	runtime.GC()
	base := heapBytes(sample)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var peak int64
	wg.Add(1)
	go func() {
		defer wg.Done()
		s := []metrics.Sample{{Name: heapMetric}}
		tick := time.NewTicker(200 * time.Microsecond)
		defer tick.Stop()
		for {
			peak = max(peak, heapBytes(s))
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	v, err := decode()
	close(stop)
	wg.Wait()
	if err != nil {
		r.Err = err.Error()
		return r
	}
	peak = max(peak, heapBytes(sample))
	// Two collections: the second drops what the first only moved to the
	// victim caches of sync.Pools (a pooled decoder that still refers to
	// what it decoded would otherwise count here, or not, by chance).
	runtime.GC()
	runtime.GC()
	r.Graph = heapBytes(sample) - base
	runtime.KeepAlive(v)
	r.Peak = max(peak-base, r.Graph)
	return r
}
