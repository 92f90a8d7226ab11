package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"
)

// What touching fresh memory costs on this machine, for Go and for CPython:
// a decode that allocates its result pays it, and a host where page faults
// are slow would otherwise make a ratio against CPython look better or worse
// than the code deserves. The report prints it beside the ratios.

// touchBytes is the buffer zeroed: 200 MB, the size the issue that asked
// for this measured with.
const touchBytes = 200_000_000

// touchReps is how many times each buffer is zeroed; the median is reported.
const touchReps = 5

// keptMemoryEnv keeps the memory CPython frees inside its process, as Go's
// heap keeps its pages between runs: PYTHONMALLOC=malloc puts objects in
// glibc's malloc rather than pymalloc's arenas (which go back to the system
// once empty), and glibc then neither trims its heap, nor gives blocks up to
// 1 GiB mappings of their own (which free unmaps), and grows the heap 256
// MiB at a time.
var keptMemoryEnv = []string{
	"PYTHONMALLOC=malloc",
	"MALLOC_TRIM_THRESHOLD_=4294967296",
	"MALLOC_MMAP_THRESHOLD_=1073741824",
	"MALLOC_TOP_PAD_=268435456",
}

// touchResult is the median time to zero touchBytes, four ways.
type touchResult struct {
	GoFresh, GoWarm int64 // make and clear after the heap went back to the OS; clear again
	PyFresh, PyKept int64 // bytearray(n) in a default CPython; with keptMemoryEnv
	Err             string
}

// measureTouch times zeroing a fresh and a reused buffer in Go, and
// bytearray(n) in CPython (script is pytouch.py) under its defaults and with
// its memory kept.
func measureTouch(py, script string) *touchResult {
	r := &touchResult{}
	var fresh, warm []int64
	for range touchReps {
		debug.FreeOSMemory() // the next make gets pages the OS must fault in
		t0 := time.Now()
		b := make([]byte, touchBytes)
		clear(b)
		t1 := time.Now()
		clear(b)
		t2 := time.Now()
		fresh = append(fresh, t1.Sub(t0).Nanoseconds())
		warm = append(warm, t2.Sub(t1).Nanoseconds())
	}
	debug.FreeOSMemory()
	r.GoFresh, r.GoWarm = median(fresh), median(warm)
	var err error
	if r.PyFresh, err = pyTouch(py, script, nil); err == nil {
		r.PyKept, err = pyTouch(py, script, keptMemoryEnv)
	}
	if err != nil {
		r.Err = err.Error()
	}
	return r
}

// pyTouch runs pytouch.py with env added to this process's environment and
// returns its median.
func pyTouch(py, script string, env []string) (int64, error) {
	cmd := exec.Command(py, script, strconv.Itoa(touchBytes), strconv.Itoa(touchReps))
	cmd.Env = append(os.Environ(), env...)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return 0, fmt.Errorf("pytouch.py with %q: %w", env, err)
	}
	var res struct {
		Runs []int64 `json:"runs_ns"`
	}
	if err := json.Unmarshal(out, &res); err != nil || len(res.Runs) == 0 {
		return 0, fmt.Errorf("pytouch.py printed %q: %v", out, err)
	}
	return median(res.Runs), nil
}

// median is the upper median, as measure takes it.
func median(xs []int64) int64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

// touchTable prints the costs, in MB/s and time per buffer.
func (rep *report) touchTable(b *strings.Builder) {
	t := rep.Touch
	if t == nil {
		return
	}
	fmt.Fprintf(b, "### The host's cost of touching fresh memory (zeroing %s, the median of %d)\n\n", human(touchBytes), touchReps)
	if t.Err != "" {
		fmt.Fprintf(b, "Not measured: `%s`\n\n", escape(short(t.Err, 300)))
		return
	}
	cell := func(ns int64) string {
		return fmt.Sprintf("%.0f MB/s (%.0f ms)", mbps(touchBytes, ns), float64(ns)/1e6)
	}
	b.WriteString("| | fresh pages (faulted in) | pages already in the process |\n|---|--:|--:|\n")
	fmt.Fprintf(b, "| Go: `make([]byte, n)` and `clear` | %s | %s |\n", cell(t.GoFresh), cell(t.GoWarm))
	fmt.Fprintf(b, "| CPython: `bytearray(n)` | %s | %s |\n\n", cell(t.PyFresh), cell(t.PyKept))
	b.WriteString("Fresh: Go after `debug.FreeOSMemory()` returned its heap to the OS; CPython under its defaults, where a buffer this large is a mapping of its own, unmapped when freed. Already in the process: Go's `clear` of the same buffer again; CPython with its freed memory kept (the environment of the \"memory kept\" columns), where only the first of the runs faults. A decode that allocates its result pays the fresh rate for what it cannot reuse.\n\n")
}
