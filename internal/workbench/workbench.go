// Package workbench takes a new article to curated facts (issue 22): it
// checks and stores a document with its digest, runs the analyser
// (internal/ingest) over it with a dictionary of the current graph, and
// stores the mentions and suggestions for review. Accepting and rejecting
// suggestions are the store's (store.AcceptSuggestion, RejectSuggestion).
//
// Offsets: the analyser counts bytes; everything stored and shown counts
// Unicode code points, half-open [start, end).
package workbench

import (
	"context"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/innograph/innograph/internal/ingest"
	"github.com/innograph/innograph/internal/kg"
	"github.com/innograph/innograph/internal/store"
	"github.com/innograph/innograph/seed"
)

// DefaultMaxBytes is the default bound on an ingested document's text.
const DefaultMaxBytes = 1 << 20

// Limits on a document's description.
const (
	MaxTitleLen = 500
	MaxFieldLen = 300
	MaxURLLen   = 2000
)

// Store is what the workbench needs from the database.
type Store interface {
	AllEntities(ctx context.Context) ([]kg.Entity, error)
	SourceByDigest(ctx context.Context, digest string) (*kg.Source, error)
	SourceText(ctx context.Context, id string) (string, error)
	IngestKey(ctx context.Context, key, digest string) error
	SaveIngest(ctx context.Context, src kg.Source, text string, mentions []store.MentionRec, suggestions []store.SuggestionRec) (store.IngestResult, error)
	GraphVersion() (int64, bool)
}

// Service ingests documents. Its dictionary of the graph's entities is
// built on first use and rebuilt when the graph version moves on.
type Service struct {
	// Store is the database.
	Store Store
	// MaxBytes bounds a document's text (INGEST_MAX_BYTES); 0 means
	// DefaultMaxBytes.
	MaxBytes int

	mu          sync.Mutex
	dict        *ingest.Dictionary
	dictVersion int64
}

// Document is a document to ingest (kg.IngestDocument).
type Document = kg.IngestDocument

// Result is what Ingest did (kg.IngestResult).
type Result = kg.IngestResult

func (s *Service) maxBytes() int {
	if s.MaxBytes > 0 {
		return s.MaxBytes
	}
	return DefaultMaxBytes
}

