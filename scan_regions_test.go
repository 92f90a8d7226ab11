package pickle

import (
	"fmt"
	"math/rand"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// This file tests scan_regions.go: a byte region that two readings read
// differently is a finding, wherever it is.

// regionsOf returns the regions the report's READINGS findings cover, with
// the readings of the reports that carry each.
func regionsOf(t *testing.T, rep *ScanReport) map[[2]int64][]string {
	t.Helper()
	out := map[[2]int64][]string{}
	for _, p := range rep.Pickles {
		for _, f := range p.Notes {
			var a, b int64
			if f.Op != "READINGS" || !strings.HasPrefix(f.Name, "bytes ") {
				continue
			}
			_, err := fmt.Sscanf(f.Name, "bytes %d to %d", &a, &b)
			require.NoError(t, err, f.Name)
			for _, r := range p.Readings {
				if !slices.Contains(out[[2]int64{a, b}], r) {
					out[[2]int64{a, b}] = append(out[[2]int64{a, b}], r)
				}
			}
		}
	}
	return out
}

func TestScanRegions(t *testing.T) {
	for _, tc := range []struct {
		name     string
		data     []byte
		from, to int64    // the region, both ends included
		readings []string // the readings it names
		// Live: what the C reader from impl/stream runs where the
		// pure-Python one does not, or the reverse.
		runs, runsNot [2]string
	}{
		{"INT with a NUL", []byte("I1\x00x\n0cos\ngetcwd\n)R."), 0, 4, []string{"python", "c", "c-nopeek", "c-strict"},
			[2]string{"c", "bytesio"}, [2]string{"python", "bytesio"}},
		{"GLOBAL past a frame dropped", []byte("\x80\x04\x95\x02\x00\x00\x00\x00\x00\x00\x00cJos\ngetcwd\n)R."), 11, 22,
			[]string{"python", "c", "c-nopeek", "c-strict"}, [2]string{"c", "bytesio"}, [2]string{"c", "buffered"}},
		{"an argument straddling a frame", []byte("\x80\x04\x95\x03\x00\x00\x00\x00\x00\x00\x00cos\ngetcwd\n)R."), 11, 21,
			[]string{"python", "c", "c-nopeek", "c-strict"}, [2]string{"c", "buffered"}, [2]string{"python", "buffered"}},
		// The frame past STOP: the C reader with peek reads the second
		// pickle as the payload of a BINBYTES8 after STOP; the others
		// start it where the frame ends (and read its last STOP alone).
		{"frame past STOP", framePastStop(), 14, int64(len(framePastStop())) - 1, []string{"python", "c", "c-nopeek", "c-strict"},
			[2]string{"python", "bytesio"}, [2]string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := scanBytes(t, tc.data)
			got := regionsOf(t, rep)
			rs, ok := got[[2]int64{tc.from, tc.to}]
			require.True(t, ok, "no region %d to %d in %v", tc.from, tc.to, got)
			slices.Sort(rs)
			want := slices.Clone(tc.readings)
			slices.Sort(want)
			assert.Equal(t, want, rs)
			assert.NotEqual(t, Safe, rep.Verdict)
			for _, ver := range liveVersions {
				assert.Contains(t, loadStream(t, ver, tc.runs[0], tc.runs[1], tc.data), "RT_", "%s %v", ver, tc.runs)
				if tc.runsNot[0] != "" {
					assert.NotContains(t, loadStream(t, ver, tc.runsNot[0], tc.runsNot[1], tc.data), "RT_", "%s %v", ver, tc.runsNot)
				}
			}
		})
	}
	// Where every reading reads alike, there is no such finding.
	for _, data := range []string{"\x80\x04\x95\x05\x00\x00\x00\x00\x00\x00\x00K\x01K\x02\x86.", "I1\nI2\n\x86.", "K\x01.K\x02."} {
		assert.Empty(t, regionsOf(t, scanBytes(t, []byte(data))), "%q", data)
	}
}

