// Command innograph serves the Hong Kong / Greater Bay Area innovation
// knowledge graph over GraphQL, and manages its database.
//
//	innograph run            start a local Neo4j if NEO4J_URI is unset, migrate, load the seed, serve
//	innograph serve          serve GraphQL against NEO4J_URI (or the local Neo4j)
//	innograph migrate        apply constraints and indexes
//	innograph load [PATH…]   validate seed files (default: the built-in seed) and merge them into the graph
//	innograph validate [PATH…] validate seed files without touching the database
//	innograph digest FILE…   print the source.digest of source documents
//	innograph ingest FILE --title T --published D   post a document to a running server's workbench
//	innograph neo4j start|stop|status   manage the local Neo4j
//	innograph generate --out DIR [flags]   write a synthetic graph (benchmarks; gen.go)
//	innograph bulkload [flags] DIR         load a generated graph into an empty database
//	innograph hash-token TOKEN   print the hash of a token, for AUTH_TOKENS / AUTH_TOKEN_FILE
//	innograph healthcheck    exit 0 when the server on PORT is ready (for containers)
//	innograph help           print the usage
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/internal/kg"
	"github.com/innograph/innograph/internal/neo4jlocal"
	"github.com/innograph/innograph/internal/store"
	"github.com/innograph/innograph/seed"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:])
	stop()
	switch {
	case err == nil:
	case errors.Is(err, flag.ErrHelp):
		os.Exit(0) // -h: the command printed its usage
	default:
		fmt.Fprintln(os.Stderr, "innograph:", err)
		os.Exit(1)
	}
}

// newLogger logs JSON to stderr at level (LOG_LEVEL, which loadConfig
// checked; info when the command does not log).
func newLogger(level string) *slog.Logger {
	l, _ := parseLogLevel(level)
	return slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: l}))
}

// noArgs refuses the arguments of a command that takes none, pointing a
// flag-like one ("--port 9000") at its environment variable (PORT=9000).
func noArgs(cmd string, args []string) error {
	how := "environment variables (see README.md)"
	if name, ok := strings.CutPrefix(args[0], "-"); ok {
		name, value, eq := strings.Cut(strings.TrimPrefix(name, "-"), "=")
		if !eq && len(args) > 1 {
			value = args[1]
		}
		if key := strings.ToUpper(strings.ReplaceAll(name, "-", "_")); isSetting(key) {
			how = fmt.Sprintf("environment variables (%s=%s)", key, value)
		}
	}
	return fmt.Errorf("%s takes no arguments, got %q; configure it with %s", cmd, strings.Join(args, " "), how)
}

