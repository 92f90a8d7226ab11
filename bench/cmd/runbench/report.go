package main

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

type report struct {
	Files     []*fileResults
	Command   string
	Date      time.Time
	Elapsed   time.Duration
	Python    string
	PythonBin string
	Reps      int
	PeerReps  int
	Partial   bool
	LoadStart string
	LoadEnd   string
	Library   string
	OtherCPU  time.Duration
	OtherCore float64
	Append    *appendResult // the snapshot journal's Append latency
	Torch     *torchResult  // a PyTorch checkpoint's peak memory
	Touch     *touchResult  // the cost of touching fresh memory
}

// row is one line of the full table: an implementation on a file.
type row struct {
	Impl    string
	Op      string // decode, encode, copy
	Peer    bool
	MBps    float64
	Ns      int64
	Runs    int
	Allocs  string
	Bytes   string
	Err     string
	Note    string
	CPython bool
}

// rows returns the rows of one file: CPython's, then the Go ones.
func (fr *fileResults) rows() []row {
	size := fr.File.Size
	var rs []row
	if p := fr.Py; p != nil {
		rs = append(rs,
			cpyRow(implCPyLoads, "decode", size, p.LoadsOff, p.LoadsOffAll, p.LoadsOffFlt),
			cpyRow(implCPyLoadsG, "decode", size, p.LoadsOn, p.LoadsOnAll, nil),
			cpyRow(implCPyDumps, "encode", size, p.DumpsOff, p.DumpsOffAll, p.DumpsOffFlt),
			cpyRow(implCPyDumpsG, "encode", size, p.DumpsOn, p.DumpsOnAll, nil))
	}
	if p := fr.PyKept; p != nil {
		rs = append(rs,
			cpyRow(implCPyLoadsK, "decode", size, p.LoadsOff, p.LoadsOffAll, p.LoadsOffFlt),
			cpyRow(implCPyDumpsK, "encode", size, p.DumpsOff, p.DumpsOffAll, p.DumpsOffFlt))
	}
	for _, r := range fr.Go {
		x := row{Impl: r.Impl, Op: r.Op, Peer: r.Peer, Err: r.Err, Note: r.Note, Runs: len(r.Runs), Ns: r.Ns}
		if r.Err == "" {
			x.MBps = mbps(size, r.Ns)
			x.Allocs = humanCount(r.Allocs)
			x.Bytes = human(float64(r.Bytes))
		}
		rs = append(rs, x)
	}
	return rs
}

// cpyRow is a row of CPython's, noting the page faults of its runs where
// they were counted: what keeping its memory is meant to remove.
func cpyRow(impl, op string, size int, ns float64, runs, faults []int64) row {
	r := row{Impl: impl, Op: op, MBps: mbps(size, int64(ns)), Ns: int64(ns), Runs: len(runs), Allocs: "—", Bytes: "—", CPython: true}
	if len(faults) > 0 {
		r.Note = fmt.Sprintf("%s page faults a run (median)", humanCount(uint64(median(faults))))
	}
	return r
}

// find returns the MB/s of an implementation on the file, 0 if it failed or
// was not measured.
func find(rs []row, impl string) float64 {
	for _, r := range rs {
		if r.Impl == impl && r.Err == "" {
			return r.MBps
		}
	}
	return 0
}

// bestPeer returns the fastest Go peer for an operation, and its name.
func bestPeer(rs []row, op string) (float64, string) {
	best, name := 0.0, ""
	for _, r := range rs {
		if r.Peer && r.Err == "" && r.Op == op && r.MBps > best {
			best, name = r.MBps, r.Impl
		}
	}
	return best, name
}

// cpython returns CPython's MB/s that the ratios compare with: the faster of
// its two gc-off measurements, with fresh memory and with its memory kept,
// so that a slow page fault never flatters this library.
func cpython(rs []row, class string) float64 {
	if class == "encode" {
		return max(find(rs, implCPyDumps), find(rs, implCPyDumpsK))
	}
	return max(find(rs, implCPyLoads), find(rs, implCPyLoadsK))
}

// ratioBasis says, under a table, what its ratios to CPython compare with.
const ratioBasis = "Ratios to CPython compare with the faster of its two gc-off columns (fresh memory, or its freed memory kept in the process): the less flattering for this library."

func bestEnc(rs []row) float64 {
	best, _ := bestPeer(rs, "encode")
	return best
}

func ratio(a, b float64) string {
	if a == 0 || b == 0 {
		return "—"
	}
	return fmt.Sprintf("%.2f×", a/b)
}

// opClass puts copying with decoding: both read the pickle's bytes.
func opClass(op string) string {
	if op == "copy" {
		return "decode"
	}
	return op
}

