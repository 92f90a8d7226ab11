package pickle

import (
	"math/big"
	"reflect"
)

// This file maps enum.Enum members. CPython pickles a member as a call of its
// class with its value, Color(1) (Enum.__reduce_ex__ returns
// (self.__class__, (self._value_,))), at every protocol, for Enum, IntEnum,
// StrEnum, Flag and mixed-in enums alike. Such a call goes into a Go
// scalar as its value, and into a Go type registered for the class as that
// type holding the value; a registered Go type of a scalar kind is written
// back as the same call.

// enumValue returns the value of what looks like an enum member: a call of a
// class with one scalar argument and nothing else.
func enumValue(o *Object) (any, bool) {
	if o.Kind != CallReduce || len(o.Args) != 1 || o.HasState || len(o.ListItems) > 0 || len(o.DictItems) > 0 ||
		(o.Kwargs != nil && o.Kwargs.Len() > 0) {
		return nil, false
	}
	if _, ok := o.Class.(Global); !ok {
		return nil, false
	}
	switch o.Args[0].(type) {
	case int64, *big.Int, float64, string, bool:
		return o.Args[0], true
	}
	return nil, false
}

// isScalarKind reports whether values of kind k are one Python scalar.
func isScalarKind(k reflect.Kind) bool {
	return k >= reflect.Bool && k <= reflect.Float64 || k == reflect.String
}

// enumMember is how CPython writes a member of the enum class holding
// value: the class called with the value.
func enumMember(class Global, rv reflect.Value) *Object {
	if u := unnamedType(rv.Type()); u != nil {
		rv = rv.Convert(u)
	}
	return &Object{Class: class, Kind: CallReduce, Args: Tuple{rv.Interface()}}
}
