package pickle

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
)

// This file prints pandas' values as pandas 1.5's repr does with its
// default display options and no terminal (80 columns): a DataFrame or
// Series as the table to_string gives (pandas/io/formats/format.py and
// string.py: values formatted per dtype, floats to a common number of
// decimals, numeric columns right-aligned under a header with a leading
// space, labels left-aligned, more than 60 rows cut to the first and last
// 5, a frame wider than 80 columns to its first and last columns), an
// Index as format_object_summary wraps it (printing.py), a Categorical,
// Timestamp or Timedelta as its repr. TestPandasRepr holds it to what
// pandas printed for every fixture.

// reprMaxRows and reprMinRows are display.max_rows and display.min_rows.
const (
	reprMaxRows = 60
	reprMinRows = 10
)

// pandasCells are a column's cells as pandas formats them, and whether
// its dtype is numeric (its header then has a leading space).
type pandasCells struct {
	cells   []string
	numeric bool
}

// formatPandasValues formats a column's, Series' or Index's values as
// pandas' format_array does, leading space included.
func formatPandasValues(values any, rows []int) (pandasCells, error) {
	all, err := ValuesOf(values)
	if err != nil {
		return pandasCells{}, err
	}
	// pandas formats the rows it shows, not the ones it cuts.
	vals := all
	if rows != nil {
		vals = make([]any, 0, len(rows))
		for _, r := range rows {
			if r >= 0 {
				vals = append(vals, all[r])
			}
		}
	}
	switch x := values.(type) {
	case *Categorical:
		// A missing category is NaN to numpy.asarray, which pandas formats.
		for i, v := range vals {
			if v == nil {
				vals[i] = math.NaN()
			}
		}
		return pandasCells{cells: formatObjects(vals, "None")}, nil
	case *MaskedArray:
		return pandasCells{cells: formatObjects(vals, "<NA>"), numeric: true}, nil
	case *StringArray:
		missing := "<NA>"
		if x.Dtype.NaN {
			missing = "NaN"
		}
		return pandasCells{cells: formatObjects(vals, missing)}, nil
	case *DatetimeArray:
		if _, aware := x.Dtype.(*DatetimeTZDtype); aware {
			return pandasCells{cells: formatAwareTimes(vals)}, nil
		}
		return formatPandasValues(x.Values, rows)
	case *NDArray:
		switch x.Dtype.Kind {
		case 'i', 'u':
			out := make([]string, len(vals))
			for i, v := range vals {
				out[i] = " " + Repr(v)
				if strings.HasPrefix(out[i], " -") {
					out[i] = out[i][1:]
				}
			}
			return pandasCells{cells: out, numeric: true}, nil
		case 'f':
			return pandasCells{cells: formatFloats(vals), numeric: true}, nil
		case 'b':
			return pandasCells{cells: formatObjects(vals, "None"), numeric: true}, nil
		case 'M':
			return pandasCells{cells: formatNaiveTimes(vals)}, nil
		case 'm':
			return pandasCells{cells: formatDurations(vals)}, nil
		case 'O':
			return pandasCells{cells: formatObjects(vals, "None")}, nil
		}
	}
	return pandasCells{}, fmt.Errorf("pickle: pandas values of dtype %s have no repr here: %w", DtypeName(values), ErrUnsupported)
}

// floatOf returns v as a float64 when it is a float.
func floatOf(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case float32:
		return float64(x), true
	}
	return 0, false
}

// formatFloats is FloatArrayFormatter: "% .6f" for all, trailing zeros
// trimmed as long as every number has one, "% .6e" where a value would
// show as 0 or a long one is beyond 1e6.
func formatFloats(vals []any) []string {
	fs := make([]float64, len(vals))
	for i, v := range vals {
		fs[i], _ = floatOf(v)
	}
	format := func(verb byte) []string {
		out := make([]string, len(fs))
		for i, f := range fs {
			switch {
			case math.IsNaN(f):
				out[i] = "NaN"
			case math.IsInf(f, 1):
				out[i] = " inf"
			case math.IsInf(f, -1):
				out[i] = "-inf"
			default:
				out[i] = pySignSpace(pyFormatFloat(f, verb, 6))
			}
		}
		return out
	}
	out := trimFloatZeros(format('f'))
	tooLong, large, small := false, false, false
	for i, f := range fs {
		tooLong = tooLong || len(out[i]) > 6+6
		large = large || math.Abs(f) > 1e6
		small = small || math.Abs(f) < 1e-6 && f != 0
	}
	if small || tooLong && large {
		return format('e')
	}
	return out
}

