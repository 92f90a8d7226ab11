package pickle

import (
	"fmt"
	"reflect"
	"time"
)

// This file reduces pandas' Go values to the calls pandas' own
// unpickling makes, so that pandas 1.5 loads what Marshal writes as equal
// objects: a DataFrame or Series as NEWOBJ and BUILD of NDFrame's state
// dict, its columns as one block each of a BlockManager (pandas
// consolidates blocks itself when it needs to), an Index through
// _new_Index, a Categorical through NDArrayBacked's unpickler.

// ndarrayBackedChecksum is the checksum pandas 1.5's pickles pass
// __pyx_unpickle_NDArrayBacked (Cython's hash of the class's fields), which
// that function checks before anything else: the first 7 hex digits of
// the md5 of its member names, "_dtype _ndarray". Cython 3, which builds
// pandas 2.1 and later, accepts the md5, sha256 and sha1 ones, and writes
// the first of its list.
const ndarrayBackedChecksum = 223698104

// ndarrayBackedChecksums are the checksums Cython 3 accepts: md5, sha256
// and sha1 (TestNDArrayBackedChecksums derives them).
var ndarrayBackedChecksums = map[int64]bool{ndarrayBackedChecksum: true, 82904607: true, 191083838: true}

// pandasFlags is NDFrame's state beside its block manager.
func pandasFrameState(mgr *Object, typ string, metadata []any) (*Dict, error) {
	flags := NewDict(1)
	if err := flags.Set("allows_duplicate_labels", true); err != nil {
		return nil, err
	}
	meta := List(metadata)
	return dictFromItems([]DictItem{
		{Key: "_mgr", Value: mgr},
		{Key: "_typ", Value: typ},
		{Key: "_metadata", Value: &meta},
		{Key: "attrs", Value: NewDict(0)},
		{Key: "_flags", Value: flags},
	})
}

// reduceAt: a DataFrame is DataFrame.__new__ and BUILD of its state.
func (df *DataFrame) reduceAt() (*Object, any, error) {
	if df == nil {
		return nil, nil, unsupported("nil *pickle.DataFrame")
	}
	rows, err := df.rowIndex()
	if err != nil {
		return nil, nil, err
	}
	n, err := rows.Len()
	if err != nil {
		return nil, nil, err
	}
	cols := df.ColumnIndex
	if cols == nil {
		if cols, err = labelIndex(df.names()); err != nil {
			return nil, nil, err
		}
	}
	if k, err := cols.Len(); err != nil || k != len(df.Columns) {
		return nil, nil, fmt.Errorf("pickle: pandas DataFrame has %d columns and %d column labels: %w", len(df.Columns), k, ErrUnsupported)
	}
	blocks := make(Tuple, len(df.Columns))
	for j, c := range df.Columns {
		if blocks[j], err = columnBlock(c.Values, j, n, 2); err != nil {
			return nil, nil, fmt.Errorf("pickle: pandas column %s: %w", Repr(c.Name), err)
		}
	}
	axes := List{cols, rows}
	mgr := &Object{Class: globalBlockManager, Kind: CallReduce, Args: Tuple{blocks, &axes}}
	state, err := pandasFrameState(mgr, "dataframe", nil)
	if err != nil {
		return nil, nil, err
	}
	return &Object{Class: globalDataFrame, Kind: CallNewObj, Args: Tuple{}, State: state, HasState: true}, df, nil
}

func (df *DataFrame) names() []any {
	names := make([]any, len(df.Columns))
	for j, c := range df.Columns {
		names[j] = c.Name
	}
	return names
}

// rowIndex is the DataFrame's index, or a RangeIndex of its rows.
func (df *DataFrame) rowIndex() (*Index, error) {
	if df.Index != nil {
		return df.Index, nil
	}
	n := 0
	if len(df.Columns) > 0 {
		var err error
		if n, err = valuesLen(df.Columns[0].Values); err != nil {
			return nil, err
		}
	}
	return &Index{Type: "RangeIndex", Stop: int64(n), Step: 1}, nil
}

// labelIndex is an Index of labels: int64 labels, or objects (none, too,
// as pandas' empty Index). Int labels are written as the class Index, which
// pandas 1.5 makes an Int64Index of and pandas 2, which has no Int64Index,
// an Index of int64.
func labelIndex(labels []any) (*Index, error) {
	if len(labels) == 0 {
		return &Index{Type: "Index", Values: objectArray(labels)}, nil
	}
	ints := make([]int64, len(labels))
	for i, l := range labels {
		x, ok := l.(int64)
		if !ok {
			return &Index{Type: "Index", Values: objectArray(labels)}, nil
		}
		ints[i] = x
	}
	a, err := NewNDArray(ints)
	return &Index{Type: "Index", Values: a}, err
}

