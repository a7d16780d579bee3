package synth

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/innograph/innograph/internal/kg"
)

// WireEvidence is one quote with its source id.
type WireEvidence struct {
	Source string `json:"source"`
	Quote  string `json:"quote"`
}

// WireSource is one line of sources.ndjson.
type WireSource struct {
	ID        string `json:"id"`
	File      string `json:"file"`
	Title     string `json:"title"`
	Publisher string `json:"publisher,omitempty"`
	Author    string `json:"author,omitempty"`
	URL       string `json:"url,omitempty"`
	Published string `json:"published,omitempty"`
}

// WireEntity is one line of entities.ndjson.
type WireEntity struct {
	ID          string   `json:"id"`
	Kind        kg.Kind  `json:"kind"`
	Name        string   `json:"name"`
	Aliases     []string `json:"aliases"`
	Description string   `json:"description,omitempty"`
	Sources     []string `json:"sources"`
}

// WireRel is one line of relationships.ndjson.
type WireRel struct {
	ID        string         `json:"id"`
	Type      kg.RelType     `json:"type"`
	From      string         `json:"from"`
	To        string         `json:"to"`
	Role      string         `json:"role,omitempty"`
	Since     string         `json:"since,omitempty"`
	Until     string         `json:"until,omitempty"`
	On        string         `json:"on,omitempty"`
	Evidence  []WireEvidence `json:"evidence"`
	FundingID string         `json:"fundingId,omitempty"`
}

// WireMoney is an amount.
type WireMoney struct {
	Value    string `json:"value"`
	Currency string `json:"currency"`
	Note     string `json:"note,omitempty"`
}

// WireFunding is one line of fundings.ndjson.
type WireFunding struct {
	ID             string         `json:"id"`
	Funder         string         `json:"funder"`
	Recipients     []string       `json:"recipients"`
	AdministeredBy string         `json:"administeredBy,omitempty"`
	Programme      string         `json:"programme,omitempty"`
	Amount         *WireMoney     `json:"amount,omitempty"`
	Since          string         `json:"since,omitempty"`
	Until          string         `json:"until,omitempty"`
	On             string         `json:"on,omitempty"`
	Purpose        string         `json:"purpose,omitempty"`
	Evidence       []WireEvidence `json:"evidence"`
}

// Manifest describes a generated graph (manifest.json).
type Manifest struct {
	Config        Config  `json:"config"`
	Blocks        []Block `json:"blocks"`
	Sources       int     `json:"sources"`
	Entities      int     `json:"entities"`
	Relationships int64   `json:"relationships"`
	Fundings      int     `json:"fundings"`
	// MaxDegree is the largest total degree of an entity, and HubID that entity.
	MaxDegree int    `json:"maxDegree"`
	HubID     string `json:"hubId"`
}

// The file names inside an output directory.
const (
	FileManifest      = "manifest.json"
	FileSources       = "sources.ndjson"
	FileEntities      = "entities.ndjson"
	FileFundings      = "fundings.ndjson"
	FileRelationships = "relationships.ndjson"
)

// template is one kind of relationship an entity of some kind generates:
// with other of kind Other picked with skew A; Out says whether the entity
// is the relationship's from.
type template struct {
	T     kg.RelType
	Other kg.Kind
	A     float64
	Out   bool
	Role  string
}

