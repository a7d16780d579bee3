package main

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"math"
	"net"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/internal/ingest"
	"github.com/innograph/innograph/internal/neo4jlocal"
	"github.com/innograph/innograph/internal/workbench"
)

// config is every setting innograph reads, from the environment.
type config struct {
	Port          int
	Neo4jURI      string
	Neo4jUser     string
	Neo4jPassword string
	Neo4jDatabase string
	LocalBoltPort int
	LocalInstance string
	// LocalPassword is NEO4J_LOCAL_PASSWORD: when set, the local Neo4j has
	// auth on with this password for user neo4j.
	LocalPassword   string
	LocalHeap       string
	LocalPageCache  string
	LocalTxTimeout  string
	SeedDocs        string
	RequestTimeout  time.Duration
	TxTimeout       time.Duration
	ShutdownTimeout time.Duration
	MaxBodyBytes    int64
	// IngestMaxBytes bounds the text of a document ingestDocument takes.
	IngestMaxBytes int64
	// IngestTimeout bounds a curator's or admin's request (the only ones that
	// may ingest a document) and the transaction storing an analysis.
	IngestTimeout time.Duration
	// LingerTime and LingerBytes bound the reading of an oversized body's
	// rest after its 413 (lingering.refuse).
	LingerTime      time.Duration
	LingerBytes     int64
	Introspection   bool
	Playground      bool
	ComplexityLimit int
	DepthLimit      int
	CORSOrigins     string
	LogLevel        string
	AuthTokens      string
	AuthTokenFile   string
	AnonymousReads  bool
	// Tokens are AUTH_TOKENS and AUTH_TOKEN_FILE's, parsed (nil when the
	// command does not serve).
	Tokens      *graph.Tokens
	LoaderWait  time.Duration
	SearchSlots int
	CacheBytes  int64
	VersionPoll time.Duration
	PprofAddr   string
}

func env(key, def string) string {
	if v, ok := os.LookupEnv(key); ok && v != "" {
		return v
	}
	return def
}

// A scope is a group of settings that some commands use. loadConfigFor checks
// only the scopes its command uses, so that a setting a command ignores
// cannot stop it (PORT=abc does not fail hash-token, nor a bad NEO4J_URI
// neo4j start). Every setting is still read: a bad one the command ignores
// keeps its default.
type scope uint8

const (
	scopeListen scope = 1 << iota // PORT: serve, run and healthcheck
	scopeServe                    // the HTTP and GraphQL server: serve and run
	scopeStore                    // the connection to Neo4j: commands that open the store
	scopeLocal                    // the local Neo4j instance: run and neo4j
	scopeSeed                     // SEED_DOCS: commands that check quotes against the documents
	scopeLog                      // LOG_LEVEL: commands that log

	scopeAll = scopeListen | scopeServe | scopeStore | scopeLocal | scopeSeed | scopeLog
)

// commandScopes maps each command to the settings it uses; the others
// (generate, hash-token, help, and unknown commands) use none.
var commandScopes = map[string]scope{
	"run":         scopeAll,
	"serve":       scopeListen | scopeServe | scopeStore | scopeSeed | scopeLog,
	"migrate":     scopeStore | scopeLog,
	"load":        scopeStore | scopeSeed | scopeLog,
	"validate":    scopeSeed | scopeLog,
	"neo4j":       scopeLocal | scopeLog,
	"bulkload":    scopeStore | scopeLog,
	"healthcheck": scopeListen,
}

// neo4jSchemes are the URI schemes the Neo4j driver accepts.
var neo4jSchemes = []string{"bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc"}

// loadConfig reads the configuration and checks every setting, as run does.
func loadConfig() (config, error) { return loadConfigOf(scopeAll) }

// loadConfigFor reads the configuration and checks the settings command cmd
// uses (commandScopes).
func loadConfigFor(cmd string) (config, error) { return loadConfigOf(commandScopes[cmd]) }

