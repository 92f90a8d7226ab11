package container

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/bits"
	"strconv"
	"unicode/utf8"
)

// Kind is what a file's first bytes say it is.
type Kind uint8

const (
	Unknown    Kind = iota // not a container; perhaps a protocol 0 or 1 pickle
	Empty                  // no bytes at all
	Pickle                 // a PROTO opcode with a known protocol
	Compressed             // one of the formats in compressors
	Zip
	Tar
	Npy // numpy's .npy: recognised here, read by the pickle package
)

// sniffLen is how many bytes Sniff wants: tar's magic sits at 257.
const sniffLen = 512

// Sniff says what head, the first bytes of a file (up to sniffLen of them),
// is: for Compressed also which compressor, else nil.
func Sniff(head []byte) (Kind, *compressor) {
	switch {
	case len(head) == 0:
		return Empty, nil
	case bytes.HasPrefix(head, []byte("PK\x03\x04")), bytes.HasPrefix(head, []byte("PK\x05\x06")):
		return Zip, nil
	case bytes.HasPrefix(head, []byte("\x93NUMPY")):
		return Npy, nil
	case len(head) >= 2 && head[0] == 0x80 && head[1] <= 5:
		return Pickle, nil
	case isTar(head):
		return Tar, nil
	}
	for i := range compressors {
		if compressors[i].match(head) {
			return Compressed, &compressors[i]
		}
	}
	return Unknown, nil
}

// isLZMAAlone reports whether head starts with the 13-byte header of the
// legacy .lzma format ("alone"), which has no magic number. It asks what
// liblzma's own reader asks: a properties byte below 9*5*5, a dictionary
// size of 2^n or 2^n+2^(n-1) bytes (here at least 4 KiB), and an
// uncompressed size that is unknown (all ones, as Python's lzma module
// writes) or below 2^38. No pickle starts so: such a dictionary size's low
// byte, the second byte of the file, is 0x00, which is no opcode.
func isLZMAAlone(head []byte) bool {
	if len(head) < 13 || head[0] >= 9*5*5 {
		return false
	}
	dict := binary.LittleEndian.Uint32(head[1:5])
	size := binary.LittleEndian.Uint64(head[5:13])
	if dict < 1<<12 || size != 1<<64-1 && size >= 1<<38 {
		return false
	}
	// Clear the highest bit set; what is left must be nothing or the
	// bit just below it.
	high := uint32(1) << (31 - bits.LeadingZeros32(dict))
	rest := dict - high
	return rest == 0 || rest == high>>1
}

// isTar reports whether head starts with a POSIX or GNU tar header: "ustar"
// at 257 and a header checksum that holds, so that a protocol 0 pickle with
// "ustar" in a string at that offset is not taken for one.
func isTar(head []byte) bool {
	if len(head) < 512 || !bytes.Equal(head[257:262], []byte("ustar")) {
		return false
	}
	field := bytes.TrimRight(bytes.TrimLeft(head[148:156], " "), " \x00")
	want, err := strconv.ParseUint(string(field), 8, 32)
	if err != nil {
		return false
	}
	// The sum of the header's bytes, the checksum field counted as spaces.
	var sum uint64
	for i, b := range head[:512] {
		if i >= 148 && i < 156 {
			b = ' '
		}
		sum += uint64(b)
	}
	return sum == want
}

// isZlib reports whether head starts with a zlib header (RFC 1950) for
// deflate, as Python's zlib.compress and joblib's zlib files write: 'x'
// (0x78), which is no pickle opcode, and a check byte.
func isZlib(head []byte) bool {
	return len(head) >= 2 && head[0] == 0x78 && (uint16(head[0])<<8|uint16(head[1]))%31 == 0 && head[1]&0x20 == 0
}

// Describe says in a few words what head looks like, for errors about input
// that is no pickle.
func Describe(head []byte) string {
	k, c := Sniff(head)
	switch k {
	case Empty:
		return "an empty file"
	case Compressed:
		return c.name + " data"
	case Zip:
		return "a zip archive"
	case Tar:
		return "a tar archive"
	case Npy:
		return "a numpy .npy file"
	case Pickle:
		return "a pickle"
	}
	if looksLikeText(head) {
		return "text"
	}
	n := min(len(head), 8)
	return fmt.Sprintf("binary data starting % x", head[:n])
}

// looksLikeText reports whether head is UTF-8 without control characters
// other than whitespace (a cut rune at the end is allowed).
func looksLikeText(head []byte) bool {
	for len(head) > 0 {
		r, n := utf8.DecodeRune(head)
		if r == utf8.RuneError && n <= 1 {
			return len(head) < utf8.UTFMax && !utf8.FullRune(head)
		}
		if r < 0x20 && r != '\n' && r != '\r' && r != '\t' {
			return false
		}
		head = head[n:]
	}
	return true
}
