package pickle

import (
	"math"
	"time"
)

// This file evaluates the calls and BUILD states of pandas' pickles without
// pandas, as pandas 1.5 writes them (core/generic.py's __getstate__,
// core/internals/managers.py and _libs/internals.pyx for the block
// managers, core/indexes/base.py's _new_Index, _libs/arrays.pyx's
// NDArrayBacked, _libs/tslibs for Timestamp, Timedelta and NaT). The block
// managers and blocks are scaffolding: a DataFrame's BUILD reassembles
// their blocks into columns in order. Anything else stays a symbolic
// *Object or fails with the reason.

// pandasBlock is one block of a block manager: 2-d values (one row per
// column it holds) or a 1-d extension array, and the column positions it
// fills.
type pandasBlock struct {
	values    any
	placement any // a slice or an int array, resolved by resolvePlacement
}

// pandasManager is a BlockManager or SingleBlockManager: its axes (the
// columns, then the rows; a Series' index alone) and blocks.
type pandasManager struct {
	axes   []*Index
	blocks []*pandasBlock
}

// callUnpickleBlock evaluates _unpickle_block(values, placement, ndim).
func callUnpickleBlock(args Tuple, kind CallKind) (any, bool, error) {
	if kind != CallReduce || len(args) != 3 {
		return nil, false, nil
	}
	return &pandasBlock{values: args[0], placement: args[1]}, true, nil
}

// callBlockManager evaluates BlockManager(blocks, axes) and
// SingleBlockManager(block, axis), the __reduce__ of _libs/internals.pyx.
func callBlockManager(args Tuple, kind CallKind) (any, bool, error) {
	if kind != CallReduce || len(args) != 2 {
		return nil, false, nil
	}
	if b, ok := args[0].(*pandasBlock); ok {
		args = Tuple{Tuple{b}, Tuple{args[1]}}
	}
	blocks, ok1 := sequenceItems(args[0])
	axes, ok2 := sequenceItems(args[1])
	if !ok1 || !ok2 {
		return nil, true, malformed("pandas BlockManager(%s, %s): want the blocks and the axes", typeName(args[0]), typeName(args[1]))
	}
	m := &pandasManager{}
	for _, b := range blocks {
		blk, ok := b.(*pandasBlock)
		if !ok {
			return nil, true, malformed("pandas BlockManager holds a %s, not a block", typeName(b))
		}
		m.blocks = append(m.blocks, blk)
	}
	return m, true, m.setAxes(axes)
}

// buildManager applies BlockManager.__setstate__'s state, whose fourth item
// is {"0.14.1": {"axes": [...], "blocks": [{"values", "mgr_locs"}...]}}.
func buildManager(state any) (any, bool, error) {
	t, ok := state.(Tuple)
	if !ok || len(t) < 4 {
		return nil, true, unsupported("pandas block manager state is a %s; only pandas 0.14.1's and later are read", typeName(state))
	}
	extra, ok := dictLookup(t[3], "0.14.1")
	if !ok {
		return nil, true, unsupported("pandas block manager state has no \"0.14.1\" item; older pickles are not read")
	}
	axes, ok1 := dictLookup(extra, "axes")
	blocks, ok2 := dictLookup(extra, "blocks")
	axisItems, ok3 := sequenceItems(axes)
	blockItems, ok4 := sequenceItems(blocks)
	if !ok1 || !ok2 || !ok3 || !ok4 {
		return nil, true, malformed("pandas block manager state lacks its axes or blocks")
	}
	m := &pandasManager{}
	for _, b := range blockItems {
		values, ok1 := dictLookup(b, "values")
		locs, ok2 := dictLookup(b, "mgr_locs")
		if !ok1 || !ok2 {
			return nil, true, malformed("pandas block state is a %s without values and mgr_locs", typeName(b))
		}
		m.blocks = append(m.blocks, &pandasBlock{values: values, placement: locs})
	}
	return m, true, m.setAxes(axisItems)
}

func (m *pandasManager) setAxes(axes []any) error {
	for _, a := range axes {
		ix, ok := a.(*Index)
		if !ok {
			return malformed("pandas block manager axis is a %s, not an Index", typeName(a))
		}
		m.axes = append(m.axes, ix)
	}
	if len(m.axes) != 1 && len(m.axes) != 2 {
		return malformed("pandas block manager has %d axes, not 1 or 2", len(m.axes))
	}
	return nil
}

// dictLookup returns d[key] for a *Dict d with a string key.
func dictLookup(d any, key string) (any, bool) {
	dict, ok := d.(*Dict)
	if !ok {
		return nil, false
	}
	return dict.Get(key)
}

