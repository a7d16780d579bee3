package store_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/innograph/innograph/internal/kg"
	"github.com/innograph/innograph/internal/neo4jtest"
	"github.com/innograph/innograph/internal/store"
)

func TestEntitiesByIDs(t *testing.T) {
	st := neo4jtest.Store(t)
	ctx := ctxT(t)
	cleanup(t, "zz-test-redirect-")
	raw(t, "CREATE (:Redirect {id: 'zz-test-redirect-polyu', target: 'polyu'})", nil)

	got, err := st.EntitiesByIDs(ctx, []string{"polyu", "cnerc-steel-hk", "no-such-id", "zz-test-redirect-polyu", "polyu"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("got %d entities (%v), want 3: missing ids are absent", len(got), keysOf(got))
	}
	p := got["polyu"]
	if p.Name != "The Hong Kong Polytechnic University" || p.Kind != kg.KindUniversity || !contains(p.Aliases, "PolyU") {
		t.Errorf("polyu = %+v", p)
	}
	if !contains(p.Sources, "s000-hk-china-hi-tech-drive") || !contains(p.Sources, "s002-mainland-hk-it-forum-2018") || p.Version != 1 {
		t.Errorf("polyu sources/version = %v / %d", p.Sources, p.Version)
	}
	if lab := got["cnerc-steel-hk"]; lab.Kind != kg.KindLab || !strings.Contains(lab.Description, "October 2015") {
		t.Errorf("cnerc-steel-hk = %+v", lab)
	}
	if r := got["zz-test-redirect-polyu"]; r.ID != "polyu" {
		t.Errorf("a redirect id resolves to %q, want the survivor polyu", r.ID)
	}
	if _, ok := got["no-such-id"]; ok {
		t.Error("missing id present")
	}

	empty, err := st.EntitiesByIDs(ctx, nil)
	if err != nil || len(empty) != 0 {
		t.Errorf("EntitiesByIDs(nil) = %v, %v", empty, err)
	}
	e, err := st.Entity(ctx, "kwok-fai-chung")
	if err != nil || e.Name != "Kwok-fai Chung" || e.Kind != kg.KindPerson {
		t.Errorf("Entity(kwok-fai-chung) = %+v, %v", e, err)
	}
	_, err = st.Entity(ctx, "no-such-id")
	wantCode(t, err, kg.CodeNotFound, "id")

	ids, err := st.EntityIDs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !ids["polyu"] || !ids["zz-test-redirect-polyu"] || ids["no-such-id"] {
		t.Errorf("EntityIDs misses entities or redirects (%d ids)", len(ids))
	}
}

func keysOf[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// walk pages through ListEntities with page size first until the end.
func walk(t *testing.T, st *store.Store, f kg.EntityFilter, first int, each func(page int)) []kg.Entity {
	t.Helper()
	ctx := ctxT(t)
	var all []kg.Entity
	after := ""
	for page := 0; ; page++ {
		if page > 1000 {
			t.Fatal("pagination does not end")
		}
		ents, cursors, more, err := st.ListEntities(ctx, f, kg.Page{First: first, After: after})
		if err != nil {
			t.Fatalf("page %d: %v", page, err)
		}
		if len(ents) != len(cursors) || len(ents) > first {
			t.Fatalf("page %d: %d entities, %d cursors, first %d", page, len(ents), len(cursors), first)
		}
		if more && len(ents) != first {
			t.Fatalf("page %d: short page (%d) but more follow", page, len(ents))
		}
		all = append(all, ents...)
		if each != nil {
			each(page)
		}
		if !more {
			return all
		}
		after = cursors[len(cursors)-1]
	}
}

func less(order kg.EntityOrder, a, b kg.Entity) bool {
	switch order {
	case kg.OrderIDAsc:
		return a.ID < b.ID
	case kg.OrderIDDesc:
		return a.ID > b.ID
	case kg.OrderNameDesc:
		return a.Name > b.Name || (a.Name == b.Name && a.ID > b.ID)
	default:
		return a.Name < b.Name || (a.Name == b.Name && a.ID < b.ID)
	}
}

func TestListEntitiesKeysetPagination(t *testing.T) {
	st := neo4jtest.Store(t)
	ctx := ctxT(t)
	tests := []struct {
		name   string
		filter kg.EntityFilter
	}{
		{"all by name asc", kg.EntityFilter{Order: kg.OrderNameAsc}},
		{"all by name desc", kg.EntityFilter{Order: kg.OrderNameDesc}},
		{"all by id asc", kg.EntityFilter{Order: kg.OrderIDAsc}},
		{"all by id desc", kg.EntityFilter{Order: kg.OrderIDDesc}},
		{"default order", kg.EntityFilter{}},
		{"people by name", kg.EntityFilter{Kinds: []kg.Kind{kg.KindPerson}, Order: kg.OrderNameAsc}},
		{"labs and universities by id desc", kg.EntityFilter{Kinds: []kg.Kind{kg.KindLab, kg.KindUniversity}, Order: kg.OrderIDDesc}},
		{"name contains polytechnic", kg.EntityFilter{NameContains: "Polytechnic", Order: kg.OrderNameAsc}},
		{"mentioned by the CAS MoU source", kg.EntityFilter{SourceID: "s004-hk-cas-mou", Order: kg.OrderIDAsc}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want, err := st.CountEntities(ctx, tt.filter)
			if err != nil {
				t.Fatal(err)
			}
			if want < 3 {
				t.Fatalf("filter matches only %d entities: not a useful test", want)
			}
			all := walk(t, st, tt.filter, 7, nil)
			seen := map[string]bool{}
			for i, e := range all {
				if seen[e.ID] {
					t.Errorf("duplicate %s", e.ID)
				}
				seen[e.ID] = true
				if i > 0 && !less(tt.filter.Order, all[i-1], e) {
					t.Errorf("out of order: %q (%s) before %q (%s)", all[i-1].Name, all[i-1].ID, e.Name, e.ID)
				}
				if len(tt.filter.Kinds) > 0 && !containsKind(tt.filter.Kinds, e.Kind) {
					t.Errorf("%s has kind %s outside the filter", e.ID, e.Kind)
				}
				if tt.filter.SourceID != "" && !contains(e.Sources, tt.filter.SourceID) {
					t.Errorf("%s is not from source %s", e.ID, tt.filter.SourceID)
				}
			}
			if len(all) != want {
				t.Errorf("walked %d entities, CountEntities says %d", len(all), want)
			}
			// One big page holds the same entities in the same order: no gaps.
			one, _, more, err := st.ListEntities(ctx, tt.filter, kg.Page{First: 1000})
			if err != nil || more {
				t.Fatalf("single page: more=%v err=%v", more, err)
			}
			if fmt.Sprint(entityIDs(one)) != fmt.Sprint(entityIDs(all)) {
				t.Errorf("paged walk differs from a single page:\n%v\n%v", entityIDs(all), entityIDs(one))
			}
		})
	}
	// Every entity in the database is listed when no filter is given.
	total, err := st.CountEntities(ctx, kg.EntityFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if dbIDs := allEntityIDs(t); len(dbIDs) != total {
		t.Errorf("CountEntities = %d, database holds %d entities", total, len(dbIDs))
	}
}

func containsKind(ks []kg.Kind, k kg.Kind) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}

func TestListEntitiesFilters(t *testing.T) {
	st := neo4jtest.Store(t)
	ctx := ctxT(t)
	tests := []struct {
		name   string
		filter kg.EntityFilter
		want   []string // exact ids, in order
	}{
		{"ids", kg.EntityFilter{IDs: []string{"polyu", "hkust", "no-such-id"}, Order: kg.OrderIDAsc}, []string{"hkust", "polyu"}},
		{"empty ids list matches nothing", kg.EntityFilter{IDs: []string{}}, []string{}},
		{"name contains alias text, case-insensitive", kg.EntityFilter{NameContains: "k. f. CHUNG"}, []string{"kwok-fai-chung"}},
		{"kinds and name", kg.EntityFilter{Kinds: []kg.Kind{kg.KindLab}, NameContains: "partner state key", Order: kg.OrderIDAsc},
			[]string{"pskl-chirosciences", "pskl-ultra-precision-machining"}},
		{"labs by name", kg.EntityFilter{Kinds: []kg.Kind{kg.KindLab}, Order: kg.OrderNameAsc},
			[]string{"cnerc-steel-hk", "cnerc-rail-hk", "pskl-chirosciences", "pskl-ultra-precision-machining"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ents, _, more, err := st.ListEntities(ctx, tt.filter, kg.Page{First: 100})
			if err != nil {
				t.Fatal(err)
			}
			if got := entityIDs(ents); fmt.Sprint(got) != fmt.Sprint(tt.want) || more {
				t.Errorf("ids = %v (more %v), want %v", got, more, tt.want)
			}
			n, err := st.CountEntities(ctx, tt.filter)
			if err != nil || n != len(tt.want) {
				t.Errorf("CountEntities = %d, %v; want %d", n, err, len(tt.want))
			}
		})
	}
}

func TestListEntitiesBadCursor(t *testing.T) {
	st := neo4jtest.Store(t)
	ctx := ctxT(t)
	idCursor := kg.EncodeCursor("polyu")
	nameCursor := kg.EncodeCursor("The Hong Kong Polytechnic University", "polyu")
	tests := []struct {
		name   string
		order  kg.EntityOrder
		cursor string
	}{
		{"not base64", kg.OrderNameAsc, "!!!not a cursor!!!"},
		{"base64 of garbage", kg.OrderNameAsc, "aGVsbG8"},
		{"id cursor in name order", kg.OrderNameAsc, idCursor},
		{"name cursor in id order", kg.OrderIDAsc, nameCursor},
		{"too long", kg.OrderIDAsc, strings.Repeat("A", 4000)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, _, err := st.ListEntities(ctx, kg.EntityFilter{Order: tt.order}, kg.Page{First: 5, After: tt.cursor})
			wantCode(t, err, kg.CodeInvalid, "after")
		})
	}
	// A valid cursor resumes strictly after its entity.
	ents, _, _, err := st.ListEntities(ctx, kg.EntityFilter{Order: kg.OrderIDAsc}, kg.Page{First: 1, After: idCursor})
	if err != nil || len(ents) != 1 || ents[0].ID <= "polyu" {
		t.Errorf("page after polyu = %v, %v", entityIDs(ents), err)
	}
}

