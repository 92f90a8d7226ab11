package pickle

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/big"
	"time"
	"unicode/utf8"
)

// This file reads an NDArray's elements: one element as a value of the model
// (what numpy's tolist() gives, in Go), and typed accessors that give all of
// them in row-major order without boxing each one.

// Values returns every element in row-major order as the decoder gives
// Python values: bool, int64 (or *big.Int for a uint64 beyond int64),
// float64, complex128, string (U), []byte (S and V), time.Time in UTC
// (datetime64), time.Duration (timedelta64), nil for NaT, and the objects of
// an object array.
func (a *NDArray) Values() ([]any, error) {
	out := make([]any, a.Len())
	err := a.eachRowMajor(func(i, mem int) error {
		v, err := a.element(i, mem)
		out[i] = v
		return err
	})
	return out, err
}

// element returns the element at row-major index i and memory index mem as
// a model value (Objects are in row-major order, Data in memory order).
func (a *NDArray) element(i, mem int) (any, error) {
	d := a.Dtype
	if d.Kind == 'O' {
		return a.Objects[i], nil
	}
	b := a.Data[mem*d.Size : (mem+1)*d.Size]
	o := a.ByteOrder()
	switch d.Kind {
	case 'b':
		return b[0] != 0, nil
	case 'i':
		return signedAt(b, o), nil
	case 'u':
		u := unsignedAt(b, o)
		if u > math.MaxInt64 {
			return new(big.Int).SetUint64(u), nil
		}
		return int64(u), nil
	case 'f':
		return floatAt(b, o), nil
	case kindBfloat16:
		return float64(math.Float32frombits(uint32(o.Uint16(b)) << 16)), nil
	case 'c':
		h := d.Size / 2
		return complex(floatAt(b[:h], o), floatAt(b[h:], o)), nil
	case 'U':
		return utf32Text(b, a.Dtype.BigEndian()), nil
	case 'S':
		n := len(b)
		for n > 0 && b[n-1] == 0 {
			n-- // numpy strips trailing NULs
		}
		return append([]byte{}, b[:n]...), nil
	case 'V':
		return append([]byte{}, b...), nil
	case 'M':
		return datetimeValue(signedAt(b, o), d)
	case 'm':
		return timedeltaValue(signedAt(b, o), d)
	}
	return nil, fmt.Errorf("pickle: numpy dtype %s has no Go value", d)
}

func unsignedAt(b []byte, o binary.ByteOrder) uint64 {
	switch len(b) {
	case 1:
		return uint64(b[0])
	case 2:
		return uint64(o.Uint16(b))
	case 4:
		return uint64(o.Uint32(b))
	}
	return o.Uint64(b)
}

func signedAt(b []byte, o binary.ByteOrder) int64 {
	switch len(b) {
	case 1:
		return int64(int8(b[0]))
	case 2:
		return int64(int16(o.Uint16(b)))
	case 4:
		return int64(int32(o.Uint32(b)))
	}
	return int64(o.Uint64(b))
}

func floatAt(b []byte, o binary.ByteOrder) float64 {
	switch len(b) {
	case 2:
		return float16(o.Uint16(b))
	case 4:
		return float64(math.Float32frombits(o.Uint32(b)))
	}
	return math.Float64frombits(o.Uint64(b))
}

// float16 widens an IEEE 754 half-precision float exactly.
func float16(h uint16) float64 {
	sign := 1.0
	if h&0x8000 != 0 {
		sign = -1
	}
	exp := int(h>>10) & 0x1f
	frac := float64(h & 0x3ff)
	switch exp {
	case 0:
		return sign * math.Ldexp(frac, -24) // subnormal
	case 0x1f:
		if frac != 0 {
			return math.NaN()
		}
		return math.Inf(int(sign))
	}
	return sign * math.Ldexp(1024+frac, exp-25)
}

