package kg

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"sync"
)

// Bookmark identifies a committed state of the graph: the one a change left.
// A request that carries it reads that state or a later one, through any
// server of the same graph: Neo4j holds its reads until the database (a read
// replica too) has applied the bookmarked transaction, and no server answers
// it from a result cache that predates the change (see Store.Behind).
type Bookmark struct {
	// Version is the persisted graph version the change committed (see
	// Store.GraphVersion).
	Version int64 `json:"v"`
	// Raw holds the driver's bookmarks of the change's transaction.
	Raw []string `json:"b"`
}

// Bookmark limits: the encoded size, the number of driver bookmarks and the
// length of one. A bookmark this Store issues holds one driver bookmark of
// under a hundred bytes.
const (
	MaxBookmarkBytes = 4096
	maxRawBookmarks  = 16
	maxRawBookmark   = 1024
)

// String encodes b for a client: base64url (no padding) of a small JSON
// object, opaque to clients.
func (b Bookmark) String() string {
	j, _ := json.Marshal(b)
	return base64.RawURLEncoding.EncodeToString(j)
}

// ParseBookmark decodes a bookmark made by Bookmark.String. Anything else is
// refused with BAD_USER_INPUT on field, saying what to send.
func ParseBookmark(field, s string) (Bookmark, error) {
	bad := InvalidArg(field, "malformed bookmark: send back the bookmark a mutation's answer gave (its %s header or extensions.bookmark), unchanged", field)
	if len(s) > MaxBookmarkBytes {
		return Bookmark{}, InvalidArg(field, "the bookmark is %d bytes; one this server issues is far shorter (at most %d allowed): send back the value a mutation's answer gave, unchanged", len(s), MaxBookmarkBytes)
	}
	j, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return Bookmark{}, bad
	}
	dec := json.NewDecoder(bytes.NewReader(j))
	dec.DisallowUnknownFields()
	var b Bookmark
	if err := dec.Decode(&b); err != nil || dec.More() || b.Version < 1 || len(b.Raw) > maxRawBookmarks {
		return Bookmark{}, bad
	}
	for _, r := range b.Raw {
		if r == "" || len(r) > maxRawBookmark {
			return Bookmark{}, bad
		}
		for i := 0; i < len(r); i++ {
			if r[i] < 0x21 || r[i] > 0x7e {
				return Bookmark{}, bad
			}
		}
	}
	return b, nil
}

// Causal is one request's causal context: the bookmark it came with, which
// its reads and writes wait for, and the bookmark of its latest change.
type Causal struct {
	after Bookmark

	mu   sync.Mutex
	last Bookmark
}

// NewCausal returns the causal context of a request that came with bookmark
// after (the zero Bookmark for none).
func NewCausal(after Bookmark) *Causal { return &Causal{after: after} }

// Last returns the bookmark of the request's latest change, and whether it
// made one.
func (c *Causal) Last() (Bookmark, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.last, c.last.Version > 0
}

// Wrote records b, the bookmark of a change the request made.
func (c *Causal) Wrote(b Bookmark) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if b.Version > c.last.Version {
		c.last = b
	}
}

type causalKey struct{}

// WithCausal returns ctx carrying c: the Store's transactions under ctx wait
// for c's bookmarks and record their own in c.
func WithCausal(ctx context.Context, c *Causal) context.Context {
	return context.WithValue(ctx, causalKey{}, c)
}

// CausalFrom returns the causal context of ctx, or nil.
func CausalFrom(ctx context.Context) *Causal {
	c, _ := ctx.Value(causalKey{}).(*Causal)
	return c
}

// After returns the bookmark the request came with (the zero Bookmark for
// none).
func (c *Causal) After() Bookmark { return c.after }
