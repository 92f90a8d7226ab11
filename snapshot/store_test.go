package snapshot

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pickle-go/pickle"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// counter is the state most tests keep: a count and the names added so far.
type counter struct {
	N     int64    `pickle:"n"`
	Names []string `pickle:"names"`
}

// add is the change the journal tests append.
type add struct {
	Name string `pickle:"name"`
}

func replayAdd(state any, r Record) error {
	var a add
	if err := r.Decode(&a); err != nil {
		return err
	}
	c := state.(*counter)
	c.N++
	c.Names = append(c.Names, a.Name)
	return nil
}

var testKey = []byte("0123456789abcdef0123456789abcdef")

// testConfig is a signed store's Config that records what Load skips.
func testConfig(skips *[]*GenerationError) Config {
	return Config{
		KeyID:  "k1",
		Key:    testKey,
		Schema: 1,
		Writer: "test",
		Replay: replayAdd,
		OnSkip: func(ge *GenerationError) {
			if skips != nil {
				*skips = append(*skips, ge)
			}
		},
		Logger: slog.New(slog.NewTextHandler(discard{}, nil)),
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

func mustOpen(t testing.TB, dir string, cfg Config) *Store {
	t.Helper()
	s, err := Open(dir, cfg)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}

func TestSaveLoadRoundTrip(t *testing.T) {
	dir := t.TempDir()
	s := mustOpen(t, dir, testConfig(nil))
	want := counter{N: 2, Names: []string{"a", "b"}}
	gen, err := s.Save(want)
	require.NoError(t, err)
	assert.Equal(t, uint64(1), gen)

	var got counter
	l, err := mustOpen(t, dir, testConfig(nil)).Load(&got)
	require.NoError(t, err)
	assert.Equal(t, want, got)
	assert.Equal(t, uint64(1), l.Generation)
	assert.Equal(t, 1, l.Schema)
	assert.Equal(t, "test", l.Writer)
	assert.False(t, l.FellBack())
	assert.Equal(t, filepath.Join(dir, "gen-00000000000000000001.snap"), l.Path)
}

func TestSaveKeepsNewestGenerations(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig(nil)
	cfg.Keep = 2
	s := mustOpen(t, dir, cfg)
	for i := range 5 {
		_, err := s.Save(counter{N: int64(i)})
		require.NoError(t, err)
	}
	assert.Equal(t, []string{"gen-00000000000000000004.snap", "gen-00000000000000000005.snap"}, dirNames(t, dir))
}

func dirNames(t testing.TB, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestFirstWriteRemovesTemporaryFiles(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, ".tmp-123"), []byte("half a save"), 0o644))
	s := mustOpen(t, dir, testConfig(nil))
	var v counter
	_, err := s.Load(&v)
	require.ErrorIs(t, err, ErrEmpty)
	assert.Equal(t, []string{".tmp-123"}, dirNames(t, dir), "opening and loading, as readers do, leave a writer's file alone")
	_, err = s.Save(counter{})
	require.NoError(t, err)
	assert.Equal(t, []string{genName(1, snapSuffix)}, dirNames(t, dir))
}

