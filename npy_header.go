package pickle

import (
	"encoding/binary"
	"strconv"
	"strings"
	"unicode/utf8"
)

// This file reads the header of numpy's .npy format (numpy/lib/format.py):
// the magic "\x93NUMPY", a major and minor version, the header's length (2
// bytes in version 1.0, 4 in 2.0 and 3.0) and the header, a Python dict
// literal {'descr': '<f8', 'fortran_order': False, 'shape': (3,), }
// (Latin-1 before 3.0, UTF-8 in 3.0), padded with spaces to a newline.

// npyMaxHeader is numpy's own bound on the header (max_header_size, numpy
// 1.24 on): a longer one is refused before it is read, as numpy.load does.
const npyMaxHeader = 10000

// npyHeader is what the header says.
type npyHeader struct {
	descr   string
	fortran bool
	shape   []int
	size    int // bytes from the start of the file to the data
}

func readNpyHeader(b []byte) (npyHeader, error) {
	var h npyHeader
	if len(b) < 10 || string(b[:6]) != "\x93NUMPY" {
		return h, malformed("numpy .npy file shorter than its preamble")
	}
	major, minor := b[6], b[7]
	var n, start int
	switch {
	case major == 1 && minor == 0:
		n, start = int(binary.LittleEndian.Uint16(b[8:10])), 10
	case (major == 2 || major == 3) && minor == 0:
		if len(b) < 12 {
			return h, ErrTruncated
		}
		n64 := binary.LittleEndian.Uint32(b[8:12])
		if n64 > npyMaxHeader {
			return h, &LimitError{Limit: "numpy .npy header size", Value: npyMaxHeader, Reached: int64(n64)}
		}
		n, start = int(n64), 12
	default:
		return h, unsupported("numpy .npy format version %d.%d (only 1.0, 2.0 and 3.0)", major, minor)
	}
	if n > npyMaxHeader {
		return h, &LimitError{Limit: "numpy .npy header size", Value: npyMaxHeader, Reached: int64(n)}
	}
	if len(b)-start < n {
		return h, ErrTruncated
	}
	text := b[start : start+n]
	var s string
	if major == 3 {
		if !utf8.Valid(text) {
			return h, malformed("numpy .npy 3.0 header is not UTF-8")
		}
		s = string(text)
	} else {
		s = latin1String(text)
	}
	h.size = start + n
	return h, h.parse(s)
}

// parse reads the dict literal: exactly the three keys numpy writes, each
// once, with values of the forms numpy writes. A structured dtype (descr a
// list) is refused.
func (h *npyHeader) parse(s string) error {
	p := literal{s: strings.TrimRight(s, " \n")}
	if !p.eat("{") {
		return malformed("numpy .npy header %q is not a dict", clip(s))
	}
	seen := map[string]bool{}
	for !p.eat("}") {
		key, ok := p.str()
		if !ok || !p.eat(":") || seen[key] {
			return malformed("numpy .npy header %q is not the dict numpy writes", clip(s))
		}
		seen[key] = true
		switch key {
		case "descr":
			if h.descr, ok = p.str(); !ok {
				return unsupported("numpy .npy header's descr in %q is not a dtype string (a structured dtype?)", clip(s))
			}
		case "fortran_order":
			switch {
			case p.eat("True"):
				h.fortran = true
			case p.eat("False"):
			default:
				return malformed("numpy .npy header's fortran_order in %q is not True or False", clip(s))
			}
		case "shape":
			if h.shape, ok = p.intTuple(); !ok {
				return malformed("numpy .npy header's shape in %q is not a tuple of at most 64 non-negative ints", clip(s))
			}
		default:
			return malformed("numpy .npy header has the key %q", key)
		}
		if !p.eat(",") && !p.peek("}") {
			return malformed("numpy .npy header %q is not the dict numpy writes", clip(s))
		}
	}
	if len(seen) != 3 || p.s != "" {
		return malformed("numpy .npy header %q has not the keys descr, fortran_order and shape alone", clip(s))
	}
	return nil
}

func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "..."
	}
	return s
}

// literal reads the few Python literals a .npy header holds.
type literal struct{ s string }

func (p *literal) skip() { p.s = strings.TrimLeft(p.s, " ") }

func (p *literal) peek(tok string) bool {
	p.skip()
	return strings.HasPrefix(p.s, tok)
}

func (p *literal) eat(tok string) bool {
	if !p.peek(tok) {
		return false
	}
	p.s = p.s[len(tok):]
	return true
}

// str reads a quoted string without escapes (numpy's keys and dtype
// strings have none).
func (p *literal) str() (string, bool) {
	p.skip()
	if p.s == "" || p.s[0] != '\'' && p.s[0] != '"' {
		return "", false
	}
	end := strings.IndexByte(p.s[1:], p.s[0])
	if end < 0 || strings.Contains(p.s[1:end+1], `\`) {
		return "", false
	}
	v := p.s[1 : end+1]
	p.s = p.s[end+2:]
	return v, true
}

func (p *literal) intTuple() ([]int, bool) {
	if !p.eat("(") {
		return nil, false
	}
	shape := []int{}
	for !p.eat(")") {
		p.skip()
		i := 0
		for i < len(p.s) && i < 19 && p.s[i] >= '0' && p.s[i] <= '9' {
			i++
		}
		n, err := strconv.Atoi(p.s[:i])
		if err != nil || len(shape) == 64 {
			return nil, false
		}
		shape = append(shape, n)
		p.s = p.s[i:]
		if !p.eat(",") && !p.peek(")") {
			return nil, false
		}
	}
	return shape, true
}

// npyDtype reads a descr: a byte order and a typestr ("<f8", "|b1",
// "<U5", "<M8[ns]", "|O").
func npyDtype(descr string) (Dtype, bool) {
	if len(descr) < 2 || !strings.ContainsRune("<>|=", rune(descr[0])) {
		return Dtype{}, false
	}
	order, typ := descr[0], descr[1:]
	if typ == "O" {
		return Dtype{Kind: 'O', Order: '|', Size: 8}, true
	}
	unit := ""
	if i := strings.IndexByte(typ, '['); i >= 0 && strings.HasSuffix(typ, "]") {
		typ, unit = typ[:i], typ[i+1:len(typ)-1]
	}
	d, ok := parseDtypeArg(typ)
	if !ok {
		return Dtype{}, false
	}
	if order == '=' {
		order = '<' // what numpy writes on little-endian machines
	}
	d.Order = order
	d.fixOrder()
	if d.Kind != 'M' && d.Kind != 'm' {
		return d, unit == ""
	}
	if unit == "" || unit == "generic" {
		return d, true
	}
	i := 0
	for i < len(unit) && i < 9 && unit[i] >= '0' && unit[i] <= '9' {
		i++
	}
	d.Count = 1
	if i > 0 {
		n, err := strconv.Atoi(unit[:i])
		if err != nil || n < 1 {
			return Dtype{}, false
		}
		d.Count = n
	}
	d.Unit = unit[i:]
	return d, datetimeUnits[d.Unit]
}
