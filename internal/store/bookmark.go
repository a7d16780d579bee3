package store

import (
	"context"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/innograph/innograph/internal/kg"
)

// bookmarksOf returns the driver bookmarks a transaction under ctx waits for:
// the request's bookmark and its own latest change's.
func bookmarksOf(ctx context.Context) neo4j.Bookmarks {
	c := kg.CausalFrom(ctx)
	if c == nil {
		return nil
	}
	last, _ := c.Last()
	if len(last.Raw) == 0 {
		return c.After().Raw
	}
	return append(append(neo4j.Bookmarks{}, c.After().Raw...), last.Raw...)
}

// Behind reports whether the request in ctx carries a bookmark of a graph
// version newer than the persisted version this Store read last (or that
// could not be read): answers cached at the current GraphVersion may predate
// the bookmarked change, so such a request must not be answered from, nor
// fill, a result cache. Once WatchVersion has read the bookmarked version,
// every answer cached since includes the change; a request that is behind
// asks it to read the version at once rather than at its next tick (one
// read at a time), so that the cache catches up for every request.
func (s *Store) Behind(ctx context.Context) bool {
	c := kg.CausalFrom(ctx)
	if c == nil || c.After().Version == 0 {
		return false
	}
	r := s.remoteVersion.Load()
	if r != versionUnknown && r >= c.After().Version {
		return false
	}
	select {
	case s.readVersion <- struct{}{}:
	default: // a read is asked for already
	}
	return true
}
