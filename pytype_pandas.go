package pickle

import "reflect"

// This file is pandas' rows of the type table: DataFrame, Series, the
// indexes, Categorical and its dtype, the datetime arrays, Timestamp,
// Timedelta and NaT, and the block managers that carry a frame's columns,
// with every global pandas 1.5 writes for them. Evaluated here they build
// data and run no code, and in pandas they only rebuild the objects
// pickled, so the default allowlist admits them. pandas' gadgets (its file
// readers, eval) are in scan_dangerous.go. The decoding is in
// pandas_decode.go, the Go types in pandas_types.go.

// The globals pandas' pickles name.
var (
	globalDataFrame          = Global{"pandas.core.frame", "DataFrame"}
	globalSeries             = Global{"pandas.core.series", "Series"}
	globalBlockManager       = Global{"pandas.core.internals.managers", "BlockManager"}
	globalSingleBlockManager = Global{"pandas.core.internals.managers", "SingleBlockManager"}
	globalUnpickleBlock      = Global{"pandas._libs.internals", "_unpickle_block"}
	globalNewIndex           = Global{"pandas.core.indexes.base", "_new_Index"}
	globalNewDatetimeIndex   = Global{"pandas.core.indexes.datetimes", "_new_DatetimeIndex"}
	globalNDArrayBacked      = Global{"pandas._libs.arrays", "__pyx_unpickle_NDArrayBacked"}
	globalCategorical        = Global{"pandas.core.arrays.categorical", "Categorical"}
	globalCategoricalDtype   = Global{"pandas.core.dtypes.dtypes", "CategoricalDtype"}
	globalDatetimeTZDtype    = Global{"pandas.core.dtypes.dtypes", "DatetimeTZDtype"}
	globalDatetimeArray      = Global{"pandas.core.arrays.datetimes", "DatetimeArray"}
	globalTimedeltaArray     = Global{"pandas.core.arrays.timedeltas", "TimedeltaArray"}
	globalPandasTimestamp    = Global{"pandas._libs.tslibs.timestamps", "_unpickle_timestamp"}
	globalPandasTimedelta    = Global{"pandas._libs.tslibs.timedeltas", "_timedelta_unpickle"}
	globalNaT                = Global{"pandas._libs.tslibs.nattype", "__nat_unpickle"}
)

// indexClassList are the index classes _new_Index is given; Index.Type is
// the class's name.
var indexClassList = []Global{
	{"pandas.core.indexes.base", "Index"},
	{"pandas.core.indexes.range", "RangeIndex"},
	{"pandas.core.indexes.datetimes", "DatetimeIndex"},
	{"pandas.core.indexes.timedeltas", "TimedeltaIndex"},
	{"pandas.core.indexes.category", "CategoricalIndex"},
	{"pandas.core.indexes.multi", "MultiIndex"},
	{"pandas.core.indexes.numeric", "Int64Index"},
	{"pandas.core.indexes.numeric", "UInt64Index"},
	{"pandas.core.indexes.numeric", "Float64Index"},
}

var (
	indexClasses         = map[Global]bool{}
	datetimeArrayClasses = map[Global]bool{globalDatetimeArray: true, globalTimedeltaArray: true}
)

// pandasClassNotPlain: pandas' pickles only pass its classes to the
// functions that rebuild their instances, or make a bare instance
// (cls.__new__(cls)) that BUILD fills.
func pandasClassNotPlain(args Tuple) string {
	if len(args) == 0 {
		return ""
	}
	return "calling a pandas class builds what its arguments ask; pandas' pickles only pass it to their rebuilding functions"
}

