package pickle

import (
	"fmt"
	"math"
	"math/big"
	"reflect"
	"slices"
	"strings"
)

// This file is the collections family: OrderedDict, deque, defaultdict and
// Counter, as *OrderedDict, *Deque, *DefaultDict and *Counter.

// Deque is a collections.deque. The decoder produces *Deque, which APPEND
// and APPENDS extend as Python's deque.extend does (dropping items from the
// left beyond MaxLen).
type Deque struct {
	Items List
	// MaxLen is the deque's maxlen, or -1 for None (no bound). Beware the
	// zero value, 0: a deque that holds nothing. NewDeque sets -1.
	MaxLen int
}

// NewDeque returns an unbounded deque (maxlen None) of the given items.
func NewDeque(items ...any) *Deque {
	return &Deque{Items: append(List(nil), items...), MaxLen: -1}
}

func (d *Deque) appendItems(items []any) error {
	d.Items = append(d.Items, items...)
	if d.MaxLen >= 0 && len(d.Items) > d.MaxLen {
		// Reslicing keeps this linear: append reallocates (and copies
		// only the kept window) when the backing array is full.
		d.Items = d.Items[len(d.Items)-d.MaxLen:]
	}
	return nil
}

// DefaultDict is a collections.defaultdict. Its entries behave as a Dict's.
// The decoder produces *DefaultDict.
type DefaultDict struct {
	// Factory is default_factory: nil for None, otherwise what the pickle
	// names, usually a Global such as builtins.list or builtins.int.
	Factory any
	Dict
}

func (d *DefaultDict) setItem(key, value any) error { return d.Set(key, value) }

// Counter is a collections.Counter. Its entries behave as a Dict's. The
// decoder produces *Counter.
type Counter struct {
	Dict
}

func (c *Counter) setItem(key, value any) error { return c.Set(key, value) }

func (d *Deque) String() string { return Repr(d) }

func (d *DefaultDict) String() string { return Repr(d) }

func (c *Counter) String() string { return Repr(c) }

// The globals of the collections types.
var (
	globalOrderedDict = Global{"collections", "OrderedDict"}
	globalDeque       = Global{"collections", "deque"}
	globalDefaultDict = Global{"collections", "defaultdict"}
	globalCounter     = Global{"collections", "Counter"}
)

func init() {
	registerType(&pyType{
		name:    "collections.OrderedDict",
		ctors:   []ctor{{global: globalOrderedDict, call: callOrderedDict}},
		allowed: true,
		goTypes: []reflect.Type{reflect.TypeFor[*OrderedDict]()},
		byValue: true,
		// The encoder, the printer and hashKey know it as a builtin.
	})
	registerType(&pyType{
		name:     "collections.deque",
		ctors:    []ctor{{global: globalDeque, call: callDeque}},
		allowed:  true,
		goTypes:  []reflect.Type{reflect.TypeFor[*Deque]()},
		byValue:  true,
		reduce:   reduceDeque,
		sequence: func(v any) []any { return v.(*Deque).Items },
		hashKey:  unhashable("collections.deque"),
		repr:     appendDequeRepr,
	})
	registerType(&pyType{
		name:    "collections.defaultdict",
		ctors:   []ctor{{global: globalDefaultDict, call: callDefaultDict}},
		allowed: true,
		goTypes: []reflect.Type{reflect.TypeFor[*DefaultDict]()},
		byValue: true,
		reduce:  reduceDefaultDict,
		mapping: func(v any) []DictItem { return v.(*DefaultDict).items },
		hashKey: unhashable("collections.defaultdict"),
		repr:    appendDefaultDictRepr,
	})
	registerType(&pyType{
		name:    "collections.Counter",
		ctors:   []ctor{{global: globalCounter, call: callCounter}},
		allowed: true,
		goTypes: []reflect.Type{reflect.TypeFor[*Counter]()},
		byValue: true,
		reduce:  reduceCounter,
		mapping: func(v any) []DictItem { return v.(*Counter).items },
		hashKey: unhashable("Counter"), // a Python class: its __name__
		repr:    appendCounterRepr,
	})
}

