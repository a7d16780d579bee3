// Package eval measures the ingestion analyser (package ingest) against the
// curated seed: for each seed article, the dictionary is built from the seed
// graph minus what that article alone contributed, the article is analysed,
// and the suggestions are compared with what the curators wrote for it.
package eval

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/innograph/innograph/internal/ingest"
	"github.com/innograph/innograph/internal/kg"
	"github.com/innograph/innograph/seed"
)

// Score counts one measure: Found suggestions of which Correct are right, and
// Expected curated facts of which Recalled are found.
type Score struct {
	Found, Correct, Expected, Recalled int
}

// Precision is Correct/Found (1 when nothing was found).
func (s Score) Precision() float64 {
	if s.Found == 0 {
		return 1
	}
	return float64(s.Correct) / float64(s.Found)
}

// Recall is Recalled/Expected (1 when nothing was expected).
func (s Score) Recall() float64 {
	if s.Expected == 0 {
		return 1
	}
	return float64(s.Recalled) / float64(s.Expected)
}

func (s *Score) add(o Score) {
	s.Found += o.Found
	s.Correct += o.Correct
	s.Expected += o.Expected
	s.Recalled += o.Recalled
}

// Result is one article's scores.
type Result struct {
	SourceID string
	// Mentions: known entities the analyser found mentioned vs. those the seed
	// says the source mentions.
	Mentions Score
	// Entities: new-entity suggestions vs. entities only this source contributed.
	Entities Score
	// Relationships: type and both ends right.
	Relationships Score
	// Fundings: amounts with currency exact.
	Fundings Score
	// Missed lists curated facts not found and Wrong suggestions not curated
	// (relationships and fundings), for working on the rules.
	Missed, Wrong []string
}

// Report is the evaluation over every article.
type Report struct {
	Results []Result
	Overall Result
}

type rawFile struct {
	Source struct {
		ID string `yaml:"id"`
	} `yaml:"source"`
	Entities []struct {
		ID      string   `yaml:"id"`
		Ref     string   `yaml:"ref"`
		Name    string   `yaml:"name"`
		Aliases []string `yaml:"aliases"`
	} `yaml:"entities"`
}

// Run evaluates the analyser on every seed source whose document is in docs
// (file name to text). The analyser reads each text as given — as
// seed.ReadDocs reads the files, line breaks and all, which is what an
// analyst's paste gives; the seed's quotes are checked against it with white
// space collapsed (seed.LoadDocs' form), as the seed always is.
func Run(ctx context.Context, files []seed.File, docs map[string]string) (*Report, error) {
	collapsed := make(map[string]string, len(docs))
	for name, text := range docs {
		collapsed[name] = kg.CollapseSpace(text)
	}
	g, err := seed.Parse(files, collapsed)
	if err != nil {
		return nil, err
	}
	// forms[source][entity] are the names and aliases each source's file gives.
	forms := map[string]map[string][]string{}
	for _, f := range files {
		var rf rawFile
		if err := yaml.Unmarshal(f.Data, &rf); err != nil {
			return nil, fmt.Errorf("%s: %w", f.Name, err)
		}
		m := map[string][]string{}
		for _, e := range rf.Entities {
			id := e.ID + e.Ref
			if e.Name != "" {
				m[id] = append(m[id], e.Name)
			}
			m[id] = append(m[id], e.Aliases...)
		}
		forms[rf.Source.ID] = m
	}
	rep := &Report{Overall: Result{SourceID: "overall"}}
	for _, src := range g.Sources {
		text, ok := docs[src.File]
		if !ok {
			continue
		}
		r, err := evalSource(ctx, g, src, text, forms)
		if err != nil {
			return nil, err
		}
		rep.Results = append(rep.Results, *r)
		rep.Overall.Mentions.add(r.Mentions)
		rep.Overall.Entities.add(r.Entities)
		rep.Overall.Relationships.add(r.Relationships)
		rep.Overall.Fundings.add(r.Fundings)
	}
	return rep, nil
}

