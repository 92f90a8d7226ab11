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
		Python: "3.11.7", PythonBin: "python3", Reps: 7, PeerReps: 7, Library: "commit abc"}
}

func TestReport(t *testing.T) {
	rep := fakeReport()
	tables := rep.tables()
	for _, want := range []string{
		"| records | 10.0 MB | 200.0 | 111.1 | 100.0 | 50.0 | 66.7 | 83.3 | 20000.0 | 0.50× | 0.25× | 1.20× |",
		"**og-rek → any** on intkeys.p2.pkl, intkeys.p4.pkl: `map: invalid key type | Tuple`",
		`| intkeys | 4 | og-rek → any | fails | | | | | | map: invalid key type \| Tuple |`,
		"| records | 4 | pickle → any | 100.0 | 123.5 k | 70.0 MB | 0.50× | 1.20× | 1 |  |",
	} {
		if !strings.Contains(tables, want) {
			t.Errorf("tables lack %q:\n%s", want, tables)
		}
	}
	if md := rep.markdown(tables); !strings.Contains(md, tables) || !strings.Contains(md, "commit abc") {
		t.Error("RESULTS.md does not hold the tables as printed")
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
