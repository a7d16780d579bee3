// Package graph is innograph's GraphQL layer: gqlgen resolvers in the
// follow-schema layout, per-request dataloaders, and the error presenter.
// Resolvers are thin: they validate arguments, call the Store interface
// declared here, and convert kg values to GraphQL models. They never see Cypher.
package graph

import (
	"context"
	"log/slog"

	"github.com/innograph/innograph/internal/kg"
)

//go:generate go run github.com/99designs/gqlgen@v0.17.81 generate

// Store is what the resolvers need from the database layer.
type Store interface {
	EntitiesByIDs(ctx context.Context, ids []string) (map[string]kg.Entity, error)
	EntityTree(ctx context.Context, id string, plan []kg.Expand) (kg.Entity, [][]kg.Expanded, error)
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

// Resolver is the root resolver; it holds the dependencies every resolver shares.
type Resolver struct {
	Store  Store
	Writer Writer
	Logger *slog.Logger
	// NoEntityTrees makes an entity lookup load its typed nested fields
	// level by level through the loaders, instead of in the lookup's own
	// statement (Store.EntityTree); for comparisons in tests and benchmarks.
	NoEntityTrees bool
	// Docs holds the source documents' text by file name, whitespace
	// collapsed (seed.LoadDocs). When set, a change's quote must occur
	// verbatim in its source's document, as the seed's quotes must; a source
	// with no document here (one added later, with a URL) is not checked.
	Docs map[string]string
	// Workbench serves the ingestion workbench (ingestDocument, suggestions);
	// nil answers its fields UNAVAILABLE.
	Workbench Workbench

	trees treeShapes
}