// buildDataFrame applies NDFrame.__setstate__'s dict: the block manager
// under "_mgr" (pandas 1.1 and later) or "_data".
func buildDataFrame(state any) (any, bool, error) {
	m, err := managerOf(state)
	if err != nil {
		return nil, true, err
	}
	if len(m.axes) != 2 {
		return nil, true, malformed("pandas DataFrame's block manager has %d axes, not 2", len(m.axes))
	}
	names, err := m.axes[0].Labels()
	if err != nil {
		return nil, true, err
	}
	nrows, err := m.axes[1].Len()
	if err != nil {
		return nil, true, err
	}
	df := &DataFrame{Columns: make([]Column, len(names)), Index: m.axes[1], ColumnIndex: m.axes[0]}
	filled := make([]bool, len(names))
	for _, b := range m.blocks {
		locs, err := resolvePlacement(b.placement, len(names))
		if err != nil {
			return nil, true, err
		}
		for k, loc := range locs {
			col, err := blockColumn(b.values, k, len(locs), nrows)
			if err != nil {
				return nil, true, err
			}
			if filled[loc] {
				return nil, true, malformed("pandas DataFrame column %d is in two blocks", loc)
			}
			filled[loc] = true
			df.Columns[loc] = Column{Name: names[loc], Values: col}
		}
	}
	for i, ok := range filled {
		if !ok {
			return nil, true, malformed("pandas DataFrame column %d (%s) is in no block", i, Repr(names[i]))
		}
	}
	return df, true, nil
}

// buildSeries applies a Series' state: its single block manager, and its
// name.
func buildSeries(state any) (any, bool, error) {
	m, err := managerOf(state)
	if err != nil {
		return nil, true, err
	}
	if len(m.axes) != 1 || len(m.blocks) != 1 {
		return nil, true, malformed("pandas Series' block manager has %d axes and %d blocks, not 1 and 1", len(m.axes), len(m.blocks))
	}
	n, err := m.axes[0].Len()
	if err != nil {
		return nil, true, err
	}
	values, err := blockColumn(m.blocks[0].values, 0, 1, n)
	if err != nil {
		return nil, true, err
	}
	name, _ := dictLookup(state, "name")
	return &Series{Name: name, Values: values, Index: m.axes[0]}, true, nil
}

func managerOf(state any) (*pandasManager, error) {
	v, ok := dictLookup(state, "_mgr")
	if !ok {
		v, ok = dictLookup(state, "_data")
	}
	m, isManager := v.(*pandasManager)
	if !ok || !isManager {
		return nil, unsupported("pandas object state is a %s without a block manager under _mgr", typeName(state))
	}
	return m, nil
}

// resolvePlacement returns the column positions of a block's placement: a
// slice(start, stop, step) or an int array, each position below n.
func resolvePlacement(p any, n int) ([]int, error) {
	if o, ok := p.(*Object); ok {
		if g, ok := o.Class.(Global); ok && typeByGlobal[g] == typeByGlobal[globalSlice] && len(o.Args) == 3 {
			return sliceIndices(o.Args, n)
		}
	}
	if a, ok := p.(*NDArray); ok && len(a.Shape) == 1 {
		vals, err := a.Values()
		if err != nil {
			return nil, err
		}
		locs := make([]int, len(vals))
		for i, v := range vals {
			x, ok := v.(int64)
			if !ok || x < 0 || x >= int64(n) {
				return nil, malformed("pandas block placement %s is not a column position below %d", Repr(v), n)
			}
			locs[i] = int(x)
		}
		return locs, nil
	}
	return nil, malformed("pandas block placement is a %s, not a slice or an int array", typeName(p))
}

// sliceIndices is slice(start, stop, step).indices(n) listed, for step > 0.
func sliceIndices(args Tuple, n int) ([]int, error) {
	bound := func(v any, def int64) (int64, bool) {
		if v == nil {
			return def, true
		}
		x, ok := v.(int64)
		return min(max(x, 0), int64(n)), ok
	}
	start, ok1 := bound(args[0], 0)
	stop, ok2 := bound(args[1], int64(n))
	step, ok3 := bound(args[2], 1)
	if !ok1 || !ok2 || !ok3 || step <= 0 {
		return nil, malformed("pandas block placement slice%s is not a forward slice of ints", Repr(args))
	}
	var locs []int
	for i := start; i < stop; i += step {
		locs = append(locs, int(i))
	}
	return locs, nil
}

