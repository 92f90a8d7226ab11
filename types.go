package pickle

import (
	"fmt"
)

// This file holds the value model: the Go types that decoding into `any`
// produces, one per Python builtin. Mutable Python containers are pointers so
// that a value referenced twice in a pickle is one Go value, and cycles can be
// represented. The package documentation has the full table.

// Tuple is a Python tuple. Tuples are immutable, so a Tuple is a plain slice;
// two references to one Python tuple share one backing array.
type Tuple []any

// List is a Python list. The decoder produces *List, so that every reference to
// one Python list is the same Go value.
type List []any

// ByteArray is a Python bytearray. The decoder produces *ByteArray.
type ByteArray []byte

// Global is a reference to a module-level Python object, such as a class or a
// function, spelled with its module and (possibly dotted) qualified name. The
// decoder produces it only for globals that the allowlist admits.
type Global struct {
	Module string
	Name   string
}

func (g Global) String() string { return g.Module + "." + g.Name }

// CallKind says which opcode created an Object.
type CallKind uint8

const (
	// CallReduce is callable(*args), from REDUCE.
	CallReduce CallKind = iota
	// CallNewObj is cls.__new__(cls, *args), from NEWOBJ.
	CallNewObj
	// CallNewObjEx is cls.__new__(cls, *args, **kwargs), from NEWOBJ_EX.
	CallNewObjEx
	// CallInst is a Python 2 classic instance from INST.
	CallInst
	// CallObj is a Python 2 classic instance from OBJ.
	CallObj
)

var callKindNames = [...]string{"reduce", "newobj", "newobj_ex", "inst", "obj"}

func (k CallKind) String() string {
	if int(k) < len(callKindNames) {
		return callKindNames[k]
	}
	return fmt.Sprintf("CallKind(%d)", k)
}

// Object is the symbolic result of a call the pickle asks for: an instance of a
// class, or the result of a function. Nothing is executed; the Object records
// what Python would have called and everything the pickle then did to the
// result, so that an encoder can write it back and a resolver can interpret it.
type Object struct {
	// Class is what was called: usually a Global, but any value the pickle
	// placed in the callable position.
	Class any
	// Kind says which opcode made the call.
	Kind CallKind
	// Args are the positional arguments.
	Args Tuple
	// Kwargs are the keyword arguments of NEWOBJ_EX; nil otherwise.
	Kwargs *Dict
	// State is the argument of BUILD (Python's __setstate__ argument, or the
	// attribute dict, or a (dict, slots) pair); valid when HasState is set.
	State    any
	HasState bool
	// Setter, when not nil, is the state_setter of a 6-item __reduce__
	// (Python 3.8+): Python applied State by calling Setter(object, State),
	// which the pickle spells as a REDUCE whose result it POPs, instead of
	// with BUILD.
	Setter any
	// ListItems are the items APPEND and APPENDS added (list subclasses).
	ListItems []any
	// DictItems are the pairs SETITEM and SETITEMS added (dict subclasses).
	DictItems []DictItem

	// pending marks a functools.partial of cls.__new__ that the allowlist
	// admits only for the construct NEWOBJ_EX stands for.
	pending bool
}

// PersistentID is a reference to an object stored outside the pickle, as
// Python's persistent_id writes it. The decoder produces it (with
// KeepPersistentIDs or AllowAllGlobals, and no PersistentLoad hook) for
// PERSID and BINPERSID.
type PersistentID struct {
	ID any
}

// PickleBuffer is a protocol 5 buffer, Python's pickle.PickleBuffer: the
// decoder produces it for NEXT_BUFFER (with the data given by the Buffers
// option) and for READONLY_BUFFER applied to a bytearray.
type PickleBuffer struct {
	Data     []byte
	ReadOnly bool
}

// OrderedDict is collections.OrderedDict. Its entries behave as a Dict's.
type OrderedDict struct {
	Dict
	// Attrs are the instance attributes (Python's __dict__ of the
	// OrderedDict, which CPython pickles with BUILD), nil if it has none.
	// Neither Repr nor Python's repr shows them.
	Attrs *Dict
}

// NewOrderedDict returns an empty OrderedDict.
func NewOrderedDict() *OrderedDict { return &OrderedDict{} }

// typeName returns the Python type name of a value of the model, for error
// messages ("list", "NoneType", ...).
func typeName(v any) string {
	switch v := v.(type) {
	case nil:
		return noneType.name
	case Global:
		return v.String()
	case *Object:
		if g, ok := v.Class.(Global); ok {
			return g.String()
		}
		return globalObject.Name
	case *PersistentID:
		return "persistent id"
	}
	if t := typeOf(v); t != nil {
		return t.name
	}
	return fmt.Sprintf("%T", v)
}
