package snapshot

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/pickle-go/pickle"
)

// The benchmarks compare Save and Load of a 100 MB state with what they are
// built from: pickle.Marshal with SignWith, a write, an fsync, a rename and
// the directory's fsync; os.ReadFile and pickle.Unmarshal with VerifyWith.
// The bar is 1.2x. BenchmarkAppend is the latency of one durable
// journal record.

// bigState is about 100 MB pickled: model weights and a vocabulary.
type bigState struct {
	Weights []float64 `pickle:"weights"`
	Vocab   []string  `pickle:"vocab"`
}

func newBigState() *bigState {
	s := &bigState{Weights: make([]float64, 7_000_000), Vocab: make([]string, 2_000_000)}
	for i := range s.Weights {
		s.Weights[i] = float64(i) * 0.5
	}
	for i := range s.Vocab {
		s.Vocab[i] = fmt.Sprintf("token-%08d", i)
	}
	return s
}

func BenchmarkSaveLoad100MB(b *testing.B) {
	state := newBigState()
	cfg := testConfig(nil)
	cfg.Keep = 1
	sign := []pickle.Option{pickle.SignWith(cfg.KeyID, cfg.Key)}
	verify := []pickle.Option{pickle.VerifyWith(map[string][]byte{cfg.KeyID: cfg.Key})}
	baseDir := b.TempDir()
	s := mustOpen(b, b.TempDir(), cfg)
	// The machine is shared: each iteration times the four in turn, so that
	// a change in load hits a pair alike, and the ratios are of medians.
	var base, save, read, load []time.Duration
	var size int
	timed := func(into *[]time.Duration, f func()) {
		runtime.GC()
		t0 := time.Now()
		f()
		*into = append(*into, time.Since(t0))
	}
	for range b.N {
		timed(&base, func() {
			data, err := pickle.Marshal(state, sign...)
			if err != nil {
				b.Fatal(err)
			}
			size = len(data)
			writeSynced(b, baseDir, data)
		})
		timed(&save, func() {
			if _, err := s.Save(state); err != nil {
				b.Fatal(err)
			}
		})
		timed(&read, func() {
			data, err := os.ReadFile(filepath.Join(baseDir, "f"))
			if err != nil {
				b.Fatal(err)
			}
			var got bigState
			if err := pickle.Unmarshal(data, &got, verify...); err != nil {
				b.Fatal(err)
			}
		})
		timed(&load, func() {
			var got bigState
			if _, err := s.Load(&got); err != nil {
				b.Fatal(err)
			}
		})
	}
	b.ReportMetric(float64(size)/1e6, "MB")
	b.ReportMetric(median(base).Seconds(), "s/marshal+sync")
	b.ReportMetric(median(save).Seconds(), "s/save")
	b.ReportMetric(median(read).Seconds(), "s/read+unmarshal")
	b.ReportMetric(median(load).Seconds(), "s/load")
	b.ReportMetric(float64(median(save))/float64(median(base)), "save/base")
	b.ReportMetric(float64(median(load))/float64(median(read)), "load/base")
}

func median(d []time.Duration) time.Duration {
	d = slices.Clone(d)
	slices.Sort(d)
	return d[len(d)/2]
}

// writeSynced does what Save does to write a file, without the header.
func writeSynced(b *testing.B, dir string, data []byte) {
	f, err := os.CreateTemp(dir, tempPrefix+"*")
	if err != nil {
		b.Fatal(err)
	}
	if _, err := f.Write(data); err != nil {
		b.Fatal(err)
	}
	if err := f.Sync(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	if err := os.Rename(f.Name(), filepath.Join(dir, "f")); err != nil {
		b.Fatal(err)
	}
	if err := (osFS{}).SyncDir(dir); err != nil {
		b.Fatal(err)
	}
}

func BenchmarkAppend(b *testing.B) {
	s := mustOpen(b, b.TempDir(), testConfig(nil))
	if _, err := s.Save(counter{}); err != nil {
		b.Fatal(err)
	}
	change := add{"a name of some length"}
	for range b.N {
		if err := s.Append(change); err != nil {
			b.Fatal(err)
		}
	}
}
