package pickle

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// This file finds the byte regions that two of the scanner's readings read
// differently: where one decodes an opcode the other does not (a different
// opcode, an argument of another length, one read past bytes it dropped, or
// one it cannot read), over bytes both of them decode. Each such region is
// itself a finding, whatever the pickles around it do: it is where a
// scanner that follows one reader can be shown one thing while another
// reader runs something else.

// opRead is one opcode as one reading decoded it.
type opRead struct {
	start, end int64
	code       byte
	failed     bool // the reading stops here: it cannot read (or run) this opcode
	dropped    bool // the reading skipped bytes of a frame inside it
}

// traceSink collects the trace of one reading, over all its pickles. The
// readings mostly read alike: while a reading repeats ref (the first
// reading's trace, in order), nothing is stored, so that scanning holds one
// trace rather than one per reading.
type traceSink struct {
	ref      []opRead
	n        int // records of ref repeated so far
	own      []opRead
	diverged bool // own holds the trace
}

func (t *traceSink) add(r opRead) {
	if !t.diverged && t.n < len(t.ref) && t.ref[t.n] == r {
		t.n++
		return
	}
	t.diverge()
	t.own = append(t.own, r)
}

// diverge starts storing the trace.
func (t *traceSink) diverge() {
	if !t.diverged {
		t.own, t.diverged = slices.Clone(t.ref[:t.n]), true
	}
}

// failLast marks the last record as one the reading stops at.
func (t *traceSink) failLast() {
	if !t.diverged {
		if t.n == 0 || t.ref[t.n-1].failed {
			return
		}
		t.diverge()
	}
	if len(t.own) > 0 {
		t.own[len(t.own)-1].failed = true
	}
}

// done returns the reading's trace, sorted: ref itself if it repeated all
// of it.
func (t *traceSink) done() []opRead {
	if !t.diverged {
		if t.n == len(t.ref) {
			return t.ref
		}
		t.diverge()
	}
	return sortTrace(t.own)
}

// traceOp records the opcode at start, read up to the source's offset.
func (o *observer) traceOp(src *source, start int64, code byte, failed bool) {
	if o == nil || o.trace == nil {
		return
	}
	o.trace.add(opRead{start: start, end: max(src.offset(), start+1), code: code, failed: failed,
		dropped: src.dropped != o.dropped})
	o.dropped = src.dropped
}

// traceFailed marks the last opcode traced as one the reading stops at.
func (o *observer) traceFailed() {
	if o != nil && o.trace != nil {
		o.trace.failLast()
	}
}

// sortTrace orders a trace by offset, without duplicates.
func sortTrace(tr []opRead) []opRead {
	slices.SortFunc(tr, func(a, b opRead) int {
		if a.start != b.start {
			return int(min(max(a.start-b.start, -1), 1))
		}
		return int(min(max(a.end-b.end, -1), 1))
	})
	return slices.Compact(tr)
}

// span is the bytes one report of one reading covers.
type span struct {
	reading    int
	start, end int64
}

// region is a run of bytes that readings read differently.
type region struct {
	start, end int64
	readings   uint8 // bit i: readings[i]
}

// maxRegionNotes bounds the region findings of one stream; a last one says
// how many more there are.
const maxRegionNotes = 64

// regionNotes compares the readings' traces and attaches a finding for each
// region read differently to every report (of all, spans[i] saying what
// all[i] covers) of a reading involved that overlaps it.
func regionNotes(all []PickleReport, spans []span, traces [][]opRead) {
	regions, maxEnd := diffRegions(traces)
	for n, rg := range regions {
		f := Finding{Offset: rg.start, Op: "READINGS", Name: fmt.Sprintf("bytes %d to %d", rg.start, rg.end-1), Verdict: Suspicious,
			Reason: "CPython's unpicklers read these bytes differently: " + describeRegion(rg, traces, maxEnd)}
		if n == maxRegionNotes-1 && len(regions) > maxRegionNotes {
			// One finding for the rest, over all of them.
			f.Reason = fmt.Sprintf("CPython's unpicklers read %d regions of these bytes differently; the first: %s",
				len(regions)-n, describeRegion(rg, traces, maxEnd))
			for _, more := range regions[n+1:] {
				rg.end, rg.readings = more.end, rg.readings|more.readings
			}
			f.Name = fmt.Sprintf("bytes %d to %d", rg.start, rg.end-1)
		}
		for i, sp := range spans {
			if rg.readings&(1<<sp.reading) != 0 && sp.start < rg.end && rg.start < max(sp.end, sp.start+1) {
				all[i].Notes = append(all[i].Notes, f)
				all[i].Verdict = max(all[i].Verdict, f.Verdict)
			}
		}
		if n == maxRegionNotes-1 {
			break
		}
	}
}

