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
	// reduce adds, lists and dicts of protocol 0 aside): any batch of
	// one item is bare.
	batchIterated batchRule = iota
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

// batches walks the batches of n items under a rule:
//
//	for b := e.batches(n, rule); b.next(); {
//		if b.marked { MARK }
//		items[b.start:b.end]
//		b.closer(APPEND, APPENDS)
//	}
type batches struct {
	start, end int // the current batch: items[start:end]
	marked     bool
	n, size    int
	rule       batchRule
}

// batches starts the batches of n items. At protocol 0, which has no MARKed
// forms for lists and dicts, every item is a bare batch of its own.
func (e *encoder) batches(n int, rule batchRule) batches {
	if e.proto == 0 {
		return batches{n: n, size: 1, rule: batchIterated}
	}
	return batches{n: n, size: batchSize, rule: rule}
}

// next moves to the next batch, reporting false when there is none.
func (b *batches) next() bool {
	if b.end == b.n && (b.end-b.start < b.size || b.rule < batchExactDict) {
		return false // all written, and no empty batch is due
	}
	b.start, b.end = b.end, min(b.end+b.size, b.n)
	b.marked = b.end-b.start != 1 || b.rule == batchSet || b.rule != batchIterated && b.n > 1
	return true
}

// closer is the opcode that ends the batch: bare for a bare one.
func (b *batches) closer(bare, marked byte) byte {
	if b.marked {
		return marked
	}
	return bare
}
