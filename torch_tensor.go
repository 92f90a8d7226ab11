package pickle

import (
	"fmt"
	"math"
)

// This file builds PyTorch's tensors as NDArray values: the storages that
// persistent ids name, and torch._utils._rebuild_tensor_v2's view of one
// (storage offset, sizes and strides, all in elements).
//
// A view that is contiguous in row-major order shares its storage's bytes,
// as torch's tensors do: two tensors of one storage (a tensor and its
// slice) are two NDArray values whose Data overlap, and writing through one
// shows through the other. Any other view (a transposed tensor, one
// expanded with stride 0) is copied into a fresh Data in row-major order.

// kindBfloat16 is the Dtype.Kind of bfloat16, which numpy has no kind for:
// the top half of a float32 (1 sign, 8 exponent, 7 fraction bits). Its
// String is "<bfloat16"; its elements are float32 values exactly.
const kindBfloat16 = 'B'

// torchStorage is one storage of a checkpoint: its elements' dtype and
// bytes, which the tensors that view it share.
type torchStorage struct {
	key   string
	dtype Dtype
	numel int
	data  []byte
	// filled reports that data holds the file's bytes; a legacy file
	// brings them after the pickle that views them, so copies of
	// non-contiguous views wait in pending until then.
	filled  bool
	pending []func()
	// copies bounds the bytes of the checkpoint's copies of views.
	copies *copyBudget
}

// copyBudget is what the copies of non-contiguous views may take, in
// bytes: MaxDecompressedSize, as they expand the file as a decompressor
// would; limit <= 0 for no bound.
type copyBudget struct{ limit, used int64 }

// charge counts n more bytes of copies, or fails past the limit.
func (b *copyBudget) charge(n int64) error {
	if b == nil || b.limit <= 0 {
		return nil
	}
	if n > b.limit-b.used {
		return &LimitError{Limit: "MaxDecompressedSize", Value: b.limit, Reached: b.used + n}
	}
	b.used += n
	return nil
}

// fill marks the storage's bytes read and makes the copies that waited.
func (s *torchStorage) fill() {
	s.filled = true
	for _, f := range s.pending {
		f()
	}
	s.pending = nil
}

// torchStorageDtypes are the element types of torch's storage types, by
// the storage global's name (under torch or torch.cuda). UntypedStorage
// holds bytes.
var torchStorageDtypes = map[string]Dtype{
	"DoubleStorage": {Kind: 'f', Size: 8}, "FloatStorage": {Kind: 'f', Size: 4},
	"HalfStorage": {Kind: 'f', Size: 2}, "BFloat16Storage": {Kind: kindBfloat16, Size: 2},
	"LongStorage": {Kind: 'i', Size: 8}, "IntStorage": {Kind: 'i', Size: 4},
	"ShortStorage": {Kind: 'i', Size: 2}, "CharStorage": {Kind: 'i', Size: 1},
	"ByteStorage": {Kind: 'u', Size: 1}, "UntypedStorage": {Kind: 'u', Size: 1},
	"BoolStorage":         {Kind: 'b', Size: 1},
	"ComplexFloatStorage": {Kind: 'c', Size: 8}, "ComplexDoubleStorage": {Kind: 'c', Size: 16},
}

// torchStorageDtype returns the dtype of a storage type's elements in the
// byte order given; the quantized storages have none this package reads.
func torchStorageDtype(g Global, bigEndian bool) (Dtype, error) {
	d, ok := torchStorageDtypes[g.Name]
	if !ok || typeByGlobal[g] != torchStorageRow {
		return Dtype{}, fmt.Errorf("pickle: torch storage type %s has no element type this package reads: %w", g, ErrUnsupported)
	}
	switch {
	case d.Size == 1:
		d.Order = '|'
	case bigEndian:
		d.Order = '>'
	default:
		d.Order = '<'
	}
	return d, nil
}

// callRebuildTensorV2 is torch._utils._rebuild_tensor_v2(storage,
// storage_offset, size, stride, requires_grad, backward_hooks[, metadata]):
// requires_grad, the hooks (empty, since torch never saves them) and the
// metadata are dropped.
func callRebuildTensorV2(args Tuple, kind CallKind) (any, bool, error) {
	if kind != CallReduce || len(args) != 6 && len(args) != 7 {
		return nil, false, nil
	}
	return rebuildTensor(args[:4])
}

// callRebuildTensor is torch._utils._rebuild_tensor(storage,
// storage_offset, size, stride).
func callRebuildTensor(args Tuple, kind CallKind) (any, bool, error) {
	if kind != CallReduce || len(args) != 4 {
		return nil, false, nil
	}
	return rebuildTensor(args)
}