// objectArray is a 1-d object array of vals.
func objectArray(vals []any) *NDArray {
	return &NDArray{Shape: []int{len(vals)}, Dtype: Dtype{Kind: 'O', Order: '|', Size: 8}, Objects: vals}
}

// columnBlock is _unpickle_block(values, placement, ndim) for one column of
// n values; a numpy column is a (1, n) array in a DataFrame.
func columnBlock(values any, j, n, ndim int) (o *Object, err error) {
	if k, err := valuesLen(values); err != nil || k != n {
		return nil, fmt.Errorf("pickle: pandas values are a %s of %d items for %d rows: %w", typeName(values), k, n, ErrUnsupported)
	}
	switch a := values.(type) {
	case *NDArray:
		if values, err = blockShape(a, n, ndim); err != nil {
			return nil, err
		}
	case *DatetimeArray:
		// pandas 1.5 keeps a time zone aware column as a 2-d DatetimeArray.
		d := *a
		if d.Values, err = blockShape(a.Values, n, ndim); err != nil {
			return nil, err
		}
		values = &d
	}
	// A DataFrame's block holds column j; a Series' holds its n rows.
	stop := int64(j + 1)
	if ndim == 1 {
		stop = int64(n)
	}
	slice := &Object{Class: globalSlice, Kind: CallReduce, Args: Tuple{int64(j), stop, int64(1)}}
	return &Object{Class: globalUnpickleBlock, Kind: CallReduce, Args: Tuple{values, slice, int64(ndim)}}, nil
}

// blockShape is a 1-d array as a block of ndim dimensions holds it: (1, n)
// in a DataFrame's.
func blockShape(a *NDArray, n, ndim int) (*NDArray, error) {
	if len(a.Shape) != 1 {
		return nil, fmt.Errorf("pickle: pandas column of shape %v, not 1-d: %w", a.Shape, ErrUnsupported)
	}
	if ndim == 1 {
		return a, nil
	}
	b := *a
	b.Shape = []int{1, n}
	return &b, nil
}

// reduceAt: a DatetimeArray or TimedeltaArray is NDArrayBacked's unpickler
// and BUILD of (dtype, values, {"_freq": freq}), as pandas 1.5 writes one.
func (d *DatetimeArray) reduceAt() (*Object, any, error) {
	if d.Values == nil || d.Values.Dtype.Kind != 'M' && d.Values.Dtype.Kind != 'm' {
		return nil, nil, unsupported("pandas datetime array without datetime64 or timedelta64 values")
	}
	cls := globalDatetimeArray
	if d.Values.Dtype.Kind == 'm' {
		cls = globalTimedeltaArray
	}
	dtype := d.Dtype
	if dtype == nil {
		dt := d.Values.Dtype
		dtype = &dt
	}
	attrs, err := dictFromItems([]DictItem{{Key: "_freq", Value: d.Freq}})
	if err != nil {
		return nil, nil, err
	}
	return &Object{
		Class: globalNDArrayBacked, Kind: CallReduce, Args: Tuple{cls, int64(ndarrayBackedChecksum), nil},
		State: Tuple{dtype, d.Values, attrs}, HasState: true,
	}, d, nil
}

// reduceAt: a DatetimeTZDtype is its class's NEWOBJ and BUILD of {"unit",
// "tz"}.
func (d *DatetimeTZDtype) reduceAt() (*Object, any, error) {
	state, err := dictFromItems([]DictItem{{Key: "unit", Value: d.Unit}, {Key: "tz", Value: d.TZ}})
	if err != nil {
		return nil, nil, err
	}
	return &Object{Class: globalDatetimeTZDtype, Kind: CallNewObj, Args: Tuple{}, State: state, HasState: true}, d, nil
}

// reduceAt: a Series is Series.__new__ and BUILD of its state, around a
// SingleBlockManager(block, index).
func (s *Series) reduceAt() (*Object, any, error) {
	if s == nil || s.Index == nil {
		return nil, nil, unsupported("pandas Series without an Index")
	}
	n, err := s.Index.Len()
	if err != nil {
		return nil, nil, err
	}
	block, err := columnBlock(s.Values, 0, n, 1)
	if err != nil {
		return nil, nil, err
	}
	mgr := &Object{Class: globalSingleBlockManager, Kind: CallReduce, Args: Tuple{block, s.Index}}
	state, err := pandasFrameState(mgr, "series", []any{"name"})
	if err == nil {
		err = state.Set("name", s.Name)
	}
	if err != nil {
		return nil, nil, err
	}
	return &Object{Class: globalSeries, Kind: CallNewObj, Args: Tuple{}, State: state, HasState: true}, s, nil
}

