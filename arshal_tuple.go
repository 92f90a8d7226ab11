package pickle

import (
	"fmt"
	"reflect"
)

// This file maps Go structs tagged as tuples to Python tuples, namedtuples
// and typing.NamedTuples, field by position:
//
//	type Metric struct {
//		_     struct{} `pickle:",tuple"`
//		Path  string
//		Point Point // itself a tuple struct
//	}
//
// Such a struct unmarshals from a tuple or list of exactly its number of
// fields, or from an instance built with that many positional arguments (a
// namedtuple: NEWOBJ of its class, or copyreg._reconstructor(cls, tuple,
// items) below protocol 2), and marshals as a tuple, or, when its type is
// registered for a class, as CPython writes a namedtuple of that class.

// positionalItems returns the items of a tuple or list.
func positionalItems(v any) ([]any, bool) {
	switch x := v.(type) {
	case Tuple:
		return x, true
	case *List:
		return *x, true
	}
	return nil, false
}

// fillTupleStruct sets a struct's fields from items, in order.
func (u *unmarshaler) fillTupleStruct(items []any, dst reflect.Value, src any) error {
	fields := cachedFields(dst.Type())
	if len(fields.list) != len(items) {
		return u.mismatch(src, dst, fmt.Errorf("%d items for a struct of %d fields", len(items), len(fields.list)))
	}
	for i, f := range fields.list {
		fv, err := fieldForSet(dst, f.index)
		if err != nil {
			return u.mismatch(src, dst, err)
		}
		if err := u.convert(items[i], fv); err != nil {
			return u.atIndex(err, i)
		}
	}
	return nil
}

// instanceItems returns the items an instance of a tuple subclass was built
// with: its positional arguments, or the tuple that copyreg._reconstructor
// passes to tuple.__new__.
func instanceItems(o *Object, in instance) ([]any, bool) {
	if in.kwargs != nil && in.kwargs.Len() > 0 {
		return nil, false
	}
	if o.Kind == CallReduce && o.Class == any(globalReconstructor) && len(o.Args) == 3 {
		if o.Args[1] != any(globalTuple) {
			return nil, false
		}
		return positionalItems(o.Args[2])
	}
	return in.args, true
}

// tupleStructItems returns a tuple struct's fields as a tuple. A field
// reached through a nil embedded pointer is None.
func tupleStructItems(rv reflect.Value) Tuple {
	fields := cachedFields(rv.Type()).list
	t := make(Tuple, len(fields))
	for i, f := range fields {
		if fv, ok := fieldByIndex(rv, f.index); ok {
			t[i] = fv.Interface()
		}
	}
	return t
}

// namedTupleInstance is how CPython writes an instance of a namedtuple class
// holding items: NEWOBJ of the class with the items as arguments, or below
// protocol 2 copyreg._reconstructor(cls, tuple, items); no state.
func namedTupleInstance(class Global, items Tuple, proto int) *Object {
	if proto < 2 {
		return &Object{Class: globalReconstructor, Args: Tuple{class, globalTuple, items}}
	}
	return &Object{Class: class, Kind: CallNewObj, Args: items}
}