// Paging while another goroutine inserts entities: keyset pagination never
// repeats an entity and never skips one that existed before the walk began.
func TestListEntitiesConcurrentInserts(t *testing.T) {
	st := neo4jtest.Store(t)
	const prefix = "zz-test-conc-"
	for _, order := range []kg.EntityOrder{kg.OrderNameAsc, kg.OrderNameDesc, kg.OrderIDAsc, kg.OrderIDDesc} {
		t.Run(string(order), func(t *testing.T) {
			cleanup(t, prefix)
			pre := allEntityIDs(t)
			ctx, cancel := context.WithCancel(ctxT(t))
			var wg sync.WaitGroup
			var inserted atomic.Int64
			batchDone := make(chan struct{})
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; ctx.Err() == nil; i++ {
					ents := testEntities(fmt.Sprintf("%s%s-%d-", prefix, strings.ToLower(string(order)), i), 3)
					if err := st.Import(ctx, &kg.Graph{Sources: []kg.Source{testSource()}, Entities: ents}); err != nil {
						if ctx.Err() == nil {
							t.Errorf("concurrent import: %v", err)
						}
						return
					}
					inserted.Add(3)
					select { // hand over to the walker: one batch between pages
					case batchDone <- struct{}{}:
					case <-ctx.Done():
					}
				}
			}()
			all := walk(t, st, kg.EntityFilter{Order: order}, 7, func(int) {
				select {
				case <-batchDone:
				case <-time.After(5 * time.Second):
					t.Error("no insert between pages")
				}
			})
			cancel()
			wg.Wait()
			if inserted.Load() == 0 {
				t.Fatal("no entities were inserted during the walk")
			}
			count := map[string]int{}
			for _, e := range all {
				count[e.ID]++
				if count[e.ID] == 2 {
					t.Errorf("%s listed twice", e.ID)
				}
			}
			for id := range pre {
				if count[id] != 1 && !strings.HasPrefix(id, prefix) {
					t.Errorf("pre-existing %s seen %d times", id, count[id])
				}
			}
			t.Logf("%d listed, %d pre-existing, %d inserted during the walk", len(all), len(pre), inserted.Load())
		})
	}
}