// pyFormatFloat is Python's format(f, ".6f") or ".6e": a two-digit
// exponent at least.
func pyFormatFloat(f float64, verb byte, prec int) string {
	s := strconv.FormatFloat(f, verb, prec, 64)
	if verb == 'e' {
		if i := strings.IndexAny(s, "+-"); i > 0 && len(s)-i == 2 {
			s = s[:i+1] + "0" + s[i+1:]
		}
	}
	return s
}

// pySignSpace is Python's " " sign flag: a space where there is no minus.
func pySignSpace(s string) string {
	if strings.HasPrefix(s, "-") {
		return s
	}
	return " " + s
}

// isDecimalNumber is pandas' number_regex: digits, a point, digits.
func isDecimalNumber(s string) bool {
	s = strings.TrimLeft(s, " ")
	s = strings.TrimLeft(s, "+-")
	whole, frac, ok := strings.Cut(s, ".")
	return ok && whole != "" && strings.Trim(whole, "0123456789") == "" && strings.Trim(frac, "0123456789") == ""
}

// trimFloatZeros is pandas' _trim_zeros_float.
func trimFloatZeros(out []string) []string {
	for {
		numbers, allZero := 0, true
		for _, s := range out {
			if isDecimalNumber(s) {
				numbers++
				allZero = allZero && strings.HasSuffix(s, "0")
			}
		}
		if numbers == 0 || !allZero {
			break
		}
		for i, s := range out {
			if isDecimalNumber(s) {
				out[i] = s[:len(s)-1]
			}
		}
	}
	for i, s := range out {
		if isDecimalNumber(s) && strings.HasSuffix(s, ".") {
			out[i] = s + "0"
		}
	}
	return out
}

// formatObjects is GenericArrayFormatter with a leading space: str() of
// each value, nil as nilRep, NaN as "NaN", floats as "% .6f" trimmed.
func formatObjects(vals []any, nilRep string) []string {
	out := make([]string, len(vals))
	for i, v := range vals {
		if v == nil {
			out[i] = " " + nilRep
			continue
		}
		if f, ok := floatOf(v); ok {
			if math.IsNaN(f) {
				out[i] = " NaN"
				continue
			}
			out[i] = trimFloatZeros([]string{pySignSpace(pyFormatFloat(f, 'f', 6))})[0]
			continue
		}
		out[i] = " " + pandasStr(v)
	}
	return out
}

// pandasStr is str(v) in Python, as pandas prints a value.
func pandasStr(v any) string {
	switch x := v.(type) {
	case nil:
		return "None"
	case string:
		return x
	case time.Time:
		return timestampString(x)
	case time.Duration:
		return timedeltaString(x, false)
	}
	return Repr(v)
}

// formatNaiveTimes is format_array_from_datetime: dates alone where every
// time is midnight, else all to the precision the most precise one needs.
func formatNaiveTimes(vals []any) []string {
	datesOnly, digits := true, 0
	for _, v := range vals {
		t, ok := v.(time.Time)
		if !ok {
			continue
		}
		t = t.UTC()
		ns := t.Nanosecond()
		datesOnly = datesOnly && ns == 0 && t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0
		switch {
		case ns%1000 != 0:
			digits = 9
		case ns%1000000 != 0:
			digits = max(digits, 6)
		case ns != 0:
			digits = max(digits, 3)
		}
	}
	out := make([]string, len(vals))
	for i, v := range vals {
		t, ok := v.(time.Time)
		switch {
		case !ok:
			out[i] = "NaT"
		case datesOnly:
			out[i] = t.UTC().Format("2006-01-02")
		default:
			out[i] = t.UTC().Format("2006-01-02 15:04:05")
			if digits > 0 {
				out[i] += fmt.Sprintf(".%09d", t.Nanosecond())[:1+digits]
			}
		}
	}
	return out
}

