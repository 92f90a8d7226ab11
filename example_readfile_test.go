package pickle_test

import (
	"fmt"

	"github.com/pickle-go/pickle"
)

// A dict that pandas.to_pickle wrote with compression="xz" (see
// testdata/gen_containers.py): ReadFile knows the xz stream by its first
// bytes, whatever the file's name.
func ExampleReadFile() {
	var payload struct {
		Name string `pickle:"name"`
		N    int    `pickle:"n"`
		Raw  []byte `pickle:"raw"`
	}
	if err := pickle.ReadFile("testdata/containers/pandas_xz.pkl", &payload); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s %d % x\n", payload.Name, payload.N, payload.Raw)
	// Output: pickle 42 00 ff 1f 8b
}
