package pickle

import (
	"math/big"
	"reflect"
)

// This file is the builtin types' rows: the globals CPython's pickles of
// builtin data use (and their Python 2 spellings), what the decoder
// evaluates for them, and their Go types. Their encoding, hashing and repr
// are the fast paths of the encoder, hashKey and the printer.

// builtinsModule is the module of the builtins in Python 3.
const builtinsModule = "builtins"

// The builtin globals the package writes or recognizes by name.
var (
	globalSet       = Global{builtinsModule, "set"}
	globalFrozenSet = Global{builtinsModule, "frozenset"}
	globalByteArray = Global{builtinsModule, "bytearray"}
	globalBytes     = Global{builtinsModule, "bytes"}
	globalComplex   = Global{builtinsModule, "complex"}
	globalInt       = Global{builtinsModule, "int"}
	globalFloat     = Global{builtinsModule, "float"}
	globalStr       = Global{builtinsModule, "str"}
	globalList      = Global{builtinsModule, "list"}
	globalDict      = Global{builtinsModule, "dict"}
	globalTuple     = Global{builtinsModule, "tuple"}
	globalRange     = Global{builtinsModule, "range"}
	globalSlice     = Global{builtinsModule, "slice"}
	globalObject    = Global{builtinsModule, "object"}
	// _codecs.encode(str, 'latin1') is how Python 3 writes bytes below
	// protocol 3.
	globalCodecsEncode = Global{"_codecs", "encode"}
	// Python 2 spellings, admitted by the allowlist. Below protocol 3 the
	// decoder maps them to Python 3's first (fixImports).
	py2ByteArray = Global{"__builtin__", "bytearray"}
	py2XRange    = Global{"__builtin__", "xrange"}
)

// py2 is a builtin's Python 2 spelling.
func py2(name string) ctor { return ctor{global: Global{"__builtin__", name}} }

// Rows of the builtin types whose names other files print.
var (
	noneType         *pyType
	pickleBufferType *pyType
)

