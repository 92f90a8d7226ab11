package pickle

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"path"
	"strings"
)

// This file reads PyTorch checkpoints (torch.save): the zip torch writes
// since 1.6 (<name>/data.pkl, one member <name>/data/<key> per storage,
// <name>/version, and <name>/byteorder in newer versions), and the legacy
// format before it (a sequence of pickles, then the storages' raw bytes).
// data.pkl is decoded with the globals torch's weights_only loader admits
// (pytype_torch.go) added to the caller's allowlist, and its persistent ids
// ('storage', storage_type, key, location, numel) resolve to storages read
// when the pickle names them, each once, straight into the bytes its
// tensors share (torch_tensor.go).

// torchLegacyMagic is the first pickle of a legacy checkpoint: torch's
// MAGIC_NUMBER, 0x1950a86a20f9469cfc6c, as LONG1 writes it after PROTO.
var torchLegacyMagic = []byte("\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19")

// torchLegacyProtocol is the PROTOCOL_VERSION torch's legacy format writes.
const torchLegacyProtocol = 1001

// IsTorchCheckpoint reports whether the file r of the given size is a
// PyTorch checkpoint, which ReadFile and ReadContainer read as torch.load
// does: torch.save's zip (a member <name>/data.pkl beside <name>/data/ or
// <name>/version) or its legacy format (a pickle of torch's magic number
// first). Its pickles cannot be decoded one by one, as EachStream hands
// them out: their persistent ids name the storages.
func IsTorchCheckpoint(r io.ReaderAt, size int64) bool {
	ok, _, _ := sniffTorch(r, size)
	return ok
}

// sniffTorch says whether r is a torch checkpoint, and if it is a zip,
// returns its reader.
func sniffTorch(r io.ReaderAt, size int64) (ok bool, legacy bool, zr *zip.Reader) {
	head := make([]byte, min(size, 16))
	if _, err := r.ReadAt(head, 0); err != nil && err != io.EOF {
		return false, false, nil // the container readers will say what is wrong
	}
	if len(head) >= 2+len(torchLegacyMagic) && head[0] == 0x80 && bytes.HasPrefix(head[2:], torchLegacyMagic) {
		return true, true, nil
	}
	if !bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		return false, false, nil
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return false, false, nil
	}
	if _, pkl := torchZipLayout(zr); pkl == nil {
		return false, false, nil
	}
	return true, false, zr
}

// readTorch reads r as a PyTorch checkpoint into v if it is one; ok is
// false when it is not, and nothing was decoded.
func readTorch(r io.ReaderAt, size int64, v any, cfg *config, opts []Option) (ok bool, err error) {
	ok, legacy, zr := sniffTorch(r, size)
	switch {
	case !ok:
		return false, nil
	case legacy:
		return true, readTorchLegacy(r, size, v, cfg, opts)
	}
	prefix, pkl := torchZipLayout(zr)
	return true, readTorchZip(r, size, zr, prefix, pkl, v, cfg, opts)
}

// torchZipLayout finds the <name>/data.pkl of a torch zip, with the
// <name>/ prefix of its members; pkl is nil in any other zip. torch's
// writer puts data.pkl first, but any order is read.
func torchZipLayout(zr *zip.Reader) (prefix string, pkl *zip.File) {
	var prefixes []string
	byName := map[string]bool{}
	for _, f := range zr.File {
		byName[f.Name] = true
		if dir, base := path.Split(f.Name); base == "data.pkl" && strings.Count(dir, "/") == 1 {
			prefixes = append(prefixes, dir)
			if pkl == nil {
				prefix, pkl = dir, f
			}
		}
	}
	if len(prefixes) != 1 {
		return "", nil
	}
	for name := range byName {
		if strings.HasPrefix(name, prefix+"data/") || name == prefix+"version" {
			return prefix, pkl
		}
	}
	return "", nil
}

