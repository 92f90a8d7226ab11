package main

import (
	"path/filepath"
	"strings"
	"testing"

	fx "github.com/pickle-go/pickle/internal/fixtures"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const needs = "../../testdata/needs"

// Pickles that load only with an option (testdata/gen_needs.py) load with
// its flag, to what Python loaded, and without it fail naming the flag.
func TestFlagsPicklesNeed(t *testing.T) {
	want, err := fx.Reprs(needs)
	require.NoError(t, err)
	tests := []struct {
		file, cmd string
		flags     []string
		hint      string
	}{
		{"ext.pkl", "show", []string{"-extension", "240=collections.OrderedDict"}, "-extension CODE=module.name"},
		{"oob.pkl", "json", []string{"-buffer", filepath.Join(needs, "oob.buf0")}, "-buffer FILE"},
		{"bigint.pkl", "show", []string{"-max-int-digits", "0"}, "-max-int-digits N"},
		{"bigint.pkl", "show", []string{"-max-int-digits", "5000"}, "-max-int-digits N"},
	}
	for _, tt := range tests {
		t.Run(tt.file+strings.Join(tt.flags, " "), func(t *testing.T) {
			f := filepath.Join(needs, tt.file)
			code, out, errOut := runCmd(nil, append(append([]string{tt.cmd}, tt.flags...), f)...)
			require.Equal(t, 0, code, errOut)
			assert.Equal(t, want[tt.file]+"\n", out)
			code, _, errOut = runCmd(nil, tt.cmd, f)
			assert.Equal(t, 1, code)
			assert.Contains(t, errOut, tt.hint)
		})
	}
	code, _, errOut := runCmd(nil, "show", "-extension", "240", filepath.Join(needs, "ext.pkl"))
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "want CODE=module.name")
}