// blockColumn returns column k of a block's values holding ncols columns
// of n rows each: row k of a 2-d array, or a 1-d array (pandas' extension
// arrays hold one column).
func blockColumn(values any, k, ncols, n int) (any, error) {
	if d, ok := values.(*DatetimeArray); ok {
		if tz, ok := d.Dtype.(*DatetimeTZDtype); ok {
			// The zone is the column's: keep it beside the values.
			col, err := blockColumn(d.Values, k, ncols, n)
			if err != nil {
				return nil, err
			}
			return &DatetimeArray{Values: col.(*NDArray), Dtype: tz}, nil
		}
		values = d.Values
	}
	switch x := values.(type) {
	case *NDArray:
		if len(x.Shape) == 1 && ncols == 1 && x.Shape[0] == n {
			return x, nil
		}
		if len(x.Shape) != 2 || x.Shape[0] != ncols || x.Shape[1] != n {
			return nil, malformed("pandas block of %d columns and %d rows has values of shape %v", ncols, n, x.Shape)
		}
		return arrayRow(x, k), nil
	case *Categorical, *MaskedArray, *StringArray:
		// pandas' 1-d extension arrays: one column each.
		if k, err := valuesLen(x); ncols != 1 || err != nil || k != n {
			return nil, malformed("pandas %s block does not hold one column of %d rows", typeName(x), n)
		}
		return x, nil
	}
	return nil, unsupported("pandas block values are a %s; numpy arrays, categoricals and datetime arrays are read", typeName(values))
}

// arrayRow returns row k of a 2-d array as a 1-d array, sharing the data of
// a C-ordered one.
func arrayRow(a *NDArray, k int) *NDArray {
	rows, n := a.Shape[0], a.Shape[1]
	row := &NDArray{Shape: []int{n}, Dtype: a.Dtype}
	if a.Objects != nil {
		row.Objects = a.Objects[k*n : (k+1)*n]
		return row
	}
	size := a.Dtype.Size
	if !a.Fortran {
		row.Data = a.Data[k*n*size : (k+1)*n*size]
		return row
	}
	row.Data = make([]byte, 0, n*size)
	for i := range n {
		mem := (i*rows + k) * size
		row.Data = append(row.Data, a.Data[mem:mem+size]...)
	}
	return row
}

// callNewIndex evaluates _new_Index(cls, d) and _new_DatetimeIndex(cls, d).
func callNewIndex(args Tuple, kind CallKind) (any, bool, error) {
	if kind != CallReduce || len(args) != 2 {
		return nil, false, nil
	}
	cls, ok1 := args[0].(Global)
	d, ok2 := args[1].(*Dict)
	if !ok1 || !ok2 || !indexClasses[cls] {
		return nil, false, nil
	}
	ix := &Index{Type: cls.Name}
	ix.Name, _ = d.Get("name")
	var err error
	switch cls.Name {
	case "RangeIndex":
		var ok bool
		if ix.Start, ix.Stop, ix.Step, ok = rangeArgs(d); !ok {
			return nil, true, malformed("pandas RangeIndex state has no int start, stop and step")
		}
	case "MultiIndex":
		err = ix.setMulti(d)
	default:
		data, ok := d.Get("data")
		if !ok {
			return nil, true, malformed("pandas %s state has no data", cls.Name)
		}
		if dt, ok := data.(*DatetimeArray); ok {
			if _, aware := dt.Dtype.(*DatetimeTZDtype); !aware {
				data = dt.Values
			}
		}
		switch x := data.(type) {
		case *NDArray:
			if len(x.Shape) != 1 {
				return nil, true, malformed("pandas %s data has shape %v, not 1-d", cls.Name, x.Shape)
			}
		case *DatetimeArray:
			if len(x.Values.Shape) != 1 {
				return nil, true, malformed("pandas %s data has shape %v, not 1-d", cls.Name, x.Values.Shape)
			}
		case *Categorical:
		default:
			return nil, true, unsupported("pandas %s data is a %s", cls.Name, typeName(data))
		}
		ix.Values = data
	}
	return ix, true, err
}

func rangeArgs(d *Dict) (start, stop, step int64, ok bool) {
	get := func(key string) int64 {
		v, found := d.Get(key)
		x, isInt := v.(int64)
		if !found || !isInt {
			ok = false
		}
		return x
	}
	ok = true
	start, stop, step = get("start"), get("stop"), get("step")
	return start, stop, step, ok && step != 0
}

