package pickle

import "time"

// This file holds the Go types of pandas' values, as the decoder gives them
// in an `any`: what pandas 1.5 and 2.x pickle, reassembled from the block
// manager into columns. How each is decoded is in pandas_decode.go; how
// Unmarshal reads them as rows, columns and values is in pandas_values.go.

// DataFrame is a pandas.DataFrame: its columns in order and its row index.
// Unmarshal also reads one into []S (one struct per row, columns matched to
// fields as dict keys are), []map[string]T, map[string][]T and
// map[string]any (column name to a *List of its values). Values follow
// ValuesOf: NaN stays NaN, missing objects, categories and times are nil.
type DataFrame struct {
	Columns []Column
	// Index labels the rows; nil writes a RangeIndex.
	Index *Index
	// ColumnIndex is the index of the column labels as pandas kept it (a
	// RangeIndex, say); nil writes one of the Columns' names.
	ColumnIndex *Index
}

// Column is one column of a DataFrame.
type Column struct {
	// Name is the column's label, as Python gave it (usually a string).
	Name any
	// Values are the column's values: a 1-d *NDArray (its Dtype is the
	// column's dtype; datetime64 and timedelta64 columns included), or a
	// *Categorical.
	Values any
}

// Series is a pandas.Series. Unmarshal reads one into []T (its values) or
// map[K]T (index label to value).
type Series struct {
	Name any
	// Values are as a Column's.
	Values any
	Index  *Index
}

// Index is a pandas Index of any kind; Type says which. Unmarshal reads one
// into []T (its labels).
type Index struct {
	// Type is pandas' class name: "Index", "RangeIndex", "DatetimeIndex",
	// "TimedeltaIndex", "CategoricalIndex", "MultiIndex", or pandas 1's
	// "Int64Index", "UInt64Index", "Float64Index".
	Type string
	Name any
	// Values are the labels of every kind but RangeIndex and MultiIndex:
	// a 1-d *NDArray or a *Categorical.
	Values any
	// Start, Stop and Step are a RangeIndex's range.
	Start, Stop, Step int64
	// Levels, Codes and Names are a MultiIndex's: label i of level j is
	// Levels[j]'s label at Codes[j][i] (none when the code is -1).
	Levels []*Index
	Codes  []*NDArray
	Names  []any
}

// Categorical is a pandas.Categorical: each value is the category its code
// indexes, or missing (code -1).
type Categorical struct {
	Codes      *NDArray
	Categories *Index
	Ordered    bool
}

// CategoricalDtype is a pandas.CategoricalDtype, the dtype of a Categorical.
type CategoricalDtype struct {
	Categories *Index
	Ordered    bool
}

// DatetimeArray is pandas' DatetimeArray or TimedeltaArray, the values of
// a datetime64 or timedelta64 column or index: an *NDArray of those
// dtypes. Blocks and indexes are given as their NDArray; this type is what
// a bare array decodes to.
type DatetimeArray struct {
	Values *NDArray
	// Dtype is the array's dtype as pandas pickled it: a *Dtype, or a
	// *DatetimeTZDtype for a time zone aware array.
	Dtype any
	// Freq is the frequency pandas kept, or nil.
	Freq any
}

// DatetimeTZDtype is pandas' dtype of time zone aware times:
// datetime64[Unit, TZ]. A column of this dtype is a *DatetimeArray whose
// Values hold the instants as UTC datetime64 (what pandas stores);
// ValuesOf gives them in the zone's Location.
type DatetimeTZDtype struct {
	// Unit is numpy's unit of the values: "ns" in pandas 1.
	Unit string
	// TZ is the Python tzinfo: a *Tzinfo (pytz, zoneinfo, dateutil), or a
	// *time.Location for a datetime.timezone.
	TZ any
}

// Timestamp is a pandas.Timestamp: a time.Time to the nanosecond, whose
// Location is Naive when the Timestamp is tz-naive. Unmarshal also stores
// one into a time.Time. (A time.Time alone would be written back as a
// datetime.datetime, to the microsecond.)
type Timestamp struct{ time.Time }

// Timedelta is a pandas.Timedelta, which a time.Duration holds exactly.
// Unmarshal also stores one into a time.Duration.
type Timedelta struct{ time.Duration }
