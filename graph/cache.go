package graph

import (
	"bytes"
	"container/list"
	"context"
	"crypto/sha256"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// ResultCache answers a query that was answered before, at the same graph
// version, from memory. The graph is read-mostly and every write changes the
// version (see store.Store.GraphVersion), so an entry can never be served
// after the data under it changed; entries of older versions are dropped as
// soon as the version moves.
//
// A request with "Cache-Control: no-cache" (or no-store) is answered afresh,
// neither from the cache nor into it. Only queries are cached, only answers
// without errors, and only answers of at most MaxEntryBytes; the whole cache holds at most MaxBytes, least
// recently used first out. MaxBytes counts what an entry really holds in
// memory: the answer's bytes as allocated and the entry's bookkeeping
// (entryOverhead), so it bounds the cache's share of the heap. The key is the
// query text, the operation name and the coerced variables. Answers do not
// depend on who asks (reads are the same for every role), so the key holds no
// identity.
//
// A query that misses while the same query, at the same version, is already
// being answered waits for that answer instead of asking Neo4j again: under
// load, a popular search or hub arriving many times within one answer's time
// would otherwise run that many times.
type ResultCache struct {
	// Version reports the graph version and whether it is known; while it is
	// not, the cache is bypassed.
	Version func() (int64, bool)
	// Bypass, when set, reports whether a request must be answered afresh,
	// neither from the cache nor into it: one that asks for a state of the
	// graph the version has not shown yet (a bookmark of another server's
	// change, store.Store.Behind).
	Bypass func(ctx context.Context) bool
	// MaxBytes bounds the memory the cached answers and their bookkeeping hold.
	MaxBytes int64
	// MaxEntryBytes bounds one cached answer.
	MaxEntryBytes int64

	mu      sync.Mutex
	version int64
	bytes   int64
	order   *list.List // of *cacheEntry, most recently used first
	entries map[[32]byte]*list.Element
	flights map[flightKey]*flight

	hits, misses atomic.Int64
}

// flightKey identifies a query being answered at a version.
type flightKey struct {
	version int64
	key     [32]byte
}

// flight is a query being answered; done is closed when data is set (nil
// when the answer cannot be shared: errors, or too big).
type flight struct {
	done      chan struct{}
	data      json.RawMessage
	followers int // how many joined; under ResultCache.mu
}

type cacheEntry struct {
	key  [32]byte
	data json.RawMessage
}

// entryOverhead is what an entry costs besides its answer's bytes: its map
// slot (key and pointer, in a map that is never full), its list element and
// its cacheEntry; measured, about 240 bytes. Counting only the answers'
// lengths would let a full cache hold 2 to 3.6 times MaxBytes of heap (3.6
// with answers of 150 bytes, 2 with answers of 40 KB kept in buffers twice
// their size); TestCacheMemoryBounded checks the heap against MaxBytes.
const entryOverhead = 256

// size is what e holds in memory.
func (e *cacheEntry) size() int64 { return int64(cap(e.data)) + entryOverhead }

var _ interface {
	graphql.HandlerExtension
	graphql.ResponseInterceptor
} = &ResultCache{}

// ExtensionName implements graphql.HandlerExtension.
func (*ResultCache) ExtensionName() string { return "ResultCache" }

// Validate implements graphql.HandlerExtension.
func (*ResultCache) Validate(graphql.ExecutableSchema) error { return nil }

// Stats returns how many queries were answered from the cache and how many
// were not (bypassed ones excluded).
func (c *ResultCache) Stats() (hits, misses int64) { return c.hits.Load(), c.misses.Load() }

// Bytes returns the memory the cached answers hold, bookkeeping included.
func (c *ResultCache) Bytes() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.bytes
}

// Len returns the number of cached answers.
func (c *ResultCache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}

