package pickle

import (
	"math"
	"strconv"
	"strings"
)

// This file is numpy's dtype as a Go value: what numpy.dtype(typestr, align,
// copy) followed by BUILD with dtype.__reduce__'s state makes (descriptor.c,
// arraydescr_reduce and arraydescr_setstate), and its dtype.str spelling.

// Dtype is a numpy dtype of a plain (not structured) array: the kind of its
// elements, their byte order and their size.
type Dtype struct {
	// Kind is numpy's dtype.kind: 'b' bool, 'i' signed int, 'u' unsigned
	// int, 'f' float, 'c' complex, 'U' unicode (UTF-32), 'S' bytes, 'V'
	// raw void, 'O' Python object, 'M' datetime64, 'm' timedelta64; and
	// 'B' for PyTorch's bfloat16, which numpy has no kind for
	// (torch_tensor.go).
	Kind byte
	// Order is '<' (little-endian), '>' (big-endian) or '|' (byte order
	// does not apply: one-byte kinds, S, V and O).
	Order byte
	// Size is dtype.itemsize, in bytes (a U element of n characters is
	// 4n bytes).
	Size int
	// Unit and Count are a datetime64 or timedelta64's unit: "ns" and 1
	// for M8[ns], "ms" and 10 for m8[10ms]; "" for the generic unit and
	// for every other kind.
	Unit  string
	Count int
}

// String returns numpy's dtype.str: "<f8", "|b1", "<U5", "|S3", "<M8[ns]",
// "|O"; bfloat16, which numpy lacks, is "<bfloat16".
func (d Dtype) String() string {
	if d.Kind == kindBfloat16 {
		return string(d.Order) + "bfloat16"
	}
	var b strings.Builder
	b.WriteByte(d.Order)
	b.WriteByte(d.Kind)
	switch d.Kind {
	case 'O':
	case 'U':
		b.WriteString(strconv.Itoa(d.Size / 4))
	default:
		b.WriteString(strconv.Itoa(d.Size))
	}
	if d.Unit != "" {
		b.WriteByte('[')
		if d.Count != 1 {
			b.WriteString(strconv.Itoa(d.Count))
		}
		b.WriteString(d.Unit)
		b.WriteByte(']')
	}
	return b.String()
}

// BigEndian reports whether multi-byte elements are stored most significant
// byte first.
func (d Dtype) BigEndian() bool { return d.Order == '>' }

// maxDtypeSize bounds an element's size as numpy does: itemsize is a C int.
const maxDtypeSize = math.MaxInt32

// datetimeUnits are the units numpy's datetime64 and timedelta64 accept.
var datetimeUnits = map[string]bool{
	"Y": true, "M": true, "W": true, "D": true, "h": true, "m": true, "s": true,
	"ms": true, "us": true, "ns": true, "ps": true, "fs": true, "as": true,
}

// parseDtypeArg reads the typestr numpy.dtype is called with in a pickle:
// "f8", "b1", "U3", "S0", "O8", "M8", ... (no byte order: BUILD's state
// brings that). ok is false for anything else.
func parseDtypeArg(s string) (Dtype, bool) {
	if len(s) < 2 || len(s) > 12 {
		return Dtype{}, false
	}
	n, err := strconv.Atoi(s[1:])
	if err != nil || n < 0 || n > maxDtypeSize || s[1] == '+' || s[1] == '-' {
		return Dtype{}, false
	}
	d := Dtype{Kind: s[0], Order: '<', Size: n}
	switch d.Kind {
	case 'b':
		return d, n == 1
	case 'i', 'u':
		return d, n == 1 || n == 2 || n == 4 || n == 8
	case 'f':
		return d, n == 2 || n == 4 || n == 8
	case 'c':
		return d, n == 8 || n == 16
	case 'M', 'm':
		return d, n == 8
	case 'O':
		// Written as O8 (O4 by 32-bit builds); the elements are Python
		// objects in either case.
		d.Size = 8
		return d, n == 8 || n == 4
	case 'U':
		if n > maxDtypeSize/4 {
			return Dtype{}, false
		}
		d.Size = 4 * n
		return d, true
	case 'S', 'V':
		return d, true
	}
	return Dtype{}, false
}

