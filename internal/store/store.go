// Package store is innograph's Neo4j layer: the connection, schema migrations
// (constraints and full-text indexes), and every Cypher statement next to the
// Go method that runs it. Values are always parameters; labels and
// relationship types come only from the allow-listed enums in package kg.
// Records are mapped to kg values before they leave the package, and driver
// errors are translated to *kg.Error codes.
package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/config"

	"github.com/innograph/innograph/internal/kg"
)

// Config holds what Open needs to reach Neo4j.
type Config struct {
	// URI is a bolt:// or neo4j:// URI.
	URI string
	// User and Password authenticate; an empty User means no auth.
	User, Password string
	// Database is the database name; empty for the server default.
	Database string
	// TxTimeout bounds every transaction on the server side.
	TxTimeout time.Duration
	// MaxPoolSize bounds open connections.
	MaxPoolSize int
	// Observe, when set, is called after every query with its name, duration
	// and error, for metrics.
	Observe func(name string, d time.Duration, err error)
	// Logger receives driver-level failures; nil for slog.Default().
	Logger *slog.Logger
}

// Store runs innograph's Cypher against one Neo4j database.
type Store struct {
	driver  neo4j.DriverWithContext
	cfg     Config
	log     *slog.Logger
	queries atomic.Int64
	// graphVersion increases on every write made through this Store.
	graphVersion atomic.Int64
}

// Open connects to Neo4j and checks connectivity.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	auth := neo4j.NoAuth()
	if cfg.User != "" {
		auth = neo4j.BasicAuth(cfg.User, cfg.Password, "")
	}
	if cfg.TxTimeout == 0 {
		cfg.TxTimeout = 15 * time.Second
	}
	if cfg.MaxPoolSize == 0 {
		cfg.MaxPoolSize = 100
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	d, err := neo4j.NewDriverWithContext(cfg.URI, auth, func(c *config.Config) {
		c.MaxConnectionPoolSize = cfg.MaxPoolSize
		c.SocketConnectTimeout = 3 * time.Second
		c.ConnectionAcquisitionTimeout = 5 * time.Second
		c.MaxTransactionRetryTime = 3 * time.Second
	})
	if err != nil {
		return nil, &kg.Error{Code: kg.CodeInvalid, Message: "invalid Neo4j URI: " + cfg.URI, Err: err}
	}
	s := &Store{driver: d, cfg: cfg, log: cfg.Logger}
	if err := s.Ping(ctx); err != nil {
		d.Close(ctx)
		return nil, err
	}
	return s, nil
}

// Close closes the driver and its connections.
func (s *Store) Close(ctx context.Context) error { return s.driver.Close(ctx) }

// Ping runs RETURN 1 and reports whether Neo4j answers.
func (s *Store) Ping(ctx context.Context) error {
	_, err := s.read(ctx, "ping", "RETURN 1", nil)
	return err
}

// QueryCount returns how many Cypher queries this Store has sent; tests use it
// to prove that round trips are bounded.
func (s *Store) QueryCount() int64 { return s.queries.Load() }

// GraphVersion returns a counter that changes whenever this Store writes.
func (s *Store) GraphVersion() int64 { return s.graphVersion.Load() }

func (s *Store) run(ctx context.Context, name, cypher string, params map[string]any, write bool) ([]*neo4j.Record, error) {
	s.queries.Add(1)
	start := time.Now()
	opts := []neo4j.ExecuteQueryConfigurationOption{
		neo4j.ExecuteQueryWithTransactionConfig(neo4j.WithTxTimeout(s.cfg.TxTimeout), neo4j.WithTxMetadata(map[string]any{"app": "innograph", "query": name})),
	}
	if s.cfg.Database != "" {
		opts = append(opts, neo4j.ExecuteQueryWithDatabase(s.cfg.Database))
	}
	if write {
		opts = append(opts, neo4j.ExecuteQueryWithWritersRouting())
	} else {
		opts = append(opts, neo4j.ExecuteQueryWithReadersRouting())
	}
	res, err := neo4j.ExecuteQuery(ctx, s.driver, cypher, params, neo4j.EagerResultTransformer, opts...)
	if s.cfg.Observe != nil {
		s.cfg.Observe(name, time.Since(start), err)
	}
	if err != nil {
		return nil, s.translate(ctx, name, err)
	}
	if write {
		s.graphVersion.Add(1)
	}
	return res.Records, nil
}

func (s *Store) read(ctx context.Context, name, cypher string, params map[string]any) ([]*neo4j.Record, error) {
	return s.run(ctx, name, cypher, params, false)
}

func (s *Store) write(ctx context.Context, name, cypher string, params map[string]any) ([]*neo4j.Record, error) {
	return s.run(ctx, name, cypher, params, true)
}

// translate maps a driver error to a *kg.Error, logging the details that must
// not reach users.
func (s *Store) translate(ctx context.Context, name string, err error) error {
	var ke *kg.Error
	if errors.As(err, &ke) {
		return err
	}
	// The request's own deadline or cancellation comes first: the driver may
	// report it as a connectivity error.
	if ctx.Err() != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			s.log.WarnContext(ctx, "request deadline reached during a query", "query", name, "err", err)
			return &kg.Error{Code: kg.CodeTimeout, Message: "the request ran out of time; narrow it (fewer hops, a smaller limit) and try again", Err: err}
		}
		return &kg.Error{Code: kg.CodeTimeout, Message: "the request was cancelled", Err: err}
	}
	switch {
	case errors.Is(err, context.Canceled):
		return &kg.Error{Code: kg.CodeTimeout, Message: "the request was cancelled", Err: err}
	// Checked before timeouts: when Neo4j is down, the driver retries until its
	// retry time runs out and reports a TransactionExecutionLimit wrapping the
	// connectivity error.
	case neo4j.IsConnectivityError(err) || isUnavailable(err):
		s.log.ErrorContext(ctx, "neo4j unavailable", "query", name, "err", err)
		return &kg.Error{Code: kg.CodeUnavailable, Message: "the graph database is unavailable; try again shortly", Err: err}
	case errors.Is(err, context.DeadlineExceeded) || neo4j.IsTransactionExecutionLimit(err) ||
		strings.Contains(err.Error(), "TransactionTimedOut"):
		s.log.WarnContext(ctx, "neo4j query timed out", "query", name, "err", err)
		return &kg.Error{Code: kg.CodeTimeout, Message: "the query took too long and was stopped; narrow it (fewer hops, a smaller limit) and try again", Err: err}
	}
	var ne *neo4j.Neo4jError
	if errors.As(err, &ne) && strings.HasPrefix(ne.Code, "Neo.ClientError.Schema.ConstraintValidationFailed") {
		return &kg.Error{Code: kg.CodeConflict, Message: "the change collides with existing data (a duplicate id)", Err: err}
	}
	s.log.ErrorContext(ctx, "neo4j query failed", "query", name, "err", err)
	return &kg.Error{Code: kg.CodeInternal, Message: "internal error", Err: fmt.Errorf("%s: %w", name, err)}
}

func isUnavailable(err error) bool {
	msg := err.Error()
	for _, s := range []string{"connection refused", "ConnectivityError", "i/o timeout", "broken pipe",
		"connection reset", "ServiceUnavailable", "pool", "EOF", "no such host", "acquisition"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	var ne *neo4j.Neo4jError
	return errors.As(err, &ne) && strings.HasPrefix(ne.Code, "Neo.TransientError")
}
