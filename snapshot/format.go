package snapshot

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash"
	"time"
)

// This file is the byte layout of snapshot and journal files (see the package
// documentation): the header, and the seals that bind a header to its body
// and a journal record to its place.

const (
	magic         = "PKLSNAP\x00"
	formatVersion = 1
	kindSnapshot  = 'S'
	kindJournal   = 'J'
	sealSize      = sha256.Size
	recordMagic   = "PKLSNAPR"
	// envelopeTagSize is the tag at the end of a pickle.SignWith envelope.
	envelopeTagSize = sha256.Size
	// fixedHeader is the header without its two variable strings.
	fixedHeader = 8 + 1 + 1 + 1 + 4 + 8 + 8 + 1 + 1 + 8
	// maxHeader is the longest header: both strings 255 bytes.
	maxHeader = fixedHeader + 2*255
)

// header is a decoded file header.
type header struct {
	kind       byte
	protocol   int
	schema     int
	time       time.Time
	generation uint64
	writer     string
	keyID      string
	bodyLen    uint64
}

// appendHeader appends h's encoding to b.
func appendHeader(b []byte, h *header) []byte {
	b = append(b, magic...)
	b = append(b, formatVersion, h.kind, byte(h.protocol))
	b = binary.LittleEndian.AppendUint32(b, uint32(h.schema))
	b = binary.LittleEndian.AppendUint64(b, uint64(h.time.UnixNano()))
	b = binary.LittleEndian.AppendUint64(b, h.generation)
	b = append(b, byte(len(h.writer)))
	b = append(b, h.writer...)
	b = append(b, byte(len(h.keyID)))
	b = append(b, h.keyID...)
	return binary.LittleEndian.AppendUint64(b, h.bodyLen)
}

// parseHeader decodes the header at the start of data and returns it with
// its length. Errors wrap ErrCorrupt and say which field is wrong.
func parseHeader(data []byte) (*header, int, error) {
	if len(data) < len(magic) || string(data[:len(magic)]) != magic {
		return nil, 0, fmt.Errorf("%w: no snapshot magic at offset 0", ErrCorrupt)
	}
	if len(data) < fixedHeader {
		return nil, 0, fmt.Errorf("%w: header cut short at %d bytes", ErrCorrupt, len(data))
	}
	if v := data[8]; v != formatVersion {
		return nil, 0, fmt.Errorf("%w: format version %d at offset 8; this program reads %d", ErrCorrupt, v, formatVersion)
	}
	h := &header{kind: data[9], protocol: int(data[10])}
	if h.kind != kindSnapshot && h.kind != kindJournal {
		return nil, 0, fmt.Errorf("%w: unknown file kind %q at offset 9", ErrCorrupt, h.kind)
	}
	if h.protocol > 5 {
		return nil, 0, fmt.Errorf("%w: protocol %d at offset 10", ErrCorrupt, h.protocol)
	}
	h.schema = int(binary.LittleEndian.Uint32(data[11:]))
	h.time = time.Unix(0, int64(binary.LittleEndian.Uint64(data[15:]))).UTC()
	h.generation = binary.LittleEndian.Uint64(data[23:])
	pos := 31
	str := func(field string) (string, error) {
		if pos >= len(data) {
			return "", fmt.Errorf("%w: header cut short in its %s", ErrCorrupt, field)
		}
		n := int(data[pos])
		if pos+1+n > len(data) {
			return "", fmt.Errorf("%w: header cut short in its %s", ErrCorrupt, field)
		}
		s := string(data[pos+1 : pos+1+n])
		pos += 1 + n
		return s, nil
	}
	var err error
	if h.writer, err = str("writer"); err != nil {
		return nil, 0, err
	}
	if h.keyID, err = str("key id"); err != nil {
		return nil, 0, err
	}
	if pos+8 > len(data) {
		return nil, 0, fmt.Errorf("%w: header cut short in its body length", ErrCorrupt)
	}
	h.bodyLen = binary.LittleEndian.Uint64(data[pos:])
	return h, pos + 8, nil
}

// newSealHash returns the hash a seal is computed with: HMAC-SHA256 with key
// for a signed file, SHA-256 for an unsigned one (key nil).
func newSealHash(key []byte) hash.Hash {
	if key == nil {
		return sha256.New()
	}
	return hmac.New(sha256.New, key)
}

// bodySealInput is what of a body goes into a seal: the envelope's tag when
// signed (the tag already covers the body), the whole body when not.
func bodySealInput(body []byte, signed bool) []byte {
	if signed {
		if len(body) < envelopeTagSize {
			return body
		}
		return body[len(body)-envelopeTagSize:]
	}
	return body
}

// fileSeal is the seal of a snapshot or journal header and its body.
func fileSeal(key []byte, head, body []byte) []byte {
	h := newSealHash(key)
	h.Write(head)
	h.Write(bodySealInput(body, key != nil))
	return h.Sum(nil)
}

// recordSeal is the seal of record index of journal generation gen.
func recordSeal(key []byte, gen, index uint64, body []byte) []byte {
	h := newSealHash(key)
	var b [len(recordMagic) + 16]byte
	copy(b[:], recordMagic)
	binary.LittleEndian.PutUint64(b[len(recordMagic):], gen)
	binary.LittleEndian.PutUint64(b[len(recordMagic)+8:], index)
	h.Write(b[:])
	h.Write(bodySealInput(body, key != nil))
	return h.Sum(nil)
}

// genName is the file name of generation gen with suffix ".snap" or
// ".journal".
func genName(gen uint64, suffix string) string {
	return fmt.Sprintf("gen-%020d%s", gen, suffix)
}

// parseGenName returns the generation a file name belongs to.
func parseGenName(name, suffix string) (uint64, bool) {
	const digits = 20
	if len(name) != len("gen-")+digits+len(suffix) || name[:4] != "gen-" || name[4+digits:] != suffix {
		return 0, false
	}
	var n uint64
	for _, c := range name[4 : 4+digits] {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	return n, n > 0
}
