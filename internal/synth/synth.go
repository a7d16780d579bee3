// Package synth generates a synthetic innovation graph shaped like the curated
// one, for benchmarks: the same entity kinds and relationship types, heavy-tailed
// degrees (a few ministries, universities and institutes with thousands of
// edges), funding records with amounts, dates and provenance (evidence quotes
// and source ids).
//
// Generation is deterministic from a seed and streamed: every entity, its
// relationships and every funding record are computed from (seed, index)
// alone, so nothing proportional to the graph size is held in memory and
// any entity's id, kind and name can be recomputed (the load driver does, to
// pick ids and search terms).
//
// The output is NDJSON, one file per record type (see Write); the wire
// records are the Wire* types below.
package synth

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/innograph/innograph/internal/kg"
)

// Config says what to generate.
type Config struct {
	// Entities is the number of entities.
	Entities int `json:"entities"`
	// Seed makes the output reproducible.
	Seed uint64 `json:"seed"`
	// RelsPerEntity is the mean number of (non-funding) relationships per entity; default 5.
	RelsPerEntity float64 `json:"relsPerEntity"`
}

// kindShare is the share (per mille) of each kind; hubs come from the small kinds.
var kindShare = []struct {
	kind  kg.Kind
	share int
	slug  string
}{
	{kg.KindPerson, 380, "person"},
	{kg.KindCompany, 150, "company"},
	{kg.KindLab, 80, "lab"},
	{kg.KindProject, 70, "project"},
	{kg.KindEvent, 60, "event"},
	{kg.KindOrganization, 50, "org"},
	{kg.KindDepartment, 40, "dept"},
	{kg.KindAgreement, 40, "agreement"},
	{kg.KindInstitute, 30, "institute"},
	{kg.KindPolicy, 30, "policy"},
	{kg.KindFacility, 20, "facility"},
	{kg.KindGovernmentBody, 20, "gov"},
	{kg.KindPlace, 15, "place"},
	{kg.KindUniversity, 15, "university"},
}

// Block is the contiguous range of entity indexes of one kind.
type Block struct {
	Kind  kg.Kind `json:"kind"`
	Slug  string  `json:"slug"`
	Start int     `json:"start"`
	N     int     `json:"n"`
}

// Plan is a configured generator. It holds only the kind blocks.
type Plan struct {
	Cfg     Config
	Blocks  []Block
	byKind  map[kg.Kind]int
	sources int
	funds   int
}

// MinEntities is the smallest graph: two entities of each kind.
const MinEntities = 28

// NewPlan validates cfg and lays out the kind blocks.
func NewPlan(cfg Config) (*Plan, error) {
	if cfg.Entities < MinEntities {
		return nil, fmt.Errorf("synth: at least %d entities, got %d", MinEntities, cfg.Entities)
	}
	if cfg.RelsPerEntity == 0 {
		cfg.RelsPerEntity = 5
	}
	if !(cfg.RelsPerEntity > 0 && cfg.RelsPerEntity <= 50) { // NaN too
		return nil, fmt.Errorf("synth: relsPerEntity must be in (0, 50], got %g", cfg.RelsPerEntity)
	}
	p := &Plan{Cfg: cfg, byKind: map[kg.Kind]int{}}
	// Every kind gets at least 2; Person absorbs the rounding.
	ns := make([]int, len(kindShare))
	total := 0
	for i, ks := range kindShare {
		ns[i] = max(2, cfg.Entities*ks.share/1000)
		total += ns[i]
	}
	ns[0] += cfg.Entities - total
	start := 0
	for i, ks := range kindShare {
		p.byKind[ks.kind] = len(p.Blocks)
		p.Blocks = append(p.Blocks, Block{Kind: ks.kind, Slug: ks.slug, Start: start, N: ns[i]})
		start += ns[i]
	}
	p.sources = max(20, cfg.Entities/50)
	p.funds = max(10, cfg.Entities/10)
	return p, nil
}

