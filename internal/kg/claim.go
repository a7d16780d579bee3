package kg

import "strings"

// ClaimStatus is how a source puts a claim: as fact, as a plan, as what
// someone else said, or as a view.
type ClaimStatus string

// The claim statuses, strongest first (see Rank).
const (
	// StatusAsserted is stated by the source as fact, past or present.
	StatusAsserted ClaimStatus = "ASSERTED"
	// StatusReported is attributed by the source to someone else ("according
	// to SCMP", "a press release explains", "Sit said").
	StatusReported ClaimStatus = "REPORTED"
	// StatusPlanned is in the future: intended, announced, "will".
	StatusPlanned ClaimStatus = "PLANNED"
	// StatusOpinion is a view, assessment, forecast or speculation.
	StatusOpinion ClaimStatus = "OPINION"
)

// ClaimStatuses lists every status, strongest first.
var ClaimStatuses = []ClaimStatus{StatusAsserted, StatusReported, StatusPlanned, StatusOpinion}

// Valid reports whether s is one of ClaimStatuses.
func (s ClaimStatus) Valid() bool { return s.Rank() >= 0 }

// Rank orders statuses by strength: 0 for ASSERTED, then REPORTED, PLANNED
// and OPINION; -1 for an unknown status.
func (s ClaimStatus) Rank() int {
	for i, c := range ClaimStatuses {
		if c == s {
			return i
		}
	}
	return -1
}

// ParseClaimStatus parses a status name case-insensitively.
func ParseClaimStatus(s string) (ClaimStatus, error) {
	c := ClaimStatus(strings.ToUpper(strings.TrimSpace(s)))
	if !c.Valid() {
		return "", Errorf(CodeInvalid, "unknown claim status %q: want ASSERTED, REPORTED, PLANNED or OPINION", s)
	}
	return c, nil
}

// Or returns s, or def when s is empty.
func (s ClaimStatus) Or(def ClaimStatus) ClaimStatus {
	if s == "" {
		return def
	}
	return s
}

// StatusOf is the status of a claim supported by evs: s when it is a valid
// status (the store derives it on every write), else the strongest of evs,
// else ASSERTED.
func StatusOf(s ClaimStatus, evs []Evidence) ClaimStatus {
	if s.Valid() {
		return s
	}
	return StrongestStatus(evs).Or(StatusAsserted)
}

// StrongestStatus returns the strongest status among evs (an empty status
// counts as ASSERTED), or "" when evs is empty.
func StrongestStatus(evs []Evidence) ClaimStatus {
	best := ClaimStatus("")
	for _, ev := range evs {
		s := ev.Status.Or(StatusAsserted)
		if best == "" || s.Rank() < best.Rank() {
			best = s
		}
	}
	return best
}

// AllStatuses reports whether ss is empty or names every status, so that a
// filter by ss keeps everything.
func AllStatuses(ss []ClaimStatus) bool {
	if len(ss) == 0 {
		return true
	}
	for _, c := range ClaimStatuses {
		found := false
		for _, s := range ss {
			if s == c {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}
