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
	// IngestTxTimeout bounds the transaction storing a document's analysis
	// (SaveIngest), which for a large document takes longer than a query;
	// zero means TxTimeout.
	IngestTxTimeout time.Duration
	// MaxPoolSize bounds open connections.
	MaxPoolSize int
	// Observe, when set, is called after every query with its name, duration
	// and error, for metrics.
	Observe func(name string, d time.Duration, err error)
	// Logger receives driver-level failures; nil for slog.Default().
	Logger *slog.Logger
	// SearchConcurrency bounds the full-text searches running in Neo4j at
	// once; 0 means no bound. The others wait their turn in order (see
	// Search).
	SearchConcurrency int
}

// Store runs innograph's Cypher against one Neo4j database.
type Store struct {
	driver  neo4j.DriverWithContext
	cfg     Config
	log     *slog.Logger
	queries atomic.Int64
	// localVersion increases on every write made through this Store.
	localVersion atomic.Int64
	// remoteVersion is the persisted version last read by WatchVersion, or
	// versionUnknown when that read failed.
	remoteVersion atomic.Int64
	// readVersion asks WatchVersion to read the persisted version now (see
	// Behind).
	readVersion chan struct{}
	// unreachable is set when a query found Neo4j unreachable; probes share
	// their results (see failfast.go).
	unreachable atomic.Bool
	probes      prober
	// trees keeps the entity-tree statements built so far.
	treeStatements treeStatements
	// paths keeps the paths statements built so far.
	paths pathsStatements
	// searchSlots holds a token per search running in Neo4j; nil for no
	// bound.
	searchSlots chan struct{}
}

// versionUnknown marks a persisted version that could not be read.
const versionUnknown = -1

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
	s := &Store{driver: d, cfg: cfg, log: cfg.Logger, readVersion: make(chan struct{}, 1)}
	if cfg.SearchConcurrency > 0 {
		s.searchSlots = make(chan struct{}, cfg.SearchConcurrency)
	}
	s.remoteVersion.Store(versionUnknown)
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

// GraphVersion identifies the state of the graph for caches: it changes
// whenever this Store writes and, while WatchVersion runs, within one poll
// interval of a write by any other process (every write transaction bumps a
// persisted counter). ok is false when the persisted counter could not be
// read lately (Neo4j unreachable): nothing cached may be trusted then.
func (s *Store) GraphVersion() (v int64, ok bool) {
	r := s.remoteVersion.Load()
	return s.localVersion.Load() + r, r != versionUnknown
}

// WatchVersion reads the persisted graph version every interval, and at
// once when a request is Behind, until ctx ends. Without it, and after any
// failed read, GraphVersion reports not ok.
func (s *Store) WatchVersion(ctx context.Context, every time.Duration) {
	defer s.remoteVersion.Store(versionUnknown)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		s.refreshVersion(ctx, every)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-s.readVersion:
		}
	}
}

func (s *Store) refreshVersion(ctx context.Context, timeout time.Duration) {
	ctx, cancel := context.WithTimeout(ctx, max(timeout, time.Second))
	defer cancel()
	recs, err := s.read(ctx, "graphVersion", "OPTIONAL MATCH (m:GraphVersion {id: 1}) RETURN coalesce(m.version, 0) AS v", nil)
	if err != nil || len(recs) == 0 {
		s.remoteVersion.Store(versionUnknown)
		return
	}
	v, _ := recs[0].Get("v")
	n, _ := v.(int64)
	s.remoteVersion.Store(n)
}

func (s *Store) run(ctx context.Context, name, cypher string, params map[string]any, write bool) ([]*neo4j.Record, error) {
	if err := s.failFast(ctx, name); err != nil {
		return nil, err
	}
	ctx, unwatch := s.watch(ctx)
	defer unwatch()
	s.queries.Add(1)
	start := time.Now()
	var recs []*neo4j.Record
	var err error
	if write {
		recs, err = s.managedWrite(ctx, cypher, params, name)
	} else {
		recs, err = s.autoCommitRead(ctx, cypher, params, name)
	}
	if s.cfg.Observe != nil {
		s.cfg.Observe(name, time.Since(start), err)
	}
	if err != nil {
		return nil, s.translate(ctx, name, err)
	}
	return recs, nil
}

