package pickle

import (
	"fmt"
	"math"
	"math/big"
	"reflect"
	"strconv"
	"strings"
)

// This file is decimal.Decimal, held as Decimal: its exact text, parsed here
// as Python's decimal module reads it (no float in between).

// Decimal is a decimal.Decimal, held exactly as Python's str() of it:
// "1.10", "-0", "1E+5", "0E-10", "Infinity", "-Infinity", "NaN", "NaN12",
// "-sNaN". The digits, exponent and sign are kept; nothing goes through a
// float.
//
// Python's str() is the canonical spelling, and the decoder produces only
// that. A Decimal built in Go may use any spelling Python's Decimal() accepts
// in ASCII without spaces or underscores ("1e5", "+.5", "inf"): encoding,
// Repr and String write it canonically, and an invalid one is an encoding
// error.
type Decimal string

// String returns the canonical spelling of d, or d itself if it is not a
// valid decimal.
func (d Decimal) String() string {
	if p, ok := parseDecimal(string(d)); ok {
		return p.String()
	}
	return string(d)
}

var globalDecimal = Global{"decimal", "Decimal"}

func init() {
	registerType(&pyType{
		name:    "decimal.Decimal",
		ctors:   []ctor{{global: globalDecimal, call: callDecimal}},
		allowed: true,
		goTypes: []reflect.Type{reflect.TypeFor[Decimal]()},
		reduce:  reduceDecimal,
		hashKey: decimalHashKey,
		keyCost: decimalKeyCost,
		repr:    appendDecimalRepr,
	})
}

// reduceDecimal is (Decimal, (str(d),)).
func reduceDecimal(v any, proto int, exactTime bool) (*Object, any, error) {
	x := v.(Decimal)
	p, valid := parseDecimal(string(x))
	if !valid {
		return nil, nil, unsupported("%q is not a %s", string(x), globalDecimal)
	}
	return &Object{Class: globalDecimal, Args: Tuple{p.String()}}, x, nil
}

// decimalHashKey follows Python's equality: a Decimal equal to an int or a
// float has that number's key, so Decimal('1.0') and 1 are one key, as are
// Decimal('0.5') and 0.5; others share an exact fraction's key; a NaN equals
// nothing; a signaling NaN cannot be hashed.
func decimalHashKey(v any) (any, bool, error) {
	x := v.(Decimal)
	p, valid := parseDecimal(string(x))
	if !valid {
		return nil, true, malformed("%q is not a %s", string(x), globalDecimal)
	}
	k, err := decimalKey(p)
	return k, true, err
}

// decimalKeyCost: a Decimal is parsed and may be expanded to an exact
// fraction (about 8 bytes allocated per digit).
func decimalKeyCost(v any) int {
	x := v.(Decimal)
	cost := len(x) + 1
	if p, ok := parseDecimal(string(x)); ok && p.kind == decFinite {
		if c, e := p.normalized(); len(c)+int(max(e, -e)) <= maxExactDigits {
			cost += 8 * (len(c) + int(max(e, -e)))
		}
	}
	return cost
}

func appendDecimalRepr(p *reprPrinter, dst []byte, v any, depth int) ([]byte, bool) {
	dst = append(dst, "Decimal("...)
	dst = appendPyStrRepr(dst, v.(Decimal).String())
	return append(dst, ')'), true
}

// callDecimal is decimal.Decimal(str): the text CPython pickles (a Python 2
// str may arrive as bytes). Any other argument stays symbolic.
func callDecimal(args Tuple, kind CallKind) (any, bool, error) {
	if len(args) != 1 {
		return nil, false, nil
	}
	var s string
	switch x := args[0].(type) {
	case string:
		s = x
	case []byte:
		s = string(x)
	case int64:
		s = strconv.FormatInt(x, 10)
	case *big.Int:
		s = x.String()
	default:
		return nil, false, nil
	}
	p, ok := parseDecimal(s)
	return handledIf(Decimal(p.String()), ok)
}

type decKind uint8

const (
	decFinite decKind = iota
	decInfinity
	decNaN
	decSNaN
)

// decParts is a parsed Decimal: sign, kind, and for a finite number the
// coefficient digits (no leading zeros; "0" for zero) and exponent. For a
// NaN, coef is the diagnostic payload ("" for none).
type decParts struct {
	neg  bool
	kind decKind
	coef string
	exp  int64
}

// The exponent limits of CPython's decimal module (libmpdec's MAX_EMAX and
// MIN_ETINY on 64-bit platforms): Decimal() raises beyond them.
const (
	decMaxEmax  = 999999999999999999
	decMinEtiny = -1999999999999999997
)

