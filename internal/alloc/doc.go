// Package alloc holds the decoders' leaf allocators: a boxer that puts
// numbers and strings into interface values, slabs of small slices, an
// arena of short strings, and pages that grow without moving. Each trades
// one allocation per decoded value for a share of a larger chunk, which
// stays alive while anything handed out from it does.
//
// They depend on nothing of the pickle package. The boxer writes interface
// values itself with unsafe; this package is where that is fenced in and
// where its tests pin that the results behave as the runtime's own,
// through garbage collections too.
package alloc