// Templates by the generating entity's kind. Each (type, from kind, to kind)
// is generated from one side only, so relationship ids never collide across
// entities. Skews of 3-4 towards universities, government bodies, institutes
// and facilities make those hubs with thousands of edges.
var templates = map[kg.Kind][]template{
	kg.KindPerson: {
		{"WORKS_AT", kg.KindUniversity, 4, true, "Professor"},
		{"WORKS_AT", kg.KindCompany, 2, true, "Engineer"},
		{"MEMBER_OF", kg.KindInstitute, 3, true, "Academician"},
		{"ALUMNUS_OF", kg.KindUniversity, 4, true, ""},
		{"HEADS", kg.KindGovernmentBody, 1, true, "Secretary"},
		{"ATTENDED", kg.KindEvent, 2, true, ""},
		{"SPOKE_AT", kg.KindEvent, 2, true, "Keynote speaker"},
		{"FOUNDED", kg.KindCompany, 1, true, "Founder"},
		{"COLLABORATES_WITH", kg.KindPerson, 2, true, ""},
		{"CHAIRS", kg.KindOrganization, 2, true, "Chairman"},
		{"CORRESPONDED_WITH", kg.KindPerson, 3, true, ""},
	},
	kg.KindUniversity: {
		{"COLLABORATES_WITH", kg.KindUniversity, 3, true, ""},
		{"LOCATED_IN", kg.KindPlace, 3, true, ""},
		{"PARTICIPATED_IN", kg.KindProject, 2, true, ""},
		{"AWARDED", kg.KindOrganization, 2, true, ""},
	},
	kg.KindLab: {
		{"HOSTS", kg.KindUniversity, 4, false, ""},
		{"DIRECTS", kg.KindPerson, 1, false, "Director"},
		{"PART_OF", kg.KindInstitute, 3, true, ""},
		{"LOCATED_IN", kg.KindFacility, 3, true, ""},
		{"COLLABORATES_WITH", kg.KindCompany, 2, true, ""},
		{"PARTICIPATED_IN", kg.KindProject, 2, true, ""},
		{"USES", kg.KindFacility, 3, true, ""},
		{"ESTABLISHED", kg.KindGovernmentBody, 4, false, ""},
	},
	kg.KindGovernmentBody: {
		{"APPROVED", kg.KindProject, 2, true, ""},
		{"ISSUED", kg.KindPolicy, 2, true, ""},
		{"ADMINISTERS", kg.KindProject, 2, true, ""},
		{"PART_OF", kg.KindGovernmentBody, 3, true, ""},
		{"SUPPORTS", kg.KindCompany, 2, true, ""},
		{"ANNOUNCED", kg.KindPolicy, 2, true, ""},
		{"ADMINISTERS", kg.KindFacility, 2, true, ""},
	},
	kg.KindAgreement: {
		{"PARTY_TO", kg.KindUniversity, 4, false, ""},
		{"PARTY_TO", kg.KindGovernmentBody, 4, false, ""},
		{"PARTY_TO", kg.KindCompany, 2, false, ""},
		{"SIGNED", kg.KindPerson, 2, false, "Signatory"},
		{"WITNESSED", kg.KindPerson, 3, false, ""},
		{"COVERS", kg.KindPlace, 3, true, ""},
	},
	kg.KindProject: {
		{"LEADS", kg.KindUniversity, 4, false, ""},
		{"LEADS", kg.KindLab, 2, false, ""},
		{"CONTRIBUTED_TO", kg.KindCompany, 2, false, ""},
		{"PARTICIPATED_IN", kg.KindInstitute, 3, false, ""},
		{"PART_OF", kg.KindPolicy, 2, true, ""},
	},
	kg.KindInstitute: {
		{"LOCATED_IN", kg.KindPlace, 3, true, ""},
		{"COLLABORATES_WITH", kg.KindUniversity, 4, true, ""},
		{"HOSTS", kg.KindEvent, 1, true, ""},
		{"ESTABLISHED", kg.KindGovernmentBody, 4, false, ""},
	},
	kg.KindCompany: {
		{"LOCATED_IN", kg.KindFacility, 4, true, ""},
		{"COLLABORATES_WITH", kg.KindUniversity, 4, true, ""},
		{"PARTICIPATED_IN", kg.KindProject, 2, true, ""},
		{"USES", kg.KindFacility, 3, true, ""},
		{"AWARDED", kg.KindOrganization, 2, true, ""},
	},
	kg.KindDepartment: {
		{"PART_OF", kg.KindUniversity, 4, true, ""},
		{"COLLABORATES_WITH", kg.KindLab, 2, true, ""},
	},
	kg.KindFacility: {
		{"LOCATED_IN", kg.KindPlace, 3, true, ""},
	},
	kg.KindEvent: {
		{"ORGANISED", kg.KindOrganization, 2, false, ""},
		{"ORGANISED", kg.KindGovernmentBody, 3, false, ""},
		{"LOCATED_IN", kg.KindPlace, 3, true, ""},
		{"CHAIRS", kg.KindPerson, 2, false, "Chair"},
	},
	kg.KindPolicy: {
		{"COVERS", kg.KindPlace, 3, true, ""},
		{"SUPPORTS", kg.KindProject, 2, true, ""},
		{"PROPOSED", kg.KindGovernmentBody, 4, false, ""},
	},
	kg.KindPlace: {
		{"PART_OF", kg.KindPlace, 2, true, ""},
	},
	kg.KindOrganization: {
		{"MEMBER_OF", kg.KindOrganization, 3, true, ""},
		{"SUPPORTS", kg.KindCompany, 2, true, ""},
		{"SUCCEEDED", kg.KindOrganization, 1, true, ""},
		{"LOCATED_IN", kg.KindPlace, 3, true, ""},
	},
}

