// Package seed holds innograph's curated graph (data/*.yaml, one file per
// source document) and the parser that turns seed files into validated kg
// values, reporting every problem with its file and line.
//
// The format is documented in README.md beside this file.
package seed

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/innograph/innograph/internal/kg"
)

// Data is the curated seed graph shipped with innograph.
//
//go:embed all:data
var Data embed.FS

// Graph is a parsed, merged set of seed files.
type Graph = kg.Graph

// Problem is one validation error at a place in a seed file.
type Problem struct {
	File string
	Line int
	Msg  string
}

// String formats the problem as file:line: message.
func (p Problem) String() string { return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Msg) }

// Problems is a list of validation errors; it is an error when not empty.
type Problems []Problem

// Error lists every problem, one per line.
func (ps Problems) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d problem(s) in the seed files:", len(ps))
	for _, p := range ps {
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	return b.String()
}

// File is one seed file's raw content.
type File struct {
	Name string
	Data []byte
}

// EmbeddedFiles returns the seed files shipped in the binary, sorted by name.
func EmbeddedFiles() ([]File, error) {
	return readFS(Data, "data")
}

// ReadFiles reads seed files from paths; a directory contributes its *.yaml files.
func ReadFiles(paths []string) ([]File, error) {
	var files []File
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if st.IsDir() {
			fs, err := readFS(os.DirFS(p), ".")
			if err != nil {
				return nil, err
			}
			for i := range fs {
				fs[i].Name = filepath.Join(p, fs[i].Name)
			}
			files = append(files, fs...)
			continue
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		files = append(files, File{Name: p, Data: b})
	}
	return files, nil
}