// setMulti reads a MultiIndex's levels, codes and names.
func (ix *Index) setMulti(d *Dict) error {
	levels, _ := d.Get("levels")
	codes, _ := d.Get("codes")
	if _, ok := d.Get("labels"); ok && codes == nil {
		codes, _ = d.Get("labels") // pandas before 0.24
	}
	names, _ := d.Get("names")
	ls, ok1 := sequenceItems(levels)
	cs, ok2 := sequenceItems(codes)
	ns, ok3 := sequenceItems(names)
	if !ok1 || !ok2 || len(ls) != len(cs) || ok3 && len(ns) != len(ls) {
		return malformed("pandas MultiIndex state has %d levels and %d codes", len(ls), len(cs))
	}
	for j := range ls {
		l, ok1 := ls[j].(*Index)
		c, ok2 := cs[j].(*NDArray)
		if !ok1 || !ok2 || len(c.Shape) != 1 || c.Dtype.Kind != 'i' {
			return malformed("pandas MultiIndex level %d is a %s with %s codes", j, typeName(ls[j]), typeName(cs[j]))
		}
		if j > 0 && c.Len() != ix.Codes[0].Len() {
			return malformed("pandas MultiIndex levels have %d and %d codes", ix.Codes[0].Len(), c.Len())
		}
		ix.Levels = append(ix.Levels, l)
		ix.Codes = append(ix.Codes, c)
	}
	ix.Names = append([]any{}, ns...)
	return nil
}

// callNDArrayBacked evaluates __pyx_unpickle_NDArrayBacked(cls, checksum,
// state): a bare Categorical or DatetimeArray that BUILD fills.
func callNDArrayBacked(args Tuple, kind CallKind) (any, bool, error) {
	if kind != CallReduce || len(args) != 3 {
		return nil, false, nil
	}
	cls, _ := args[0].(Global)
	if checksum, ok := args[1].(int64); !ok || !ndarrayBackedChecksums[checksum] {
		return nil, true, malformed("pandas %s pickled with checksum %s, which NDArrayBacked's unpickler refuses", cls, Repr(args[1]))
	}
	var v stateBuilder
	switch {
	case cls == globalCategorical:
		v = &Categorical{}
	case datetimeArrayClasses[cls]:
		v = &DatetimeArray{}
	case cls == globalStringArray:
		v = &StringArray{}
	default:
		return nil, false, nil
	}
	if args[2] != nil {
		if err := v.buildState(args[2]); err != nil {
			return nil, true, err
		}
	}
	return v, true, nil
}

// backedState reads NDArrayBacked.__setstate__'s state: (data, dtype,
// attrs), in either order, or a dict of _ndarray (or _data), _dtype and
// attributes.
func backedState(state any) (data *NDArray, dtype any, attrs *Dict, err error) {
	var raw any
	switch s := state.(type) {
	case Tuple:
		if len(s) == 1 {
			return backedState(s[0])
		}
		if len(s) != 3 {
			return nil, nil, nil, malformed("pandas array state is a tuple of %d items, not 3", len(s))
		}
		raw, dtype = s[0], s[1]
		if _, ok := dtype.(*NDArray); ok {
			raw, dtype = dtype, raw
		}
		attrs, _ = s[2].(*Dict)
	case *Dict:
		attrs = s
		var ok bool
		if raw, ok = s.Get("_ndarray"); !ok {
			raw, _ = s.Get("_data")
		}
		dtype, _ = s.Get("_dtype")
	}
	data, ok := raw.(*NDArray)
	if !ok || len(data.Shape) == 0 {
		return nil, nil, nil, malformed("pandas array state holds a %s, not a numpy array", typeName(raw))
	}
	return data, dtype, attrs, nil
}

// buildState applies a Categorical's NDArrayBacked state: its codes and
// its CategoricalDtype.
func (c *Categorical) buildState(state any) error {
	codes, dtype, _, err := backedState(state)
	if err != nil {
		return err
	}
	cd, ok := dtype.(*CategoricalDtype)
	if !ok || codes.Dtype.Kind != 'i' || len(codes.Shape) != 1 {
		return malformed("pandas Categorical state has %s codes and a %s dtype", codes.Dtype, typeName(dtype))
	}
	c.Codes, c.Categories, c.Ordered = codes, cd.Categories, cd.Ordered
	return nil
}

