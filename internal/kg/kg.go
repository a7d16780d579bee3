// Package kg is innograph's domain: the kinds of entity and relationship in the
// Hong Kong / Greater Bay Area innovation knowledge graph, the values they carry
// (dates with precision, money, evidence), their validation rules, and the one
// error type with codes that every layer returns and the GraphQL edge translates.
//
// It depends on the standard library only.
package kg

// Entity is one real-world actor or thing in the graph: a person, university,
// lab, government body, agreement, project and so on.
type Entity struct {
	// ID is a stable, human-readable slug such as "polyu"; never a database id.
	ID string
	// Kind says what the entity is.
	Kind Kind
	// Name is the canonical name.
	Name string
	// Aliases are every other name the entity goes by in the sources.
	Aliases []string
	// Description is a short curator-written summary.
	Description string
	// Sources are the ids of the source documents that mention the entity.
	Sources []string
	// Version counts accepted changes; used for optimistic concurrency.
	Version int64
}

// Evidence is the provenance of one fact: a short verbatim quote, the
// source document it occurs in, how the source puts it and, when someone
// other than the source speaks, who.
type Evidence struct {
	// SourceID identifies the Source.
	SourceID string
	// Quote is at most one sentence, verbatim from the source.
	Quote string
	// Status is how the source puts the claim; empty means ASSERTED.
	Status ClaimStatus
	// AttributedTo is the entity id of who makes the claim when it is not
	// the source itself (a commentator, a cited outlet, a speaker), or "".
	AttributedTo string
}

// Relationship is a typed, directed, evidenced edge between two entities.
type Relationship struct {
	// ID is stable: derived from its endpoints, type and optional key.
	ID string
	// Type is the relationship type.
	Type RelType
	// From and To are entity ids.
	From, To string
	// Role is a role or title, such as "Director", where the text gives one.
	Role string
	// Since and Until bound the period in which the relationship holds.
	Since, Until *Date
	// On is a point in time at which the relationship happened (a signing, a grant).
	On *Date
	// Evidence lists every source statement that supports the relationship.
	Evidence []Evidence
	// Status is the strongest status among Evidence (StrongestStatus); the
	// store derives it, so writers may leave it empty.
	Status ClaimStatus
	// Funding is set on FUNDS relationships derived from a Funding record.
	FundingID string
}

// Funding is a first-class record of money given: who gives, who receives,
// who administers it, under which programme, how much and when.
type Funding struct {
	// ID is a stable slug.
	ID string
	// Funder is the entity id of the body that provides the money.
	Funder string
	// Recipients are entity ids of those who receive it; none when the source
	// names no recipient (money invested in a field, such as "I&T").
	Recipients []string
	// AdministeredBy is the entity id of the administering body, if stated.
	AdministeredBy string
	// Programme is the entity id of the programme or scheme, if stated.
	Programme string
	// Amount is the amount exactly as stated, nil when the text gives none.
	Amount *Money
	// Since and Until bound the period covered; On is a point in time.
	Since, Until, On *Date
	// Purpose says what the money is for.
	Purpose string
	// Evidence lists the supporting statements.
	Evidence []Evidence
	// Status is the strongest status among Evidence, as for Relationship.
	Status ClaimStatus
}

// Source is a document the graph is curated from.
type Source struct {
	// ID is a stable slug.
	ID string
	// File is the document's file name in the seeds folder.
	File string
	// Title, Publisher, Author and URL describe the document.
	Title, Publisher, Author, URL string
	// Published is the publication date, with the precision known.
	Published *Date
	// Digest is the document's digest (seed.Digest: "sha256:" and the hex
	// SHA-256 of its white-space-collapsed text), when known; a document
	// ingested twice is recognised by it.
	Digest string
}

// Graph is a batch of curated facts: what a seed file set or an import holds.
type Graph struct {
	Sources       []Source
	Entities      []Entity
	Relationships []Relationship
	Fundings      []Funding
	// Mentions are references to entities not defined in this batch.
	Mentions []Mention
}

// Mention records that a source mentions an entity defined elsewhere (for
// example already in the database), possibly under new aliases.
type Mention struct {
	EntityID string
	SourceID string
	Aliases  []string
}
