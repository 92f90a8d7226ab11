package pickle_test

import (
	"fmt"
	"os"
	"time"

	"github.com/pickle-go/pickle"
)

// A feature cache numpy wrote (testdata/gen_numpy.py): arrays, a numpy
// string and a datetime64, read into a Go struct with the default options.
func Example_numpyFeatureCache() {
	data, err := os.ReadFile("testdata/numpy/features.pkl")
	if err != nil {
		panic(err)
	}
	var cache struct {
		IDs   []int64 `pickle:"ids"`
		X     [][]float32
		Label string    `pickle:"label"`
		When  time.Time `pickle:"when"`
	}
	if err := pickle.Unmarshal(data, &cache); err != nil {
		panic(err)
	}
	fmt.Println(cache.IDs, cache.X, cache.Label, cache.When)
	// Output: [0 1 2] [[0.5 1.5] [2.5 3.5] [4.5 5.5]] cat 2024-05-01 12:00:00 +0000 UTC
}

// An array built in Go, written as numpy writes it: the 176 bytes of
// pickle.dumps(numpy.array([[1., 2., 3.], [4., 5., 6.]]), 5).
func ExampleNewNDArray() {
	a, err := pickle.NewNDArray([][]float64{{1, 2, 3}, {4, 5, 6}})
	if err != nil {
		panic(err)
	}
	data, err := pickle.Marshal(a, pickle.Protocol(5))
	if err != nil {
		panic(err)
	}
	var back *pickle.NDArray
	if err := pickle.Unmarshal(data, &back); err != nil {
		panic(err)
	}
	fmt.Println(back.Dtype, back.Shape, len(data))
	// Output: <f8 [2 3] 176
}

// A []float64 written for numpy without copying it first: the array views
// the slice, so a change to the slice shows in it.
func ExampleNDArrayView() {
	xs := []float64{1.5, 2.5, 3.5}
	a := pickle.NDArrayView(xs)
	xs[0] = -1
	fmt.Println(a.Dtype, a.Shape)
	fmt.Println(a.Float64s())
	data, err := pickle.Marshal(a, pickle.Protocol(5))
	if err != nil {
		panic(err)
	}
	var back []float64
	if err := pickle.Unmarshal(data, &back); err != nil {
		panic(err)
	}
	fmt.Println(back)
	// Output:
	// <f8 [3]
	// [-1 2.5 3.5] <nil>
	// [-1 2.5 3.5]
}
