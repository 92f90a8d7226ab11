package pickle

import (
	"math/rand"
	"strings"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/require"
)

func TestPtrTable(t *testing.T) {
	// Keys as the encoder meets them: neighbours in memory, and strays.
	var keys []unsafe.Pointer
	block := make([]int64, 5000)
	for i := range block {
		keys = append(keys, unsafe.Pointer(&block[i]))
	}
	for range 5000 {
		keys = append(keys, unsafe.Pointer(new(int64)))
	}
	rand.New(rand.NewSource(1)).Shuffle(len(keys), func(i, j int) { keys[i], keys[j] = keys[j], keys[i] })

	var tab ptrTable
	for round := range 2 { // the second after clear, at the grown size
		for i, k := range keys {
			_, ok := tab.get(k)
			require.False(t, ok)
			require.True(t, tab.add(k, uint64(i)))
			require.False(t, tab.add(k, 7), "add keeps the first value")
		}
		require.Equal(t, len(keys), tab.len())
		for i, k := range keys {
			v, ok := tab.get(k)
			require.True(t, ok)
			require.Equal(t, uint64(i), v, "round %d", round)
		}
		tab.set(keys[0], 99)
		v, _ := tab.get(keys[0])
		require.Equal(t, uint64(99), v)
		tab.clear()
		for i, k := range keys {
			_, found := tab.getOrAdd(k, uint64(i))
			require.False(t, found)
			v, found := tab.getOrAdd(k, 7)
			require.True(t, found)
			require.Equal(t, uint64(i), v, "getOrAdd keeps the first value")
		}
		require.Equal(t, len(keys), tab.len())
		tab.clear()
		require.Zero(t, tab.len())
	}
}

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