// checkRegions checks, the slow way, that every opcode one reading decodes
// over bytes another reads differently lies in a READINGS finding of a
// report of each of the two.
func checkRegions(t *testing.T, data []byte, rep *ScanReport) {
	t.Helper()
	cfg, err := newConfig(nil)
	require.NoError(t, err)
	cfg.encoding = encLatin1
	_, _, traces := readStream(data, "", cfg)
	got := regionsOf(t, rep)
	covered := func(r opRead, reading string) bool {
		for ab, rs := range got {
			if ab[0] <= r.start && r.end-1 <= ab[1] && slices.Contains(rs, reading) {
				return true
			}
		}
		return false
	}
	indexes := make([]traceIndex, len(traces))
	for i, tr := range traces {
		indexes[i] = indexTrace(tr)
	}
	for i, ti := range traces {
		for j := range traces {
			if i == j {
				continue
			}
			for _, r := range ti {
				if indexes[j].has[r] || !indexes[j].overlaps(r) {
					continue
				}
				for _, rd := range []string{readings[i].name, readings[j].name} {
					if !covered(r, rd) {
						t.Fatalf("%s reads %s at %d to %d unlike %s, and no finding of %s covers it: %v in %q",
							readings[i].name, opName(r.code), r.start, r.end, readings[j].name, rd, got, data)
					}
				}
			}
		}
	}
}

// traceIndex answers, in logarithmic time, whether a trace holds an opcode
// read and whether any of its reads overlaps a byte range: checkRegions
// asks it for every read of every other trace, and fuzzed streams have tens
// of thousands of them.
type traceIndex struct {
	has    map[opRead]bool
	starts []int64 // the reads' starts, sorted
	maxEnd []int64 // maxEnd[k]: the largest end among the first k+1 reads
}

func indexTrace(tr []opRead) traceIndex {
	sorted := slices.Clone(tr)
	slices.SortFunc(sorted, func(a, b opRead) int { return int(a.start - b.start) })
	ix := traceIndex{has: make(map[opRead]bool, len(tr))}
	for k, q := range sorted {
		ix.has[q] = true
		ix.starts = append(ix.starts, q.start)
		end := q.end
		if k > 0 {
			end = max(end, ix.maxEnd[k-1])
		}
		ix.maxEnd = append(ix.maxEnd, end)
	}
	return ix
}

// overlaps reports whether a read q with q.start < r.end and r.start < q.end
// exists.
func (ix traceIndex) overlaps(r opRead) bool {
	n, _ := slices.BinarySearch(ix.starts, r.end) // reads starting before r.end
	return n > 0 && ix.maxEnd[n-1] > r.start
}

// TestScanRegionsProperty: for random streams of pickles and frames, every
// opcode two readings read differently is covered by a finding naming both.
func TestScanRegionsProperty(t *testing.T) {
	rng := rand.New(rand.NewSource(12))
	withRegions := 0
	for range 400 {
		recipe := make([]byte, 4+rng.Intn(24))
		rng.Read(recipe)
		data := streamFromRecipe(recipe)
		if len(data) == 0 {
			continue
		}
		rep := scanBytes(t, data)
		checkRegions(t, data, rep)
		if len(regionsOf(t, rep)) > 0 {
			withRegions++
		}
	}
	// The streams must exercise the check: many are read differently.
	assert.Greater(t, withRegions, 50)
}

// A stream read differently in more places than maxRegionNotes gets one
// finding for the rest, which still covers every one.
func TestScanRegionsBounded(t *testing.T) {
	var data []byte
	for range maxRegionNotes + 10 {
		data = append(data, "I1\x00x\n0K\x01."...)
	}
	rep := scanBytes(t, data)
	checkRegions(t, data, rep)
	n := 0
	for _, p := range rep.Pickles {
		for _, f := range p.Notes {
			if strings.HasPrefix(f.Name, "bytes ") && slices.Contains(p.Readings, "c") {
				n++
			}
		}
	}
	assert.LessOrEqual(t, n, maxRegionNotes)
}
