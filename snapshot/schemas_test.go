package snapshot

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Old fixtures in CI: testdata/schemas/vN is a store written by the program
// when its schema was N, committed once and never rewritten. The test below
// loads every one with today's Config, so a change that breaks an old
// version's migration fails here rather than in production after a deploy.
//
// To change the schema: add the migration from the current version, bump
// currentSchema, add what the new version saves to schemaFixtures, and run
//
//	go test ./snapshot -run TestOldSchemasLoad -update-schema
//
// which writes only the directories that are missing; commit them.

var updateSchema = flag.Bool("update-schema", false, "write the missing testdata/schemas fixtures")

const currentSchema = 3

// schemaFixtures is what each schema version's program saved, and the
// changes it appended after.
var schemaFixtures = map[int]struct {
	saved   any
	appends []any
}{
	1: {saved: map[string]int64{"count": 5}},
	2: {saved: counter{N: 5, Names: []string{}}},
	3: {saved: stateV3{N: 4, Names: []string{}, Where: &point{1, 2}}, appends: []any{add{"v3"}}},
}

// wantFromSchema is what loading each fixture must give today.
var wantFromSchema = map[int]stateV3{
	1: {N: 5, Names: []string{}, Where: &point{1, 2}},
	2: {N: 5, Names: []string{}, Where: &point{1, 2}},
	3: {N: 5, Names: []string{"v3"}, Where: &point{1, 2}},
}

func fixtureConfig(schema int) Config {
	cfg := schemaConfig(schema)
	cfg.Writer = fmt.Sprintf("snapshot tests, schema %d", schema)
	cfg.Replay = func(state any, r Record) error {
		var a add
		if err := r.Decode(&a); err != nil {
			return err
		}
		s := state.(*stateV3)
		s.N++
		s.Names = append(s.Names, a.Name)
		return nil
	}
	return cfg
}

func TestOldSchemasLoad(t *testing.T) {
	if *updateSchema {
		writeSchemaFixtures(t)
	}
	for v := 1; v <= currentSchema; v++ {
		t.Run(fmt.Sprintf("v%d", v), func(t *testing.T) {
			dir := filepath.Join("testdata", "schemas", fmt.Sprintf("v%d", v))
			_, err := os.Stat(dir)
			require.NoError(t, err, "every schema version needs a fixture; see -update-schema")
			var skips []*GenerationError
			cfg := fixtureConfig(currentSchema)
			cfg.OnSkip = func(ge *GenerationError) { skips = append(skips, ge) }
			var got stateV3
			l, err := mustOpen(t, copyDir(t, dir), cfg).Load(&got)
			require.NoError(t, err)
			assert.Equal(t, wantFromSchema[v], got)
			assert.Equal(t, v, l.Schema, "the fixture was written with its schema")
			assert.Empty(t, skips)
		})
	}
}

// copyDir copies a fixture store, so that opening it cannot change it.
func copyDir(t *testing.T, dir string) string {
	t.Helper()
	out := t.TempDir()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(out, e.Name()), data, 0o644))
	}
	return out
}

func writeSchemaFixtures(t *testing.T) {
	for v, f := range schemaFixtures {
		dir := filepath.Join("testdata", "schemas", fmt.Sprintf("v%d", v))
		if _, err := os.Stat(dir); err == nil {
			continue // written by its own version; never rewritten
		}
		s, err := Open(dir, fixtureConfig(v))
		require.NoError(t, err)
		_, err = s.Save(f.saved)
		require.NoError(t, err)
		for _, c := range f.appends {
			require.NoError(t, s.Append(c))
		}
		require.NoError(t, s.Close())
		t.Logf("wrote %s", dir)
	}
}
