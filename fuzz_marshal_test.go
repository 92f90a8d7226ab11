package pickle

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"testing"
	"time"
)

// FuzzMarshalGo builds a graph of Go values from each input (nil pointers,
// maps and slices of every kind, cycles and sharing through pointers,
// interfaces holding funcs and channels, unexported fields), marshals it,
// and checks: no panic; an error is an *EncodeError; and what Marshal wrote
// decodes back into the same Go type as the same graph, identity and cycles
// included (issue 11: nil *List fields were written as references to
// another object, which every no-panic check passes).

// gnode is one node of the graphs FuzzMarshalGo builds.
type gnode struct {
	Name   string
	N      int64
	F      float64
	Next   *gnode
	Other  *gnode
	Kids   []*gnode
	M      map[string]*gnode
	Arr    [2]*gnode
	L      *List
	D      *Dict
	Big    *big.Int
	T      *time.Time
	Bytes  []byte
	Ints   []int
	IM     map[int]string
	Any    any
	hidden int // unexported: ignored both ways
}

func FuzzMarshalGo(f *testing.F) {
	// Seeds: testdata/fuzz/FuzzMarshalGo (testdata/gen_fuzz_corpus.py).
	f.Fuzz(func(t *testing.T, data []byte) {
		g := graphFrom(data)
		proto := 0
		if len(data) > 0 {
			proto = int(data[len(data)-1]) % (HighestProtocol + 1)
		}
		out, err := Marshal(g.root, Protocol(proto))
		if err != nil {
			var ee *EncodeError
			if !errors.As(err, &ee) {
				t.Fatalf("Marshal: an error that says neither where nor why: %T %v", err, err)
			}
			if !g.unencodable {
				t.Fatalf("Marshal refused a graph with nothing unencodable: %v", err)
			}
			return
		}
		if g.unencodable {
			t.Fatalf("Marshal wrote a func or a channel")
		}
		checkGraphRoundTrip(t, g.root, out, proto, "")
		// Struct plans only write faster: the bytes are those without them.
		unplanned, err := Marshal(g.root, Protocol(proto), noStructPlans{})
		if err != nil || !bytes.Equal(unplanned, out) {
			t.Fatalf("protocol %d: without struct plans: %v\n%x\nwith them:\n%x", proto, err, unplanned, out)
		}
		// Maps as ranged: other bytes, the same graph.
		out, err = Marshal(g.root, Protocol(proto), UnsortedMaps())
		if err != nil {
			t.Fatalf("UnsortedMaps: Marshal refused what it wrote sorted: %v", err)
		}
		checkGraphRoundTrip(t, g.root, out, proto, "UnsortedMaps: ")
	})
}

func checkGraphRoundTrip(t *testing.T, root *gnode, out []byte, proto int, what string) {
	t.Helper()
	var back *gnode
	if err := Unmarshal(out, &back); err != nil {
		t.Fatalf("%sprotocol %d: what Marshal wrote does not decode: %v\n%x", what, proto, err, out)
	}
	c := graphComparer{ab: map[any]any{}, ba: map[any]any{}}
	if err := c.node(root, back, "root"); err != nil {
		t.Fatalf("%sprotocol %d: the round trip changed the graph: %v\n%x", what, proto, err, out)
	}
}

type fuzzGraph struct {
	root        *gnode
	unencodable bool // holds a func or a channel
}