var verbs = map[kg.RelType]string{}

func init() {
	for _, t := range kg.RelTypes {
		verbs[t.Type] = strings.ToLower(strings.ReplaceAll(string(t.Type), "_", " "))
	}
}

func (r *rng) date() string {
	y := 1995 + r.intn(31)
	switch r.intn(3) {
	case 0:
		return fmt.Sprint(y)
	case 1:
		return fmt.Sprintf("%d-%02d", y, 1+r.intn(12))
	default:
		return fmt.Sprintf("%d-%02d-%02d", y, 1+r.intn(12), 1+r.intn(28))
	}
}

func (p *Plan) evidence(r *rng, from, to string, t kg.RelType) []WireEvidence {
	n := 1
	if r.chance(0.2) {
		n = 2
	}
	ev := make([]WireEvidence, n)
	for k := range ev {
		ev[k] = WireEvidence{Source: SourceID(r.intn(p.sources)),
			Quote: fmt.Sprintf("%s %s %s, the report said (%d).", from, verbs[t], to, r.intn(1000))}
	}
	return ev
}

// Source returns source s.
func (p *Plan) Source(s int) WireSource {
	r := newRNG(p.Cfg.Seed, streamSource, uint64(s))
	pub := r.pick(publishers)
	return WireSource{ID: SourceID(s), File: fmt.Sprintf("synthetic-%06d.txt", s),
		Title:     fmt.Sprintf("%s: %s in %s (%d)", pub, r.pick(fields), r.pick(places), s),
		Publisher: pub, URL: fmt.Sprintf("https://example.org/news/%d", s), Published: r.date()}
}

// Entity returns entity i.
func (p *Plan) Entity(i int) WireEntity {
	name, aliases, desc := p.Name(i)
	r := newRNG(p.Cfg.Seed, streamSource, uint64(i)+1<<40)
	srcs := []string{SourceID(r.intn(p.sources))}
	if r.chance(0.3) {
		if s := SourceID(r.intn(p.sources)); s != srcs[0] {
			srcs = append(srcs, s)
		}
	}
	return WireEntity{ID: p.ID(i), Kind: p.Kind(i), Name: name, Aliases: aliases, Description: desc, Sources: srcs}
}