func run(ctx context.Context, args []string) error {
	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "run", "serve", "migrate", "healthcheck", "help", "-h", "--help":
		if len(args) > 0 {
			return noArgs(cmd, args)
		}
	case "neo4j":
		if len(args) > 1 {
			return fmt.Errorf("neo4j %s takes no further arguments, got %q; usage: innograph neo4j start|stop|status", args[0], strings.Join(args[1:], " "))
		}
	case "digest":
		if len(args) == 0 {
			return errors.New("digest takes the source documents to digest; usage: innograph digest FILE…")
		}
	case "hash-token":
		if len(args) != 1 {
			return fmt.Errorf("hash-token takes one argument, the token, got %d; usage: innograph hash-token TOKEN (quote a token that holds spaces)", len(args))
		}
	}
	// Only the settings cmd uses are checked (config.go, commandScopes):
	// a bad PORT does not stop hash-token.
	cfg, err := loadConfigFor(cmd)
	if err != nil {
		return err
	}
	log := newLogger(cfg.LogLevel)
	slog.SetDefault(log)
	switch cmd {
	case "run":
		if cfg.Neo4jURI == "" {
			if err := localServer(cfg, log).Start(ctx); err != nil {
				return err
			}
		}
		m := newMetrics()
		st, err := openStore(ctx, cfg, log, m)
		if err != nil {
			return err
		}
		defer st.Close(context.Background())
		if err := st.Migrate(ctx); err != nil {
			return err
		}
		if err := loadSeed(ctx, cfg, st, nil, nil, log); err != nil {
			return err
		}
		return serveWith(ctx, cfg, log, st, m)
	case "serve":
		m := newMetrics()
		st, err := openStore(ctx, cfg, log, m)
		if err != nil {
			return err
		}
		defer st.Close(context.Background())
		return serveWith(ctx, cfg, log, st, m)
	case "migrate":
		st, err := openStore(ctx, cfg, log, nil)
		if err != nil {
			return err
		}
		defer st.Close(context.Background())
		return st.Migrate(ctx)
	case "load":
		var first *seed.Graph
		if len(args) > 0 {
			// The files' own mistakes are reported before Neo4j is
			// contacted, even when it cannot be (parseSeed's first pass).
			var err error
			if first, err = parseAnyRefs(cfg, args); err != nil {
				return err
			}
		}
		st, err := openStore(ctx, cfg, log, nil)
		if err != nil {
			return err
		}
		defer st.Close(context.Background())
		if err := st.Migrate(ctx); err != nil {
			return err
		}
		return loadSeed(ctx, cfg, st, args, first, log)
	case "validate":
		g, err := parseSeed(ctx, cfg, nil, args, nil)
		if err != nil {
			return err
		}
		fmt.Printf("ok: %d sources, %d entities, %d relationships, %d fundings\n",
			len(g.Sources), len(g.Entities), len(g.Relationships), len(g.Fundings))
		return nil
	case "neo4j":
		return neo4jCmd(ctx, cfg, log, args)
	case "generate":
		return generateCmd(args)
	case "eval":
		return evalCmd(ctx, args)
	case "ingest":
		return ingestCmd(ctx, args, os.Stdout)
	case "bulkload":
		return bulkloadCmd(ctx, cfg, log, args)
	case "digest":
		// Prints each document's source.digest, for seed files.
		for _, name := range args {
			b, err := os.ReadFile(name)
			if err != nil {
				return err
			}
			fmt.Printf("%s  %s\n", seed.Digest(string(b)), name)
		}
		return nil
	case "hash-token":
		// Prints the SHA-256 of a token, for AUTH_TOKENS / AUTH_TOKEN_FILE entries.
		fmt.Println(graph.HashToken(args[0]))
		return nil
	case "healthcheck":
		// For container health checks: exit 0 when this server's /readyz says ok.
		c := http.Client{Timeout: 3 * time.Second}
		resp, err := c.Get(fmt.Sprintf("http://127.0.0.1:%d/readyz", cfg.Port))
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("readyz: %s", resp.Status)
		}
		return nil
	case "help", "-h", "--help":
		fmt.Println(strings.TrimSpace(usage))
		return nil
	}
	return fmt.Errorf("unknown command %q\n%s", cmd, usage)
}

const usage = `
usage: innograph COMMAND (serve when none)
  run                        start a local Neo4j if NEO4J_URI is unset, migrate, load the seed, serve
  serve                      serve GraphQL against NEO4J_URI (or the local Neo4j)
  migrate                    apply constraints and indexes
  load [PATH…]               validate seed files (default: the built-in seed) and merge them into the graph
  validate [PATH…]           validate seed files without touching the database
  digest FILE…               print the source.digest of source documents, for seed files
  neo4j start|stop|status    manage the local Neo4j
  generate --out DIR [--entities N] [--seed S] [--rels R]   write a synthetic graph (benchmarks)
  bulkload [--batch N] [--wipe] [--reuse] [--warm] DIR      load a generated graph into an empty database
  eval                       measure the ingestion analyser against the seed articles (SEED_DOCS)
  ingest FILE --title T --published D [--publisher P] [--author A] [--url U]
                             post a document to the running server's ingestion workbench
                             (INNOGRAPH_URL, default http://127.0.0.1:PORT/graphql; INNOGRAPH_TOKEN)
  hash-token TOKEN           print the hash of a token, for AUTH_TOKENS / AUTH_TOKEN_FILE
  healthcheck                exit 0 when the server on PORT is ready (for containers)
  help                       print this
Configuration comes from environment variables (PORT, NEO4J_URI, ...); see README.md.`

func localServer(cfg config, log *slog.Logger) *neo4jlocal.Server {
	root, err := neo4jlocal.FindRoot(".")
	if err != nil {
		root = "."
	}
	return neo4jlocal.New(neo4jlocal.Config{
		Root: root, Instance: cfg.LocalInstance, Port: cfg.LocalBoltPort, Password: cfg.LocalPassword,
		Heap: cfg.LocalHeap, PageCache: cfg.LocalPageCache, TxTimeout: cfg.LocalTxTimeout,
		Log: func(format string, args ...any) { log.Info(fmt.Sprintf(format, args...), "component", "neo4jlocal") },
	})
}