// graphFrom builds a graph: the first byte says how many nodes, each later
// pair of bytes sets one field of one node.
func graphFrom(data []byte) fuzzGraph {
	next := func() byte {
		if len(data) == 0 {
			return 0
		}
		b := data[0]
		data = data[1:]
		return b
	}
	nodes := make([]*gnode, 1+int(next())%6)
	for i := range nodes {
		nodes[i] = &gnode{hidden: i}
	}
	pick := func(b byte) *gnode {
		if i := int(b) % (len(nodes) + 1); i < len(nodes) {
			return nodes[i]
		}
		return nil
	}
	sharedList := &List{int64(1), "shared"}
	sharedDict := NewDict(1)
	_ = sharedDict.Set("k", int64(1))
	g := fuzzGraph{root: nodes[0]}
	for len(data) > 0 {
		op, arg := next(), next()
		n := nodes[int(op>>4)%len(nodes)]
		switch op % 16 {
		case 0:
			n.Next = pick(arg)
		case 1:
			n.Other = pick(arg)
		case 2:
			if arg == 255 {
				n.Kids = []*gnode{}
			} else {
				n.Kids = append(n.Kids, pick(arg))
			}
		case 3:
			if n.M == nil {
				n.M = map[string]*gnode{}
			}
			n.M[fmt.Sprint(arg%4)] = pick(arg / 4)
		case 4:
			n.Arr[arg%2] = pick(arg / 2)
		case 5:
			n.L = []*List{nil, sharedList, {int64(arg)}, {}}[arg%4]
		case 6:
			n.D = []*Dict{nil, sharedDict, {}}[arg%3]
		case 7:
			n.Big = []*big.Int{nil, big.NewInt(int64(arg)), new(big.Int).Lsh(big.NewInt(1), uint(arg))}[arg%3]
		case 8:
			when := time.Date(2000+int(arg), 1, 2, 3, 4, 5, 6000, Naive)
			n.T = []*time.Time{nil, &when}[arg%2]
		case 9:
			n.Bytes = [][]byte{nil, {}, {arg, 0, 0xff}}[arg%3]
		case 10:
			n.Ints = [][]int{nil, {}, {int(arg), -1}}[arg%3]
		case 11:
			n.IM = []map[int]string{nil, {}, {int(arg): "v", -1: ""}}[arg%3]
		case 12:
			anys := []any{nil, int64(arg), "s", (*List)(nil), (*gnode)(nil), (*big.Int)(nil),
				map[string]int(nil), []int(nil), Tuple{int64(1), nil}, sharedList, sharedDict, (*Dict)(nil),
				func() {}, make(chan int)}
			n.Any = anys[int(arg)%len(anys)]
			switch n.Any.(type) {
			case func(), chan int:
				g.unencodable = true
			}
		case 13:
			n.Name = string([]byte{'a' + arg%26, arg})
			if arg >= 0x80 {
				g.unencodable = true // not UTF-8: Marshal refuses the str
			}
		case 14:
			n.N = int64(arg) - 128
			n.F = []float64{0, -0.5, math.Inf(1), math.NaN(), float64(arg)}[arg%5]
		case 15:
			n.hidden = int(arg)
		}
	}
	if g.unencodable && !reachableUnencodable(g.root, map[*gnode]bool{}) {
		g.unencodable = false // set on a node the root does not reach
	}
	return g
}

// reachableUnencodable reports whether a func, a channel or a non-UTF-8
// name is reachable from n.
func reachableUnencodable(n *gnode, seen map[*gnode]bool) bool {
	if n == nil || seen[n] {
		return false
	}
	seen[n] = true
	switch n.Any.(type) {
	case func(), chan int:
		return true
	}
	if len(n.Name) == 2 && n.Name[1] >= 0x80 {
		return true
	}
	for _, m := range append([]*gnode{n.Next, n.Other, n.Arr[0], n.Arr[1]}, n.Kids...) {
		if reachableUnencodable(m, seen) {
			return true
		}
	}
	for _, m := range n.M {
		if reachableUnencodable(m, seen) {
			return true
		}
	}
	return false
}

// graphComparer compares two graphs of gnodes, holding the one-to-one
// correspondence of their pointers: sharing and cycles must match, not
// only values.
type graphComparer struct {
	ab, ba map[any]any
}

// same records that a in the first graph is b in the second, and reports
// whether both were seen before.
func (c *graphComparer) same(a, b any, path string) (seen bool, err error) {
	pa, okA := c.ab[a]
	pb, okB := c.ba[b]
	if okA != okB || okA && (pa != b || pb != a) {
		return false, fmt.Errorf("%s: sharing differs", path)
	}
	c.ab[a], c.ba[b] = b, a
	return okA, nil
}