// formatAwareTimes is Datetime64TZFormatter: str() of each Timestamp.
func formatAwareTimes(vals []any) []string {
	out := make([]string, len(vals))
	for i, v := range vals {
		if t, ok := v.(time.Time); ok {
			out[i] = timestampString(t)
		} else {
			out[i] = "NaT"
		}
	}
	return out
}

// timestampString is str(Timestamp): the date, the time with as many
// fractional digits as it has (6 or 9), and the offset when aware.
func timestampString(t time.Time) string {
	s := timestampBase(t)
	if loc := t.Location(); loc != Naive {
		s += t.Format("-07:00")
	}
	return s
}

// timestampBase is a Timestamp's date and time, with as many fractional
// digits as it has (6 or 9).
func timestampBase(t time.Time) string {
	s := t.Format("2006-01-02 15:04:05")
	switch ns := t.Nanosecond(); {
	case ns%1000 != 0:
		s += fmt.Sprintf(".%09d", ns)
	case ns != 0:
		s += fmt.Sprintf(".%06d", ns/1000)
	}
	return s
}

// formatDurations is Timedelta64Formatter: "N days" where every value is
// whole days, else the long form.
func formatDurations(vals []any) []string {
	long := false
	for _, v := range vals {
		if d, ok := v.(time.Duration); ok && d%(24*time.Hour) != 0 {
			long = true
		}
	}
	out := make([]string, len(vals))
	for i, v := range vals {
		if d, ok := v.(time.Duration); ok {
			out[i] = timedeltaString(d, long)
		} else {
			out[i] = "NaT"
		}
	}
	return out
}

// timedeltaString is Timedelta._repr_base: days, then the remainder of
// the day after them (Python's floor division), in full when long or when
// there is one.
func timedeltaString(d time.Duration, long bool) string {
	day := int64(24 * time.Hour)
	n := int64(d)
	days := n / day
	rest := n % day
	if rest < 0 {
		days, rest = days-1, rest+day
	}
	sign := " "
	if n < 0 {
		sign = " +"
	}
	if rest == 0 && !long {
		return fmt.Sprintf("%d days", days)
	}
	h, m, s, frac := rest/int64(time.Hour), rest/int64(time.Minute)%60, rest/int64(time.Second)%60, rest%int64(time.Second)
	out := fmt.Sprintf("%d days%s%02d:%02d:%02d", days, sign, h, m, s)
	switch {
	case frac%1000 != 0:
		out += fmt.Sprintf(".%09d", frac)
	case frac != 0:
		out += fmt.Sprintf(".%06d", frac/1000)
	}
	return out
}

// justify pads s with spaces to width: on the left for right alignment.
func justify(s string, width int, right bool) string {
	pad := strings.Repeat(" ", max(width-pyLen(s), 0))
	if right {
		return pad + s
	}
	return s + pad
}

// textColumn is one column of a printed table: its header lines and cells.
type textColumn struct {
	lines []string
	right bool
}

// adjoin joins columns of lines side by side with space between them, as
// pandas' adjoin does: each column padded to its widest line.
func adjoin(space int, cols ...textColumn) []string {
	var out []string
	for _, c := range cols {
		width := 0
		for _, l := range c.lines {
			width = max(width, pyLen(l))
		}
		for i, l := range c.lines {
			cell := justify(l, width, c.right)
			if len(out) <= i {
				out = append(out, cell)
			} else {
				out[i] += strings.Repeat(" ", space) + cell
			}
		}
	}
	return out
}

