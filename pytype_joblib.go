package pickle

// This file is joblib's rows of the type table. joblib.dump writes each
// numpy array as a NumpyArrayWrapper instance (NEWOBJ, then BUILD with its
// shape, order and dtype) followed, right after BUILD, by the array's bytes
// outside the pickle's opcodes; joblib.load reads them on BUILD. The
// wrapper builds an array and runs nothing else in Python either, so the
// default allowlist admits it; on BUILD it becomes the *NDArray
// (joblib_wrapper.go). scikit-learn before 0.23 shipped joblib as
// sklearn.externals.joblib, and its models name the wrapper there.

var (
	globalNumpyArrayWrapper        = Global{"joblib.numpy_pickle", "NumpyArrayWrapper"}
	globalSklearnNumpyArrayWrapper = Global{"sklearn.externals.joblib.numpy_pickle", "NumpyArrayWrapper"}
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
}