func (rep *report) tables() string {
	var b strings.Builder
	rep.summary(&b)
	rep.touchTable(&b)
	rep.memoryTable(&b)
	rep.failures(&b)
	rep.fullTable(&b)
	rep.appendTable(&b)
	rep.torchTable(&b)
	return b.String()
}

// summary is the protocol 4 view: one line per payload.
func (rep *report) summary(b *strings.Builder) {
	var p4 []*fileResults
	for _, fr := range rep.Files {
		if fr.File.Protocol == 4 {
			p4 = append(p4, fr)
		}
	}
	if len(p4) == 0 {
		return
	}
	cell := func(rs []row, impl string) string {
		for _, r := range rs {
			if r.Impl == impl {
				if r.Err != "" {
					return "fails"
				}
				return fmt.Sprintf("%.1f", r.MBps)
			}
		}
		return "—"
	}
	ogCell := func(rs []row, impl, pyImpl string) string {
		c := cell(rs, impl)
		if c == "fails" {
			if py := cell(rs, pyImpl); py != "—" {
				c += " (PyDict mode: " + py + ")"
			}
		}
		return c
	}
	fmt.Fprintf(b, "### Decoding, protocol 4 (MB/s of pickle bytes; higher is better)\n\n")
	fmt.Fprintf(b, "%s\n\n", ratioBasis)
	fmt.Fprintf(b, "| payload | size | CPython gc off | CPython gc off, memory kept | CPython gc on | pickle → any | pickle → typed | og-rek | gopickle | memcpy | any vs CPython | typed vs CPython | any vs best peer |\n")
	fmt.Fprintf(b, "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n")
	for _, fr := range p4 {
		rs := fr.rows()
		cpy := cpython(rs, "decode")
		peer, _ := bestPeer(rs, "decode")
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
			fr.File.Payload, human(float64(fr.File.Size)),
			cell(rs, implCPyLoads), cell(rs, implCPyLoadsK), cell(rs, implCPyLoadsG), cell(rs, implAny), cell(rs, implTyped),
			ogCell(rs, implOgrek, implOgrekPy), cell(rs, implGopickle), cell(rs, implCopy),
			ratio(find(rs, implAny), cpy), ratio(find(rs, implTyped), cpy), ratio(find(rs, implAny), peer))
	}
	fmt.Fprintf(b, "\n### Encoding, protocol 4 (MB/s of the corpus pickle's bytes)\n\n")
	fmt.Fprintf(b, "%s\n\n", ratioBasis)
	fmt.Fprintf(b, "| payload | CPython gc off | CPython gc off, memory kept | CPython gc on | pickle ← any | pickle ← typed | og-rek ← any | any vs CPython | typed vs CPython | any vs best peer |\n")
	fmt.Fprintf(b, "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n")
	for _, fr := range p4 {
		rs := fr.rows()
		cpy := cpython(rs, "encode")
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
			fr.File.Payload, cell(rs, implCPyDumps), cell(rs, implCPyDumpsK), cell(rs, implCPyDumpsG), cell(rs, implEncAny), cell(rs, implEncTyped),
			ogCell(rs, implOgrekEnc, implOgrekPyE), ratio(find(rs, implEncAny), cpy), ratio(find(rs, implEncTyped), cpy), ratio(find(rs, implEncAny), bestEnc(rs)))
	}
	b.WriteString("\n")
}

func (rep *report) memoryTable(b *strings.Builder) {
	fmt.Fprintf(b, "### Memory of one decode (graph: what the result keeps alive; peak: highest heap during the decode, above the heap before it)\n\n")
	fmt.Fprintf(b, "| file | size | CPython graph | CPython peak | pickle → any graph | peak | pickle → typed graph | peak | og-rek graph | peak | gopickle graph | peak |\n")
	fmt.Fprintf(b, "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n")
	for _, fr := range rep.Files {
		cells := []string{fr.File.File, human(float64(fr.File.Size))}
		if fr.Py != nil {
			cells = append(cells, human(float64(fr.Py.GraphBytes)), human(float64(fr.Py.PeakBytes)))
		} else {
			cells = append(cells, "—", "—")
		}
		for _, impl := range []string{implAny, implTyped, implOgrek, implGopickle} {
			i := slices.IndexFunc(fr.Mem, func(m memResult) bool { return m.Impl == impl })
			switch {
			case i < 0:
				cells = append(cells, "—", "—")
			case fr.Mem[i].Err != "":
				cells = append(cells, "fails", "—")
			default:
				cells = append(cells, human(float64(fr.Mem[i].Graph)), human(float64(fr.Mem[i].Peak)))
			}
		}
		fmt.Fprintf(b, "| %s |\n", strings.Join(cells, " | "))
	}
	b.WriteString("\n")
}

