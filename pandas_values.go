package pickle

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// This file reads pandas' values as Go values: the labels of an index, the
// values of a column, a DataFrame's rows and columns, a Series' index to
// value pairs. Unmarshal reaches them through the rows' sequence and
// mapping (pytype_pandas.go). Missing values: NaN stays NaN in float
// columns; None in object columns, a categorical's code -1 and NaT are nil.

// Len returns the number of labels.
func (ix *Index) Len() (int, error) {
	switch {
	case ix.Type == "RangeIndex":
		return pandasRangeLen(ix.Start, ix.Stop, ix.Step)
	case ix.Levels != nil:
		return ix.Codes[0].Len(), nil
	}
	return valuesLen(ix.Values)
}

// pandasRangeLen is len(range(start, stop, step)), refused beyond MaxPlainAlloc
// labels: a RangeIndex's declared range buys no allocation by itself.
func pandasRangeLen(start, stop, step int64) (int, error) {
	var n uint64
	switch {
	case step > 0 && stop > start:
		n = (uint64(stop-start) + uint64(step) - 1) / uint64(step)
	case step < 0 && start > stop:
		n = (uint64(start-stop) + uint64(-step) - 1) / uint64(-step)
	}
	if n > MaxPlainAlloc {
		return 0, fmt.Errorf("pickle: pandas RangeIndex(%d, %d, %d) has %d labels, more than MaxPlainAlloc: %w", start, stop, step, n, ErrLimit)
	}
	return int(n), nil
}

func valuesLen(v any) (int, error) {
	switch x := v.(type) {
	case *NDArray:
		return x.Len(), nil
	case *Categorical:
		return x.Codes.Len(), nil
	case *DatetimeArray:
		return x.Values.Len(), nil
	case *MaskedArray:
		return x.Values.Len(), nil
	case *StringArray:
		return x.Values.Len(), nil
	}
	return 0, fmt.Errorf("pickle: pandas values are a %s, not an array: %w", typeName(v), ErrUnsupported)
}

// Labels returns the index's labels: a MultiIndex's as Tuples.
func (ix *Index) Labels() ([]any, error) {
	switch {
	case ix.Type == "RangeIndex":
		n, err := pandasRangeLen(ix.Start, ix.Stop, ix.Step)
		if err != nil {
			return nil, err
		}
		out := make([]any, n)
		for i := range out {
			out[i] = ix.Start + int64(i)*ix.Step
		}
		return out, nil
	case ix.Levels != nil:
		return ix.multiLabels()
	}
	return ValuesOf(ix.Values)
}

func (ix *Index) multiLabels() ([]any, error) {
	levels := make([][]any, len(ix.Levels))
	codes := make([][]int64, len(ix.Levels))
	for j, l := range ix.Levels {
		var err error
		if levels[j], err = l.Labels(); err != nil {
			return nil, err
		}
		if codes[j], err = ix.Codes[j].Int64s(); err != nil {
			return nil, err
		}
	}
	out := make([]any, ix.Codes[0].Len())
	for i := range out {
		t := make(Tuple, len(levels))
		for j := range levels {
			if t[j], _ = codeValue(levels[j], codes[j][i]); codes[j][i] >= int64(len(levels[j])) {
				return nil, fmt.Errorf("pickle: pandas MultiIndex code %d is beyond level %d's %d labels: %w", codes[j][i], j, len(levels[j]), ErrMalformed)
			}
		}
		out[i] = t
	}
	return out, nil
}

// codeValue returns category code c of cats: nil for -1 (missing).
func codeValue(cats []any, c int64) (any, bool) {
	if c < 0 || c >= int64(len(cats)) {
		return nil, c == -1
	}
	return cats[c], true
}

// ValuesOf returns the elements of a pandas column, Series or Index
// values (a Column's Values): an array's elements, or a categorical's
// category per row (nil where missing).
func ValuesOf(values any) ([]any, error) {
	switch x := values.(type) {
	case *NDArray:
		return x.Values()
	case *DatetimeArray:
		return x.times()
	case *MaskedArray:
		return x.values()
	case *StringArray:
		return x.values()
	case *Categorical:
		cats, err := x.Categories.Labels()
		if err != nil {
			return nil, err
		}
		codes, err := x.Codes.Values()
		if err != nil {
			return nil, err
		}
		out := make([]any, len(codes))
		for i, c := range codes {
			code, _ := c.(int64)
			v, ok := codeValue(cats, code)
			if !ok {
				return nil, fmt.Errorf("pickle: pandas Categorical code %d is beyond its %d categories: %w", code, len(cats), ErrMalformed)
			}
			out[i] = v
		}
		return out, nil
	}
	return nil, fmt.Errorf("pickle: pandas values are a %s, not an array: %w", typeName(values), ErrUnsupported)
}