// callRebuildParameter is torch._utils._rebuild_parameter(data,
// requires_grad, backward_hooks): a Parameter is its tensor.
func callRebuildParameter(args Tuple, kind CallKind) (any, bool, error) {
	if kind != CallReduce || len(args) != 3 {
		return nil, false, nil
	}
	a, ok := args[0].(*NDArray)
	return handledIf(a, ok)
}

// rebuildTensor makes the NDArray that views storage (args[0]) from
// element offset args[1] with sizes args[2] and strides args[3]; a call
// whose storage is not one a checkpoint's persistent id resolved stays
// symbolic.
func rebuildTensor(args Tuple) (any, bool, error) {
	st, ok := args[0].(*torchStorage)
	if !ok {
		return nil, false, nil
	}
	offset, ok1 := args[1].(int64)
	size, ok2 := intTuple(args[2])
	stride, ok3 := intTuple(args[3])
	if !ok1 || !ok2 || !ok3 || len(size) != len(stride) {
		return nil, true, malformed("torch tensor of storage %s: offset %s, size %s and stride %s are not an int and two tuples of ints of one length",
			st.key, typeName(args[1]), typeName(args[2]), typeName(args[3]))
	}
	a, err := st.view(int(offset), size, stride)
	if err != nil {
		return nil, true, err
	}
	return a, true, nil
}

// intTuple returns a tuple of ints (torch.Size pickles as one) as ints in
// the range an element index can have.
func intTuple(v any) ([]int, bool) {
	t, ok := v.(Tuple)
	if !ok {
		return nil, false
	}
	out := make([]int, len(t))
	for i, x := range t {
		n, ok := x.(int64)
		if !ok || n < 0 || n > math.MaxInt32*int64(math.MaxInt16) {
			return nil, false
		}
		out[i] = int(n)
	}
	return out, true
}

// view returns the tensor of the given sizes and strides from element
// offset, after checking that every element it reaches is in the storage.
func (s *torchStorage) view(offset int, size, stride []int) (*NDArray, error) {
	n, err := checkedLen(size, s.dtype.Size)
	if err != nil {
		return nil, err
	}
	last := offset
	for k := range size {
		if n > 0 && stride[k] > 0 && size[k]-1 > (s.numel-last)/stride[k] {
			return nil, malformed("torch tensor of size %v and stride %v at offset %d reaches past its storage %s of %d elements", size, stride, offset, s.key, s.numel)
		}
		if n > 0 {
			last += (size[k] - 1) * stride[k]
		}
	}
	if offset < 0 || n > 0 && last >= s.numel || n == 0 && offset > s.numel {
		return nil, malformed("torch tensor at offset %d of size %v reaches past its storage %s of %d elements", offset, size, s.key, s.numel)
	}
	es := s.dtype.Size
	a := &NDArray{Shape: size, Dtype: s.dtype}
	if rowMajor(size, stride) {
		end := (offset + n) * es
		a.Data = s.data[offset*es : end : end]
		return a, nil
	}
	// An expanded view (stride 0) of a small storage can ask for any
	// size: the copies are bounded as decompression is.
	if err := s.copies.charge(int64(n) * int64(es)); err != nil {
		return nil, err
	}
	a.Data = make([]byte, n*es)
	gather := func() { s.gather(a.Data, offset, size, stride) }
	if s.filled {
		gather()
	} else {
		s.pending = append(s.pending, gather)
	}
	return a, nil
}

// rowMajor reports whether strides are those of a C-contiguous array of
// the sizes (a dimension of size 1 may have any stride).
func rowMajor(size, stride []int) bool {
	want := 1
	for k := len(size) - 1; k >= 0; k-- {
		if size[k] != 1 && stride[k] != want {
			return false
		}
		want *= size[k]
	}
	return true
}

// gather copies the elements of a strided view into dst in row-major order.
func (s *torchStorage) gather(dst []byte, offset int, size, stride []int) {
	es := s.dtype.Size
	idx := make([]int, len(size))
	mem := offset
	for i := 0; i*es < len(dst); i++ {
		copy(dst[i*es:(i+1)*es], s.data[mem*es:(mem+1)*es])
		for k := len(size) - 1; k >= 0; k-- {
			idx[k]++
			mem += stride[k]
			if idx[k] < size[k] {
				break
			}
			mem -= idx[k] * stride[k]
			idx[k] = 0
		}
	}
}
