package pickle

import (
	"syscall"
	"testing"
	"time"
)

// reportCPUTime adds the process's CPU time per operation (user and
// system, every thread: the collector's too) to a benchmark's results, as
// cpu-ns/op. On a machine shared with other work, wall time counts the
// waits for a core; CPU time counts only the work, so before/after
// comparisons stay readable when the load is high. Call the function it
// returns when the b.N loop is done.
func reportCPUTime(b *testing.B) func() {
	start := cpuTime(b)
	return func() {
		b.ReportMetric(float64((cpuTime(b)-start).Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}

func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatalf("getrusage: %v", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
