package kg

import "time"

// The ingestion workbench's records: what an analysis of a document
// proposes and what curators decide.

// Suggestion kinds, as stored and as the API names them.
const (
	SuggestionEntity       = "ENTITY"
	SuggestionAlias        = "ALIAS"
	SuggestionRelationship = "RELATIONSHIP"
	SuggestionFunding      = "FUNDING"
)

// Suggestion statuses.
const (
	SuggestionOpen     = "OPEN"
	SuggestionAccepted = "ACCEPTED"
	SuggestionRejected = "REJECTED"
)

// MentionRecord is one stored mention: a span of the document naming known
// entities. Offsets are Unicode code points, half-open.
type MentionRecord struct {
	// Start and End delimit the span; Text is the spanned text.
	Start, End int
	Text       string
	// EntityIDs are the entities the span may name (more than one when it
	// is ambiguous).
	EntityIDs []string
}

// ProposalEnd is one end of a proposed relationship or funding: known
// entities named in the text, or another suggestion (a new entity).
type ProposalEnd struct {
	// Text is the end as the document names it; Start and End its span in
	// code points.
	Text       string   `json:"text"`
	Start      int      `json:"start"`
	End        int      `json:"end"`
	Candidates []string `json:"candidates,omitempty"`
	// Suggestion is the id of the ENTITY suggestion the end refers to.
	Suggestion string `json:"suggestion,omitempty"`
}

// Proposal is what a suggestion proposes; which fields are set depends on
// its kind.
type Proposal struct {
	// ENTITY: a new entity.
	Name       string   `json:"name,omitempty"`
	EntityKind Kind     `json:"entityKind,omitempty"`
	Aliases    []string `json:"aliases,omitempty"`
	// ALIAS: a new alias for a known entity.
	EntityID string `json:"entityId,omitempty"`
	Alias    string `json:"alias,omitempty"`
	// RELATIONSHIP: From RelType To.
	RelType RelType      `json:"relType,omitempty"`
	From    *ProposalEnd `json:"from,omitempty"`
	To      *ProposalEnd `json:"to,omitempty"`
	Role    string       `json:"role,omitempty"`
	// On is the date the sentence gives (RELATIONSHIP and FUNDING).
	On string `json:"on,omitempty"`
	// FUNDING: money from Funder to Recipients.
	Amount     *Money        `json:"amount,omitempty"`
	Funder     *ProposalEnd  `json:"funder,omitempty"`
	Recipients []ProposalEnd `json:"recipients,omitempty"`
}

// SuggestionRecord is one stored suggestion.
type SuggestionRecord struct {
	// ID is derived from SourceID and Fingerprint (store.SuggestionID).
	ID       string
	SourceID string
	// Fingerprint identifies the suggestion across analyses: its kind, its
	// normalised proposal and its span.
	Fingerprint string
	Kind        string
	// Status is OPEN, ACCEPTED or REJECTED.
	Status     string
	Confidence float64
	// Quote is the sentence that is the suggestion's evidence; Start and End
	// the span it rests on, in code points.
	Quote      string
	Start, End int
	// Text is the spanned text.
	Text string
	// Claim is how the sentence puts the fact.
	Claim    ClaimStatus
	Proposal Proposal
	// The decision: who took it, when, why; and what accepting wrote.
	DecidedBy      string
	DecidedAt      *time.Time
	Reason         string
	EntityID       string
	RelationshipID string
	FundingID      string
}

// IngestResult is what storing an ingested document did.
type IngestResult struct {
	// Source is the document's source: new, or the one that already had its
	// digest.
	Source Source
	// Created is true when the source is new.
	Created bool
	// Mentions and Suggestions count what the source now has.
	Mentions, Suggestions int
	// NewSuggestions counts the suggestions this analysis added.
	NewSuggestions int
}

// SuggestionEdit is what a curator changes in a suggestion before accepting
// it; zero fields keep the proposal's value.
type SuggestionEdit struct {
	// ENTITY: the new entity's id (default: a slug of its name), name, kind,
	// aliases and description.
	EntityID    string
	Name        string
	Kind        Kind
	Aliases     *[]string
	Description string
	// ALIAS: the alias to add.
	Alias string
	// RELATIONSHIP: the type, the ends (an entity id or the id of an entity
	// suggestion), the role and the dates.
	RelType          RelType
	From, To         string
	Role             *string
	Since, Until, On *Date
	// FUNDING: funder and recipients (entity or suggestion ids).
	Funder     string
	Recipients *[]string
}

// IngestDocument is a document to ingest.
type IngestDocument struct {
	// Title is required; Publisher, Author and URL are optional.
	Title, Publisher, Author, URL string
	// Published is the publication date; relative dates in the text are
	// resolved against it.
	Published *Date
	// Text is the document's plain text, UTF-8.
	Text string
}
