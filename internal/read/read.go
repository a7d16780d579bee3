// Package read owns reading the graph for the API: the typed-field catalogue
// (Field), the fetch strategy (per-request batching loaders, entity trees
// fetched in one statement), paging and cursors. Its callers speak in domain
// terms — an entity, the entities a typed field lists, a page of
// relationships — and never see Cypher: Store, which internal/store
// implements, does the queries.
package read

import (
	"context"
	"time"

	"github.com/innograph/innograph/internal/kg"
)

// Store is what the Reader needs from the database layer; *store.Store
// implements it.
type Store interface {
	EntitiesByIDs(ctx context.Context, ids []string) (map[string]kg.Entity, error)
	// EntityTrees returns the entities with ids, each with what plan's
	// Expands find from it, in one statement; with no plan, just the
	// entities.
	EntityTrees(ctx context.Context, ids []string, plan []kg.Expand) (map[string]kg.Tree, error)
	ListEntities(ctx context.Context, f kg.EntityFilter, page kg.Page) ([]kg.Entity, []string, bool, error)
	CountEntities(ctx context.Context, f kg.EntityFilter) (int, error)
	Search(ctx context.Context, text string, kinds []kg.Kind, first int) ([]kg.SearchHit, error)
	Adjacent(ctx context.Context, ids []string, f kg.RelFilter, page kg.Page) (map[string][]kg.Adjacent, error)
	CountAdjacent(ctx context.Context, id string, f kg.RelFilter) (int, error)
	Paths(ctx context.Context, q kg.PathQuery) ([]kg.Path, error)
	Subgraph(ctx context.Context, q kg.SubgraphQuery) (kg.Subgraph, error)
	Fundings(ctx context.Context, f kg.FundingFilter, page kg.Page) ([]kg.Funding, []string, bool, error)
	CountFundings(ctx context.Context, f kg.FundingFilter) (int, error)
	FundingTotals(ctx context.Context, f kg.FundingFilter) ([]kg.Money, error)
	FundingsByIDs(ctx context.Context, ids []string) (map[string]kg.Funding, error)
	FundingsOf(ctx context.Context, ids []string, role string, first int) (map[string][]kg.Funding, error)
	Sources(ctx context.Context, page kg.Page) ([]kg.Source, []string, bool, error)
	CountSources(ctx context.Context) (int, error)
	SourcesByIDs(ctx context.Context, ids []string) (map[string]kg.Source, error)
	SourceFacts(ctx context.Context, sourceID string, page kg.Page) ([]kg.Relationship, []string, bool, error)
	CountSourceFacts(ctx context.Context, sourceID string) (int, error)
	KindCounts(ctx context.Context) (entities map[string]int64, rels map[string]int64, err error)
}

// Options configure a Reader.
type Options struct {
	// LoaderWait is how long a per-request loader gathers keys after the
	// first before its one batched query.
	LoaderWait time.Duration
}

// Reader reads the graph for the API. It is shared by all requests; what is
// per request (the loaders) travels in the context (Begin).
type Reader struct {
	st    Store
	opt   Options
	trees treeShapes
}

// New returns a Reader over st: the server passes Shared(store), so that
// concurrent requests share statements.
func New(st Store, opt Options) *Reader { return &Reader{st: st, opt: opt} }

// Page is one page of a list: its items, each item's cursor, and whether
// more follow.
type Page[T any] struct {
	Items   []T
	Cursors []string
	More    bool
}
