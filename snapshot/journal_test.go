package snapshot

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestJournalReplaysOntoItsGeneration(t *testing.T) {
	dir := t.TempDir()
	s := mustOpen(t, dir, testConfig(nil))
	require.ErrorContains(t, s.Append(add{"x"}), "Append before Save or Load")
	_, err := s.Save(counter{N: 1, Names: []string{"a"}})
	require.NoError(t, err)
	for _, name := range []string{"b", "c"} {
		require.NoError(t, s.Append(add{name}))
	}
	var got counter
	l, err := mustOpen(t, dir, testConfig(nil)).Load(&got)
	require.NoError(t, err)
	assert.Equal(t, counter{N: 3, Names: []string{"a", "b", "c"}}, got)
	assert.Equal(t, 2, l.Records)
}

func TestSaveCompactsTheJournal(t *testing.T) {
	dir := t.TempDir()
	s := mustOpen(t, dir, testConfig(nil))
	_, err := s.Save(counter{})
	require.NoError(t, err)
	require.NoError(t, s.Append(add{"a"}))
	var state counter
	_, err = s.Load(&state)
	require.NoError(t, err)
	gen, err := s.Save(state)
	require.NoError(t, err)
	require.NoError(t, s.Append(add{"b"}))

	var got counter
	l, err := mustOpen(t, dir, testConfig(nil)).Load(&got)
	require.NoError(t, err)
	assert.Equal(t, counter{N: 2, Names: []string{"a", "b"}}, got)
	assert.Equal(t, gen, l.Generation)
	assert.Equal(t, 1, l.Records, "only the new journal's record is replayed")
}

func TestAppendExtendsTheLoadedGeneration(t *testing.T) {
	// When the newest generation is bad, Load falls back; what is appended
	// next must extend the generation that loaded, or a reload would lose it.
	dir := t.TempDir()
	s := mustOpen(t, dir, testConfig(nil))
	_, err := s.Save(counter{N: 1})
	require.NoError(t, err)
	_, err = s.Save(counter{N: 2})
	require.NoError(t, err)
	corruptNewest(t, dir)

	s2 := mustOpen(t, dir, testConfig(nil))
	var state counter
	_, err = s2.Load(&state)
	require.NoError(t, err)
	require.NoError(t, s2.Append(add{"after"}))
	var got counter
	_, err = mustOpen(t, dir, testConfig(nil)).Load(&got)
	require.NoError(t, err)
	assert.Equal(t, counter{N: 2, Names: []string{"after"}}, got)
}

func TestTornRecordIsDroppedAndCutOff(t *testing.T) {
	dir := t.TempDir()
	s := mustOpen(t, dir, testConfig(nil))
	_, err := s.Save(counter{})
	require.NoError(t, err)
	require.NoError(t, s.Append(add{"kept"}))
	require.NoError(t, s.Append(add{"torn"}))
	require.NoError(t, s.Close())
	path := filepath.Join(dir, genName(1, journalSuffix))
	info, err := os.Stat(path)
	require.NoError(t, err)
	require.NoError(t, os.Truncate(path, info.Size()-3))

	var skips []*GenerationError
	s2 := mustOpen(t, dir, testConfig(&skips))
	var got counter
	l, err := s2.Load(&got)
	require.NoError(t, err)
	assert.Equal(t, counter{N: 1, Names: []string{"kept"}}, got)
	require.Len(t, skips, 1)
	assert.ErrorIs(t, skips[0], ErrTornRecord)
	assert.Equal(t, 1, skips[0].Record)
	assert.Equal(t, skips, l.Skipped)

	// The next Append cuts the torn record off before writing.
	require.NoError(t, s2.Append(add{"next"}))
	skips = nil
	_, err = mustOpen(t, dir, testConfig(&skips)).Load(&got)
	require.NoError(t, err)
	assert.Equal(t, counter{N: 2, Names: []string{"kept", "next"}}, got)
	assert.Empty(t, skips)
}

