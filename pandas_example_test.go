package pickle_test

import (
	"fmt"
	"os"
	"time"

	"github.com/pickle-go/pickle"
)

// A DataFrame pandas wrote (testdata/gen_pandas.py's frame.pkl), read into
// Go structs, one per row, with the default options: a missing string or
// category is nil, NaN stays NaN, NaT is a nil time.
func Example_pandasDataFrame() {
	data, err := os.ReadFile("testdata/pandas/frame.pkl")
	if err != nil {
		panic(err)
	}
	var rows []struct {
		User  *string    `pickle:"user"`
		Score float64    `pickle:"score"`
		Plan  string     `pickle:"plan"`
		Seen  *time.Time `pickle:"seen"`
	}
	if err := pickle.Unmarshal(data, &rows); err != nil {
		panic(err)
	}
	for _, r := range rows {
		user, seen := "(none)", "(NaT)"
		if r.User != nil {
			user = *r.User
		}
		if r.Seen != nil {
			seen = r.Seen.Format(time.DateTime)
		}
		fmt.Println(user, r.Score, r.Plan, seen)
	}
	// Output:
	// ann 0.5 pro 2024-05-01 12:00:00
	// bob NaN free 2024-05-02 08:30:00
	// (none) 2 pro (NaT)
}

// A DataFrame built in Go, written for pandas: pandas.read_pickle gives
// pd.DataFrame({"id": [1, 2], "name": ["a", "b"]}).
func ExampleNewColumn() {
	id, err := pickle.NewColumn("id", []int64{1, 2})
	if err != nil {
		panic(err)
	}
	name, err := pickle.NewColumn("name", []string{"a", "b"})
	if err != nil {
		panic(err)
	}
	data, err := pickle.Marshal(&pickle.DataFrame{Columns: []pickle.Column{id, name}})
	if err != nil {
		panic(err)
	}
	var back map[string][]any
	if err := pickle.Unmarshal(data, &back); err != nil {
		panic(err)
	}
	fmt.Println(back)
	// Output: map[id:[1 2] name:[a b]]
}