func neo4jCmd(ctx context.Context, cfg config, log *slog.Logger, args []string) error {
	if len(args) != 1 {
		return errors.New("usage: innograph neo4j start|stop|status")
	}
	srv := localServer(cfg, log)
	switch args[0] {
	case "start":
		if err := srv.Start(ctx); err != nil {
			return err
		}
		fmt.Println(srv.URI())
		return nil
	case "stop":
		return srv.Stop(ctx)
	case "status":
		st := srv.Status(ctx)
		fmt.Println(st)
		if !st.Ready {
			os.Exit(3)
		}
		return nil
	}
	return fmt.Errorf("unknown neo4j command %q: want start, stop or status", args[0])
}

func openStore(ctx context.Context, cfg config, log *slog.Logger, m *metrics) (*store.Store, error) {
	uri, user, pw := cfg.Neo4jURI, cfg.Neo4jUser, cfg.Neo4jPassword
	if uri == "" {
		uri = fmt.Sprintf("bolt://127.0.0.1:%d", cfg.LocalBoltPort)
		pw = cfg.LocalPassword
		if pw == "" {
			user = ""
		}
	} else if err := checkNeo4jURI(uri); err != nil {
		return nil, err // no retrying: waiting does not mend it
	}
	sc := store.Config{URI: uri, User: user, Password: pw, Database: cfg.Neo4jDatabase, TxTimeout: cfg.TxTimeout, IngestTxTimeout: cfg.IngestTimeout, Logger: log,
		SearchConcurrency: cfg.SearchSlots}
	if m != nil {
		sc.Observe = m.observeQuery
	}
	var st *store.Store
	var err error
	// Neo4j may still be starting (docker compose): retry for a while.
	deadline := time.Now().Add(60 * time.Second)
	for {
		st, err = store.Open(ctx, sc)
		if err == nil || time.Now().After(deadline) || ctx.Err() != nil {
			break
		}
		log.Warn("waiting for Neo4j", "uri", uri, "err", err)
		select {
		case <-ctx.Done():
		case <-time.After(2 * time.Second):
		}
	}
	if err != nil {
		hint := "start one with `make neo4j-start`, or set NEO4J_URI"
		if cfg.Neo4jURI != "" {
			hint = "check that Neo4j runs there, and NEO4J_URI, NEO4J_USER and NEO4J_PASSWORD"
		}
		return nil, fmt.Errorf("cannot reach Neo4j at %s: %w (%s)", uri, errors.Unwrap(err), hint)
	}
	log.Info("connected to Neo4j", "uri", uri)
	return st, nil
}

// parseSeed parses the seed files at paths, or the built-in seed when
// there are none. With a store (load), the files are checked against the
// graph they are about to be loaded into: they may refer to its entities,
// but not redefine its entities or sources differently, take a name one of
// its entities has, or use an id merged into another (seed.Existing).
// Without one (validate), the built-in files are parsed with them, so that
// references to built-in entities resolve and clashes with them show; a
// given file replaces the built-in file of the same name. first, when not
// nil, is the files' first pass (parseAnyRefs), already made.
func parseSeed(ctx context.Context, cfg config, st *store.Store, paths []string, first *seed.Graph) (*seed.Graph, error) {
	if len(paths) == 0 {
		files, err := seed.EmbeddedFiles()
		if err != nil {
			return nil, err
		}
		return parseWith(cfg, files, nil)
	}
	if st == nil {
		return parseFiles(cfg, paths, nil, nil)
	}
	// A first pass that accepts any reference collects what the files use.
	g := first
	if g == nil {
		var err error
		if g, err = parseAnyRefs(cfg, paths); err != nil {
			return nil, err
		}
	}
	var ids, keys, srcs []string
	for _, e := range g.Entities {
		ids = append(ids, e.ID)
		for _, n := range append([]string{e.Name}, e.Aliases...) {
			keys = append(keys, kg.NameKey(n))
		}
	}
	for _, m := range g.Mentions {
		ids = append(ids, m.EntityID)
		for _, a := range m.Aliases {
			keys = append(keys, kg.NameKey(a))
		}
	}
	for _, r := range g.Relationships {
		ids = append(ids, r.From, r.To)
	}
	for _, f := range g.Fundings {
		ids = append(ids, f.Funder, f.AdministeredBy, f.Programme)
		ids = append(ids, f.Recipients...)
	}
	for _, src := range g.Sources {
		srcs = append(srcs, src.ID)
	}
	facts, err := st.LoadFacts(ctx, ids, keys, srcs)
	if err != nil {
		return nil, err
	}
	return parseFiles(cfg, paths, nil, existing{facts})
}