func init() {
	registerType(&pyType{
		name:    "pandas.DataFrame",
		ctors:   []ctor{{global: globalDataFrame, build: buildDataFrame, notPlain: pandasClassNotPlain}},
		allowed: true,
		repr:    pandasRepr,
		goTypes: []reflect.Type{reflect.TypeFor[*DataFrame]()},
		byValue: true,
		reduce: func(v any, _ int, _ bool) (*Object, any, error) {
			return v.(*DataFrame).reduceAt()
		},
		plain:   pandasPlain(true),
		hashKey: unhashable("DataFrame"),
	})
	registerType(&pyType{
		name:    "pandas.Series",
		ctors:   []ctor{{global: globalSeries, build: buildSeries, notPlain: pandasClassNotPlain}},
		allowed: true,
		repr:    pandasRepr,
		goTypes: []reflect.Type{reflect.TypeFor[*Series]()},
		byValue: true,
		reduce: func(v any, _ int, _ bool) (*Object, any, error) {
			return v.(*Series).reduceAt()
		},
		plain:   pandasPlain(false),
		hashKey: unhashable("Series"),
	})
	// The block managers and blocks exist only inside a DataFrame or
	// Series being decoded.
	registerType(&pyType{
		name: "pandas.core.internals.managers.BlockManager",
		ctors: []ctor{
			{global: globalBlockManager, call: callBlockManager},
			{global: globalSingleBlockManager, call: callBlockManager, build: buildManager},
			{global: globalUnpickleBlock, call: callUnpickleBlock},
		},
		allowed: true,
		goTypes: []reflect.Type{reflect.TypeFor[*pandasManager](), reflect.TypeFor[*pandasBlock]()},
		hashKey: unhashable("BlockManager"),
	})
	indexCtors := []ctor{
		{global: globalNewIndex, call: callNewIndex},
		{global: globalNewDatetimeIndex, call: callNewIndex},
	}
	for _, g := range indexClassList {
		indexClasses[g] = true
		indexCtors = append(indexCtors, ctor{global: g, notPlain: pandasClassNotPlain})
	}
	registerType(&pyType{
		name:    "pandas.Index",
		ctors:   indexCtors,
		allowed: true,
		repr:    pandasRepr,
		goTypes: []reflect.Type{reflect.TypeFor[*Index]()},
		byValue: true,
		reduce: func(v any, _ int, _ bool) (*Object, any, error) {
			return v.(*Index).reduceAt()
		},
		plain:   pandasPlain(false),
		hashKey: unhashable("Index"),
	})
	registerType(&pyType{
		name: "pandas.Categorical",
		ctors: []ctor{
			{global: globalNDArrayBacked, call: callNDArrayBacked},
			{global: globalCategorical, notPlain: pandasClassNotPlain},
		},
		allowed: true,
		repr:    pandasRepr,
		goTypes: []reflect.Type{reflect.TypeFor[*Categorical]()},
		byValue: true,
		reduce: func(v any, _ int, _ bool) (*Object, any, error) {
			return v.(*Categorical).reduceAt()
		},
		plain:   pandasPlain(false),
		hashKey: unhashable("Categorical"),
	})
	registerType(&pyType{
		name:    "pandas.CategoricalDtype",
		ctors:   []ctor{{global: globalCategoricalDtype, build: buildCategoricalDtype, notPlain: pandasClassNotPlain}},
		allowed: true,
		goTypes: []reflect.Type{reflect.TypeFor[*CategoricalDtype]()},
		byValue: true,
	})
	registerType(&pyType{
		name:    "pandas.DatetimeTZDtype",
		ctors:   []ctor{{global: globalDatetimeTZDtype, build: buildDatetimeTZDtype, notPlain: pandasClassNotPlain}},
		allowed: true,
		goTypes: []reflect.Type{reflect.TypeFor[*DatetimeTZDtype]()},
		byValue: true,
		reduce: func(v any, _ int, _ bool) (*Object, any, error) {
			return v.(*DatetimeTZDtype).reduceAt()
		},
		hashKey: unhashable("DatetimeTZDtype"),
	})
	registerType(&pyType{
		name: "pandas.arrays.DatetimeArray",
		ctors: []ctor{
			{global: globalDatetimeArray, notPlain: pandasClassNotPlain},
			{global: globalTimedeltaArray, notPlain: pandasClassNotPlain},
		},
		allowed: true,
		goTypes: []reflect.Type{reflect.TypeFor[*DatetimeArray]()},
		byValue: true,
		reduce: func(v any, _ int, _ bool) (*Object, any, error) {
			return v.(*DatetimeArray).reduceAt()
		},
		plain:   pandasPlain(false),
		hashKey: unhashable("DatetimeArray"),
	})
	// A Timestamp and a Timedelta equal and hash as the datetime and
	// timedelta they hold. NaT decodes to nil, None's row.
	registerType(&pyType{
		name:    "pandas.Timestamp",
		ctors:   []ctor{{global: globalPandasTimestamp, call: callPandasTimestamp}},
		allowed: true,
		repr:    pandasRepr,
		goTypes: []reflect.Type{reflect.TypeFor[Timestamp]()},
		reduce: func(v any, _ int, _ bool) (*Object, any, error) {
			return v.(Timestamp).reduceAt()
		},
		hashKey: func(v any) (any, bool, error) {
			k, err := hashKey(v.(Timestamp).Time)
			return k, true, err
		},
		plain: func(v any) any { return v.(Timestamp).Time },
	})
	registerType(&pyType{
		name:    "pandas.Timedelta",
		ctors:   []ctor{{global: globalPandasTimedelta, call: callPandasTimedelta}},
		allowed: true,
		repr:    pandasRepr,
		goTypes: []reflect.Type{reflect.TypeFor[Timedelta]()},
		reduce: func(v any, _ int, _ bool) (*Object, any, error) {
			return v.(Timedelta).reduceAt()
		},
		hashKey: func(v any) (any, bool, error) {
			k, err := hashKey(v.(Timedelta).Duration)
			return k, true, err
		},
		plain: func(v any) any { return v.(Timedelta).Duration },
	})
	registerType(&pyType{
		name:    "pandas.NaT",
		ctors:   []ctor{{global: globalNaT, call: callNaT}},
		allowed: true,
	})
}
