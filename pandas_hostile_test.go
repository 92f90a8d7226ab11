package pickle

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// Hostile or broken pandas pickles fail cleanly, with the reason, and buy no
// allocation their bytes do not back.
func TestPandasHostile(t *testing.T) {
	rangeIndex := func(start, stop, step int64) *Object {
		d, err := dictFromItems([]DictItem{{Key: "name", Value: nil}, {Key: "start", Value: start}, {Key: "stop", Value: stop}, {Key: "step", Value: step}})
		require.NoError(t, err)
		return &Object{Class: globalNewIndex, Kind: CallReduce, Args: Tuple{indexClassList[1], d}}
	}
	i8 := func(vals ...int8) *NDArray {
		a, err := NewNDArray(vals)
		require.NoError(t, err)
		return a
	}
	objects := objectArray([]any{"a", "b"})
	catDtype := func() *Object {
		d, err := dictFromItems([]DictItem{{Key: "categories", Value: &Index{Type: "Index", Values: objects}}, {Key: "ordered", Value: false}})
		require.NoError(t, err)
		return &Object{Class: globalCategoricalDtype, Kind: CallNewObj, Args: Tuple{}, State: d, HasState: true}
	}
	categorical := func(codes *NDArray) *Object {
		return &Object{Class: globalNDArrayBacked, Kind: CallReduce, Args: Tuple{globalCategorical, int64(ndarrayBackedChecksum), nil},
			State: Tuple{catDtype(), codes, NewDict(0)}, HasState: true}
	}
	series := func(values any, index any, placement Tuple) *Object {
		block := &Object{Class: globalUnpickleBlock, Kind: CallReduce, Args: Tuple{values, &Object{Class: globalSlice, Kind: CallReduce, Args: placement}, int64(1)}}
		mgr := &Object{Class: globalSingleBlockManager, Kind: CallReduce, Args: Tuple{block, index}}
		state, err := pandasFrameState(mgr, "series", nil)
		require.NoError(t, err)
		return &Object{Class: globalSeries, Kind: CallNewObj, Args: Tuple{}, State: state, HasState: true}
	}
	frameState, err := dictFromItems([]DictItem{{Key: "_typ", Value: "dataframe"}})
	require.NoError(t, err)
	newObj := func(class Global, items ...DictItem) *Object {
		d, err := dictFromItems(items)
		require.NoError(t, err)
		return &Object{Class: class, Kind: CallNewObj, Args: Tuple{}, State: d, HasState: true}
	}
	mask := func(vals ...bool) *NDArray {
		a, err := NewNDArray(vals)
		require.NoError(t, err)
		return a
	}
	datetimes, err := NewNDArray([]int64{1, 2})
	require.NoError(t, err)
	datetimes.Dtype = Dtype{Kind: 'M', Order: '<', Size: 8, Unit: "ns", Count: 1}
	tzArray := func(unit string) *Object {
		dtype := newObj(globalDatetimeTZDtype, DictItem{Key: "unit", Value: unit}, DictItem{Key: "tz", Value: &Tzinfo{Class: "pytz.UTC"}})
		return &Object{Class: globalNDArrayBacked, Kind: CallReduce, Args: Tuple{globalDatetimeArray, int64(ndarrayBackedChecksum), nil},
			State: Tuple{dtype, datetimes, NewDict(0)}, HasState: true}
	}
	tests := []struct {
		name  string
		value any
		into  any
		want  error
		text  string
	}{
		{"huge RangeIndex labels", rangeIndex(0, 1<<62, 1), &[]int64{}, ErrLimit, "MaxPlainAlloc"},
		{"huge RangeIndex under a Series", series(i8(1), rangeIndex(-1<<62, 1<<62, 3), Tuple{int64(0), int64(1), int64(1)}), new(any), ErrLimit, "RangeIndex"},
		{"RangeIndex step 0", rangeIndex(0, 5, 0), new(any), ErrMalformed, "step"},
		{"category code beyond categories", categorical(i8(0, 5)), &[]any{}, ErrMalformed, "beyond its 2 categories"},
		{"categorical codes not ints", categorical(objects), new(any), ErrMalformed, "codes"},
		{"values longer than the index", series(i8(1, 2, 3), rangeIndex(0, 2, 1), Tuple{int64(0), int64(2), int64(1)}), new(any), ErrMalformed, "shape [3]"},
		{"DataFrame without a block manager", &Object{Class: globalDataFrame, Kind: CallNewObj, Args: Tuple{}, State: frameState, HasState: true}, new(any), ErrUnsupported, "block manager"},
		{"Timestamp at an unknown resolution", &Object{Class: globalPandasTimestamp, Kind: CallReduce, Args: Tuple{int64(1), nil, nil, int64(3)}}, new(any), ErrMalformed, "resolution"},
		{"masked array shorter mask", newObj(globalIntegerArray, DictItem{Key: "_data", Value: i8(1, 2)}, DictItem{Key: "_mask", Value: mask(false)}), new(any), ErrMalformed, "mask"},
		{"masked array of objects", newObj(globalIntegerArray, DictItem{Key: "_data", Value: objects}, DictItem{Key: "_mask", Value: mask(false, true)}), new(any), ErrMalformed, "mask"},
		{"DatetimeTZDtype without a unit", tzArray("parsecs"), new(any), ErrMalformed, "unit"},
		{"tz-aware values in another unit", tzArray("s"), new(any), ErrMalformed, "holds <M8[ns] values"},
		{"NDArrayBacked checksum Cython refuses", &Object{Class: globalNDArrayBacked, Kind: CallReduce, Args: Tuple{globalCategorical, int64(12345), nil}}, new(any), ErrMalformed, "checksum"},
		{"Timedelta beyond a Duration", &Object{Class: globalPandasTimedelta, Kind: CallReduce, Args: Tuple{int64(1) << 62, int64(7)}}, new(any), ErrMalformed, "time.Duration"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data, err := Marshal(tc.value, Protocol(4))
			require.NoError(t, err)
			err = Unmarshal(data, tc.into)
			require.ErrorIs(t, err, tc.want)
			require.ErrorContains(t, err, tc.text)
			require.ErrorContains(t, err, "pickle:")
		})
	}
}

