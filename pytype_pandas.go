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

// pandas' nullable arrays and their dtypes (pandas_extension.go).
var (
	globalIntegerArray  = Global{"pandas.core.arrays.integer", "IntegerArray"}
	globalFloatingArray = Global{"pandas.core.arrays.floating", "FloatingArray"}
	globalBooleanArray  = Global{"pandas.core.arrays.boolean", "BooleanArray"}
	globalBooleanDtype  = Global{"pandas.core.arrays.boolean", "BooleanDtype"}
	// maskedDtypes are the dtypes a masked array's __dict__ may cache
	// under "_dtype" (BooleanArray's always does): bare instances, kept
	// symbolic; the values' dtype says the same.
	maskedDtypes = []Global{
		globalBooleanDtype,
		{"pandas.core.arrays.integer", "Int8Dtype"}, {"pandas.core.arrays.integer", "Int16Dtype"},
		{"pandas.core.arrays.integer", "Int32Dtype"}, {"pandas.core.arrays.integer", "Int64Dtype"},
		{"pandas.core.arrays.integer", "UInt8Dtype"}, {"pandas.core.arrays.integer", "UInt16Dtype"},
		{"pandas.core.arrays.integer", "UInt32Dtype"}, {"pandas.core.arrays.integer", "UInt64Dtype"},
		{"pandas.core.arrays.floating", "Float32Dtype"}, {"pandas.core.arrays.floating", "Float64Dtype"},
	}
	globalStringArray = Global{"pandas.core.arrays.string_", "StringArray"}
	globalStringDtype = Global{"pandas.core.arrays.string_", "StringDtype"}
	globalPandasNA    = Global{"pandas._libs.missing", "NA"}
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
		name: "pandas.arrays.MaskedArray",
		ctors: []ctor{
			{global: globalIntegerArray, build: buildMaskedArray, notPlain: pandasClassNotPlain},
			{global: globalFloatingArray, build: buildMaskedArray, notPlain: pandasClassNotPlain},
			{global: globalBooleanArray, build: buildMaskedArray, notPlain: pandasClassNotPlain},
		},
		allowed: true,
		goTypes: []reflect.Type{reflect.TypeFor[*MaskedArray]()},
		byValue: true,
		reduce: func(v any, _ int, _ bool) (*Object, any, error) {
			return v.(*MaskedArray).reduceAt()
		},
		plain:   pandasPlain(false),
		hashKey: unhashable("MaskedArray"),
	})
	registerType(&pyType{
		name:    "pandas.arrays.StringArray",
		ctors:   []ctor{{global: globalStringArray, notPlain: pandasClassNotPlain}},
		allowed: true,
		goTypes: []reflect.Type{reflect.TypeFor[*StringArray]()},
		byValue: true,
		reduce: func(v any, _ int, _ bool) (*Object, any, error) {
			return v.(*StringArray).reduceAt()
		},
		plain:   pandasPlain(false),
		hashKey: unhashable("StringArray"),
	})
	registerType(&pyType{
		name:    "pandas.StringDtype",
		ctors:   []ctor{{global: globalStringDtype, call: callStringDtype, build: buildStringDtype}},
		allowed: true,
		goTypes: []reflect.Type{reflect.TypeFor[*StringDtype]()},
		byValue: true,
		reduce: func(v any, _ int, _ bool) (*Object, any, error) {
			return v.(*StringDtype).reduceAt()
		},
	})
	// A masked array's state may name its dtype (maskedDtypes); pandas.NA
	// is a missing value in a StringArray's objects.
	var maskedDtypeCtors []ctor
	for _, g := range maskedDtypes {
		maskedDtypeCtors = append(maskedDtypeCtors, ctor{global: g, notPlain: pandasClassNotPlain})
	}
	registerType(&pyType{
		name:    "pandas.BaseMaskedDtype",
		ctors:   maskedDtypeCtors,
		allowed: true,
	})
	registerType(&pyType{
		name:    "pandas.NA",
		ctors:   []ctor{{global: globalPandasNA, notPlain: pandasClassNotPlain}},
		allowed: true,
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