func TestSearch(t *testing.T) {
	st := neo4jtest.Store(t)
	ctx := ctxT(t)
	tests := []struct {
		name, query string
		kinds       []kg.Kind
		wantFirst   string // id expected at rank 1
		wantMatched string // matchedName of the first hit, when checked
	}{
		{"upper case acronym", "POLYU", nil, "polyu", "PolyU"},
		{"lower case", "polyu", nil, "polyu", "PolyU"},
		{"full name", "The Hong Kong Polytechnic University", nil, "polyu", "The Hong Kong Polytechnic University"},
		{"partial word", "Polytech", nil, "polyu", ""},
		{"misspelled", "Polytechnc", nil, "polyu", ""},
		{"misspelled person", "Kwok-fai Chnug", nil, "kwok-fai-chung", ""},
		{"acronym HKUST", "HKUST", nil, "hkust", "HKUST"},
		{"acronym MOST", "MOST", nil, "most", "MOST"},
		{"acronym CAS", "CAS", nil, "cas", "CAS"},
		{"acronym lower case", "cas", nil, "cas", "CAS"},
		{"name order reversed", "Chung Kwok Fai", nil, "kwok-fai-chung", ""},
		{"straight apostrophe", "Chang'e 4", nil, "change-4-spacecraft", ""},
		{"curly apostrophe", "Chang’e 4", nil, "change-4-spacecraft", ""},
		{"no apostrophe", "Change 4", nil, "change-4-spacecraft", ""},
		{"accents folded", "Chàng’é 4", nil, "change-4-spacecraft", ""},
		{"mission", "Chang'e 4 mission", nil, "change-4-mission", ""},
		{"person", "Alfred Sit", nil, "alfred-sit", "Alfred Sit"},
		{"kind filter", "Polytechnic", []kg.Kind{kg.KindDepartment}, "polyu-cee", ""},
		{"phrase", "state key lab", nil, "pskl-programme", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hits, err := st.Search(ctx, tt.query, tt.kinds, 10)
			if err != nil {
				t.Fatalf("Search(%q): %v", tt.query, err)
			}
			if len(hits) == 0 {
				t.Fatalf("Search(%q): no hits", tt.query)
			}
			if hits[0].Entity.ID != tt.wantFirst {
				t.Errorf("Search(%q) rank 1 = %s, want %s (hits %v)", tt.query, hits[0].Entity.ID, tt.wantFirst, hitIDs(hits))
			}
			if tt.wantMatched != "" && hits[0].MatchedName != tt.wantMatched {
				t.Errorf("matchedName = %q, want %q", hits[0].MatchedName, tt.wantMatched)
			}
			for i, h := range hits {
				if i > 0 && h.Score > hits[i-1].Score {
					t.Errorf("hits not ordered by score: %v", hitIDs(hits))
				}
				if len(tt.kinds) > 0 && !containsKind(tt.kinds, h.Entity.Kind) {
					t.Errorf("hit %s has kind %s outside the filter", h.Entity.ID, h.Entity.Kind)
				}
			}
		})
	}
	// first bounds the number of hits.
	hits, err := st.Search(ctx, "Hong Kong", nil, 3)
	if err != nil || len(hits) != 3 {
		t.Errorf("Search(first 3) = %d hits, %v", len(hits), err)
	}
}