func init() {
	noneType = registerType(&pyType{name: "NoneType"})
	registerType(&pyType{
		name:    "bool",
		goTypes: []reflect.Type{reflect.TypeFor[bool]()},
		direct:  true,
	})
	registerType(&pyType{
		name:    "int",
		ctors:   []ctor{{global: globalInt, call: callInt}, py2("int"), py2("long")},
		allowed: true,
		goTypes: []reflect.Type{
			reflect.TypeFor[int64](), reflect.TypeFor[int](), reflect.TypeFor[int32](),
			reflect.TypeFor[int16](), reflect.TypeFor[int8](), reflect.TypeFor[uint64](),
			reflect.TypeFor[uint](), reflect.TypeFor[uint32](), reflect.TypeFor[uint16](),
			reflect.TypeFor[uint8](), reflect.TypeFor[*big.Int](),
		},
		direct: true,
	})
	registerType(&pyType{
		name:    "float",
		ctors:   []ctor{{global: globalFloat, call: callFloat}, py2("float")},
		allowed: true,
		goTypes: []reflect.Type{reflect.TypeFor[float64](), reflect.TypeFor[float32]()},
		direct:  true,
	})
	registerType(&pyType{
		name:    "complex",
		ctors:   []ctor{{global: globalComplex, call: callComplex}, py2("complex")},
		allowed: true,
		goTypes: []reflect.Type{reflect.TypeFor[complex128](), reflect.TypeFor[complex64]()},
		direct:  true,
	})
	registerType(&pyType{
		name:    "str",
		ctors:   []ctor{{global: globalStr, call: callStr}, py2("str"), py2("unicode")},
		allowed: true,
		goTypes: []reflect.Type{reflect.TypeFor[string]()},
		direct:  true,
	})
	registerType(&pyType{
		name: "bytes",
		ctors: []ctor{{global: globalBytes, call: callBytes, notPlain: codecNotPlain}, py2("bytes"),
			{global: globalCodecsEncode, call: callCodecsEncode, notPlain: codecsEncodeNotPlain}},
		allowed: true,
		// BytesKey (a bytes dict key in a Go map) is a model type: see
		// modelTypes.
		goTypes: []reflect.Type{reflect.TypeFor[[]byte](), reflect.TypeFor[BytesKey]()},
		direct:  true,
	})
	registerType(&pyType{
		name: "bytearray",
		ctors: []ctor{{global: globalByteArray, call: callByteArray, notPlain: codecNotPlain},
			{global: py2ByteArray, notPlain: codecNotPlain}},
		allowed: true,
		goTypes: []reflect.Type{reflect.TypeFor[*ByteArray]()},
	})
	registerType(&pyType{
		name:    "list",
		ctors:   []ctor{{global: globalList, call: callList}, py2("list")},
		allowed: true,
		goTypes: []reflect.Type{reflect.TypeFor[*List]()},
	})
	registerType(&pyType{
		name:    "tuple",
		ctors:   []ctor{{global: globalTuple, call: callTuple}, py2("tuple")},
		allowed: true,
		goTypes: []reflect.Type{reflect.TypeFor[Tuple]()},
	})
	registerType(&pyType{
		name:    "dict",
		ctors:   []ctor{{global: globalDict, call: callDict}, py2("dict")},
		allowed: true,
		goTypes: []reflect.Type{reflect.TypeFor[*Dict]()},
		byValue: true,
	})
	registerType(&pyType{
		name:    "set",
		ctors:   []ctor{{global: globalSet, call: callSet}, py2("set")},
		allowed: true,
		goTypes: []reflect.Type{reflect.TypeFor[*Set]()},
		byValue: true,
	})
	registerType(&pyType{
		name:    "frozenset",
		ctors:   []ctor{{global: globalFrozenSet, call: callFrozenSet}, py2("frozenset")},
		allowed: true,
		goTypes: []reflect.Type{reflect.TypeFor[*FrozenSet]()},
		byValue: true,
	})
	// range and slice stay symbolic *Objects (notPlain bounds a range's
	// length); object is what copyreg._reconstructor names as the base.
	registerType(&pyType{
		name:    "range",
		ctors:   []ctor{{global: globalRange}, py2("range"), {global: py2XRange}},
		allowed: true,
	})
	registerType(&pyType{
		name:    "slice",
		ctors:   []ctor{{global: globalSlice}, py2("slice")},
		allowed: true,
	})
	registerType(&pyType{
		name:    "object",
		ctors:   []ctor{{global: globalObject}, py2("object")},
		allowed: true,
	})
	// pickle.PickleBuffer is what NEXT_BUFFER pushes (protocol 5).
	pickleBufferType = registerType(&pyType{
		name:    "pickle.PickleBuffer",
		goTypes: []reflect.Type{reflect.TypeFor[*PickleBuffer]()},
	})
}

// codecsEncodeNotPlain: _codecs.encode is plain data only with latin1, as
// CPython writes bytes at protocols 0 to 2; other codecs run other code
// (punycode's encoder is quadratic). Without arguments, or with a codec
// that is not a str, CPython fails before any codec runs.
func codecsEncodeNotPlain(args Tuple) string {
	enc, ok := "utf-8", len(args) == 1 // the default codec
	if len(args) >= 2 {
		enc, ok = args[1].(string)
	}
	if ok && codecNamed(enc) != codecLatin1 {
		return "only " + globalCodecsEncode.String() + "(text, 'latin1') is plain data (what CPython writes)"
	}
	return ""
}

// codecNotPlain: bytes(text, codec) and bytearray(text, codec) are plain
// data only with the linear codecs the model evaluates (latin1, utf-8,
// ascii).
func codecNotPlain(args Tuple) string {
	if len(args) >= 2 {
		if enc, ok := args[1].(string); ok && codecNamed(enc) == codecOther {
			return "encodes with a codec other than latin1, utf-8 or ascii"
		}
	}
	return ""
}
