package model

// Hand-written models of the ingestion workbench: they carry the ids that
// field resolvers load (entities, sources, suggestions).

// Suggestion is a suggestion of the ingestion workbench.
type Suggestion struct {
	ID           string
	Kind         SuggestionKind
	Status       SuggestionStatus
	Confidence   float64
	Quote        string
	Start, End   int
	Text         string
	ClaimStatus  ClaimStatus
	Entity       *ProposedEntity
	Alias        *ProposedAlias
	Relationship *ProposedRelationship
	Funding      *ProposedFunding
	DecidedBy    *string
	DecidedAt    *string
	Reason       *string
	// SourceID and the Accepted ids are loaded by field resolvers.
	SourceID               string `json:"-"`
	AcceptedEntityID       string `json:"-"`
	AcceptedRelationshipID string `json:"-"`
	AcceptedFundingID      string `json:"-"`
}

// ProposedAlias is a proposed alias; EntityID is loaded by its resolver.
type ProposedAlias struct {
	Alias    string
	EntityID string `json:"-"`
}

// SuggestionEnd is one end of a proposed relationship or funding.
type SuggestionEnd struct {
	Text       string
	Start, End int
	// CandidateIDs and SuggestionID are loaded by field resolvers.
	CandidateIDs []string `json:"-"`
	SuggestionID string   `json:"-"`
}

// Mention is an occurrence of known entities' name; EntityIDs are loaded by
// its resolver.
type Mention struct {
	Start, End int
	Text       string
	EntityIDs  []string `json:"-"`
}

// MentionConnection is a page of mentions; Count computes totalCount on demand.
type MentionConnection struct {
	Edges    []*MentionEdge
	Nodes    []*Mention
	PageInfo *PageInfo
	Count    func() (int, error) `json:"-"`
}

// SuggestionConnection is a page of suggestions; Count computes totalCount on demand.
type SuggestionConnection struct {
	Edges    []*SuggestionEdge
	Nodes    []*Suggestion
	PageInfo *PageInfo
	Count    func() (int, error) `json:"-"`
}

// IsNode marks Suggestion as a Node.
func (Suggestion) IsNode() {}