// Rows returns the DataFrame's rows, each a *Dict of column name to value
// in column order: what Unmarshal fills a []S from.
func (df *DataFrame) Rows() ([]any, error) {
	cols := make([][]any, len(df.Columns))
	n := -1
	for j, c := range df.Columns {
		var err error
		if cols[j], err = ValuesOf(c.Values); err != nil {
			return nil, fmt.Errorf("pickle: pandas column %s: %w", Repr(c.Name), err)
		}
		if n >= 0 && len(cols[j]) != n {
			return nil, fmt.Errorf("pickle: pandas column %s has %d values, not %d: %w", Repr(c.Name), len(cols[j]), n, ErrMalformed)
		}
		n = len(cols[j])
	}
	rows := make([]any, max(n, 0))
	for i := range rows {
		d := NewDict(len(cols))
		for j, c := range df.Columns {
			if err := d.Set(c.Name, cols[j][i]); err != nil {
				return nil, fmt.Errorf("pickle: pandas column name %s: %w", Repr(c.Name), err)
			}
		}
		rows[i] = d
	}
	return rows, nil
}

// ColumnItems returns column name to the column's values (a *List), in
// column order: what Unmarshal fills a map[string][]T from.
func (df *DataFrame) ColumnItems() ([]DictItem, error) {
	items := make([]DictItem, len(df.Columns))
	for j, c := range df.Columns {
		vals, err := ValuesOf(c.Values)
		if err != nil {
			return nil, fmt.Errorf("pickle: pandas column %s: %w", Repr(c.Name), err)
		}
		l := List(vals)
		items[j] = DictItem{Key: c.Name, Value: &l}
	}
	return items, nil
}

// Items returns index label to value, in order: what Unmarshal fills a
// map[K]T from.
func (s *Series) Items() ([]DictItem, error) {
	vals, err := ValuesOf(s.Values)
	if err != nil {
		return nil, err
	}
	labels, err := s.Index.Labels()
	if err != nil {
		return nil, err
	}
	if len(labels) != len(vals) {
		return nil, fmt.Errorf("pickle: pandas Series has %d labels for %d values: %w", len(labels), len(vals), ErrMalformed)
	}
	items := make([]DictItem, len(vals))
	for i := range vals {
		items[i] = DictItem{Key: labels[i], Value: vals[i]}
	}
	return items, nil
}

// pandasViewer is a pandas value that Unmarshal reads as a list or a dict
// of plain values.
type pandasViewer interface {
	// unmarshalView returns the value as a *List (asMap false) or a *Dict.
	unmarshalView(asMap bool) (any, error)
	// cells is the number of values the view holds.
	cells() (int, error)
}

// viewBytesPerCell is what a view spends on a value: an interface, and a
// row dict's entry.
const viewBytesPerCell = 64

func (df *DataFrame) cells() (int, error) {
	if len(df.Columns) == 0 {
		return 0, nil
	}
	n, err := valuesLen(df.Columns[0].Values)
	return n * len(df.Columns), err
}

func (s *Series) cells() (int, error)        { return valuesLen(s.Values) }
func (ix *Index) cells() (int, error)        { return ix.Len() }
func (c *Categorical) cells() (int, error)   { return valuesLen(c) }
func (d *DatetimeArray) cells() (int, error) { return valuesLen(d) }

// convertPandas stores a pandas value into a slice, array or map, a
// Timestamp into a time.Time and a Timedelta into a time.Duration;
// handled=false for any other pair.
func (u *unmarshaler) convertPandas(src any, dst reflect.Value) (handled bool, err error) {
	switch x := src.(type) {
	case Timestamp:
		if dst.Type() == timeType {
			dst.Set(reflect.ValueOf(x.Time))
			return true, nil
		}
	case Timedelta:
		if dst.Type() == durationType {
			dst.SetInt(int64(x.Duration))
			return true, nil
		}
	case pandasViewer:
		switch dst.Kind() {
		case reflect.Slice, reflect.Array, reflect.Map:
			// The view boxes every cell before the typed budget sees it:
			// charge for it first.
			cells, err := x.cells()
			if err != nil {
				return true, u.mismatch(src, dst, err)
			}
			u.budget -= viewBytesPerCell * int64(cells)
			if u.budget < 0 {
				total := typedBytesPerInputByte*u.input + typedBytesBase
				return true, u.mismatch(src, dst, &LimitError{Limit: "bytes of Go values made by typed decoding (256 per input byte, plus 1 MiB)", Value: total, Reached: total - u.budget})
			}
			view, err := x.unmarshalView(dst.Kind() == reflect.Map)
			if err != nil {
				return true, u.mismatch(src, dst, err)
			}
			return true, u.convert(view, dst)
		}
	}
	return false, nil
}

var durationType = reflect.TypeFor[time.Duration]()

// unmarshalView: a DataFrame is a list of rows, or a dict of columns.
func (df *DataFrame) unmarshalView(asMap bool) (any, error) {
	return view(asMap, "", df.Rows, df.ColumnItems)
}

// unmarshalView: a Series is a list of values, or a dict of label to value.
func (s *Series) unmarshalView(asMap bool) (any, error) {
	return view(asMap, "", func() ([]any, error) { return ValuesOf(s.Values) }, s.Items)
}

