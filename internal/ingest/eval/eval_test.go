package eval

import (
	"context"
	"strings"
	"testing"

	"github.com/innograph/innograph/internal/neo4jtest"
	"github.com/innograph/innograph/seed"
)

// The analyser's figures on the five seed articles may not fall below what
// it reached when this test was written (make eval prints them). Raise the
// floors when the analyser improves.
func TestEvalFloors(t *testing.T) {
	neo4jtest.Docs(t) // skips without the documents; checks them against the seed
	// The analyser reads the articles as an analyst would paste them.
	docs, err := seed.ReadDocs(neo4jtest.DocsDir())
	if err != nil {
		t.Fatal(err)
	}
	files, err := seed.EmbeddedFiles()
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Run(context.Background(), files, docs)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Results) != 5 {
		t.Fatalf("%d articles evaluated, want 5", len(rep.Results))
	}
	var b strings.Builder
	rep.Print(&b)
	t.Log("\n" + b.String())
	o := rep.Overall
	for _, f := range []struct {
		name      string
		got, want float64
	}{
		{"mentions precision", o.Mentions.Precision(), 0.95},
		{"mentions recall", o.Mentions.Recall(), 0.91},
		{"new entities precision", o.Entities.Precision(), 0.55},
		{"new entities recall", o.Entities.Recall(), 0.65},
		{"relationships precision", o.Relationships.Precision(), 0.94},
		{"relationships recall", o.Relationships.Recall(), 0.50},
		{"fundings precision", o.Fundings.Precision(), 1},
		{"fundings recall", o.Fundings.Recall(), 1},
	} {
		if f.got < f.want {
			t.Errorf("%s %.3f, below the floor %.2f", f.name, f.got, f.want)
		}
	}
}

func TestScore(t *testing.T) {
	for _, tc := range []struct {
		name string
		s    Score
		p, r float64
	}{
		{"nothing found, nothing expected", Score{}, 1, 1},
		{"half right", Score{Found: 4, Correct: 2, Expected: 8, Recalled: 2}, 0.5, 0.25},
		{"all found", Score{Found: 3, Correct: 3, Expected: 3, Recalled: 3}, 1, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.s.Precision() != tc.p || tc.s.Recall() != tc.r {
				t.Errorf("P %v R %v, want %v %v", tc.s.Precision(), tc.s.Recall(), tc.p, tc.r)
			}
		})
	}
}