// reduceAt: an Index is _new_Index(cls, d), d holding what __reduce__ puts
// there for its class.
func (ix *Index) reduceAt() (*Object, any, error) {
	var cls Global
	for _, g := range indexClassList {
		if g.Name == ix.Type {
			cls = g
		}
	}
	if cls.Name == "" {
		return nil, nil, fmt.Errorf("pickle: pandas index type %q is not one this package writes: %w", ix.Type, ErrUnsupported)
	}
	items := []DictItem{{Key: "name", Value: ix.Name}}
	switch {
	case ix.Type == "RangeIndex":
		items = append(items, DictItem{Key: "start", Value: ix.Start}, DictItem{Key: "stop", Value: ix.Stop}, DictItem{Key: "step", Value: ix.Step})
	case ix.Type == "MultiIndex":
		levels := make(List, len(ix.Levels))
		codes := make(List, len(ix.Codes))
		for j := range ix.Levels {
			levels[j], codes[j] = ix.Levels[j], ix.Codes[j]
		}
		names := List(append([]any{}, ix.Names...))
		items = []DictItem{{Key: "levels", Value: &levels}, {Key: "codes", Value: &codes},
			{Key: "sortorder", Value: nil}, {Key: "names", Value: &names}}
	default:
		items = append([]DictItem{{Key: "data", Value: ix.Values}}, items...)
	}
	d, err := dictFromItems(items)
	if err != nil {
		return nil, nil, err
	}
	return &Object{Class: globalNewIndex, Kind: CallReduce, Args: Tuple{cls, d}}, ix, nil
}

// reduceAt: a Categorical is NDArrayBacked's unpickler and BUILD of
// (dtype, codes, {}).
func (c *Categorical) reduceAt() (*Object, any, error) {
	if c.Codes == nil || c.Categories == nil {
		return nil, nil, unsupported("pandas Categorical without codes or categories")
	}
	state, err := dictFromItems([]DictItem{{Key: "categories", Value: c.Categories}, {Key: "ordered", Value: c.Ordered}})
	if err != nil {
		return nil, nil, err
	}
	dtype := &Object{Class: globalCategoricalDtype, Kind: CallNewObj, Args: Tuple{}, State: state, HasState: true}
	return &Object{
		Class: globalNDArrayBacked, Kind: CallReduce, Args: Tuple{globalCategorical, int64(ndarrayBackedChecksum), nil},
		State: Tuple{dtype, c.Codes, NewDict(0)}, HasState: true,
	}, c, nil
}

// reduceAt: a Timestamp is _unpickle_timestamp(nanoseconds, None, tz, 10),
// tz None when naive, a datetime.timezone when fixed, a zoneinfo.ZoneInfo
// otherwise (10 is pandas' nanosecond resolution).
func (t Timestamp) reduceAt() (*Object, any, error) {
	ns := t.UnixNano()
	if !time.Unix(0, ns).Equal(t.Time) {
		return nil, nil, fmt.Errorf("pickle: pandas Timestamp %v is beyond pandas' nanosecond range: %w", t.Time, ErrUnsupported)
	}
	var tz any
	if loc := t.Location(); loc != Naive {
		tz = loc
		if _, _, fixed := fixedZone(loc); !fixed {
			// A zone of the IANA database: zoneinfo's, which pandas
			// reads, rather than datetime.timezone's fixed offset.
			tz = zoneInfoOf(loc.String())
		}
	}
	return &Object{Class: globalPandasTimestamp, Kind: CallReduce, Args: Tuple{ns, nil, tz, int64(10)}}, nil, nil
}

// reduceAt: a Timedelta is _timedelta_unpickle(nanoseconds, 10).
func (d Timedelta) reduceAt() (*Object, any, error) {
	return &Object{Class: globalPandasTimedelta, Kind: CallReduce, Args: Tuple{int64(d.Duration), int64(10)}}, nil, nil
}

// NewColumn returns a DataFrame column of Go values: a slice of numbers,
// bools, times or durations becomes a numpy array of their dtype (as
// NewNDArray makes it), a slice of strings or of any an object array, as
// pandas keeps them.
func NewColumn(name any, values any) (Column, error) {
	rv := reflect.ValueOf(values)
	if rv.Kind() == reflect.Slice && (rv.Type().Elem().Kind() == reflect.String || rv.Type().Elem().Kind() == reflect.Interface) {
		objs := make([]any, rv.Len())
		for i := range objs {
			objs[i] = rv.Index(i).Interface()
		}
		return Column{Name: name, Values: objectArray(objs)}, nil
	}
	a, err := NewNDArray(values)
	if err == nil && len(a.Shape) != 1 {
		err = fmt.Errorf("pickle: pandas column %s has shape %v, not 1-d: %w", Repr(name), a.Shape, ErrUnsupported)
	}
	return Column{Name: name, Values: a}, err
}
