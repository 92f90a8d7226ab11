package pickle

import (
	"reflect"
)

// This file unmarshals into the model's own struct types held by value (a
// Dict field rather than a *Dict): the decoder makes pointers, and a value
// target receives a copy of what the pointer holds, as a List does. The
// copy is built anew, so that two targets filled from one shared Python
// object never share a Go backing array.

// fillModelStruct fills dst, a settable value of one of modelStructTypes,
// from src.
func (u *unmarshaler) fillModelStruct(src any, dst reflect.Value) error {
	v, err := u.modelValue(src)
	if err != nil {
		return err
	}
	var ok bool
	switch p := dst.Addr().Interface().(type) {
	case *Dict:
		*p, ok, err = copyDict(v)
	case *OrderedDict:
		p.Dict, ok, err = copyDict(v)
		if od, isOD := v.(*OrderedDict); isOD {
			p.Attrs = od.Attrs
		}
	case *DefaultDict:
		var d *DefaultDict
		if d, ok = v.(*DefaultDict); ok {
			p.Factory = d.Factory
			p.Dict, ok, err = copyDict(v)
		}
	case *Counter:
		if _, ok = v.(*Counter); ok {
			p.Dict, ok, err = copyDict(v)
		}
	case *Set:
		*p, ok, err = copySet(v)
	case *FrozenSet:
		*p = FrozenSet{}
		p.s, ok, err = copySet(v)
	case *Object:
		var o *Object
		if o, ok = v.(*Object); ok {
			*p = *o
			p.pending = false
		}
	case *Deque:
		var d *Deque
		if d, ok = v.(*Deque); ok {
			*p = Deque{Items: append(List{}, d.Items...), MaxLen: d.MaxLen}
		}
	}
	if err != nil {
		return u.mismatch(src, dst, err)
	}
	if !ok {
		return u.mismatch(src, dst, nil)
	}
	return nil
}

// copyDict returns a new Dict of the items of a dict-like value.
func copyDict(v any) (Dict, bool, error) {
	items, ok := dictItems(v)
	if !ok {
		return Dict{}, false, nil
	}
	var d Dict
	d.reserve(len(items))
	for _, it := range items {
		if err := d.Set(it.Key, it.Value); err != nil {
			return Dict{}, true, err
		}
	}
	return d, true, nil
}

// copySet returns a new Set of the items of a set or frozenset.
func copySet(v any) (Set, bool, error) {
	items, ok := setItems(v)
	if !ok {
		return Set{}, false, nil
	}
	var s Set
	s.grow(len(items))
	for _, it := range items {
		if err := s.Add(it); err != nil {
			return Set{}, true, err
		}
	}
	return s, true, nil
}
