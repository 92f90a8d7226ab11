package main

import (
	"encoding/xml"
	"os"
	"strings"
	"testing"
	"time"
)

// fakeReport is a report with made-up numbers, one failure included.
func fakeReport() *report {
	var files []*fileResults
	for i, payload := range []string{"records", "ints", "intkeys"} {
		for _, proto := range []int{2, 4} {
			f := corpusFile{File: payload + ".p" + string(rune('0'+proto)) + ".pkl", Payload: payload, Protocol: proto, Size: 10_000_000}
			ms := int64(1_000_000 * (i + 1))
			fr := &fileResults{File: f, Py: &pyResult{File: f.File, Size: f.Size,
				LoadsOff: float64(50 * ms), LoadsOffAll: []int64{50 * ms}, LoadsOn: float64(90 * ms), LoadsOnAll: []int64{90 * ms},
				DumpsOff: float64(40 * ms), DumpsOffAll: []int64{40 * ms}, DumpsOn: float64(41 * ms), DumpsOnAll: []int64{41 * ms},
				GraphBytes: 5e7, PeakBytes: 6e7}}
			if payload == "records" {
				// Memory kept: loads faster than fresh, dumps slower; the
				// ratios take the faster of each. ints has none.
				fr.Py.LoadsOffFlt = []int64{15120, 19616, 15124}
				fr.PyKept = &pyResult{File: f.File, Size: f.Size,
					LoadsOff: float64(40 * ms), LoadsOffAll: []int64{40 * ms}, LoadsOffFlt: []int64{20150, 0, 1},
					DumpsOff: float64(80 * ms), DumpsOffAll: []int64{80 * ms}}
			}
			fr.Go = []result{
				{Impl: implCopy, Op: "copy", Ns: ms / 2, Runs: []int64{ms / 2}},
				{Impl: implAny, Op: "decode", Ns: 100 * ms, Runs: []int64{100 * ms}, Allocs: 123456, Bytes: 7e7},
				{Impl: implEncAny, Op: "encode", Ns: 60 * ms, Runs: []int64{60 * ms}, Note: "= CPython's bytes"},
				{Impl: implTyped, Op: "decode", Ns: 200 * ms, Runs: []int64{200 * ms}},
				{Impl: implEncTyped, Op: "encode", Ns: 70 * ms, Runs: []int64{70 * ms}},
				{Impl: implOgrek, Op: "decode", Peer: true, Ns: 150 * ms, Runs: []int64{150 * ms}},
				{Impl: implOgrekEnc, Op: "encode", Peer: true, Ns: 80 * ms, Runs: []int64{80 * ms}},
				{Impl: implGopickle, Op: "decode", Peer: true, Ns: 120 * ms, Runs: []int64{120 * ms}},
			}
			if payload == "intkeys" {
				fr.Go[5] = result{Impl: implOgrek, Op: "decode", Peer: true, Err: "map: invalid key type | Tuple"}
				fr.Go[6] = result{Impl: implOgrekEnc, Op: "encode", Peer: true, Err: "not measured: og-rek could not decode this file"}
			}
			fr.Mem = []memResult{{Impl: implAny, Graph: 4e7, Peak: 8e7}, {Impl: implOgrek, Err: "x"}}
			files = append(files, fr)
		}
	}
	return &report{Files: files, Command: "cd bench && go run ./cmd/runbench", Date: time.Date(2026, 1, 2, 3, 4, 0, 0, time.UTC),
		Python: "3.11.7", PythonBin: "python3", Reps: 7, PeerReps: 7, Library: "commit abc",
		Touch: &touchResult{GoFresh: 400e6, GoWarm: 10e6, PyFresh: 250e6, PyKept: 20e6}}
}

