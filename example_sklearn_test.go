package pickle_test

import (
	"fmt"
	"log"

	"github.com/pickle-go/pickle"
)

// logisticRegression holds what scikit-learn's LogisticRegression learns:
// Unmarshal fills a struct from an instance's attribute dict, and numpy
// arrays into slices.
type logisticRegression struct {
	Coef      [][]float64 `pickle:"coef_"`      // (classes, features)
	Intercept []float64   `pickle:"intercept_"` // (classes,)
	Classes   []string    `pickle:"classes_"`
}

// predict is LogisticRegression.predict for more than two classes: the
// class with the highest score x·coef + intercept.
func (m *logisticRegression) predict(x []float64) string {
	best, bestScore := 0, 0.0
	for k, w := range m.Coef {
		score := m.Intercept[k]
		for j, xj := range x {
			score += w[j] * xj
		}
		if k == 0 || score > bestScore {
			best, bestScore = k, score
		}
	}
	return m.Classes[best]
}

// A scikit-learn model saved with joblib.dump (testdata/gen_joblib.py),
// read into Go. A model is an instance of its estimator class, which the
// default allowlist does not admit: AllowGlobals names the one class the
// caller expects, and any other class in the file is still refused. The
// predictions are those scikit-learn made for the same inputs.
func ExampleReadFile_sklearn() {
	var m logisticRegression
	err := pickle.ReadFile("testdata/joblib/logreg3.joblib", &m,
		pickle.AllowGlobals("sklearn.linear_model._logistic.LogisticRegression"))
	if err != nil {
		log.Fatal(err)
	}
	for _, x := range [][]float64{{0, 0}, {2.5, 1.5}, {4.5, 3}, {1, 2}, {5, 5}} {
		fmt.Println(x, m.predict(x))
	}
	// Output:
	// [0 0] a
	// [2.5 1.5] b
	// [4.5 3] c
	// [1 2] a
	// [5 5] c
}
