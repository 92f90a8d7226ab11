package pickle

import (
	"math/bits"
	"slices"
)

// This file sorts the keys of integer-keyed Go maps, which Marshal writes
// in key order so that its output is deterministic (unless UnsortedMaps).

type intKeyAt struct {
	k int64
	i int
}

// sortIntKeys sorts the pairs of a map's items by key, unless UnsortedMaps
// leaves them in the order the map was ranged in.
func (e *encoder) sortIntKeys(pairs []intKeyAt) {
	if !e.cfg.unsortedMaps {
		sortIntKeys(pairs)
	}
}

// sortIntKeys sorts pairs by key, stably: a least-significant-digit radix
// sort, a byte at a time, of each key's distance from the smallest (so the
// bytes above the span of the keys need no pass), with the counts of every
// byte taken in one pass; bytes all keys share are skipped.
func sortIntKeys(pairs []intKeyAt) {
	if len(pairs) < 256 {
		slices.SortStableFunc(pairs, func(a, b intKeyAt) int { return cmpOrdered(a.k, b.k) })
		return
	}
	lo, hi := pairs[0].k, pairs[0].k
	for _, p := range pairs[1:] {
		lo, hi = min(lo, p.k), max(hi, p.k)
	}
	digits := (bits.Len64(uint64(hi)-uint64(lo)) + 7) / 8
	var counts [8][256]int
	for _, p := range pairs {
		d := uint64(p.k) - uint64(lo)
		for b := range digits {
			counts[b][byte(d>>(8*b))]++
		}
	}
	src, dst := pairs, make([]intKeyAt, len(pairs))
	for b := range digits {
		count, shift := &counts[b], uint(8*b)
		digit := func(k int64) byte { return byte((uint64(k) - uint64(lo)) >> shift) }
		if count[digit(src[0].k)] == len(src) {
			continue
		}
		pos := 0
		for d, c := range count {
			count[d] = pos
			pos += c
		}
		for _, p := range src {
			d := digit(p.k)
			dst[count[d]] = p
			count[d]++
		}
		src, dst = dst, src
	}
	if &src[0] != &pairs[0] {
		copy(pairs, src)
	}
}