// indexLabels formats an index's labels as Index.format does, each level
// of a MultiIndex a column, sparsified: a label equal to the one above
// (and so are its levels to the left) is left blank.
func indexLabels(ix *Index, rows []int) ([][]string, []any, error) {
	if ix.Levels == nil {
		labels, err := indexCells(ix, rows)
		return [][]string{labels}, []any{ix.Name}, err
	}
	labels, err := ix.Labels()
	if err != nil {
		return nil, nil, err
	}
	levels := make([][]string, len(ix.Levels))
	for i, l := range labels {
		if rows != nil && !slices.Contains(rows, i) {
			continue
		}
		t := l.(Tuple)
		same := i > 0
		for j := range levels {
			s := pandasStr(t[j])
			if f, ok := t[j].(float64); ok && math.IsNaN(f) || t[j] == nil {
				s = "NaN"
			}
			same = same && reflect.DeepEqual(t[j], labels[i-1].(Tuple)[j])
			if same && j < len(levels)-1 {
				s = ""
			}
			levels[j] = append(levels[j], s)
		}
	}
	return levels, ix.Names, nil
}

// indexCells are the labels of a flat index at rows (all for nil) as
// Index.format gives them.
func indexCells(ix *Index, rows []int) ([]string, error) {
	if ix.Type == "RangeIndex" {
		labels, err := ix.Labels()
		var out []string
		for i, l := range labels {
			if rows == nil || slices.Contains(rows, i) {
				out = append(out, Repr(l))
			}
		}
		return out, err
	}
	c, err := formatPandasValues(ix.Values, rows)
	if err != nil {
		return nil, err
	}
	for i, s := range c.cells {
		c.cells[i] = strings.TrimLeft(s, " ")
	}
	return c.cells, nil
}

// rowsShown are the rows a repr shows of n: nil for all, or the first
// and last reprMinRows/2 when n is beyond reprMaxRows.
func rowsShown(n int) []int {
	if n <= reprMaxRows {
		return nil
	}
	var rows []int
	for i := range reprMinRows / 2 {
		rows = append(rows, i)
	}
	for i := n - reprMinRows/2; i < n; i++ {
		rows = append(rows, i)
	}
	return rows
}

// insertDots puts the "..." line pandas shows where rows are cut into each
// column's lines (after head header lines), sized to the column's width:
// ".." where that is 3 or less; how makes the dots (left, right, center).
func insertDots(lines []string, at int, how func(dots string, width int) string) []string {
	width := 0
	for _, l := range lines {
		width = max(width, pyLen(l))
	}
	dots := "..."
	if width <= 3 {
		dots = ".."
	}
	return slices.Insert(lines, at, how(dots, width))
}

// pyCenter is Python's str.center.
func pyCenter(s string, width int) string {
	marg := width - pyLen(s)
	if marg <= 0 {
		return s
	}
	left := marg/2 + (marg & width & 1)
	return strings.Repeat(" ", left) + s + strings.Repeat(" ", marg-left)
}

// indexBlock returns the row labels' columns for rows, under header
// lines (blank, and the index names when it has any).
func indexBlock(ix *Index, rows []int, headers int) ([]textColumn, bool, error) {
	levels, names, err := indexLabels(ix, rows)
	if err != nil {
		return nil, false, err
	}
	named := false
	for _, n := range names {
		named = named || n != nil
	}
	cols := make([]textColumn, len(levels))
	for j, l := range levels {
		head := make([]string, headers)
		if named {
			if names[j] != nil {
				head = append(head, pandasStr(names[j]))
			} else {
				head = append(head, "")
			}
		}
		cols[j] = textColumn{lines: append(head, l...)}
	}
	return cols, named, nil
}

