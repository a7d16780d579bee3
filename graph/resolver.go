// Package graph is innograph's GraphQL layer: gqlgen resolvers in the
// follow-schema layout, model conversion, and the gqlgen wiring (NewHandler:
// transports, limits, result cache, errors). Resolvers are thin: they
// validate arguments, read through the Reader interface declared here
// (internal/read implements it) and convert kg values to GraphQL models.
// They never see Cypher, the driver or internal/store.
package graph

import (
	"log/slog"
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
