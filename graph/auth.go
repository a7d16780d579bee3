package graph

import (
	"bufio"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"net/http"
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
// new lines; blank lines and lines starting with # are ignored.
func ParseTokens(spec string) (*Tokens, error) {
	t := &Tokens{}
	sc := bufio.NewScanner(strings.NewReader(strings.ReplaceAll(spec, ",", "\n")))
	line := 0
	for sc.Scan() {
		line++
		s := strings.TrimSpace(sc.Text())
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		parts := strings.Split(s, ":")
		if len(parts) != 3 {
			return nil, fmt.Errorf("token entry %d: want name:role:sha256hex", line)
		}
		role, err := kg.ParseRole(parts[1])
		if err != nil {
			return nil, fmt.Errorf("token entry %d: %s", line, kg.ErrorMessage(err))
		}
		h, err := hex.DecodeString(parts[2])
		if err != nil || len(h) != 32 {
			return nil, fmt.Errorf("token entry %d: the hash must be 64 hex digits (sha256 of the token)", line)
		}
		var e tokenEntry
		copy(e.hash[:], h)
		e.actor = kg.Actor{Name: parts[0], Role: role}
		t.entries = append(t.entries, e)
	}
	return t, sc.Err()
}

// LoadTokens combines an inline spec and a token file (either may be empty).
func LoadTokens(spec, file string) (*Tokens, error) {
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("token file: %w", err)
		}
		spec += "\n" + string(b)
	}
	return ParseTokens(spec)
}

// HashToken returns the hex SHA-256 of a token, as the configuration wants it.
func HashToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// lookup compares in constant time against every entry.
func (t *Tokens) lookup(token string) (kg.Actor, bool) {
	h := sha256.Sum256([]byte(token))
	var found kg.Actor
	ok := false
	for _, e := range t.entries {
		if subtle.ConstantTimeCompare(h[:], e.hash[:]) == 1 {
			found, ok = e.actor, true
		}
	}
	return found, ok
}

type actorKey struct{}

// ActorFrom returns the authenticated caller, if any.
func ActorFrom(ctx context.Context) (kg.Actor, bool) {
	a, ok := ctx.Value(actorKey{}).(kg.Actor)
	return a, ok
}

// Authenticate resolves the bearer token of each request. A request with a
// wrong token is rejected outright (401); one without a token proceeds
// anonymously when anonymousReads is true (mutations then fail with
// UNAUTHENTICATED), and is rejected otherwise.
func Authenticate(t *Tokens, anonymousReads bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := r.Header.Get("Authorization")
		if h == "" {
			if !anonymousReads && r.Method != http.MethodOptions {
				authError(w, "this server requires a bearer token for every request")
				return
			}
			next.ServeHTTP(w, r)
			return
		}
		token, ok := strings.CutPrefix(h, "Bearer ")
		actor, known := t.lookup(strings.TrimSpace(token))
		if !ok || !known {
			authError(w, "invalid bearer token")
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), actorKey{}, actor)))
	})
}

func authError(w http.ResponseWriter, msg string) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="innograph"`)
	WriteHTTPError(w, http.StatusUnauthorized, kg.CodeUnauthenticated, msg)
}
