// Package model holds the GraphQL-facing types: those gqlgen generates from
// schema.graphqls (models_gen.go) and the hand-written ones here, which carry
// what a field resolver needs to finish the job (the filter behind a
// connection's totalCount, for example).
package model

import (
	"io"
	"strconv"

	"github.com/innograph/innograph/internal/kg"
)

// Date is the GraphQL Date scalar: a kg.Date with its precision.
type Date struct{ kg.Date }

// MarshalGQL writes the date as "YYYY", "YYYY-MM" or "YYYY-MM-DD".
func (d Date) MarshalGQL(w io.Writer) { io.WriteString(w, strconv.Quote(d.String())) }

// UnmarshalGQL parses a date string.
func (d *Date) UnmarshalGQL(v any) error {
	s, ok := v.(string)
	if !ok {
		return kg.Errorf(kg.CodeInvalid, "Date must be a string such as \"2019\", \"2019-05\" or \"2019-05-21\"")
	}
	p, err := kg.ParseDate(s)
	if err != nil {
		return err // a *kg.Error: BAD_USER_INPUT, the argument named by the error presenter
	}
	d.Date = p
	return nil
}

// DateOf converts a *kg.Date to a *Date.
func DateOf(d *kg.Date) *Date {
	if d == nil {
		return nil
	}
	return &Date{*d}
}

// EntityConnection is a page of entities; Count computes totalCount on demand.
type EntityConnection struct {
	Edges    []*EntityEdge
	Nodes    []Entity
	PageInfo *PageInfo
	// Count returns the number of matching entities; called only when asked.
	Count func() (int, error) `json:"-"`
}

// RelationshipConnection is a page of relationships; Count computes totalCount on demand.
type RelationshipConnection struct {
	Edges    []*RelationshipEdge
	Nodes    []*Relationship
	PageInfo *PageInfo
	Count    func() (int, error) `json:"-"`
}

// FundingConnection is a page of fundings; Count and Totals run on demand.
type FundingConnection struct {
	Edges    []*FundingEdge
	Nodes    []*Funding
	PageInfo *PageInfo
	Count    func() (int, error)      `json:"-"`
	Sums     func() ([]*Money, error) `json:"-"`
}

// Relationship is a GraphQL Relationship; From/To/FundingID are resolved by loaders.
type Relationship struct {
	ID       string
	Type     RelationshipType
	FromID   string `json:"-"`
	ToID     string `json:"-"`
	Role     *string
	Since    *Date
	Until    *Date
	On       *Date
	Evidence []*Evidence
	Status   ClaimStatus
	// FundingID names the Funding record behind a FUNDS relationship.
	FundingID string `json:"-"`
}

// Evidence is a quote with its claim status, and the ids of its source and
// of the entity it is attributed to, resolved by loaders.
type Evidence struct {
	Quote          string
	SourceID       string `json:"-"`
	Status         ClaimStatus
	AttributedToID string `json:"-"`
}

// Funding is a GraphQL Funding; entity references are resolved by loaders.
type Funding struct {
	ID             string
	FunderID       string   `json:"-"`
	RecipientIDs   []string `json:"-"`
	AdministeredBy string   `json:"-"`
	ProgrammeID    string   `json:"-"`
	Amount         *Money
	Period         *Period
	Purpose        *string
	Evidence       []*Evidence
	Status         ClaimStatus
}

// Role is a post held by a person.
type Role struct {
	OrganizationID string `json:"-"`
	Title          *string
	Type           RelationshipType
	Since          *Date
	Until          *Date
	On             *Date
	Status         ClaimStatus
	Relationship   *Relationship
}

// Source is a GraphQL Source.
type Source struct {
	ID        string
	Title     string
	Publisher *string
	Author    *string
	Published *Date
	URL       *string
	File      *string
}

// SchemaInfo is resolved field by field from one count of the graph.
type SchemaInfo struct {
	// Counts returns entity counts by kind and relationship counts by type;
	// both fields share one call.
	Counts func() (KindCounts, error) `json:"-"`
}

// KindCounts are the numbers of entities per kind and relationships per type.
type KindCounts struct {
	Entities, Relationships map[string]int64
}

// IsNode marks Source as a Node.
func (Source) IsNode() {}

// IsNode marks Relationship as a Node.
func (Relationship) IsNode() {}

// IsNode marks Funding as a Node.
func (Funding) IsNode() {}
