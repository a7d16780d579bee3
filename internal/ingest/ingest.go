// Package ingest is innograph's deterministic article analyser (issue 22): given
// a new article, it proposes what a curator may add to the graph — mentions of
// known entities, new entities, aliases, relationships and funding records —
// each anchored to a verbatim span of the text and to the sentence that is its
// evidence quote.
//
// It is pure Go: no database, no network and no model. A Dictionary is built
// once from the graph's entities (New) and analyses any number of documents
// (Analyse), concurrently if wanted; it is read-only after New.
//
// Offsets: every Span is a pair of BYTE offsets into Document.Text, half-open
// [Start, End), so Text[Start:End] is the spanned text.
package ingest

import (
	"github.com/innograph/innograph/internal/kg"
)

// Document is an article to analyse.
type Document struct {
	// Text is the article's text, UTF-8.
	Text string
	// Published is the publication date; relative dates ("last year") are
	// resolved against it. Nil leaves them unresolved.
	Published *kg.Date
	// SourceID names the source the suggestions will cite.
	SourceID string
}

// Span is a half-open range [Start, End) of byte offsets into Document.Text.
type Span struct {
	// Start is the first byte; End the byte after the last.
	Start, End int
}

// Text returns the spanned part of text.
func (s Span) Text(text string) string { return text[s.Start:s.End] }

// Candidate is one known entity a mention may refer to.
type Candidate struct {
	// EntityID is the entity's id; Name its canonical name; Kind its kind.
	EntityID string
	Name     string
	Kind     kg.Kind
}

// Mention is one occurrence of a known entity's name or alias in the text.
// More than one Candidate means the surface form is ambiguous: the analyser
// offers them all and guesses none.
type Mention struct {
	Span Span
	// Sentence is the index into Analysis.Sentences of the sentence holding it.
	Sentence int
	// Candidates are the entities the form names; never empty.
	Candidates []Candidate
}

// Ambiguous reports whether the mention has more than one candidate.
func (m Mention) Ambiguous() bool { return len(m.Candidates) > 1 }

// SuggestionType says what a Suggestion proposes.
type SuggestionType string

// The suggestion types.
const (
	// SuggestEntity proposes a new entity (NewEntity is set).
	SuggestEntity SuggestionType = "ENTITY"
	// SuggestAlias proposes a new alias for a known entity (Alias is set).
	SuggestAlias SuggestionType = "ALIAS"
	// SuggestRelationship proposes a relationship (Relationship is set).
	SuggestRelationship SuggestionType = "RELATIONSHIP"
	// SuggestFunding proposes a funding record (Funding is set).
	SuggestFunding SuggestionType = "FUNDING"
)

// Suggestion is one proposal for the curator, anchored to a span and quoting
// the sentence that supports it. Exactly one of the pointer fields is set,
// according to Type.
type Suggestion struct {
	// Type says which of NewEntity, Alias, Relationship and Funding is set.
	Type SuggestionType
	// Span is the text the suggestion rests on (the name, the amount, the
	// words stating the relationship).
	Span Span
	// Sentence indexes Analysis.Sentences; Quote is that sentence, verbatim.
	Sentence int
	Quote    string
	// Confidence is a heuristic score in (0, 1].
	Confidence float64
	// Status is how the sentence puts the fact.
	Status kg.ClaimStatus

	// NewEntity, Alias, Relationship and Funding: the proposal itself.
	NewEntity    *NewEntity
	Alias        *AliasSuggestion
	Relationship *RelSuggestion
	Funding      *FundingSuggestion
}

// NewEntity is a proposed entity the graph lacks.
type NewEntity struct {
	// Name is the name as the text gives it; Kind the proposed kind;
	// Aliases an acronym the text defines for it.
	Name    string
	Kind    kg.Kind
	Aliases []string
}

// AliasSuggestion proposes that a known entity also goes by Alias.
type AliasSuggestion struct {
	// EntityID is the known entity; Alias the name the text gives it.
	EntityID string
	Alias    string
}

// End is one end of a suggested relationship or funding: a mention of known
// entities (Candidates) or a new entity suggested in the same analysis (NewName).
type End struct {
	// Span is where the end is named in the text.
	Span Span
	// Candidates are the known entities a mention names (nil for a new name).
	Candidates []Candidate
	// NewName is the name of a NewEntity suggestion ("" for a mention).
	NewName string
}

// RelSuggestion proposes "From Type To".
type RelSuggestion struct {
	// Type is the relationship type; it reads "From Type To".
	Type     kg.RelType
	From, To End
	// Role is the title as stated, for HEADS, DIRECTS and WORKS_AT.
	Role string
	// On is the date the sentence gives, resolved against Document.Published.
	On *kg.Date
}

// FundingSuggestion proposes a funding record: an amount and, when the
// sentence names them, the funder and recipients.
type FundingSuggestion struct {
	// Amount is exact as stated; its Note holds the qualifier ("over") and
	// any equivalent in another currency.
	Amount kg.Money
	// Funder is the nearest body before the amount, nil when none.
	Funder *End
	// Recipients are the bodies named after the amount.
	Recipients []End
	// On is the date the sentence gives.
	On *kg.Date
}

// Analysis is what Analyse finds in a document.
type Analysis struct {
	// Sentences are the sentence spans, in order, covering the text's words.
	Sentences []Span
	// Mentions are the known entities' occurrences, in text order, not overlapping.
	Mentions []Mention
	// Suggestions are the proposals: new entities, then aliases, then
	// relationships, then fundings, each in text order.
	Suggestions []Suggestion
}
