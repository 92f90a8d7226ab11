package pickle

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

type frameRecord struct {
	A string
	B int64
}

type frameNode struct {
	Name string
	Vals []int64
}

// TestMarshalGoValuesMatchLivePython marshals Go values large enough to
// span many 64 KiB frames and batches (struct slices, sorted maps, nested
// structs) and requires CPython's bytes for the same Python value: a frame
// may close before any object, a dict's key as well as its value.
func TestMarshalGoValuesMatchLivePython(t *testing.T) {
	records := make([]frameRecord, 20000)
	for i := range records {
		records[i] = frameRecord{A: fmt.Sprint("value-", i), B: int64(i)}
	}
	byName := map[string]int64{}
	for i := range 20000 {
		byName[fmt.Sprintf("k%05d", i)] = int64(i)
	}
	byInt := map[int64]float64{}
	for i := range 30000 {
		byInt[int64(i)] = float64(i) / 7
	}
	strs := make([]string, 30000)
	for i := range strs {
		strs[i] = fmt.Sprint("s", i)
	}
	nodes := make([]frameNode, 10000)
	for i := range nodes {
		nodes[i] = frameNode{Name: fmt.Sprint("n", i), Vals: []int64{int64(i), int64(i + 1)}}
	}
	recordsByName := map[string]frameRecord{}
	for i := range 5000 {
		recordsByName[fmt.Sprintf("k%05d", i)] = frameRecord{A: fmt.Sprint("v", i), B: int64(i)}
	}
	requireMarshalMatchesDumps(t, []liveDumps{
		{"[{'A': 'value-%d' % i, 'B': i} for i in range(20000)]", records},
		{"{'k%05d' % i: i for i in range(20000)}", byName},
		{"{i: i / 7 for i in range(30000)}", byInt},
		{"['s%d' % i for i in range(30000)]", strs},
		{"[{'Name': 'n%d' % i, 'Vals': [i, i + 1]} for i in range(10000)]", nodes},
		{"{'k%05d' % i: {'A': 'v%d' % i, 'B': i} for i in range(5000)}", recordsByName},
	})
}

// liveDumps is a Go value and the Python expression of the same value.
type liveDumps struct {
	expr string
	v    any
}

// requireMarshalMatchesDumps requires Marshal's bytes for each case to be
// python3's pickle.dumps of its expression, at every protocol, and names
// the first byte that differs.
func requireMarshalMatchesDumps(t *testing.T, cases []liveDumps) {
	t.Helper()
	var reqs []map[string]any
	for _, c := range cases {
		for p := 0; p <= HighestProtocol; p++ {
			reqs = append(reqs, map[string]any{"op": "dumps", "expr": c.expr, "protocol": p})
		}
	}
	for i, r := range crossCheck(t, "3", reqs) {
		c, p := cases[i/(HighestProtocol+1)], reqs[i]["protocol"].(int)
		require.Nil(t, r["error"], c.expr)
		want, err := hex.DecodeString(r["data"].(string))
		require.NoError(t, err)
		got, err := Marshal(c.v, Protocol(p))
		require.NoError(t, err, "Marshal(%T for %s, Protocol(%d))", c.v, c.expr, p)
		if !bytes.Equal(got, want) {
			n := firstDiff(got, want)
			t.Errorf("%T for %.60s at protocol %d: differs at byte %d of %d (got %d)\n got %q\nwant %q", c.v, c.expr, p, n, len(want), len(got),
				got[max(0, n-16):min(len(got), n+16)], want[max(0, n-16):min(len(want), n+16)])
		}
	}
}
