package main

import (
	"fmt"
	"os"
	"strconv"
	"time"
)

// config is every setting innograph reads, from the environment.
type config struct {
	Port            int
	Neo4jURI        string
	Neo4jUser       string
	Neo4jPassword   string
	Neo4jDatabase   string
	LocalBoltPort   int
	LocalInstance   string
	LocalHeap       string
	LocalPageCache  string
	LocalTxTimeout  string
	SeedDocs        string
	RequestTimeout  time.Duration
	TxTimeout       time.Duration
	ShutdownTimeout time.Duration
	MaxBodyBytes    int64
	Introspection   bool
	Playground      bool
	ComplexityLimit int
	DepthLimit      int
	CORSOrigins     string
	LogLevel        string
	AuthTokens      string
	AuthTokenFile   string
	AnonymousReads  bool
	LoaderWait      time.Duration
	SearchSlots     int
	CacheBytes      int64
	VersionPoll     time.Duration
	PprofAddr       string
}

func env(key, def string) string {
	if v, ok := os.LookupEnv(key); ok && v != "" {
		return v
	}
	return def
}

func loadConfig() (config, error) {
	var errs []error
	num := func(key string, def int) int {
		v, err := strconv.Atoi(env(key, strconv.Itoa(def)))
		if err != nil {
			errs = append(errs, fmt.Errorf("%s must be a whole number", key))
		}
		return v
	}
	dur := func(key string, def time.Duration) time.Duration {
		v, err := time.ParseDuration(env(key, def.String()))
		if err != nil {
			errs = append(errs, fmt.Errorf("%s must be a duration such as 10s", key))
		}
		return v
	}
	boolean := func(key string, def bool) bool {
		v, err := strconv.ParseBool(env(key, strconv.FormatBool(def)))
		if err != nil {
			errs = append(errs, fmt.Errorf("%s must be true or false", key))
		}
		return v
	}
	c := config{
		Port:            num("PORT", 8080),
		Neo4jURI:        env("NEO4J_URI", ""),
		Neo4jUser:       env("NEO4J_USER", "neo4j"),
		Neo4jPassword:   env("NEO4J_PASSWORD", ""),
		Neo4jDatabase:   env("NEO4J_DATABASE", ""),
		LocalBoltPort:   num("NEO4J_BOLT_PORT", 7687),
		LocalInstance:   env("NEO4J_INSTANCE", "dev"),
		LocalHeap:       env("NEO4J_HEAP", "512m"),
		LocalPageCache:  env("NEO4J_PAGECACHE", "256m"),
		LocalTxTimeout:  env("NEO4J_LOCAL_TX_TIMEOUT", ""),
		SeedDocs:        env("SEED_DOCS", "../shared/seeds"),
		RequestTimeout:  dur("REQUEST_TIMEOUT", 10*time.Second),
		TxTimeout:       dur("NEO4J_TX_TIMEOUT", 8*time.Second),
		ShutdownTimeout: dur("SHUTDOWN_TIMEOUT", 20*time.Second),
		MaxBodyBytes:    int64(num("MAX_BODY_BYTES", 64<<10)),
		Introspection:   boolean("INTROSPECTION", true),
		Playground:      boolean("PLAYGROUND", true),
		ComplexityLimit: num("COMPLEXITY_LIMIT", 50000),
		DepthLimit:      num("DEPTH_LIMIT", 12),
		CORSOrigins:     env("CORS_ORIGINS", ""),
		LogLevel:        env("LOG_LEVEL", "info"),
		AuthTokens:      env("AUTH_TOKENS", ""),
		AuthTokenFile:   env("AUTH_TOKEN_FILE", ""),
		AnonymousReads:  boolean("ANONYMOUS_READS", true),
		CacheBytes:      int64(num("CACHE_MAX_BYTES", 64<<20)),
		VersionPoll:     dur("GRAPH_VERSION_POLL", time.Second),
		PprofAddr:       env("PPROF_ADDR", ""),
		LoaderWait:      dur("LOADER_WAIT", 500*time.Microsecond),
		SearchSlots:     num("NEO4J_SEARCH_CONCURRENCY", 8),
	}
	if c.TxTimeout >= c.RequestTimeout {
		errs = append(errs, fmt.Errorf("NEO4J_TX_TIMEOUT (%s) must be shorter than REQUEST_TIMEOUT (%s)", c.TxTimeout, c.RequestTimeout))
	}
	if c.VersionPoll <= 0 {
		errs = append(errs, fmt.Errorf("GRAPH_VERSION_POLL must be positive, such as 1s"))
	}
	if c.SearchSlots < 0 {
		errs = append(errs, fmt.Errorf("NEO4J_SEARCH_CONCURRENCY must be 0 (no bound) or more"))
	}
	if c.CacheBytes < 0 {
		errs = append(errs, fmt.Errorf("CACHE_MAX_BYTES must be 0 (no cache) or more"))
	}
	if len(errs) > 0 {
		return c, fmt.Errorf("configuration: %v", errs)
	}
	return c, nil
}