// unmarshalView: an Index is a list of labels.
func (ix *Index) unmarshalView(asMap bool) (any, error) {
	return view(asMap, "an Index is a list of labels", ix.Labels, nil)
}

// unmarshalView: a Categorical is a list of its values.
func (c *Categorical) unmarshalView(asMap bool) (any, error) {
	return view(asMap, "a Categorical is a list of values", func() ([]any, error) { return ValuesOf(c) }, nil)
}

// unmarshalView: a DatetimeArray is a list of its times.
func (d *DatetimeArray) unmarshalView(asMap bool) (any, error) {
	return view(asMap, "a DatetimeArray is a list of times", d.times, nil)
}

// times returns the array's values; a time zone aware array's in its
// zone's Location (UTC where Go has none).
func (d *DatetimeArray) times() ([]any, error) {
	vals, err := d.Values.Values()
	tz, aware := d.Dtype.(*DatetimeTZDtype)
	if err != nil || !aware {
		return vals, err
	}
	loc := tz.Location()
	for i, v := range vals {
		if t, ok := v.(time.Time); ok {
			vals[i] = t.In(loc)
		}
	}
	return vals, nil
}

// Location is the Go zone of the dtype's tz: time.UTC where Go has none
// (see Tzinfo.Location).
func (d *DatetimeTZDtype) Location() *time.Location {
	switch tz := d.TZ.(type) {
	case *time.Location:
		return tz
	case *Tzinfo:
		if tz.Location != nil {
			return tz.Location
		}
	}
	return time.UTC
}

// String is str(dtype) in pandas: "datetime64[ns, UTC]",
// "datetime64[ns, Europe/Berlin]".
func (d *DatetimeTZDtype) String() string {
	var tz string
	switch x := d.TZ.(type) {
	case *time.Location:
		tz = pyTimezoneName(x)
	case *Tzinfo:
		tz = x.String()
	}
	return "datetime64[" + d.Unit + ", " + tz + "]"
}

// view returns list's items as a *List, or dict's as a *Dict when asMap;
// without a dict, asMap is an error that says why (notMap).
func view(asMap bool, notMap string, list func() ([]any, error), dict func() ([]DictItem, error)) (any, error) {
	if asMap && dict == nil {
		return nil, fmt.Errorf("pickle: pandas: %s, not a mapping: %w", notMap, ErrUnsupported)
	}
	if asMap {
		items, err := dict()
		if err != nil {
			return nil, err
		}
		return dictFromItems(items)
	}
	vals, err := list()
	l := List(vals)
	return &l, err
}

func dictFromItems(items []DictItem) (*Dict, error) {
	d := NewDict(len(items))
	for _, it := range items {
		if err := d.Set(it.Key, it.Value); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// DtypeName returns pandas' name of the dtype of a Column's, Series' or
// Index's values, as str(dtype) gives it: "int64", "float32", "bool",
// "object", "datetime64[ns]", "category", ...
func DtypeName(values any) string {
	switch x := values.(type) {
	case *Categorical:
		return "category"
	case *MaskedArray:
		return x.dtypeName()
	case *StringArray:
		return x.Dtype.String()
	case *DatetimeArray:
		if tz, ok := x.Dtype.(*DatetimeTZDtype); ok {
			return tz.String()
		}
		return DtypeName(x.Values)
	case *NDArray:
		d := x.Dtype
		switch d.Kind {
		case 'b':
			return "bool"
		case 'O':
			return "object"
		case 'i', 'u', 'f', 'c':
			name := map[byte]string{'i': "int", 'u': "uint", 'f': "float", 'c': "complex"}[d.Kind]
			return name + strconv.Itoa(8*d.Size)
		case 'M', 'm':
			name := map[byte]string{'M': "datetime64", 'm': "timedelta64"}[d.Kind]
			if s := d.String(); strings.IndexByte(s, '[') >= 0 {
				name += s[strings.IndexByte(s, '['):]
			}
			return name
		}
		return d.String()
	}
	return typeName(values)
}

// maxPlainCells bounds the values Plain boxes for one pandas value.
const maxPlainCells = 1 << 26

// pandasPlain is Plain's view of a pandas value: a DataFrame as
// to_dict("list") gives it (column name to values), a Series, Index or
// Categorical as tolist(); where the value is broken, the error's text.
func pandasPlain(asMap bool) func(v any) any {
	return func(v any) any {
		// Columns may share one array: the view's size is not the
		// pickle's.
		n, err := v.(pandasViewer).cells()
		if err != nil {
			return err.Error()
		}
		if n > maxPlainCells {
			return fmt.Sprintf("pickle: pandas %s of %d values, beyond Plain's limit of %d", typeName(v), n, maxPlainCells)
		}
		view, err := v.(pandasViewer).unmarshalView(asMap)
		if err != nil {
			return err.Error()
		}
		return Plain(view)
	}
}
