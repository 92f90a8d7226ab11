package pickle

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
)

// This file implements signed pickles: an HMAC-SHA256 envelope around a
// pickle, written by the SignWith option and checked by VerifyWith before a
// single opcode is decoded. The format, all of it covered by the tag:
//
//	"PKLHMAC1"             8 bytes, the magic
//	key id length          1 byte, 0 to 255
//	key id                 that many bytes, naming the key (for rotation)
//	payload length         8 bytes, unsigned, little-endian
//	payload                the pickle
//	tag                    32 bytes: HMAC-SHA256(key, everything above)
//
// In Python:
//
//	def sign(payload, key_id, key):
//	    head = b'PKLHMAC1' + bytes([len(key_id)]) + key_id + struct.pack('<Q', len(payload))
//	    return head + payload + hmac.new(key, head + payload, hashlib.sha256).digest()
//	def verify(env, keys):
//	    n = env[8]; key_id = env[9:9+n]; size, = struct.unpack('<Q', env[9+n:17+n])
//	    body, tag = env[:17+n+size], env[17+n+size:]
//	    if len(tag) != 32 or not hmac.compare_digest(tag, hmac.new(keys[key_id], body, hashlib.sha256).digest()): raise ValueError('bad signature')
//	    return env[17+n:17+n+size]

const envelopeMagic = "PKLHMAC1"

// Errors of signed pickles, one for each way an envelope fails; a cut-off
// envelope is ErrTruncated.
var (
	// ErrSignature: the tag does not match: the pickle was changed, or
	// signed with another key.
	ErrSignature = errors.New("pickle: signature does not verify")
	// ErrUnknownKey: the envelope names a key id VerifyWith was not given.
	ErrUnknownKey = errors.New("pickle: signed with an unknown key id")
	// ErrNotSigned: VerifyWith was given but the input is not an envelope.
	ErrNotSigned = errors.New("pickle: not a signed pickle")
)

// SignWith makes Marshal and Encode wrap each pickle in an HMAC-SHA256
// envelope, tagged with key and naming keyID (at most 255 bytes), so that a
// reader holding the key can check that nothing changed it.
func SignWith(keyID string, key []byte) Option {
	return optionFunc(func(c *config) {
		if len(keyID) > 255 {
			c.fail(fmt.Errorf("pickle: SignWith: key id of %d bytes; at most 255", len(keyID)))
			return
		}
		if len(key) == 0 {
			c.fail(errors.New("pickle: SignWith: empty key"))
			return
		}
		c.signKeyID, c.signKey = keyID, append([]byte(nil), key...)
	})
}

// VerifyWith makes Unmarshal and Decode accept only signed pickles, checked
// against keys (key id to key; several allow rotation) before any of the
// pickle is decoded. The comparison runs in constant time.
func VerifyWith(keys map[string][]byte) Option {
	return optionFunc(func(c *config) {
		m := make(map[string][]byte, len(keys))
		for id, k := range keys {
			m[id] = append([]byte(nil), k...)
		}
		c.verifyKeys = m
	})
}

// seal wraps a pickle in the envelope.
func seal(payload []byte, keyID string, key []byte) []byte {
	out := make([]byte, 0, len(envelopeMagic)+1+len(keyID)+8+len(payload)+sha256.Size)
	out = append(out, envelopeMagic...)
	out = append(out, byte(len(keyID)))
	out = append(out, keyID...)
	out = binary.LittleEndian.AppendUint64(out, uint64(len(payload)))
	out = append(out, payload...)
	mac := hmac.New(sha256.New, key)
	mac.Write(out)
	return mac.Sum(out)
}

// openEnvelope reads one envelope from src and returns its verified payload.
func openEnvelope(src *source, keys map[string][]byte) ([]byte, error) {
	start := src.offset()
	var body bytes.Buffer
	for i := range len(envelopeMagic) + 1 {
		c, err := src.readByte()
		if err != nil {
			return nil, envelopeErr(start, err)
		}
		if i < len(envelopeMagic) && c != envelopeMagic[i] {
			return nil, &DecodeError{Offset: start, Err: ErrNotSigned}
		}
		body.WriteByte(c)
	}
	idLen := int(body.Bytes()[len(envelopeMagic)])
	id, err := src.next(idLen)
	if err != nil {
		return nil, envelopeErr(start, err)
	}
	body.Write(id)
	key, ok := keys[string(id)]
	if !ok {
		return nil, &DecodeError{Offset: start, Err: fmt.Errorf("%w %q", ErrUnknownKey, id)}
	}
	lenBytes, err := src.next(8)
	if err != nil {
		return nil, envelopeErr(start, err)
	}
	body.Write(lenBytes)
	payload, err := src.nextLength(binary.LittleEndian.Uint64(lenBytes))
	if err != nil {
		return nil, envelopeErr(start, err)
	}
	payloadAt := body.Len()
	body.Write(payload)
	tag, err := src.next(sha256.Size)
	if err != nil {
		return nil, envelopeErr(start, err)
	}
	mac := hmac.New(sha256.New, key)
	mac.Write(body.Bytes())
	if !hmac.Equal(mac.Sum(nil), tag) {
		return nil, &DecodeError{Offset: start, Err: ErrSignature}
	}
	return body.Bytes()[payloadAt:], nil
}

func envelopeErr(start int64, err error) error {
	if err == ErrTruncated {
		return &DecodeError{Offset: start, Err: fmt.Errorf("signed pickle cut short: %w", ErrTruncated)}
	}
	return &DecodeError{Offset: start, Err: err}
}
