package pickle

// batchSize is how many items APPENDS, SETITEMS and ADDITEMS carry at most.
const batchSize = 1000

// batchRule is how the C pickler splits a container's items into batches.
// Every batch holds up to batchSize items; the rules differ in when a batch
// of one item is written bare (the item, then APPEND or SETITEM) rather than
// marked (MARK, the items, then APPENDS, SETITEMS or ADDITEMS), and in
// whether a full last batch is followed by an empty marked one.
type batchRule uint8

const (
	// batchIterated is _pickle.c's batch_list and batch_dict (items a
	// reduce adds): any batch of one item is bare.
	batchIterated batchRule = iota
	// batchEach is protocol 0, which has no marked forms for lists and
	// dicts: every item is a bare batch of its own.
	batchEach
	// batchExactList is batch_list_exact: a list of one item is bare;
	// otherwise every batch is marked, a trailing batch of one too.
	batchExactList
	// batchExactDict is batch_dict_exact: as batchExactList, but a full
	// batch is always followed by another, empty if nothing is left.
	batchExactDict
	// batchSet is save_set at protocol 4 and above: every batch is
	// marked, and a full batch is followed by another, as for dicts.
	batchSet
)

func (r batchRule) size() int {
	if r == batchEach {
		return 1
	}
	return batchSize
}

// batch is one batch of n items under a rule: items[start:end]. It is
// passed by value, small enough to stay in registers:
//
//	for b := e.batches(n, rule); b.more(); b = b.next() {
//		if b.marked() { MARK }
//		items[b.start:b.end]
//		b.closer(APPEND, APPENDS)
//	}
type batch struct {
	start, end int // start < 0: no batch is left
	n          int
	rule       batchRule
}

// batches returns the first batch of n items.
func (e *encoder) batches(n int, rule batchRule) batch {
	if e.proto == 0 {
		rule = batchEach
	}
	if n == 0 {
		return batch{start: -1}
	}
	return batch{end: min(n, rule.size()), n: n, rule: rule}
}

// more reports whether b is a batch to write.
func (b batch) more() bool { return b.start >= 0 }

// next returns the batch after b.
func (b batch) next() batch {
	if b.end == b.n && (b.end-b.start < b.rule.size() || b.rule < batchExactDict) {
		return batch{start: -1} // all written, and no empty batch is due
	}
	return batch{start: b.end, end: min(b.end+b.rule.size(), b.n), n: b.n, rule: b.rule}
}

// marked reports whether b is written MARK ... APPENDS (or SETITEMS,
// ADDITEMS) rather than bare.
func (b batch) marked() bool {
	return b.end-b.start != 1 || b.rule == batchSet || b.rule >= batchExactList && b.n > 1
}

// closer is the opcode that ends the batch: bare for a bare one.
func (b batch) closer(bare, marked byte) byte {
	if b.marked() {
		return marked
	}
	return bare
}