// Sources is the number of source documents; Fundings the number of funding records.
func (p *Plan) Sources() int  { return p.sources }
func (p *Plan) Fundings() int { return p.funds }

// Block returns the block of kind k.
func (p *Plan) Block(k kg.Kind) Block { return p.Blocks[p.byKind[k]] }

// blockOf returns the block holding entity index i.
func (p *Plan) blockOf(i int) Block {
	j := sort.Search(len(p.Blocks), func(j int) bool { return p.Blocks[j].Start+p.Blocks[j].N > i })
	return p.Blocks[j]
}

// Kind returns the kind of entity i.
func (p *Plan) Kind(i int) kg.Kind { return p.blockOf(i).Kind }

// ID returns the id of entity i: the kind slug and the rank within the kind
// (rank 0 is the biggest hub of the kind).
func (p *Plan) ID(i int) string {
	b := p.blockOf(i)
	return fmt.Sprintf("%s-%d", b.Slug, i-b.Start)
}

// IDOf returns the id of the entity of kind k with rank r.
func (p *Plan) IDOf(k kg.Kind, r int) string {
	return fmt.Sprintf("%s-%d", p.Block(k).Slug, r)
}

// SourceID returns the id of source s.
func SourceID(s int) string { return fmt.Sprintf("src-%d", s) }

// FundingID returns the id of funding record j.
func FundingID(j int) string { return fmt.Sprintf("funding-%d", j) }

// rng is splitmix64: tiny, fast, and good enough for synthetic data.
type rng struct{ s uint64 }

func newRNG(seed uint64, stream, i uint64) *rng {
	r := &rng{s: seed ^ (stream * 0x9E3779B97F4A7C15) ^ (i * 0xBF58476D1CE4E5B9)}
	r.next()
	r.next()
	return r
}