// fixOrder sets the byte order as numpy reports it: '|' where it does not
// apply.
func (d *Dtype) fixOrder() {
	switch {
	case d.Kind == 'S' || d.Kind == 'V' || d.Kind == 'O' || d.Kind == 'b':
		d.Order = '|'
	case d.Size == 1 && (d.Kind == 'i' || d.Kind == 'u'):
		d.Order = '|'
	}
}

// applyState applies dtype.__reduce__'s state, as arraydescr_setstate does
// for the versions numpy has written since 1.7: (3, order, subarray, names,
// fields, elsize, alignment, flags) and version 4, which adds the metadata
// (for datetimes a pair of the metadata dict and (unit, count, 1, 1)).
// Structured and sub-array dtypes are refused.
func (d *Dtype) applyState(state any) error {
	t, ok := state.(Tuple)
	if !ok || len(t) < 8 || len(t) > 9 {
		return unsupported("numpy dtype state is a %s of %d items, not the tuple of 8 or 9 numpy writes", typeName(state), tupleLen(state))
	}
	version, _ := t[0].(int64)
	if version != 3 && version != 4 {
		return unsupported("numpy dtype state version %v is not supported (only 3 and 4)", t[0])
	}
	order, _ := t[1].(string)
	switch order {
	case "<", ">", "|":
		d.Order = order[0]
	case "=":
		d.Order = '<' // what numpy writes on little-endian machines
	default:
		return malformed("numpy dtype byte order %s is not <, >, | or =", Repr(t[1]))
	}
	if t[2] != nil || t[3] != nil || t[4] != nil {
		return unsupported("structured numpy dtype %s (fields or sub-array) is not supported", d)
	}
	elsize, ok1 := t[5].(int64)
	if _, ok2 := t[6].(int64); !ok1 || !ok2 {
		return malformed("numpy dtype element size and alignment must be ints")
	}
	switch d.Kind {
	case 'U', 'S', 'V':
		if elsize < 0 || elsize > maxDtypeSize || d.Kind == 'U' && elsize%4 != 0 {
			return malformed("numpy dtype %c has element size %d", d.Kind, elsize)
		}
		d.Size = int(elsize)
	}
	d.fixOrder()
	if d.Kind != 'M' && d.Kind != 'm' {
		return nil
	}
	return d.applyDatetimeMeta(t)
}

// applyDatetimeMeta reads a datetime64 or timedelta64's unit from the state's
// ninth item: (metadata, (unit, count, 1, 1)).
func (d *Dtype) applyDatetimeMeta(t Tuple) error {
	if len(t) != 9 {
		return malformed("numpy %c8 dtype state has no unit", d.Kind)
	}
	pair, ok := t[8].(Tuple)
	if !ok || len(pair) != 2 {
		return malformed("numpy %c8 dtype metadata is not a pair", d.Kind)
	}
	meta, ok := pair[1].(Tuple)
	if !ok || len(meta) != 4 {
		return malformed("numpy %c8 dtype unit is not (unit, count, 1, 1)", d.Kind)
	}
	unit, ok := textOrBytes(meta[0])
	count, ok2 := meta[1].(int64)
	if !ok || !ok2 || count < 1 || count > math.MaxInt32 {
		return malformed("numpy %c8 dtype unit %s, count %s", d.Kind, Repr(meta[0]), Repr(meta[1]))
	}
	switch {
	case unit == "generic":
		d.Unit, d.Count = "", 0
	case datetimeUnits[unit]:
		d.Unit, d.Count = unit, int(count)
	default:
		return malformed("numpy %c8 dtype unit %q is not one numpy knows", d.Kind, unit)
	}
	return nil
}

// textOrBytes returns a short ASCII name pickled as bytes (_codecs.encode, or
// Python 3's bytes) or as str (Python 2).
func textOrBytes(v any) (string, bool) {
	switch x := v.(type) {
	case []byte:
		return string(x), len(x) <= 16
	case string:
		return x, len(x) <= 16
	}
	return "", false
}

func tupleLen(v any) int {
	if t, ok := v.(Tuple); ok {
		return len(t)
	}
	return 0
}
