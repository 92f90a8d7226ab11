package pickle

// memoIndexDigits is the most digits a PUT or GET index may have: far more
// than an index below 2**63 needs, few enough that no text is worth parsing
// as a big number.
const memoIndexDigits = 30

// parseMemoIndex parses the decimal memo index of PUT and GET (protocol 0) as
// both CPython unpicklers do: int(text, 10), so surrounding whitespace, a
// sign, leading zeros and single underscores between digits are accepted;
// then, as the C unpickler's PyLong_AsSsize_t, an index of 2**63 or more is
// refused, and so is a negative one (PUT: "negative PUT argument"; GET: no
// memo entry can have it). Text stops at a NUL only in the C unpickler's
// reading: the caller cuts it (machine.textArg).
func parseMemoIndex(text []byte) (uint64, error) {
	n, b, err := parseTextInt(text, 10, memoIndexDigits)
	if err != nil {
		return 0, err
	}
	if b != nil {
		return 0, malformed("memo index %s is too large", b)
	}
	if n < 0 {
		return 0, malformed("negative memo index %d", n)
	}
	return uint64(n), nil
}