func (r *rng) next() uint64 {
	r.s += 0x9E3779B97F4A7C15
	z := r.s
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

func (r *rng) intn(n int) int          { return int(r.next() % uint64(n)) }
func (r *rng) float() float64          { return float64(r.next()>>11) / (1 << 53) }
func (r *rng) pick(xs []string) string { return xs[r.intn(len(xs))] }
func (r *rng) chance(p float64) bool   { return r.float() < p }

// zipfRank picks a rank in [0, n) with a heavy head: rank = floor(n * u^a).
// a = 1 is uniform; the larger a, the more the low ranks (hubs) are chosen.
func (r *rng) zipfRank(n int, a float64) int {
	k := int(float64(n) * math.Pow(r.float(), a))
	return min(k, n-1)
}

// pickOf picks an entity index of kind k with skew a.
func (p *Plan) pickOf(r *rng, k kg.Kind, a float64) int {
	b := p.Block(k)
	return b.Start + r.zipfRank(b.N, a)
}

// Streams of randomness, one per purpose, so changing one does not shift another.
const (
	streamEntity = iota + 1
	streamRels
	streamFunding
	streamSource
)

// Word lists for names, aliases and quotes.
var (
	surnames = []string{"Chan", "Wong", "Lee", "Cheung", "Lau", "Ng", "Leung", "Li", "Tang", "Ho", "Yeung", "Chow", "Lam", "Tsang",
		"Chu", "Kwok", "Ma", "Yip", "Fung", "Tse", "Zhang", "Wang", "Liu", "Chen", "Yang", "Zhao", "Huang", "Zhou", "Wu", "Xu",
		"Sun", "Hu", "Zhu", "Gao", "Lin", "He", "Guo", "Luo", "Mak", "Poon", "Siu", "Choi", "Kwan", "Tam", "Yuen", "Shum", "Tsui", "Au"}
	givens = []string{"Ka Wai", "Siu Ming", "Wing Yan", "Hoi Ling", "Chi Keung", "Mei Ling", "Wei", "Jun", "Xin", "Yu", "Hao", "Jie",
		"Ting", "Harry", "Alice", "Peter", "Grace", "Kwok Fai", "Man Kit", "Sze Wan", "Yiu Chung", "Pui Shan", "Tak Ming", "Lok Yi",
		"Xiaoming", "Jianguo", "Lihua", "Zhiwei", "Yan", "Kelvin", "Winnie", "Raymond", "Joyce", "Eric", "Karen", "Vincent"}
	fields = []string{"Artificial Intelligence", "Robotics", "Biomedical Engineering", "Quantum Materials", "Photonics", "Fintech",
		"Microelectronics", "Data Science", "Neuroscience", "Climate Science", "Marine Biology", "Aerospace", "Smart Cities",
		"Advanced Manufacturing", "New Energy", "Chinese Medicine", "Precision Medicine", "Semiconductors", "Logistics",
		"Cybersecurity", "Synthetic Biology", "Deep Space Exploration", "Optical Networks", "Green Hydrogen", "Drug Discovery",
		"Ultra-precision Machining", "Terahertz Imaging", "Agritech", "Infectious Diseases", "Battery Materials"}
	places = []string{"Hong Kong", "Shenzhen", "Guangzhou", "Macao", "Zhuhai", "Dongguan", "Foshan", "Huizhou", "Zhongshan",
		"Jiangmen", "Zhaoqing", "Kowloon", "Sha Tin", "Tai Po", "Tsuen Wan", "Nansha", "Qianhai", "Hengqin", "Lok Ma Chau",
		"Tseung Kwan O", "Pok Fu Lam", "Clear Water Bay", "Beijing", "Shanghai", "Hefei", "Wuhan", "Hangzhou", "Chengdu"}
	words = []string{"Bright", "Jade", "Harbour", "Dragon", "Pearl", "Lotus", "Summit", "Nova", "Orbit", "Vertex", "Zenith", "Golden",
		"Silver", "Crest", "Peak", "Horizon", "Lumen", "Cedar", "Tide", "Phoenix", "Kestrel", "Aurora", "Meridian", "Quanta"}
	govNouns   = []string{"Bureau", "Commission", "Department", "Office", "Committee", "Council", "Administration", "Ministry"}
	orgNouns   = []string{"Association", "Federation", "Foundation", "Society", "Alliance", "Chamber", "Forum", "Trust"}
	facNouns   = []string{"Science Park", "Supercomputing Centre", "Innovation Hub", "Cyberport Campus", "Data Centre", "Observatory", "Incubator"}
	evtNouns   = []string{"Summit", "Forum", "Conference", "Expo", "Symposium", "Signing Ceremony", "Roundtable"}
	polNouns   = []string{"Blueprint", "Development Plan", "Action Plan", "Outline", "White Paper", "Ordinance", "Ranking"}
	projNouns  = []string{"Mission", "Programme", "Scheme", "Initiative", "Project", "Fund", "Platform"}
	publishers = []string{"Government News", "Xinhua", "South China Morning Post", "The Standard", "University Press Office",
		"Innovation and Technology Commission", "Research Grants Council", "Ming Pao"}
	currencies = []string{"HKD", "HKD", "HKD", "HKD", "HKD", "HKD", "HKD", "CNY", "CNY", "USD"}
)

func acronym(s string) string {
	var b strings.Builder
	for _, w := range strings.Fields(s) {
		c := w[0]
		if c >= 'A' && c <= 'Z' {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// Name returns the name, aliases and description of entity i.
func (p *Plan) Name(i int) (name string, aliases []string, description string) {
	b := p.blockOf(i)
	rank := i - b.Start
	r := newRNG(p.Cfg.Seed, streamEntity, uint64(i))
	field, place := r.pick(fields), r.pick(places)
	switch b.Kind {
	case kg.KindPerson:
		g, s := r.pick(givens), r.pick(surnames)
		name = g + " " + s
		aliases = []string{s + " " + g}
		if r.chance(0.3) {
			aliases = append(aliases, "Prof. "+name)
		}
		description = "Researcher in " + strings.ToLower(field) + " based in " + place + "."
	case kg.KindUniversity:
		name = fmt.Sprintf("%s University of %s", place, field)
		if rank%3 == 1 {
			name = fmt.Sprintf("University of %s %s", place, r.pick(words))
		}
		aliases = []string{acronym(name) + fmt.Sprint(rank)}
		description = "A research university in " + place + " known for " + strings.ToLower(field) + "."
	case kg.KindLab:
		switch rank % 3 {
		case 0:
			name = "State Key Laboratory of " + field
		case 1:
			name = place + " Joint Laboratory for " + field
		default:
			name = "InnoHK Centre for " + field
		}
		name += fmt.Sprintf(" %s", r.pick(words))
		aliases = []string{acronym(name) + fmt.Sprint(rank)}
		description = "A laboratory working on " + strings.ToLower(field) + "."
	case kg.KindGovernmentBody:
		name = fmt.Sprintf("%s %s for %s", place, r.pick(govNouns), field)
		aliases = []string{acronym(name)}
		description = "A government body of " + place + " responsible for " + strings.ToLower(field) + "."
	case kg.KindAgreement:
		name = fmt.Sprintf("Memorandum of Understanding on %s Cooperation %d", field, rank)
		aliases = []string{"MoU " + fmt.Sprint(rank)}
		description = "An agreement on " + strings.ToLower(field) + " cooperation."
	case kg.KindProject:
		name = fmt.Sprintf("%s %s %s", r.pick(words), field, r.pick(projNouns))
		aliases = []string{acronym(name)}
		description = "A programme supporting " + strings.ToLower(field) + "."
	case kg.KindInstitute:
		name = fmt.Sprintf("%s Institute of %s", place, field)
		aliases = []string{acronym(name)}
		description = "A research institute in " + place + "."
	case kg.KindCompany:
		name = fmt.Sprintf("%s%s %s Technology Limited", r.pick(words), strings.ToLower(r.pick(words)), field)
		aliases = []string{strings.TrimSuffix(name, " Limited")}
		description = "A company developing " + strings.ToLower(field) + " products."
	case kg.KindDepartment:
		name = "Department of " + field + " " + r.pick(words)
		description = "An academic department."
	case kg.KindFacility:
		name = fmt.Sprintf("%s %s", place, r.pick(facNouns))
		aliases = []string{acronym(name)}
		description = "A facility in " + place + "."
	case kg.KindEvent:
		name = fmt.Sprintf("%s %s %s %d", place, field, r.pick(evtNouns), 2000+rank%26)
		description = "An event on " + strings.ToLower(field) + "."
	case kg.KindPolicy:
		name = fmt.Sprintf("%s %s %s", place, field, r.pick(polNouns))
		description = "A policy covering " + strings.ToLower(field) + "."
	case kg.KindPlace:
		name = place
		if rank >= len(places) {
			name = fmt.Sprintf("%s District %d", place, rank)
		}
		description = "A place in the Greater Bay Area."
	default:
		name = fmt.Sprintf("%s %s %s", place, field, r.pick(orgNouns))
		aliases = []string{acronym(name)}
		description = "An organisation for " + strings.ToLower(field) + "."
	}
	if aliases == nil {
		aliases = []string{}
	}
	return name, aliases, description
}

// SearchTerm returns a query text that should find entity i: a word or two
// of its name.
// salt varies which words are taken.
func (p *Plan) SearchTerm(i int, salt uint64) string {
	name, _, _ := p.Name(i)
	ws := strings.Fields(name)
	if len(ws) == 1 {
		return ws[0]
	}
	j := int(salt % uint64(len(ws)-1))
	return ws[j] + " " + ws[j+1]
}