func TestReport(t *testing.T) {
	rep := fakeReport()
	tables := rep.tables()
	for _, want := range []string{
		// Decoding: CPython kept (250 MB/s) is faster than fresh (200).
		"| records | 10.0 MB | 200.0 | 250.0 | 111.1 | 100.0 | 50.0 | 66.7 | 83.3 | 20000.0 | 0.40× | 0.20× | 1.20× |",
		// No kept figures: the fresh one.
		"| ints | 10.0 MB | 100.0 | — | 55.6 | 50.0 | 25.0 | 33.3 | 41.7 | 10000.0 | 0.50× | 0.25× | 1.20× |",
		// Encoding: fresh (250 MB/s) is faster than kept (125).
		"| records | 250.0 | 125.0 | 243.9 | 166.7 | 142.9 | 125.0 | 0.67× | 0.57× | 1.33× |",
		"**og-rek → any** on intkeys.p2.pkl, intkeys.p4.pkl: `map: invalid key type | Tuple`",
		`| intkeys | 4 | og-rek → any | fails | | | | | | map: invalid key type \| Tuple |`,
		"| records | 4 | pickle → any | 100.0 | 123.5 k | 70.0 MB | 0.40× | 1.20× | 1 |  |",
		"| records | 4 | CPython loads, gc off, memory kept | 250.0 | — | — | 1.00× | 3.00× | 1 | 1 page faults a run (median) |",
		"| records | 4 | CPython loads, gc off | 200.0 | — | — | 0.80× | 2.40× | 1 | 15.1 k page faults a run (median) |",
		"| records | 4 | CPython dumps, gc off, memory kept | 125.0 | — | — | 0.50× | 1.00× | 1 |  |",
		"| records | 4 | pickle ← any | 166.7 | 0 | 0 B | 0.67× | 1.33× | 1 | = CPython's bytes |",
		ratioBasis,
		"| Go: `make([]byte, n)` and `clear` | 500 MB/s (400 ms) | 20000 MB/s (10 ms) |",
		"| CPython: `bytearray(n)` | 800 MB/s (250 ms) | 10000 MB/s (20 ms) |",
	} {
		if !strings.Contains(tables, want) {
			t.Errorf("tables lack %q:\n%s", want, tables)
		}
	}
	md := rep.markdown(tables)
	if !strings.Contains(md, tables) || !strings.Contains(md, "commit abc") {
		t.Error("RESULTS.md does not hold the tables as printed")
	}
	// The Method says how the memory-kept columns were run and which
	// column the ratios use.
	for _, want := range []string{strings.Join(keptMemoryEnv, " "), "faster of the two gc-off figures", "bench/pytouch.py"} {
		if !strings.Contains(md, want) {
			t.Errorf("RESULTS.md's Method lacks %q", want)
		}
	}
	svg := rep.svg()
	dec := xml.NewDecoder(strings.NewReader(svg))
	for {
		if _, err := dec.Token(); err != nil {
			if err.Error() != "EOF" {
				t.Fatalf("results.svg is not well-formed XML: %v", err)
			}
			break
		}
	}
	if n := strings.Count(svg, "<rect "); n < 2*3*4 {
		t.Errorf("results.svg has %d bars", n)
	}
	if out := os.Getenv("RUNBENCH_SVG"); out != "" {
		os.WriteFile(out, []byte(svg), 0o644)
	}
}

func TestMeasureAppend(t *testing.T) {
	r := measureAppend(t.TempDir())
	if r.Err != "" {
		t.Fatal(r.Err)
	}
	if r.Median <= 0 || r.P99 < r.Median || r.Max < r.P99 {
		t.Fatalf("latencies out of order: %+v", r)
	}
	rep := &report{Append: r}
	var b strings.Builder
	rep.appendTable(&b)
	if !strings.Contains(b.String(), "| median | p99 | max |") {
		t.Fatalf("no Append table in:\n%s", b.String())
	}
	t.Logf("%s", b.String())
}

// A small checkpoint, saved by torch, reads back whole with a peak heap at
// least its tensors' bytes; the table says so. It fails without
// /usr/bin/python3 and torch.
func TestMeasureTorch(t *testing.T) {
	const size = 4 << 20
	r := measureTorch("/usr/bin/python3", "../../gen_torch_checkpoint.py", t.TempDir(), size, t.Logf)
	if r.Err != "" {
		t.Fatal(r.Err)
	}
	if r.TensorBytes != size || r.Mem.Peak < size {
		t.Fatalf("read %d bytes of tensors with a peak heap of %d; saved %d", r.TensorBytes, r.Mem.Peak, size)
	}
	var b strings.Builder
	(&report{Torch: r}).torchTable(&b)
	if !strings.Contains(b.String(), "| tensor bytes N |") {
		t.Fatalf("no torch table in:\n%s", b.String())
	}
	t.Logf("%s", b.String())
}

// Zeroing a fresh buffer and a reused one, in Go and in CPython: every
// figure measured, and CPython with its memory kept faster than with fresh
// memory (by about ten times on this machine), which is what the settings
// of the memory-kept columns are for. It fails without python3.
func TestMeasureTouch(t *testing.T) {
	r := measureTouch("python3", "../../pytouch.py")
	if r.Err != "" {
		t.Fatal(r.Err)
	}
	if r.GoFresh <= 0 || r.GoWarm <= 0 || r.PyFresh <= 0 || r.PyKept <= 0 {
		t.Fatalf("a time is missing: %+v", r)
	}
	if r.PyKept >= r.PyFresh {
		t.Errorf("CPython with its memory kept zeroed %s in %v, with fresh memory in %v: the settings kept nothing", human(touchBytes), time.Duration(r.PyKept), time.Duration(r.PyFresh))
	}
	var b strings.Builder
	(&report{Touch: r}).touchTable(&b)
	t.Logf("%s", b.String())
}
