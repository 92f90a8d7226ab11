package pickle

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// This file prints arrays as numpy 1.24's repr does with its default print
// options (75 columns, at most 1000 elements before "..." with 3 at each
// edge, floats to 8 digits at most): array([1. , 2.5]),
// array([[1, 2], [3, 4]], dtype=int32) wrapped as numpy wraps it. Kinds
// whose printing it does not follow (complex, datetime, object, float16,
// void) print as NDArray.String's summary.

// numpy's print options, as numpy.get_printoptions() gives them by default.
const (
	reprLineWidth = 75
	reprThreshold = 1000
	reprEdgeItems = 3
	reprPrecision = 8
)

// ndarrayRepr is the numpy.ndarray row's repr.
func ndarrayRepr(p *reprPrinter, dst []byte, v any, depth int) ([]byte, bool) {
	a := v.(*NDArray)
	if a.validate() != nil {
		return append(dst, a.String()...), true
	}
	if a.Scalar {
		return a.appendScalarRepr(p, dst, depth), true
	}
	if s, ok := a.numpyRepr(); ok {
		return append(dst, s...), true
	}
	return append(dst, a.String()...), true
}

// appendScalarRepr prints a numpy scalar as numpy 1.24 does: as the Python
// value it holds, a float32 in the fewest digits that single precision
// needs.
func (a *NDArray) appendScalarRepr(p *reprPrinter, dst []byte, depth int) []byte {
	e, err := a.element(0, 0)
	if err != nil {
		return append(dst, a.String()...)
	}
	if f, ok := e.(float64); ok && a.Dtype.Kind == 'f' && a.Dtype.Size == 4 && !math.IsInf(f, 0) && !math.IsNaN(f) {
		return strconv.AppendFloat(dst, f, 'g', -1, 32)
	}
	if a.Dtype.Kind == 'f' && a.Dtype.Size == 2 {
		return append(dst, a.String()...)
	}
	return p.append(dst, e, depth+1)
}

// numpyRepr returns numpy's repr of the array; false for kinds it does not
// print as numpy does.
func (a *NDArray) numpyRepr() (string, bool) {
	n := a.Len()
	summary := n > reprThreshold
	format, ok := a.elementFormat(summary)
	if !ok {
		return "", false
	}
	implied := a.dtypeImplied() && n > 0
	suffix := ","
	if implied {
		suffix = ")"
	}
	var body string
	if n > 0 || (len(a.Shape) == 1 && a.Shape[0] == 0) {
		if n == 0 {
			body = "[]"
		} else {
			f := arrayFormatter{a: a, format: format, summary: summary, memOf: a.memIndex()}
			body = f.recurse(nil, "       ", reprLineWidth-len(suffix))
		}
	} else {
		body = "[], shape=" + pyShapeRepr(a.Shape)
	}
	s := "array(" + body + suffix
	if implied {
		return s, true
	}
	dtype := "dtype=" + a.dtypeShortRepr() + ")"
	last := pyLen(s[strings.LastIndexByte(s, '\n')+1:])
	if last+len(dtype)+1 > reprLineWidth {
		return s + "\n      " + dtype, true
	}
	return s + " " + dtype, true
}

// dtypeImplied reports a dtype numpy's repr leaves out: the native int64,
// float64, complex128 and bool, which array([...]) makes by default.
// Numbers count as native whatever their order: numpy loads them in native
// order from every pickle, and prints them so.
func (a *NDArray) dtypeImplied() bool {
	d := a.Dtype
	native := d.Order != '>' || d.isNumber()
	switch {
	case d.Kind == 'b':
		return true
	case d.Kind == 'i' && d.Size == 8, d.Kind == 'f' && d.Size == 8, d.Kind == 'c' && d.Size == 16:
		return native
	}
	return false
}

// dtypeShortRepr is numpy's dtype_short_repr: the name (int32), or the
// quoted str for flexible and non-native dtypes ('<U3', '>f8').
func (a *NDArray) dtypeShortRepr() string {
	d := a.Dtype
	if d.Kind == 'U' || d.Kind == 'S' || d.Kind == 'V' || d.Order == '>' && !d.isNumber() {
		return "'" + d.String() + "'"
	}
	name := scalarTypeNames[string(d.Kind)+strconv.Itoa(d.Size)]
	if name == "bool_" {
		name = "bool"
	}
	return name
}

