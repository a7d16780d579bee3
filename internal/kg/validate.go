package kg

import (
	"regexp"
	"strings"
	"unicode"
)

// Limits on curated values.
const (
	MaxIDLen          = 100
	MaxNameLen        = 300
	MaxDescriptionLen = 2000
	MaxQuoteLen       = 600
	MaxAliases        = 50
)

var idRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// ValidID reports whether s is a well-formed id: a lowercase slug of letters,
// digits and single hyphens, at most MaxIDLen long.
func ValidID(s string) bool { return len(s) <= MaxIDLen && idRE.MatchString(s) }

// CheckID returns a CodeInvalid error naming field when s is not a valid id.
func CheckID(field, s string) error {
	if !ValidID(s) {
		return InvalidArg(field, "malformed id %q: want a lowercase slug such as \"polyu\" or \"state-key-lab-1\" (at most %d characters)", truncate(s, 120), MaxIDLen)
	}
	return nil
}

// CheckText returns a CodeInvalid error naming field when s holds a character
// that can make a name, alias or description display as something other than
// what is stored, or corrupt logs and exports: a control character (C0, DEL or
// C1) other than tab, line feed and carriage return (white space that
// CollapseSpace and NameKey fold), or a bidirectional embedding, override or
// isolate (U+202A to U+202E, U+2066 to U+2069).
func CheckText(field, s string) error {
	for i, r := range s {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
		case unicode.IsControl(r):
			return InvalidArg(field, "%q contains the control character U+%04X at byte %d; remove it (tab and line breaks are the only control characters allowed)",
				truncate(s, 80), r, i)
		case r >= '\u202A' && r <= '\u202E' || r >= '\u2066' && r <= '\u2069':
			return InvalidArg(field, "%q contains the bidirectional formatting character U+%04X at byte %d, which can make the text display in another order than it is stored; remove it",
				truncate(s, 80), r, i)
		}
	}
	return nil
}

// NameKey folds a name for comparison: lower case, collapsed white space,
// punctuation other than letters and digits dropped.
func NameKey(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(s) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		default:
			space = true
		}
	}
	return b.String()
}

// CollapseSpace replaces every run of white space with one space and trims.
func CollapseSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

// Validate checks an entity's own fields.
func (e *Entity) Validate() error {
	if err := CheckID("id", e.ID); err != nil {
		return err
	}
	if !e.Kind.Valid() {
		return InvalidArg("kind", "unknown entity kind %q", e.Kind)
	}
	if strings.TrimSpace(e.Name) == "" {
		return InvalidArg("name", "name is required")
	}
	if len(e.Name) > MaxNameLen {
		return InvalidArg("name", "name is %d bytes; at most %d allowed", len(e.Name), MaxNameLen)
	}
	if len(e.Description) > MaxDescriptionLen {
		return InvalidArg("description", "description is %d bytes; at most %d allowed", len(e.Description), MaxDescriptionLen)
	}
	if err := CheckText("name", e.Name); err != nil {
		return err
	}
	if err := CheckText("description", e.Description); err != nil {
		return err
	}
	if len(e.Aliases) > MaxAliases {
		return InvalidArg("aliases", "%d aliases; at most %d allowed", len(e.Aliases), MaxAliases)
	}
	// Aliases that differ only in punctuation ("Chang'e" and "Chang’e") are
	// kept: both spellings occur in sources. Exact repeats are mistakes.
	seen := map[string]bool{e.Name: true}
	for _, a := range e.Aliases {
		if strings.TrimSpace(a) == "" || len(a) > MaxNameLen {
			return InvalidArg("aliases", "alias %q is empty or longer than %d bytes", truncate(a, 80), MaxNameLen)
		}
		if err := CheckText("aliases", a); err != nil {
			return err
		}
		k := a
		if seen[k] {
			return InvalidArg("aliases", "alias %q repeats the name or another alias", a)
		}
		seen[k] = true
	}
	return nil
}

// Validate checks a piece of evidence.
func (ev Evidence) Validate() error {
	if err := CheckID("evidence.source", ev.SourceID); err != nil {
		return err
	}
	q := strings.TrimSpace(ev.Quote)
	if q == "" {
		return InvalidArg("evidence.quote", "a quote from the source is required as provenance")
	}
	if len(q) > MaxQuoteLen {
		return InvalidArg("evidence.quote", "quote is %d bytes; at most %d (one sentence) allowed", len(q), MaxQuoteLen)
	}
	if err := CheckText("evidence.quote", q); err != nil {
		return err
	}
	if ev.Status != "" && !ev.Status.Valid() {
		return InvalidArg("evidence.status", "unknown claim status %q: want ASSERTED, REPORTED, PLANNED or OPINION", ev.Status)
	}
	if ev.AttributedTo != "" {
		if err := CheckID("evidence.attributedTo", ev.AttributedTo); err != nil {
			return err
		}
	}
	return nil
}

// Validate checks a relationship's own fields.
func (r *Relationship) Validate() error {
	if !r.Type.Valid() {
		return InvalidArg("type", "unknown relationship type %q", r.Type)
	}
	if err := CheckID("from", r.From); err != nil {
		return err
	}
	if err := CheckID("to", r.To); err != nil {
		return err
	}
	if r.From == r.To {
		return InvalidArg("to", "a relationship cannot connect %q to itself", r.From)
	}
	if r.Since != nil && r.Until != nil && r.Until.End().Before(r.Since.Start()) {
		return InvalidArg("until", "until %s is before since %s", r.Until, r.Since)
	}
	if len(r.Evidence) == 0 {
		return InvalidArg("evidence", "every relationship needs provenance: a source and a quote")
	}
	for _, ev := range r.Evidence {
		if err := ev.Validate(); err != nil {
			return err
		}
	}
	return nil
}

// RelationshipID returns the stable id of a relationship from its endpoints,
// type and optional discriminating key.
func RelationshipID(from string, t RelType, to, key string) string {
	id := from + "~" + strings.ToLower(string(t)) + "~" + to
	if key != "" {
		id += "~" + key
	}
	return id
}

// Validate checks a funding record's own fields.
func (f *Funding) Validate() error {
	if err := CheckID("id", f.ID); err != nil {
		return err
	}
	if err := CheckID("funder", f.Funder); err != nil {
		return err
	}
	for _, r := range f.Recipients {
		if err := CheckID("recipients", r); err != nil {
			return err
		}
	}
	if f.AdministeredBy != "" {
		if err := CheckID("administeredBy", f.AdministeredBy); err != nil {
			return err
		}
	}
	if f.Programme != "" {
		if err := CheckID("programme", f.Programme); err != nil {
			return err
		}
	}
	if f.Amount != nil {
		if _, err := ParseMoney(f.Amount.Value, f.Amount.Currency); err != nil {
			return err
		}
	}
	if len(f.Evidence) == 0 {
		return InvalidArg("evidence", "every funding needs provenance: a source and a quote")
	}
	for _, ev := range f.Evidence {
		if err := ev.Validate(); err != nil {
			return err
		}
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
