package graph

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/vikstrous/dataloadgen"

	"github.com/innograph/innograph/internal/kg"
)

// Loader is a per-request dataloader (github.com/vikstrous/dataloadgen): the
// keys asked for by resolvers within its wait are fetched in one call, and
// every key is fetched at most once per request.
type Loader[K comparable, V any] struct {
	dl *dataloadgen.Loader[K, V]
}

// loaderCapacity bounds the keys of one batch.
const loaderCapacity = 500

// NewLoader returns a loader calling fetch with at most capacity keys,
// gathered for wait after the first. fetch returns one value per key, in
// order, and either no errors, one error for the whole batch, or one error
// per key.
func NewLoader[K comparable, V any](fetch func(ctx context.Context, keys []K) ([]V, []error), capacity int, wait time.Duration) *Loader[K, V] {
	return &Loader[K, V]{dl: dataloadgen.NewLoader(fetch, dataloadgen.WithBatchCapacity(capacity), dataloadgen.WithWait(wait))}
}

// Load returns the value of key, waiting for its batch or for ctx to end.
func (l *Loader[K, V]) Load(ctx context.Context, key K) (V, error) {
	return await(ctx, l.dl.LoadThunk(ctx, key))
}

// LoadAll returns the values of keys, in order; the error is the first one.
func (l *Loader[K, V]) LoadAll(ctx context.Context, keys []K) ([]V, error) {
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
func (l *Loader[K, V]) Prime(key K, v V) { l.dl.Prime(key, v) }

// Clear forgets the value of key, so that the next load fetches it again.
func (l *Loader[K, V]) Clear(key K) { l.dl.Clear(key) }

// await returns what thunk returns, or ctx's error when ctx ends first
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
		return zero, ctx.Err()
	}
}

// Loaders batch the lookups of one request so that the number of queries is
// bounded by the nesting depth of the GraphQL query, not by list sizes.
type Loaders struct {
	store    Store
	wait     time.Duration
	Entity   *Loader[string, *kg.Entity]
	Source   *Loader[string, *kg.Source]
	Funding  *Loader[string, *kg.Funding]
	mu       sync.Mutex
	adjacent map[string]*Loader[string, []kg.Adjacent]
	fundOf   map[string]*Loader[string, []kg.Funding]
}

func mapped[V any](fetch func(ctx context.Context, ids []string) (map[string]V, error)) func(ctx context.Context, ids []string) ([]*V, []error) {
	return func(ctx context.Context, ids []string) ([]*V, []error) {
		m, err := fetch(ctx, ids)
		out := make([]*V, len(ids))
		if err != nil {
			errs := make([]error, len(ids))
			for i := range errs {
				errs[i] = err
			}
			return out, errs
		}
		for i, id := range ids {
			if v, ok := m[id]; ok {
				out[i] = &v
			}
		}
		return out, nil
	}
}

// NewLoaders returns fresh loaders for one request, each gathering keys for
// wait after the first before one batched query.
func NewLoaders(s Store, wait time.Duration) *Loaders {
	return &Loaders{
		store:    s,
		wait:     wait,
		Entity:   NewLoader(mapped(s.EntitiesByIDs), loaderCapacity, wait),
		Source:   NewLoader(mapped(s.SourcesByIDs), loaderCapacity, wait),
		Funding:  NewLoader(mapped(s.FundingsByIDs), loaderCapacity, wait),
		adjacent: map[string]*Loader[string, []kg.Adjacent]{},
		fundOf:   map[string]*Loader[string, []kg.Funding]{},
	}
}

// Adjacent returns the loader for relationships matching f and page; loaders
// with equal arguments are shared, so sibling fields batch together.
func (l *Loaders) Adjacent(f kg.RelFilter, page kg.Page) *Loader[string, []kg.Adjacent] {
	key := f.Key() + "|" + strconv.Itoa(page.First) + "|" + page.After
	l.mu.Lock()
	defer l.mu.Unlock()
	if ld, ok := l.adjacent[key]; ok {
		return ld
	}
	ld := NewLoader(func(ctx context.Context, ids []string) ([][]kg.Adjacent, []error) {
		m, err := l.store.Adjacent(ctx, ids, f, page)
		return byKey(ids, m, err)
	}, loaderCapacity, l.wait)
	l.adjacent[key] = ld
	return ld
}

// FundingsOf returns the loader for fundings in which entities play role.
func (l *Loaders) FundingsOf(role string, first int) *Loader[string, []kg.Funding] {
	key := role + "|" + strconv.Itoa(first)
	l.mu.Lock()
	defer l.mu.Unlock()
	if ld, ok := l.fundOf[key]; ok {
		return ld
	}
	ld := NewLoader(func(ctx context.Context, ids []string) ([][]kg.Funding, []error) {
		m, err := l.store.FundingsOf(ctx, ids, role, first)
		return byKey(ids, m, err)
	}, loaderCapacity, l.wait)
	l.fundOf[key] = ld
	return ld
}

func byKey[V any](ids []string, m map[string][]V, err error) ([][]V, []error) {
	out := make([][]V, len(ids))
	if err != nil {
		errs := make([]error, len(ids))
		for i := range errs {
			errs[i] = err
		}
		return out, errs
	}
	for i, id := range ids {
		out[i] = m[id]
	}
	return out, nil
}

type loadersKey struct{}

// WithLoaders returns ctx carrying loaders.
func WithLoaders(ctx context.Context, l *Loaders) context.Context {
	return context.WithValue(ctx, loadersKey{}, l)
}

// LoadersFrom returns the request's loaders.
func LoadersFrom(ctx context.Context) *Loaders {
	l, _ := ctx.Value(loadersKey{}).(*Loaders)
	return l
}

// Middleware gives every request its own loaders (NewLoaders).
func Middleware(s Store, wait time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(WithLoaders(r.Context(), NewLoaders(s, wait))))
	})
}
