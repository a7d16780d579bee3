package kg

import (
	"strconv"
	"strings"
	"time"
)

// Limits on what one request may ask for. Each is enforced with a
// BAD_USER_INPUT error that names the argument and the allowed range.
const (
	MaxPageSize      = 100
	MaxSearchResults = 50
	MaxPathHops      = 6
	MaxPaths         = 10
	MaxSubgraphDepth = 3
	MaxSubgraphNodes = 500
	MaxSubgraphSeeds = 20
	MaxSearchText    = 200
	MaxFilterIDs     = 100
)

// Direction selects relationships relative to an entity.
type Direction string

// Directions.
const (
	Outgoing Direction = "OUTGOING"
	Incoming Direction = "INCOMING"
	Both     Direction = "BOTH"
)

// Page is a keyset page request: at most First items after the cursor After.
type Page struct {
	First int
	After string
}

// EntityOrder is the sort order for entity lists.
type EntityOrder string

// Entity orders.
const (
	OrderNameAsc  EntityOrder = "NAME_ASC"
	OrderNameDesc EntityOrder = "NAME_DESC"
	OrderIDAsc    EntityOrder = "ID_ASC"
	OrderIDDesc   EntityOrder = "ID_DESC"
)

// EntityFilter selects entities.
type EntityFilter struct {
	Kinds        []Kind
	NameContains string
	SourceID     string
	IDs          []string
	Order        EntityOrder
}

// RelFilter selects relationships around an entity.
type RelFilter struct {
	Types     []RelType
	Direction Direction
	// Kinds restricts the entity at the other end.
	Kinds []Kind
	// AsOf keeps only relationships valid on that day.
	AsOf *time.Time
	// Statuses keeps only relationships of these claim statuses (none: all).
	Statuses []ClaimStatus
}

// Adjacent is a relationship seen from one of its ends, with the entity at
// the other end.
type Adjacent struct {
	Rel      Relationship
	Other    Entity
	Outgoing bool
}

// SearchHit is one full-text search result.
type SearchHit struct {
	Entity      Entity
	Score       float64
	MatchedName string
}

// PathQuery asks for the k shortest paths between two entities.
type PathQuery struct {
	From, To string
	MaxHops  int
	K        int
	Types    []RelType
	AsOf     *time.Time
	Directed bool
	// Statuses keeps only relationships of these claim statuses (none: all).
	Statuses []ClaimStatus
}

// Path is a walk through the graph: Rels[i] joins Nodes[i] and Nodes[i+1].
type Path struct {
	Nodes []Entity
	Rels  []Relationship
}

// SubgraphQuery asks for the neighbourhood of some entities.
type SubgraphQuery struct {
	IDs   []string
	Depth int
	Kinds []Kind
	Types []RelType
	AsOf  *time.Time
	Limit int
	// Statuses keeps only relationships of these claim statuses (none: all).
	Statuses []ClaimStatus
}

// Subgraph is a bounded piece of the graph.
type Subgraph struct {
	Nodes     []Entity
	Rels      []Relationship
	Truncated bool
}

// FundingFilter selects funding records.
type FundingFilter struct {
	Funder, Recipient, Programme string
	// From and To select records whose period overlaps [From, To].
	From, To *time.Time
	// SourceID keeps records supported by that source.
	SourceID string
	// Statuses keeps only records of these claim statuses (none: all).
	Statuses []ClaimStatus
}

// Defaults for the optional arguments of paths and subgraph requests.
const (
	DefaultPathHops      = 4
	DefaultPaths         = 3
	DefaultSubgraphDepth = 1
	DefaultSubgraphNodes = 100
)

// PageSize is the page size a first argument asks for: def when first is
// nil, else *first, which must be between 1 and max.
func PageSize(first *int, def, max int) (int, error) {
	if first == nil {
		return def, nil
	}
	return *first, inRange("first", *first, 1, max)
}

// Validate checks the bounds of an entity filter.
func (f EntityFilter) Validate() error {
	if len(f.IDs) > MaxFilterIDs {
		return InvalidArg("filter.ids", "at most %d ids, got %d", MaxFilterIDs, len(f.IDs))
	}
	if len(f.NameContains) > MaxSearchText {
		return InvalidArg("filter.nameContains", "at most %d bytes", MaxSearchText)
	}
	return nil
}