// InterceptResponse implements graphql.ResponseInterceptor.
func (c *ResultCache) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	if c.MaxBytes <= 0 || !graphql.HasOperationContext(ctx) {
		return next(ctx)
	}
	oc := graphql.GetOperationContext(ctx)
	if oc.Operation == nil || oc.Operation.Operation != ast.Query {
		return next(ctx)
	}
	if c.Bypass != nil && c.Bypass(ctx) || freshAsked(oc.Headers) {
		return next(ctx)
	}
	version, ok := c.Version()
	if !ok {
		return next(ctx)
	}
	key, ok := cacheKey(oc)
	if !ok {
		return next(ctx)
	}
	if data, ok := c.get(version, key); ok {
		c.hits.Add(1)
		return &graphql.Response{Data: data}
	}
	f, leader := c.join(version, key)
	if !leader {
		select {
		case <-f.done:
			if f.data != nil {
				c.hits.Add(1)
				return &graphql.Response{Data: f.data}
			}
		case <-ctx.Done():
		}
		// Not shareable, or this request's time is up: answer it alone.
		c.misses.Add(1)
		return next(ctx)
	}
	c.misses.Add(1)
	var shared json.RawMessage // stays nil if next panics
	defer func() { c.land(version, key, f, shared) }()
	resp := next(ctx)
	if resp != nil && len(resp.Errors) == 0 && resp.Data != nil && int64(len(resp.Data)) <= c.MaxEntryBytes {
		// gqlgen's answer sits in a buffer that grew by doubling, up to
		// twice its length: the cache keeps an exact copy.
		shared = bytes.Clone(resp.Data)
		c.put(version, key, shared)
	}
	return resp
}

// join returns the flight answering key at version and whether the caller
// leads it (must answer, then land it) or follows (waits for it).
func (c *ResultCache) join(version int64, key [32]byte) (*flight, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k := flightKey{version, key}
	if f, ok := c.flights[k]; ok {
		f.followers++
		return f, false
	}
	if c.flights == nil {
		c.flights = map[flightKey]*flight{}
	}
	f := &flight{done: make(chan struct{})}
	c.flights[k] = f
	return f, true
}

// land ends a flight with its leader's answer, data (nil when it could not
// be cached, and so is not shared), releasing its followers.
func (c *ResultCache) land(version int64, key [32]byte, f *flight, data json.RawMessage) {
	f.data = data
	c.mu.Lock()
	delete(c.flights, flightKey{version, key})
	c.mu.Unlock()
	close(f.done)
}

func cacheKey(oc *graphql.OperationContext) ([32]byte, bool) {
	// json.Marshal writes map keys sorted: equal variables give equal bytes.
	vars, err := json.Marshal(oc.Variables)
	if err != nil {
		return [32]byte{}, false
	}
	h := sha256.New()
	h.Write([]byte(oc.RawQuery))
	h.Write([]byte{0})
	h.Write([]byte(oc.OperationName))
	h.Write([]byte{0})
	h.Write(vars)
	var k [32]byte
	h.Sum(k[:0])
	return k, true
}

// sync drops everything when the version moved; c.mu is held.
func (c *ResultCache) sync(version int64) {
	if c.entries == nil || version != c.version {
		c.version, c.bytes = version, 0
		c.order = list.New()
		c.entries = map[[32]byte]*list.Element{}
	}
}

func (c *ResultCache) get(version int64, key [32]byte) (json.RawMessage, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sync(version)
	el, ok := c.entries[key]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(el)
	return el.Value.(*cacheEntry).data, true
}

func (c *ResultCache) put(version int64, key [32]byte, data json.RawMessage) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries != nil && version != c.version {
		// The graph changed while this answer was computed: it may mix
		// versions, so it is not kept.
		return
	}
	c.sync(version)
	if _, ok := c.entries[key]; ok {
		return
	}
	e := &cacheEntry{key: key, data: data}
	c.entries[key] = c.order.PushFront(e)
	c.bytes += e.size()
	for c.bytes > c.MaxBytes {
		last := c.order.Back()
		old := last.Value.(*cacheEntry)
		c.order.Remove(last)
		delete(c.entries, old.key)
		c.bytes -= old.size()
	}
}

// freshAsked reports whether the request asks for an answer computed afresh
// (Cache-Control: no-cache or no-store, RFC 9111): it is then neither served
// from the cache nor stored in it.
func freshAsked(h http.Header) bool {
	for _, v := range h.Values("Cache-Control") {
		for _, d := range strings.Split(v, ",") {
			switch strings.ToLower(strings.TrimSpace(d)) {
			case "no-cache", "no-store":
				return true
			}
		}
	}
	return false
}
