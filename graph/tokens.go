package graph

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"strings"

	"github.com/innograph/innograph/internal/kg"
)

// Tokens maps bearer tokens, by their SHA-256 hash, to the actors they
// authenticate. Tokens themselves are never stored.
type Tokens struct {
	entries []tokenEntry
}

type tokenEntry struct {
	hash  [32]byte
	actor kg.Actor
}

// ParseTokens reads entries "name:role:sha256hex" separated by commas or
// new lines; blank entries are ignored, and so is the rest of a line from an
// entry that starts with #. Errors name
// an entry by its position among the comma- and line-separated entries
// ("token entry 2"); LoadTokens names the configuration instead.
func ParseTokens(spec string) (*Tokens, error) {
	t := &Tokens{}
	if err := t.add(spec, func(entry, _ int) string { return fmt.Sprintf("token entry %d", entry) }, map[[32]byte]string{}); err != nil {
		return nil, err
	}
	return t, nil
}

// LoadTokens reads the tokens of AUTH_TOKENS (spec) and of the file
// AUTH_TOKEN_FILE names (file), in ParseTokens's format; either may be empty.
// Errors name AUTH_TOKENS and the entry's position, or AUTH_TOKEN_FILE and the
// file's line. An entry with an empty name, an unknown role or a malformed
// hash is refused, and so is a hash listed twice (in either place).
func LoadTokens(spec, file string) (*Tokens, error) {
	t := &Tokens{}
	seen := map[[32]byte]string{}
	if err := t.add(spec, func(entry, _ int) string { return fmt.Sprintf("AUTH_TOKENS entry %d", entry) }, seen); err != nil {
		return nil, err
	}
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("AUTH_TOKEN_FILE: %w (it names a file of token entries name:role:sha256hex, one a line)", err)
		}
		where := func(_, line int) string { return fmt.Sprintf("AUTH_TOKEN_FILE %s, line %d", file, line) }
		if err := t.add(string(b), where, seen); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// add parses spec's entries into t. where names an entry for errors from its
// position among all entries and its line (both from 1); seen maps the hashes
// already listed to where they were.
func (t *Tokens) add(spec string, where func(entry, line int) string, seen map[[32]byte]string) error {
	entry := 0
	for i, text := range strings.Split(spec, "\n") {
		for _, s := range strings.Split(text, ",") {
			entry++
			s = strings.TrimSpace(s)
			if strings.HasPrefix(s, "#") {
				break // a comment, to the end of the line
			}
			if s == "" {
				continue
			}
			at := where(entry, i+1)
			// The fields are not echoed: a mistaken entry may hold the token itself.
			parts := strings.Split(s, ":")
			if len(parts) != 3 {
				return fmt.Errorf("%s: has %d field(s) separated by ':'; want name:role:sha256hex", at, len(parts))
			}
			name, roleText, hash := strings.TrimSpace(parts[0]), strings.TrimSpace(parts[1]), strings.TrimSpace(parts[2])
			if name == "" {
				return fmt.Errorf("%s: the name is empty; want name:role:sha256hex, where name is who the audit log records", at)
			}
			if err := kg.CheckText("name", name); err != nil {
				return fmt.Errorf("%s: %s", at, kg.ErrorMessage(err))
			}
			role, err := kg.ParseRole(roleText)
			if err != nil {
				return fmt.Errorf("%s (name %q): %s", at, name, kg.ErrorMessage(err))
			}
			h, err := hex.DecodeString(hash)
			if err != nil || len(h) != 32 {
				return fmt.Errorf("%s (name %q): the hash is %d characters; want the 64 hex digits of the token's SHA-256 (innograph hash-token TOKEN prints them)",
					at, name, len(hash))
			}
			e := tokenEntry{actor: kg.Actor{Name: name, Role: role}}
			copy(e.hash[:], h)
			if prev, dup := seen[e.hash]; dup {
				return fmt.Errorf("%s (name %q): the same token hash as %s; list each token once, so that one token is one actor", at, name, prev)
			}
			seen[e.hash] = fmt.Sprintf("%s (name %q)", at, name)
			t.entries = append(t.entries, e)
		}
	}
	return nil
}

// Len returns the number of tokens.
func (t *Tokens) Len() int {
	if t == nil {
		return 0
	}
	return len(t.entries)
}

// HashToken returns the hex SHA-256 of a token, as the configuration wants it.
func HashToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}
