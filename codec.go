package pickle

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// codec is a text codec the package runs itself, as CPython would: in
// str.encode, bytes(text, codec) and _codecs.encode calls, and for Python 2
// str under the Encoding option.
type codec uint8

const (
	codecOther  codec = iota // another codec, or a name CPython rejects
	codecLatin1              // latin_1 (and iso8859_1, its charmap twin)
	codecUTF8
	codecASCII
)

// codecAliases holds the keys of encodings.aliases that name latin_1, utf_8
// or ascii in every Python 3 from 3.6 to 3.13. (cp65001 names utf_8 only from
// 3.8, so a pickle cannot count on it: it is left out.)
var codecAliases = map[string]codec{
	"8859": codecLatin1, "cp819": codecLatin1, "csisolatin1": codecLatin1,
	"ibm819": codecLatin1, "iso8859": codecLatin1, "iso8859_1": codecLatin1,
	"iso_8859_1": codecLatin1, "iso_8859_1_1987": codecLatin1,
	"iso_ir_100": codecLatin1, "l1": codecLatin1, "latin": codecLatin1,
	"latin1": codecLatin1,

	"u8": codecUTF8, "utf": codecUTF8, "utf8": codecUTF8,
	"utf8_ucs2": codecUTF8, "utf8_ucs4": codecUTF8,

	"646": codecASCII, "ansi_x3.4_1968": codecASCII, "ansi_x3.4_1986": codecASCII,
	"ansi_x3_4_1968": codecASCII, "cp367": codecASCII, "csascii": codecASCII,
	"ibm367": codecASCII, "iso646_us": codecASCII, "iso_646.irv_1991": codecASCII,
	"iso_ir_6": codecASCII, "us": codecASCII, "us_ascii": codecASCII,
}

// codecModules holds the modules of the encodings package that are these
// codecs, for a name that is no alias.
var codecModules = map[string]codec{
	"latin_1": codecLatin1, "iso8859_1": codecLatin1,
	"utf_8": codecUTF8, "ascii": codecASCII,
}

// codecNamed says which codec CPython's codecs.lookup(name) finds, as every
// Python 3 from 3.6 to 3.13 finds it; codecOther where they differ.
// (testdata/codecs/names.json holds their answers.)
func codecNamed(name string) codec {
	norm, ok := normalizeCodecName(name)
	if !ok {
		return codecOther
	}
	if c, ok := codecAliases[norm]; ok {
		return c
	}
	if c, ok := codecAliases[strings.ReplaceAll(norm, ".", "_")]; ok {
		return c
	}
	// encodings.search_function imports no module whose name holds a '.';
	// no key of codecModules does.
	return codecModules[norm]
}

// normalizeCodecName does to name what codecs.lookup does before it looks it
// up: the C registry lowers ASCII letters, then encodings.normalize_encoding
// turns every run of characters other than letters, digits and '.' into one
// '_', none at either end. It reports false for names CPython rejects or
// that versions read differently: a lone surrogate (invalid UTF-8 here;
// CPython cannot encode it), NUL (ValueError), and non-ASCII letters and
// digits (kept before 3.9, so the lookup fails; dropped since).
func normalizeCodecName(name string) (string, bool) {
	if !utf8.ValidString(name) {
		return "", false
	}
	out := make([]byte, 0, len(name))
	punct := false
	for _, r := range name {
		alnum := 'a' <= r && r <= 'z' || '0' <= r && r <= '9' || r == '.'
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
			alnum = true
		}
		switch {
		case r == 0 || r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsNumber(r)):
			return "", false
		case !alnum:
			punct = true
			continue
		}
		if punct && len(out) > 0 {
			out = append(out, '_')
		}
		out = append(out, byte(r))
		punct = false
	}
	return string(out), true
}
