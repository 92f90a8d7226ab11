package pickle

import (
	"fmt"
	"math/big"
	"reflect"
	"runtime"
)

// This file is the table of Python types: what the package knows of each
// Python type whose values have a Go value of their own, one row per type,
// as opcodes.go is one row per opcode. The decode machine, the typed
// mapping, the encoder, the scanner and the printer look rows up (after
// their fast paths for the builtin types); no other file lists type names.
//
// Adding a Python type (or a family, such as numpy's) is a new file of rows
// and nothing else:
//
//  1. Define the Go type that holds its values (or pick an existing one).
//  2. Declare its globals, with every spelling CPython may write (Python 2
//     names, old and new module paths), as package variables in that file,
//     and say whether the default allowlist admits them: only when
//     evaluating the call builds plain data and runs no code of consequence
//     in Python either.
//  3. Register a pyType in an init function: how a call (ctor.call) or a
//     BUILD (ctor.build, or ctor.buildRaw when the loader reads on past
//     BUILD, as joblib's does) of a global makes the Go value; how the Go
//     value reduces back to the call CPython writes (reduce); its hash
//     key, key cost and repr when it has them.
//  4. Add samples of it to testdata/gen_types.py (DEBIAN_SAMPLES for a
//     third-party package's types, pickled by Debian's python3 with the
//     package): TestTypeTable then checks the row against CPython at
//     every protocol.

// pyType is one Python type.
type pyType struct {
	// name is the type's Python name as typeName and error messages give
	// it ("int", "collections.OrderedDict", "decimal.Decimal").
	name string
	// ctors are the globals the type answers to, each with how the
	// decoder evaluates it. The first is the one the encoder writes.
	ctors []ctor
	// allowed says whether the default allowlist admits every global in
	// ctors.
	allowed bool
	// goTypes are the Go types of its values as the decoder puts them in
	// an `any` (the first) and as Marshal accepts them.
	goTypes []reflect.Type
	// byValue marks a pointer type in goTypes whose struct Marshal and
	// Unmarshal treat by value as the pointer (a Set is a *Set), never as
	// a Go struct of its fields.
	byValue bool
	// direct says whether the typed direct decoder may fill its Go types
	// by their kind; when false, they are left to the general path.
	direct bool
	// reduce returns how CPython reduces a Go value of the type at a
	// protocol, and the value's memo identity; nil when the encoder
	// writes the type itself (the builtins).
	reduce func(v any, proto int, exactTime bool) (o *Object, key any, err error)
	// hashKey returns the value's dict key (see hashKey); handled=false
	// or a nil hashKey falls through to hashKey's generic rules, and
	// unhashable(name) refuses every value.
	hashKey func(v any) (key any, handled bool, err error)
	// keyCost estimates the work of hashing a value as a key, in bytes;
	// nil means 1.
	keyCost func(v any) int
	// repr appends Python's repr of a value; ok=false when the value has
	// none (the printer then shows it generically).
	repr func(p *reprPrinter, dst []byte, v any, depth int) (out []byte, ok bool)
	// sequence and mapping return the items of a value that Unmarshal
	// and Plain take as a list or as a dict (a deque, a Counter), after
	// their fast paths for the builtins.
	sequence func(v any) []any
	mapping  func(v any) []DictItem
	// plain returns the value's Plain view when it is not the value
	// itself (a date's str()).
	plain func(v any) any
	// objectRepr appends Python's repr of a symbolic *Object whose class
	// is one of ctors, for the values that stay calls (a datetime with
	// fold=1, say).
	objectRepr func(p *reprPrinter, dst []byte, o *Object, depth int) (out []byte, ok bool)

	file string // where the row is registered (TestTypeTable reads it)
}

// ctor is one global a Python type answers to.
type ctor struct {
	global Global
	// call evaluates a call of the global (REDUCE, NEWOBJ, INST, OBJ);
	// nil leaves it symbolic.
	call builtinCall
	// build turns a bare instance of the global that BUILD completes into
	// the type's value; nil when BUILD does not apply.
	build builtinBuild
	// buildRaw, for a class whose loader reads on past BUILD (joblib's
	// NumpyArrayWrapper: the array's bytes follow its BUILD in the
	// stream), makes the value from the state and the input after BUILD.
	buildRaw rawBuild
	// notPlain says why a call of the global with these arguments is not
	// plain data in Python (it would allocate what the pickle asks), or
	// ""; nil when every call is (see notPlain).
	notPlain func(args Tuple) string
}

