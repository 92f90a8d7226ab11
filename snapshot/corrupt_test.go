package snapshot

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// These tests damage the newest file in every way a crash or a bad disk can:
// cut at every byte offset, and every single bit flipped. Load must fall back
// to the previous state and report it, never panic, never return other data.

// damageCase is a store of two generations whose newest file is to be damaged.
type damageCase struct {
	name string
	cfg  Config
}

func damageCases() []damageCase {
	unsigned := testConfig(nil)
	unsigned.Key, unsigned.KeyID, unsigned.Unsigned = nil, "", true
	return []damageCase{{"signed", testConfig(nil)}, {"unsigned", unsigned}}
}

// twoGenerations saves older, then newer, and returns the newest file's path
// and bytes.
func twoGenerations(t *testing.T, cfg Config, older, newer counter) (string, []byte) {
	dir := t.TempDir()
	s := mustOpen(t, dir, cfg)
	_, err := s.Save(older)
	require.NoError(t, err)
	_, err = s.Save(newer)
	require.NoError(t, err)
	path := filepath.Join(dir, genName(2, snapSuffix))
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	return path, data
}

// loadAfterDamage writes damaged over path and checks that Load falls back
// to generation 1 holding want, reporting generation 2.
func loadAfterDamage(t *testing.T, cfg Config, path string, damaged []byte, want counter, what string) {
	t.Helper()
	require.NoError(t, os.WriteFile(path, damaged, 0o644))
	var skips []*GenerationError
	cfg.OnSkip = func(ge *GenerationError) { skips = append(skips, ge) }
	s, err := Open(filepath.Dir(path), cfg)
	require.NoError(t, err)
	var got counter
	l, err := s.Load(&got)
	if !assert.NoError(t, err, what) {
		return
	}
	assert.Equal(t, want, got, what)
	assert.Equal(t, uint64(1), l.Generation, what)
	if assert.Len(t, skips, 1, what) {
		assert.Equal(t, uint64(2), skips[0].Generation, what)
	}
}

func TestTruncatedNewestFallsBack(t *testing.T) {
	older, newer := counter{N: 1, Names: []string{"old"}}, counter{N: 2, Names: []string{"new"}}
	for _, tc := range damageCases() {
		t.Run(tc.name, func(t *testing.T) {
			path, data := twoGenerations(t, tc.cfg, older, newer)
			for n := range len(data) {
				loadAfterDamage(t, tc.cfg, path, data[:n], older, "cut at "+itoa(n))
			}
		})
	}
}

func TestBitFlipInNewestFallsBack(t *testing.T) {
	older, newer := counter{N: 1, Names: []string{"old"}}, counter{N: 2, Names: []string{"new"}}
	for _, tc := range damageCases() {
		t.Run(tc.name, func(t *testing.T) {
			path, data := twoGenerations(t, tc.cfg, older, newer)
			flipped := make([]byte, len(data))
			for i := range len(data) * 8 {
				copy(flipped, data)
				flipped[i/8] ^= 1 << (i % 8)
				loadAfterDamage(t, tc.cfg, path, flipped, older, "bit "+itoa(i))
			}
		})
	}
}

// journalPrefixes saves a generation, appends names, and returns the
// journal's path and bytes and the state after each prefix of the records.
func journalPrefixes(t *testing.T, cfg Config, names ...string) (string, []byte, []counter) {
	dir := t.TempDir()
	s := mustOpen(t, dir, cfg)
	state := counter{N: 10}
	_, err := s.Save(state)
	require.NoError(t, err)
	prefixes := []counter{state}
	for _, name := range names {
		require.NoError(t, s.Append(add{name}))
		state.N++
		state.Names = append(append([]string(nil), state.Names...), name)
		prefixes = append(prefixes, state)
	}
	require.NoError(t, s.Close())
	path := filepath.Join(dir, genName(1, journalSuffix))
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	return path, data, prefixes
}

// loadJournalAfterDamage writes damaged over the journal and checks that Load
// gives the state after want records, reporting one skip if reported.
func loadJournalAfterDamage(t *testing.T, cfg Config, path string, damaged []byte, prefixes []counter, want int, reported bool, what string) {
	t.Helper()
	require.NoError(t, os.WriteFile(path, damaged, 0o644))
	var skips []*GenerationError
	cfg.OnSkip = func(ge *GenerationError) { skips = append(skips, ge) }
	s, err := Open(filepath.Dir(path), cfg)
	require.NoError(t, err)
	var got counter
	l, err := s.Load(&got)
	if !assert.NoError(t, err, what) {
		return
	}
	assert.Equal(t, prefixes[want], got, what)
	assert.Equal(t, want, l.Records, what)
	if reported {
		assert.Len(t, skips, 1, what)
	} else {
		assert.Empty(t, skips, what)
	}
}

func TestTruncatedJournalKeepsWholeRecords(t *testing.T) {
	for _, tc := range damageCases() {
		t.Run(tc.name, func(t *testing.T) {
			path, data, prefixes := journalPrefixes(t, tc.cfg, "a", "bb", "ccc")
			_, headLen, err := parseHeader(data)
			require.NoError(t, err)
			ends := recordEnds(t, data[headLen+sealSize:], headLen+sealSize)
			for n := range len(data) + 1 {
				whole := 0 // records wholly inside the first n bytes
				for whole < len(ends) && ends[whole] <= n {
					whole++
				}
				// A cut between records looks like fewer Appends, and
				// cannot be told from them; any other cut is reported.
				atBoundary := n == headLen+sealSize || whole > 0 && ends[whole-1] == n
				loadJournalAfterDamage(t, tc.cfg, path, data[:n], prefixes, whole, !atBoundary, "cut at "+itoa(n))
			}
		})
	}
}

func TestBitFlipInJournalDropsFromThatRecord(t *testing.T) {
	for _, tc := range damageCases() {
		t.Run(tc.name, func(t *testing.T) {
			path, data, prefixes := journalPrefixes(t, tc.cfg, "a", "bb")
			_, headLen, err := parseHeader(data)
			require.NoError(t, err)
			ends := recordEnds(t, data[headLen+sealSize:], headLen+sealSize)
			flipped := make([]byte, len(data))
			for i := range len(data) * 8 {
				copy(flipped, data)
				flipped[i/8] ^= 1 << (i % 8)
				want := 0 // the records wholly before the flipped byte
				for want < len(ends) && ends[want] <= i/8 {
					want++
				}
				loadJournalAfterDamage(t, tc.cfg, path, flipped, prefixes, want, true, "bit "+itoa(i))
			}
		})
	}
}

// recordEnds returns the offset just after each record in records, which
// starts at offset start of the journal.
func recordEnds(t *testing.T, records []byte, start int) []int {
	var ends []int
	for pos := 0; pos < len(records); {
		size := int(records[pos]) | int(records[pos+1])<<8 | int(records[pos+2])<<16 | int(records[pos+3])<<24
		pos += size + frameOverhead
		ends = append(ends, start+pos)
	}
	require.Equal(t, len(records), ends[len(ends)-1]-start)
	return ends
}

func itoa(n int) string { return string(appendInt(nil, n)) }

func appendInt(b []byte, n int) []byte {
	if n >= 10 {
		b = appendInt(b, n/10)
	}
	return append(b, byte('0'+n%10))
}