// Validate checks a funding filter: well-formed ids, and To not before From.
func (f FundingFilter) Validate() error {
	for _, x := range []struct{ arg, v string }{{"funder", f.Funder}, {"recipient", f.Recipient}, {"programme", f.Programme}} {
		if x.v != "" {
			if err := CheckID(x.arg, x.v); err != nil {
				return err
			}
		}
	}
	if f.From != nil && f.To != nil && f.To.Before(*f.From) {
		return InvalidArg("to", "to is before from")
	}
	return nil
}

func inRange(arg string, v, min, max int) error {
	if v < min || v > max {
		return InvalidArg(arg, "must be between %d and %d, got %d", min, max, v)
	}
	return nil
}

// Validate checks a path request against the limits; the errors name the
// GraphQL argument at fault.
func (q PathQuery) Validate() error {
	if err := CheckID("from", q.From); err != nil {
		return err
	}
	if err := CheckID("to", q.To); err != nil {
		return err
	}
	if err := inRange("maxHops", q.MaxHops, 1, MaxPathHops); err != nil {
		return err
	}
	return inRange("first", q.K, 1, MaxPaths)
}

// Validate checks a subgraph request against the limits.
func (q SubgraphQuery) Validate() error {
	if len(q.IDs) == 0 || len(q.IDs) > MaxSubgraphSeeds {
		return InvalidArg("ids", "give between 1 and %d ids, got %d", MaxSubgraphSeeds, len(q.IDs))
	}
	for _, id := range q.IDs {
		if err := CheckID("ids", id); err != nil {
			return err
		}
	}
	if err := inRange("depth", q.Depth, 0, MaxSubgraphDepth); err != nil {
		return err
	}
	return inRange("limit", q.Limit, 1, MaxSubgraphNodes)
}

// Expand is a relationship pattern to follow from an entity, as an entity
// query's typed fields do (a university's labs, a lab's director), with the
// patterns to follow in turn from the entities it reaches. It lets a store
// answer a whole tree of such fields in one request.
type Expand struct {
	// Filter is the pattern, as for an adjacency page; AsOf is not used.
	Filter RelFilter
	// First is the page size: the first relationships by id, as Adjacent.
	First int
	// On restricts the entities this is followed from to these kinds
	// (none: all).
	On []Kind
	// Next is followed from every entity reached.
	Next []Expand
}

// Key identifies f for caches and batches: filters with equal keys match
// the same relationships.
func (f RelFilter) Key() string {
	var b strings.Builder
	f.appendKey(&b)
	return b.String()
}

func (f RelFilter) appendKey(b *strings.Builder) {
	for _, t := range f.Types {
		b.WriteString(string(t))
		b.WriteByte(',')
	}
	b.WriteByte('|')
	b.WriteString(string(f.Direction))
	b.WriteByte('|')
	for _, k := range f.Kinds {
		b.WriteString(string(k))
		b.WriteByte(',')
	}
	b.WriteByte('|')
	if f.AsOf != nil {
		b.WriteString(f.AsOf.Format(time.DateOnly))
	}
	if !AllStatuses(f.Statuses) {
		b.WriteByte('|')
		for _, s := range f.Statuses {
			b.WriteString(string(s))
			b.WriteByte(',')
		}
	}
}

// PlanKey identifies a tree of Expands: plans with equal keys ask for the
// same patterns and pages.
func PlanKey(plan []Expand) string {
	var b strings.Builder
	appendPlanKey(&b, plan)
	return b.String()
}

func appendPlanKey(b *strings.Builder, plan []Expand) {
	for _, e := range plan {
		b.WriteByte('(')
		e.Filter.appendKey(b)
		b.WriteByte('|')
		b.WriteString(strconv.Itoa(e.First))
		b.WriteByte('|')
		for _, k := range e.On {
			b.WriteString(string(k))
			b.WriteByte(',')
		}
		appendPlanKey(b, e.Next)
		b.WriteByte(')')
	}
}

// Expanded is what one Expand found from one entity: the same page Adjacent
// returns for its Filter and First, and for each of those relationships what
// the Expand's Next found from the entity at its other end, in order.
type Expanded struct {
	Adjacent
	Next [][]Expanded
}

// MaxExpands bounds the patterns in one tree of Expands.
const MaxExpands = 32

// CountExpands returns the number of Expands in es, their Next included.
func CountExpands(es []Expand) int {
	n := len(es)
	for _, e := range es {
		n += CountExpands(e.Next)
	}
	return n
}

// Tree is an entity with what a plan of Expands found from it: Found[i] is
// what plan[i] found.
type Tree struct {
	Root  Entity
	Found [][]Expanded
}
