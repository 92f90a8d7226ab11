package pickle

import (
	"fmt"
	"reflect"
	"strings"
)

// This file holds the hooks through which Go types take part in pickling, the
// way Python classes do with __reduce__, __getstate__ and __setstate__, and
// the class registry that binds Python classes to Go types.
//
// Which hook wins is documented on Marshal (encoding), Unmarshal (decoding)
// and RegisterClass, and pinned by the TestHookPrecedence tests.

// A Reducer controls how its value is pickled, as Python's __reduce__: the
// returned Object names the callable (or class, for NEWOBJ), its arguments,
// and optionally the state, list items and dict items.
type Reducer interface {
	PickleReduce() (*Object, error)
}

// A StateGetter supplies the state written for an instance of a registered
// class, as Python's __getstate__.
type StateGetter interface {
	PickleGetState() (any, error)
}

// A StateSetter takes the state of a decoded instance, as Python's
// __setstate__: the place to read old versions of a class.
type StateSetter interface {
	PickleSetState(state any) error
}

// An Initializer takes the arguments of the call that built a decoded
// instance (REDUCE, NEWOBJ, NEWOBJ_EX, INST or OBJ).
type Initializer interface {
	PickleInit(args Tuple, kwargs *Dict) error
}

// ClassFuncs are the hooks of a registered class, as functions, for Go types
// whose methods you cannot add. A nil field falls back to the type's methods,
// then to the default.
type ClassFuncs struct {
	// Reduce says how to pickle v (a value of the registered type).
	Reduce func(v any) (*Object, error)
	// GetState returns the state to write for v.
	GetState func(v any) (any, error)
	// Init takes constructor arguments; ptr points to the value being
	// decoded.
	Init func(ptr any, args Tuple, kwargs *Dict) error
	// SetState takes the state; ptr points to the value being decoded.
	SetState func(ptr any, state any) error
}

// classInfo is one registered class.
type classInfo struct {
	global Global
	typ    reflect.Type // the Go type; values are stored as this type
	funcs  ClassFuncs
}

// RegisterClass binds the Python class named "module.QualName" to the type
// of prototype, both ways: decoding an instance of the class yields that
// type, filled from the instance's state, and encoding a value of the type
// writes an instance Python rebuilds as the class, with its fields as the
// instance's attributes. The class is admitted by the allowlist.
//
// The prototype's type is the Go type used: RegisterClass("app.Point",
// Point{}) decodes instances into `any` as Point values, and
// RegisterClass("app.Point", &Point{}) as *Point. Either way, a Point and a
// *Point both encode as app.Point.
//
// Two kinds of types follow their Python shape instead of instance state: a
// struct tagged `pickle:",tuple"` is a namedtuple, built from its fields in
// order; a type of a scalar kind (type Color int, type Mode string) is an
// enum.Enum class, whose members are the class called with their value,
// Color(1), as CPython writes them. A struct with a blank field tagged
// `pickle:",slots"` is a class with __slots__ (a dataclass(slots=True)),
// whose state is written as the (None, slots) pair CPython writes.
//
// Hooks: a value of the type is encoded through ClassFuncs.Reduce, else as
// an instance whose state comes from ClassFuncs.GetState, else from a
// PickleGetState method, else from its fields; a PickleReduce method or the
// PersistentIDFunc option, when given, comes before all of them. An
// instance is decoded through ClassFuncs.Init, else a PickleInit method,
// for its arguments, and ClassFuncs.SetState, else a PickleSetState method,
// else its fields, for its state. Marshal and Unmarshal give the full order.
//
// One Go type registered for two classes is an error, as Marshal could write
// only one, and so is one class registered for two Go types, as Unmarshal
// could build only one. To read a class under an old name too, see FindClass.
func RegisterClass(class string, prototype any) Option {
	return RegisterClassFuncs(class, prototype, ClassFuncs{})
}

// RegisterClassFuncs is RegisterClass with hook functions.
func RegisterClassFuncs(class string, prototype any, funcs ClassFuncs) Option {
	return optionFunc(func(c *config) {
		module, name, ok := splitClassName(class)
		if !ok {
			c.fail(fmt.Errorf("pickle: RegisterClass(%q): want \"module.QualName\"", class))
			return
		}
		t := reflect.TypeOf(prototype)
		if t == nil {
			c.fail(fmt.Errorf("pickle: RegisterClass(%q): nil prototype", class))
			return
		}
		info := &classInfo{global: Global{module, name}, typ: t, funcs: funcs}
		base := baseType(t)
		if prev := c.classByType[base]; prev != nil && prev.global != info.global {
			// Marshal could write only one of them.
			c.fail(fmt.Errorf("pickle: RegisterClass(%q): %s is already registered for %s", class, base, prev.global))
			return
		}
		if prev := c.classByName[module+"."+name]; prev != nil && prev.global == info.global && baseType(prev.typ) != base {
			// Unmarshal could build only one of them.
			c.fail(fmt.Errorf("pickle: RegisterClass(%q): the class is already registered for %s", class, baseType(prev.typ)))
			return
		}
		byName, byType := owned(&c.classByName, &c.ownByName), owned(&c.classByType, &c.ownByType)
		byName[module+"."+name] = info
		byType[base] = info
		byType[reflect.PointerTo(base)] = info
	})
}

// baseType is t, or the type t points to: a class registered with T or *T
// binds both.
func baseType(t reflect.Type) reflect.Type {
	if t.Kind() == reflect.Pointer {
		return t.Elem()
	}
	return t
}

// splitClassName splits "module.QualName", or "module:QualName" for an
// explicit split. Module names can be dotted too, so without a colon the split
// is before the first capitalized component, or else at the last dot.
func splitClassName(s string) (module, name string, ok bool) {
	if m, n, found := strings.Cut(s, ":"); found {
		return m, n, m != "" && n != ""
	}
	parts := strings.Split(s, ".")
	if len(parts) < 2 {
		return "", "", false
	}
	for _, p := range parts {
		if p == "" {
			return "", "", false
		}
	}
	for i := 1; i < len(parts); i++ {
		if r := parts[i][0]; r >= 'A' && r <= 'Z' {
			return strings.Join(parts[:i], "."), strings.Join(parts[i:], "."), true
		}
	}
	return strings.Join(parts[:len(parts)-1], "."), parts[len(parts)-1], true
}

// classOf returns the registered class of a global.
func (c *config) classOf(g Global) *classInfo {
	if len(c.classByName) == 0 {
		return nil
	}
	return c.classByName[g.Module+"."+g.Name]
}