// parseFiles parses the files at paths: alone when known or ex is given
// (load), else with the built-in files they do not replace (validate).
func parseFiles(cfg config, paths []string, known func(string) bool, ex seed.Existing) (*seed.Graph, error) {
	files, err := seed.ReadFiles(paths)
	if err != nil {
		return nil, err
	}
	if known == nil && ex == nil {
		builtin, err := seed.EmbeddedFiles()
		if err != nil {
			return nil, err
		}
		given := map[string]bool{}
		for _, f := range files {
			given[filepath.Base(f.Name)] = true
		}
		var all []seed.File
		for _, f := range builtin {
			if !given[filepath.Base(f.Name)] {
				all = append(all, f)
			}
		}
		files = append(all, files...)
	}
	p := seed.NewParser()
	p.Known = known
	p.Existing = ex
	return parseWith(cfg, files, p)
}

// parseWith parses files with p (a new parser if nil), checking quotes
// against the documents in SEED_DOCS when they are there.
func parseWith(cfg config, files []seed.File, p *seed.Parser) (*seed.Graph, error) {
	if p == nil {
		p = seed.NewParser()
	}
	docs, err := sourceDocs(cfg, slog.Default())
	if err != nil {
		return nil, err
	}
	p.Docs = docs
	for _, f := range files {
		p.Add(f)
	}
	return p.Finish()
}

// sourceDocs reads the source documents in SEED_DOCS for quote checks. It
// returns nil, with a warning, when the folder is absent: the documents are
// an optional input. Documents that are there must be the ones the
// built-in seed's digests name, so that no quote is checked against another
// text.
func sourceDocs(cfg config, log *slog.Logger) (map[string]string, error) {
	docs, err := seed.LoadDocs(cfg.SeedDocs)
	if errors.Is(err, fs.ErrNotExist) {
		log.Warn("no source documents: quotes are not checked against them (set SEED_DOCS to the folder of the articles to check them)", "SEED_DOCS", cfg.SeedDocs)
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("SEED_DOCS=%s: %w", cfg.SeedDocs, err)
	}
	files, err := seed.EmbeddedFiles()
	if err != nil {
		return nil, err
	}
	if _, err := seed.Parse(files, docs); err != nil {
		return nil, fmt.Errorf("the source documents in SEED_DOCS=%s do not verify the built-in seed: %w", cfg.SeedDocs, err)
	}
	return docs, nil
}

// existing adapts what the store found to seed.Existing.
type existing struct{ f store.LoadFacts }

func (x existing) Entity(id string) (kg.Kind, string, bool) {
	e, ok := x.f.Entities[id]
	return e.Kind, e.Name, ok
}

func (x existing) MergedInto(id string) string { return x.f.MergedInto[id] }

func (x existing) NameOwner(key string) string { return x.f.NameOwners[key] }

func (x existing) Source(id string) (kg.Source, bool) {
	s, ok := x.f.Sources[id]
	return s, ok
}

// parseAnyRefs parses the files at paths alone, taking every id they
// refer to as known: all but the checks against the graph.
func parseAnyRefs(cfg config, paths []string) (*seed.Graph, error) {
	return parseFiles(cfg, paths, func(string) bool { return true }, nil)
}

func loadSeed(ctx context.Context, cfg config, st *store.Store, paths []string, first *seed.Graph, log *slog.Logger) error {
	g, err := parseSeed(ctx, cfg, st, paths, first)
	if err != nil {
		return err
	}
	start := time.Now()
	if err := st.Import(ctx, g); err != nil {
		return err
	}
	counts, err := st.Counts(ctx)
	if err != nil {
		return err
	}
	log.Info("seed loaded", "files", max(len(paths), 1), "took", time.Since(start).String())
	fmt.Print(counts.String())
	return nil
}
