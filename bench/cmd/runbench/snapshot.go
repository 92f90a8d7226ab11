package main

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/pickle-go/pickle/snapshot"
)

// appendResult is the latency of snapshot.Store.Append: one small change,
// signed, written to the journal and fsynced before Append returns.
type appendResult struct {
	N                int
	Median, P99, Max time.Duration
	Err              string
}

// appendRuns is how many Appends are timed.
const appendRuns = 500

// measureAppend times appendRuns Appends to a store in a new directory under
// dir (the bench directory, so that the disk is the one the corpus is on).
func measureAppend(dir string) *appendResult {
	r := &appendResult{N: appendRuns}
	tmp, err := os.MkdirTemp(dir, "snapshot-append-")
	if err != nil {
		r.Err = err.Error()
		return r
	}
	defer os.RemoveAll(tmp)
	s, err := snapshot.Open(tmp, snapshot.Config{KeyID: "bench", Key: []byte("a benchmark key of 32 bytes....."), Schema: 1})
	if err != nil {
		r.Err = err.Error()
		return r
	}
	defer s.Close()
	if _, err := s.Save(map[string]int64{"n": 0}); err != nil {
		r.Err = err.Error()
		return r
	}
	change := map[string]any{"op": "add", "name": "user-000123", "score": 97.5}
	times := make([]time.Duration, 0, appendRuns)
	for range appendRuns {
		t0 := time.Now()
		if err := s.Append(change); err != nil {
			r.Err = err.Error()
			return r
		}
		times = append(times, time.Since(t0))
	}
	slices.Sort(times)
	r.Median, r.P99, r.Max = times[len(times)/2], times[len(times)*99/100], times[len(times)-1]
	return r
}

// appendTable prints the Append latency.
func (rep *report) appendTable(b *strings.Builder) {
	if rep.Append == nil {
		return
	}
	b.WriteString("\n## Snapshot journal: Append latency\n\n")
	if rep.Append.Err != "" {
		fmt.Fprintf(b, "failed: %s\n", rep.Append.Err)
		return
	}
	fmt.Fprintf(b, "`snapshot.Store.Append` of a small change (signed, written, fsynced), %d runs on the bench directory's disk:\n\n", rep.Append.N)
	b.WriteString("| median | p99 | max |\n|--:|--:|--:|\n")
	fmt.Fprintf(b, "| %s | %s | %s |\n", rep.Append.Median.Round(time.Microsecond), rep.Append.P99.Round(time.Microsecond), rep.Append.Max.Round(time.Microsecond))
}