func readTorchZip(r io.ReaderAt, size int64, zr *zip.Reader, prefix string, pkl *zip.File, v any, cfg *config, opts []Option) error {
	members := map[string]*zip.File{}
	for _, f := range zr.File {
		members[f.Name] = f
	}
	bigEndian := false
	if f := members[prefix+"byteorder"]; f != nil {
		b, err := readZipMember(r, size, f, 16, cfg)
		if err != nil {
			return err
		}
		switch string(b) {
		case "little":
		case "big":
			bigEndian = true
		default:
			return fmt.Errorf("pickle: zip member %s says %q, not little or big: %w", f.Name, b, ErrMalformed)
		}
	}
	data, err := readZipMember(r, size, pkl, -1, cfg)
	if err != nil {
		return err
	}
	st := &torchStorages{bigEndian: bigEndian, byKey: map[string]*torchStorage{}}
	st.load = func(key string, s *torchStorage) error {
		name := prefix + "data/" + key
		f := members[name]
		if f == nil {
			return fmt.Errorf("pickle: torch storage %s: no zip member %s: %w", key, name, ErrMalformed)
		}
		if want := uint64(s.numel) * uint64(s.dtype.Size); f.UncompressedSize64 != want {
			return fmt.Errorf("pickle: zip member %s holds %d bytes, not the %d of %d %s elements its persistent id says: %w",
				name, f.UncompressedSize64, want, s.numel, s.dtype, ErrMalformed)
		}
		b, err := readZipMember(r, size, f, -1, cfg)
		s.data = b
		s.fill()
		return err
	}
	dec := st.decoder(bytes.NewReader(data), cfg, opts)
	if dec.err != nil {
		return dec.err
	}
	obj, err := dec.m.decode()
	if err == nil && dec.InputOffset() < int64(len(data)) {
		err = &DecodeError{Offset: dec.InputOffset(), Err: malformed("%d bytes of trailing data after STOP", int64(len(data))-dec.InputOffset())}
	}
	if err == nil {
		err = store(v, obj, dec.m.cfg, size, false)
	}
	if err != nil {
		return &placedError{"zip member " + pkl.Name, truncatedEOF(err)}
	}
	return nil
}

// decoder returns a Decoder of a checkpoint's object pickle, with the
// caller's options, the torch globals admitted and persistent ids resolved
// to storages. Its value is stored into the caller's v apart, with a
// typed-decoding budget sized by the whole file (the storages are input
// too), not by the pickle alone.
func (t *torchStorages) decoder(r io.Reader, cfg *config, opts []Option) *Decoder {
	t.copies = copyBudget{limit: cfg.maxDecompressed}
	all := append(opts[:len(opts):len(opts)], AllowGlobals(torchAllowed...), PersistentLoad(t.persistentLoad))
	return NewDecoder(r, all...)
}

