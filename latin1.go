package pickle

import "unicode/utf8"

// latin1String decodes b as Latin-1: each byte is the code point of the same
// value, so bytes 0x80..0xff take two bytes in UTF-8 and the rest one.
// Python 2 str read with Encoding("latin1"), the scanner's reading of such
// strings, the disassembler's repr of them, and the text CPython writes for
// bytes at protocols 0 to 2 (_codecs.encode(text, 'latin1')) all need it.
func latin1String(b []byte) string {
	high := 0
	for _, c := range b {
		if c >= utf8.RuneSelf {
			high++
		}
	}
	if high == 0 {
		return string(b)
	}
	out := make([]byte, 0, len(b)+high)
	for _, c := range b {
		if c < utf8.RuneSelf {
			out = append(out, c)
		} else {
			out = append(out, 0xc0|c>>6, 0x80|c&0x3f)
		}
	}
	return string(out)
}