// configReader collects the problems of the settings in the scopes it needs.
type configReader struct {
	need scope
	errs []string
	bad  map[string]bool   // settings whose value was refused
	defs map[string]string // every setting read, with its default
}

// failf records a problem with setting key, echoing its value, when the
// command needs scope s.
func (r *configReader) failf(s scope, key, format string, args ...any) {
	r.bad[key] = true
	if r.need&s != 0 {
		r.errs = append(r.errs, r.show(key)+": "+fmt.Sprintf(format, args...))
	}
}

// show is key with its value, or its default when it is unset.
func (r *configReader) show(key string) string {
	if v := os.Getenv(key); v != "" {
		return fmt.Sprintf("%s=%q", key, v)
	}
	return fmt.Sprintf("%s (unset, so %s)", key, r.defs[key])
}

func (r *configReader) num(s scope, key string, def, lo, hi int64, allowed string) int64 {
	r.defs[key] = strconv.FormatInt(def, 10)
	v, err := strconv.ParseInt(env(key, r.defs[key]), 10, 64)
	if err != nil || v < lo || v > hi {
		r.failf(s, key, "must be %s", allowed)
		return def
	}
	return v
}

func (r *configReader) dur(s scope, key string, def, lo time.Duration, allowed string) time.Duration {
	r.defs[key] = def.String()
	v, err := time.ParseDuration(env(key, r.defs[key]))
	if err != nil || v < lo {
		r.failf(s, key, "must be %s", allowed)
		return def
	}
	return v
}

func (r *configReader) boolean(s scope, key string, def bool) bool {
	r.defs[key] = strconv.FormatBool(def)
	v, err := strconv.ParseBool(env(key, r.defs[key]))
	if err != nil {
		r.failf(s, key, "must be true or false")
		return def
	}
	return v
}

// size reads a memory size for the local Neo4j ("512m"), which goes into
// its neo4j.conf as written.
func (r *configReader) size(s scope, key, def string) string {
	r.defs[key] = def
	v := env(key, def)
	if !neo4jlocal.ValidSize(v) {
		r.failf(s, key, "must be a whole number of bytes, optionally followed by k, m or g, such as 512m or 2g")
		return def
	}
	return v
}