// A DataFrame of 3000 columns that all share one memoized array of 100000
// values is a 200 KB pickle of 300 million cells: Unmarshal refuses to box
// them beyond its typed budget, and Plain declines to.
func TestPandasSharedColumnsBudget(t *testing.T) {
	a, err := NewNDArray(make([]int8, 100000))
	require.NoError(t, err)
	shared := *a
	shared.Shape = []int{1, 100000}
	names := make([]any, 3000)
	blocks := make(Tuple, len(names))
	for j := range names {
		names[j] = int64(j)
		place := &Object{Class: globalSlice, Kind: CallReduce, Args: Tuple{int64(j), int64(j + 1), int64(1)}}
		blocks[j] = &Object{Class: globalUnpickleBlock, Kind: CallReduce, Args: Tuple{&shared, place, int64(2)}}
	}
	cols, err := labelIndex(names)
	require.NoError(t, err)
	axes := List{cols, &Index{Type: "RangeIndex", Stop: 100000, Step: 1}}
	mgr := &Object{Class: globalBlockManager, Kind: CallReduce, Args: Tuple{blocks, &axes}}
	state, err := pandasFrameState(mgr, "dataframe", nil)
	require.NoError(t, err)
	data, err := Marshal(&Object{Class: globalDataFrame, Kind: CallNewObj, Args: Tuple{}, State: state, HasState: true})
	require.NoError(t, err)
	require.Less(t, len(data), 300000)

	var rows []map[int64]int8
	err = Unmarshal(data, &rows)
	require.ErrorIs(t, err, ErrLimit)
	var v any
	require.NoError(t, Unmarshal(data, &v))
	require.Contains(t, Plain(v), "beyond Plain's limit")
}
