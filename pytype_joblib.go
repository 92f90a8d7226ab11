package pickle

// This file is joblib's rows of the type table. joblib.dump writes each
// numpy array as a NumpyArrayWrapper instance (NEWOBJ, then BUILD with its
// shape, order and dtype) followed, right after BUILD, by the array's bytes
// outside the pickle's opcodes; joblib.load reads them on BUILD. The
// wrapper builds an array and runs nothing else in Python either, so the
// default allowlist admits it; on BUILD it becomes the *NDArray
// (joblib_wrapper.go). So do the wrappers of joblib's format before 0.10,
// whose arrays are in files of their own (joblib_compat.go). scikit-learn
// before 0.23 shipped joblib as sklearn.externals.joblib, and its models
// name the wrappers there.

var (
	globalNumpyArrayWrapper        = Global{"joblib.numpy_pickle", "NumpyArrayWrapper"}
	globalSklearnNumpyArrayWrapper = Global{"sklearn.externals.joblib.numpy_pickle", "NumpyArrayWrapper"}
)

// joblib before 0.10 wrote these from joblib.numpy_pickle; joblib since
// keeps them in numpy_pickle_compat and imports them into numpy_pickle.
var (
	globalNDArrayWrapper         = Global{"joblib.numpy_pickle", "NDArrayWrapper"}
	globalNDArrayWrapperCompat   = Global{"joblib.numpy_pickle_compat", "NDArrayWrapper"}
	globalSklearnNDArrayWrapper  = Global{"sklearn.externals.joblib.numpy_pickle", "NDArrayWrapper"}
	globalZNDArrayWrapper        = Global{"joblib.numpy_pickle", "ZNDArrayWrapper"}
	globalZNDArrayWrapperCompat  = Global{"joblib.numpy_pickle_compat", "ZNDArrayWrapper"}
	globalSklearnZNDArrayWrapper = Global{"sklearn.externals.joblib.numpy_pickle", "ZNDArrayWrapper"}
)

func init() {
	registerType(&pyType{
		name: "joblib.numpy_pickle.NumpyArrayWrapper",
		ctors: []ctor{
			{global: globalNumpyArrayWrapper, buildRaw: buildNumpyArrayWrapper},
			{global: globalSklearnNumpyArrayWrapper, buildRaw: buildNumpyArrayWrapper},
		},
		allowed: true,
	})
	// The old wrappers read a file named in the pickle, next to the one
	// being read; only a plain file name is taken (joblib_compat.go).
	registerType(&pyType{
		name: "joblib.numpy_pickle_compat.NDArrayWrapper",
		ctors: []ctor{
			{global: globalNDArrayWrapperCompat, buildRaw: buildNDArrayWrapper},
			{global: globalNDArrayWrapper, buildRaw: buildNDArrayWrapper},
			{global: globalSklearnNDArrayWrapper, buildRaw: buildNDArrayWrapper},
		},
		allowed: true,
	})
	registerType(&pyType{
		name: "joblib.numpy_pickle_compat.ZNDArrayWrapper",
		ctors: []ctor{
			{global: globalZNDArrayWrapperCompat, buildRaw: buildZNDArrayWrapper},
			{global: globalZNDArrayWrapper, buildRaw: buildZNDArrayWrapper},
			{global: globalSklearnZNDArrayWrapper, buildRaw: buildZNDArrayWrapper},
		},
		allowed: true,
	})
}