func TestJournalRecordsCannotBeReordered(t *testing.T) {
	dir := t.TempDir()
	s := mustOpen(t, dir, testConfig(nil))
	_, err := s.Save(counter{})
	require.NoError(t, err)
	require.NoError(t, s.Append(add{"1"}))
	require.NoError(t, s.Append(add{"2"}))
	require.NoError(t, s.Close())
	path := filepath.Join(dir, genName(1, journalSuffix))
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	_, n, err := parseHeader(data)
	require.NoError(t, err)
	records := data[n+sealSize:]
	half := len(records) / 2 // both records have the same size
	swapped := append(append(append([]byte(nil), data[:n+sealSize]...), records[half:]...), records[:half]...)
	require.NoError(t, os.WriteFile(path, swapped, 0o644))

	var got counter
	l, err := mustOpen(t, dir, testConfig(nil)).Load(&got)
	require.NoError(t, err)
	assert.Equal(t, counter{}, got, "no record replays out of place")
	require.Len(t, l.Skipped, 1)
	assert.ErrorContains(t, l.Skipped[0], "seal")
	assert.NotErrorIs(t, l.Skipped[0], ErrTornRecord)
}

func TestJournalWithoutReplayFailsTheGeneration(t *testing.T) {
	dir := t.TempDir()
	s := mustOpen(t, dir, testConfig(nil))
	_, err := s.Save(counter{})
	require.NoError(t, err)
	require.NoError(t, s.Append(add{"a"}))
	cfg := testConfig(nil)
	cfg.Replay = nil
	var got counter
	_, err = mustOpen(t, dir, cfg).Load(&got)
	assert.ErrorContains(t, err, "Config.Replay is nil")
}

func TestCompactFoldsTheJournal(t *testing.T) {
	dir := t.TempDir()
	s := mustOpen(t, dir, testConfig(nil))
	_, err := s.Save(counter{})
	require.NoError(t, err)
	require.NoError(t, s.Append(add{"a"}))
	require.NoError(t, s.Append(add{"b"}))

	var state counter
	gen, l, err := s.Compact(&state)
	require.NoError(t, err)
	assert.Equal(t, uint64(2), gen)
	assert.Equal(t, 2, l.Records)
	require.NoError(t, s.Append(add{"c"}))

	var got counter
	l, err = mustOpen(t, dir, testConfig(nil)).Load(&got)
	require.NoError(t, err)
	assert.Equal(t, counter{N: 3, Names: []string{"a", "b", "c"}}, got)
	assert.Equal(t, uint64(2), l.Generation)
	assert.Equal(t, 1, l.Records)
}

func TestConcurrentSavesAppendsAndLoads(t *testing.T) {
	// The methods may be called from many goroutines; the race detector
	// (go test -race) checks that they share nothing unguarded.
	dir := t.TempDir()
	s := mustOpen(t, dir, testConfig(nil))
	_, err := s.Save(counter{})
	require.NoError(t, err)
	var wg sync.WaitGroup
	errs := make(chan error, 30)
	for i := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 10 {
				var err error
				switch i {
				case 0:
					err = s.Append(add{fmt.Sprint(j)})
				case 1:
					var v counter
					_, err = s.Load(&v)
				case 2:
					_, err = s.Save(counter{N: int64(j)})
				}
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	var got counter
	_, err = s.Load(&got)
	require.NoError(t, err)
	// The state is the last Save's, with the Appends since, in order: a
	// saved count, and names that count up by one.
	base := got.N - int64(len(got.Names))
	assert.True(t, base >= 0 && base < 10, "count %d with %d names", got.N, len(got.Names))
	for i := 1; i < len(got.Names); i++ {
		prev, _ := strconv.Atoi(got.Names[i-1])
		assert.Equal(t, strconv.Itoa(prev+1), got.Names[i], "names %v", got.Names)
	}
}
