package pickle

import "errors"

// parseMemoIndex parses the decimal memo index of PUT and GET (protocol 0) as
// both CPython unpicklers do: int(text, 10), so surrounding whitespace, a
// sign, leading zeros and single underscores between digits are accepted,
// and text of more than Python's 4300 digits (leading zeros count) is
// refused; then, as the C unpickler's PyLong_AsSsize_t, an index of 2**63 or
// more is refused, and so is a negative one (PUT: "negative PUT argument";
// GET: no memo entry can have it). Text stops at a NUL only in the C
// unpickler's reading: the caller cuts it (machine.textArg).
func parseMemoIndex(text []byte) (uint64, error) {
	n, b, err := parseTextInt(text, 10, DefaultMaxIntDigits)
	var le *LimitError
	if errors.As(err, &le) {
		// Python's own limit, not an option's: no MaxIntDigits lets it load.
		return 0, malformed("memo index of %d digits exceeds Python's limit of %d", le.Reached, DefaultMaxIntDigits)
	}
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
