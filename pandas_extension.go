package pickle

import (
	"fmt"
	"math"
)

// This file reads and writes pandas' nullable extension arrays, the values
// of columns of dtype Int8 to UInt64, Float32, Float64, boolean and string:
// IntegerArray, FloatingArray and BooleanArray pickle their __dict__
// ({"_data", "_mask"}, and BooleanArray's "_dtype"); StringArray is
// NDArrayBacked (its state is (StringDtype, object array, {}), missing
// values pandas.NA), and StringDtype is NEWOBJ and BUILD of {"storage"} in
// pandas 1.5, a call StringDtype(storage, na_value) from pandas 2.3 on
// (core/arrays/string_.py's __reduce__), whose na_value NaN is pandas 3's
// "str" dtype.

// MaskedArray is one of pandas' nullable arrays of numbers or bools: a
// value is missing where Mask is true.
type MaskedArray struct {
	// Values are an int, uint, float or bool array; what they hold where
	// Mask is true is no value.
	Values *NDArray
	Mask   *NDArray
}

// StringArray is pandas' StringArray: an object array of strings whose
// missing values are nil (pandas.NA, or NaN in pandas 3's "str").
type StringArray struct {
	Values *NDArray
	Dtype  *StringDtype
}

// StringDtype is pandas' StringDtype.
type StringDtype struct {
	// Storage is "python" (pandas' StringArray) or "pyarrow".
	Storage string
	// NaN marks the dtype whose missing value is NaN, not pandas.NA:
	// pandas 3's "str".
	NaN bool
}

// buildMaskedArray applies a masked array's __dict__.
func buildMaskedArray(state any) (any, bool, error) {
	data, ok1 := dictLookup(state, "_data")
	mask, ok2 := dictLookup(state, "_mask")
	d, ok3 := data.(*NDArray)
	m, ok4 := mask.(*NDArray)
	if !ok1 || !ok2 || !ok3 || !ok4 || len(d.Shape) != 1 || len(m.Shape) != 1 || m.Dtype.Kind != 'b' || d.Len() != m.Len() ||
		d.Dtype.Kind != 'i' && d.Dtype.Kind != 'u' && d.Dtype.Kind != 'f' && d.Dtype.Kind != 'b' {
		return nil, true, malformed("pandas masked array state holds %s data and a %s mask", typeName(data), typeName(mask))
	}
	return &MaskedArray{Values: d, Mask: m}, true, nil
}

// buildStringDtype applies pandas 1.5's state {"storage": ...}.
func buildStringDtype(state any) (any, bool, error) {
	storage, _ := dictLookup(state, "storage")
	s, ok := storage.(string)
	if !ok {
		return nil, true, malformed("pandas StringDtype state has storage %s", Repr(storage))
	}
	return &StringDtype{Storage: s}, true, nil
}

// callStringDtype evaluates StringDtype(storage, na_value), as pandas 2.3
// and later reduce it: na_value pandas.NA or NaN.
func callStringDtype(args Tuple, kind CallKind) (any, bool, error) {
	if kind != CallReduce || len(args) != 2 {
		return nil, false, nil
	}
	s, ok := args[0].(string)
	f, isFloat := args[1].(float64)
	if !ok || args[1] != any(globalPandasNA) && !(isFloat && math.IsNaN(f)) {
		return nil, false, nil
	}
	return &StringDtype{Storage: s, NaN: isFloat}, true, nil
}

// buildState applies a StringArray's NDArrayBacked state.
func (s *StringArray) buildState(state any) error {
	data, dtype, _, err := backedState(state)
	if err != nil {
		return err
	}
	d, ok := dtype.(*StringDtype)
	if !ok || data.Dtype.Kind != 'O' || len(data.Shape) != 1 {
		return malformed("pandas StringArray state has %s values and a %s dtype", data.Dtype, typeName(dtype))
	}
	s.Values, s.Dtype = data, d
	return nil
}

// values returns the array's elements, missing ones nil.
func (a *MaskedArray) values() ([]any, error) {
	vals, err := a.Values.Values()
	if err != nil {
		return nil, err
	}
	mask, err := a.Mask.Values()
	if err != nil {
		return nil, err
	}
	for i, m := range mask {
		if m == true {
			vals[i] = nil
		}
	}
	return vals, nil
}