// txMeta tags a transaction with the query's name (SHOW TRANSACTIONS, query.log).
func txMeta(name string) func(*neo4j.TransactionConfig) {
	return neo4j.WithTxMetadata(map[string]any{"app": "innograph", "query": name})
}

// managedWrite runs a write in a managed transaction, which the driver
// retries on transient failures.
func (s *Store) managedWrite(ctx context.Context, cypher string, params map[string]any, name string) ([]*neo4j.Record, error) {
	opts := []neo4j.ExecuteQueryConfigurationOption{
		neo4j.ExecuteQueryWithTransactionConfig(neo4j.WithTxTimeout(s.cfg.TxTimeout), txMeta(name)),
		neo4j.ExecuteQueryWithWritersRouting(),
	}
	if s.cfg.Database != "" {
		opts = append(opts, neo4j.ExecuteQueryWithDatabase(s.cfg.Database))
	}
	res, err := neo4j.ExecuteQuery(ctx, s.driver, cypher, params, neo4j.EagerResultTransformer, opts...)
	if isFailedConnection(err) && ctx.Err() == nil {
		// Refused before BEGIN was sent (see isFailedConnection): nothing ran.
		res, err = neo4j.ExecuteQuery(ctx, s.driver, cypher, params, neo4j.EagerResultTransformer, opts...)
	}
	if err != nil {
		return nil, err
	}
	return res.Records, nil
}

// autoCommitRead runs a read as an auto-commit transaction: RUN and PULL
// go out together and the answer comes back in one round trip, where a
// managed transaction (ExecuteQuery) also waits for BEGIN and COMMIT. On the
// bench machine that took a single-entity lookup from 0.75 ms to 0.5 ms, and
// each level of a nested query saves the same. The driver does not retry
// auto-commit transactions, so a retryable failure (a pooled connection that
// a Neo4j restart left dead, a transient error) is retried here, at most
// twice and only while ctx lasts; writes keep managed transactions.
func (s *Store) autoCommitRead(ctx context.Context, cypher string, params map[string]any, name string) ([]*neo4j.Record, error) {
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		if attempt > 0 && !isFailedConnection(err) { // a failed connection is retried at once
			select {
			case <-ctx.Done():
				return nil, err
			case <-time.After(time.Duration(attempt) * 20 * time.Millisecond):
			}
		}
		var recs []*neo4j.Record
		recs, err = s.autoCommitOnce(ctx, cypher, params, name)
		if err == nil || !neo4j.IsRetryable(err) && !isFailedConnection(err) || ctx.Err() != nil {
			return recs, err
		}
	}
	return nil, err
}

// isFailedConnection reports whether err is the driver refusing to use a
// pooled connection that an earlier statement left failed. After Neo4j
// rejects a request as invalid (Neo.ClientError.Request.Invalid, such as a
// parameter it cannot read), the driver 5.28 returns that connection to the
// pool unreset, and the next statement given it fails with "invalid state
// 4, expected: [1 0]" before anything is sent; that connection is reset on
// its way back, so a second attempt runs. The driver offers no error type or
// code for this, only the text.
func isFailedConnection(err error) bool {
	return err != nil && strings.HasPrefix(err.Error(), "invalid state ")
}

func (s *Store) autoCommitOnce(ctx context.Context, cypher string, params map[string]any, name string) ([]*neo4j.Record, error) {
	sess := s.driver.NewSession(ctx, neo4j.SessionConfig{
		DatabaseName:    s.cfg.Database,
		AccessMode:      neo4j.AccessModeRead,
		BookmarkManager: s.driver.ExecuteQueryBookmarkManager(),
		Bookmarks:       bookmarksOf(ctx),
	})
	defer sess.Close(ctx)
	res, err := sess.Run(ctx, cypher, params, neo4j.WithTxTimeout(s.cfg.TxTimeout), txMeta(name))
	if err != nil {
		return nil, err
	}
	return collect(ctx, res)
}