func TestOpenRefusesBadConfig(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"no key, not unsigned", Config{}, "signing is required"},
		{"empty key", Config{KeyID: "k", Key: []byte{}}, "empty Key"},
		{"empty key id", Config{Key: testKey}, "empty KeyID"},
		{"negative schema", Config{Unsigned: true, Schema: -1}, "schema version -1"},
		{"protocol 1", Config{Unsigned: true, Protocol: 1}, "protocol 1"},
		{"two migrations from 1", Config{Unsigned: true, Schema: 3, Migrations: []Migration{{1, identity}, {1, identity}}}, "two migrations from schema 1"},
		{"migration without a function", Config{Unsigned: true, Schema: 3, Migrations: []Migration{{From: 1}}}, "no function"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Open(t.TempDir(), tt.cfg)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func identity(v any) (any, error) { return v, nil }

// corruptNewest flips one byte in the middle of the newest snapshot.
func corruptNewest(t testing.TB, dir string) {
	t.Helper()
	names := dirNames(t, dir)
	var newest string
	for _, n := range names {
		if strings.HasSuffix(n, snapSuffix) {
			newest = n
		}
	}
	path := filepath.Join(dir, newest)
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	data[len(data)/2] ^= 0x40
	require.NoError(t, os.WriteFile(path, data, 0o644))
}

func TestLoadFallsBackAndReports(t *testing.T) {
	dir := t.TempDir()
	var logged bytes.Buffer
	var skips []*GenerationError
	cfg := testConfig(&skips)
	cfg.Logger = slog.New(slog.NewTextHandler(&logged, nil))
	s := mustOpen(t, dir, cfg)
	for i := range 3 {
		_, err := s.Save(counter{N: int64(i)})
		require.NoError(t, err)
	}
	corruptNewest(t, dir)

	var got counter
	l, err := s.Load(&got)
	require.NoError(t, err)
	assert.Equal(t, counter{N: 1}, got)
	assert.Equal(t, uint64(2), l.Generation)
	require.Len(t, skips, 1)
	assert.Equal(t, uint64(3), skips[0].Generation)
	assert.Equal(t, -1, skips[0].Record)
	assert.ErrorIs(t, skips[0], pickle.ErrSignature)
	assert.Equal(t, skips, l.Skipped)
	assert.True(t, l.FellBack())
	assert.Contains(t, logged.String(), "level=WARN")
	assert.Contains(t, logged.String(), "generation=3")
}

func TestLoadErrorListsEveryGeneration(t *testing.T) {
	dir := t.TempDir()
	s := mustOpen(t, dir, testConfig(nil))
	_, err := s.Save(counter{N: 1})
	require.NoError(t, err)
	_, err = s.Save(counter{N: 2})
	require.NoError(t, err)
	corruptNewest(t, dir)
	require.NoError(t, os.Truncate(filepath.Join(dir, genName(1, snapSuffix)), 20))

	got := counter{N: 99}
	_, err = s.Load(&got)
	var le *LoadError
	require.ErrorAs(t, err, &le)
	require.Len(t, le.Generations, 2)
	assert.Equal(t, uint64(2), le.Generations[0].Generation)
	assert.ErrorIs(t, le.Generations[0], pickle.ErrSignature)
	assert.Equal(t, uint64(1), le.Generations[1].Generation)
	assert.ErrorIs(t, le.Generations[1], ErrCorrupt)
	assert.ErrorIs(t, err, ErrCorrupt)
	assert.Contains(t, err.Error(), "none of 2 generations loads")
	assert.Equal(t, counter{}, got, "a failed Load leaves the value zero")
}

func TestLoadEmptyDirectory(t *testing.T) {
	var v counter
	_, err := mustOpen(t, t.TempDir(), testConfig(nil)).Load(&v)
	assert.ErrorIs(t, err, ErrEmpty)
}

func TestLoadRefuses(t *testing.T) {
	unsigned := Config{Unsigned: true, Schema: 1, Logger: testConfig(nil).Logger}
	otherKey := testConfig(nil)
	otherKey.KeyID, otherKey.Key = "k2", []byte("another key entirely")
	newer := testConfig(nil)
	newer.Schema = 2
	tests := []struct {
		name          string
		write, read   Config
		want          error
		wantInMessage string
	}{
		{"unsigned file in a signed store", unsigned, testConfig(nil), ErrUnsigned, "not signed"},
		{"unknown key", otherKey, testConfig(nil), pickle.ErrUnknownKey, `"k2"`},
		{"newer schema", newer, testConfig(nil), ErrNewerSchema, "written with schema 2; this program knows up to 1"},
		{"older schema, no migration", testConfig(nil), newer, ErrNoMigration, "nothing migrates schema 1 to 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			_, err := mustOpen(t, dir, tt.write).Save(counter{N: 1})
			require.NoError(t, err)
			var v counter
			_, err = mustOpen(t, dir, tt.read).Load(&v)
			assert.ErrorIs(t, err, tt.want)
			assert.ErrorContains(t, err, tt.wantInMessage)
		})
	}
}

func TestLoadAcceptsRotatedKeys(t *testing.T) {
	dir := t.TempDir()
	_, err := mustOpen(t, dir, testConfig(nil)).Save(counter{N: 7})
	require.NoError(t, err)
	cfg := testConfig(nil)
	cfg.KeyID, cfg.Key = "k2", []byte("the new key")
	cfg.VerifyKeys = map[string][]byte{"k1": testKey}
	var v counter
	_, err = mustOpen(t, dir, cfg).Load(&v)
	require.NoError(t, err)
	assert.Equal(t, int64(7), v.N)
}

