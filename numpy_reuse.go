package pickle

import (
	"bytes"
	"reflect"
)

// This file lets Unmarshal into an NDArray value reuse the memory its Data
// already has, as it reuses a slice's backing array: decoding a stream of
// same-sized arrays into one NDArray then touches no fresh page, which on a
// host where the kernel zeroes pages at 2.6 GB/s is most of the cost of a
// large array.

// ndarrayRoom returns the room an NDArray value's Data offers for the
// bytes of a: Data[:0] when its capacity holds them and nothing asked for
// the array to share memory instead (ShareInput, Buffers), else nil.
func (u *unmarshaler) ndarrayRoom(a *NDArray, dst reflect.Value) []byte {
	if a.Objects != nil || u.cfg.shareInput || u.cfg.buffersSet {
		return nil
	}
	room := dst.FieldByIndex(ndarrayDataIndex).Bytes()
	if cap(room) == 0 || cap(room) < len(a.Data) {
		return nil
	}
	return room[:0]
}

// ndarrayDataIndex is the index of NDArray's Data field.
var ndarrayDataIndex = func() []int {
	f, _ := ndarrayType.FieldByName("Data")
	return f.Index
}()

// storeNDArray stores a into dst, an NDArray value: its bytes go into the
// room Data already has, else they are a's own (copied first when they
// borrow the input).
func (u *unmarshaler) storeNDArray(a *NDArray, dst reflect.Value) {
	b := *a
	if room := u.ndarrayRoom(a, dst); room != nil {
		b.Data = append(room, a.Data...)
	} else if u.borrowed && a.Data != nil {
		b.Data = bytes.Clone(a.Data)
	}
	dst.Set(reflect.ValueOf(b))
}

// reusesNDArray reports whether Unmarshal into a decodes through
// unmarshalNDArray: a.Data has room to reuse, and nothing but the array
// sees the decoded values (as borrowsInput requires).
func reusesNDArray(cfg *config, a *NDArray) bool {
	return cap(a.Data) > 0 && !cfg.shareInput && !cfg.buffersSet && unseenDecoding(cfg)
}

// unmarshalNDArray decodes data into a, letting the array's bytes object
// borrow the input so that its bytes are copied once, into a.Data's room.
// Anything else the pickle holds (an object array's items, a value that is
// not an array) might keep a borrowed bytes object: it is decoded again,
// copying.
func unmarshalNDArray(data []byte, cfg *config, a *NDArray) error {
	val, err := decodeAll(data, cfg, true)
	if err != nil {
		return err
	}
	if x, ok := val.(*NDArray); ok && x.Objects == nil {
		return store(a, val, cfg, int64(len(data)), true)
	}
	if val, err = decodeAll(data, cfg, false); err != nil {
		return err
	}
	return store(a, val, cfg, int64(len(data)), false)
}
