package seed

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/innograph/innograph/internal/kg"
)

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