// dataFrameRepr is repr(df).
func (df *DataFrame) dataFrameRepr() (string, error) {
	index, err := df.rowIndex()
	if err != nil {
		return "", err
	}
	n, err := index.Len()
	if err != nil {
		return "", err
	}
	names := make([]string, len(df.Columns))
	for j, c := range df.Columns {
		names[j] = pandasStr(c.Name)
	}
	if len(df.Columns) == 0 || n == 0 {
		labels, err := indexCells(index, nil)
		if index.Levels != nil || err != nil {
			labels = nil
		}
		return fmt.Sprintf("Empty DataFrame\nColumns: [%s]\nIndex: [%s]", strings.Join(names, ", "), strings.Join(labels, ", ")), nil
	}
	rows := rowsShown(n)
	levels, named, err := indexBlock(index, rows, 1)
	if err != nil {
		return "", err
	}
	// The index is one column of the table, as pandas adjoins it.
	indexCol := textColumn{lines: adjoin(1, levels...)}
	columns := func(keep []int) ([]textColumn, error) {
		cols := []textColumn{indexCol}
		for _, j := range keep {
			cells, err := formatPandasValues(df.Columns[j].Values, rows)
			if err != nil {
				return nil, err
			}
			header := names[j]
			if cells.numeric {
				header = " " + header
			}
			lines := []string{header}
			if named {
				lines = append(lines, "")
			}
			cols = append(cols, textColumn{lines: append(lines, cells.cells...), right: true})
		}
		return cols, nil
	}
	keep := make([]int, len(df.Columns))
	for j := range keep {
		keep[j] = j
	}
	cols, err := columns(keep)
	if err != nil {
		return "", err
	}
	cut := 0
	if fitted := fittedColumns(cols); fitted < len(df.Columns) {
		// As pandas fits a frame to 80 columns: the first and last
		// fitted/2 columns, and " ..." between them.
		cut = fitted / 2
		keep = append(keep[:cut:cut], keep[len(keep)-cut:]...)
		if cols, err = columns(keep); err != nil {
			return "", err
		}
		dots := make([]string, len(cols[0].lines))
		for i := range dots {
			dots[i] = " ..."
		}
		cols = slices.Insert(cols, 1+cut, textColumn{lines: dots, right: true})
	}
	if rows != nil {
		at := len(cols[0].lines) - len(rows)/2
		for j := range cols {
			right := j > 0
			cols[j].lines = insertDots(cols[j].lines, at, func(dots string, width int) string { return justify(dots, width, right) })
		}
	}
	out := strings.Join(adjoin(1, cols...), "\n")
	if rows != nil || cut > 0 {
		out += fmt.Sprintf("\n\n[%d rows x %d columns]", n, len(df.Columns))
	}
	return out, nil
}

// reprWidth is display.width, and the terminal width pandas assumes
// without a terminal.
const reprWidth = 80

// fittedColumns is pandas' _fit_strcols_to_terminal_width: how many data
// columns fit in reprWidth, dropping the middle column (by Python's
// round) until the rest fit, and at least 2.
func fittedColumns(cols []textColumn) int {
	widths := make([]int, len(cols))
	total := -1
	for i, c := range cols {
		for _, l := range c.lines {
			widths[i] = max(widths[i], pyLen(l))
		}
		total += widths[i] + 1
	}
	over := total - reprWidth + 1
	for over > 0 && len(widths) > 1 {
		mid := len(widths) / 2
		if len(widths)%2 == 1 && mid%2 == 1 {
			mid++ // round(n / 2) rounds a half to even
		}
		over -= widths[mid] + 1
		widths = slices.Delete(widths, mid, mid+1)
	}
	return max(len(widths)-1, 2)
}

// seriesRepr is repr(s): its rows, then its name, length (when cut) and
// dtype, and a categorical's categories.
func (s *Series) seriesRepr() (string, error) {
	n, err := s.Index.Len()
	if err != nil {
		return "", err
	}
	var footer []string
	if s.Name != nil {
		footer = append(footer, "Name: "+pandasStr(s.Name))
	}
	if n > reprMaxRows {
		footer = append(footer, fmt.Sprintf("Length: %d", n))
	}
	footer = append(footer, "dtype: "+DtypeName(s.Values))
	tail := strings.Join(footer, ", ")
	if c, ok := s.Values.(*Categorical); ok {
		tail += "\n" + c.categoriesLine()
	}
	if n == 0 {
		return fmt.Sprintf("Series([], %s)", tail), nil
	}
	rows := rowsShown(n)
	cols, named, err := indexBlock(s.Index, rows, 0)
	if err != nil {
		return "", err
	}
	cells, err := formatPandasValues(s.Values, rows)
	if err != nil {
		return "", err
	}
	var head []string
	if named {
		head = []string{""}
	}
	index := adjoin(1, cols...)
	values := textColumn{lines: append(head, cells.cells...), right: true}
	if rows != nil {
		// Series centers its dots, and leaves the index blank there.
		at := len(values.lines) - len(rows)/2
		index = slices.Insert(index, at, "")
		values.lines = insertDots(values.lines, at, pyCenter)
	}
	lines := adjoin(3, textColumn{lines: index}, values)
	return strings.Join(lines, "\n") + "\n" + tail, nil
}

