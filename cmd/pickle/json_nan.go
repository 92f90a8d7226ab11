package main

import (
	"fmt"
	"math"
	"reflect"
)

// nanModes are the spellings -nan takes for floats JSON has no number for
// (NaN, Infinity, -Infinity): encoding/json refuses them, pandas' to_json
// writes null, and Python's json.dumps and protojson write a spelling of
// their own, as strings here so that the output stays JSON.
var nanModes = map[string]func(f float64) any{
	"error": nil,
	"null":  func(float64) any { return nil },
	"string": func(f float64) any {
		switch {
		case math.IsNaN(f):
			return "NaN"
		case f > 0:
			return "Infinity"
		}
		return "-Infinity"
	},
}

// replaceNonFinite returns v, a Plain value, with every NaN and infinite
// float replaced by what replace makes of it. Maps and slices are changed
// in place; each is visited once, so shared and cyclic ones (which
// encoding/json then refuses) cost no more than once.
func replaceNonFinite(v any, replace func(float64) any) any {
	seen := map[uintptr]bool{}
	var walk func(v any) any
	walk = func(v any) any {
		switch x := v.(type) {
		case float64:
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return replace(x)
			}
		case float32:
			if f := float64(x); math.IsNaN(f) || math.IsInf(f, 0) {
				return replace(f)
			}
		case map[string]any:
			if p := reflect.ValueOf(x).Pointer(); !seen[p] {
				seen[p] = true
				for k, e := range x {
					x[k] = walk(e)
				}
			}
		case []any:
			if p := reflect.ValueOf(x).Pointer(); len(x) > 0 && !seen[p] {
				seen[p] = true
				for i, e := range x {
					x[i] = walk(e)
				}
			}
		}
		return v
	}
	return walk(v)
}

// nanFlag is -nan's value, checked when set.
type nanFlag struct {
	name    string
	replace func(float64) any
}

func (n *nanFlag) String() string { return n.name }

func (n *nanFlag) Set(s string) error {
	replace, ok := nanModes[s]
	if !ok {
		return fmt.Errorf("want error, null or string, not %q", s)
	}
	n.name, n.replace = s, replace
	return nil
}
