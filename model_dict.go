package pickle

import (
	"iter"
	"slices"
)

// DictItem is one key/value pair of a Dict.
type DictItem struct {
	Key, Value any
}

// Dict is a Python dict: insertion-ordered, keyed by any hashable value with
// Python's key equality (1, 1.0 and True are one key; setting an existing key
// keeps its position and replaces its value). The zero value is an empty dict.
// The decoder produces *Dict.
type Dict struct {
	items []DictItem
	// hkeys are the normalized keys (see hashKey), parallel to items; nil
	// while every key is its own normalized form, as str and int keys are.
	hkeys []any
	// index finds a normalized key's position once the dict is large.
	index *posIndex
}

// NewDict returns an empty Dict with room for n items.
func NewDict(n int) *Dict {
	d := &Dict{}
	d.grow(n)
	return d
}

// Len returns the number of items.
func (d *Dict) Len() int { return len(d.items) }

// grow makes room for n more items, doubling the capacity at least.
func (d *Dict) grow(n int) {
	if n > cap(d.items)-len(d.items) {
		d.items = slices.Grow(d.items, max(n, len(d.items)))
	}
}

// reserve makes room for exactly n more items, and for their keys in the
// index, for a decoder that knows how many are coming.
func (d *Dict) reserve(n int) {
	total := len(d.items) + n
	if total > cap(d.items) {
		d.items = append(make([]DictItem, 0, total), d.items...)
		if d.hkeys != nil {
			d.hkeys = append(make([]any, 0, total), d.hkeys...)
		}
	}
	if total > keyIndexThreshold {
		if d.index == nil {
			d.index = &posIndex{}
		}
		if !d.index.fits(total) {
			d.index.buildFor(d, len(d.items), total)
		}
	}
}

// keyAt returns the normalized key at position i.
func (d *Dict) keyAt(i int) any {
	if d.hkeys == nil {
		return d.items[i].Key
	}
	return d.hkeys[i]
}

// find returns the position of a normalized key, or -1. h is its hash when
// the dict has an index.
func (d *Dict) find(hk any, h uint64) int {
	if d.index != nil {
		return d.index.find(d, hk, h)
	}
	if d.hkeys == nil {
		if s, ok := hk.(string); ok {
			// The commonest small dicts, keyed by str: compared as
			// strings, not through interface equality.
			for i := range d.items {
				if k, ok := d.items[i].Key.(string); ok && k == s {
					return i
				}
			}
			return -1
		}
		for i := range d.items {
			if d.items[i].Key == hk {
				return i
			}
		}
		return -1
	}
	for i, k := range d.hkeys {
		if k == hk {
			return i
		}
	}
	return -1
}

// hash returns the hash of a normalized key if the dict is indexed.
func (d *Dict) hash(hk any) uint64 {
	if d.index == nil {
		return 0
	}
	return hashOf(hk)
}

// add appends a pair whose normalized key, hashing to h, is not present.
func (d *Dict) add(key, hk, value any, h uint64) {
	if d.hkeys == nil && key != hk {
		d.hkeys = make([]any, len(d.items), cap(d.items))
		for i := range d.items {
			d.hkeys[i] = d.items[i].Key
		}
	}
	d.items = append(d.items, DictItem{key, value})
	if d.hkeys != nil {
		d.hkeys = append(d.hkeys, hk)
	}
	switch {
	case d.index == nil && len(d.items) > keyIndexThreshold:
		d.index = &posIndex{}
		d.index.build(d, len(d.items))
	case d.index != nil && d.index.full():
		d.index.build(d, len(d.items))
	case d.index != nil:
		d.index.put(h, len(d.items)-1)
	}
}

// Set sets d[key] = value. It fails only for an unhashable key.
func (d *Dict) Set(key, value any) error {
	hk, err := hashKey(key)
	if err != nil {
		return err
	}
	h := d.hash(hk)
	if i := d.find(hk, h); i >= 0 {
		d.items[i].Value = value
		return nil
	}
	d.add(key, hk, value, h)
	return nil
}

// Get returns d[key] and whether it is present. An unhashable key is absent.
func (d *Dict) Get(key any) (any, bool) {
	hk, err := hashKey(key)
	if err != nil {
		return nil, false
	}
	if i := d.find(hk, d.hash(hk)); i >= 0 {
		return d.items[i].Value, true
	}
	return nil, false
}

