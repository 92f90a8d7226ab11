package pickle

import (
	"math"
	"math/big"
	"reflect"
	"strings"
)

// This file is fractions.Fraction, held as *big.Rat.

var globalFraction = Global{"fractions", "Fraction"}

func init() {
	registerType(&pyType{
		name:    "fractions.Fraction",
		ctors:   []ctor{{global: globalFraction, call: callFraction}},
		allowed: true,
		goTypes: []reflect.Type{reflect.TypeFor[*big.Rat]()},
		direct:  true,
		reduce:  reduceFraction,
		hashKey: fractionKey,
		keyCost: fractionKeyCost,
		repr:    appendFractionRepr,
	})
}

// reduceFraction is (Fraction, (numerator, denominator)), as Python 3.11
// and later write it.
func reduceFraction(v any, proto int, exactTime bool) (*Object, any, error) {
	x := v.(*big.Rat)
	if x == nil {
		return nil, nil, unsupported("nil *big.Rat")
	}
	args := Tuple{bigOrInt64(new(big.Int).Set(x.Num())), bigOrInt64(new(big.Int).Set(x.Denom()))}
	return &Object{Class: globalFraction, Args: args}, x, nil
}

// fractionKey: a Fraction equal to an int or a float has that number's key,
// so Fraction(1) and 1, and Fraction(1, 2) and 0.5, are one key; other
// fractions (and decimals equal to them) share an exact-fraction key.
func fractionKey(v any) (any, bool, error) {
	x := v.(*big.Rat)
	if x == nil {
		return nil, false, nil
	}
	return ratKey(x), true, nil
}

// fractionKeyCost: the numerator and denominator are written out in hex.
func fractionKeyCost(v any) int {
	if x := v.(*big.Rat); x != nil {
		return (x.Num().BitLen()+x.Denom().BitLen())/4 + 1
	}
	return 1
}

func appendFractionRepr(p *reprPrinter, dst []byte, v any, depth int) ([]byte, bool) {
	x := v.(*big.Rat)
	if x == nil {
		return dst, false
	}
	dst = append(dst, "Fraction("...)
	dst = x.Num().Append(dst, 10)
	dst = append(dst, ", "...)
	dst = x.Denom().Append(dst, 10)
	return append(dst, ')'), true
}

// callFraction is fractions.Fraction(numerator, denominator), as Python 3.11
// and later pickle it, or Fraction('n/d'), as earlier versions do.
func callFraction(args Tuple, kind CallKind) (any, bool, error) {
	switch len(args) {
	case 0:
		return new(big.Rat), true, nil
	case 2:
		n, ok1 := intValue(args[0])
		d, ok2 := intValue(args[1])
		if !ok1 || !ok2 || d.Sign() == 0 {
			return nil, false, nil
		}
		return new(big.Rat).SetFrac(n, d), true, nil
	case 1:
		if n, ok := intValue(args[0]); ok {
			return new(big.Rat).SetInt(n), true, nil
		}
		switch x := args[0].(type) {
		case string:
			r, ok := parseFractionText(x)
			return handledIf(r, ok)
		case []byte:
			r, ok := parseFractionText(string(x))
			return handledIf(r, ok)
		case float64:
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, false, nil
			}
			return new(big.Rat).SetFloat64(x), true, nil
		case Decimal:
			if p, ok := parseDecimal(string(x)); ok && p.kind == decFinite {
				r, ok := p.rat()
				return handledIf(r, ok)
			}
		case *big.Rat:
			return new(big.Rat).Set(x), true, nil
		}
	}
	return nil, false, nil
}

// parseFractionText parses str() of a Fraction: "n" or "n/d", signed.
func parseFractionText(s string) (*big.Rat, bool) {
	num, den, hasDen := strings.Cut(s, "/")
	n, ok := parseDecimalInt(num, true)
	if !ok {
		return nil, false
	}
	d := big.NewInt(1)
	if hasDen {
		if d, ok = parseDecimalInt(den, false); !ok || d.Sign() == 0 {
			return nil, false
		}
	}
	return new(big.Rat).SetFrac(n, d), true
}

// parseDecimalInt parses ASCII decimal digits, with a sign if signed, up to
// Python's default limit on the digits of an int.
func parseDecimalInt(s string, signed bool) (*big.Int, bool) {
	digits := s
	if signed && len(s) > 0 && (s[0] == '+' || s[0] == '-') {
		digits = s[1:]
	}
	if digits == "" || len(digits) > DefaultMaxIntDigits || !allDigits(digits) {
		return nil, false
	}
	return new(big.Int).SetString(s, 10)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ratKey is the key of an exact fraction: an int's or a float's key when it
// equals one.
func ratKey(r *big.Rat) any {
	if r.IsInt() {
		k, _ := hashKey(r.Num())
		return k
	}
	if f, exact := r.Float64(); exact {
		return floatKey(f)
	}
	return stdKey("q" + r.Num().Text(16) + "/" + r.Denom().Text(16))
}
