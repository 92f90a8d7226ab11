package pickle

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestDirectListEstimate decodes long lists whose length the first chunk
// estimates well, too long (the list ends early) and too short (its items
// grow), both ways, and checks that none keeps more than an eighth of its
// length to spare.
func TestDirectListEstimate(t *testing.T) {
	saved := sliceChunkBytes
	sliceChunkBytes = 256
	t.Cleanup(func() { sliceChunkBytes = saved })

	type shape struct {
		Items []string `pickle:"items"`
		Tail  string   `pickle:"tail"`
	}
	even, growing := make(List, 3000), make(List, 3000)
	for i := range even {
		even[i] = fmt.Sprint("item", i%10)
		growing[i] = strings.Repeat("x", 1+i/100)
	}
	cases := []struct {
		name  string
		items *List
		tail  string
	}{
		{"as estimated", &even, ""},
		{"ends early", &even, strings.Repeat("t", 200000)},
		{"items grow", &growing, ""},
	}
	for _, c := range cases {
		for p := 2; p <= HighestProtocol; p++ {
			data, err := Marshal(dict(t, "items", c.items, "tail", c.tail), Protocol(p))
			require.NoError(t, err)
			require.True(t, compareDirect(t, data, reflect.TypeFor[shape](), nil), "%s: the direct decoder gave up", c.name)
			var got shape
			require.NoError(t, Unmarshal(data, &got))
			require.Len(t, got.Items, len(*c.items), c.name)
			require.LessOrEqual(t, cap(got.Items), len(got.Items)+len(got.Items)/8, "%s at protocol %d", c.name, p)
		}
	}
}

// TestDirectMapEstimate decodes dicts of several batches into maps made at
// their estimated size, natively filled and through reflection, alone and
// before a tail that makes the estimate long, at every protocol that
// batches: the direct decoder must take them and agree with the general
// path.
func TestDirectMapEstimate(t *testing.T) {
	type xy struct{ X, Y int64 }
	type shape struct {
		ByID map[int64]float64 `pickle:"by_id"`
		ByXY map[xy]string     `pickle:"by_xy"`
		Tail string            `pickle:"tail"`
	}
	in := shape{ByID: map[int64]float64{}, ByXY: map[xy]string{}}
	for i := range 4500 {
		in.ByID[int64(i*7919-3_000_000)] = float64(i) / 4
		in.ByXY[xy{int64(i % 70), int64(i / 70)}] = fmt.Sprint("cell", i)
	}
	for _, tail := range []string{"", strings.Repeat("t", 100000)} {
		in.Tail = tail
		for p := 2; p <= HighestProtocol; p++ {
			data, err := Marshal(in, Protocol(p))
			require.NoError(t, err)
			require.True(t, compareDirect(t, data, reflect.TypeFor[shape](), nil), "the direct decoder gave up at protocol %d", p)
			var got shape
			require.NoError(t, Unmarshal(data, &got))
			require.Equal(t, in, got, "protocol %d, tail of %d", p, len(tail))
		}
	}
}
