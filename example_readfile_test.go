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

// A state_dict of a small nn.Sequential (Linear(3, 2), Conv2d(1, 2, 2),
// BatchNorm1d(2)) that torch.save wrote (see testdata/gen_torch.py): its
// tensors fill Go slices by their keys.
func ExampleReadFile_torch() {
	var model struct {
		Weight  [][]float32     `pickle:"0.weight"`
		Conv    [][][][]float32 `pickle:"1.weight"`
		Var     []float32       `pickle:"2.running_var"`
		Batches int64           `pickle:"2.num_batches_tracked"`
	}
	if err := pickle.ReadFile("testdata/torch/sequential.zip.pt", &model); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(model.Weight), len(model.Weight[0]), len(model.Conv), model.Var, model.Batches)
	// Output: 2 3 2 [1 1] 3
}
