// Package graph is innograph's GraphQL layer: gqlgen resolvers in the
// follow-schema layout, model conversion, and the gqlgen wiring (NewHandler:
// transports, limits, result cache, errors). Resolvers are thin: they
// validate arguments, read through the Reader interface declared here
// (internal/read implements it) and convert kg values to GraphQL models.
// They never see Cypher, the driver or internal/store.
package graph

import (
	"context"
	"log/slog"

	"github.com/innograph/innograph/internal/kg"
	"github.com/innograph/innograph/internal/read"
)

//go:generate go run github.com/99designs/gqlgen@v0.17.81 generate

// Resolver is the root resolver; it holds the dependencies every resolver shares.
type Resolver struct {
	Read   Reader
	Writer Writer
	Logger *slog.Logger
	// Docs holds the source documents' text by file name, whitespace
	// collapsed (seed.LoadDocs). When set, a change's quote must occur
	// verbatim in its source's document, as the seed's quotes must; a source
	// with no document here (one added later, with a URL) is not checked.
	Docs map[string]string
	// Workbench serves the ingestion workbench (ingestDocument, suggestions);
	// nil answers its fields UNAVAILABLE.
	Workbench Workbench
}

// Reader is what the resolvers read the graph through; *read.Reader
// implements it over Neo4j, and the resolvers' unit tests over a fake. Its
// per-request state (batching loaders) travels in the context from Begin.
type Reader interface {
	Begin(ctx context.Context) context.Context
	Entity(ctx context.Context, id string, plan []kg.Expand) (kg.Entity, error)
	EntityByID(ctx context.Context, id string) (*kg.Entity, error)
	EntitiesByID(ctx context.Context, ids []string) ([]kg.Entity, error)
	Forget(ctx context.Context, id string)
	EntitySources(ctx context.Context, id string) ([]kg.Source, error)
	Related(ctx context.Context, id string, f *read.Field, first int) ([]kg.Entity, error)
	Adjacent(ctx context.Context, id string, f kg.RelFilter, page kg.Page) ([]kg.Adjacent, error)
	Relationships(ctx context.Context, id string, f kg.RelFilter, page kg.Page) (read.Page[kg.Relationship], error)
	CountRelationships(ctx context.Context, id string, f kg.RelFilter) (int, error)
	Entities(ctx context.Context, f kg.EntityFilter, page kg.Page) (read.Page[kg.Entity], error)
	CountEntities(ctx context.Context, f kg.EntityFilter) (int, error)
	Search(ctx context.Context, text string, kinds []kg.Kind, first int) ([]kg.SearchHit, error)
	Paths(ctx context.Context, q kg.PathQuery) ([]kg.Path, error)
	Subgraph(ctx context.Context, q kg.SubgraphQuery) (kg.Subgraph, error)
	Fundings(ctx context.Context, f kg.FundingFilter, page kg.Page) (read.Page[kg.Funding], error)
	CountFundings(ctx context.Context, f kg.FundingFilter) (int, error)
	FundingTotals(ctx context.Context, f kg.FundingFilter) ([]kg.Money, error)
	FundingByID(ctx context.Context, id string) (*kg.Funding, error)
	FundingsOf(ctx context.Context, id, role string, first int) ([]kg.Funding, error)
	Source(ctx context.Context, id string) (kg.Source, error)
	SourceByID(ctx context.Context, id string) (*kg.Source, error)
	Sources(ctx context.Context, page kg.Page) (read.Page[kg.Source], error)
	CountSources(ctx context.Context) (int, error)
	SourceFacts(ctx context.Context, id string, page kg.Page) (read.Page[kg.Relationship], error)
	CountSourceFacts(ctx context.Context, id string) (int, error)
	KindCounts(ctx context.Context) (entities, rels map[string]int64, err error)
}

var _ Reader = (*read.Reader)(nil)
