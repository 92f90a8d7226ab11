package pickle

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestStringsMemoizedByIdentity(t *testing.T) {
	s := strings.Repeat("ab", 3)
	apart := strings.Clone(s)
	for _, tc := range []struct {
		name  string
		value any
		gets  int
	}{
		{"one string twice", []any{s, s}, 1},
		{"equal strings made apart", []any{s, apart}, 0},
		{"the empty string", []any{"", strings.Clone("")}, 1},
		{"one character", []any{"é", string([]rune{'é'})}, 1},
		{"one character beyond Latin-1", []any{"€", string([]rune{'€'})}, 0},
		// A prefix at the address of a string already written is written
		// anew each time: only less sharing.
		{"a prefix at the same address", []any{s, s[:2], s[:2]}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data, err := Marshal(tc.value)
			require.NoError(t, err)
			var dis strings.Builder
			require.NoError(t, Disassemble(&dis, strings.NewReader(string(data))))
			require.Equal(t, tc.gets, strings.Count(dis.String(), "BINGET"), dis.String())
			var back []any
			require.NoError(t, Unmarshal(data, &back))
			require.Equal(t, tc.value, back)
		})
	}
}
