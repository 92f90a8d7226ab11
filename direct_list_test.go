package pickle

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// fillList (direct_list.go) stores a long list's items before APPENDS runs.
// These lists are long enough to have room for whole batches, with items
// it reads in runs, item by item, or not at all (it then pushes what it
// stored and the opcode loop goes on); each is decoded both ways
// (compareDirect), and those marked direct must not make the direct
// decoder give up.

// intsOfEverySize returns n ints that take every int opcode and every
// LONG1 length up to eight bytes, both signs.
func intsOfEverySize(n int) List {
	out := make(List, n)
	for i := range out {
		shift := uint(i % 64)
		v := int64(1)<<shift + int64(i)
		if i%3 == 0 {
			v = -v
		}
		out[i] = v
	}
	return out
}

// listBatches writes a list of the batches' items, after PROTO 4, each
// batch between MARK and APPENDS.
func listBatches(batches ...string) []byte {
	var b strings.Builder
	b.WriteString("\x80\x04]\x94")
	for _, items := range batches {
		b.WriteString("(" + items + "e")
	}
	b.WriteString(".")
	return []byte(b.String())
}

// repeat writes an item's opcodes n times.
func repeat(item string, n int) string { return strings.Repeat(item, n) }

func binFloat(f float64) string {
	return "G" + string(binary.BigEndian.AppendUint64(nil, math.Float64bits(f)))
}

func TestFillListMatchesGeneral(t *testing.T) {
	ints := reflect.TypeFor[[]int64]()
	floats := reflect.TypeFor[[]float64]()
	strs := reflect.TypeFor[[]string]()
	whole := repeat("K\x07", batchSize) // a batch that fills room
	type tc struct {
		name   string
		data   []byte
		typ    reflect.Type
		opts   []Option
		direct bool
	}
	var cases []tc
	for p := 2; p <= HighestProtocol; p++ {
		every := intsOfEverySize(30000) // frames end inside batches at 4 and 5
		floatList := make(List, 30000)
		strList := make(List, 30000)
		for i := range floatList {
			floatList[i] = float64(i) / 7
			strList[i] = fmt.Sprint("s", i, strings.Repeat("é", i%5))
		}
		for _, c := range []struct {
			name string
			v    List
			typ  reflect.Type
		}{{"ints", every, ints}, {"floats", floatList, floats}, {"strs", strList, strs}} {
			data, err := Marshal(&c.v, Protocol(p))
			require.NoError(t, err)
			cases = append(cases, tc{fmt.Sprintf("%s at protocol %d", c.name, p), data, c.typ, nil, true})
		}
	}
	cases = append(cases,
		tc{"big int in a batch", listBatches(whole, whole, whole, repeat("K\x01", 10)+"\x8a\x09"+repeat("\x01", 9)+repeat("K\x02", 10)), ints, nil, false},
		tc{"memo stores and fetches of ints", listBatches(whole, whole, whole, "K\x05\x94K\x06q\x09"+repeat("J\x00\x01\x00\x00", 500)+"h\x01h\x09"), ints, nil, true},
		tc{"LONG1 of no bytes", listBatches(whole, whole, whole, repeat("\x8a\x00K\x01", 400)), ints, nil, true},
		tc{"a float among ints", listBatches(whole, whole, whole, repeat("K\x01", 10)+binFloat(1.5)), ints, nil, false},
		tc{"ints among floats", listBatches(repeat(binFloat(0.5), batchSize), repeat(binFloat(0.5), batchSize), repeat(binFloat(0.5), batchSize), repeat(binFloat(2.5)+"K\x03", 300)), floats, nil, true},
		tc{"None among floats", listBatches(repeat(binFloat(0.5), batchSize), repeat(binFloat(0.5), batchSize), repeat(binFloat(0.5), batchSize), binFloat(1)+"N"), floats, nil, false},
		tc{"strs fetched from the memo", listBatches(repeat("\x8c\x01a", batchSize), repeat("\x8c\x01a", batchSize), repeat("\x8c\x01a", batchSize), "\x8c\x02xy\x94"+repeat("h\x01X\x01\x00\x00\x00b", 300)), strs, nil, true},
		tc{"MaxMemo inside a run of strs", listBatches(repeat("\x8c\x01a\x94", batchSize), repeat("\x8c\x01a\x94", batchSize), repeat("\x8c\x01a\x94", batchSize)), strs, []Option{MaxMemo(2500)}, false},
		tc{"an ill-formed str", listBatches(repeat("\x8c\x01a", batchSize), repeat("\x8c\x01a", batchSize), repeat("\x8c\x01a", batchSize), "\x8c\x01z\x8c\x01\xff"), strs, nil, false},
		tc{"a batch longer than the room", listBatches(whole, whole, whole, repeat("K\x09", 9000)), ints, nil, true},
		tc{"MaxStack inside a batch", listBatches(repeat("K\x07", 100), repeat("K\x07", 100), whole, whole, whole), ints, []Option{MaxStack(500)}, false},
		tc{"MaxStack, room", listBatches(whole, whole, whole), ints, []Option{MaxStack(batchSize + 1)}, true},
		tc{"MARK inside a batch", listBatches(whole, whole, whole, "K\x01(K\x02e"), ints, nil, false},
		tc{"MARK after a batch's MARK", listBatches(whole, whole, whole, "(K\x02e"), ints, nil, false},
		tc{"a tuple in a batch", listBatches(whole, whole, whole, "K\x01(K\x02K\x03t"), ints, nil, false},
		tc{"POP in a batch", listBatches(whole, whole, whole, "K\x01K\x020"), ints, nil, true},
	)
	for _, c := range cases {
		got := compareDirect(t, c.data, c.typ, c.opts)
		if c.direct {
			require.True(t, got, "%s: the direct decoder gave up", c.name)
		}
	}
	// The big ints the list of every size holds go into *big.Int as well.
	data := dumps(t, &List{big.NewInt(5), new(big.Int).Lsh(big.NewInt(1), 70)})
	compareDirect(t, data, reflect.TypeFor[[]*big.Int](), nil)
}