func evalSource(ctx context.Context, g *seed.Graph, src kg.Source, text string, forms map[string]map[string][]string) (*Result, error) {
	res := &Result{SourceID: src.ID}
	var dict []kg.Entity
	mentioned := map[string]bool{}  // known entities the source mentions
	newForms := map[string]string{} // folded form -> id of an entity only this source has
	newIDs := map[string]bool{}
	for _, e := range g.Entities {
		only := len(e.Sources) == 1 && e.Sources[0] == src.ID
		if only {
			newIDs[e.ID] = true
			for _, n := range append([]string{e.Name}, e.Aliases...) {
				newForms[ingest.Fold(n)] = e.ID
			}
			continue
		}
		// Names only this source gives are not known before it.
		var aliases []string
		for _, a := range e.Aliases {
			for s, m := range forms {
				if s != src.ID && contains(m[e.ID], a) {
					aliases = append(aliases, a)
					break
				}
			}
		}
		for _, a := range e.Aliases {
			if !contains(aliases, a) {
				// a name only this source gives: a new-entity suggestion
				// with it names this entity
				newForms[ingest.Fold(a)] = e.ID
			}
		}
		k := e
		k.Aliases = aliases
		dict = append(dict, k)
		if contains(e.Sources, src.ID) {
			mentioned[e.ID] = true
		}
	}
	d, err := ingest.New(dict)
	if err != nil {
		return nil, err
	}
	a, err := d.Analyse(ctx, ingest.Document{Text: text, Published: src.Published, SourceID: src.ID})
	if err != nil {
		return nil, err
	}

	// Mentions: every candidate of every mention counts as found.
	found := map[string]bool{}
	seenAs := map[string]string{}
	for _, m := range a.Mentions {
		for _, c := range m.Candidates {
			found[c.EntityID] = true
			if _, ok := seenAs[c.EntityID]; !ok {
				seenAs[c.EntityID] = fmt.Sprintf("%q in %q", kg.CollapseSpace(m.Span.Text(text)), kg.CollapseSpace(a.Sentences[m.Sentence].Text(text)))
			}
		}
	}
	res.Mentions = setScore(found, mentioned)
	for id := range found {
		if !mentioned[id] {
			res.Wrong = append(res.Wrong, "mention "+id+" as "+seenAs[id])
		}
	}
	for id := range mentioned {
		if !found[id] {
			res.Missed = append(res.Missed, "mention "+id)
		}
	}

	// New entities.
	hit := map[string]bool{}
	for _, s := range a.Suggestions {
		if s.Type != ingest.SuggestEntity {
			continue
		}
		res.Entities.Found++
		ok := false
		for _, n := range append([]string{s.NewEntity.Name}, s.NewEntity.Aliases...) {
			if id, in := newForms[ingest.Fold(n)]; in {
				res.Entities.Correct++
				hit[id] = true
				ok = true
				break
			}
		}
		if !ok {
			res.Wrong = append(res.Wrong, fmt.Sprintf("entity %s %q", s.NewEntity.Kind, s.NewEntity.Name))
		}
	}
	res.Entities.Expected, res.Entities.Recalled = len(newIDs), len(hit)

	// Relationships.
	type triple struct {
		t        kg.RelType
		from, to string
	}
	truth := map[triple]bool{}
	quoteOf := map[triple]string{}
	for _, r := range g.Relationships {
		if r.FundingID != "" {
			continue
		}
		for _, ev := range r.Evidence {
			if ev.SourceID == src.ID {
				truth[triple{r.Type, r.From, r.To}] = true
				quoteOf[triple{r.Type, r.From, r.To}] = ev.Quote
			}
		}
	}
	ids := func(e ingest.End) []string {
		if e.NewName != "" {
			if id, ok := newForms[ingest.Fold(e.NewName)]; ok {
				return []string{id}
			}
			return nil
		}
		var out []string
		for _, c := range e.Candidates {
			out = append(out, c.EntityID)
		}
		return out
	}
	recalled := map[triple]bool{}
	for _, s := range a.Suggestions {
		if s.Type != ingest.SuggestRelationship {
			continue
		}
		r := s.Relationship
		res.Relationships.Found++
		ok := false
		for _, f := range ids(r.From) {
			for _, t := range ids(r.To) {
				if tr := (triple{r.Type, f, t}); truth[tr] {
					ok = true
					recalled[tr] = true
				}
			}
		}
		if ok {
			res.Relationships.Correct++
		} else {
			res.Wrong = append(res.Wrong, fmt.Sprintf("rel %s %s -> %s", r.Type, endText(text, r.From), endText(text, r.To)))
		}
	}
	res.Relationships.Expected, res.Relationships.Recalled = len(truth), len(recalled)
	for tr := range truth {
		if !recalled[tr] {
			res.Missed = append(res.Missed, fmt.Sprintf("rel %s %s -> %s: %q", tr.t, tr.from, tr.to, quoteOf[tr]))
		}
	}

	// Fundings: amount and currency exact.
	type money struct{ v, c string }
	want := map[money]bool{}
	for _, f := range g.Fundings {
		if f.Amount == nil {
			continue
		}
		for _, ev := range f.Evidence {
			if ev.SourceID == src.ID {
				want[money{f.Amount.Value, f.Amount.Currency}] = true
			}
		}
	}
	got := map[money]bool{}
	for _, s := range a.Suggestions {
		if s.Type == ingest.SuggestFunding {
			m := money{s.Funding.Amount.Value, s.Funding.Amount.Currency}
			got[m] = true
			if !want[m] {
				res.Wrong = append(res.Wrong, fmt.Sprintf("funding %s %s (%s)", m.v, m.c, s.Funding.Amount.Note))
			}
		}
	}
	res.Fundings.Found, res.Fundings.Expected = len(got), len(want)
	for m := range got {
		if want[m] {
			res.Fundings.Correct++
			res.Fundings.Recalled++
		}
	}
	for m := range want {
		if !got[m] {
			res.Missed = append(res.Missed, fmt.Sprintf("funding %s %s", m.v, m.c))
		}
	}
	sort.Strings(res.Missed)
	return res, nil
}