func (rep *report) failures(b *strings.Builder) {
	type failure struct{ impl, err string }
	var list []string
	seen := map[string][]string{} // error text per implementation -> files
	var order []failure
	for _, fr := range rep.Files {
		for _, r := range fr.Go {
			if r.Err == "" || strings.HasPrefix(r.Err, "not measured") {
				continue
			}
			k := r.Impl + "\x00" + r.Err
			if _, ok := seen[k]; !ok {
				order = append(order, failure{r.Impl, r.Err})
			}
			seen[k] = append(seen[k], fr.File.File)
		}
	}
	for _, f := range order {
		list = append(list, fmt.Sprintf("- **%s** on %s: `%s`", f.impl, strings.Join(seen[f.impl+"\x00"+f.err], ", "), short(f.err, 300)))
	}
	fmt.Fprintf(b, "### Failures\n\n")
	if len(list) == 0 {
		b.WriteString("None: every implementation decoded (and, where it can, encoded) every file.\n\n")
		return
	}
	b.WriteString(strings.Join(list, "\n"))
	b.WriteString("\n\nog-rek ← any is not measured where og-rek → any failed (it has nothing to encode). Where og-rek's default mode fails, its PyDict mode (dicts into ogórek.Dict) is measured as well, in rows of its own.\n\n")
}

func (rep *report) fullTable(b *strings.Builder) {
	fmt.Fprintf(b, "### Every file and implementation\n\n")
	fmt.Fprintf(b, "Ratios compare MB/s: decoding (and memcpy) with CPython's loads with gc off, the faster of its fresh-memory and memory-kept runs, and with the fastest Go peer decoder on that file; encoding with CPython's dumps likewise, and with og-rek's encoder (the faster of its two modes where both ran).\n\n")
	fmt.Fprintf(b, "| payload | proto | implementation | MB/s | allocs/op | bytes/op | vs CPython (faster gc off) | vs best Go peer | runs | note |\n")
	fmt.Fprintf(b, "|---|--:|---|--:|--:|--:|--:|--:|--:|---|\n")
	for _, fr := range rep.Files {
		rs := fr.rows()
		for _, r := range rs {
			class := opClass(r.Op)
			cpy := cpython(rs, class)
			peer, _ := bestPeer(rs, class)
			if r.Err != "" {
				fmt.Fprintf(b, "| %s | %d | %s | fails | | | | | | %s |\n", fr.File.Payload, fr.File.Protocol, r.Impl, escape(short(r.Err, 120)))
				continue
			}
			fmt.Fprintf(b, "| %s | %d | %s | %.1f | %s | %s | %s | %s | %d | %s |\n",
				fr.File.Payload, fr.File.Protocol, r.Impl, r.MBps, r.Allocs, r.Bytes,
				ratio(r.MBps, cpy), ratio(r.MBps, peer), r.Runs, escape(r.Note))
		}
	}
	b.WriteString("\n")
}

func escape(s string) string {
	return strings.NewReplacer("|", `\|`, "`", "'").Replace(s)
}

// human formats a byte count.
func human(n float64) string {
	switch {
	case math.Abs(n) >= 1e9:
		return fmt.Sprintf("%.2f GB", n/1e9)
	case math.Abs(n) >= 1e6:
		return fmt.Sprintf("%.1f MB", n/1e6)
	case math.Abs(n) >= 1e3:
		return fmt.Sprintf("%.1f kB", n/1e3)
	}
	return fmt.Sprintf("%.0f B", n)
}

// humanCount formats a count of allocations.
func humanCount(n uint64) string {
	switch {
	case n >= 1e6:
		return fmt.Sprintf("%.2f M", float64(n)/1e6)
	case n >= 1e4:
		return fmt.Sprintf("%.1f k", float64(n)/1e3)
	}
	return fmt.Sprintf("%d", n)
}