// categoriesLine is "Categories (2, object): ['lo' < 'hi']".
func (c *Categorical) categoriesLine() string {
	cats, err := c.Categories.Labels()
	if err != nil {
		return err.Error()
	}
	sep := ", "
	if c.Ordered {
		sep = " < "
	}
	items := make([]string, len(cats))
	for i, v := range cats {
		items[i] = Repr(v)
	}
	return fmt.Sprintf("Categories (%d, %s): [%s]", len(cats), DtypeName(c.Categories.Values), strings.Join(items, sep))
}

// categoricalRepr is repr(Categorical): its values as a list, missing
// ones NaN, and its categories.
func (c *Categorical) categoricalRepr() (string, error) {
	vals, err := ValuesOf(c)
	if err != nil {
		return "", err
	}
	items := make([]string, len(vals))
	for i, v := range vals {
		if v == nil {
			items[i] = "NaN"
		} else {
			items[i] = Repr(v)
		}
	}
	return "[" + strings.Join(items, ", ") + "]\n" + c.categoriesLine(), nil
}

// indexRepr is repr(Index): its class, labels and attributes, on one line.
func (ix *Index) indexRepr() (string, error) {
	name := ""
	if ix.Name != nil {
		name = "name=" + Repr(ix.Name)
	}
	switch ix.Type {
	case "RangeIndex":
		return fmt.Sprintf("RangeIndex(%s)", joinAttrs(fmt.Sprintf("start=%d, stop=%d, step=%d", ix.Start, ix.Stop, ix.Step), name)), nil
	case "MultiIndex":
		return ix.multiIndexRepr()
	}
	vals, err := ValuesOf(ix.Values)
	if err != nil {
		return "", err
	}
	items := make([]string, len(vals))
	for i, v := range vals {
		items[i] = labelRepr(v)
	}
	// pandas justifies the labels but strings' (and categories of them).
	justified := true
	length := ""
	if len(items) > reprMaxSeqItems {
		length = fmt.Sprintf("length=%d", len(items))
	}
	attrs := []string{"dtype='" + DtypeName(ix.Values) + "'", name, length}
	switch x := ix.Values.(type) {
	case *Categorical:
		cats, err := x.Categories.Labels()
		if err != nil {
			return "", err
		}
		l := List(cats)
		justified = DtypeName(x.Categories.Values) != "object"
		attrs = []string{"categories=" + Repr(&l), "ordered=" + Repr(x.Ordered), "dtype='category'", name, length}
	case *DatetimeArray, *NDArray:
		if k := DtypeName(x); strings.HasPrefix(k, "datetime64") || strings.HasPrefix(k, "timedelta64") {
			cells, err := formatPandasValues(x, nil)
			if err != nil {
				return "", err
			}
			for i, c := range cells.cells {
				items[i] = Repr(c)
			}
			attrs = append(attrs, "freq=None")
		} else if DtypeName(x) == "object" {
			justified = !allStrings(vals)
		}
	}
	return ix.Type + "(" + formatObjectSummary(ix.Type, items, justified) + joinAttrs(attrs...) + ")", nil
}

// joinAttrs joins the attributes that are not empty with ", ".
func joinAttrs(attrs ...string) string {
	return strings.Join(slices.DeleteFunc(attrs, func(a string) bool { return a == "" }), ", ")
}

func allStrings(vals []any) bool {
	for _, v := range vals {
		if _, ok := v.(string); !ok {
			return false
		}
	}
	return true
}

// reprMaxSeqItems is display.max_seq_items.
const reprMaxSeqItems = 100