func (c *graphComparer) node(a, b *gnode, path string) error {
	if (a == nil) != (b == nil) {
		return fmt.Errorf("%s: %v vs %v", path, a == nil, b == nil)
	}
	if a == nil {
		return nil
	}
	if seen, err := c.same(a, b, path); err != nil || seen {
		return err
	}
	if a.Name != b.Name || a.N != b.N || !sameFloat(a.F, b.F) || b.hidden != 0 {
		return fmt.Errorf("%s: scalars %q %d %v vs %q %d %v (hidden %d)", path, a.Name, a.N, a.F, b.Name, b.N, b.F, b.hidden)
	}
	for _, p := range []struct {
		a, b *gnode
		at   string
	}{{a.Next, b.Next, ".Next"}, {a.Other, b.Other, ".Other"}, {a.Arr[0], b.Arr[0], ".Arr[0]"}, {a.Arr[1], b.Arr[1], ".Arr[1]"}} {
		if err := c.node(p.a, p.b, path+p.at); err != nil {
			return err
		}
	}
	if (a.Kids == nil) != (b.Kids == nil) || len(a.Kids) != len(b.Kids) {
		return fmt.Errorf("%s.Kids: %d items (nil %v) vs %d (nil %v)", path, len(a.Kids), a.Kids == nil, len(b.Kids), b.Kids == nil)
	}
	for i := range a.Kids {
		if err := c.node(a.Kids[i], b.Kids[i], fmt.Sprintf("%s.Kids[%d]", path, i)); err != nil {
			return err
		}
	}
	if (a.M == nil) != (b.M == nil) || len(a.M) != len(b.M) {
		return fmt.Errorf("%s.M: %v vs %v", path, a.M, b.M)
	}
	for k, v := range a.M {
		w, ok := b.M[k]
		if !ok {
			return fmt.Errorf("%s.M: key %q lost", path, k)
		}
		if err := c.node(v, w, path+".M["+k+"]"); err != nil {
			return err
		}
	}
	if err := c.model(a.L, b.L, path+".L"); err != nil {
		return err
	}
	if err := c.model(a.D, b.D, path+".D"); err != nil {
		return err
	}
	if (a.Big == nil) != (b.Big == nil) || a.Big != nil && a.Big.Cmp(b.Big) != 0 {
		return fmt.Errorf("%s.Big: %v vs %v", path, a.Big, b.Big)
	}
	if (a.T == nil) != (b.T == nil) || a.T != nil && !a.T.Equal(*b.T) {
		return fmt.Errorf("%s.T: %v vs %v", path, a.T, b.T)
	}
	for _, p := range []struct {
		a, b any
		at   string
	}{{a.Bytes, b.Bytes, ".Bytes"}, {a.Ints, b.Ints, ".Ints"}, {a.IM, b.IM, ".IM"}} {
		if !reflect.DeepEqual(p.a, p.b) {
			return fmt.Errorf("%s%s: %#v vs %#v", path, p.at, p.a, p.b)
		}
	}
	return c.anyValue(a.Any, b.Any, path+".Any")
}

// model compares a *List or *Dict by identity and by Python value.
func (c *graphComparer) model(a, b any, path string) error {
	nilA, nilB := reflect.ValueOf(a).IsNil(), reflect.ValueOf(b).IsNil()
	if nilA != nilB {
		return fmt.Errorf("%s: nil %v vs %v", path, nilA, nilB)
	}
	if nilA {
		return nil
	}
	if _, err := c.same(a, b, path); err != nil {
		return err
	}
	if Repr(a) != Repr(b) {
		return fmt.Errorf("%s: %s vs %s", path, Repr(a), Repr(b))
	}
	return nil
}

// anyValue compares what an interface held with what decoding into any
// gives for it: None for every nil, the model's value otherwise.
func (c *graphComparer) anyValue(a, b any, path string) error {
	if a == nil || isNilRef(a) {
		if b != nil {
			return fmt.Errorf("%s: a nil %T came back as %s", path, a, Repr(b))
		}
		return nil
	}
	switch x := a.(type) {
	case *List, *Dict:
		if reflect.TypeOf(b) != reflect.TypeOf(a) {
			return fmt.Errorf("%s: a %T came back as %T", path, a, b)
		}
		return c.model(x, b, path)
	}
	if Repr(a) != Repr(b) {
		return fmt.Errorf("%s: %s vs %s", path, Repr(a), Repr(b))
	}
	return nil
}

func sameFloat(a, b float64) bool {
	return a == b && math.Signbit(a) == math.Signbit(b) || math.IsNaN(a) && math.IsNaN(b)
}
