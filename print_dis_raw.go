package pickle

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
)

// This file lets the disassembler walk a joblib pickle. joblib's unpickler
// reads an array's bytes (or, for an object array, a whole pickle of it)
// from the file right after a NumpyArrayWrapper's BUILD, then reads opcodes
// again; pickletools cannot, and stops at the first array byte. How many
// bytes there are follows from the wrapper's state (shape, dtype, padding),
// which the disassembler's stack picture does not hold: the decoder, which
// reads them as joblib does (joblib_wrapper.go), says where they are.

// DisassembleJoblib is Disassemble for the pickle at the start of data as
// joblib.load reads it: the bytes joblib writes after a NumpyArrayWrapper's
// BUILD are one line, "<n bytes of array data>" at their offset (padding
// included), or "<n bytes of the object array's own pickle>", and the
// disassembly goes on with the opcodes after them. On a pickle without such
// arrays it prints what Disassemble prints.
func DisassembleJoblib(w io.Writer, data []byte) error {
	out := bufio.NewWriter(w)
	d := disassembler{src: *newBytesSource(data), out: out, memo: map[string]bool{}, maxProto: -1, raw: rawSpans(data)}
	err := d.run()
	if ferr := out.Flush(); err == nil {
		err = ferr
	}
	return err
}

// rawSpans decodes the pickle at the start of data as joblib.load does
// (every global admitted symbolically, nothing run) and returns the bytes
// read raw after BUILD, adjacent ones merged, in order. Where decoding
// fails, those found before are returned: the disassembler reports the
// failure itself.
func rawSpans(data []byte) []rawSpan {
	// The wrapper's global is named in the pickle as text; without it
	// there is nothing to find, and no need to decode.
	if !bytes.Contains(data, []byte("NumpyArrayWrapper")) {
		return nil
	}
	cfg := defaultConfig()
	cfg.allowAll, cfg.keepPIDs, cfg.encoding = true, true, encLatin1
	var spans []rawSpan
	m := machine{src: newBytesSource(data), cfg: cfg, raw: &spans}
	_, _ = m.decode() // the spans found up to a failure are still right
	var merged []rawSpan
	for _, s := range spans {
		if n := len(merged); n > 0 && merged[n-1].end == s.start && merged[n-1].what == s.what {
			merged[n-1].end = s.end
			continue
		}
		merged = append(merged, s)
	}
	return merged
}

// skipRaw prints and skips the raw bytes that start at pos, if any, and
// reports whether there were some.
func (d *disassembler) skipRaw(pos int64) (bool, error) {
	for len(d.raw) > 0 && d.raw[0].start < pos {
		d.raw = d.raw[1:] // not on the path the disassembler took
	}
	if len(d.raw) == 0 || d.raw[0].start != pos {
		return false, nil
	}
	s := d.raw[0]
	d.raw = d.raw[1:]
	if _, err := d.src.next(int(s.end - s.start)); err != nil {
		return false, &DecodeError{Offset: pos, Err: err}
	}
	_, err := fmt.Fprintf(d.out, "%5d: <%d bytes of %s>\n", pos, s.end-s.start, s.what)
	return true, err
}