// readZipMember returns the bytes of a zip member, checked against its
// CRC: a stored member is read straight from r into one buffer of its size
// (which the file must hold); a compressed one through its decompressor,
// within MaxDecompressedSize. max >= 0 bounds the size the member may say
// it has.
func readZipMember(r io.ReaderAt, size int64, f *zip.File, max int64, cfg *config) ([]byte, error) {
	n := f.UncompressedSize64
	if max >= 0 && n > uint64(max) || n > math.MaxInt {
		return nil, fmt.Errorf("pickle: zip member %s says it holds %d bytes: %w", f.Name, n, ErrMalformed)
	}
	if f.Method == zip.Store {
		off, err := f.DataOffset()
		if err != nil || f.CompressedSize64 != n || uint64(off) > uint64(size) || n > uint64(size-off) {
			return nil, fmt.Errorf("pickle: zip member %s: %d stored bytes at offset %d do not fit the file's %d: %w", f.Name, n, off, size, ErrTruncated)
		}
		buf := make([]byte, n)
		if _, err := r.ReadAt(buf, off); err != nil && n > 0 {
			return nil, fmt.Errorf("pickle: zip member %s (data at offset %d): %w", f.Name, off, err)
		}
		if crc32.ChecksumIEEE(buf) != f.CRC32 {
			return nil, fmt.Errorf("pickle: zip member %s (data at offset %d): checksum error: %w", f.Name, off, ErrMalformed)
		}
		return buf, nil
	}
	if cfg.maxDecompressed > 0 && n > uint64(cfg.maxDecompressed) {
		return nil, &placedError{"zip member " + f.Name, &LimitError{Limit: "MaxDecompressedSize", Value: cfg.maxDecompressed, Reached: int64(n)}}
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("pickle: zip member %s: %w", f.Name, err)
	}
	defer rc.Close()
	// deflate expands at most 1032 to 1: a size beyond what the
	// compressed bytes can give buys no allocation up front.
	buf := bytes.NewBuffer(make([]byte, 0, min(n, f.CompressedSize64*1032+4096)))
	// Reading one byte past the size checks that nothing is left, and
	// reading to the end checks the CRC.
	if _, err := io.Copy(buf, io.LimitReader(rc, int64(n)+1)); err != nil {
		return nil, fmt.Errorf("pickle: zip member %s: %w", f.Name, err)
	}
	if uint64(buf.Len()) != n {
		return nil, fmt.Errorf("pickle: zip member %s holds %d bytes or more, not the %d it says: %w", f.Name, buf.Len(), n, ErrMalformed)
	}
	return buf.Bytes(), nil
}

// torchStorages resolves the persistent ids of one checkpoint.
type torchStorages struct {
	bigEndian bool
	byKey     map[string]*torchStorage
	order     []*torchStorage
	// load reads a new storage's bytes, or leaves them to be read later.
	load   func(key string, s *torchStorage) error
	copies copyBudget // shared by the storages
}

// persistentLoad resolves ('storage', storage_type, key, location, numel),
// and the legacy format's form with a sixth item, view_metadata, which
// torch since 0.4 always writes as None.
func (t *torchStorages) persistentLoad(pid any) (any, error) {
	id, ok := pid.(Tuple)
	if !ok || len(id) != 5 && len(id) != 6 || !isText(id[0], "storage") {
		return nil, fmt.Errorf("pickle: torch persistent id %s is not ('storage', type, key, location, numel): %w", typeName(pid), ErrMalformed)
	}
	g, ok1 := id[1].(Global)
	key, ok2 := textOf(id[2])
	numel, ok3 := id[4].(int64)
	if !ok1 || !ok2 || !ok3 || numel < 0 {
		return nil, fmt.Errorf("pickle: torch persistent id (%s, %s, %s, _, %s) is not ('storage', type, key, location, numel): %w",
			typeName(id[0]), typeName(id[1]), typeName(id[2]), typeName(id[4]), ErrMalformed)
	}
	if len(id) == 6 && id[5] != nil {
		return nil, fmt.Errorf("pickle: torch storage %s is a view of another (torch before 0.4): %w", key, ErrUnsupported)
	}
	if s := t.byKey[key]; s != nil {
		return s, nil
	}
	d, err := torchStorageDtype(g, t.bigEndian)
	if err != nil {
		return nil, err
	}
	if numel > math.MaxInt/int64(d.Size) {
		return nil, malformed("torch storage %s of %d elements overflows", key, numel)
	}
	s := &torchStorage{key: key, dtype: d, numel: int(numel), copies: &t.copies}
	if err := t.load(key, s); err != nil {
		return nil, err
	}
	t.byKey[key] = s
	t.order = append(t.order, s)
	return s, nil
}

// textOf returns a str, or a bytes a Python 2 pickle wrote, as a string.
func textOf(v any) (string, bool) {
	switch s := v.(type) {
	case string:
		return s, true
	case []byte:
		return string(s), true
	}
	return "", false
}

func isText(v any, want string) bool {
	s, ok := textOf(v)
	return ok && s == want
}

