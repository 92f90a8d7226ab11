package snapshot

import (
	"fmt"
	"testing"

	"github.com/pickle-go/pickle"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Schema 1 kept a bare count; schema 2 renamed it to "n" and added names;
// schema 3 holds a registered class instead of a dict.

type point struct {
	X int64 `pickle:"x"`
	Y int64 `pickle:"y"`
}

type stateV3 struct {
	N     int64    `pickle:"n"`
	Names []string `pickle:"names"`
	Where *point   `pickle:"where"`
}

var migrations = []Migration{
	{From: 1, Migrate: func(v any) (any, error) {
		d, ok := v.(*pickle.Dict)
		if !ok {
			return nil, fmt.Errorf("want a dict, have %T", v)
		}
		count, _ := d.Get("count")
		out := pickle.NewDict(2)
		out.Set("n", count)
		out.Set("names", &pickle.List{})
		return out, nil
	}},
	{From: 2, Migrate: func(v any) (any, error) {
		d := v.(*pickle.Dict)
		d.Set("where", point{X: 1, Y: 2})
		return d, nil
	}},
}

func schemaConfig(schema int) Config {
	cfg := testConfig(nil)
	cfg.Schema = schema
	cfg.Migrations = migrations
	cfg.Options = []pickle.Option{pickle.RegisterClass("app.geometry.Point", point{})}
	return cfg
}

func TestLoadMigrates(t *testing.T) {
	tests := []struct {
		name   string
		schema int
		saved  any
	}{
		{"from 1", 1, map[string]int64{"count": 5}},
		{"from 2", 2, counter{N: 5, Names: []string{}}},
		{"from 3", 3, stateV3{N: 5, Names: []string{}, Where: &point{1, 2}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			_, err := mustOpen(t, dir, schemaConfig(tt.schema)).Save(tt.saved)
			require.NoError(t, err)
			var got stateV3
			l, err := mustOpen(t, dir, schemaConfig(3)).Load(&got)
			require.NoError(t, err)
			assert.Equal(t, stateV3{N: 5, Names: []string{}, Where: &point{1, 2}}, got)
			assert.Equal(t, tt.schema, l.Schema)
		})
	}
}

func TestLoadMigratesIntoAny(t *testing.T) {
	dir := t.TempDir()
	_, err := mustOpen(t, dir, schemaConfig(1)).Save(map[string]int64{"count": 5})
	require.NoError(t, err)
	var got any
	_, err = mustOpen(t, dir, schemaConfig(2)).Load(&got)
	require.NoError(t, err)
	assert.Equal(t, "{'n': 5, 'names': []}", pickle.Repr(got))
}

func TestFailedMigrationFallsBack(t *testing.T) {
	dir := t.TempDir()
	s := mustOpen(t, dir, schemaConfig(1))
	_, err := s.Save(map[string]int64{"count": 5})
	require.NoError(t, err)
	_, err = s.Save([]int64{1, 2}) // not a dict: the migration refuses it
	require.NoError(t, err)
	var got stateV3
	l, err := mustOpen(t, dir, schemaConfig(3)).Load(&got)
	require.NoError(t, err)
	assert.Equal(t, int64(5), got.N)
	require.Len(t, l.Skipped, 1)
	assert.ErrorContains(t, l.Skipped[0], "migration from schema 1 to 2: want a dict, have *pickle.List")
}

func TestRenamesFollowMovedClasses(t *testing.T) {
	dir := t.TempDir()
	old := testConfig(nil)
	old.Options = []pickle.Option{pickle.RegisterClass("app.Point", point{})}
	_, err := mustOpen(t, dir, old).Save(point{3, 4})
	require.NoError(t, err)

	moved := testConfig(nil)
	moved.Options = []pickle.Option{pickle.RegisterClass("app.geometry.Point", point{})}
	var got point
	_, err = mustOpen(t, dir, moved).Load(&got)
	require.ErrorIs(t, err, pickle.ErrForbiddenGlobal, "without the rename, the old name is refused")

	moved.Renames = map[string]string{"app.Point": "app.geometry.Point"}
	_, err = mustOpen(t, dir, moved).Load(&got)
	require.NoError(t, err)
	assert.Equal(t, point{3, 4}, got)
}

func TestRenamer(t *testing.T) {
	rename := renamer(map[string]string{
		"old.Point":       "app.geometry.Point",
		"old:Outer.Inner": "app:Outer.Inner",
		"old.Bad":         "nodot",
	})
	tests := []struct {
		module, name         string
		wantModule, wantName string
		wantErr              string
	}{
		{"old", "Point", "app.geometry", "Point", ""},
		{"old", "Outer.Inner", "app", "Outer.Inner", ""},
		{"other", "Point", "other", "Point", ""},
		{"old", "Bad", "", "", `want "module.Name"`},
	}
	for _, tt := range tests {
		m, n, err := rename(tt.module, tt.name)
		if tt.wantErr != "" {
			assert.ErrorContains(t, err, tt.wantErr)
			continue
		}
		require.NoError(t, err)
		assert.Equal(t, [2]string{tt.wantModule, tt.wantName}, [2]string{m, n})
	}
}
