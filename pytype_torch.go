package pickle

import "strings"

// This file is PyTorch's rows of the type table: the globals torch's own
// restricted loader (torch/_weights_only_unpickler.py, what
// torch.load(weights_only=True) admits, as of torch 1.13) admits, and no
// others. None is in the default allowlist: they are admitted only while
// ReadFile reads a torch checkpoint (readfile_torch.go), where persistent
// ids resolve to storages. Tensors are *NDArray values, numpy.ndarray's Go
// type, so these rows claim no Go type and the encoder writes none of them.
// The rest of torch's support is in torch_*.go.

// The globals torch's checkpoints call.
var (
	globalRebuildTensorV2 = Global{"torch._utils", "_rebuild_tensor_v2"}
	globalRebuildTensor   = Global{"torch._utils", "_rebuild_tensor"}
	globalRebuildParam    = Global{"torch._utils", "_rebuild_parameter"}
)

// torchStorageNames are the typed storages torch writes in a persistent id,
// each under torch and torch.cuda (a checkpoint saved from a GPU), with
// the dtype of their elements; the quantized ones have no element type
// this package reads (torchStorageDtype says so).
var torchStorageNames = []string{
	"DoubleStorage", "FloatStorage", "HalfStorage", "BFloat16Storage",
	"LongStorage", "IntStorage", "ShortStorage", "CharStorage",
	"ByteStorage", "BoolStorage", "ComplexFloatStorage", "ComplexDoubleStorage",
	"QInt8Storage", "QUInt8Storage", "QInt32Storage", "QUInt4x2Storage", "QUInt2x4Storage",
}

// torchTensorClassNames are torch._tensor_classes: legacy tensor types,
// under torch, torch.cuda, torch.sparse and torch.cuda.sparse.
var torchTensorClassNames = []string{
	"DoubleTensor", "FloatTensor", "HalfTensor", "BFloat16Tensor", "LongTensor",
	"IntTensor", "ShortTensor", "CharTensor", "ByteTensor", "BoolTensor",
}

// torchDtypeNames are the dtypes the restricted loader admits as globals
// (torch.float32 ...): not bfloat16 nor the unsigned and bool ones.
var torchDtypeNames = []string{
	"complex32", "complex64", "complex128", "float16", "float32", "float64",
	"int8", "int16", "int32", "int64",
}

// torchRows are the rows registered here; torchAllowed lists their globals
// for AllowGlobals.
var (
	torchRows       []*pyType
	torchStorageRow *pyType
	torchAllowed    []string
)

func init() {
	var storages, classes, dtypes []ctor
	for _, mod := range []string{"torch", "torch.cuda"} {
		for _, n := range torchStorageNames {
			if mod == "torch.cuda" && n[0] == 'Q' {
				continue // quantized storages are CPU only
			}
			storages = append(storages, ctor{global: Global{mod, n}})
		}
	}
	storages = append(storages,
		ctor{global: Global{"torch.storage", "TypedStorage"}},
		ctor{global: Global{"torch.storage", "UntypedStorage"}})
	for _, mod := range []string{"torch", "torch.cuda", "torch.sparse", "torch.cuda.sparse"} {
		for _, n := range torchTensorClassNames {
			if strings.HasSuffix(mod, "sparse") && n == "BoolTensor" {
				continue // there is no sparse bool tensor type
			}
			classes = append(classes, ctor{global: Global{mod, n}})
		}
	}
	for _, n := range torchDtypeNames {
		dtypes = append(dtypes, ctor{global: Global{"torch", n}})
	}
	torchStorageRow = registerType(&pyType{name: "torch.storage.TypedStorage", ctors: storages})
	torchRows = []*pyType{
		registerType(&pyType{
			name: "torch.Tensor",
			ctors: []ctor{
				{global: globalRebuildTensorV2, call: callRebuildTensorV2},
				{global: globalRebuildTensor, call: callRebuildTensor},
				{global: globalRebuildParam, call: callRebuildParameter},
				{global: Global{"torch", "Tensor"}},
				{global: Global{"torch.nn.parameter", "Parameter"}},
				// Admitted, never evaluated: sparse and meta tensors
				// stay calls (Object values).
				{global: Global{"torch._utils", "_rebuild_sparse_tensor"}},
				{global: Global{"torch._utils", "_rebuild_sparse_csr_tensor"}},
				{global: Global{"torch._utils", "_rebuild_meta_tensor_no_storage"}},
				{global: Global{"torch.serialization", "_get_layout"}},
				{global: Global{"torch", "Size"}},
			},
		}),
		torchStorageRow,
		registerType(&pyType{name: "torch.tensortype", ctors: classes}),
		registerType(&pyType{name: "torch.dtype", ctors: dtypes}),
	}
	for _, row := range torchRows {
		for _, c := range row.ctors {
			torchAllowed = append(torchAllowed, c.global.String())
		}
	}
}