func readFS(fsys fs.FS, dir string) ([]File, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	var files []File
	for _, e := range entries {
		if e.IsDir() || !(strings.HasSuffix(e.Name(), ".yaml") || strings.HasSuffix(e.Name(), ".yml")) {
			continue
		}
		b, err := fs.ReadFile(fsys, pathJoin(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		files = append(files, File{Name: pathJoin(dir, e.Name()), Data: b})
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	return files, nil
}

func pathJoin(dir, name string) string {
	if dir == "." || dir == "" {
		return name
	}
	return dir + "/" + name
}

// Raw YAML shapes. Each keeps the node it came from for line numbers.

type rawFile struct {
	Source        rawSource   `yaml:"source"`
	Entities      []yaml.Node `yaml:"entities"`
	Relationships []yaml.Node `yaml:"relationships"`
	Fundings      []yaml.Node `yaml:"fundings"`
}

type rawSource struct {
	ID        string `yaml:"id"`
	File      string `yaml:"file"`
	Title     string `yaml:"title"`
	Publisher string `yaml:"publisher"`
	Author    string `yaml:"author"`
	Published string `yaml:"published"`
	URL       string `yaml:"url"`
	Digest    string `yaml:"digest"`
}

type rawEntity struct {
	ID          string   `yaml:"id"`
	Ref         string   `yaml:"ref"`
	Kind        string   `yaml:"kind"`
	Name        string   `yaml:"name"`
	Aliases     []string `yaml:"aliases"`
	Description string   `yaml:"description"`
}

type rawRel struct {
	From  string `yaml:"from"`
	Type  string `yaml:"type"`
	To    string `yaml:"to"`
	Role  string `yaml:"role"`
	Since string `yaml:"since"`
	Until string `yaml:"until"`
	On    string `yaml:"on"`
	Key   string `yaml:"key"`
	Quote string `yaml:"quote"`
	// Status and AttributedTo describe the claim (see evidence).
	Status       string `yaml:"status"`
	AttributedTo string `yaml:"attributedTo"`
}

type rawFunding struct {
	ID             string   `yaml:"id"`
	Funder         string   `yaml:"funder"`
	Recipients     []string `yaml:"recipients"`
	AdministeredBy string   `yaml:"administeredBy"`
	Programme      string   `yaml:"programme"`
	Amount         string   `yaml:"amount"`
	Currency       string   `yaml:"currency"`
	AmountNote     string   `yaml:"amountNote"`
	Since          string   `yaml:"since"`
	Until          string   `yaml:"until"`
	On             string   `yaml:"on"`
	Purpose        string   `yaml:"purpose"`
	Quote          string   `yaml:"quote"`
	Status         string   `yaml:"status"`
	AttributedTo   string   `yaml:"attributedTo"`
}

type place struct {
	file string
	line int
}

// Existing is what a Parser needs to know of the graph that files are
// loaded into (Parser.Existing).
type Existing interface {
	// Entity returns the kind and name of the entity with id, if the graph
	// has one.
	Entity(id string) (kind kg.Kind, name string, ok bool)
	// MergedInto returns the id of the entity that id was merged into, or "".
	MergedInto(id string) string
	// NameOwner returns the id of the entity with the name key (kg.NameKey)
	// among its name and aliases, or "".
	NameOwner(key string) string
	// Source returns the graph's source with id, if it has one.
	Source(id string) (kg.Source, bool)
}

// Parser accumulates seed files into one Graph. Use Add for each file, then Finish.
type Parser struct {
	// Docs maps a source document file name to its text; when set, every
	// quote must occur in its document (white space collapsed).
	Docs map[string]string
	// Known resolves ids that are not defined in the parsed files (for
	// example, entities already in the database when loading new files).
	Known func(id string) bool
	// Existing, when set, is the graph the files are to be loaded into. Its
	// entities resolve ids as Known does, and the files may not redefine
	// one of its entities or sources differently, give an entity a name or
	// alias that another of its entities has, or use an id that was merged
	// into another entity.
	Existing Existing

	problems  Problems
	sources   map[string]*kg.Source
	srcPlace  map[string]place
	entities  map[string]*kg.Entity
	entPlace  map[string]place
	entOrder  []string
	refs      []refUse
	rels      map[string]*kg.Relationship
	relPlace  map[string]place
	relOrder  []string
	fundings  map[string]*kg.Funding
	fundPlace map[string]place
	fundOrder []string
	endpoints []endpointUse
	mentions  []kg.Mention
	names     map[string]string // NameKey -> entity id
	namePlace map[string]place
}

type refUse struct {
	id      string
	source  string
	aliases []string
	at      place
}

type endpointUse struct {
	id    string
	field string
	at    place
}

// NewParser returns an empty Parser.
func NewParser() *Parser {
	return &Parser{
		sources: map[string]*kg.Source{}, srcPlace: map[string]place{},
		entities: map[string]*kg.Entity{}, entPlace: map[string]place{},
		rels: map[string]*kg.Relationship{}, relPlace: map[string]place{},
		fundings: map[string]*kg.Funding{}, fundPlace: map[string]place{},
		names: map[string]string{}, namePlace: map[string]place{},
	}
}

func (p *Parser) errf(at place, format string, args ...any) {
	p.problems = append(p.problems, Problem{File: at.file, Line: at.line, Msg: fmt.Sprintf(format, args...)})
}

func (p *Parser) kgErr(at place, what string, err error) {
	p.errf(at, "%s: %s", what, kg.ErrorMessage(err))
}

// Add parses one seed file.
func (p *Parser) Add(f File) {
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(f.Data))
	if err := dec.Decode(&doc); err != nil && !errors.Is(err, io.EOF) {
		line := 1
		msg := err.Error()
		if _, after, ok := strings.Cut(msg, "line "); ok {
			fmt.Sscanf(after, "%d", &line)
		}
		p.errf(place{f.Name, line}, "not valid YAML: %s", strings.TrimPrefix(msg, "yaml: "))
		return
	}
	if line, ok := secondDocument(dec, f.Data, &doc); ok {
		p.errf(place{f.Name, line}, "a second YAML document starts here; one YAML document per file (remove the --- or ... that separates it, or move what follows into a file of its own)")
	}
	if len(doc.Content) == 0 {
		p.errf(place{f.Name, 1}, "empty seed file")
		return
	}
	root := doc.Content[0]
	p.checkKeys(f.Name, root, "file", "source", "entities", "relationships", "fundings")
	var raw rawFile
	if err := root.Decode(&raw); err != nil {
		p.errf(place{f.Name, root.Line}, "wrong structure: %s", strings.TrimPrefix(err.Error(), "yaml: "))
		return
	}
	srcNode := mapValue(root, "source")
	srcAt := place{f.Name, 1}
	if srcNode != nil {
		srcAt.line = srcNode.Line
		p.checkKeys(f.Name, srcNode, "source", "id", "file", "title", "publisher", "author", "published", "url", "digest")
	}
	src, ok := p.addSource(srcAt, raw.Source)
	if !ok {
		return
	}
	for i := range raw.Entities {
		p.addEntity(f.Name, &raw.Entities[i], src)
	}
	for i := range raw.Relationships {
		p.addRel(f.Name, &raw.Relationships[i], src)
	}
	for i := range raw.Fundings {
		p.addFunding(f.Name, &raw.Fundings[i], src)
	}
}

// secondDocument returns the line of the "---" that starts a second YAML
// document in data, whose first document d has decoded into first; a
// single decode reads the first alone and ignores the rest, valid or not.
func secondDocument(d *yaml.Decoder, data []byte, first *yaml.Node) (int, bool) {
	var doc yaml.Node
	err := d.Decode(&doc)
	switch {
	case errors.Is(err, io.EOF):
		return 0, false
	case err == nil:
		return doc.Line, true // a document node's line is its ---
	}
	// The rest is not valid YAML either: find its --- after the first
	// document's content, else give the line of the error.
	after := first.Line
	if len(first.Content) > 0 {
		after = first.Content[0].Line
	}
	for i, text := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(text, "---"); ok && i+1 > after && (rest == "" || rest[0] == ' ' || rest[0] == '\t' || rest[0] == '\r') {
			return i + 1, true
		}
	}
	line := 1
	if _, rest, ok := strings.Cut(err.Error(), "line "); ok {
		fmt.Sscanf(rest, "%d", &line)
	}
	return line, true
}

func mapValue(n *yaml.Node, key string) *yaml.Node {
	if n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

func (p *Parser) checkKeys(file string, n *yaml.Node, what string, allowed ...string) {
	if n.Kind != yaml.MappingNode {
		p.errf(place{file, n.Line}, "%s must be a mapping of keys to values", what)
		return
	}
	ok := map[string]bool{}
	for _, a := range allowed {
		ok[a] = true
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i].Value; !ok[k] {
			p.errf(place{file, n.Content[i].Line}, "unknown key %q in %s (allowed: %s)", k, what, strings.Join(allowed, ", "))
		}
	}
}

func (p *Parser) addSource(at place, r rawSource) (string, bool) {
	if r.ID == "" {
		p.errf(at, "source.id is required")
		return "", false
	}
	if !kg.ValidID(r.ID) {
		p.errf(at, "source.id %q is not a lowercase slug", r.ID)
		return "", false
	}
	if prev, dup := p.srcPlace[r.ID]; dup {
		p.errf(at, "duplicate source id %q (first defined at %s:%d)", r.ID, prev.file, prev.line)
		return "", false
	}
	if r.Title == "" {
		p.errf(at, "source.title is required")
	}
	if r.URL != "" && !webAddress(r.URL) {
		p.errf(at, "source.url %q is not a web address: want an absolute http:// or https:// URL (pages link to it)", r.URL)
	}
	s := &kg.Source{ID: r.ID, File: r.File, Title: r.Title, Publisher: r.Publisher, Author: r.Author, URL: r.URL, Digest: r.Digest}
	if r.Published != "" {
		d, err := kg.ParseDate(r.Published)
		if err != nil {
			p.kgErr(at, "source.published", err)
		} else {
			s.Published = &d
		}
	}
	if p.Existing != nil {
		if old, ok := p.Existing.Source(r.ID); ok && !sameSource(old, *s) {
			p.errf(at, "source %q is already in the graph, titled %q; a file cannot redefine it: keep its fields as they are, or give this source another id",
				r.ID, old.Title)
		}
	}
	if r.Digest != "" && !validDigest(r.Digest) {
		p.errf(at, "source.digest %q is not a digest: want sha256: and 64 lowercase hex digits (innograph digest FILE prints it)", r.Digest)
	}
	if p.Docs != nil {
		if r.File == "" {
			p.errf(at, "source.file is required: the document the quotes come from")
		} else if text, ok := p.Docs[r.File]; !ok {
			p.errf(at, "source.file %q is not among the source documents", r.File)
		} else if got := Digest(text); r.Digest != "" && validDigest(r.Digest) && got != r.Digest {
			p.errf(at, "source document %s does not match source.digest: the file is %s, the seed expects %s; it is another text or another version of it, so no quote is checked against it (point SEED_DOCS at the folder of the original documents)",
				r.File, got, r.Digest)
		}
	}
	p.sources[r.ID] = s
	p.srcPlace[r.ID] = at
	return r.ID, true
}

// webAddress reports whether s is an absolute http or https URL with a host.
func webAddress(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && !strings.ContainsAny(s, " \t\r\n")
}

// sameSource reports whether two sources have the same fields.
func sameSource(a, b kg.Source) bool {
	return a.ID == b.ID && a.File == b.File && a.Title == b.Title && a.Publisher == b.Publisher &&
		a.Author == b.Author && a.URL == b.URL && dateText(a.Published) == dateText(b.Published)
}

func dateText(d *kg.Date) string {
	if d == nil {
		return ""
	}
	return d.String()
}

func (p *Parser) claimName(name, id string, at place) {
	k := kg.NameKey(name)
	if k == "" {
		return
	}
	if p.Existing != nil {
		if owner := p.Existing.NameOwner(k); owner != "" && owner != id {
			p.errf(at, "name or alias %q of %q is already a name or alias of %q in the graph", name, id, owner)
			return
		}
	}
	if other, ok := p.names[k]; ok && other != id {
		prev := p.namePlace[k]
		p.errf(at, "name or alias %q of %q collides with a name or alias of %q (%s:%d)", name, id, other, prev.file, prev.line)
		return
	}
	p.names[k] = id
	p.namePlace[k] = at
}

func (p *Parser) addEntity(file string, n *yaml.Node, src string) {
	at := place{file, n.Line}
	p.checkKeys(file, n, "entity", "id", "ref", "kind", "name", "aliases", "description")
	var r rawEntity
	if err := n.Decode(&r); err != nil {
		p.errf(at, "entity: %s", strings.TrimPrefix(err.Error(), "yaml: "))
		return
	}
	switch {
	case r.Ref != "" && r.ID != "":
		p.errf(at, "an entity entry has either id (a definition) or ref (a reference), not both")
		return
	case r.Ref != "":
		if r.Kind != "" || r.Name != "" || r.Description != "" {
			p.errf(at, "reference %q may only add aliases; kind, name and description belong to the definition", r.Ref)
		}
		for _, a := range r.Aliases {
			if err := kg.CheckText("aliases", a); err != nil {
				p.kgErr(at, "reference "+r.Ref, err)
			}
		}
		p.refs = append(p.refs, refUse{id: r.Ref, source: src, aliases: r.Aliases, at: at})
		return
	case r.ID == "":
		p.errf(at, "entity entry needs id (definition) or ref (reference to an entity defined elsewhere)")
		return
	}
	if prev, dup := p.entPlace[r.ID]; dup {
		p.errf(at, "duplicate entity id %q (first defined at %s:%d); use ref: %s to mention it again", r.ID, prev.file, prev.line, r.ID)
		return
	}
	kind, err := kg.ParseKind(r.Kind)
	if err != nil {
		p.kgErr(at, "kind", err)
		return
	}
	e := &kg.Entity{ID: r.ID, Kind: kind, Name: strings.TrimSpace(r.Name), Aliases: trimAll(r.Aliases),
		Description: strings.TrimSpace(r.Description), Sources: []string{src}}
	if err := e.Validate(); err != nil {
		p.kgErr(at, "entity "+r.ID, err)
		return
	}
	if p.Existing != nil {
		if into := p.Existing.MergedInto(r.ID); into != "" {
			p.errf(at, "entity id %q was merged into %q and cannot be defined again; use ref: %s", r.ID, into, into)
			return
		}
		if kind, name, ok := p.Existing.Entity(r.ID); ok && (kind != e.Kind || name != e.Name) {
			p.errf(at, "entity %q is already in the graph as %s %q; a file cannot redefine it: change it with the updateEntity mutation (which keeps the audit log), or choose another id",
				r.ID, kind, name)
			return
		}
	}
	p.entities[r.ID] = e
	p.entPlace[r.ID] = at
	p.entOrder = append(p.entOrder, r.ID)
	p.claimName(e.Name, e.ID, at)
	for _, a := range e.Aliases {
		p.claimName(a, e.ID, at)
	}
}

func trimAll(ss []string) []string {
	out := make([]string, 0, len(ss))
	for _, s := range ss {
		out = append(out, strings.TrimSpace(s))
	}
	return out
}

func (p *Parser) parseDate(at place, field, s string) *kg.Date {
	if s == "" {
		return nil
	}
	d, err := kg.ParseDate(s)
	if err != nil {
		p.kgErr(at, field, err)
		return nil
	}
	return &d
}

func (p *Parser) checkQuote(at place, src, quote string) {
	if strings.TrimSpace(quote) == "" {
		p.errf(at, "missing provenance: quote is required")
		return
	}
	if p.Docs == nil {
		return
	}
	s := p.sources[src]
	doc, ok := p.Docs[s.File]
	if !ok {
		return // reported on the source
	}
	if !strings.Contains(doc, kg.CollapseSpace(quote)) {
		p.errf(at, "quote does not occur verbatim in %s: %q", s.File, truncate(quote, 100))
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

func (p *Parser) addRel(file string, n *yaml.Node, src string) {
	at := place{file, n.Line}
	p.checkKeys(file, n, "relationship", "from", "type", "to", "role", "since", "until", "on", "key", "quote",
		"status", "attributedTo")
	var r rawRel
	if err := n.Decode(&r); err != nil {
		p.errf(at, "relationship: %s", strings.TrimPrefix(err.Error(), "yaml: "))
		return
	}
	t, err := kg.ParseRelType(r.Type)
	if err != nil {
		p.kgErr(at, "type", err)
		return
	}
	rel := &kg.Relationship{Type: t, From: r.From, To: r.To, Role: strings.TrimSpace(r.Role),
		Since: p.parseDate(at, "since", r.Since), Until: p.parseDate(at, "until", r.Until), On: p.parseDate(at, "on", r.On),
		Evidence: []kg.Evidence{p.evidence(at, src, r.Quote, r.Status, r.AttributedTo)}}
	p.checkQuote(at, src, r.Quote)
	if r.Quote == "" || rel.Evidence[0].Status == "" {
		return
	}
	if err := rel.Validate(); err != nil {
		p.kgErr(at, "relationship", err)
		return
	}
	rel.ID = kg.RelationshipID(r.From, t, r.To, r.Key)
	p.endpoints = append(p.endpoints, endpointUse{r.From, "from", at}, endpointUse{r.To, "to", at})
	if a := rel.Evidence[0].AttributedTo; a != "" {
		p.endpoints = append(p.endpoints, endpointUse{a, "attributedTo", at})
	}
	if prev, ok := p.rels[rel.ID]; ok {
		p.mergeRel(at, prev, rel)
		return
	}
	p.rels[rel.ID] = rel
	p.relPlace[rel.ID] = at
	p.relOrder = append(p.relOrder, rel.ID)
}

func (p *Parser) mergeRel(at place, prev, rel *kg.Relationship) {
	first := p.relPlace[prev.ID]
	conflict := func(field, a, b string) {
		p.errf(at, "relationship %s restates %s as %q but %s:%d says %q; use key: to make them two relationships",
			prev.ID, field, b, first.file, first.line, a)
	}
	if rel.Role != "" {
		if prev.Role == "" {
			prev.Role = rel.Role
		} else if !strings.EqualFold(prev.Role, rel.Role) {
			conflict("role", prev.Role, rel.Role)
		}
	}
	for _, pair := range []struct {
		name string
		a    **kg.Date
		b    *kg.Date
	}{{"since", &prev.Since, rel.Since}, {"until", &prev.Until, rel.Until}, {"on", &prev.On, rel.On}} {
		if pair.b == nil {
			continue
		}
		if *pair.a == nil {
			*pair.a = pair.b
		} else if **pair.a != *pair.b {
			conflict(pair.name, (*pair.a).String(), pair.b.String())
		}
	}
	for _, ev := range prev.Evidence {
		if ev.SourceID == rel.Evidence[0].SourceID && ev.Quote == rel.Evidence[0].Quote {
			p.errf(at, "relationship %s repeats the same quote (first at %s:%d)", prev.ID, first.file, first.line)
			return
		}
	}
	prev.Evidence = append(prev.Evidence, rel.Evidence...)
}

func (p *Parser) addFunding(file string, n *yaml.Node, src string) {
	at := place{file, n.Line}
	p.checkKeys(file, n, "funding", "id", "funder", "recipients", "administeredBy", "programme", "amount", "currency",
		"amountNote", "since", "until", "on", "purpose", "quote", "status", "attributedTo")
	var r rawFunding
	if err := n.Decode(&r); err != nil {
		p.errf(at, "funding: %s", strings.TrimPrefix(err.Error(), "yaml: "))
		return
	}
	f := &kg.Funding{ID: r.ID, Funder: r.Funder, Recipients: r.Recipients, AdministeredBy: r.AdministeredBy,
		Programme: r.Programme, Purpose: strings.TrimSpace(r.Purpose),
		Since: p.parseDate(at, "since", r.Since), Until: p.parseDate(at, "until", r.Until), On: p.parseDate(at, "on", r.On),
		Evidence: []kg.Evidence{p.evidence(at, src, r.Quote, r.Status, r.AttributedTo)}}
	if r.Amount != "" || r.Currency != "" {
		m, err := kg.ParseMoney(r.Amount, r.Currency)
		if err != nil {
			p.kgErr(at, "amount", err)
			return
		}
		m.Note = strings.TrimSpace(r.AmountNote)
		f.Amount = &m
	}
	p.checkQuote(at, src, r.Quote)
	if r.Quote == "" || f.Evidence[0].Status == "" {
		return
	}
	if err := f.Validate(); err != nil {
		p.kgErr(at, "funding "+r.ID, err)
		return
	}
	if prev, dup := p.fundPlace[f.ID]; dup {
		p.errf(at, "duplicate funding id %q (first defined at %s:%d)", f.ID, prev.file, prev.line)
		return
	}
	p.fundings[f.ID] = f
	p.fundPlace[f.ID] = at
	p.fundOrder = append(p.fundOrder, f.ID)
	p.endpoints = append(p.endpoints, endpointUse{f.Funder, "funder", at})
	for _, r := range f.Recipients {
		p.endpoints = append(p.endpoints, endpointUse{r, "recipients", at})
	}
	if f.AdministeredBy != "" {
		p.endpoints = append(p.endpoints, endpointUse{f.AdministeredBy, "administeredBy", at})
	}
	if f.Programme != "" {
		p.endpoints = append(p.endpoints, endpointUse{f.Programme, "programme", at})
	}
	if a := f.Evidence[0].AttributedTo; a != "" {
		p.endpoints = append(p.endpoints, endpointUse{a, "attributedTo", at})
	}
}

// evidence is the evidence of a relationship or funding at: the quote with
// its claim status (ASSERTED when the file gives none) and attribution. A bad
// status is reported and leaves the status empty, so the caller drops the
// record.
func (p *Parser) evidence(at place, src, quote, status, attributedTo string) kg.Evidence {
	ev := kg.Evidence{SourceID: src, Quote: kg.CollapseSpace(quote), Status: kg.StatusAsserted,
		AttributedTo: strings.TrimSpace(attributedTo)}
	if strings.TrimSpace(status) != "" {
		st, err := kg.ParseClaimStatus(status)
		if err != nil {
			p.kgErr(at, "status", err)
			ev.Status = ""
			return ev
		}
		ev.Status = st
	}
	return ev
}

func (p *Parser) known(id string) bool {
	if _, ok := p.entities[id]; ok {
		return true
	}
	return p.inGraph(id)
}

// inGraph reports whether id names an entity outside the parsed files.
func (p *Parser) inGraph(id string) bool {
	if p.Existing != nil {
		if _, _, ok := p.Existing.Entity(id); ok {
			return true
		}
	}
	return p.Known != nil && p.Known(id)
}

// mergedNote explains, for an id the graph does not have, that it was
// merged into another entity; "" otherwise.
func (p *Parser) mergedNote(id string) string {
	if p.Existing == nil {
		return ""
	}
	if into := p.Existing.MergedInto(id); into != "" {
		return fmt.Sprintf(" (it was merged into %q; refer to that)", into)
	}
	return ""
}

// Finish resolves references and endpoints and returns the merged graph, or
// the problems found (sorted by file and line).
func (p *Parser) Finish() (*Graph, error) {
	for _, r := range p.refs {
		e, ok := p.entities[r.id]
		if !ok {
			if p.inGraph(r.id) {
				if p.Existing != nil {
					for _, a := range trimAll(r.aliases) {
						p.claimName(a, r.id, r.at)
					}
				}
				p.mentions = append(p.mentions, kg.Mention{EntityID: r.id, SourceID: r.source, Aliases: trimAll(r.aliases)})
				continue
			}
			p.errf(r.at, "ref %q does not name an entity defined in any seed file%s", r.id, p.mergedNote(r.id))
			continue
		}
		if !contains(e.Sources, r.source) {
			e.Sources = append(e.Sources, r.source)
		}
		for _, a := range trimAll(r.aliases) {
			if kg.NameKey(a) == kg.NameKey(e.Name) || containsKey(e.Aliases, a) {
				continue
			}
			e.Aliases = append(e.Aliases, a)
			p.claimName(a, e.ID, r.at)
		}
	}
	for _, u := range p.endpoints {
		if !p.known(u.id) {
			p.errf(u.at, "dangling %s: no entity with id %q%s", u.field, u.id, p.mergedNote(u.id))
		}
	}
	// An entity is mentioned by every source whose evidence touches it.
	touch := func(id, src string) {
		if e, ok := p.entities[id]; ok && !contains(e.Sources, src) {
			e.Sources = append(e.Sources, src)
		}
	}
	for _, id := range p.relOrder {
		r := p.rels[id]
		for _, ev := range r.Evidence {
			touch(r.From, ev.SourceID)
			touch(r.To, ev.SourceID)
			if ev.AttributedTo != "" {
				touch(ev.AttributedTo, ev.SourceID)
			}
		}
	}
	for _, id := range p.fundOrder {
		f := p.fundings[id]
		for _, ev := range f.Evidence {
			for _, e := range append([]string{f.Funder, f.AdministeredBy, f.Programme, ev.AttributedTo}, f.Recipients...) {
				touch(e, ev.SourceID)
			}
		}
	}
	if len(p.problems) > 0 {
		sort.SliceStable(p.problems, func(i, j int) bool {
			a, b := p.problems[i], p.problems[j]
			if a.File != b.File {
				return a.File < b.File
			}
			return a.Line < b.Line
		})
		return nil, p.problems
	}
	g := &Graph{}
	ids := make([]string, 0, len(p.sources))
	for id := range p.sources {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		g.Sources = append(g.Sources, *p.sources[id])
	}
	for _, id := range p.entOrder {
		g.Entities = append(g.Entities, *p.entities[id])
	}
	for _, id := range p.relOrder {
		r := *p.rels[id]
		r.Status = kg.StrongestStatus(r.Evidence)
		g.Relationships = append(g.Relationships, r)
	}
	for _, id := range p.fundOrder {
		f := *p.fundings[id]
		f.Status = kg.StrongestStatus(f.Evidence)
		g.Fundings = append(g.Fundings, f)
	}
	g.Mentions = p.mentions
	return g, nil
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func containsKey(ss []string, s string) bool {
	k := kg.NameKey(s)
	for _, x := range ss {
		if kg.NameKey(x) == k {
			return true
		}
	}
	return false
}

// Digest returns the digest recorded as source.digest for a document:
// "sha256:" and the hex SHA-256 of its text with white space collapsed
// (kg.CollapseSpace), the form quotes are checked against, so line endings
// and wrapping do not change it.
func Digest(text string) string {
	sum := sha256.Sum256([]byte(kg.CollapseSpace(text)))
	return "sha256:" + hex.EncodeToString(sum[:])
}

// validDigest reports whether s has the form Digest returns.
func validDigest(s string) bool {
	h, ok := strings.CutPrefix(s, "sha256:")
	if !ok || len(h) != 64 {
		return false
	}
	for _, c := range h {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// LoadDocs reads the source documents in dir into a map from file name to
// text with white space collapsed, ready for quote checks.
func LoadDocs(dir string) (map[string]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	docs := map[string]string{}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		docs[e.Name()] = kg.CollapseSpace(string(b))
	}
	return docs, nil
}

// Parse parses and validates files in one go.
func Parse(files []File, docs map[string]string) (*Graph, error) {
	p := NewParser()
	p.Docs = docs
	for _, f := range files {
		p.Add(f)
	}
	return p.Finish()
}
