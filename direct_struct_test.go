package pickle

import (
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// fillStruct (direct_struct.go) takes a dict's pairs into a struct before
// SETITEMS runs. These pickles, written opcode by opcode, put the pairs it
// takes where something else may reach them; each is decoded both ways
// (compareDirect), and those marked direct must not make the direct
// decoder give up.

type fillRec struct {
	A int64      `pickle:"a"`
	B string     `pickle:"b"`
	T []string   `pickle:"t"`
	P [2]float64 `pickle:"p"`
	Q *int64     `pickle:"q"`
	R *fillRec   `pickle:"r"`
}

// keyOuter and keyInner name their fields by the same keys in another
// order, so that a memo slot's key names a different field of each
// (direct_keys.go).
type keyOuter struct {
	A int64    `pickle:"a"`
	Q int64    `pickle:"q"`
	S keyInner `pickle:"s"`
}

type keyInner struct {
	Q int64 `pickle:"q"`
	A int64 `pickle:"a"`
}

func TestFillStructMatchesGeneral(t *testing.T) {
	rec := reflect.TypeFor[fillRec]()
	recs := reflect.TypeFor[[]fillRec]()
	outers := reflect.TypeFor[[]keyOuter]()
	cases := []struct {
		name   string
		pickle string // after PROTO 4, before STOP
		typ    reflect.Type
		opts   []Option
		direct bool
	}{
		{"scalars", "}\x94(\x8c\x01a\x94K\x01\x8c\x01b\x94\x8c\x01x\x94\x8c\x01q\x94Nu", rec, nil, true},
		{"key fetched from the memo in the next dict", "]\x94(}\x94(\x8c\x01a\x94K\x01u}\x94(h\x02K\x02ue", recs, nil, true},
		{"key's memo slot given another str", "](}(\x8c\x01aq\x00K\x01\x8c\x01qq\x01K\x02u}(h\x00K\x03h\x01K\x04u}(\x8c\x01qq\x00K\x05u}(h\x00K\x06ue", recs, nil, true},
		{"key's memo slot names a field of another struct", "](}(\x8c\x01aq\x00K\x01\x8c\x01qq\x01K\x02\x8c\x01s}(h\x01K\x03h\x00K\x04uu}(h\x00K\x05h\x01K\x06ue", outers, nil, true},
		{"str value fetched from the memo", "]\x94(}\x94(\x8c\x01b\x8c\x01x\x94u}\x94(\x8c\x01bh\x02ue", recs, nil, true},
		{"BINPUT and LONG_BINPUT", "}q\x00(\x8c\x01ar\x00\x01\x00\x00K\x01\x8c\x01bh\x00u", rec, nil, false},
		{"BINUNICODE key", "}(X\x01\x00\x00\x00aK\x05u", rec, nil, true},
		{"list of three", "}(\x8c\x01t]\x94(\x8c\x01x\x94\x8c\x01y\x94\x8c\x01z\x94e\x8c\x01aK\x01u", rec, nil, true},
		{"list of one", "}(\x8c\x01t]\x94\x8c\x01x\x94a\x8c\x01aK\x01u", rec, nil, true},
		{"empty list", "}(\x8c\x01t]\x94\x8c\x01aK\x01u", rec, nil, true},
		{"empty list last", "}(\x8c\x01t]\x94u", rec, nil, true},
		{"list in two batches", "}(\x8c\x01t](\x8c\x01xe(\x8c\x01ye\x8c\x01aK\x01u", rec, nil, true},
		{"list appended to after a key", "}(\x8c\x01t]\x8c\x01a0(\x8c\x01xe\x8c\x01aK\x01u", rec, nil, false},
		{"list of ints into strings", "}(\x8c\x01t](K\x01K\x02e\x8c\x01aK\x01u", rec, nil, false},
		{"tuple", "}(\x8c\x01pG?\xf0\x00\x00\x00\x00\x00\x00G@\x00\x00\x00\x00\x00\x00\x00\x86\x94\x8c\x01aK\x01u", rec, nil, true},
		{"tuple into a scalar", "}(\x8c\x01aK\x01K\x02\x86u", rec, nil, false},
		{"scalar into a tuple's place", "}(\x8c\x01pK\x01\x8c\x01aK\x01u", rec, nil, false},
		{"dict value, then pairs", "}(\x8c\x01r}(\x8c\x01aK\x07u\x8c\x01aK\x01\x8c\x01bh\x00u", rec, nil, false},
		{"dict value, then pairs, no memo", "}(\x8c\x01r}(\x8c\x01aK\x07u\x8c\x01aK\x01u", rec, nil, true},
		{"duplicate key", "}(\x8c\x01aK\x01\x8c\x01aK\x02u", rec, nil, true},
		{"unknown key", "}(\x8c\x01zK\x01\x8c\x01aK\x02u", rec, nil, true},
		{"unknown key refused", "}(\x8c\x01zK\x01\x8c\x01aK\x02u", rec, []Option{DisallowUnknownFields()}, false},
		{"POP into the pairs taken", "}(\x8c\x01aK\x01\x8c\x01aK\x020u", rec, nil, false},
		{"POP of a key pushed after them", "}(\x8c\x01aK\x01\x8c\x01b0u", rec, nil, true},
		{"MARK on the batch's MARK", "}((\x8c\x01aK\x01uu", rec, nil, false},
		{"MARK on the batch's MARK, a dict value", "}((\x8c\x01r}(\x8c\x01aK\x07u\x8c\x01aK\x01uu", rec, nil, false},
		{"MARK above the pairs taken", "}(\x8c\x01aK\x01(\x8c\x01aK\x02uu", rec, nil, false},
		{"TUPLE of the pairs taken", "}(\x8c\x01aK\x01t", rec, nil, false},
		{"LIST of the pairs taken", "}(\x8c\x01aK\x01l", rec, nil, false},
		{"POP_MARK of the pairs taken", "}(\x8c\x01aK\x011", rec, nil, false},
		{"odd items at SETITEMS", "}(\x8c\x01aK\x01\x8c\x01bu", rec, nil, false},
		{"MEMOIZE twice", "}(\x8c\x01aK\x01\x94\x94\x8c\x01bh\x01u", rec, nil, false},
		{"memo store of nothing", "}(\x8c\x01aK\x01u(\x94", rec, nil, false},
		{"MaxStack", "}(\x8c\x01aK\x01\x8c\x01t](\x8c\x01x\x8c\x01ye\x8c\x01bK\x02u", rec, []Option{MaxStack(4)}, false},
		{"MaxStack, room", "}(\x8c\x01aK\x01\x8c\x01t](\x8c\x01x\x8c\x01ye\x8c\x01b\x8c\x01yu", rec, []Option{MaxStack(7)}, true},
		{"MaxDepth", "}(\x8c\x01t](\x8c\x01xe\x8c\x01aK\x01u", rec, []Option{MaxDepth(1)}, false},
		{"MaxMemo", "}(\x8c\x01a\x94K\x01\x94\x8c\x01b\x94\x8c\x01x\x94u", rec, []Option{MaxMemo(2)}, false},
		{"pair across frames", "\x95\x0a\x00\x00\x00\x00\x00\x00\x00}(\x8c\x01aK\x01\x8c\x01b\x95\x04\x00\x00\x00\x00\x00\x00\x00\x8c\x01xu.", rec, nil, true},
	}
	for _, c := range cases {
		data := []byte("\x80\x04" + c.pickle)
		if data[len(data)-1] != '.' {
			data = append(data, '.')
		}
		got := compareDirect(t, data, c.typ, c.opts)
		if c.direct {
			require.True(t, got, "%s: the direct decoder gave up", c.name)
		}
	}
}

// A struct built in a list's spare capacity and then popped leaves its
// fields there; the next one built in that place starts from zero.
func TestDirectInPlaceStructReused(t *testing.T) {
	type ab struct {
		A int64  `pickle:"a"`
		B string `pickle:"b"`
	}
	for _, popped := range []string{"}(\x8c\x01aK\x07u0", "}(\x8c\x01aK\x07u0}(\x8c\x01aK\x08u0"} {
		// A first batch of 1000 grows the list with room to spare.
		data := "\x80\x04](" + strings.Repeat("}(\x8c\x01aK\x01u", 1000) + "e(" +
			popped + "}(\x8c\x01b\x8c\x01xu}(\x8c\x01b\x8c\x01yue."
		require.True(t, compareDirect(t, []byte(data), reflect.TypeFor[[]ab](), nil), "the direct decoder gave up")
	}
}

// A record's pairs are taken as they are read, and SETITEMS still charges
// the hash work of their keys: the limit is reached where the general
// path reaches it.
func TestFillStructChargesHashWork(t *testing.T) {
	long := strings.Repeat("k", 40000)
	typ := reflect.SliceOf(reflect.StructOf([]reflect.StructField{
		{Name: "A", Type: reflect.TypeFor[int64](), Tag: `pickle:"a"`},
		{Name: "L", Type: reflect.TypeFor[int64](), Tag: reflect.StructTag(`pickle:"` + long + `"`)},
	}))
	for _, n := range []int{10, 3000} {
		list := make(List, n)
		for i := range list {
			list[i] = dict(t, "a", int64(i), long, int64(i))
		}
		data := dumps(t, &list)
		general := reflect.New(typ)
		err := unmarshal(data, general.Interface(), false, nil)
		if n == 10 {
			require.NoError(t, err)
			require.True(t, compareDirect(t, data, typ, nil), "the direct decoder gave up")
		} else {
			require.ErrorContains(t, err, "hashing work")
			compareDirect(t, data, typ, nil)
		}
	}
}
