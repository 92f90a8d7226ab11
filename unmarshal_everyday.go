package pickle

import (
	"encoding"
	"errors"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"strconv"
)

// This file unmarshals Python values into the everyday Go types that have no
// Python counterpart of their own: a decimal.Decimal into a string, a float,
// a *big.Rat or *big.Float or a TextUnmarshaler; a set into a map of bools or
// empty structs.

var (
	decimalType  = reflect.TypeFor[Decimal]()
	bigRatType   = reflect.TypeFor[big.Rat]()
	bigFloatType = reflect.TypeFor[big.Float]()
)

// convertDecimal stores a Decimal into a Go type other than Decimal and
// interfaces. It reports false for types it has no rule for.
func (u *unmarshaler) convertDecimal(d Decimal, dst reflect.Value) (bool, error) {
	t := dst.Type()
	switch {
	case t == bigRatType:
		p, ok := parseDecimal(string(d))
		if !ok || p.kind != decFinite {
			return true, u.mismatch(d, dst, errors.New("not a finite number"))
		}
		// An exponent can stand for more digits than the text has: the
		// expansion is bounded as Python bounds int's digits.
		r, ok := p.ratWithin(u.cfg.maxIntDigits)
		if !ok {
			return true, u.mismatch(d, dst, fmt.Errorf("more than MaxIntDigits (%d) digits to expand", u.cfg.maxIntDigits))
		}
		dst.Set(reflect.ValueOf(r).Elem())
		return true, nil
	case t == bigFloatType:
		return true, u.decimalBigFloat(d, dst)
	case t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64:
		f, err := decimalFloat(d, t.Bits())
		if err != nil {
			return true, u.mismatch(d, dst, err)
		}
		dst.SetFloat(f)
		return true, nil
	case dst.CanAddr() && isTextUnmarshaler(t):
		if err := dst.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(d)); err != nil {
			return true, u.mismatch(d, dst, err)
		}
		return true, nil
	case t.Kind() == reflect.String:
		dst.SetString(string(d))
		return true, nil
	}
	return false, nil
}

// decimalFloat is Python's float(Decimal): the nearest float, ±Inf beyond
// the range, NaN for a quiet NaN and an error for a signaling one.
func decimalFloat(d Decimal, bits int) (float64, error) {
	p, ok := parseDecimal(string(d))
	if !ok {
		return 0, errors.New("not a decimal")
	}
	switch p.kind {
	case decNaN:
		return math.NaN(), nil
	case decSNaN:
		return 0, errors.New("a signaling NaN has no float value")
	case decInfinity:
		if p.neg {
			return math.Inf(-1), nil
		}
		return math.Inf(1), nil
	}
	// The exponent can exceed what strconv reads: beyond ±400 digits the
	// result is 0 or ±Inf whatever the coefficient.
	c, e := p.normalized()
	var f float64
	switch lead := e + int64(len(c)); {
	case c == "0" || lead < -400:
		f = 0
	case lead > 400:
		f = math.Inf(1)
	default:
		var err error
		f, err = strconv.ParseFloat(c+"e"+strconv.FormatInt(e, 10), bits)
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			return 0, err
		}
	}
	if p.neg {
		f = -f
	}
	return f, nil
}

// decimalBigFloat sets a big.Float to a Decimal, rounded to the nearest even
// at dst's precision, or, when that is 0, at a precision that holds the
// coefficient exactly (at least 64 bits).
func (u *unmarshaler) decimalBigFloat(d Decimal, dst reflect.Value) error {
	p, ok := parseDecimal(string(d))
	if !ok {
		return u.mismatch(d, dst, errors.New("not a decimal"))
	}
	z := dst.Addr().Interface().(*big.Float)
	switch p.kind {
	case decNaN, decSNaN:
		return u.mismatch(d, dst, errors.New("big.Float has no NaN"))
	case decInfinity:
		z.SetInf(p.neg)
		return nil
	}
	c, e := p.normalized()
	prec := z.Prec()
	if prec == 0 {
		prec = max(64, uint(float64(len(c))*math.Log2(10))+1)
	}
	text := c + "e" + strconv.FormatInt(e, 10)
	if p.neg {
		text = "-" + text
	}
	f, _, err := big.ParseFloat(text, 10, prec, big.ToNearestEven)
	switch {
	case err == nil:
		z.SetPrec(prec).Set(f)
	case e > 0: // beyond big.Float's exponents, as float(d) is
		z.SetInf(p.neg)
	default:
		z.SetPrec(prec).SetFloat64(0)
		if p.neg {
			z.Neg(z)
		}
	}
	return nil
}

// fillSetMap fills a map[T]bool or map[T]struct{} from a set's items.
func (u *unmarshaler) fillSetMap(items []any, dst reflect.Value) error {
	t := dst.Type()
	if dst.IsNil() {
		dst.Set(reflect.MakeMapWithSize(t, len(items)))
	}
	v := reflect.New(t.Elem()).Elem()
	if t.Elem().Kind() == reflect.Bool {
		v.SetBool(true)
	}
	for _, it := range items {
		k := reflect.New(t.Key()).Elem()
		if err := u.mapKey(it, k); err != nil {
			return u.atKey(err, it)
		}
		dst.SetMapIndex(k, v)
	}
	return nil
}

// isSetMap reports whether a map type stands for a set: its values are bool
// or struct{}.
func isSetMap(t reflect.Type) bool {
	e := t.Elem()
	return e.Kind() == reflect.Bool || isEmptyStruct(e)
}

func isEmptyStruct(t reflect.Type) bool {
	return t.Kind() == reflect.Struct && t.NumField() == 0
}

// setItems returns the items of a set or frozenset.
func setItems(v any) ([]any, bool) {
	switch x := v.(type) {
	case *Set:
		return x.items, true
	case *FrozenSet:
		return x.s.items, true
	}
	return nil, false
}