func (rep *report) markdown(tables string) string {
	var b strings.Builder
	b.WriteString("# Benchmark results\n\n")
	b.WriteString("Written by `bench/cmd/runbench`; do not edit by hand. The tables are exactly what that run printed.\n\n")
	fmt.Fprintf(&b, "- Command: `%s` (from the repository root)\n", rep.Command)
	fmt.Fprintf(&b, "- Library measured: github.com/pickle-go/pickle at %s\n", rep.Library)
	fmt.Fprintf(&b, "- Date: %s (the run took %s)\n", rep.Date.Format("2006-01-02 15:04 MST"), rep.Elapsed.Round(time.Second))
	for _, l := range machine() {
		fmt.Fprintf(&b, "- %s\n", l)
	}
	fmt.Fprintf(&b, "- Other work on the machine during the run: %v of CPU time, %.2f cores on average (from /proc/stat, less this run's own getrusage); load average (1, 5, 15 min) %s at the start, %s at the end. The machine is shared, and anything else running skews the numbers.\n", rep.OtherCPU.Round(time.Second), rep.OtherCore, rep.LoadStart, rep.LoadEnd)
	fmt.Fprintf(&b, "- CPython %s (`%s`), its C `_pickle` module\n", rep.Python, rep.PythonBin)
	b.WriteString("- Peers: github.com/kisielk/og-rek v1.3.0 (default configuration: dicts decode into `map[any]any`; its PyDict mode only where that fails), github.com/nlpodyssey/gopickle v0.2.0 (decoding only)\n\n")
	b.WriteString("![Decoding and encoding throughput at protocol 4](results.svg)\n\n")
	b.WriteString("## Method\n\n")
	b.WriteString("The corpus is what `bench/gen_corpus.py` writes (deterministic; the payloads are described there and in README.md). Every file is read into memory first; MB/s is the pickle's size divided by the time of one call, for encoders too (the size of the corpus file, not of what they write).\n\n")
	fmt.Fprintf(&b, "- CPython (`bench/pytime.py`): `pickle.loads(data)`, and `pickle.dumps(obj, protocol)` of what loads returned, with the cyclic GC disabled and with it enabled; the median. Each loads run starts after `gc.collect()`, and the previous result is freed outside the timed region; each dumps series starts after one (dumps makes no cyclic garbage, and a collection with the whole graph alive would cost more than most dumps runs). Memory: `tracemalloc` around one `loads` (graph: still traced after it returns; peak: tracemalloc's peak).\n")
	fmt.Fprintf(&b, "- CPython again, with its freed memory kept in the process (the columns \"memory kept\"): the same runs, gc off only and without tracemalloc, in a process started with `%s`. By default pymalloc returns empty arenas to the system and glibc unmaps large blocks when they are freed, so every run of a fresh-memory measurement faults in new pages, while Go's heap keeps its pages between runs; with these settings CPython reuses its memory as Go does. Every ratio to CPython (`vs CPython`) compares with the faster of the two gc-off figures, fresh or kept, whichever is less flattering for this library. The note of each gc-off row of CPython's gives the median minor page faults of one run (`getrusage`), which keeping the memory should bring to about zero.\n", strings.Join(keptMemoryEnv, " "))
	fmt.Fprintf(&b, "- The host's cost of touching fresh memory: zeroing %s %d times, in Go (`make` and `clear` after `debug.FreeOSMemory()`, then `clear` again) and in CPython (`bytearray(n)` by `bench/pytouch.py`, under its defaults and with its memory kept); the median. A decode that allocates its result pays the fresh rate, so where it is slow the ratios of such decodes say more about the host than about the code.\n", human(touchBytes), touchReps)
	fmt.Fprintf(&b, "- Go: each run after `runtime.GC()` (with the previous run's result already dropped); the median, with the allocations (`runtime.MemStats` Mallocs and TotalAlloc) of that run. The Go garbage collector runs as usual (GOGC=100) and, on this machine's second core, concurrently. Memory: live heap (`runtime/metrics` %s) after two GCs (the second empties sync.Pool caches), with the result alive, minus before; peak: the highest value sampled every 200 µs during one decode.\n", "`"+heapMetric+"`")
	fmt.Fprintf(&b, "- Runs: up to %d per measurement, CPython's and Go's alike (og-rek's and gopickle's: up to %d). To keep the whole run to minutes, a measurement stops early, after at least %d runs, once its runs add up to more than %v: so the slowest measurements (CPython's loads with gc on of deep or dict-heavy data, the slow Go decoders on the large files) have 3 to 6 runs. The column `runs` says how many each had.\n", rep.Reps, rep.PeerReps, minReps, budget)
	b.WriteString("- pickle → any is `pickle.Unmarshal(data, &v)` with `var v any`; pickle → typed decodes into the Go types in `bench/cmd/runbench/payloads.go` (noted per row); pickle ← any is `pickle.Marshal(v, pickle.Protocol(p))` of what pickle → any returned (the note says whether that reproduced CPython's bytes); pickle ← typed marshals the typed value. og-rek ← any encodes what og-rek decoded, at the file's protocol. memcpy copies the pickle into a buffer allocated beforehand.\n\n")
	b.WriteString("## Results\n\n")
	b.WriteString(tables)
	return b.String()
}
