package pickle

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
)

// This file prints values of the model in Python's literal notation, as
// repr() does for builtins. Symbolic objects, which Python would print as
// "<mod.C object at 0x...>", are shown by how they are built instead:
// "mod.Point(x=1, y=2)" for an instance whose state is its attribute dict,
// "callable(args).__setstate__(state)" in general, and
// "setter(callable(args), state)" for a state_setter's.

// Repr returns v in Python's literal notation. A container that contains
// itself is shown as [...] or {...}, as Python does. Nesting deeper than
// DefaultMaxDepth, and anything after the first million values (a small
// pickle can reference one list exponentially often), is cut off with "...".
// A numpy array prints as numpy's repr does (numpy_repr.go).
func Repr(v any) string {
	p := reprPrinter{active: map[any]bool{}, maxDepth: DefaultMaxDepth, budget: maxReprValues}
	return string(p.append(nil, v, 0))
}

const maxReprValues = 1 << 20

type reprPrinter struct {
	active   map[any]bool // containers being printed, to cut cycles
	maxDepth int
	budget   int // values left to print
}

func (p *reprPrinter) append(dst []byte, v any, depth int) []byte {
	p.budget--
	if depth > p.maxDepth || p.budget < 0 {
		return append(dst, "..."...)
	}
	switch x := v.(type) {
	case nil:
		return append(dst, "None"...)
	case bool:
		if x {
			return append(dst, "True"...)
		}
		return append(dst, "False"...)
	case int64:
		return strconv.AppendInt(dst, x, 10)
	case int:
		return strconv.AppendInt(dst, int64(x), 10)
	case *big.Int:
		return x.Append(dst, 10)
	case float64:
		return appendPyFloatRepr(dst, x)
	case complex128:
		return appendComplexRepr(dst, x)
	case string:
		return appendPyStrRepr(dst, x)
	case []byte:
		return appendPyBytesRepr(dst, x)
	case BytesKey:
		return appendPyBytesRepr(dst, []byte(x))
	case *ByteArray:
		return appendPyByteArrayRepr(dst, *x)
	case Tuple:
		if len(x) > 0 {
			// A tuple can contain itself through a list; Python prints
			// the inner reference as (...).
			key := tupleID{&x[0], len(x)}
			if p.active[key] {
				return append(dst, "(...)"...)
			}
			p.active[key] = true
			defer delete(p.active, key)
		}
		dst = append(dst, '(')
		for i, it := range x {
			if i > 0 {
				dst = append(dst, ", "...)
			}
			dst = p.append(dst, it, depth+1)
		}
		if len(x) == 1 {
			dst = append(dst, ',')
		}
		return append(dst, ')')
	case Global:
		return append(dst, x.String()...)
	case *PickleBuffer:
		if x.ReadOnly {
			dst = append(append(dst, pickleBufferType.name...), '(')
			dst = appendPyBytesRepr(dst, x.Data)
			return append(dst, ')')
		}
		dst = append(append(dst, pickleBufferType.name...), '(')
		dst = appendPyByteArrayRepr(dst, x.Data)
		return append(dst, ')')
	}
	if out, ok := appendRowRepr(p, dst, v, depth); ok {
		return out
	}
	switch v.(type) {
	case *List, *Dict, *OrderedDict, *Set, *FrozenSet, *Object, *PersistentID:
	default:
		// A Go value outside the model (a registered class's type, say).
		return fmt.Appendf(dst, "%+v", v)
	}
	// Everything else can contain itself.
	if p.active[v] {
		switch v.(type) {
		case *List:
			return append(dst, "[...]"...)
		case *Dict, *OrderedDict:
			return append(dst, "{...}"...)
		default:
			return append(dst, "..."...)
		}
	}
	p.active[v] = true
	defer delete(p.active, v)
	switch x := v.(type) {
	case *List:
		dst = append(dst, '[')
		dst = p.appendItems(dst, *x, depth)
		return append(dst, ']')
	case *Dict:
		return p.appendDict(dst, x.items, depth)
	case *OrderedDict:
		// Python 3.11's spelling; 3.12 prints OrderedDict({...}).
		dst = append(dst, "OrderedDict("...)
		if x.Len() > 0 {
			dst = append(dst, '[')
			for i, it := range x.items {
				if i > 0 {
					dst = append(dst, ", "...)
				}
				dst = p.append(dst, Tuple{it.Key, it.Value}, depth+1)
			}
			dst = append(dst, ']')
		}
		return append(dst, ')')
	case *Set:
		if x.Len() == 0 {
			return append(dst, "set()"...)
		}
		dst = append(dst, '{')
		dst = p.appendItems(dst, x.items, depth)
		return append(dst, '}')
	case *FrozenSet:
		dst = append(dst, "frozenset("...)
		if x.Len() > 0 {
			dst = append(dst, '{')
			dst = p.appendItems(dst, x.s.items, depth)
			dst = append(dst, '}')
		}
		return append(dst, ')')
	case *Object:
		return p.appendObject(dst, x, depth)
	case *PersistentID:
		dst = append(dst, "persistent_load("...)
		dst = p.append(dst, x.ID, depth+1)
		return append(dst, ')')
	}
	panic("unreachable")
}