// diffRegions returns the regions two readings read differently, merged
// where they overlap or touch, in order. A record of one reading that the
// other has too (the same opcode over the same bytes, read the same way)
// agrees; one that the other reads none of is not compared (the other does
// not read those bytes at all); any other differs. It sorts the traces by
// offset, and returns with the regions, for each trace, the furthest end of
// its records up to each.
func diffRegions(traces [][]opRead) ([]region, [][]int64) {
	maxEnd := make([][]int64, len(traces))
	for i, tr := range traces {
		if i > 0 && sameTrace(traces[i-1], tr) {
			maxEnd[i] = maxEnd[i-1]
			continue
		}
		traces[i] = sortTrace(tr)
		maxEnd[i] = make([]int64, len(traces[i]))
		for k, r := range traces[i] {
			maxEnd[i][k] = r.end
			if k > 0 {
				maxEnd[i][k] = max(maxEnd[i][k], maxEnd[i][k-1])
			}
		}
	}
	var diffs []region
	for i, ti := range traces {
		for j, tj := range traces {
			if i == j || sameTrace(ti, tj) {
				continue
			}
			for _, r := range ti {
				k := sort.Search(len(tj), func(k int) bool { return tj[k].start >= r.start })
				same := false
				for q := k; q < len(tj) && tj[q].start == r.start && !same; q++ {
					same = tj[q] == r
				}
				overlaps := k < len(tj) && tj[k].start < r.end || k > 0 && maxEnd[j][k-1] > r.start
				if !same && overlaps {
					diffs = append(diffs, region{r.start, r.end, 1<<i | 1<<j})
				}
			}
		}
	}
	sort.Slice(diffs, func(a, b int) bool { return diffs[a].start < diffs[b].start })
	var out []region
	for _, d := range diffs {
		if n := len(out); n > 0 && d.start <= out[n-1].end {
			out[n-1].end = max(out[n-1].end, d.end)
			out[n-1].readings |= d.readings
			continue
		}
		out = append(out, d)
	}
	return out, maxEnd
}

// sameTrace reports whether two traces are one (traceSink made them so).
func sameTrace(a, b []opRead) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// describeRegion says how each reading involved reads rg: the first opcode
// it decodes there, readings that read it alike together.
func describeRegion(rg region, traces [][]opRead, maxEnd [][]int64) string {
	var how []string
	var who [][]string
	for i, tr := range traces {
		if rg.readings&(1<<i) == 0 {
			continue
		}
		h := "reads none of them"
		// The first record to end past the region's start (maxEnd is
		// sorted) is the first to overlap it, if any does.
		if k, _ := slices.BinarySearch(maxEnd[i], rg.start+1); k < len(tr) && tr[k].start < rg.end {
			r := tr[k]
			h = fmt.Sprintf("%s at %d", opName(r.code), r.start)
			if r.dropped {
				h += ", dropping the rest of a frame"
			}
			if r.failed {
				h += ", and stops there"
			}
		}
		if k := slices.Index(how, h); k >= 0 {
			who[k] = append(who[k], readings[i].name)
		} else {
			how, who = append(how, h), append(who, []string{readings[i].name})
		}
	}
	var parts []string
	for k, h := range how {
		parts = append(parts, strings.Join(who[k], ", ")+": "+h)
	}
	return strings.Join(parts, "; ")
}