// callOrderedDict is collections.OrderedDict(pairs), or OrderedDict.__new__.
func callOrderedDict(args Tuple, kind CallKind) (any, bool, error) {
	od := NewOrderedDict()
	if kind == CallNewObj || len(args) == 0 {
		return od, true, nil
	}
	handled, err := fillDict(&od.Dict, args)
	if !handled || err != nil {
		return nil, handled, err
	}
	return od, true, nil
}

// reduceDeque is (deque, ((), maxlen)) or (deque, ()), then the items.
func reduceDeque(v any, proto int, exactTime bool) (*Object, any, error) {
	x := v.(*Deque)
	if x == nil {
		return nil, nil, unsupported("nil *pickle.Deque")
	}
	if x.MaxLen < -1 || (x.MaxLen >= 0 && len(x.Items) > x.MaxLen) {
		return nil, nil, unsupported("deque of %d items with MaxLen %d", len(x.Items), x.MaxLen)
	}
	args := emptyTupleValue
	if x.MaxLen >= 0 {
		args = Tuple{emptyTupleValue, int64(x.MaxLen)}
	}
	return &Object{Class: globalDeque, Args: args, ListItems: x.Items}, x, nil
}

// reduceDefaultDict is (defaultdict, (factory,)) or (defaultdict, ()), then
// the items.
func reduceDefaultDict(v any, proto int, exactTime bool) (*Object, any, error) {
	x := v.(*DefaultDict)
	if x == nil {
		return nil, nil, unsupported("nil *pickle.DefaultDict")
	}
	args := emptyTupleValue
	if x.Factory != nil {
		args = Tuple{x.Factory}
	}
	return &Object{Class: globalDefaultDict, Args: args, DictItems: x.items}, x, nil
}

// reduceCounter is Counter.__reduce__: (Counter, (dict(self),)), a new dict.
func reduceCounter(v any, proto int, exactTime bool) (*Object, any, error) {
	x := v.(*Counter)
	if x == nil {
		return nil, nil, unsupported("nil *pickle.Counter")
	}
	d := NewDict(len(x.items))
	for _, it := range x.items {
		_ = d.Set(it.Key, it.Value)
	}
	return &Object{Class: globalCounter, Args: Tuple{d}}, x, nil
}

// appendDequeRepr: "deque([1, 2], maxlen=5)".
func appendDequeRepr(p *reprPrinter, dst []byte, v any, depth int) ([]byte, bool) {
	x := v.(*Deque)
	if x == nil {
		return dst, false
	}
	if p.active[x] {
		return append(dst, "[...]"...), true // as Python shows it
	}
	p.active[x] = true
	dst = append(dst, "deque(["...)
	dst = p.appendItems(dst, x.Items, depth)
	dst = append(dst, ']')
	delete(p.active, x)
	if x.MaxLen >= 0 {
		dst = fmt.Appendf(dst, ", maxlen=%d", x.MaxLen)
	}
	return append(dst, ')'), true
}

// appendDefaultDictRepr shows the factory as Python shows a class,
// "defaultdict(<class 'list'>, {...})", even when it is a function.
func appendDefaultDictRepr(p *reprPrinter, dst []byte, v any, depth int) ([]byte, bool) {
	x := v.(*DefaultDict)
	if x == nil {
		return dst, false
	}
	dst = append(dst, "defaultdict("...)
	if g, ok := x.Factory.(Global); ok {
		// Python shows a class as <class 'list'>, or <class
		// 'mod.Name'> outside builtins. (A function factory, which
		// a Global cannot be told from, is shown the same way.)
		dst = append(dst, "<class '"...)
		if g.Module != builtinsModule {
			dst = append(append(dst, g.Module...), '.')
		}
		dst = append(append(dst, g.Name...), "'>"...)
	} else {
		dst = p.append(dst, x.Factory, depth+1)
	}
	dst = append(dst, ", "...)
	if p.active[x] {
		dst = append(dst, "{...}"...)
	} else {
		p.active[x] = true
		dst = p.appendDict(dst, x.items, depth)
		delete(p.active, x)
	}
	return append(dst, ')'), true
}

