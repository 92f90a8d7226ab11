package pickle

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestAllowsBelowDefaultNames: a nested name the default allowlist admits
// lets its owner be folded by getattr without options, as a nested name
// given to AllowGlobals does; other owners are not admitted.
func TestAllowsBelowDefaultNames(t *testing.T) {
	cfg, err := newConfig(nil)
	require.NoError(t, err)
	require.NotEmpty(t, defaultOwners)
	for owner := range defaultOwners {
		require.True(t, cfg.allowsBelow(owner), owner.String())
	}
	require.True(t, cfg.allowsBelow(Global{"zoneinfo", "ZoneInfo"}))
	require.False(t, cfg.allowsBelow(Global{"os", "path"}))
	require.False(t, cfg.allowsBelow(Global{"zoneinfo", "ZoneInfo._unpickle"}))

	cfg, err = newConfig([]Option{AllowGlobals("m.Outer.Inner")})
	require.NoError(t, err)
	require.True(t, cfg.allowsBelow(Global{"m", "Outer"}))
}