// Check refuses a document the workbench does not take, with a
// BAD_USER_INPUT error naming the problem (and the input field).
func Check(d Document, maxBytes int) error {
	if strings.TrimSpace(d.Title) == "" {
		return kg.InvalidArg("input.title", "a document needs a title")
	}
	for _, f := range []struct {
		field, v string
		max      int
	}{{"input.title", d.Title, MaxTitleLen}, {"input.publisher", d.Publisher, MaxFieldLen}, {"input.author", d.Author, MaxFieldLen}, {"input.url", d.URL, MaxURLLen}} {
		if len(f.v) > f.max {
			return kg.InvalidArg(f.field, "%d bytes; at most %d", len(f.v), f.max)
		}
		if err := kg.CheckText(f.field, f.v); err != nil {
			return err
		}
		if strings.ContainsAny(f.v, "\n\r\t") {
			return kg.InvalidArg(f.field, "one line: no line breaks or tabs")
		}
	}
	if d.URL != "" {
		u, err := url.Parse(d.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return kg.InvalidArg("input.url", "%q is not an http(s) address; give one such as https://www.example.org/news/1", truncate(d.URL, 80))
		}
	}
	if len(d.Text) > maxBytes {
		return &kg.Error{Code: kg.CodeInvalid, Field: "input.text", Message: fmt.Sprintf("the text is %d bytes; at most %d are taken (INGEST_MAX_BYTES)", len(d.Text), maxBytes)}
	}
	if !utf8.ValidString(d.Text) {
		i := 0
		for i < len(d.Text) {
			r, n := utf8.DecodeRuneInString(d.Text[i:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			i += n
		}
		return kg.InvalidArg("input.text", "the text is not valid UTF-8 (at byte %d); send plain text in UTF-8", i)
	}
	for i, r := range d.Text {
		if r != '\n' && r != '\t' && (unicode.IsControl(r) || r == '\uFEFF' && i > 0) {
			return kg.InvalidArg("input.text", "the text contains the control character U+%04X at byte %d; only line feeds and tabs are taken (convert CRLF line ends to LF)", r, i)
		}
	}
	if strings.TrimSpace(d.Text) == "" {
		return kg.InvalidArg("input.text", "the text is empty")
	}
	return nil
}

// Ingest checks d, reserves the idempotency key for its text when key is
// set (the same key for another text is a CONFLICT), stores d as a source
// (the one that already has its digest, if any) and stores the analysis of
// its text.
func (s *Service) Ingest(ctx context.Context, d Document, key string) (Result, error) {
	if err := Check(d, s.maxBytes()); err != nil {
		return Result{}, err
	}
	d.Text = strings.TrimPrefix(d.Text, "\uFEFF")
	digest := DigestOf(d.Text)
	if key != "" {
		if err := s.Store.IngestKey(ctx, key, digest); err != nil {
			return Result{}, err
		}
	}
	src := kg.Source{ID: store.IngestedSourceID(digest), Title: kg.CollapseSpace(d.Title), Publisher: kg.CollapseSpace(d.Publisher),
		Author: kg.CollapseSpace(d.Author), URL: d.URL, Published: d.Published, Digest: digest}
	for attempt := 0; ; attempt++ {
		old, err := s.Store.SourceByDigest(ctx, digest)
		if err != nil {
			return Result{}, err
		}
		text := d.Text
		if old != nil {
			// The source keeps its description and the text first stored
			// (this one differs in white space at most): offsets refer to it.
			src = *old
			stored, err := s.Store.SourceText(ctx, src.ID)
			if err != nil {
				return Result{}, err
			}
			if stored != "" {
				text = stored
			}
		}
		dict, err := s.dictionary(ctx)
		if err != nil {
			return Result{}, err
		}
		a, err := dict.Analyse(ctx, ingest.Document{Text: text, Published: src.Published, SourceID: src.ID})
		if err != nil {
			return Result{}, err
		}
		mentions, suggestions := Records(a, text, src.ID)
		res, err := s.Store.SaveIngest(ctx, src, text, mentions, suggestions)
		if kg.ErrorCode(err) == kg.CodeConflict && attempt == 0 {
			continue // another request stored the document meanwhile
		}
		return res, err
	}
}

// DigestOf is the digest of a document's text, as seed files record it
// (seed.Digest), a leading byte order mark aside.
func DigestOf(text string) string { return seed.Digest(strings.TrimPrefix(text, "\uFEFF")) }

// dictionary returns the dictionary of the graph's entities, rebuilt when
// the graph version moved on (always, when the version is not known).
func (s *Service) dictionary(ctx context.Context) (*ingest.Dictionary, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.Store.GraphVersion()
	if ok && s.dict != nil && v == s.dictVersion {
		return s.dict, nil
	}
	es, err := s.Store.AllEntities(ctx)
	if err != nil {
		return nil, err
	}
	d, err := ingest.New(es)
	if err != nil {
		return nil, err
	}
	if ok {
		s.dict, s.dictVersion = d, v
	}
	return d, nil
}

// Records converts an analysis of text to what the store keeps: offsets in
// code points, suggestions keyed by their fingerprints.
func Records(a *ingest.Analysis, text, sourceID string) ([]store.MentionRec, []store.SuggestionRec) {
	cp := codePoints(text)
	var mentions []store.MentionRec
	for _, m := range a.Mentions {
		var ids []string
		for _, c := range m.Candidates {
			ids = append(ids, c.EntityID)
		}
		mentions = append(mentions, store.MentionRec{Start: cp(m.Span.Start), End: cp(m.Span.End), Text: m.Span.Text(text), EntityIDs: ids})
	}
	// New entities first, so that ends can refer to them.
	newEntity := map[string]string{} // folded name -> suggestion id
	var out []store.SuggestionRec
	seen := map[string]bool{}
	add := func(sg ingest.Suggestion, kind, fp string, p store.Proposal) {
		fp = kind + "|" + fp + "|" + fmt.Sprint(cp(sg.Span.Start), "-", cp(sg.Span.End))
		id := store.SuggestionID(sourceID, fp)
		if seen[id] {
			return
		}
		seen[id] = true
		out = append(out, store.SuggestionRec{ID: id, SourceID: sourceID, Fingerprint: fp, Kind: kind, Status: store.SuggestionOpen,
			Confidence: sg.Confidence, Quote: sg.Quote, Text: sg.Span.Text(text), Start: cp(sg.Span.Start), End: cp(sg.Span.End), Claim: sg.Status, Proposal: p})
	}
	for _, sg := range a.Suggestions {
		if sg.Type == ingest.SuggestEntity && sg.NewEntity != nil {
			n := sg.NewEntity
			fp := ingest.Fold(n.Name)
			add(sg, store.SuggestionEntity, fp, store.Proposal{Name: n.Name, EntityKind: n.Kind, Aliases: n.Aliases})
			if _, ok := newEntity[fp]; !ok {
				newEntity[fp] = out[len(out)-1].ID
			}
		}
	}
	end := func(e ingest.End) store.ProposalEnd {
		pe := store.ProposalEnd{Text: e.Span.Text(text), Start: cp(e.Span.Start), End: cp(e.Span.End)}
		for _, c := range e.Candidates {
			pe.Candidates = append(pe.Candidates, c.EntityID)
		}
		if e.NewName != "" {
			pe.Suggestion = newEntity[ingest.Fold(e.NewName)]
		}
		return pe
	}
	endKey := func(e ingest.End) string { return ingest.Fold(e.Span.Text(text)) }
	for _, sg := range a.Suggestions {
		switch {
		case sg.Type == ingest.SuggestAlias && sg.Alias != nil:
			add(sg, store.SuggestionAlias, sg.Alias.EntityID+"|"+ingest.Fold(sg.Alias.Alias), store.Proposal{EntityID: sg.Alias.EntityID, Alias: sg.Alias.Alias})
		case sg.Type == ingest.SuggestRelationship && sg.Relationship != nil:
			r := sg.Relationship
			from, to := end(r.From), end(r.To)
			p := store.Proposal{RelType: r.Type, From: &from, To: &to, Role: r.Role}
			if r.On != nil {
				p.On = r.On.String()
			}
			add(sg, store.SuggestionRelationship, string(r.Type)+"|"+endKey(r.From)+"|"+endKey(r.To), p)
		case sg.Type == ingest.SuggestFunding && sg.Funding != nil:
			f := sg.Funding
			amount := f.Amount
			p := store.Proposal{Amount: &amount}
			fp := f.Amount.Value + " " + f.Amount.Currency
			if f.Funder != nil {
				e := end(*f.Funder)
				p.Funder = &e
				fp += "|" + endKey(*f.Funder)
			}
			var rs []string
			for _, r := range f.Recipients {
				p.Recipients = append(p.Recipients, end(r))
				rs = append(rs, endKey(r))
			}
			sort.Strings(rs)
			fp += "|" + strings.Join(rs, ",")
			if f.On != nil {
				p.On = f.On.String()
			}
			add(sg, store.SuggestionFunding, fp, p)
		}
	}
	return mentions, out
}

// codePoints returns a function from a byte offset of text to its code
// point offset.
func codePoints(text string) func(int) int {
	idx := make([]int32, len(text)+1)
	n := int32(0)
	for i := range text {
		idx[i] = n
		n++
	}
	idx[len(text)] = n
	// Offsets inside a rune (none from the analyser) map to the rune's start.
	for i := 1; i < len(text); i++ {
		if !utf8.RuneStart(text[i]) {
			idx[i] = idx[i-1]
		}
	}
	return func(b int) int {
		if b < 0 {
			return 0
		}
		if b > len(text) {
			b = len(text)
		}
		return int(idx[b])
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// Backend is what the GraphQL workbench resolvers read and write through
// (graph.Workbench): the store's workbench records and decisions, and
// ingestion by the service.
type Backend struct {
	*store.Store
	Service *Service
}

// Ingest ingests d through the service (Service.Ingest).
func (b Backend) Ingest(ctx context.Context, d kg.IngestDocument, key string) (kg.IngestResult, error) {
	return b.Service.Ingest(ctx, d, key)
}
