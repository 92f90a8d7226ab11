package pickle

import (
	"encoding/json"
	"math"
	"math/big"
	"strconv"
)

// This file turns decoded values into the plain Go values encoding/json
// makes and takes (Plain, the PlainValues option, and the model types'
// MarshalJSON), so that code written for JSON works on pickles too.

// Plain returns v, a decoded value, as the Go values encoding/json's
// Unmarshal makes for JSON:
//
//   - a dict, OrderedDict, defaultdict or Counter is a map[string]any, its
//     keys made strings as Python's json.dumps makes them: a str as it is,
//     an int in decimal, a float as its repr ("1.5", "Infinity", "NaN"),
//     True and False as "true" and "false", None as "null"; any other key
//     (a tuple, bytes, ...) is its Repr. Keys that become one string keep
//     the last value
//   - a tuple, list, set, frozenset or deque is a []any
//   - bytes, a bytearray or a PickleBuffer is a []byte (base64 in JSON)
//   - a Global (a class or function) is its "module.QualName"
//   - an object is a map[string]any: "__class__" its class as above, its
//     state's attributes when the state is a dict (or a (dict, slots)
//     pair) with str keys, else "__state__"; "__args__", "__kwargs__",
//     "__listitems__" and "__dictitems__" when present
//   - a complex number, a datetime.date, datetime.time or uuid.UUID is its
//     Python str(); a Decimal is its text (Decimal is a string type)
//   - None, bool, int64, *big.Int, float64, string, time.Time,
//     time.Duration, *big.Rat and *time.Location stay as they are, as do
//     Go values of registered classes
//
// NaN and infinite floats stay floats, which encoding/json refuses, as JSON
// has no spelling for them. What is shared stays shared, and a cycle stays a
// cycle, which encoding/json reports as an error rather than follow.
func Plain(v any) any {
	p := plainer{}
	return p.plain(v)
}

// PlainValues makes Unmarshal store Plain values wherever it fills an `any`:
// the whole result when decoding into an `any`, and the `any` elements and
// fields of typed targets (map[string]any, []any, ...).
func PlainValues() Option {
	return optionFunc(func(c *config) { c.plain = true })
}

type plainer struct {
	done map[any]any // identity of a model value -> its plain value
}

func (p *plainer) remember(key, v any) {
	if key == nil {
		return
	}
	if p.done == nil {
		p.done = map[any]any{}
	}
	p.done[key] = v
}

func (p *plainer) plain(v any) any {
	key := identityKey(v)
	if key != nil {
		if done, ok := p.done[key]; ok {
			return done
		}
	}
	if items, ok := sequenceItems(v); ok {
		out := make([]any, len(items))
		p.remember(key, out)
		for i, it := range items {
			out[i] = p.plain(it)
		}
		return out
	}
	if items, ok := dictItems(v); ok {
		out := make(map[string]any, len(items))
		p.remember(key, out)
		p.putItems(out, items)
		return out
	}
	switch x := v.(type) {
	case *ByteArray:
		return []byte(*x)
	case *PickleBuffer:
		return x.Data
	case Global:
		return x.String()
	case *Object:
		out := map[string]any{}
		p.remember(key, out)
		p.putObject(out, x)
		return out
	case complex128:
		return Repr(x)
	case *PersistentID:
		return Repr(x)
	}
	if t := typeOf(v); t != nil && t.plain != nil {
		return t.plain(v)
	}
	return v
}

// putItems puts dict items into out, under their json.dumps keys.
func (p *plainer) putItems(out map[string]any, items []DictItem) {
	for _, it := range items {
		out[plainKey(it.Key)] = p.plain(it.Value)
	}
}

func (p *plainer) putObject(out map[string]any, o *Object) {
	if g, ok := o.Class.(Global); ok {
		out["__class__"] = g.String()
	} else {
		out["__class__"] = p.plain(o.Class)
	}
	if len(o.Args) > 0 {
		out["__args__"] = p.plain(o.Args)
	}
	if o.Kwargs != nil && o.Kwargs.Len() > 0 {
		out["__kwargs__"] = p.plain(o.Kwargs)
	}
	if o.HasState && !p.putAttrs(out, o.State) {
		out["__state__"] = p.plain(o.State)
	}
	if len(o.ListItems) > 0 {
		out["__listitems__"] = p.plain(Tuple(o.ListItems))
	}
	if len(o.DictItems) > 0 {
		d := make(map[string]any, len(o.DictItems))
		p.putItems(d, o.DictItems)
		out["__dictitems__"] = d
	}
}

// putAttrs puts an instance's attributes into out, if its state is a dict
// with str keys or a (dict, slots) pair of them.
func (p *plainer) putAttrs(out map[string]any, state any) bool {
	parts := []any{state}
	if pair, ok := state.(Tuple); ok && len(pair) == 2 {
		parts = pair
	}
	for _, part := range parts {
		if part == nil && len(parts) == 2 {
			continue
		}
		items, ok := dictItems(part)
		if !ok {
			return false
		}
		for _, it := range items {
			if _, ok := it.Key.(string); !ok {
				return false
			}
		}
	}
	for _, part := range parts {
		if items, ok := dictItems(part); ok {
			p.putItems(out, items)
		}
	}
	return true
}

// plainKey is the JSON object key Python's json.dumps makes of a dict key,
// or the key's Repr where json.dumps has none.
func plainKey(k any) string {
	switch x := k.(type) {
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case *big.Int:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	case nil:
		return "null"
	case float64:
		switch {
		case math.IsNaN(x):
			return "NaN"
		case math.IsInf(x, 1):
			return "Infinity"
		case math.IsInf(x, -1):
			return "-Infinity"
		}
		return string(appendPyFloatRepr(nil, x))
	}
	return Repr(k)
}

// The model's types marshal to JSON as their Plain values: encoding/json
// would otherwise print {} for a *Dict, whose items are unexported.

func (t Tuple) MarshalJSON() ([]byte, error)         { return json.Marshal(Plain(t)) }
func (l *List) MarshalJSON() ([]byte, error)         { return json.Marshal(Plain(l)) }
func (d *Dict) MarshalJSON() ([]byte, error)         { return json.Marshal(Plain(d)) }
func (d *OrderedDict) MarshalJSON() ([]byte, error)  { return json.Marshal(Plain(d)) }
func (d *DefaultDict) MarshalJSON() ([]byte, error)  { return json.Marshal(Plain(d)) }
func (c *Counter) MarshalJSON() ([]byte, error)      { return json.Marshal(Plain(c)) }
func (s *Set) MarshalJSON() ([]byte, error)          { return json.Marshal(Plain(s)) }
func (f *FrozenSet) MarshalJSON() ([]byte, error)    { return json.Marshal(Plain(f)) }
func (d *Deque) MarshalJSON() ([]byte, error)        { return json.Marshal(Plain(d)) }
func (b *ByteArray) MarshalJSON() ([]byte, error)    { return json.Marshal(Plain(b)) }
func (o *Object) MarshalJSON() ([]byte, error)       { return json.Marshal(Plain(o)) }
func (g Global) MarshalJSON() ([]byte, error)        { return json.Marshal(g.String()) }
func (p *PersistentID) MarshalJSON() ([]byte, error) { return json.Marshal(Plain(p)) }

// Date, TimeOfDay and UUID are their Python str() in JSON, as in Plain.

func (d Date) MarshalJSON() ([]byte, error)      { return json.Marshal(d.String()) }
func (t TimeOfDay) MarshalJSON() ([]byte, error) { return json.Marshal(t.String()) }
func (u UUID) MarshalJSON() ([]byte, error)      { return json.Marshal(u.String()) }
