package ptrtable

import (
	"math/rand"
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

	for _, dense := range []bool{false, true} {
		testTable(t, keys, &Table{Dense: dense})
	}
	// Keys two bytes apart, as Dense tables hold: the bytes of strings.
	text := make([]byte, 20000)
	var near []unsafe.Pointer
	for i := 0; i < len(text); i += 2 {
		near = append(near, unsafe.Pointer(&text[i]))
	}
	testTable(t, near, &Table{Dense: true})
}

func testTable(t *testing.T, keys []unsafe.Pointer, tab *Table) {
	for round := range 2 { // the second after clear, at the grown size
		for i, k := range keys {
			_, ok := tab.Get(k)
			require.False(t, ok)
			require.True(t, tab.Add(k, uint64(i)))
			require.False(t, tab.Add(k, 7), "add keeps the first value")
		}
		require.Equal(t, len(keys), tab.Len())
		for i, k := range keys {
			v, ok := tab.Get(k)
			require.True(t, ok)
			require.Equal(t, uint64(i), v, "round %d", round)
		}
		tab.Set(keys[0], 99)
		v, _ := tab.Get(keys[0])
		require.Equal(t, uint64(99), v)
		tab.Clear()
		for i, k := range keys {
			_, found := tab.GetOrAdd(k, uint64(i))
			require.False(t, found)
			v, found := tab.GetOrAdd(k, 7)
			require.True(t, found)
			require.Equal(t, uint64(i), v, "getOrAdd keeps the first value")
		}
		require.Equal(t, len(keys), tab.Len())
		tab.Clear()
		require.Zero(t, tab.Len())
	}
}