// Rels returns the relationships entity i generates (not the FUNDS edges of
// funding records), appended to buf.
func (p *Plan) Rels(i int, buf []WireRel) []WireRel {
	k := p.Kind(i)
	ts := templates[k]
	r := newRNG(p.Cfg.Seed, streamRels, uint64(i))
	n := int(r.float() * (2*p.Cfg.RelsPerEntity + 1))
	me := p.ID(i)
	seen := make(map[string]bool, n)
	for range n {
		t := ts[r.intn(len(ts))]
		o := p.pickOf(r, t.Other, t.A)
		if o == i {
			continue
		}
		other := p.ID(o)
		from, to := me, other
		if !t.Out {
			from, to = other, me
		}
		id := kg.RelationshipID(from, t.T, to, "")
		if seen[id] {
			continue
		}
		seen[id] = true
		rel := WireRel{ID: id, Type: t.T, From: from, To: to, Role: t.Role}
		switch {
		case r.chance(0.5):
			rel.Since = r.date()
			if r.chance(0.3) {
				rel.Until = fmt.Sprint(2026 + r.intn(5))
			}
		case r.chance(0.3):
			rel.On = r.date()
		}
		rel.Evidence = p.evidence(r, from, to, t.T)
		buf = append(buf, rel)
	}
	return buf
}

// Funding returns funding record j and its FUNDS relationships.
func (p *Plan) Funding(j int, rels []WireRel) (WireFunding, []WireRel) {
	r := newRNG(p.Cfg.Seed, streamFunding, uint64(j))
	f := WireFunding{ID: FundingID(j)}
	if r.chance(0.85) {
		f.Funder = p.ID(p.pickOf(r, kg.KindGovernmentBody, 4))
	} else {
		f.Funder = p.ID(p.pickOf(r, kg.KindOrganization, 3))
	}
	nr := 1 + r.intn(3)
	for range nr {
		var k kg.Kind
		switch r.intn(4) {
		case 0:
			k = kg.KindLab
		case 1:
			k = kg.KindUniversity
		case 2:
			k = kg.KindCompany
		default:
			k = kg.KindProject
		}
		id := p.ID(p.pickOf(r, k, 2))
		dup := id == f.Funder
		for _, x := range f.Recipients {
			dup = dup || x == id
		}
		if !dup {
			f.Recipients = append(f.Recipients, id)
		}
	}
	if len(f.Recipients) == 0 {
		f.Recipients = []string{p.ID(p.pickOf(r, kg.KindLab, 1))}
	}
	if r.chance(0.5) {
		f.Programme = p.ID(p.pickOf(r, kg.KindProject, 3))
	}
	if r.chance(0.3) {
		f.AdministeredBy = p.ID(p.pickOf(r, kg.KindGovernmentBody, 3))
	}
	if r.chance(0.9) {
		v := int64(1+r.intn(999)) * []int64{1e4, 1e5, 1e6, 1e7}[r.intn(4)]
		f.Amount = &WireMoney{Value: fmt.Sprint(v), Currency: r.pick(currencies)}
		if r.chance(0.1) {
			f.Amount.Note = "over"
		}
	}
	if r.chance(0.5) {
		f.On = r.date()
	} else {
		f.Since = fmt.Sprint(2000 + r.intn(25))
		f.Until = fmt.Sprint(2026 + r.intn(5))
	}
	f.Purpose = "To support research and development in " + strings.ToLower(r.pick(fields)) + "."
	f.Evidence = p.evidence(r, f.Funder, strings.Join(f.Recipients, " and "), "FUNDS")
	for _, rc := range f.Recipients {
		rels = append(rels, WireRel{ID: kg.RelationshipID(f.Funder, "FUNDS", rc, f.ID), Type: "FUNDS", From: f.Funder, To: rc,
			Since: f.Since, Until: f.Until, On: f.On, Evidence: f.Evidence, FundingID: f.ID})
	}
	return f, rels
}

