package store

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/innograph/innograph/internal/kg"
)

// Failing fast while Neo4j is unreachable.
//
// The driver retries a transaction that failed for want of a connection with
// exponential back-off (about 2 s, then 4 s) until MaxTransactionRetryTime has
// passed, so with Neo4j down every query took about 6 s, a request with two
// queries ran into its deadline, and /readyz always waited for its own
// timeout; while a restarted Neo4j recovers its database, it accepts
// connections but holds every transaction until the database is up. Two
// guards keep answers within a few seconds instead:
//
//   - A circuit: once a query has failed with UNAVAILABLE, every later query
//     first probes Neo4j (see probe) and fails at once with UNAVAILABLE while
//     the probe fails. The first probe that succeeds closes the circuit, so
//     the same Store recovers by itself when Neo4j is back.
//   - A watchdog: a query still running after probeAfter triggers a probe; if
//     Neo4j is unreachable (a connection error, not merely slow), the query is
//     abandoned with UNAVAILABLE and the circuit opens. Slow queries on a
//     healthy Neo4j are not affected.

const (
	// probeAfter is how long a query runs before the watchdog probes.
	probeAfter = time.Second
	// probeTimeout bounds one probe.
	probeTimeout = 2 * time.Second
	// probeReuse is how long a probe's result answers for other callers.
	probeReuse = 250 * time.Millisecond
)

// errUnreachable is the cancellation cause of a query the watchdog abandoned.
var errUnreachable = errors.New("neo4j unreachable")

// prober serializes probes and shares each result for probeReuse.
type prober struct {
	mu  sync.Mutex
	at  time.Time
	err error
}

// markUnreachable opens the circuit: Neo4j did not answer.
func (s *Store) markUnreachable() { s.unreachable.Store(true) }

// probe checks that Neo4j answers RETURN 1 on the configured database within
// probeTimeout, without the driver's retries: connectivity first (which also
// evicts pooled connections a restart left dead), then an auto-commit query
// (which waits while the database is still starting). Concurrent callers wait
// for one probe and share its result.
func (s *Store) probe(ctx context.Context) error {
	s.probes.mu.Lock()
	defer s.probes.mu.Unlock()
	if time.Since(s.probes.at) < probeReuse {
		return s.probes.err
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), probeTimeout)
	defer cancel()
	err := s.driver.VerifyConnectivity(ctx)
	if err == nil {
		sess := s.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: s.cfg.Database, AccessMode: neo4j.AccessModeRead})
		var res neo4j.ResultWithContext
		if res, err = sess.Run(ctx, "RETURN 1", nil); err == nil {
			_, err = res.Consume(ctx)
		}
		sess.Close(ctx)
	}
	s.probes.at, s.probes.err = time.Now(), err
	return err
}

// definitelyUnreachable tells a connection failure from a probe that merely
// ran out of time (a busy pool, a database still starting, a server so loaded
// that it is slow to accept a connection). The driver reports a dial or
// handshake timeout as a connectivity error too; under a heavy benchmark load
// that made the watchdog abandon healthy queries, so timeouts never count.
func definitelyUnreachable(err error) bool {
	if err == nil || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	msg := err.Error()
	for _, t := range []string{"timeout", "deadline exceeded", "timed out"} {
		if strings.Contains(msg, t) {
			return false
		}
	}
	return neo4j.IsConnectivityError(err) || strings.Contains(msg, "connection refused")
}

// failFast returns UNAVAILABLE without running the query while the circuit
// is open and Neo4j still does not answer; nil otherwise.
func (s *Store) failFast(ctx context.Context, name string) error {
	if !s.unreachable.Load() {
		return nil
	}
	start := time.Now()
	err := s.probe(ctx)
	if err == nil {
		if s.unreachable.CompareAndSwap(true, false) {
			s.log.InfoContext(ctx, "neo4j answers again", "query", name)
		}
		return nil
	}
	if s.cfg.Observe != nil {
		s.cfg.Observe(name, time.Since(start), err)
	}
	return &kg.Error{Code: kg.CodeUnavailable, Message: unavailableMessage, Err: err}
}

// watch returns ctx with a watchdog: when the query is still running after
// probeAfter and a probe finds Neo4j unreachable, ctx is cancelled with
// errUnreachable (see translate). Call stop when the query is done.
func (s *Store) watch(ctx context.Context) (_ context.Context, stop func()) {
	ctx, cancel := context.WithCancelCause(ctx)
	t := time.AfterFunc(probeAfter, func() {
		if err := s.probe(ctx); definitelyUnreachable(err) {
			s.markUnreachable()
			cancel(errUnreachable)
		}
	})
	return ctx, func() {
		t.Stop()
		cancel(nil)
	}
}
