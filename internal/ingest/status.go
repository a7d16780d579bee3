package ingest

import (
	"regexp"

	"github.com/innograph/innograph/internal/kg"
)

var (
	opinionRE  = regexp.MustCompile(`(?i)\b(should|could|might|would|ought to|(?:is|are|was|were) expected to|i think|i believe|we believe|in my view|in our view|hopes? (?:to|that)|it is hoped|may well|is likely to|are likely to)\b`)
	reportedRE = regexp.MustCompile(`(?i)\b(according to|said|says|told|stated|noted|reported|press release|pointed out|explained|explains|remarked|added)\b`)
	plannedRE  = regexp.MustCompile(`(?i)\b(will|shall|plans? to|planned|planning to|(?:is|are) to be|(?:is|are) to|(?:is|are) scheduled|scheduled to|aims? to|intends? to|is set to|are set to|is going to|are going to|upcoming)\b`)
)

// Status returns how sentence puts its facts: OPINION when it comments
// ("should", "could", "is expected to", "I think"), else REPORTED when it
// attributes them ("according to", "said", "a press release explains"),
// else PLANNED when they lie ahead ("will", "plans to", "is to"), else ASSERTED.
func Status(sentence string) kg.ClaimStatus {
	switch {
	case opinionRE.MatchString(sentence):
		return kg.StatusOpinion
	case reportedRE.MatchString(sentence):
		return kg.StatusReported
	case plannedRE.MatchString(sentence):
		return kg.StatusPlanned
	}
	return kg.StatusAsserted
}