// pyShapeRepr is Python's repr of a shape tuple.
func pyShapeRepr(shape []int) string {
	parts := make([]string, len(shape))
	for i, d := range shape {
		parts[i] = strconv.Itoa(d)
	}
	if len(shape) == 1 {
		return "(" + parts[0] + ",)"
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// memIndex returns the function from a row-major index to the memory
// index.
func (a *NDArray) memIndex() func(int) int {
	if a.Fortran {
		return fortranIndex(a.Shape)
	}
	return func(i int) int { return i }
}

// shown returns the row-major indexes of the elements numpy looks at to
// choose a format: all of them, or with summary only those within
// reprEdgeItems of either edge along every axis.
func (a *NDArray) shown(summary bool) []int {
	idx := []int{0}
	for _, d := range a.Shape {
		var keep []int
		for k := range d {
			if !summary || d <= 2*reprEdgeItems || k < reprEdgeItems || k >= d-reprEdgeItems {
				keep = append(keep, k)
			}
		}
		next := make([]int, 0, len(idx)*len(keep))
		for _, i := range idx {
			for _, k := range keep {
				next = append(next, i*d+k)
			}
		}
		idx = next
	}
	return idx
}

// elementFormat returns the function that prints one element, padded as
// numpy pads it for this array; false for a kind not printed here.
func (a *NDArray) elementFormat(summary bool) (func(any) string, bool) {
	d := a.Dtype
	var vals []any
	if d.Kind == 'i' || d.Kind == 'u' || d.Kind == 'f' {
		memOf := a.memIndex()
		for _, i := range a.shown(summary) {
			v, err := a.element(i, memOf(i))
			if err != nil {
				return nil, false
			}
			vals = append(vals, v)
		}
	}
	switch {
	case d.Kind == 'b':
		true_ := " True"
		if len(a.Shape) == 0 {
			true_ = "True"
		}
		return func(v any) string {
			if v.(bool) {
				return true_
			}
			return "False"
		}, true
	case d.Kind == 'i' || d.Kind == 'u':
		width := 0
		for _, v := range vals {
			width = max(width, len(Repr(v)))
		}
		return func(v any) string {
			s := Repr(v)
			return strings.Repeat(" ", max(0, width-len(s))) + s
		}, true
	case d.Kind == 'f' && (d.Size == 4 || d.Size == 8):
		fs := make([]float64, len(vals))
		for i, v := range vals {
			fs[i] = v.(float64)
		}
		ff := newFloatFormat(fs, 8*d.Size)
		return func(v any) string { return ff.format(v.(float64)) }, true
	case d.Kind == 'U':
		return func(v any) string { return string(appendPyStrRepr(nil, v.(string))) }, true
	case d.Kind == 'S':
		return func(v any) string { return string(appendPyBytesRepr(nil, v.([]byte))) }, true
	}
	return nil, false
}

// floatFormat is numpy's FloatingFormat in its default mode (maxprec, 8
// digits, sign only when negative): every element positional or every one
// scientific, with the same padding.
type floatFormat struct {
	bits              int
	exp               bool
	padLeft, padRight int
	precision         int // scientific: digits after the point
	expSize           int // scientific: digits of the exponent
}

func newFloatFormat(vals []float64, bits int) floatFormat {
	ff := floatFormat{bits: bits}
	var finite []float64
	minAbs, maxAbs := math.Inf(1), 0.0
	for _, v := range vals {
		if math.IsInf(v, 0) || math.IsNaN(v) {
			continue
		}
		finite = append(finite, v)
		if v != 0 {
			minAbs, maxAbs = min(minAbs, math.Abs(v)), max(maxAbs, math.Abs(v))
		}
	}
	if maxAbs > 0 {
		ff.exp = maxAbs >= 1e8 || minAbs < 1e-4 || maxAbs/minAbs > 1000
	}
	for _, v := range finite {
		if ff.exp {
			mant, e := ff.scientific(v)
			ip, fp, _ := strings.Cut(mant, ".")
			ff.padLeft, ff.precision = max(ff.padLeft, len(ip)), max(ff.precision, len(fp))
			ff.expSize = max(ff.expSize, len(e)-1)
		} else {
			ip, fp, _ := strings.Cut(ff.positional(v), ".")
			ff.padLeft, ff.padRight = max(ff.padLeft, len(ip)), max(ff.padRight, len(fp))
		}
	}
	if ff.exp && len(finite) > 0 {
		ff.padRight = ff.expSize + 2 + ff.precision // for nan and inf only
	}
	if len(finite) != len(vals) {
		infLen := 3
		for _, v := range vals {
			if math.IsInf(v, -1) {
				infLen = 4
			}
		}
		ff.padLeft = max(ff.padLeft, 3-(ff.padRight+1), infLen-(ff.padRight+1))
	}
	return ff
}

// positional is the fewest digits that identify v at its precision, cut to
// reprPrecision after the point, always with the point ("1.").
func (ff floatFormat) positional(v float64) string {
	s := strconv.FormatFloat(v, 'f', -1, ff.bits)
	if i := strings.IndexByte(s, '.'); i >= 0 && len(s)-i-1 > reprPrecision {
		s = strings.TrimRight(strconv.FormatFloat(v, 'f', reprPrecision, ff.bits), "0")
	}
	if !strings.Contains(s, ".") {
		s += "."
	}
	return s
}

// scientific is positional's scientific form: the mantissa ("1.5", "1.")
// and the exponent with its sign ("+00").
func (ff floatFormat) scientific(v float64) (mant, exp string) {
	mant, exp, _ = strings.Cut(strconv.FormatFloat(v, 'e', -1, ff.bits), "e")
	if i := strings.IndexByte(mant, '.'); i >= 0 && len(mant)-i-1 > reprPrecision {
		mant, exp, _ = strings.Cut(strconv.FormatFloat(v, 'e', reprPrecision, ff.bits), "e")
		mant = strings.TrimRight(mant, "0")
	}
	if !strings.Contains(mant, ".") {
		mant += "."
	}
	return mant, exp
}

func (ff floatFormat) format(v float64) string {
	pad := func(s string, width int) string { return strings.Repeat(" ", max(0, width-len(s))) + s }
	switch {
	case math.IsNaN(v):
		return pad("nan", ff.padLeft+ff.padRight+1)
	case math.IsInf(v, 1):
		return pad("inf", ff.padLeft+ff.padRight+1)
	case math.IsInf(v, -1):
		return pad("-inf", ff.padLeft+ff.padRight+1)
	}
	if ff.exp {
		mant, exp := ff.scientific(v)
		ip, fp, _ := strings.Cut(mant, ".")
		fp += strings.Repeat("0", max(0, ff.precision-len(fp)))
		digits := exp[1:]
		digits = strings.Repeat("0", max(0, ff.expSize-len(digits))) + digits
		return pad(ip, ff.padLeft) + "." + fp + "e" + exp[:1] + digits
	}
	ip, fp, _ := strings.Cut(ff.positional(v), ".")
	return pad(ip, ff.padLeft) + "." + fp + strings.Repeat(" ", max(0, ff.padRight-len(fp)))
}

// arrayFormatter lays out the elements as numpy's _formatArray does.
type arrayFormatter struct {
	a       *NDArray
	format  func(any) string
	summary bool
	memOf   func(int) int
}

// recurse formats the sub-array at index (a prefix of a full index).
func (f *arrayFormatter) recurse(index []int, hanging string, width int) string {
	a := f.a
	axis := len(index)
	if axis == len(a.Shape) {
		i := 0
		for k, d := range a.Shape {
			i = i*d + index[k]
		}
		v, err := a.element(i, f.memOf(i))
		if err != nil {
			return "?"
		}
		return f.format(v)
	}
	nextHanging, nextWidth := hanging+" ", width-1
	n := a.Shape[axis]
	lead, trail := 0, n
	summary := f.summary && 2*reprEdgeItems < n
	if summary {
		lead, trail = reprEdgeItems, reprEdgeItems
	}
	sub := func(k int) string { return f.recurse(append(index[:axis:axis], k), nextHanging, nextWidth) }
	var s string
	if axis == len(a.Shape)-1 {
		elemWidth := width - 1 // room for "," or "]"
		line := hanging
		for k := range lead {
			s, line = extendLine(s, line, sub(k), elemWidth, hanging)
			line += ", "
		}
		if summary {
			s, line = extendLine(s, line, "...", elemWidth, hanging)
			line += ", "
		}
		for k := n - trail; k < n-1; k++ {
			s, line = extendLine(s, line, sub(k), elemWidth, hanging)
			line += ", "
		}
		s, line = extendLine(s, line, sub(n-1), elemWidth, hanging)
		s += line
	} else {
		sep := "," + strings.Repeat("\n", len(a.Shape)-axis-1)
		for k := range lead {
			s += hanging + sub(k) + sep
		}
		if summary {
			s += hanging + "..." + sep
		}
		for k := n - trail; k < n-1; k++ {
			s += hanging + sub(k) + sep
		}
		s += hanging + sub(n-1)
	}
	return "[" + s[len(hanging):] + "]"
}

// extendLine adds word to line, first starting a new line if it would run
// past width (unless the line holds no word yet).
func extendLine(s, line, word string, width int, hanging string) (string, string) {
	if pyLen(line)+pyLen(word) > width && pyLen(line) > len(hanging) {
		s += strings.TrimRight(line, " ") + "\n"
		line = hanging
	}
	return s, line + word
}

// pyLen is Python's len of text: code points.
func pyLen(s string) int { return utf8.RuneCountInString(s) }

// isNumber reports the kinds numpy swaps to native order as it loads them.
func (d Dtype) isNumber() bool { return strings.IndexByte("biufcMm", d.Kind) >= 0 }