// parseDecimal parses Python's decimal syntax, ASCII only, without the
// surrounding whitespace and digit-grouping underscores Python also accepts.
func parseDecimal(s string) (decParts, bool) {
	var p decParts
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return p, false
		}
	}
	if s != "" && (s[0] == '+' || s[0] == '-') {
		p.neg = s[0] == '-'
		s = s[1:]
	}
	lower := strings.ToLower(s)
	switch {
	case lower == "inf" || lower == "infinity":
		p.kind = decInfinity
		return p, true
	case strings.HasPrefix(lower, "nan") || strings.HasPrefix(lower, "snan"):
		p.kind = decNaN
		payload := s[3:]
		if lower[0] == 's' {
			p.kind, payload = decSNaN, s[4:]
		}
		if !allDigits(payload) {
			return p, false
		}
		p.coef = strings.TrimLeft(payload, "0")
		return p, true
	}
	mant, expText, hasExp := strings.Cut(lower, "e")
	intPart, frac, _ := strings.Cut(mant, ".")
	if intPart+frac == "" || !allDigits(intPart) || !allDigits(frac) {
		return p, false
	}
	var exp int64
	if hasExp {
		digits := expText
		if digits != "" && (digits[0] == '+' || digits[0] == '-') {
			digits = digits[1:]
		}
		if digits == "" || !allDigits(digits) {
			return p, false
		}
		// Beyond 19 digits the exponent is out of range whatever the
		// coefficient.
		if digits = strings.TrimLeft(digits, "0"); len(digits) > 19 {
			return p, false
		}
		if digits != "" {
			e, err := strconv.ParseInt(digits, 10, 64)
			if err != nil || e > 4e18 {
				return p, false
			}
			exp = e
		}
		if expText[0] == '-' {
			exp = -exp
		}
	}
	p.exp = exp - int64(len(frac))
	p.coef = strings.TrimLeft(intPart+frac, "0")
	if p.coef == "" {
		p.coef = "0"
	}
	// The adjusted exponent (of the first digit) must not exceed Emax.
	if p.exp < decMinEtiny || p.exp > decMaxEmax-int64(len(p.coef))+1 {
		return p, false
	}
	return p, true
}

// String is Python's str() of the decimal (the specification's
// to-scientific-string).
func (p decParts) String() string {
	var b strings.Builder
	if p.neg {
		b.WriteByte('-')
	}
	switch p.kind {
	case decInfinity:
		b.WriteString("Infinity")
		return b.String()
	case decNaN:
		b.WriteString("NaN" + p.coef)
		return b.String()
	case decSNaN:
		b.WriteString("sNaN" + p.coef)
		return b.String()
	}
	n := int64(len(p.coef))
	leftDigits := p.exp + n
	dot := int64(1) // scientific notation: one digit before the point
	if p.exp <= 0 && leftDigits > -6 {
		dot = leftDigits
	}
	switch {
	case dot <= 0:
		b.WriteString("0." + strings.Repeat("0", int(-dot)) + p.coef)
	case dot >= n:
		b.WriteString(p.coef + strings.Repeat("0", int(dot-n)))
	default:
		b.WriteString(p.coef[:dot] + "." + p.coef[dot:])
	}
	if leftDigits != dot {
		fmt.Fprintf(&b, "E%+d", leftDigits-dot)
	}
	return b.String()
}

// maxExactDigits bounds the numbers Decimal keys and conversions expand into
// integers and fractions, 10**maxExactDigits, so that hashing a short
// Decimal such as '1E+100000' stays cheap. It covers every integral float and
// ints of a few hundred bytes; beyond it, a Decimal key equals only equal
// Decimals (see decimalHashKey).
const maxExactDigits = 400

// normalized returns the coefficient without trailing zeros and the
// exponent that keeps the value.
func (p decParts) normalized() (string, int64) {
	c := strings.TrimRight(p.coef, "0")
	if c == "" {
		return "0", 0
	}
	return c, p.exp + int64(len(p.coef)-len(c))
}

// rat returns a finite decimal's exact value, if it is within
// maxExactDigits.
func (p decParts) rat() (*big.Rat, bool) {
	return p.ratWithin(maxExactDigits)
}

// ratWithin returns a finite decimal's exact value, if its numerator and
// denominator have at most limit digits together.
func (p decParts) ratWithin(limit int) (*big.Rat, bool) {
	c, e := p.normalized()
	if int64(len(c))+max(e, -e) > int64(limit) {
		return nil, false
	}
	n, _ := new(big.Int).SetString(c, 10)
	if p.neg {
		n.Neg(n)
	}
	pow := new(big.Int).Exp(big.NewInt(10), big.NewInt(max(e, -e)), nil)
	if e >= 0 {
		return new(big.Rat).SetInt(n.Mul(n, pow)), true
	}
	return new(big.Rat).SetFrac(n, pow), true
}

func decimalKey(p decParts) (any, error) {
	switch p.kind {
	case decInfinity:
		return floatKey(math.Inf(1 - 2*boolToInt(p.neg))), nil
	case decNaN:
		return new(nanKey), nil
	case decSNaN:
		return nil, malformed("cannot hash a signaling NaN value")
	}
	if r, ok := p.rat(); ok {
		return ratKey(r), nil
	}
	// Too large to expand: equal only to an equal Decimal.
	c, e := p.normalized()
	sign := ""
	if p.neg {
		sign = "-"
	}
	return stdKey(fmt.Sprintf("e%s%sE%d", sign, c, e)), nil
}
