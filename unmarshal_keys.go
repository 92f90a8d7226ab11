package pickle

import (
	"fmt"
	"reflect"
	"sync"
)

// This file makes Python dict keys into Go map keys. Python hashes tuples
// and bytes; Go cannot hash the slices that stand for them in the model, and
// reflect.Value.SetMapIndex panics on them. In a map keyed by an interface
// type (map[any]T), or in an interface slot of an array or struct key, a
// tuple key becomes an array [N]any of its items and a bytes key becomes a
// BytesKey: comparable Go values that Marshal writes back as the same tuple
// and bytes. A key Go still cannot hash is an *UnmarshalTypeError naming it.

// BytesKey is a Python bytes value where Go needs a comparable one: a key of
// a Go map keyed by an interface type, or an item of such a key's tuple
// ([N]any). Marshal writes it as bytes.
type BytesKey string

// maxTupleKeyLen bounds the tuples that become [N]any keys: each length is a
// Go type that lives as long as the program, so an input must not be able to
// make new ones without end. A longer tuple key is an UnmarshalTypeError;
// decode such a dict into a *Dict.
const maxTupleKeyLen = 32

var tupleKeyTypes [maxTupleKeyLen + 1]reflect.Type

func init() {
	anyType := reflect.TypeFor[any]()
	for n := range tupleKeyTypes {
		tupleKeyTypes[n] = reflect.ArrayOf(n, anyType)
	}
}

// comparableKey returns the comparable Go form of a Python key of the model
// for an interface slot of a Go map key, and false for a tuple too long for
// one.
func comparableKey(v any) (any, bool) {
	switch x := v.(type) {
	case Tuple:
		if len(x) > maxTupleKeyLen {
			return nil, false
		}
		arr := reflect.New(tupleKeyTypes[len(x)]).Elem()
		for i, it := range x {
			k, ok := comparableKey(it)
			if !ok {
				return nil, false
			}
			if k != nil {
				arr.Index(i).Set(reflect.ValueOf(k))
			}
		}
		return arr.Interface(), true
	case []byte:
		return BytesKey(x), true
	}
	return v, true
}

// keyMayPanic caches, per map key type, whether a value of it can hold what
// Go cannot hash: an interface, directly or inside an array or struct.
var keyMayPanic sync.Map // reflect.Type -> bool

func keyTypeMayPanic(t reflect.Type) bool {
	return cachedPerType(&keyMayPanic, t, func(t reflect.Type) bool {
		switch t.Kind() {
		case reflect.Interface:
			return true
		case reflect.Array:
			return keyTypeMayPanic(t.Elem())
		case reflect.Struct:
			for i := range t.NumField() {
				if keyTypeMayPanic(t.Field(i).Type) {
					return true
				}
			}
		}
		return false
	})
}

// mapKey converts a dict key into dst, a settable value of a map's key type.
func (u *unmarshaler) mapKey(src any, dst reflect.Value) error {
	if !keyTypeMayPanic(dst.Type()) {
		return u.convertKey(src, dst)
	}
	u.inKey++
	err := u.convertKey(src, dst)
	u.inKey--
	if err == nil && !dst.Comparable() {
		// A registered class's Go value with a slice or map field, say.
		err = u.mismatch(src, dst, fmt.Errorf("the key %s becomes a Go value that cannot be hashed; decode the dict into a *pickle.Dict", truncateForError(Repr(src))))
	}
	return err
}

// keyValue is what an interface slot of a map key receives for a value of
// the model: its comparable form.
func (u *unmarshaler) keyValue(src any, dst reflect.Value) (any, error) {
	k, ok := comparableKey(src)
	if !ok {
		return nil, u.mismatch(src, dst, fmt.Errorf("a tuple key of over %d items cannot be a Go map key; decode the dict into a *pickle.Dict", maxTupleKeyLen))
	}
	return k, nil
}
