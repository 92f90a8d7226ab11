package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
)

// The numpy rows: a 100 MB float64 array that gen_numpy_corpus.py writes
// with an interpreter that has numpy (Debian's python3-numpy; pyenv's 3.11,
// which writes the rest of the corpus, has none), timed by pytime.py under
// that same interpreter, so that CPython's figures are numpy's own.

// numpyManifest is numpy_manifest.json.
type numpyManifest struct {
	Version int          `json:"version"`
	Numpy   string       `json:"numpy"`
	Python  string       `json:"python"`
	Files   []corpusFile `json:"files"`
}

// ensureNumpyCorpus returns the numpy files in dir, generating them with py
// when they are missing, stale or of the wrong size.
func ensureNumpyCorpus(py, dir string, logf func(string, ...any)) (*numpyManifest, error) {
	src, err := os.ReadFile("gen_numpy_corpus.py")
	if err != nil {
		return nil, err
	}
	m := regexp.MustCompile(`(?m)^VERSION = (\d+)`).FindSubmatch(src)
	if m == nil {
		return nil, fmt.Errorf("gen_numpy_corpus.py has no VERSION line")
	}
	want, _ := strconv.Atoi(string(m[1]))
	read := func() *numpyManifest {
		b, err := os.ReadFile(filepath.Join(dir, "numpy_manifest.json"))
		if err != nil {
			return nil
		}
		var man numpyManifest
		if json.Unmarshal(b, &man) != nil || man.Version != want {
			return nil
		}
		for _, f := range man.Files {
			if st, err := os.Stat(filepath.Join(dir, f.File)); err != nil || st.Size() != int64(f.Size) {
				return nil
			}
		}
		return &man
	}
	if man := read(); man != nil {
		return man, nil
	}
	logf("corpus: generating the numpy files in %s with %s", dir, py)
	cmd := exec.Command(py, "gen_numpy_corpus.py", dir)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("gen_numpy_corpus.py (with -numpy-python %s): %v", py, err)
	}
	if man := read(); man != nil {
		return man, nil
	}
	return nil, fmt.Errorf("numpy corpus still unusable after generating it")
}