// Search ranks in tiers: entities matching every word (exactly or as a
// prefix) score from 1 up; the loose phase's hits (under 1) appear only when
// no entity matches every word; an exact name or alias scores from 2 up.
func TestSearchTiers(t *testing.T) {
	st := neo4jtest.Store(t)
	ctx := ctxT(t)
	tests := []struct {
		query     string
		first     int
		wantExact string // id that must score 2 or more, if any
		wantLoose bool   // whether hits under 1 must appear
	}{
		{"PolyU", 10, "polyu", false},
		{"Hong Kong", 3, "", false},
		{"Polytechnc", 10, "", true},                   // misspelled: nothing matches every word
		{"Polytechnic University Zzyzx", 10, "", true}, // one word matches nothing
		{"Chung Kwok Fai", 10, "", false},              // one entity has every word; others are not padded in
		{"Kwok-fai Chung", 10, "kwok-fai-chung", false},
		{"Kwok-fai Chnug", 10, "", true},
		{"The University of Hong Kong", 10, "", false}, // stop words are not required
		{"name:polyu", 10, "", false},                  // a field name typed is not required
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			hits, err := st.Search(ctx, tt.query, nil, tt.first)
			if err != nil {
				t.Fatalf("Search(%q): %v", tt.query, err)
			}
			tokens := store.SearchTokens(tt.query)
			optional := store.OptionalWords(tt.query)
			strict, loose := 0, 0
			for i, h := range hits {
				if i > 0 && h.Score > hits[i-1].Score {
					t.Errorf("hits not ordered by score: %v", hitIDs(hits))
				}
				if h.Score < 0 || h.Score > 3 {
					t.Errorf("hit %s scores %v, outside 0..3", h.Entity.ID, h.Score)
				}
				words := store.SearchTokens(strings.Join(append([]string{h.Entity.Name, h.Entity.Description}, h.Entity.Aliases...), " "))
				all := true
				for _, tok := range tokens {
					if optional[tok] {
						continue
					}
					found := false
					for _, w := range words {
						if strings.HasPrefix(w, tok) {
							found = true
							break
						}
					}
					all = all && found
				}
				if h.Score >= 1 {
					strict++
					if !all {
						t.Errorf("hit %s scores %v but lacks some of %q", h.Entity.ID, h.Score, tokens)
					}
				} else {
					loose++
				}
				if h.Entity.ID == tt.wantExact && h.Score < 2 {
					t.Errorf("exact name %s scores %v, want 2 or more", h.Entity.ID, h.Score)
				}
			}
			if loose > 0 && strict > 0 {
				t.Errorf("%d loose hits although %d hits match every word", loose, strict)
			}
			if tt.wantLoose != (loose > 0) {
				t.Errorf("loose hits = %d, want some: %v (hits %v)", loose, tt.wantLoose, hitIDs(hits))
			}
			if tt.wantExact != "" && (len(hits) == 0 || hits[0].Entity.ID != tt.wantExact) {
				t.Errorf("rank 1 = %v, want %s", hitIDs(hits), tt.wantExact)
			}
		})
	}
}