// values returns the array's strings, missing ones nil.
func (s *StringArray) values() ([]any, error) {
	vals, err := s.Values.Values()
	if err != nil {
		return nil, err
	}
	for i, v := range vals {
		if f, ok := v.(float64); v == any(globalPandasNA) || ok && math.IsNaN(f) {
			vals[i] = nil
		}
	}
	return vals, nil
}

// dtypeName is str(dtype): "Int64", "UInt8", "Float64", "boolean".
func (a *MaskedArray) dtypeName() string {
	switch a.Values.Dtype.Kind {
	case 'b':
		return "boolean"
	case 'u':
		return fmt.Sprintf("UInt%d", 8*a.Values.Dtype.Size)
	case 'f':
		return fmt.Sprintf("Float%d", 8*a.Values.Dtype.Size)
	}
	return fmt.Sprintf("Int%d", 8*a.Values.Dtype.Size)
}

// String is str(dtype): "string", or pandas 3's "str".
func (d *StringDtype) String() string {
	if d.NaN {
		return "str"
	}
	return "string"
}

// reduceAt: a masked array is its class's NEWOBJ and BUILD of its
// __dict__, as pandas 1.5 pickles it.
func (a *MaskedArray) reduceAt() (*Object, any, error) {
	if a.Values == nil || a.Mask == nil {
		return nil, nil, unsupported("pandas masked array without values or mask")
	}
	cls := map[byte]Global{'i': globalIntegerArray, 'u': globalIntegerArray, 'f': globalFloatingArray, 'b': globalBooleanArray}[a.Values.Dtype.Kind]
	if cls.Name == "" {
		return nil, nil, fmt.Errorf("pickle: pandas masked array of %s values: %w", a.Values.Dtype, ErrUnsupported)
	}
	items := []DictItem{{Key: "_data", Value: a.Values}, {Key: "_mask", Value: a.Mask}}
	if cls == globalBooleanArray {
		dtype := &Object{Class: globalBooleanDtype, Kind: CallNewObj, Args: Tuple{}}
		items = append([]DictItem{{Key: "_dtype", Value: dtype}}, items...)
	}
	state, err := dictFromItems(items)
	if err != nil {
		return nil, nil, err
	}
	return &Object{Class: cls, Kind: CallNewObj, Args: Tuple{}, State: state, HasState: true}, a, nil
}

// reduceAt: a StringArray is NDArrayBacked's unpickler and BUILD of
// (dtype, values, {}), its missing values pandas.NA (NaN for "str").
func (s *StringArray) reduceAt() (*Object, any, error) {
	if s.Values == nil || s.Dtype == nil || s.Values.Objects == nil {
		return nil, nil, unsupported("pandas StringArray without object values or a dtype")
	}
	values := *s.Values
	values.Objects = append([]any{}, s.Values.Objects...)
	for i, v := range values.Objects {
		if v == nil {
			values.Objects[i] = globalPandasNA
			if s.Dtype.NaN {
				values.Objects[i] = math.NaN()
			}
		}
	}
	return &Object{
		Class: globalNDArrayBacked, Kind: CallReduce, Args: Tuple{globalStringArray, int64(ndarrayBackedChecksum), nil},
		State: Tuple{s.Dtype, &values, NewDict(0)}, HasState: true,
	}, s, nil
}

// reduceAt: a StringDtype is NEWOBJ and BUILD of {"storage"} as pandas 1.5
// writes it, or, for "str", StringDtype(storage, nan) as pandas 2.3 does.
func (d *StringDtype) reduceAt() (*Object, any, error) {
	if d.NaN {
		return &Object{Class: globalStringDtype, Args: Tuple{d.Storage, math.NaN()}}, d, nil
	}
	state, err := dictFromItems([]DictItem{{Key: "storage", Value: d.Storage}})
	if err != nil {
		return nil, nil, err
	}
	return &Object{Class: globalStringDtype, Kind: CallNewObj, Args: Tuple{}, State: state, HasState: true}, d, nil
}

func (a *MaskedArray) cells() (int, error) { return a.Values.Len(), nil }
func (s *StringArray) cells() (int, error) { return s.Values.Len(), nil }

// unmarshalView: an extension array is a list of its values.
func (a *MaskedArray) unmarshalView(asMap bool) (any, error) {
	return view(asMap, "a masked array is a list of values", a.values, nil)
}

// unmarshalView: a StringArray is a list of its strings.
func (s *StringArray) unmarshalView(asMap bool) (any, error) {
	return view(asMap, "a StringArray is a list of values", s.values, nil)
}
