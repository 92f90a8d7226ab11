package pickle

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Scan opens every container ReadFile opens: the fixtures are safe, and
// their pickle is found inside.
func TestScanContainerFixtures(t *testing.T) {
	for name := range containerReprs(t) {
		rep := scanBytes(t, containerFile(t, name))
		if rep.Verdict != Safe {
			t.Fatalf("%s: %+v", name, rep)
		}
		primary := 0
		for _, p := range rep.Pickles {
			if !p.Secondary {
				primary++
			}
		}
		assert.GreaterOrEqual(t, primary, 1, name)
	}
}

// What a pickle would run is found however it is wrapped.
func TestScanWrappedDanger(t *testing.T) {
	evil, err := os.ReadFile(filepath.Join("testdata", "scan", "os_system_p4.pkl"))
	require.NoError(t, err)
	tests := []struct {
		name, source string
		data         []byte
	}{
		{"gzip", "gzip data", gzipBytes(t, evil)},
		{"zip without .pkl name", "model", zipBytes(t, "model", evil)},
		{"tar", "evil.pkl", tarBytes(t, "evil.pkl", evil)},
		{"tar in gzip", "evil.pkl", gzipBytes(t, tarBytes(t, "evil.pkl", evil))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := scanBytes(t, tt.data)
			assert.Equal(t, Dangerous, rep.Verdict)
			found := false
			for _, p := range rep.Pickles {
				for _, g := range p.Globals {
					if p.Source == tt.source && strings.HasSuffix(g.Name, ".system") && !p.Secondary {
						found = true
					}
				}
			}
			assert.True(t, found, "%+v", rep)
		})
	}
}

// A corrupt container is malformed, with the reason.
func TestScanCorruptContainer(t *testing.T) {
	gz := containerFile(t, "obj.pkl.gz")
	rep := scanBytes(t, gz[:len(gz)-10])
	assert.Equal(t, Malformed, rep.Verdict)
	var errs []string
	for _, p := range rep.Pickles {
		errs = append(errs, p.Error)
	}
	assert.Contains(t, strings.Join(errs, "\n"), "gzip data")
	rep = scanBytes(t, containerFile(t, "nopickle.tar"))
	assert.Equal(t, Malformed, rep.Verdict)
}
