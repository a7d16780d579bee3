package graph

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/innograph/innograph/internal/kg"
)

// Loaders batch the lookups of one request so that the number of queries is
// bounded by the nesting depth of the GraphQL query, not by list sizes.
type Loaders struct {
	store    Store
	Entity   *Loader[string, *kg.Entity]
	Source   *Loader[string, *kg.Source]
	Funding  *Loader[string, *kg.Funding]
	mu       sync.Mutex
	adjacent map[string]*Loader[string, []kg.Adjacent]
	fundOf   map[string]*Loader[string, []kg.Funding]
}

// LoaderWait is the longest a loader collects keys before it queries (see
// Loader: it usually sends a batch much sooner). Set it at start-up
// (LOADER_WAIT), not while serving.
var LoaderWait = 500 * time.Microsecond

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

// NewLoaders returns fresh loaders for one request.
func NewLoaders(s Store) *Loaders {
	return &Loaders{
		store:    s,
		Entity:   NewLoader(mapped(s.EntitiesByIDs), 500),
		Source:   NewLoader(mapped(s.SourcesByIDs), 500),
		Funding:  NewLoader(mapped(s.FundingsByIDs), 500),
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
	}, 500)
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
	}, 500)
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

// Middleware gives every request its own loaders.
func Middleware(s Store, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(WithLoaders(r.Context(), NewLoaders(s))))
	})
}
