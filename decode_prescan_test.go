package pickle

import (
	"bytes"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// CPython writes a long list or dict in batches of 1000; decoded from
// memory, one of three batches or more is allocated once more, at its final
// size, when its items are small (batchesAhead counts the batches to come). Decoded from a stream, it
// still decodes the same, growing as it goes.
func TestLongListsAllocatedOnce(t *testing.T) {
	long := 0
	for _, f := range benchFiles(t) {
		var v any
		require.NoError(t, Unmarshal(f.data, &v), f.name)
		var stream any
		require.NoError(t, NewDecoder(iotest.OneByteReader(bytes.NewReader(f.data))).Decode(&stream), f.name)
		require.Equal(t, Repr(v), Repr(stream), f.name)
		switch f.payload {
		case "shared", "ints", "floats", "strings", "intkeys":
		default:
			continue // items too large for the look-ahead to pay
		}
		eachContainer(v, func(l *List) {
			if len(*l) > 2*batchSize {
				long++
				assert.Equal(t, len(*l), cap(*l), "%s: a list of %d items", f.name, len(*l))
			}
		}, func(d *Dict) {
			if d.Len() > 2*batchSize {
				long++
				assert.Equal(t, d.Len(), cap(d.items), "%s: a dict of %d items", f.name, d.Len())
				assert.True(t, d.index.fits(d.Len()), "%s: a dict of %d items", f.name, d.Len())
				if d.hkeys != nil {
					assert.Equal(t, d.Len(), cap(d.hkeys), "%s: a dict of %d items", f.name, d.Len())
				}
			}
		})
	}
	require.GreaterOrEqual(t, long, 5)
}

// eachContainer calls fn with every list, and dictFn with every dict,
// inside v, once each.
func eachContainer(v any, fn func(*List), dictFn func(*Dict)) {
	seen := map[any]bool{}
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case *List:
			if seen[x] {
				return
			}
			seen[x] = true
			fn(x)
			for _, item := range *x {
				walk(item)
			}
		case Tuple:
			for _, item := range x {
				walk(item)
			}
		case *Dict:
			if seen[x] {
				return
			}
			seen[x] = true
			dictFn(x)
			for _, it := range x.Items() {
				walk(it.Key)
				walk(it.Value)
			}
		}
	}
	walk(v)
}

// The look-ahead walks anything without panicking or reading past its
// input, and its count is a count of whole batches.
func TestAppendsAheadOnAnyBytes(t *testing.T) {
	for _, f := range loadFixtures(t) {
		for start := 0; start < len(f.Data); start += 1 + start/4 {
			for _, closer := range []byte{opAppends, opSetItems} {
				items, walked := batchesAhead(f.Data[start:], closer)
				require.GreaterOrEqual(t, items, -1)
				require.LessOrEqual(t, walked, len(f.Data)-start)
				require.LessOrEqual(t, items, walked)
			}
		}
	}
}