// appendCounterRepr shows a Counter as Python 3.11 does, most common first
// when its counts can be ordered.
func appendCounterRepr(p *reprPrinter, dst []byte, v any, depth int) ([]byte, bool) {
	x := v.(*Counter)
	if x == nil {
		return dst, false
	}
	if x.Len() == 0 {
		return append(dst, "Counter()"...), true
	}
	dst = append(dst, "Counter("...)
	if p.active[x] {
		dst = append(dst, "{...}"...)
	} else {
		p.active[x] = true
		dst = p.appendDict(dst, mostCommon(x.items), depth)
		delete(p.active, x)
	}
	return append(dst, ')'), true
}

// callDeque is collections.deque(iterable[, maxlen]): Python 3 pickles
// deque((), maxlen) or deque() and then appends the items, Python 2
// deque(list[, maxlen]). deque.__new__ (NEWOBJ) makes an empty deque.
func callDeque(args Tuple, kind CallKind) (any, bool, error) {
	d := &Deque{MaxLen: -1}
	if kind == CallNewObj || len(args) == 0 {
		return d, true, nil
	}
	if len(args) > 2 {
		return nil, false, nil
	}
	items, ok := iterableItems(args[0])
	if !ok {
		return nil, false, nil
	}
	if len(args) == 2 && args[1] != nil {
		n, ok := args[1].(int64)
		if !ok || n < 0 || n > math.MaxInt32 {
			return nil, false, nil
		}
		d.MaxLen = int(n)
	}
	_ = d.appendItems(items) // copies items
	return d, true, nil
}

// callDefaultDict is collections.defaultdict(default_factory[, mapping]);
// defaultdict.__new__ (NEWOBJ) has default_factory None.
func callDefaultDict(args Tuple, kind CallKind) (any, bool, error) {
	d := &DefaultDict{}
	if kind == CallNewObj || len(args) == 0 {
		return d, true, nil
	}
	if len(args) > 2 || (args[0] != nil && !maybeCallable(args[0])) {
		return nil, false, nil
	}
	d.Factory = args[0]
	if len(args) == 2 {
		items, ok := dictItems(args[1])
		if !ok {
			return nil, false, nil
		}
		for _, it := range items {
			_ = d.Set(it.Key, it.Value)
		}
	}
	return d, true, nil
}

// callCounter is collections.Counter(mapping), as Counter pickles itself;
// Counter.__new__ (NEWOBJ) makes an empty one.
func callCounter(args Tuple, kind CallKind) (any, bool, error) {
	c := &Counter{}
	if kind == CallNewObj || len(args) == 0 {
		return c, true, nil
	}
	items, ok := dictItems(args[0])
	if !ok || len(args) != 1 {
		return nil, false, nil
	}
	for _, it := range items {
		_ = c.Set(it.Key, it.Value)
	}
	return c, true, nil
}

// mostCommon orders a Counter's items as Counter.most_common() does: by
// count, largest first, keeping insertion order among equal counts. Counts
// that Python cannot order (mixed types, NaN) keep insertion order, as
// Counter's repr falls back to then.
func mostCommon(items []DictItem) []DictItem {
	allStr, allNum := true, true
	for _, it := range items {
		switch c := it.Value.(type) {
		case string:
			allNum = false
		case int64, *big.Int, bool:
			allStr = false
		case float64:
			allStr = false
			if math.IsNaN(c) {
				return items
			}
		default:
			return items
		}
	}
	if !allStr && !allNum {
		return items
	}
	sorted := slices.Clone(items)
	slices.SortStableFunc(sorted, func(a, b DictItem) int {
		if allStr {
			return strings.Compare(b.Value.(string), a.Value.(string))
		}
		return numberFloat(b.Value).Cmp(numberFloat(a.Value))
	})
	return sorted
}

// numberFloat returns an int, bool or float exactly as a big.Float.
func numberFloat(v any) *big.Float {
	f := new(big.Float).SetPrec(0)
	switch x := v.(type) {
	case int64:
		return f.SetPrec(64).SetInt64(x)
	case *big.Int:
		return f.SetPrec(uint(max(x.BitLen(), 1))).SetInt(x)
	case bool:
		return f.SetPrec(64).SetInt64(int64(boolToInt(x)))
	case float64:
		return f.SetPrec(53).SetFloat64(x)
	}
	return f
}