// buildState applies a DatetimeArray's NDArrayBacked state.
func (d *DatetimeArray) buildState(state any) error {
	data, dtype, attrs, err := backedState(state)
	if err != nil {
		return err
	}
	if data.Dtype.Kind != 'M' && data.Dtype.Kind != 'm' {
		return malformed("pandas datetime array holds %s values", data.Dtype)
	}
	if tz, ok := dtype.(*DatetimeTZDtype); ok && (data.Dtype.Kind != 'M' || data.Dtype.Unit != tz.Unit) {
		return malformed("pandas datetime array of dtype %s holds %s values", tz, data.Dtype)
	}
	d.Values, d.Dtype = data, dtype
	if attrs != nil {
		d.Freq, _ = attrs.Get("_freq")
	}
	return nil
}

// buildCategoricalDtype applies CategoricalDtype's state dict.
func buildCategoricalDtype(state any) (any, bool, error) {
	cats, ok1 := dictLookup(state, "categories")
	ordered, ok2 := dictLookup(state, "ordered")
	ix, ok3 := cats.(*Index)
	if !ok1 || !ok3 {
		return nil, true, malformed("pandas CategoricalDtype state has %s categories", typeName(cats))
	}
	o, _ := ordered.(bool) // None (unordered) in old pickles
	_ = ok2
	return &CategoricalDtype{Categories: ix, Ordered: o}, true, nil
}

// buildDatetimeTZDtype applies DatetimeTZDtype's state dict: {"unit":
// "ns", "tz": tzinfo}. A tz this package has no Go value for leaves the
// dtype symbolic, and the column refused.
func buildDatetimeTZDtype(state any) (any, bool, error) {
	unit, ok1 := dictLookup(state, "unit")
	tz, ok2 := dictLookup(state, "tz")
	u, ok3 := unit.(string)
	if !ok1 || !ok2 || !ok3 || unitNanos[u] == 0 {
		return nil, true, malformed("pandas DatetimeTZDtype state has unit %s", Repr(unit))
	}
	switch tz.(type) {
	case *Tzinfo, *time.Location:
		return &DatetimeTZDtype{Unit: u, TZ: tz}, true, nil
	}
	return nil, false, nil
}

// numpyUnits are the units of NPY_DATETIMEUNIT that pandas' resolutions
// ("reso") name: seconds to nanoseconds.
var numpyUnits = map[int64]string{7: "s", 8: "ms", 9: "us", 10: "ns"}

// resoNanos returns args[0], a count of units of the resolution at
// args[at] (nanoseconds, pandas 1's only one, when args stop before it), as
// nanoseconds.
func resoNanos(args Tuple, at int) (ns int64, reso any, ok bool) {
	reso = int64(10)
	if len(args) > at {
		reso = args[at]
	}
	v, ok1 := args[0].(int64)
	r, ok2 := reso.(int64)
	per, ok3 := unitNanos[numpyUnits[r]]
	if !ok1 || !ok2 || !ok3 || v != 0 && (v*per/per != v) {
		return 0, reso, false
	}
	return v * per, reso, true
}

// callPandasTimestamp evaluates _unpickle_timestamp(value, freq, tz[, reso]): a
// Timestamp, Naive when tz is None.
func callPandasTimestamp(args Tuple, kind CallKind) (any, bool, error) {
	if kind != CallReduce || len(args) < 3 || len(args) > 4 {
		return nil, false, nil
	}
	ns, reso, ok := resoNanos(args, 3)
	if !ok {
		return nil, true, malformed("pandas Timestamp %s at resolution %s is not one this package reads", Repr(args[0]), Repr(reso))
	}
	t := time.Unix(0, ns)
	switch tz := args[2].(type) {
	case nil:
		return Timestamp{t.In(Naive)}, true, nil
	case *time.Location:
		return Timestamp{t.In(tz)}, true, nil
	case *Tzinfo:
		if tz.Location != nil {
			return Timestamp{t.In(tz.Location)}, true, nil
		}
	}
	return nil, false, nil
}

// callPandasTimedelta evaluates _timedelta_unpickle(value, reso): a
// Timedelta.
func callPandasTimedelta(args Tuple, kind CallKind) (any, bool, error) {
	if kind != CallReduce || len(args) < 1 || len(args) > 2 {
		return nil, false, nil
	}
	ns, reso, ok := resoNanos(args, 1)
	if !ok || ns == math.MinInt64 {
		return nil, true, malformed("pandas Timedelta %s at resolution %s does not fit a time.Duration", Repr(args[0]), Repr(reso))
	}
	return Timedelta{time.Duration(ns)}, true, nil
}

// callNaT evaluates __nat_unpickle(None): pandas' missing time, nil here
// as every missing value is.
func callNaT(args Tuple, kind CallKind) (any, bool, error) {
	if kind != CallReduce || len(args) != 1 {
		return nil, false, nil
	}
	return nil, true, nil
}
