package store

import (
	"context"
	"sync"
)

// coalescer merges concurrent calls of one keyed read, from any number of
// requests, into shared statements. Neo4j spends most of a point lookup on
// the statement, not the keys: on the benchmark machine, 32 callers reading
// one entity each got 3,300–5,000 entities/s, and 4 callers reading 8 each
// 17,000–19,000.
//
// No call waits for a timer. A call that finds fewer than maxRunning
// statements running sends its own keys at once, with its own context, as it
// would without a coalescer; so a lone request is never slowed. Otherwise its
// keys join the next statement, which leaves as soon as a running one
// finishes, carrying every key that joined meanwhile. A waiting call that
// gives up (its context ends) leaves the statement to the others; the
// statement runs under the store's transaction timeout.
type coalescer[V any] struct {
	fetch func(ctx context.Context, keys []string) (map[string]V, error)
	// maxRunning bounds the statements running at once; maxKeys the keys one
	// shared statement carries (a call with more runs alone).
	maxRunning, maxKeys int

	mu      sync.Mutex
	running int
	next    *sharedFetch[V] // keys waiting for a free statement; nil if none
}

// sharedFetch is one statement shared by the calls that joined it.
type sharedFetch[V any] struct {
	keys []string
	seen map[string]bool
	done chan struct{} // closed when res and err are set
	res  map[string]V
	err  error
}

func newCoalescer[V any](maxRunning, maxKeys int, fetch func(ctx context.Context, keys []string) (map[string]V, error)) *coalescer[V] {
	return &coalescer[V]{fetch: fetch, maxRunning: maxRunning, maxKeys: maxKeys}
}

// get returns the values of keys, as fetch would.
func (c *coalescer[V]) get(ctx context.Context, keys []string) (map[string]V, error) {
	c.mu.Lock()
	if c.running < c.maxRunning || len(keys) > c.maxKeys {
		// A free statement (or too many keys to share one): go alone, now.
		c.running++
		c.mu.Unlock()
		defer c.release()
		return c.fetch(ctx, keys)
	}
	if c.next == nil || len(c.next.keys)+len(keys) > c.maxKeys {
		if c.next != nil {
			// The waiting statement is full: it goes ahead of its turn
			// rather than let this call wait behind it.
			c.running++
			go c.run(c.next)
		}
		c.next = &sharedFetch[V]{seen: map[string]bool{}, done: make(chan struct{})}
	}
	f := c.next
	for _, k := range keys {
		if !f.seen[k] {
			f.seen[k] = true
			f.keys = append(f.keys, k)
		}
	}
	c.mu.Unlock()
	select {
	case <-f.done:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if f.err != nil {
		return nil, f.err
	}
	out := make(map[string]V, len(keys))
	for _, k := range keys {
		if v, ok := f.res[k]; ok {
			out[k] = v
		}
	}
	return out, nil
}

// release ends a running statement and starts the waiting one, if any.
func (c *coalescer[V]) release() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.running--
	if c.next != nil && c.running < c.maxRunning {
		f := c.next
		c.next = nil
		c.running++
		go c.run(f)
	}
}

// run sends a shared statement. It belongs to no single request, so it runs
// under the store's transaction timeout alone.
func (c *coalescer[V]) run(f *sharedFetch[V]) {
	defer c.release()
	f.res, f.err = c.fetch(context.Background(), f.keys)
	close(f.done)
}