func (p *reprPrinter) appendItems(dst []byte, items []any, depth int) []byte {
	for i, it := range items {
		if i > 0 {
			dst = append(dst, ", "...)
		}
		dst = p.append(dst, it, depth+1)
	}
	return dst
}

func (p *reprPrinter) appendDict(dst []byte, items []DictItem, depth int) []byte {
	dst = append(dst, '{')
	for i, it := range items {
		if i > 0 {
			dst = append(dst, ", "...)
		}
		dst = p.append(dst, it.Key, depth+1)
		dst = append(dst, ": "...)
		dst = p.append(dst, it.Value, depth+1)
	}
	return append(dst, '}')
}

// appendObject shows how a symbolic object is built.
func (p *reprPrinter) appendObject(dst []byte, o *Object, depth int) []byte {
	if o.Setter != nil {
		// The call that applied the state: setter(obj, state).
		dst = p.append(dst, o.Setter, depth+1)
		dst = append(dst, '(')
		bare := *o
		bare.Setter, bare.State, bare.HasState = nil, nil, false
		dst = p.appendObject(dst, &bare, depth)
		dst = append(dst, ", "...)
		dst = p.append(dst, o.State, depth+1)
		return append(dst, ')')
	}
	class, args := o.Class, o.Args
	// copyreg._reconstructor(cls, object, None) is how protocols 0 and 1
	// spell cls.__new__(cls).
	if g, ok := class.(Global); ok && g == globalReconstructor && len(args) == 3 &&
		args[1] == globalObject && args[2] == nil {
		class, args = args[0], nil
	}
	dst = p.append(dst, class, depth+1)
	dst = append(dst, '(')
	dst = p.appendItems(dst, args, depth)
	n := len(args)
	if o.Kwargs != nil {
		for _, it := range o.Kwargs.items {
			if n > 0 {
				dst = append(dst, ", "...)
			}
			n++
			if s, ok := it.Key.(string); ok {
				dst = append(dst, s...)
			} else {
				dst = p.append(dst, it.Key, depth+1)
			}
			dst = append(dst, '=')
			dst = p.append(dst, it.Value, depth+1)
		}
	}
	state, attrs := o.State, false
	if d, ok := state.(*Dict); ok && o.HasState && n == 0 && allIdentifiers(d) {
		// The common case: an instance whose state is its __dict__.
		for i, it := range d.items {
			if i > 0 {
				dst = append(dst, ", "...)
			}
			dst = append(dst, it.Key.(string)...)
			dst = append(dst, '=')
			dst = p.append(dst, it.Value, depth+1)
		}
		attrs = true
	}
	dst = append(dst, ')')
	if o.HasState && !attrs {
		dst = append(dst, ".__setstate__("...)
		dst = p.append(dst, state, depth+1)
		dst = append(dst, ')')
	}
	if len(o.ListItems) > 0 {
		dst = append(dst, ".extend(["...)
		dst = p.appendItems(dst, o.ListItems, depth)
		dst = append(dst, "])"...)
	}
	if len(o.DictItems) > 0 {
		dst = append(dst, ".update("...)
		dst = p.appendDict(dst, o.DictItems, depth)
		dst = append(dst, ')')
	}
	return dst
}

func allIdentifiers(d *Dict) bool {
	for _, it := range d.items {
		s, ok := it.Key.(string)
		if !ok || !isIdentifier(s) {
			return false
		}
	}
	return true
}

func isIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (i > 0 && r >= '0' && r <= '9') || r >= 0x80 {
			continue
		}
		return false
	}
	return true
}

// appendComplexRepr appends Python's repr of a complex number: "1j",
// "(1+2j)", "(-0-1.5j)".
func appendComplexRepr(dst []byte, c complex128) []byte {
	re, im := real(c), imag(c)
	if re == 0 && !math.Signbit(re) {
		dst = appendShortFloat(dst, im)
		return append(dst, 'j')
	}
	dst = append(dst, '(')
	dst = appendShortFloat(dst, re)
	if !math.Signbit(im) || math.IsNaN(im) {
		dst = append(dst, '+')
	}
	dst = appendShortFloat(dst, im)
	return append(dst, "j)"...)
}

// appendShortFloat is the float repr without the ".0" Python adds to integral
// values, as complex's repr formats its parts.
func appendShortFloat(dst []byte, f float64) []byte {
	n := len(dst)
	dst = appendPyFloatRepr(dst, f)
	if s := dst[n:]; len(s) > 2 && string(s[len(s)-2:]) == ".0" {
		dst = dst[:len(dst)-2]
	}
	return dst
}

// String methods print Python's notation.

func (t Tuple) String() string         { return Repr(t) }
func (l *List) String() string         { return Repr(l) }
func (d *Dict) String() string         { return Repr(d) }
func (d *OrderedDict) String() string  { return Repr(d) }
func (s *Set) String() string          { return Repr(s) }
func (f *FrozenSet) String() string    { return Repr(f) }
func (b *ByteArray) String() string    { return Repr(b) }
func (o *Object) String() string       { return Repr(o) }
func (p *PersistentID) String() string { return Repr(p) }