// utf32Text decodes a U element: UTF-32 code points, trailing NULs stripped
// as numpy does. A code point Go strings cannot hold becomes U+FFFD.
func utf32Text(b []byte, big bool) string {
	n := len(b) / 4
	for n > 0 && b[4*n-4]|b[4*n-3]|b[4*n-2]|b[4*n-1] == 0 {
		n--
	}
	out := make([]byte, 0, n)
	for i := range n {
		w := b[4*i : 4*i+4]
		r := rune(uint32(w[0]) | uint32(w[1])<<8 | uint32(w[2])<<16 | uint32(w[3])<<24)
		if big {
			r = rune(uint32(w[3]) | uint32(w[2])<<8 | uint32(w[1])<<16 | uint32(w[0])<<24)
		}
		if !utf8.ValidRune(r) {
			r = utf8.RuneError
		}
		out = utf8.AppendRune(out, r)
	}
	return string(out)
}

// unitNanos are the linear datetime units in nanoseconds; the units below a
// nanosecond divide it.
var unitNanos = map[string]int64{
	"W": 7 * 86400e9, "D": 86400e9, "h": 3600e9, "m": 60e9, "s": 1e9,
	"ms": 1e6, "us": 1e3, "ns": 1,
}

var subNanoUnits = map[string]int64{"ps": 1e3, "fs": 1e6, "as": 1e9}

// natValue is numpy's NaT (not a time) in datetime64 and timedelta64.
const natValue = math.MinInt64

// unitCount returns v counts of d's unit as units of d.Unit (v times
// d.Count), or false on overflow.
func unitCount(v int64, d Dtype) (int64, bool) {
	c := int64(max(d.Count, 1))
	if v != 0 && (v*c/c != v || v*c == natValue) {
		return 0, false
	}
	return v * c, true
}

// timedeltaValue returns a timedelta64 element as a time.Duration (nil for
// NaT), or an error where it does not fit one exactly.
func timedeltaValue(v int64, d Dtype) (any, error) {
	if v == natValue {
		return nil, nil
	}
	n, ok := unitCount(v, d)
	if div, sub := subNanoUnits[d.Unit]; ok && sub {
		if n%div != 0 {
			return nil, fmt.Errorf("pickle: timedelta64 %d[%s] is not a whole number of nanoseconds", v, d.Unit)
		}
		return time.Duration(n / div), nil
	}
	per, linear := unitNanos[d.Unit]
	if !ok || !linear || n != 0 && (n*per/per != n) {
		return nil, fmt.Errorf("pickle: timedelta64 %d of unit %q does not fit a time.Duration", v, d.Unit)
	}
	return time.Duration(n * per), nil
}

// datetimeValue returns a datetime64 element as a time.Time in UTC (nil for
// NaT), or an error where it does not fit one exactly.
func datetimeValue(v int64, d Dtype) (any, error) {
	if v == natValue {
		return nil, nil
	}
	n, ok := unitCount(v, d)
	if !ok || (d.Unit == "Y" || d.Unit == "M") && (n > math.MaxInt32 || n < -math.MaxInt32) {
		return nil, fmt.Errorf("pickle: datetime64 %d[%s] is out of range", v, d.Unit)
	}
	switch d.Unit {
	case "Y":
		return time.Date(1970+int(n), 1, 1, 0, 0, 0, 0, time.UTC), nil
	case "M":
		return time.Date(1970, time.Month(1+n), 1, 0, 0, 0, 0, time.UTC), nil
	case "":
		return nil, fmt.Errorf("pickle: datetime64 %d has no unit", v)
	}
	if div, sub := subNanoUnits[d.Unit]; sub {
		if n%div != 0 {
			return nil, fmt.Errorf("pickle: datetime64 %d[%s] is not a whole number of nanoseconds", v, d.Unit)
		}
		return time.Unix(0, n/div).UTC(), nil
	}
	per := unitNanos[d.Unit]
	if per >= 1e9 {
		s := per / 1e9
		if n != 0 && n*s/s != n {
			return nil, fmt.Errorf("pickle: datetime64 %d[%s] is out of range", v, d.Unit)
		}
		return time.Unix(n*s, 0).UTC(), nil
	}
	perSec := 1e9 / per
	sec, frac := n/perSec, n%perSec
	if frac < 0 {
		sec, frac = sec-1, frac+perSec
	}
	return time.Unix(sec, frac*per).UTC(), nil
}
