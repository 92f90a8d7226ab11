package pickle

import (
	"encoding/hex"
	"math/big"
	"reflect"
)

// This file is uuid.UUID, held as UUID. CPython pickles a UUID as
// UUID.__new__(UUID) and BUILD with the state {'int': n}.

// UUID is a uuid.UUID: its 16 bytes, most significant first (the order of
// the uuid's hex digits and of Python's UUID.bytes).
type UUID [16]byte

// String returns the canonical form "12345678-1234-5678-1234-567812345678".
func (u UUID) String() string {
	var b [36]byte
	hex.Encode(b[0:8], u[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], u[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], u[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], u[8:10])
	b[23] = '-'
	hex.Encode(b[24:], u[10:])
	return string(b[:])
}

var globalUUID = Global{"uuid", "UUID"}

func init() {
	registerType(&pyType{
		name:       "uuid.UUID",
		ctors:      []ctor{{global: globalUUID, build: buildUUID}},
		allowed:    true,
		goTypes:    []reflect.Type{reflect.TypeFor[UUID]()},
		reduce:     reduceUUIDValue,
		plain:      func(v any) any { return v.(UUID).String() },
		hashKey:    uuidKey,
		repr:       appendUUIDRepr,
		objectRepr: appendUUIDObjectRepr,
	})
}

func reduceUUIDValue(v any, proto int, exactTime bool) (*Object, any, error) {
	return reduceUUID(v.(UUID), proto), v, nil
}

// uuidKey: a UUID equals UUIDs only.
func uuidKey(v any) (any, bool, error) {
	x := v.(UUID)
	return stdKey("u" + string(x[:])), true, nil
}

func appendUUIDRepr(p *reprPrinter, dst []byte, v any, depth int) ([]byte, bool) {
	return append(append(append(dst, "UUID('"...), v.(UUID).String()...), "')"...), true
}

// appendUUIDObjectRepr shows a UUID that stays symbolic (pickled with
// is_safe, which UUID has no place for) by its int, as Python's repr does.
func appendUUIDObjectRepr(p *reprPrinter, dst []byte, o *Object, depth int) ([]byte, bool) {
	if !(o.HasState && len(o.Args) == 0 && o.Kind == CallNewObj && o.Class == any(globalUUID) ||
		o.HasState && o.Kind == CallReduce && o.Class == any(globalReconstructor) && len(o.Args) == 3 &&
			o.Args[0] == any(globalUUID) && o.Args[1] == any(globalObject) && o.Args[2] == nil) {
		return dst, false
	}
	d, ok := o.State.(*Dict)
	if !ok {
		return dst, false
	}
	v, _ := d.Get("int")
	n, ok := intValue(v)
	if !ok || n.Sign() < 0 || n.BitLen() > 128 {
		return dst, false
	}
	var u UUID
	n.FillBytes(u[:])
	return appendUUIDRepr(p, dst, u, depth)
}

// buildUUID completes uuid.UUID.__new__(UUID) with its state {'int': n}.
// A state with is_safe (what uuid1() gives on most systems) stays symbolic:
// UUID has no place for it.
func buildUUID(state any) (any, bool, error) {
	d, ok := state.(*Dict)
	if !ok || d.Len() != 1 {
		return nil, false, nil
	}
	switch k := d.items[0].Key.(type) {
	case string:
		ok = k == "int"
	case []byte:
		ok = string(k) == "int" // a Python 2 str with Encoding("bytes")
	default:
		ok = false
	}
	n, isInt := intValue(d.items[0].Value)
	if _, isBool := d.items[0].Value.(bool); isBool {
		isInt = false
	}
	if !ok || !isInt || n.Sign() < 0 || n.BitLen() > 128 {
		return nil, false, nil
	}
	var u UUID
	n.FillBytes(u[:])
	return u, true, nil
}

// reduceUUID is what object.__reduce_ex__ makes of a UUID: UUID.__new__(UUID)
// with the state {'int': n}, spelled copyreg._reconstructor(UUID, object,
// None) below protocol 2.
func reduceUUID(u UUID, proto int) *Object {
	state := NewDict(1)
	_ = state.Set("int", bigOrInt64(new(big.Int).SetBytes(u[:])))
	if proto < 2 {
		return &Object{Class: globalReconstructor, Args: Tuple{globalUUID, globalObject, nil}, State: state, HasState: true}
	}
	return &Object{Class: globalUUID, Kind: CallNewObj, Args: emptyTupleValue, State: state, HasState: true}
}
