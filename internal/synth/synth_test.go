package synth

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/innograph/innograph/internal/kg"
)

func generate(t *testing.T, cfg Config) (string, Manifest) {
	t.Helper()
	dir := t.TempDir()
	m, err := Write(cfg, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	return dir, m
}

func TestDeterministicFromSeed(t *testing.T) {
	cfg := Config{Entities: 3000, Seed: 42}
	a, ma := generate(t, cfg)
	b, mb := generate(t, cfg)
	c, _ := generate(t, Config{Entities: 3000, Seed: 43})
	if ma.Relationships != mb.Relationships {
		t.Fatalf("relationship counts differ: %d vs %d", ma.Relationships, mb.Relationships)
	}
	for _, f := range []string{FileSources, FileEntities, FileFundings, FileRelationships, FileManifest} {
		x, _ := os.ReadFile(filepath.Join(a, f))
		y, _ := os.ReadFile(filepath.Join(b, f))
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs with the same seed", f)
		}
	}
	x, _ := os.ReadFile(filepath.Join(a, FileRelationships))
	y, _ := os.ReadFile(filepath.Join(c, FileRelationships))
	if bytes.Equal(x, y) {
		t.Error("another seed gave the same relationships")
	}
}

func TestShapeAndReferentialIntegrity(t *testing.T) {
	const n = 20000
	dir, m := generate(t, Config{Entities: n, Seed: 7})
	ids := map[string]kg.Kind{}
	kinds := map[kg.Kind]int{}
	f, _ := os.Open(filepath.Join(dir, FileEntities))
	defer f.Close()
	err := Scan(f, func(e *WireEntity) error {
		if _, dup := ids[e.ID]; dup {
			t.Errorf("duplicate entity id %s", e.ID)
		}
		if !kg.ValidID(e.ID) || !e.Kind.Valid() || e.Name == "" || len(e.Sources) == 0 {
			t.Errorf("bad entity %+v", e)
		}
		ids[e.ID] = e.Kind
		kinds[e.Kind]++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != n {
		t.Fatalf("%d entities, want %d", len(ids), n)
	}
	if len(kinds) != len(kg.Kinds) {
		t.Errorf("%d kinds generated, want all %d", len(kinds), len(kg.Kinds))
	}
	sources := map[string]bool{}
	sf, _ := os.Open(filepath.Join(dir, FileSources))
	defer sf.Close()
	if err := Scan(sf, func(s *WireSource) error { sources[s.ID] = true; return nil }); err != nil {
		t.Fatal(err)
	}
	fundings := map[string]bool{}
	ff, _ := os.Open(filepath.Join(dir, FileFundings))
	defer ff.Close()
	err = Scan(ff, func(fu *WireFunding) error {
		fundings[fu.ID] = true
		for _, id := range append([]string{fu.Funder}, fu.Recipients...) {
			if _, ok := ids[id]; !ok {
				t.Errorf("funding %s references missing entity %s", fu.ID, id)
			}
		}
		if fu.Amount != nil && (fu.Amount.Value == "" || len(fu.Amount.Currency) != 3) {
			t.Errorf("funding %s: bad amount %+v", fu.ID, fu.Amount)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	degree := map[string]int{}
	relIDs := map[string]bool{}
	types := map[kg.RelType]bool{}
	var rels int64
	rf, _ := os.Open(filepath.Join(dir, FileRelationships))
	defer rf.Close()
	err = Scan(rf, func(r *WireRel) error {
		rels++
		if _, ok := ids[r.From]; !ok {
			t.Fatalf("relationship %s: missing from %s", r.ID, r.From)
		}
		if _, ok := ids[r.To]; !ok {
			t.Fatalf("relationship %s: missing to %s", r.ID, r.To)
		}
		if r.From == r.To {
			t.Errorf("self loop %s", r.ID)
		}
		if relIDs[r.ID] {
			t.Errorf("duplicate relationship id %s", r.ID)
		}
		relIDs[r.ID] = true
		if !r.Type.Valid() || len(r.Evidence) == 0 {
			t.Errorf("bad relationship %+v", r)
		}
		for _, ev := range r.Evidence {
			if !sources[ev.Source] || ev.Quote == "" {
				t.Errorf("relationship %s: bad evidence %+v", r.ID, ev)
			}
		}
		if r.FundingID != "" && !fundings[r.FundingID] {
			t.Errorf("relationship %s: missing funding %s", r.ID, r.FundingID)
		}
		for _, d := range []string{r.Since, r.Until, r.On} {
			if d != "" {
				if _, err := kg.ParseDate(d); err != nil {
					t.Errorf("relationship %s: %v", r.ID, err)
				}
			}
		}
		types[r.Type] = true
		degree[r.From]++
		degree[r.To]++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if rels != m.Relationships {
		t.Errorf("manifest says %d relationships, file has %d", m.Relationships, rels)
	}
	if per := float64(rels) / n; per < 4 || per > 7 {
		t.Errorf("%.2f relationships per entity, want about 5", per)
	}
	if len(types) < len(kg.RelTypes)-1 {
		t.Errorf("only %d relationship types generated", len(types))
	}
	// Heavy tail: the biggest hubs have far more edges than the median entity.
	maxDeg, hubs := 0, 0
	for _, d := range degree {
		maxDeg = max(maxDeg, d)
		if d >= 500 {
			hubs++
		}
	}
	if maxDeg < 1000 {
		t.Errorf("biggest hub has %d edges; want a heavy tail (≥1000 at %d entities)", maxDeg, n)
	}
	if hubs < 3 || hubs > n/100 {
		t.Errorf("%d entities with ≥500 edges; want a few hubs", hubs)
	}
	if m.MaxDegree != maxDeg {
		t.Errorf("manifest maxDegree %d, counted %d", m.MaxDegree, maxDeg)
	}
	if k := ids[m.HubID]; k != kg.KindUniversity && k != kg.KindGovernmentBody && k != kg.KindInstitute && k != kg.KindFacility {
		t.Errorf("biggest hub %s is a %s", m.HubID, k)
	}
}

func TestPlanIDsMatchEntities(t *testing.T) {
	p, err := NewPlan(Config{Entities: 1000, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range p.Blocks {
		if got := p.IDOf(b.Kind, 0); got != p.ID(b.Start) || p.Kind(b.Start) != b.Kind {
			t.Errorf("%s: IDOf rank 0 = %s, ID(start) = %s", b.Kind, got, p.ID(b.Start))
		}
	}
	if _, err := NewPlan(Config{Entities: 5}); err == nil {
		t.Error("tiny graph accepted")
	}
	if term := p.SearchTerm(10, 3); term == "" {
		t.Error("empty search term")
	}
}