func TestLoadRefusesRenamedGeneration(t *testing.T) {
	// Renaming an old generation over a newer name must not pass it off
	// as the newer one: the header names its generation.
	dir := t.TempDir()
	s := mustOpen(t, dir, testConfig(nil))
	_, err := s.Save(counter{N: 1})
	require.NoError(t, err)
	require.NoError(t, os.Rename(filepath.Join(dir, genName(1, snapSuffix)), filepath.Join(dir, genName(5, snapSuffix))))
	var v counter
	_, err = s.Load(&v)
	assert.ErrorIs(t, err, ErrCorrupt)
	assert.ErrorContains(t, err, "header says generation 1; the file name says 5")
}

func TestUnsignedStore(t *testing.T) {
	dir := t.TempDir()
	cfg := Config{Unsigned: true, Schema: 1, Logger: testConfig(nil).Logger}
	s := mustOpen(t, dir, cfg)
	_, err := s.Save(counter{N: 1})
	require.NoError(t, err)
	_, err = s.Save(counter{N: 2})
	require.NoError(t, err)
	corruptNewest(t, dir)
	var v counter
	l, err := s.Load(&v)
	require.NoError(t, err)
	assert.Equal(t, counter{N: 1}, v)
	require.Len(t, l.Skipped, 1)
	assert.ErrorIs(t, l.Skipped[0], ErrCorrupt)
}

func TestMovingAStoreToSigning(t *testing.T) {
	dir := t.TempDir()
	unsigned := Config{Unsigned: true, Schema: 1, Logger: testConfig(nil).Logger}
	_, err := mustOpen(t, dir, unsigned).Save(counter{N: 1})
	require.NoError(t, err)

	both := testConfig(nil)
	both.Unsigned = true
	s := mustOpen(t, dir, both)
	var v counter
	_, err = s.Load(&v)
	require.NoError(t, err, "the unsigned generation is still read")
	_, err = s.Save(counter{N: 2})
	require.NoError(t, err)

	l, err := mustOpen(t, dir, testConfig(nil)).Load(&v)
	require.NoError(t, err, "and the new one is signed")
	assert.Equal(t, uint64(2), l.Generation)
	assert.Equal(t, int64(2), v.N)
}

func TestRollbackKeepsTheNewerSchemasGeneration(t *testing.T) {
	dir := t.TempDir()
	old := testConfig(nil)
	old.Keep = 2
	_, err := mustOpen(t, dir, old).Save(counter{N: 1})
	require.NoError(t, err)
	newer := old
	newer.Schema = 2
	_, err = mustOpen(t, dir, newer).Save(counter{N: 2})
	require.NoError(t, err)

	// The deploy is rolled back: the old program skips generation 2, and
	// goes on saving.
	s := mustOpen(t, dir, old)
	var v counter
	l, err := s.Load(&v)
	require.NoError(t, err)
	require.Len(t, l.Skipped, 1)
	assert.ErrorIs(t, l.Skipped[0], ErrNewerSchema)
	for n := int64(3); n <= 5; n++ {
		_, err = s.Save(counter{N: n})
		require.NoError(t, err)
	}
	assert.Equal(t, []string{genName(2, snapSuffix), genName(4, snapSuffix), genName(5, snapSuffix)}, dirNames(t, dir),
		"generation 2 outlives Keep; generations 1 and 3 do not")
}

func TestSaveNeverPrunesANewerSchemasGeneration(t *testing.T) {
	// The same without a Load first: Save reads the headers of what it
	// would remove.
	dir := t.TempDir()
	old := testConfig(nil)
	old.Keep = 1
	newer := old
	newer.Schema = 2
	_, err := mustOpen(t, dir, newer).Save(counter{N: 1})
	require.NoError(t, err)
	s := mustOpen(t, dir, old)
	for n := int64(2); n <= 3; n++ {
		_, err = s.Save(counter{N: n})
		require.NoError(t, err)
	}
	assert.Equal(t, []string{genName(1, snapSuffix), genName(3, snapSuffix)}, dirNames(t, dir))
}
