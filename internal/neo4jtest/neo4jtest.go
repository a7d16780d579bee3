// Package neo4jtest gives integration tests a real Neo4j with the schema and
// the curated seed graph loaded. It uses NEO4J_URI when set; otherwise it
// starts the project's local test instance (see internal/neo4jlocal). When no
// Neo4j can be reached the tests fail loudly: they never skip.
package neo4jtest

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/innograph/innograph/internal/neo4jlocal"
	"github.com/innograph/innograph/internal/store"
	"github.com/innograph/innograph/seed"
)

var (
	once    sync.Once
	shared  *store.Store
	openErr error
)

// Root returns the repository root.
func Root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// DocsDir returns the folder of source documents: SEED_DOCS, or
// ../shared/seeds beside the repository.
func DocsDir() string {
	if d := os.Getenv("SEED_DOCS"); d != "" {
		return d
	}
	return filepath.Join(Root(), "..", "shared", "seeds")
}

// Docs returns the source documents for a check that needs their text (a
// quote verified against them), after checking them against the digests
// the seed records. Without them the check is skipped with a message
// naming SEED_DOCS, except under CI=true, where it fails: CI proves the
// quotes. Integration tests that only need a graph use Store, which needs
// no documents.
func Docs(t testing.TB) map[string]string {
	t.Helper()
	docs, skip, err := loadDocs(DocsDir(), os.Getenv("CI") == "true")
	if err != nil {
		t.Fatal(err)
	}
	if skip != "" {
		t.Skip(skip)
	}
	return docs
}

// loadDocs reads the documents in dir and checks them against the seed's
// digests. It returns a reason to skip when dir does not exist (an error
// instead when ci is set).
func loadDocs(dir string, ci bool) (docs map[string]string, skip string, err error) {
	docs, err = seed.LoadDocs(dir)
	if errors.Is(err, fs.ErrNotExist) {
		msg := fmt.Sprintf("SEED_DOCS: no source documents at %s, so this check of quotes against the documents did not run; set SEED_DOCS to the folder of the five articles to run it", dir)
		if ci {
			return nil, "", errors.New(msg + " (CI=true: under CI the documents must be there)")
		}
		return nil, msg, nil
	}
	if err != nil {
		return nil, "", fmt.Errorf("source documents (SEED_DOCS=%s): %w", dir, err)
	}
	files, err := seed.EmbeddedFiles()
	if err != nil {
		return nil, "", err
	}
	if _, err := seed.Parse(files, docs); err != nil {
		return nil, "", fmt.Errorf("the seed does not check against the documents in %s (SEED_DOCS): %w", dir, err)
	}
	return docs, "", nil
}

// Config returns the store configuration the tests use, starting the local
// test instance when NEO4J_URI is unset.
func Config(ctx context.Context) (store.Config, error) {
	uri := os.Getenv("NEO4J_URI")
	if uri == "" {
		srv := neo4jlocal.New(neo4jlocal.Config{Root: Root(), Instance: "test", Port: 7688})
		if err := srv.Start(ctx); err != nil {
			return store.Config{}, fmt.Errorf("no NEO4J_URI given and the local test Neo4j could not start: %w", err)
		}
		return store.Config{URI: srv.URI(), TxTimeout: 30 * time.Second}, nil
	}
	cfg := store.Config{URI: uri, User: os.Getenv("NEO4J_USER"), Password: os.Getenv("NEO4J_PASSWORD"),
		Database: os.Getenv("NEO4J_DATABASE"), TxTimeout: 30 * time.Second}
	if cfg.Password == "" {
		cfg.User = ""
	}
	return cfg, nil
}

// Store returns a store connected to the test Neo4j, with the schema applied
// and the seed graph loaded. It fails t when Neo4j is unavailable.
func Store(t testing.TB) *store.Store {
	t.Helper()
	once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		shared, openErr = open(ctx)
	})
	if openErr != nil {
		t.Fatalf("FATAL: integration tests need a real Neo4j: %v", openErr)
	}
	return shared
}

func open(ctx context.Context) (*store.Store, error) {
	cfg, err := Config(ctx)
	if err != nil {
		return nil, err
	}
	st, err := store.Open(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connecting to %s: %w", cfg.URI, err)
	}
	if err := st.Migrate(ctx); err != nil {
		return nil, fmt.Errorf("migrating: %w", err)
	}
	g, err := SeedGraph()
	if err != nil {
		return nil, err
	}
	if err := st.Import(ctx, g); err != nil {
		return nil, fmt.Errorf("loading seed: %w", err)
	}
	return st, nil
}

// SeedGraph parses the built-in seed. It needs no source documents: the
// checks of its quotes against them are tests of their own (Docs).
func SeedGraph() (*seed.Graph, error) {
	files, err := seed.EmbeddedFiles()
	if err != nil {
		return nil, err
	}
	return seed.Parse(files, nil)
}

var (
	rawOnce   sync.Once
	rawDriver neo4j.DriverWithContext
	rawDB     string
	rawErr    error
)

// Cypher runs a statement on the test database outside any Store, for
// set-up, clean-up and independent checks of what the code under test
// wrote. It fails t on any error.
func Cypher(t testing.TB, cypher string, params map[string]any) []*neo4j.Record {
	t.Helper()
	Store(t) // the database is up, migrated and seeded
	rawOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		cfg, err := Config(ctx)
		if err != nil {
			rawErr = err
			return
		}
		auth := neo4j.NoAuth()
		if cfg.User != "" {
			auth = neo4j.BasicAuth(cfg.User, cfg.Password, "")
		}
		rawDB = cfg.Database
		rawDriver, rawErr = neo4j.NewDriverWithContext(cfg.URI, auth)
	})
	if rawErr != nil {
		t.Fatalf("raw driver: %v", rawErr)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var opts []neo4j.ExecuteQueryConfigurationOption
	if rawDB != "" {
		opts = append(opts, neo4j.ExecuteQueryWithDatabase(rawDB))
	}
	res, err := neo4j.ExecuteQuery(ctx, rawDriver, cypher, params, neo4j.EagerResultTransformer, opts...)
	if err != nil {
		t.Fatalf("raw query failed: %v\n%s", err, cypher)
	}
	return res.Records
}
