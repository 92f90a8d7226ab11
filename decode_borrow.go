package pickle

import (
	"go/token"
	"reflect"
	"sync"
)

// This file decides when Unmarshal may let the bytes and bytearray objects
// it decodes share the input's memory instead of copying each one: only
// when nothing the caller receives can keep them. A 100 MB numpy array
// unmarshaled into []float64 then costs one pass over its bytes (decoding
// them into the slice), not two (copying the bytes object, then decoding
// it), yet no value the caller holds ever aliases the input, as with
// encoding/json.

// ShareInput lets the values Unmarshal returns share the input's memory:
// bytes and bytearray objects, PickleBuffer data and NDArray data may then
// be slices of the input rather than copies, so that a 100 MB array decodes
// without copying its 100 MB. The caller must neither modify the input
// afterwards nor expect a decoded value's bytes to be its own to modify.
// Without it, as with encoding/json, no decoded value shares the input.
// It applies to Unmarshal only: a Decoder reuses its buffer.
func ShareInput() Option {
	return optionFunc(func(c *config) { c.shareInput = true })
}

// borrowsInput reports whether decoding the bytes input for the target v
// (a pointer, checked by checkTarget) may borrow from the input: v's type
// holds nothing a decoded object can be stored in as it is (an interface,
// this package's types, a type with decoding hooks), and no callback or
// registered class sees the decoded values.
func borrowsInput(cfg *config, v any) bool {
	return unseenDecoding(cfg) && copiesOut(reflect.TypeOf(v).Elem())
}

// unseenDecoding reports that no callback or registered class sees the
// values decoding makes (nor PlainValues, which keeps them): only the
// conversion into the target does.
func unseenDecoding(cfg *config) bool {
	return cfg.persistentLoad == nil && len(cfg.classByName) == 0 && !cfg.plain
}

// copyingTypes caches copiesOut per type.
var copyingTypes sync.Map // reflect.Type -> bool

var (
	pickleTypesPath = reflect.TypeFor[NDArray]().PkgPath()
	initializerType = reflect.TypeFor[Initializer]()
	stateSetterType = reflect.TypeFor[StateSetter]()
)

// copiesOut reports whether converting decoded values into a t copies
// whatever it takes from bytes objects (into numbers, strings, []byte).
func copiesOut(t reflect.Type) bool {
	if v, ok := copyingTypes.Load(t); ok {
		return v.(bool)
	}
	ok := copiesOutWalk(t, map[reflect.Type]bool{})
	copyingTypes.Store(t, ok)
	return ok
}

func copiesOutWalk(t reflect.Type, seen map[reflect.Type]bool) bool {
	if seen[t] {
		return true // a recursive type: its other paths decide
	}
	seen[t] = true
	if t.PkgPath() == pickleTypesPath && token.IsExported(t.Name()) {
		return false // the model's types, stored as they are
	}
	if pt := reflect.PointerTo(t); pt.Implements(initializerType) || pt.Implements(stateSetterType) {
		return false
	}
	switch t.Kind() {
	case reflect.Interface, reflect.Func, reflect.Chan, reflect.UnsafePointer:
		return false
	case reflect.Pointer, reflect.Slice, reflect.Array:
		return copiesOutWalk(t.Elem(), seen)
	case reflect.Map:
		return copiesOutWalk(t.Key(), seen) && copiesOutWalk(t.Elem(), seen)
	case reflect.Struct:
		for i := range t.NumField() {
			if !copiesOutWalk(t.Field(i).Type, seen) {
				return false
			}
		}
	}
	return true
}