func hitIDs(hs []kg.SearchHit) []string {
	out := make([]string, 0, len(hs))
	for _, h := range hs {
		out = append(out, h.Entity.ID)
	}
	return out
}

// Lucene syntax typed by a user is text: it never reaches the query parser
// as syntax and never causes an error.
func TestSearchLuceneMetacharacters(t *testing.T) {
	st := neo4jtest.Store(t)
	ctx := ctxT(t)
	tests := []struct {
		query   string
		wantHit string // an id expected among the hits, "" for none required
	}{
		{`"polyu) AND (`, "polyu"},
		{`polyu*`, "polyu"},
		{`polyu~`, "polyu"},
		{`polyu\`, "polyu"},
		{`[polyu TO hkust]`, "polyu"},
		{`polyu OR`, "polyu"},
		{`NOT polyu`, "polyu"},
		{`name:polyu`, "polyu"},
		{`polyu^100`, "polyu"},
		{`(cas || most) && !hkust`, "cas"},
		{`+cas -most`, "cas"},
		{`{cas}`, "cas"},
		{`cas/most`, "cas"},
		{`OR`, ""},
		{`NOT`, ""},
		{`AND OR NOT TO`, ""},
		{`a`, ""},
		{strings.Repeat("polyu ", 30), "polyu"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			hits, err := st.Search(ctx, tt.query, nil, 10)
			if err != nil {
				t.Fatalf("Search(%q) failed: %v", tt.query, err)
			}
			if tt.wantHit != "" && !contains(hitIDs(hits), tt.wantHit) {
				t.Errorf("Search(%q) = %v, want %s among the hits", tt.query, hitIDs(hits), tt.wantHit)
			}
		})
	}
	for _, q := range []string{"", "   ", "*", "~", `\`, "[", `"`, "()", "&&||!", "’'", "***???"} {
		t.Run("no words "+q, func(t *testing.T) {
			_, err := st.Search(ctx, q, nil, 10)
			wantCode(t, err, kg.CodeInvalid, "query")
		})
	}
	_, err := st.Search(ctx, strings.Repeat("x", kg.MaxSearchText+1), nil, 10)
	wantCode(t, err, kg.CodeInvalid, "query")
}
