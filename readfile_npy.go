package pickle

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"strings"
)

// This file reads numpy's own files: .npy (numpy.save), a header and the
// array's bytes, read here without the pickle machine, or for an object
// array a pickle of the array after the header, which the decoder reads
// with the caller's options (numpy.load's allow_pickle=False has no
// counterpart: the decoder runs nothing, and its allowlist holds); and .npz
// (numpy.savez and savez_compressed), a zip of .npy members, read into a
// dict from each member's name without ".npy" to its array, as numpy's
// NpzFile names them, or with ContainerMember into one array.

// readNpy unmarshals the .npy file data into v.
func readNpy(data []byte, v any, cfg *config) error {
	val, err := decodeNpy(data, cfg)
	if err != nil {
		return err
	}
	if err := checkTarget(v); err != nil {
		return err
	}
	return store(v, val, cfg, int64(len(data)), false)
}

// decodeNpy returns the array a .npy file holds: an *NDArray, or for an
// object array what its pickle holds.
func decodeNpy(data []byte, cfg *config) (any, error) {
	h, err := readNpyHeader(data)
	if err != nil {
		return nil, npyError(err)
	}
	d, ok := npyDtype(h.descr)
	if !ok {
		return nil, npyError(unsupported("dtype %q is not one this package reads", h.descr))
	}
	rest := data[h.size:]
	if d.Kind == 'O' {
		val, err := decodeAll(rest, cfg, cfg.shareInput)
		if err != nil {
			return nil, &placedError{"numpy .npy object array's pickle", err}
		}
		return val, nil
	}
	n, err := checkedLen(h.shape, d.Size)
	if err != nil {
		return nil, npyError(err)
	}
	if len(rest) < n*d.Size {
		return nil, npyError(fmt.Errorf("%d bytes of data for shape %v of %s, not %d: %w", len(rest), h.shape, d, n*d.Size, ErrTruncated))
	}
	if len(rest) > n*d.Size {
		return nil, npyError(malformed("%d bytes of trailing data after the array", len(rest)-n*d.Size))
	}
	a := &NDArray{Shape: h.shape, Dtype: d, Fortran: h.fortran && len(h.shape) > 1, Data: rest}
	if err := a.validate(); err != nil {
		return nil, npyError(err)
	}
	return a, nil
}

func npyError(err error) error {
	return &placedError{"numpy .npy file", err}
}

// readNpz unmarshals a .npz file into v, and reports whether r is one: a
// zip whose members are all named *.npy. Compressed members are bounded by
// MaxDecompressedSize.
func readNpz(r io.ReaderAt, size int64, v any, cfg *config) (bool, error) {
	var magic [4]byte
	if _, err := r.ReadAt(magic[:], 0); err != nil || string(magic[:]) != "PK\x03\x04" {
		return false, nil
	}
	z, err := zip.NewReader(r, size)
	if err != nil || len(z.File) == 0 {
		return false, nil
	}
	for _, f := range z.File {
		if !strings.HasSuffix(f.Name, ".npy") {
			return false, nil
		}
	}
	if err := checkTarget(v); err != nil {
		return true, err
	}
	if cfg.member != "" {
		for _, f := range z.File {
			if f.Name == cfg.member || f.Name == cfg.member+".npy" {
				val, err := npzMember(f, cfg)
				if err != nil {
					return true, err
				}
				return true, store(v, val, cfg, size, false)
			}
		}
		return true, fmt.Errorf("pickle: numpy .npz file has no member %q", cfg.member)
	}
	arrays := NewDict(len(z.File))
	for _, f := range z.File {
		val, err := npzMember(f, cfg)
		if err != nil {
			return true, err
		}
		if err := arrays.Set(strings.TrimSuffix(f.Name, ".npy"), val); err != nil {
			return true, err
		}
	}
	return true, store(v, arrays, cfg, size, false)
}

func npzMember(f *zip.File, cfg *config) (any, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, &placedError{"numpy .npz member " + f.Name, err}
	}
	defer rc.Close()
	in := io.Reader(rc)
	bound := cfg.maxDecompressed
	if f.Method == zip.Store || bound <= 0 {
		bound = -1 // stored bytes are on disk already
	} else {
		in = io.LimitReader(rc, bound+1)
	}
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(in); err != nil {
		return nil, &placedError{"numpy .npz member " + f.Name, err}
	}
	if bound >= 0 && int64(buf.Len()) > bound {
		return nil, &placedError{"numpy .npz member " + f.Name, &LimitError{Limit: "MaxDecompressedSize", Value: bound, Reached: int64(buf.Len())}}
	}
	val, err := decodeNpy(buf.Bytes(), cfg)
	if err != nil {
		return nil, &placedError{"numpy .npz member " + f.Name, err}
	}
	return val, nil
}

// scanNpy scans a .npy file, if data is one, and reports whether it was:
// numpy.load(allow_pickle=True) unpickles an object array's pickle, which
// is scanned (its offsets counted from its own start); a plain array holds
// no pickle, and a header that does not parse is a malformed report.
func scanNpy(data []byte, source string, cfg *config, rep *ScanReport) bool {
	if !bytes.HasPrefix(data, []byte("\x93NUMPY")) {
		return false
	}
	h, err := readNpyHeader(data)
	if err != nil {
		rep.Pickles = append(rep.Pickles, PickleReport{Source: source, Verdict: Malformed, Error: npyError(err).Error()})
		return true
	}
	if d, ok := npyDtype(h.descr); ok && d.Kind == 'O' {
		where := "numpy .npy object array's pickle"
		if source != "" {
			where = source + " > " + where
		}
		scanStream(data[h.size:], where, cfg, rep)
	}
	return true
}
