package pickle

import (
	"os/exec"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestPandasLive has Debian's pandas (debianPython) pickle every fixture
// value now, at protocols 2 to 5, and decodes each as TestPandasFixtures
// does the committed ones. It fails, not skips, without pandas.
func TestPandasLive(t *testing.T) {
	out, err := exec.Command(debianPython, "testdata/gen_pandas.py", "--stdout").Output()
	var stderr []byte
	if ee, ok := err.(*exec.ExitError); ok {
		stderr = ee.Stderr
	}
	require.NoError(t, err, "%s with pandas is needed: %s", debianPython, stderr)
	checkPandasCases(t, parsePandasCases(t, out))
}
