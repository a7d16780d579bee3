package read

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"time"

	"github.com/vikstrous/dataloadgen"

	"github.com/innograph/innograph/internal/kg"
)

// loader is a per-request dataloader (github.com/vikstrous/dataloadgen): the
// keys asked for by resolvers within its wait are fetched in one call, and
// every key is fetched at most once per request.
type loader[K comparable, V any] struct {
	dl *dataloadgen.Loader[K, V]
}

// loaderCapacity bounds the keys of one batch.
const loaderCapacity = 500

// newLoader returns a loader calling fetch with at most capacity keys,
// gathered for wait after the first. fetch returns one value per key, in
// order, and either no errors, one error for the whole batch, or one error
// per key.
func newLoader[K comparable, V any](fetch func(ctx context.Context, keys []K) ([]V, []error), capacity int, wait time.Duration) *loader[K, V] {
	return &loader[K, V]{dl: dataloadgen.NewLoader(fetch, dataloadgen.WithBatchCapacity(capacity), dataloadgen.WithWait(wait))}
}

// Load returns the value of key, waiting for its batch or for ctx to end.
func (l *loader[K, V]) Load(ctx context.Context, key K) (V, error) {
	return await(ctx, l.dl.LoadThunk(ctx, key))
}

// LoadAll returns the values of keys, in order; the error is the first one.
func (l *loader[K, V]) LoadAll(ctx context.Context, keys []K) ([]V, error) {
	thunks := make([]func() (V, error), len(keys))
	for i, k := range keys {
		thunks[i] = l.dl.LoadThunk(ctx, k)
	}
	out := make([]V, len(keys))
	for i, th := range thunks {
		v, err := await(ctx, th)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

// Prime stores the value of key unless the key was loaded or primed before.
func (l *loader[K, V]) Prime(key K, v V) { l.dl.Prime(key, v) }

// Clear forgets the value of key, so that the next load fetches it again.
func (l *loader[K, V]) Clear(key K) { l.dl.Clear(key) }

// await returns what thunk returns, or a TIMEOUT error when ctx ends first
// (dataloadgen's thunks wait for their batch regardless of ctx).
func await[V any](ctx context.Context, thunk func() (V, error)) (V, error) {
	type result struct {
		v   V
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := thunk()
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-ctx.Done():
		var zero V
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return zero, &kg.Error{Code: kg.CodeTimeout, Message: "the request ran out of time; narrow it (fewer hops, a smaller limit) and try again", Err: ctx.Err()}
		}
		return zero, &kg.Error{Code: kg.CodeTimeout, Message: "the request was cancelled", Err: ctx.Err()}
	}
}

// loaders batch the lookups of one request so that the number of queries is
// bounded by the nesting depth of the GraphQL query, not by list sizes.
type loaders struct {
	store    Store
	wait     time.Duration
	Entity   *loader[string, *kg.Entity]
	Source   *loader[string, *kg.Source]
	Funding  *loader[string, *kg.Funding]
	mu       sync.Mutex
	adjacent map[string]*loader[string, []kg.Adjacent]
	fundOf   map[string]*loader[string, []kg.Funding]
}

func mapped[V any](fetch func(ctx context.Context, ids []string) (map[string]V, error)) func(ctx context.Context, ids []string) ([]*V, []error) {
	return func(ctx context.Context, ids []string) ([]*V, []error) {
		m, err := fetch(ctx, ids)
		out := make([]*V, len(ids))
		if err != nil {
			return out, batchError(len(ids), err)
		}
		for i, id := range ids {
			if v, ok := m[id]; ok {
				out[i] = &v
			}
		}
		return out, nil
	}
}

// newLoaders returns fresh loaders for one request, each gathering keys for
// wait after the first before one batched query.
func newLoaders(s Store, wait time.Duration) *loaders {
	return &loaders{
		store:    s,
		wait:     wait,
		Entity:   newLoader(mapped(s.EntitiesByIDs), loaderCapacity, wait),
		Source:   newLoader(mapped(s.SourcesByIDs), loaderCapacity, wait),
		Funding:  newLoader(mapped(s.FundingsByIDs), loaderCapacity, wait),
		adjacent: map[string]*loader[string, []kg.Adjacent]{},
		fundOf:   map[string]*loader[string, []kg.Funding]{},
	}
}

// Adjacent returns the loader for relationships matching f and page; loaders
// with equal arguments are shared, so sibling fields batch together.
func (l *loaders) Adjacent(f kg.RelFilter, page kg.Page) *loader[string, []kg.Adjacent] {
	return keyed(l, l.adjacent, f.Key()+"|"+strconv.Itoa(page.First)+"|"+page.After,
		func(ctx context.Context, ids []string) (map[string][]kg.Adjacent, error) {
			return l.store.Adjacent(ctx, ids, f, page)
		})
}

// FundingsOf returns the loader for fundings in which entities play role.
func (l *loaders) FundingsOf(role string, first int) *loader[string, []kg.Funding] {
	return keyed(l, l.fundOf, role+"|"+strconv.Itoa(first),
		func(ctx context.Context, ids []string) (map[string][]kg.Funding, error) {
			return l.store.FundingsOf(ctx, ids, role, first)
		})
}

// keyed returns the loader of m under key, making it with fetch the first
// time the request asks for it.
func keyed[V any](l *loaders, m map[string]*loader[string, []V], key string, fetch func(ctx context.Context, ids []string) (map[string][]V, error)) *loader[string, []V] {
	l.mu.Lock()
	defer l.mu.Unlock()
	if ld, ok := m[key]; ok {
		return ld
	}
	ld := newLoader(func(ctx context.Context, ids []string) ([][]V, []error) {
		got, err := fetch(ctx, ids)
		return byKey(ids, got, err)
	}, loaderCapacity, l.wait)
	m[key] = ld
	return ld
}

// batchError is a batch's error for each of its n keys.
func batchError(n int, err error) []error {
	errs := make([]error, n)
	for i := range errs {
		errs[i] = err
	}
	return errs
}

func byKey[V any](ids []string, m map[string][]V, err error) ([][]V, []error) {
	out := make([][]V, len(ids))
	if err != nil {
		return out, batchError(len(ids), err)
	}
	for i, id := range ids {
		out[i] = m[id]
	}
	return out, nil
}

type loadersKey struct{}

// Begin returns ctx carrying fresh loaders for one request: every read
// under it batches with the others and loads each key at most once. A read
// under a context without them gets loaders of its own.
func (r *Reader) Begin(ctx context.Context) context.Context {
	return context.WithValue(ctx, loadersKey{}, newLoaders(r.st, r.opt.LoaderWait))
}

// loadersOf returns the request's loaders (Begin), or fresh ones.
func (r *Reader) loadersOf(ctx context.Context) *loaders {
	if l, ok := ctx.Value(loadersKey{}).(*loaders); ok {
		return l
	}
	return newLoaders(r.st, r.opt.LoaderWait)
}

// Shared returns st with its entity lookups (EntitiesByIDs) and entity trees
// (EntityTrees, per plan) shared among concurrent callers from any number of
// requests (see coalescer). It is what the server reads through; the
// benchmark's plain Cypher systems use the store alone.
func Shared(st Store) Store {
	return &shared{Store: st, entities: newCoalescer(sharedRunning, sharedKeys, st.EntitiesByIDs)}
}

// Sharing limits: how many shared statements of one kind run at once, and
// how many ids one carries (a tenth of that for trees).
const (
	sharedRunning = 2
	sharedKeys    = 1000
)

// shared is a Store whose entity lookups and trees are shared.
type shared struct {
	Store
	entities *coalescer[kg.Entity]

	mu    sync.Mutex
	plans map[string]*coalescer[kg.Tree]
}

// EntitiesByIDs implements Store through the shared lookups.
func (s *shared) EntitiesByIDs(ctx context.Context, ids []string) (map[string]kg.Entity, error) {
	if len(ids) == 0 {
		return map[string]kg.Entity{}, nil
	}
	return s.entities.get(ctx, ids)
}

// maxSharedPlans bounds the plans whose coalescers are kept.
const maxSharedPlans = 1000

// EntityTrees implements Store through a coalescer per plan.
func (s *shared) EntityTrees(ctx context.Context, ids []string, plan []kg.Expand) (map[string]kg.Tree, error) {
	key := kg.PlanKey(plan)
	s.mu.Lock()
	c, ok := s.plans[key]
	if !ok {
		if s.plans == nil || len(s.plans) >= maxSharedPlans {
			// Calls holding a dropped coalescer finish with it.
			s.plans = map[string]*coalescer[kg.Tree]{}
		}
		c = newCoalescer(sharedRunning, sharedKeys/10, func(ctx context.Context, ids []string) (map[string]kg.Tree, error) {
			return s.Store.EntityTrees(ctx, ids, plan)
		})
		s.plans[key] = c
	}
	s.mu.Unlock()
	return c.get(ctx, ids)
}

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