// formatObjectSummary is pandas' format_object_summary for an Index of
// items (already repr'd) named name: "[a, b], " on one line, or wrapped at
// reprWidth under the opening bracket, the attributes then on a line of
// their own; beyond reprMaxSeqItems, the first and last 10 around "...".
func formatObjectSummary(name string, items []string, justified bool) string {
	space1 := "\n" + strings.Repeat(" ", len(name)+1)
	space2 := "\n" + strings.Repeat(" ", len(name)+2)
	n := len(items)
	switch n {
	case 0:
		return "[], "
	case 1:
		return "[" + items[0] + "], "
	case 2:
		return "[" + items[0] + ", " + items[1] + "], "
	}
	var head, tail []string
	truncated := n > reprMaxSeqItems
	if truncated {
		head, tail = items[:10], items[n-10:]
	} else {
		tail = items
	}
	if justified && (truncated || pyLen(strings.Join(head, ", ")) >= reprWidth || pyLen(strings.Join(tail, ", ")) >= reprWidth) {
		width := 0
		for _, x := range append(append([]string{}, head...), tail...) {
			width = max(width, pyLen(x))
		}
		head, tail = rjustAll(head, width), rjustAll(tail, width)
	}
	var summary strings.Builder
	line := space2
	extend := func(value string, width int) {
		if pyLen(strings.TrimRight(line, " "))+pyLen(strings.TrimRight(value, " ")) >= width {
			summary.WriteString(strings.TrimRight(line, " "))
			line = space2
		}
		line += value
	}
	for _, h := range head {
		extend(h+", ", reprWidth)
	}
	if truncated {
		summary.WriteString(strings.TrimRight(line, " ") + space2 + "...")
		line = space2
	}
	for _, t := range tail[:len(tail)-1] {
		extend(t+", ", reprWidth)
	}
	extend(tail[len(tail)-1], reprWidth-2)
	out := summary.String() + line + "],"
	if pyLen(out) > reprWidth {
		out += space1
	} else {
		out += " "
	}
	return "[" + out[len(space2):]
}

func rjustAll(xs []string, width int) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = justify(x, width, true)
	}
	return out
}

// multiIndexRepr is repr(MultiIndex): a label tuple a line, then the
// names.
func (ix *Index) multiIndexRepr() (string, error) {
	labels, err := ix.Labels()
	if err != nil {
		return "", err
	}
	const open = "MultiIndex(["
	lines := make([]string, len(labels))
	for i, l := range labels {
		t := l.(Tuple)
		items := make([]string, len(t))
		for j, v := range t {
			items[j] = labelRepr(v)
		}
		lines[i] = "(" + strings.Join(items, ", ") + ")"
	}
	names := make([]string, len(ix.Names))
	for j, n := range ix.Names {
		names[j] = Repr(n)
	}
	pad := strings.Repeat(" ", len(open))
	return open + strings.Join(lines, ",\n"+pad) + "],\n" + pad[1:] + "names=[" + strings.Join(names, ", ") + "])", nil
}

// labelRepr is a label as an Index's repr shows it: NaN for missing.
func labelRepr(v any) string {
	if v == nil {
		return "nan"
	}
	return Repr(v)
}

// timestampRepr is repr(Timestamp).
func timestampRepr(t Timestamp) string {
	s := timestampBase(t.Time)
	if loc := t.Location(); loc != Naive {
		return fmt.Sprintf("Timestamp('%s%s', tz='%s')", s, t.Format("-0700"), loc)
	}
	return "Timestamp('" + s + "')"
}

// pandasRepr is the repr of the pandas rows: false for a value whose
// repr fails, which then prints generically.
func pandasRepr(p *reprPrinter, dst []byte, v any, depth int) ([]byte, bool) {
	var s string
	var err error
	switch x := v.(type) {
	case *DataFrame:
		s, err = x.dataFrameRepr()
	case *Series:
		s, err = x.seriesRepr()
	case *Index:
		s, err = x.indexRepr()
	case *Categorical:
		s, err = x.categoricalRepr()
	case Timestamp:
		s = timestampRepr(x)
	case Timedelta:
		s = "Timedelta('" + timedeltaString(x.Duration, true) + "')"
	default:
		return dst, false
	}
	if err != nil {
		return dst, false
	}
	return append(dst, s...), true
}