// builtinCall evaluates a call. It returns handled=false when the arguments
// are not a form it knows; the call then stays symbolic.
type builtinCall func(args Tuple, kind CallKind) (v any, handled bool, err error)

// builtinBuild turns an object that BUILD completes into a value of the
// model (uuid.UUID is NEWOBJ, then BUILD with its state).
type builtinBuild func(state any) (v any, handled bool, err error)

// The table and its indexes, filled by registerType from init functions
// and read-only after.
var (
	pyTypes       []*pyType
	typeByGo      = map[reflect.Type]*pyType{}
	typeByGlobal  = map[Global]*pyType{}
	builtinCalls  = map[Global]builtinCall{}
	builtinBuilds = map[Global]builtinBuild{}
	rawBuilds     = map[Global]rawBuild{}
	plainChecks   = map[Global]func(args Tuple) string{}
	// defaultAllowed lists the globals admitted without options.
	defaultAllowed = map[string]bool{}
	// defaultOwners are the classes that hold a nested name defaultAllowed
	// admits (zoneinfo.ZoneInfo for zoneinfo.ZoneInfo._unpickle): what
	// getattr(owner, name) may fold into it starts from them.
	defaultOwners = map[Global]bool{}
)

// registerType adds a row to the table. Two rows claiming one global or one
// Go type is a programming error.
func registerType(t *pyType) *pyType {
	if _, file, _, ok := runtime.Caller(1); ok {
		t.file = file
	}
	for _, c := range t.ctors {
		if prev := typeByGlobal[c.global]; prev != nil {
			panic(fmt.Sprintf("pickle: %s is claimed by %s and %s", c.global, prev.name, t.name))
		}
		typeByGlobal[c.global] = t
		if c.call != nil {
			builtinCalls[c.global] = c.call
		}
		if c.build != nil {
			builtinBuilds[c.global] = c.build
		}
		if c.buildRaw != nil {
			rawBuilds[c.global] = c.buildRaw
		}
		if c.notPlain != nil {
			plainChecks[c.global] = c.notPlain
		}
		if t.allowed {
			defaultAllowed[c.global.String()] = true
			for i, r := range c.global.Name {
				if r == '.' {
					defaultOwners[Global{c.global.Module, c.global.Name[:i]}] = true
				}
			}
		}
	}
	for _, gt := range t.goTypes {
		if prev := typeByGo[gt]; prev != nil {
			panic(fmt.Sprintf("pickle: Go type %s is claimed by %s and %s", gt, prev.name, t.name))
		}
		typeByGo[gt] = t
		if gt.Kind() != reflect.Pointer && t.reduce != nil {
			reducedValueTypes[gt] = true
		}
		if t.byValue && gt.Kind() == reflect.Pointer {
			modelStructTypes[gt.Elem()] = true
		}
		if !t.direct {
			if gt.Kind() == reflect.Pointer {
				modelTypes[gt.Elem()] = true
			} else {
				modelTypes[gt] = true
			}
		}
	}
	pyTypes = append(pyTypes, t)
	return t
}

// allowGlobal admits a global that is protocol machinery rather than a
// type (copyreg._reconstructor, say) to the default allowlist.
func allowGlobal(g Global) { defaultAllowed[g.String()] = true }

// typeOf returns the row of a Go value's type, or nil.
func typeOf(v any) *pyType {
	if v == nil {
		return nil
	}
	return typeByGo[reflect.TypeOf(v)]
}

// global returns the global the encoder writes for the type.
func (t *pyType) global() Global { return t.ctors[0].global }

