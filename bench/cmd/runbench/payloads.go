package main

import (
	"math/big"
	"reflect"

	"github.com/pickle-go/pickle"
)

// The typed Go targets, one per payload of gen_corpus.py: what a Go program
// reading that data would declare. The in-package benchmarks
// (benchmarks_test.go in the library) declare the same types.

// Record is one dict of the records payload.
type Record struct {
	ID     int64    `pickle:"id"`
	Name   string   `pickle:"name"`
	Email  string   `pickle:"email"`
	Score  float64  `pickle:"score"`
	Tags   []string `pickle:"tags"`
	Active bool     `pickle:"active"`
	Parent *int64   `pickle:"parent"`
}

// Ints is the ints payload: int64-range ints, and the few beyond 2**64.
type Ints struct {
	Ints []int64    `pickle:"ints"`
	Big  []*big.Int `pickle:"big"`
}

// Node is one node of the nested payload.
type Node struct {
	Name     string     `pickle:"name"`
	Pos      [3]float64 `pickle:"pos"`
	Meta     NodeMeta   `pickle:"meta"`
	Children []Node     `pickle:"children"`
}

// NodeMeta is a node's "meta" dict.
type NodeMeta struct {
	ID     int64 `pickle:"id"`
	Weight int64 `pickle:"weight"`
}

// XY is a key of the by_xy dict: a Python (x, y) tuple.
type XY struct{ X, Y int64 }

// IntKeys is the intkeys payload.
type IntKeys struct {
	ByID map[int64]float64 `pickle:"by_id"`
	ByXY map[XY]string     `pickle:"by_xy"`
}

// typedTargets gives each payload's typed target (a pointer to a new zero
// value) and how the report names it. The shared payload has none: its items
// are tuples, lists and strings mixed, which only `any` holds. encode, when
// set, makes what is marshaled from the decoded value (by default the value
// itself).
var typedTargets = map[string]struct {
	name   string
	new    func() any
	encode func(v any) (any, error)
}{
	"records": {"[]Record", func() any { return new([]Record) }, nil},
	"ints":    {"struct{[]int64; []*big.Int}", func() any { return new(Ints) }, nil},
	"floats":  {"[]float64", func() any { return new([]float64) }, nil},
	"strings": {"[]string", func() any { return new([]string) }, nil},
	"blobs":   {"[][]byte", func() any { return new([][]byte) }, nil},
	"nested":  {"Node (recursive struct)", func() any { return new(Node) }, nil},
	"intkeys": {"struct{map[int64]float64; map[XY]string}", func() any { return new(IntKeys) }, nil},
	// A []float64 marshals as a list: back to a numpy array, it goes
	// through NDArrayView, which a Go program writing for numpy would use
	// (NewNDArray would copy the floats first).
	"numpy": {"[]float64", func() any { return new([]float64) }, func(v any) (any, error) { return pickle.NDArrayView(v.([]float64)), nil }},
}

// deref returns what the pointer p points to, for Marshal.
func deref(p any) any { return reflect.ValueOf(p).Elem().Interface() }
