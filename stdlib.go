package pickle

// This file maps the Python standard library's data types onto Go values.
// (Being written.)

// stdlibHashKey returns the dict key of a standard library value.
func stdlibHashKey(v any) (key any, ok bool, err error) { return nil, false, nil }

// appendStdlibRepr appends the repr of a standard library value.
func appendStdlibRepr(p *reprPrinter, dst []byte, v any, depth int) ([]byte, bool) {
	return dst, false
}

// stdlibReduce returns how CPython reduces a standard library value at a
// protocol, and the value's memo identity (nil for immutable values).
func stdlibReduce(v any, proto int) (o *Object, key any, ok bool, err error) {
	return nil, nil, false, nil
}