// Write generates the graph into dir (created if needed): manifest.json and
// one NDJSON file per record type. progress, when not nil, is called now and then.
func Write(cfg Config, dir string, progress func(stage string, done, total int)) (Manifest, error) {
	p, err := NewPlan(cfg)
	if err != nil {
		return Manifest{}, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Manifest{}, err
	}
	m := Manifest{Config: p.Cfg, Blocks: p.Blocks, Sources: p.sources, Entities: cfg.Entities, Fundings: p.funds}
	if progress == nil {
		progress = func(string, int, int) {}
	}
	err = writeNDJSON(filepath.Join(dir, FileSources), func(emit func(any) error) error {
		for s := range p.sources {
			if err := emit(p.Source(s)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return m, err
	}
	err = writeNDJSON(filepath.Join(dir, FileEntities), func(emit func(any) error) error {
		for i := range cfg.Entities {
			if err := emit(p.Entity(i)); err != nil {
				return err
			}
			if i%100000 == 0 {
				progress("entities", i, cfg.Entities)
			}
		}
		return nil
	})
	if err != nil {
		return m, err
	}
	// Degrees of the hub candidates (rank < 64 of every kind) are counted to
	// report the biggest hub; everything else streams.
	deg := map[string]int{}
	count := func(id string) {
		if n, ok := deg[id]; ok || isHubCandidate(id) {
			deg[id] = n + 1
		}
	}
	var rels []WireRel
	relsOut, err := os.Create(filepath.Join(dir, FileRelationships))
	if err != nil {
		return m, err
	}
	defer relsOut.Close()
	rw := bufio.NewWriterSize(relsOut, 1<<20)
	renc := json.NewEncoder(rw)
	renc.SetEscapeHTML(false)
	emitRels := func() error {
		for k := range rels {
			count(rels[k].From)
			count(rels[k].To)
			if err := renc.Encode(&rels[k]); err != nil {
				return err
			}
		}
		m.Relationships += int64(len(rels))
		rels = rels[:0]
		return nil
	}
	err = writeNDJSON(filepath.Join(dir, FileFundings), func(emit func(any) error) error {
		for j := range p.funds {
			var f WireFunding
			f, rels = p.Funding(j, rels)
			if err := emit(f); err != nil {
				return err
			}
			if err := emitRels(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return m, err
	}
	for i := range cfg.Entities {
		rels = p.Rels(i, rels)
		if err := emitRels(); err != nil {
			return m, err
		}
		if i%100000 == 0 {
			progress("relationships", i, cfg.Entities)
		}
	}
	if err := rw.Flush(); err != nil {
		return m, err
	}
	if err := relsOut.Close(); err != nil {
		return m, err
	}
	for id, n := range deg {
		if n > m.MaxDegree || (n == m.MaxDegree && id < m.HubID) {
			m.MaxDegree, m.HubID = n, id
		}
	}
	b, _ := json.MarshalIndent(m, "", "  ")
	return m, os.WriteFile(filepath.Join(dir, FileManifest), append(b, '\n'), 0o644)
}

func isHubCandidate(id string) bool {
	k := strings.LastIndexByte(id, '-')
	rank := id[k+1:]
	return len(rank) <= 1 || (len(rank) == 2 && rank < "64")
}

func writeNDJSON(path string, gen func(emit func(any) error) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if err := gen(func(v any) error { return enc.Encode(v) }); err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

// ReadManifest reads dir/manifest.json.
func ReadManifest(dir string) (Manifest, error) {
	var m Manifest
	b, err := os.ReadFile(filepath.Join(dir, FileManifest))
	if err != nil {
		return m, err
	}
	return m, json.Unmarshal(b, &m)
}

// Scan decodes an NDJSON stream line by line into a fresh T, calling fn for
// each; blank lines are skipped. An error, fn's included, says at which
// line it happened (*LineError). A line must hold one JSON value.
func Scan[T any](r io.Reader, fn func(*T) error) error {
	br := bufio.NewReaderSize(r, 1<<20)
	for line := 1; ; line++ {
		b, err := br.ReadBytes('\n')
		if len(bytes.TrimSpace(b)) > 0 {
			v := new(T)
			if uerr := json.Unmarshal(b, v); uerr != nil {
				return &LineError{Line: line, Err: uerr}
			}
			if ferr := fn(v); ferr != nil {
				return &LineError{Line: line, Err: ferr}
			}
		}
		if err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
	}
}

// LineError is an error on one line of an NDJSON file.
type LineError struct {
	Line int
	Err  error
}

// Error names the line and its error.
func (e *LineError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }

// Unwrap returns the line's error.
func (e *LineError) Unwrap() error { return e.Err }
