package snapshot

import (
	"testing"

	"github.com/pickle-go/pickle"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOpenTakesCompiledOptions checks that a set built by pickle.NewOptions
// serves as Config.Options, alone or among other options, as its list does.
func TestOpenTakesCompiledOptions(t *testing.T) {
	set, err := pickle.NewOptions(pickle.RegisterClass("app.geometry.Point", point{}))
	require.NoError(t, err)
	for _, tt := range []struct {
		name string
		opts []pickle.Option
	}{
		{"the list", []pickle.Option{pickle.RegisterClass("app.geometry.Point", point{})}},
		{"the set", []pickle.Option{set}},
		{"the set and a limit", []pickle.Option{set, pickle.MaxDepth(100)}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig(nil)
			cfg.Options = tt.opts
			s := mustOpen(t, t.TempDir(), cfg)
			want := stateV3{N: 3, Names: []string{"a"}, Where: &point{X: 1, Y: 2}}
			_, err := s.Save(want)
			require.NoError(t, err)
			var got stateV3
			_, err = s.Load(&got)
			require.NoError(t, err)
			assert.Equal(t, want, got)
		})
	}
}

// TestOpenChecksOptions checks that a bad option fails Open, by name.
func TestOpenChecksOptions(t *testing.T) {
	for _, tt := range []struct {
		name string
		opt  pickle.Option
		want string
	}{
		{"a malformed class name", pickle.RegisterClass("Point", point{}), `RegisterClass("Point")`},
		{"a malformed global", pickle.AllowGlobals("os"), `AllowGlobals("os")`},
		{"a limit out of range", pickle.MaxMemo(0), `MaxMemo(0)`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig(nil)
			cfg.Options = []pickle.Option{tt.opt}
			_, err := Open(t.TempDir(), cfg)
			assert.ErrorContains(t, err, "snapshot: Open: pickle: "+tt.want)
		})
	}
}