func endText(text string, e ingest.End) string { return kg.CollapseSpace(e.Span.Text(text)) }

func setScore(found, want map[string]bool) Score {
	s := Score{Found: len(found), Expected: len(want)}
	for id := range found {
		if want[id] {
			s.Correct++
		}
	}
	s.Recalled = s.Correct
	return s
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// Print writes the report as a table: one row per article and measure.
func (r *Report) Print(w io.Writer) {
	fmt.Fprintf(w, "%-38s %-14s %6s %7s %9s %7s\n", "source", "measure", "found", "correct", "expected", "P / R")
	row := func(res Result) {
		for _, m := range []struct {
			name string
			s    Score
		}{{"mentions", res.Mentions}, {"new entities", res.Entities}, {"relationships", res.Relationships}, {"fundings", res.Fundings}} {
			fmt.Fprintf(w, "%-38s %-14s %6d %7d %9d   %.2f / %.2f\n", res.SourceID, m.name, m.s.Found, m.s.Correct, m.s.Expected, m.s.Precision(), m.s.Recall())
		}
	}
	for _, res := range r.Results {
		row(res)
	}
	fmt.Fprintln(w, strings.Repeat("-", 90))
	row(r.Overall)
}

// PrintDetails writes each article's missed and wrong items.
func (r *Report) PrintDetails(w io.Writer) {
	for _, res := range r.Results {
		for _, m := range res.Missed {
			fmt.Fprintf(w, "%s missed: %s\n", res.SourceID, m)
		}
		for _, m := range res.Wrong {
			fmt.Fprintf(w, "%s wrong:  %s\n", res.SourceID, m)
		}
	}
}