// Delete removes key and reports whether it was present.
func (d *Dict) Delete(key any) bool {
	hk, err := hashKey(key)
	if err != nil {
		return false
	}
	i := d.find(hk, d.hash(hk))
	if i < 0 {
		return false
	}
	d.items = slices.Delete(d.items, i, i+1)
	if d.hkeys != nil {
		d.hkeys = slices.Delete(d.hkeys, i, i+1)
	}
	if d.index != nil {
		d.index.build(d, len(d.items))
	}
	return true
}

// Items returns a copy of the items in insertion order.
func (d *Dict) Items() []DictItem {
	return append([]DictItem(nil), d.items...)
}

// Keys returns the keys in insertion order.
func (d *Dict) Keys() []any {
	keys := make([]any, len(d.items))
	for i, it := range d.items {
		keys[i] = it.Key
	}
	return keys
}

// All iterates over the items in insertion order.
func (d *Dict) All() iter.Seq2[any, any] {
	return func(yield func(any, any) bool) {
		for _, it := range d.items {
			if !yield(it.Key, it.Value) {
				return
			}
		}
	}
}

// Set is a Python set with Python's element equality. It keeps insertion
// order, so that encoding what was decoded reproduces the pickle's order. The
// zero value is an empty set. The decoder produces *Set.
type Set struct {
	items []any
	keys  keyIndex
}

// NewSet returns a set of the given items.
func NewSet(items ...any) (*Set, error) {
	s := &Set{}
	for _, it := range items {
		if err := s.Add(it); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// Len returns the number of elements.
func (s *Set) Len() int { return len(s.items) }

// grow makes room for n more elements, doubling the capacity at least.
func (s *Set) grow(n int) {
	if n > cap(s.items)-len(s.items) {
		s.items = slices.Grow(s.items, max(n, len(s.items)))
		s.keys.hkeys = slices.Grow(s.keys.hkeys, max(n, len(s.keys.hkeys)))
	}
}

// Add adds v; adding an element equal to a present one changes nothing. It
// fails only for an unhashable value.
func (s *Set) Add(v any) error {
	hk, err := hashKey(v)
	if err != nil {
		return err
	}
	if s.keys.find(hk) < 0 {
		s.items = append(s.items, v)
		s.keys.add(hk)
	}
	return nil
}

// Contains reports whether v is an element.
func (s *Set) Contains(v any) bool {
	hk, err := hashKey(v)
	return err == nil && s.keys.find(hk) >= 0
}

// Remove removes v and reports whether it was present.
func (s *Set) Remove(v any) bool {
	hk, err := hashKey(v)
	if err != nil {
		return false
	}
	i := s.keys.find(hk)
	if i < 0 {
		return false
	}
	s.items = append(s.items[:i], s.items[i+1:]...)
	s.keys.remove(i)
	return true
}

// Items returns a copy of the elements in insertion order.
func (s *Set) Items() []any { return append([]any(nil), s.items...) }

// All iterates over the elements in insertion order.
func (s *Set) All() iter.Seq[any] {
	return func(yield func(any) bool) {
		for _, v := range s.items {
			if !yield(v) {
				return
			}
		}
	}
}

// FrozenSet is a Python frozenset: an immutable, hashable Set. The decoder
// produces *FrozenSet.
type FrozenSet struct {
	s    Set
	hkey any // its normalized key, once computed: a frozenset never changes
}

// NewFrozenSet returns a frozenset of the given items.
func NewFrozenSet(items ...any) (*FrozenSet, error) {
	f := &FrozenSet{}
	for _, it := range items {
		if err := f.s.Add(it); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// Len returns the number of elements.
func (f *FrozenSet) Len() int { return f.s.Len() }

// Contains reports whether v is an element.
func (f *FrozenSet) Contains(v any) bool { return f.s.Contains(v) }

// Items returns a copy of the elements in insertion order.
func (f *FrozenSet) Items() []any { return f.s.Items() }

// All iterates over the elements in insertion order.
func (f *FrozenSet) All() iter.Seq[any] { return f.s.All() }
