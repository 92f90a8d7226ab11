// Package container finds the pickles inside the files Python tools write
// around them: compressed streams (gzip, bz2, xz, lzma, zstd, zlib, lz4) and
// archives (zip, tar), nested as pandas and joblib nest them. It knows the
// containers by their first bytes, never by a file's name, bounds what every
// decompressor may produce, and names the container, the member and the
// offset in every error.
//
// It knows nothing of pickles beyond their first bytes: package pickle
// decodes what it hands out. The decompressors from outside the standard
// library live here so that the pickle machine imports none of them.
package container