// readTorchLegacy reads the format torch.save wrote before 1.6: pickles of
// the magic number, the protocol version, sys_info and the object (its
// persistent ids naming storages), then a pickle of the storage keys in
// the order their bytes follow, each an 8-byte little-endian element count
// and the elements, little-endian.
func readTorchLegacy(r io.ReaderAt, size int64, v any, cfg *config, opts []Option) error {
	sr := io.NewSectionReader(r, 0, size)
	dec := NewDecoder(sr)
	var magic, proto, sysInfo any
	for i, dst := range []any{&magic, &proto, &sysInfo} {
		if err := dec.Decode(dst); err != nil {
			return fmt.Errorf("pickle: torch legacy header pickle %d: %w", i+1, err)
		}
	}
	if p, ok := proto.(int64); !ok || p != torchLegacyProtocol {
		return fmt.Errorf("pickle: torch legacy protocol version %v, not %d: %w", proto, torchLegacyProtocol, ErrUnsupported)
	}
	// Storages are allocated when the object pickle names them and filled
	// once their bytes are reached after it; each must fit what is left
	// of the file.
	objStart := dec.InputOffset()
	// torch's writer (THPStorage_writeFileRaw) swaps every storage to
	// little-endian, whatever sys_info's little_endian says of the machine.
	st := &torchStorages{byKey: map[string]*torchStorage{}}
	left := size - objStart
	st.load = func(key string, s *torchStorage) error {
		n := int64(s.numel) * int64(s.dtype.Size)
		if n > left {
			return fmt.Errorf("pickle: torch storage %s of %d bytes does not fit the %d bytes left in the file: %w", key, n, left, ErrTruncated)
		}
		left -= n
		s.data = make([]byte, n)
		return nil
	}
	// The object is decoded into the value model and stored into v only
	// once its storages hold their bytes: a typed v copies them.
	objDec := st.decoder(io.NewSectionReader(r, objStart, size-objStart), cfg, opts)
	if objDec.err != nil {
		return objDec.err
	}
	obj, err := objDec.m.decode()
	if err != nil {
		return fmt.Errorf("pickle: torch legacy object pickle at offset %d: %w", objStart, truncatedEOF(err))
	}
	keysStart := objStart + objDec.InputOffset()
	keysDec := NewDecoder(io.NewSectionReader(r, keysStart, size-keysStart))
	var keys []string
	if err := keysDec.Decode(&keys); err != nil {
		return fmt.Errorf("pickle: torch legacy storage keys pickle at offset %d: %w", keysStart, err)
	}
	off := keysStart + keysDec.InputOffset()
	for _, key := range keys {
		s := st.byKey[key]
		if s == nil {
			return fmt.Errorf("pickle: torch legacy storage %s at offset %d is named by no tensor: %w", key, off, ErrMalformed)
		}
		var count [8]byte
		if _, err := r.ReadAt(count[:], off); err != nil {
			return fmt.Errorf("pickle: torch legacy storage %s at offset %d: %w", key, off, truncatedEOF(err))
		}
		if n := binary.LittleEndian.Uint64(count[:]); n != uint64(s.numel) {
			return fmt.Errorf("pickle: torch legacy storage %s at offset %d holds %d elements, not the %d its persistent id says: %w", key, off, n, s.numel, ErrMalformed)
		}
		// An empty storage at the end of the file reads nothing: a
		// ReaderAt may say io.EOF for it.
		if _, err := r.ReadAt(s.data, off+8); err != nil && len(s.data) > 0 {
			return fmt.Errorf("pickle: torch legacy storage %s (data at offset %d): %w", key, off+8, truncatedEOF(err))
		}
		s.fill()
		off += 8 + int64(len(s.data))
	}
	for _, s := range st.order {
		if !s.filled {
			return fmt.Errorf("pickle: torch legacy storage %s has no bytes in the file: %w", s.key, ErrTruncated)
		}
	}
	return store(v, obj, objDec.m.cfg, size, false)
}

// truncatedEOF says that a read that reached the end of the file found it
// cut short.
func truncatedEOF(err error) error {
	if errors.Is(err, io.EOF) {
		return ErrTruncated
	}
	return err
}