// The Go types the rows fill in, for the typed paths.
var (
	// reducedValueTypes are the value (non-pointer) Go types with a reduce,
	// which encode through it rather than as structs or arrays.
	reducedValueTypes = map[reflect.Type]bool{}
	// modelStructTypes are the model's struct types, which Marshal and
	// Unmarshal treat by value as the pointers the decoder makes: never as
	// Go structs of their fields.
	modelStructTypes = map[reflect.Type]bool{reflect.TypeFor[Object](): true}
	// modelTypes are the value model's types: the general path stores
	// decoded values of these types as they are, sharing them, and the
	// direct decoder leaves them to it.
	// Besides the rows' types: Python values that are no type of their
	// own in Go (a global, a call, a persistent id, a dict item), and
	// BytesKey, a bytes dict key in a Go map.
	modelTypes = map[reflect.Type]bool{
		reflect.TypeFor[Global]():       true,
		reflect.TypeFor[Object]():       true,
		reflect.TypeFor[PersistentID](): true,
		reflect.TypeFor[DictItem]():     true,
		reflect.TypeFor[BytesKey]():     true,
	}
)

// reduceValue returns how CPython reduces v when its type has a row with a
// reduce: ok=false otherwise.
func reduceValue(v any, proto int, exactTime bool) (o *Object, key any, ok bool, err error) {
	t := typeOf(v)
	if t == nil || t.reduce == nil {
		return nil, nil, false, nil
	}
	o, key, err = t.reduce(v, proto, exactTime)
	return o, key, true, err
}

// rowHashKey returns the dict key of a value whose row knows it: ok=false
// when no row does.
func rowHashKey(v any) (key any, ok bool, err error) {
	t := typeOf(v)
	if t == nil {
		return nil, false, nil
	}
	if t.hashKey == nil {
		return nil, false, nil
	}
	return t.hashKey(v)
}

// unhashable is the hashKey of a type Python cannot hash, by the name
// Python's error gives it.
func unhashable(name string) func(any) (any, bool, error) {
	return func(any) (any, bool, error) { return nil, true, &UnhashableError{name} }
}

// rowSequence returns the items of a value whose row takes it as a list.
func rowSequence(v any) ([]any, bool) {
	if t := typeOf(v); t != nil && t.sequence != nil {
		return t.sequence(v), true
	}
	return nil, false
}

// rowMapping returns the items of a value whose row takes it as a dict.
func rowMapping(v any) ([]DictItem, bool) {
	if t := typeOf(v); t != nil && t.mapping != nil {
		return t.mapping(v), true
	}
	return nil, false
}

// hasIdentity reports whether v is a model value with an identity of its
// own: a pointer the decoder makes, which Python code could mutate.
func hasIdentity(v any) bool {
	t := typeOf(v)
	return t != nil && !t.direct && reflect.TypeOf(v).Kind() == reflect.Pointer
}

// rowKeyCost is keyCost for values with a row.
func rowKeyCost(v any) int {
	if t := typeOf(v); t != nil && t.keyCost != nil {
		return t.keyCost(v)
	}
	return 1
}

// appendRowRepr appends Python's repr of a value whose row has one.
func appendRowRepr(p *reprPrinter, dst []byte, v any, depth int) ([]byte, bool) {
	if o, ok := v.(*Object); ok {
		g, ok := o.Class.(Global)
		if !ok || o.Kwargs != nil || len(o.ListItems) != 0 || len(o.DictItems) != 0 || o.Setter != nil {
			return dst, false
		}
		if g == globalReconstructor && len(o.Args) == 3 {
			// copyreg._reconstructor(cls, object, None): cls's instance.
			if cls, ok := o.Args[0].(Global); ok {
				g = cls
			}
		}
		if t := typeByGlobal[g]; t != nil && t.objectRepr != nil {
			return t.objectRepr(p, dst, o, depth)
		}
		return dst, false
	}
	if t := typeOf(v); t != nil && t.repr != nil {
		return t.repr(p, dst, v, depth)
	}
	return dst, false
}

// handledIf reports a converted value, or leaves the call symbolic.
func handledIf(v any, ok bool) (any, bool, error) {
	if !ok {
		return nil, false, nil
	}
	return v, true, nil
}

// intValue returns a Python int (or bool) as a big.Int.
func intValue(v any) (*big.Int, bool) {
	switch x := v.(type) {
	case int64:
		return big.NewInt(x), true
	case *big.Int:
		return x, true
	case bool:
		return big.NewInt(int64(boolToInt(x))), true
	}
	return nil, false
}

// stdKey is the normalized dict key of the values that equal nothing
// outside their own type, and of exact fractions that are neither ints nor
// floats. The first byte says what it is.
type stdKey string