// collect reads every record of res. The driver's Collect starts each
// result with room for 1,024 records (8 KB) where most answers here hold a
// handful: with it, a search request allocated 91.5 KB, with this 87.3 KB.
func collect(ctx context.Context, res neo4j.ResultWithContext) ([]*neo4j.Record, error) {
	var recs []*neo4j.Record
	for res.Next(ctx) {
		recs = append(recs, res.Record())
	}
	return recs, res.Err()
}

func (s *Store) read(ctx context.Context, name, cypher string, params map[string]any) ([]*neo4j.Record, error) {
	return s.run(ctx, name, cypher, params, false)
}

// write runs a schema statement (migrations). Data changes go through
// writeTx, whose transaction also bumps the graph version.
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
	if errors.Is(context.Cause(ctx), errUnreachable) {
		s.log.ErrorContext(ctx, "neo4j unavailable", "query", name, "err", err)
		return &kg.Error{Code: kg.CodeUnavailable, Message: unavailableMessage, Err: err}
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
	var ne *neo4j.Neo4jError
	if errors.As(err, &ne) && strings.HasPrefix(ne.Code, "Neo.ClientError.Transaction.InvalidBookmark") {
		s.log.WarnContext(ctx, "a request's bookmark was refused", "query", name, "err", err)
		return &kg.Error{Code: kg.CodeInvalid, Field: "bookmark", Message: "the bookmark was not issued by this graph's database; send back the bookmark a mutation's answer gave, unchanged", Err: err}
	}
	if errors.As(err, &ne) && ne.Code == "Neo.TransientError.Transaction.BookmarkTimeout" {
		s.log.WarnContext(ctx, "the database did not reach a request's bookmark in time", "query", name, "err", err)
		return &kg.Error{Code: kg.CodeUnavailable, Field: "bookmark", Message: "the graph database has not caught up with the bookmark's change yet; try again shortly", Err: err}
	}
	switch {
	case errors.Is(err, context.Canceled):
		return &kg.Error{Code: kg.CodeTimeout, Message: "the request was cancelled", Err: err}
	// Checked before timeouts: when Neo4j is down, the driver retries until its
	// retry time runs out and reports a TransactionExecutionLimit wrapping the
	// connectivity error.
	case neo4j.IsConnectivityError(err) || isUnavailable(err):
		s.log.ErrorContext(ctx, "neo4j unavailable", "query", name, "err", err)
		s.markUnreachable()
		return &kg.Error{Code: kg.CodeUnavailable, Message: unavailableMessage, Err: err}
	// A transaction past Neo4j's transaction timeout is stopped; once its
	// locks are released, a later statement of it fails with LockClientStopped.
	case errors.Is(err, context.DeadlineExceeded) || neo4j.IsTransactionExecutionLimit(err) ||
		strings.Contains(err.Error(), "TransactionTimedOut") || strings.Contains(err.Error(), "LockClientStopped"):
		s.log.WarnContext(ctx, "neo4j query timed out", "query", name, "err", err)
		return &kg.Error{Code: kg.CodeTimeout, Message: "the query took too long and was stopped; narrow it (fewer hops, a smaller limit) and try again", Err: err}
	}
	if errors.As(err, &ne) && strings.HasPrefix(ne.Code, "Neo.ClientError.Schema.ConstraintValidationFailed") {
		return &kg.Error{Code: kg.CodeConflict, Message: "the change collides with existing data (a duplicate id)", Err: err}
	}
	s.log.ErrorContext(ctx, "neo4j query failed", "query", name, "err", err)
	return &kg.Error{Code: kg.CodeInternal, Message: "internal error", Err: fmt.Errorf("%s: %w", name, err)}
}

// unavailableMessage is all a client learns when Neo4j cannot be reached.
const unavailableMessage = "the graph database is unavailable; try again shortly"

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
