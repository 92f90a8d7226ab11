package pickle

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// nestedLists returns the pickle of [[[...]]] nested depth deep, as
// CPython writes it at protocol 2: EMPTY_LIST and APPEND, without marks,
// so that the decoder's MaxDepth (open marks) does not stop it.
func nestedLists(t *testing.T, depth int) []byte {
	t.Helper()
	var v any = []any{}
	for range depth - 1 {
		v = []any{v}
	}
	data, err := Marshal(v, Protocol(2))
	require.NoError(t, err)
	require.NotContains(t, string(data), "(", "no MARK")
	return data
}

type deepList []deepList

func nestedTuple(depth int) Tuple {
	t := Tuple{int64(1)}
	for range depth {
		t = Tuple{t}
	}
	return t
}

// TestEveryLimitErrorSaysWhichAndHowFar checks each place that stops at a
// limit: the error is a *LimitError naming the limit, the limit in force
// and the size reached, and it still matches ErrLimit.
func TestEveryLimitErrorSaysWhichAndHowFar(t *testing.T) {
	// A 64 KiB key, memoized, then set 2,000 times in one SETITEMS: two
	// bytes of input each, 64 KiB of hashing each.
	key := strings.Repeat("k", 1<<16)
	hashHeavy := "}\x94(X\x00\x00\x01\x00" + key + "\x94N" + strings.Repeat("h\x01N", 2000) + "u."
	var laughs strings.Builder // see TestUnmarshalBillionLaughs
	laughs.WriteString("\x80\x04]\x94K\x00a")
	for i := range 30 {
		laughs.WriteString("](" + strings.Repeat("h"+string(rune(i)), 10) + "e\x94")
	}
	laughs.WriteString(".")
	for _, tc := range []struct {
		name    string
		run     func() error
		limit   string
		value   int64
		reached int64
	}{
		{"decoder: marks", func() error {
			var v any
			return Unmarshal(append(bytes.Repeat([]byte("("), 100), 'N', '.'), &v, MaxDepth(50))
		}, "MaxDepth", 50, 51},
		{"decoder: stack", func() error {
			var v any
			return Unmarshal(append(bytes.Repeat([]byte("N"), 100), '.'), &v, MaxStack(50))
		}, "MaxStack", 50, 51},
		{"decoder: memo", func() error {
			var v any
			return Unmarshal([]byte("N\x94\x94\x94\x94."), &v, MaxMemo(3))
		}, "MaxMemo", 3, 4},
		{"decoder: INT digits", func() error {
			var v any
			return Unmarshal([]byte("I"+strings.Repeat("9", 100)+"\n."), &v, MaxIntDigits(99))
		}, "MaxIntDigits", 99, 100},
		{"decoder: LONG digits into an int", func() error {
			var v int64
			return Unmarshal([]byte("L"+strings.Repeat("1", 30)+"L\n."), &v, MaxIntDigits(20))
		}, "MaxIntDigits", 20, 30},
		{"decoder: hashing work", func() error {
			var v any
			return Unmarshal([]byte(hashHeavy), &v)
		}, "hashing work for dict keys (64 bytes per input byte)", 64*int64(len(hashHeavy)-1) + 1<<20, 2001 * (1<<16 + 1)},
		{"typed: value budget", func() error {
			var v [][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][]int
			return Unmarshal([]byte(laughs.String()), &v)
		}, "bytes of Go values made by typed decoding (256 per input byte, plus 1 MiB)", 256*int64(laughs.Len()) + 1<<20, 0},
		{"typed: depth of a Go value", func() error {
			var v deepList
			return Unmarshal(nestedLists(t, 10), &v, MaxDepth(4))
		}, "MaxDepth", 4, 5},
		{"typed: depth of an any with classes", func() error {
			var v any
			return Unmarshal(nestedLists(t, 10), &v, MaxDepth(4), RegisterClass("app.P", optPoint{}))
		}, "MaxDepth", 4, 5},
		{"encoder: depth", func() error {
			_, err := Marshal(nestedTuple(10), MaxDepth(4))
			return err
		}, "MaxDepth", 4, 5},
		{"dict key: nesting", func() error {
			return NewDict(1).Set(nestedTuple(maxKeyDepth+5), 1)
		}, "nesting", maxKeyDepth, maxKeyDepth + 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.run()
			require.ErrorIs(t, err, ErrLimit)
			var le *LimitError
			require.True(t, errors.As(err, &le), "%v is not a *LimitError", err)
			require.Equal(t, tc.limit, le.Limit)
			require.Equal(t, tc.value, le.Value)
			if tc.reached == 0 {
				// Counted value by value: past the limit by one.
				require.Greater(t, le.Reached, le.Value)
				require.Less(t, le.Reached, le.Value+1<<10)
			} else {
				require.Equal(t, tc.reached, le.Reached)
			}
			require.True(t, strings.HasPrefix(err.Error(), "pickle: "), err.Error())
			require.Contains(t, err.Error(), le.Error())
		})
	}
}