// localTimeout reads the local Neo4j's default transaction timeout, a
// duration of at least 1ms or unset for none, and returns it in the form
// neo4j.conf takes ("90000ms" for 1m30s).
func (r *configReader) localTimeout(s scope, key string) string {
	r.defs[key] = "no default timeout"
	v := env(key, "")
	if v == "" {
		return ""
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < time.Millisecond {
		r.failf(s, key, "must be a duration of at least 1ms (Neo4j counts in milliseconds), such as 8s, or unset for no default timeout")
		return ""
	}
	return strconv.FormatInt(d.Milliseconds(), 10) + "ms"
}

// origins reads a comma-separated list of origins allowed to call from a
// browser: each "*" or SCHEME://HOST[:PORT] with scheme http or https and
// nothing after the host, as browsers send it in the Origin header (an entry
// with a path or a trailing slash would never match).
func (r *configReader) origins(s scope, key string) string {
	r.defs[key] = "none"
	v := env(key, "")
	for _, o := range strings.Split(v, ",") {
		if o = strings.TrimSpace(o); o == "" || o == "*" {
			continue
		}
		if err := checkOrigin(o); err != "" {
			r.failf(s, key, "the entry %q %s; each entry must be * or SCHEME://HOST[:PORT] with scheme http or https, as a browser sends it in its Origin header (such as https://analyst.example)", o, err)
			return ""
		}
	}
	return v
}

// checkOrigin says what is wrong with origin o, or "" when nothing is.
func checkOrigin(o string) string {
	u, err := url.Parse(o)
	switch {
	case err != nil:
		return "is not a URL"
	case u.Scheme != "http" && u.Scheme != "https":
		return "has no http or https scheme"
	case u.Host == "" || u.Hostname() == "":
		return "has no host"
	case u.User != nil:
		return "holds a user name"
	case u.Path != "" || u.RawQuery != "" || u.Fragment != "" || strings.HasSuffix(o, "?") || strings.HasSuffix(o, "#"):
		return "has something after the host (a path or a trailing slash)"
	case o != strings.ToLower(o):
		return "is not in lower case (browsers send origins in lower case)"
	}
	if p := u.Port(); p != "" && !validPort(p) {
		return "has a port that is not from 1 to 65535"
	}
	return ""
}

// hostPort reads an optional listening address, HOST:PORT.
func (r *configReader) hostPort(s scope, key string) string {
	r.defs[key] = "off"
	v := env(key, "")
	if v == "" {
		return ""
	}
	_, port, err := net.SplitHostPort(v)
	n, perr := strconv.Atoi(port)
	if err != nil || perr != nil || n < 0 || n > 65535 {
		r.failf(s, key, "must be HOST:PORT with a port from 0 to 65535, such as 127.0.0.1:6060, or unset")
		return ""
	}
	return v
}

// str reads a setting that any value suits.
func (r *configReader) str(key, def string) string {
	r.defs[key] = def
	return env(key, def)
}

// isSetting reports whether key is an environment variable the
// configuration reads.
func isSetting(key string) bool {
	r := &configReader{bad: map[string]bool{}, defs: map[string]string{}}
	r.read()
	_, ok := r.defs[key]
	return ok
}

func loadConfigOf(need scope) (config, error) {
	r := &configReader{need: need, bad: map[string]bool{}, defs: map[string]string{}}
	c := r.read()
	return c, r.check(&c)
}

// read reads every setting, checking each value on its own.
func (r *configReader) read() config {
	const port = "a port number from 1 to 65535"
	return config{
		Port:            int(r.num(scopeListen, "PORT", 8080, 0, 65535, "a port number from 1 to 65535, or 0 for any free port (the log says which)")),
		Neo4jURI:        r.str("NEO4J_URI", ""),
		Neo4jUser:       r.str("NEO4J_USER", "neo4j"),
		Neo4jPassword:   r.str("NEO4J_PASSWORD", ""),
		Neo4jDatabase:   r.str("NEO4J_DATABASE", ""),
		LocalBoltPort:   int(r.num(scopeStore|scopeLocal, "NEO4J_BOLT_PORT", 7687, 1, 65535, port)),
		LocalInstance:   r.str("NEO4J_INSTANCE", "dev"),
		LocalPassword:   r.str("NEO4J_LOCAL_PASSWORD", ""),
		LocalHeap:       r.size(scopeLocal, "NEO4J_HEAP", "512m"),
		LocalPageCache:  r.size(scopeLocal, "NEO4J_PAGECACHE", "256m"),
		LocalTxTimeout:  r.localTimeout(scopeLocal, "NEO4J_LOCAL_TX_TIMEOUT"),
		SeedDocs:        r.str("SEED_DOCS", "../shared/seeds"),
		RequestTimeout:  r.dur(scopeServe, "REQUEST_TIMEOUT", 10*time.Second, time.Nanosecond, "a positive duration such as 10s"),
		TxTimeout:       r.dur(scopeStore, "NEO4J_TX_TIMEOUT", 8*time.Second, time.Millisecond, "a duration of at least 1ms (Neo4j counts in milliseconds), such as 8s"),
		ShutdownTimeout: r.dur(scopeServe, "SHUTDOWN_TIMEOUT", 20*time.Second, time.Nanosecond, "a positive duration such as 20s"),
		MaxBodyBytes:    r.num(scopeServe, "MAX_BODY_BYTES", 64<<10, 1<<10, 1<<30, "a number of bytes from 1024 (1 KiB) to 1073741824 (1 GiB)"),
		IngestMaxBytes:  r.num(scopeServe, "INGEST_MAX_BYTES", workbench.DefaultMaxBytes, 1<<10, ingest.MaxText, "a number of bytes from 1024 (1 KiB) to 1048576 (1 MiB, what the analyser takes)"),
		IngestTimeout:   r.dur(scopeServe, "INGEST_TIMEOUT", 2*time.Minute, time.Second, "a duration of at least 1s, such as 2m"),
		LingerTime:      r.dur(scopeServe, "LINGER_TIME", 5*time.Second, 0, "a duration of 0 (no lingering: the connection closes at once) or more, such as 5s"),
		LingerBytes:     r.num(scopeServe, "LINGER_BYTES", 128<<20, 0, math.MaxInt64, "a number of bytes, 0 (no lingering: the connection closes at once) or more"),
		Introspection:   r.boolean(scopeServe, "INTROSPECTION", true),
		Playground:      r.boolean(scopeServe, "PLAYGROUND", true),
		ComplexityLimit: int(r.num(scopeServe, "COMPLEXITY_LIMIT", 50000, 1, math.MaxInt32, "a whole number of 1 or more (the limit cannot be switched off)")),
		DepthLimit:      int(r.num(scopeServe, "DEPTH_LIMIT", 12, 1, math.MaxInt32, "a whole number of 1 or more (the limit cannot be switched off)")),
		CORSOrigins:     r.origins(scopeServe, "CORS_ORIGINS"),
		LogLevel:        r.str("LOG_LEVEL", "info"),
		AuthTokens:      r.str("AUTH_TOKENS", ""),
		AuthTokenFile:   r.str("AUTH_TOKEN_FILE", ""),
		AnonymousReads:  r.boolean(scopeServe, "ANONYMOUS_READS", true),
		CacheBytes:      r.num(scopeServe, "CACHE_MAX_BYTES", 64<<20, 0, math.MaxInt64, "a number of bytes, 0 (no cache) or more"),
		VersionPoll:     r.dur(scopeServe, "GRAPH_VERSION_POLL", time.Second, 10*time.Millisecond, "a duration of at least 10ms, such as 1s"),
		PprofAddr:       r.hostPort(scopeServe, "PPROF_ADDR"),
		LoaderWait:      r.dur(scopeServe, "LOADER_WAIT", 500*time.Microsecond, 0, "a duration of 0 (no wait) or more, such as 500us"),
		SearchSlots:     int(r.num(scopeStore, "NEO4J_SEARCH_CONCURRENCY", 8, 0, math.MaxInt32, "a whole number, 0 (no bound) or more")),
	}
}

// check checks the settings against each other and the world (files,
// tokens), and returns every problem found in the scopes r needs.
func (r *configReader) check(c *config) error {
	need := r.need
	// Comparisons only between values that parsed: one mistake, one message.
	if !r.bad["NEO4J_TX_TIMEOUT"] && !r.bad["REQUEST_TIMEOUT"] && c.TxTimeout >= c.RequestTimeout {
		r.failf(scopeServe, "NEO4J_TX_TIMEOUT", "must be shorter than %s, so that a slow query fails before its request does", r.show("REQUEST_TIMEOUT"))
	}
	if !r.bad["INGEST_TIMEOUT"] && !r.bad["REQUEST_TIMEOUT"] && c.IngestTimeout < c.RequestTimeout {
		r.failf(scopeServe, "INGEST_TIMEOUT", "must be at least %s: it is the deadline of curators' requests, reads included", r.show("REQUEST_TIMEOUT"))
	}
	if !r.bad["LINGER_TIME"] && !r.bad["SHUTDOWN_TIMEOUT"] && c.LingerTime >= c.ShutdownTimeout {
		r.failf(scopeServe, "LINGER_TIME", "must be shorter than %s, so that a graceful shutdown lets a refused client read its answer", r.show("SHUTDOWN_TIMEOUT"))
	}
	if _, err := parseLogLevel(c.LogLevel); err != nil {
		r.failf(scopeLog, "LOG_LEVEL", "must be debug, info, warn or error")
	}
	if !neo4jlocal.ValidInstance(c.LocalInstance) {
		r.failf(scopeLocal, "NEO4J_INSTANCE", "must be 1 to 64 letters, digits, - and _ (it names the folder .neo4j/NAME)")
	}
	if c.Neo4jURI != "" {
		if err := checkNeo4jURI(c.Neo4jURI); err != nil {
			r.bad["NEO4J_URI"] = true
			if need&scopeStore != 0 {
				r.errs = append(r.errs, err.Error())
			}
		}
	}
	// An explicit SEED_DOCS must exist; the default may be absent (the
	// commands then warn that quotes are not checked).
	if os.Getenv("SEED_DOCS") != "" {
		if st, err := os.Stat(c.SeedDocs); err != nil || !st.IsDir() {
			r.failf(scopeSeed, "SEED_DOCS", "must be a folder of source documents; %s (or unset it, and quotes are not checked against the documents)", notDir(err))
		}
	}
	if need&scopeServe != 0 {
		// Tokens are read now, before Neo4j is started or contacted.
		tokens, err := graph.LoadTokens(c.AuthTokens, c.AuthTokenFile)
		switch {
		case err != nil:
			r.errs = append(r.errs, err.Error())
		case tokens.Len() == 0 && !c.AnonymousReads && !r.bad["ANONYMOUS_READS"]:
			r.errs = append(r.errs, r.show("ANONYMOUS_READS")+": needs tokens, but AUTH_TOKENS and AUTH_TOKEN_FILE list none, so every request would be refused; "+
				"list tokens (innograph hash-token TOKEN prints the hash to list) or set ANONYMOUS_READS=true")
		default:
			c.Tokens = tokens
		}
	}
	if len(r.errs) > 0 {
		return fmt.Errorf("configuration: %s", strings.Join(r.errs, "; "))
	}
	return nil
}

// notDir says why a folder cannot be used, from os.Stat's error.
func notDir(err error) string {
	switch {
	case err == nil:
		return "it is not a folder"
	case errors.Is(err, fs.ErrNotExist):
		return "it does not exist"
	}
	return err.Error()
}

// checkNeo4jURI refuses a NEO4J_URI the driver cannot use: another scheme,
// no host, or a port out of range. The password a URI may hold is not echoed.
func checkNeo4jURI(uri string) error {
	allowed := "want SCHEME://HOST[:PORT] where SCHEME is " + strings.Join(neo4jSchemes, ", ") + " (such as bolt://localhost:7687)"
	u, err := url.Parse(uri)
	if err != nil {
		// Not echoed: the value may hold a password. url.Error's cause does not.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("NEO4J_URI is not a URI (%v); %s", err, allowed)
	}
	shown := fmt.Sprintf("NEO4J_URI=%q", uri)
	if _, pw := u.User.Password(); pw {
		shown = fmt.Sprintf("NEO4J_URI=%q", u.Redacted())
	}
	switch {
	case u.Scheme == "":
		return fmt.Errorf("%s: the scheme is missing; %s", shown, allowed)
	case !slices.Contains(neo4jSchemes, u.Scheme):
		return fmt.Errorf("%s: the scheme %q is not one Neo4j's driver accepts; %s", shown, u.Scheme, allowed)
	case u.Hostname() == "":
		return fmt.Errorf("%s: the host is missing; %s", shown, allowed)
	}
	if p := u.Port(); p != "" && !validPort(p) {
		return fmt.Errorf("%s: the port must be from 1 to 65535; %s", shown, allowed)
	}
	return nil
}

// validPort reports whether p, a URL's port, is a number from 1 to 65535.
func validPort(p string) bool {
	n, err := strconv.Atoi(p)
	return err == nil && n >= 1 && n <= 65535
}

// parseLogLevel reads LOG_LEVEL: debug, info, warn or error, in any case.
func parseLogLevel(s string) (slog.Level, error) {
	switch strings.ToLower(s) {
	case "debug":
		return slog.LevelDebug, nil
	case "info":
		return slog.LevelInfo, nil
	case "warn":
		return slog.LevelWarn, nil
	case "error":
		return slog.LevelError, nil
	}
	return slog.LevelInfo, fmt.Errorf("unknown log level %q: want debug, info, warn or error", s)
}
