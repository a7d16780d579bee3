package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/innograph/innograph/graph"
)

// clearConfigEnv unsets every setting the configuration reads, for the test.
func clearConfigEnv(t *testing.T) {
	t.Helper()
	r := &configReader{bad: map[string]bool{}, defs: map[string]string{}}
	r.read()
	for k := range r.defs {
		t.Setenv(k, "") // env treats empty as unset
	}
}

func TestConfig(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	token := "ann:admin:" + graph.HashToken("secret")
	for _, tc := range []struct {
		name string
		cmd  string // "" for loadConfig (every setting)
		env  map[string]string
		want []string // the problems, in order; none: accepted
	}{
		{"defaults", "", nil, nil},
		// 1a
		{"body limit that overflowed max+1", "", map[string]string{"MAX_BODY_BYTES": "9223372036854775807"},
			[]string{`MAX_BODY_BYTES="9223372036854775807": must be a number of bytes from 1024 (1 KiB) to 1073741824 (1 GiB)`}},
		{"body limit 0", "", map[string]string{"MAX_BODY_BYTES": "0"}, []string{`MAX_BODY_BYTES="0": must be`}},
		{"body limit -1", "", map[string]string{"MAX_BODY_BYTES": "-1"}, []string{`MAX_BODY_BYTES="-1": must be`}},
		{"body limit 1023", "", map[string]string{"MAX_BODY_BYTES": "1023"}, []string{`MAX_BODY_BYTES="1023": must be`}},
		{"body limits at the bounds", "", map[string]string{"MAX_BODY_BYTES": "1024"}, nil},
		{"body limit 1 GiB", "", map[string]string{"MAX_BODY_BYTES": "1073741824"}, nil},
		{"linger time negative", "", map[string]string{"LINGER_TIME": "-1s"},
			[]string{`LINGER_TIME="-1s": must be a duration of 0 (no lingering: the connection closes at once) or more, such as 5s`}},
		{"linger time without a unit", "", map[string]string{"LINGER_TIME": "5"}, []string{`LINGER_TIME="5": must be a duration of 0`}},
		{"linger time 0", "", map[string]string{"LINGER_TIME": "0"}, nil},
		{"linger time not shorter than the shutdown", "", map[string]string{"LINGER_TIME": "20s"},
			[]string{`LINGER_TIME="20s": must be shorter than SHUTDOWN_TIMEOUT (unset, so 20s), so that a graceful shutdown lets a refused client read its answer`}},
		{"linger time against a short shutdown", "", map[string]string{"SHUTDOWN_TIMEOUT": "2s"},
			[]string{`LINGER_TIME (unset, so 5s): must be shorter than SHUTDOWN_TIMEOUT="2s"`}},
		{"linger bytes -1", "", map[string]string{"LINGER_BYTES": "-1"},
			[]string{`LINGER_BYTES="-1": must be a number of bytes, 0 (no lingering: the connection closes at once) or more`}},
		{"linger bytes 1.5m", "", map[string]string{"LINGER_BYTES": "1.5m"}, []string{`LINGER_BYTES="1.5m": must be a number of bytes`}},
		{"linger bytes 0", "", map[string]string{"LINGER_BYTES": "0"}, nil},
		{"linger bytes, serve", "serve", map[string]string{"LINGER_BYTES": "x"}, []string{`LINGER_BYTES="x"`}},
		{"linger bytes, migrate", "migrate", map[string]string{"LINGER_BYTES": "x", "LINGER_TIME": "1h"}, nil},
		// 1b
		{"complexity 0", "", map[string]string{"COMPLEXITY_LIMIT": "0"},
			[]string{`COMPLEXITY_LIMIT="0": must be a whole number of 1 or more (the limit cannot be switched off)`}},
		{"depth -1", "", map[string]string{"DEPTH_LIMIT": "-1"}, []string{`DEPTH_LIMIT="-1": must be a whole number of 1 or more`}},
		{"depth 1", "", map[string]string{"DEPTH_LIMIT": "1", "COMPLEXITY_LIMIT": "1"}, nil},
		// 1c
		{"tx timeout 0", "", map[string]string{"NEO4J_TX_TIMEOUT": "0"},
			[]string{`NEO4J_TX_TIMEOUT="0": must be a duration of at least 1ms (Neo4j counts in milliseconds), such as 8s`}},
		{"tx timeout negative", "", map[string]string{"NEO4J_TX_TIMEOUT": "-1s"}, []string{`NEO4J_TX_TIMEOUT="-1s": must be a duration of at least 1ms`}},
		{"tx timeout 1ns", "", map[string]string{"NEO4J_TX_TIMEOUT": "1ns"}, []string{`NEO4J_TX_TIMEOUT="1ns": must be`}},
		{"tx timeout 1ms", "", map[string]string{"NEO4J_TX_TIMEOUT": "1ms"}, nil},
		{"tx timeout not shorter", "", map[string]string{"REQUEST_TIMEOUT": "5s"},
			[]string{`NEO4J_TX_TIMEOUT (unset, so 8s): must be shorter than REQUEST_TIMEOUT="5s"`}},
		{"request timeout 0", "", map[string]string{"REQUEST_TIMEOUT": "0"}, []string{`REQUEST_TIMEOUT="0": must be a positive duration such as 10s`}},
		{"shutdown timeout 0", "", map[string]string{"SHUTDOWN_TIMEOUT": "0s"}, []string{`SHUTDOWN_TIMEOUT="0s": must be a positive duration such as 20s`}},
		{"version poll 1ns", "", map[string]string{"GRAPH_VERSION_POLL": "1ns"}, []string{`GRAPH_VERSION_POLL="1ns": must be a duration of at least 10ms, such as 1s`}},
		{"version poll 10ms", "", map[string]string{"GRAPH_VERSION_POLL": "10ms"}, nil},
		{"loader wait negative", "", map[string]string{"LOADER_WAIT": "-1ms"}, []string{`LOADER_WAIT="-1ms": must be a duration of 0 (no wait) or more`}},
		{"loader wait 0", "", map[string]string{"LOADER_WAIT": "0"}, nil},
		// 1d
		{"port -1", "", map[string]string{"PORT": "-1"}, []string{`PORT="-1": must be a port number from 1 to 65535, or 0 for any free port`}},
		{"port 65536", "", map[string]string{"PORT": "65536"}, []string{`PORT="65536": must be a port number`}},
		{"bolt port 0", "", map[string]string{"NEO4J_BOLT_PORT": "0"}, []string{`NEO4J_BOLT_PORT="0": must be a port number from 1 to 65535`}},
		// 1e
		{"log level unknown", "", map[string]string{"LOG_LEVEL": "verbose"}, []string{`LOG_LEVEL="verbose": must be debug, info, warn or error`}},
		{"log level warn+2", "", map[string]string{"LOG_LEVEL": "warn+2"}, []string{`LOG_LEVEL="warn+2": must be`}},
		{"log level in capitals", "", map[string]string{"LOG_LEVEL": "DEBUG"}, nil},
		// 1f: each problem once, with its value, joined by "; "
		{"request timeout without a unit", "", map[string]string{"REQUEST_TIMEOUT": "10"},
			[]string{`REQUEST_TIMEOUT="10": must be a positive duration such as 10s`}},
		{"two problems", "", map[string]string{"PORT": "abc", "DEPTH_LIMIT": "0"},
			[]string{`PORT="abc": must be a port number`, `DEPTH_LIMIT="0": must be`}},
		// 1g
		{"uri without scheme", "", map[string]string{"NEO4J_URI": "notauri"},
			[]string{`NEO4J_URI="notauri": the scheme is missing; want SCHEME://HOST[:PORT] where SCHEME is bolt, bolt+s, bolt+ssc, neo4j, neo4j+s, neo4j+ssc`}},
		{"uri with http", "", map[string]string{"NEO4J_URI": "http://x"}, []string{`NEO4J_URI="http://x": the scheme "http" is not one Neo4j's driver accepts`}},
		{"uri without host", "", map[string]string{"NEO4J_URI": "bolt://"}, []string{`NEO4J_URI="bolt://": the host is missing`}},
		{"uri with a bad port", "", map[string]string{"NEO4J_URI": "bolt://x:99999"}, []string{`NEO4J_URI="bolt://x:99999": the port must be from 1 to 65535`}},
		{"unparsable uri", "", map[string]string{"NEO4J_URI": "bolt://u:pw@x:abc"}, []string{`NEO4J_URI is not a URI (invalid port ":abc" after host)`}},
		{"password not echoed", "", map[string]string{"NEO4J_URI": "http://u:pw@x"}, []string{`NEO4J_URI="http://u:xxxxx@x"`}},
		{"uri neo4j+s", "", map[string]string{"NEO4J_URI": "neo4j+s://db.example.com"}, nil},
		{"uri IPv6", "", map[string]string{"NEO4J_URI": "bolt://[::1]:7687"}, nil},
		// 1h
		{"no anonymous reads, no tokens", "", map[string]string{"ANONYMOUS_READS": "false"},
			[]string{`ANONYMOUS_READS="false": needs tokens, but AUTH_TOKENS and AUTH_TOKEN_FILE list none`}},
		{"no anonymous reads, a token", "", map[string]string{"ANONYMOUS_READS": "false", "AUTH_TOKENS": token}, nil},
		// 1i
		{"seed docs missing", "", map[string]string{"SEED_DOCS": filepath.Join(dir, "nope")},
			[]string{`SEED_DOCS="` + filepath.Join(dir, "nope") + `": must be a folder of source documents; it does not exist (or unset it`}},
		{"seed docs a file", "", map[string]string{"SEED_DOCS": file}, []string{`: must be a folder of source documents; it is not a folder`}},
		{"seed docs a folder", "", map[string]string{"SEED_DOCS": dir}, nil},
		// 1j: what a command does not use does not stop it
		{"bad port, hash-token", "hash-token", map[string]string{"PORT": "abc", "LOG_LEVEL": "x", "NEO4J_URI": "x"}, nil},
		{"bad port, healthcheck", "healthcheck", map[string]string{"PORT": "abc"}, []string{`PORT="abc"`}},
		{"bad port, migrate", "migrate", map[string]string{"PORT": "abc", "ANONYMOUS_READS": "false"}, nil},
		{"bad uri, migrate", "migrate", map[string]string{"NEO4J_URI": "x"}, []string{`NEO4J_URI="x"`}},
		{"bad uri, neo4j", "neo4j", map[string]string{"NEO4J_URI": "x", "SEED_DOCS": "/nope"}, nil},
		{"bad instance, neo4j", "neo4j", map[string]string{"NEO4J_INSTANCE": "../escape"},
			[]string{`NEO4J_INSTANCE="../escape": must be 1 to 64 letters, digits, - and _`}},
		{"bad instance, serve", "serve", map[string]string{"NEO4J_INSTANCE": "../escape"}, nil},
		{"bad instance, run", "run", map[string]string{"NEO4J_INSTANCE": "../escape"}, []string{`NEO4J_INSTANCE="../escape"`}},
		{"missing docs, validate", "validate", map[string]string{"SEED_DOCS": "/nope", "PORT": "0"}, []string{`SEED_DOCS="/nope"`}},
		{"bad tokens, load", "load", map[string]string{"AUTH_TOKENS": "x"}, nil},
		{"bad everything, generate", "generate", map[string]string{"PORT": "x", "AUTH_TOKENS": "x", "NEO4J_INSTANCE": ".."}, nil},
		// 3: settings passed on to the local Neo4j, the browser or the profiler
		{"heap with a unit", "neo4j", map[string]string{"NEO4J_HEAP": "3G", "NEO4J_PAGECACHE": "1024"}, nil},
		{"heap that adds a Neo4j setting", "neo4j", map[string]string{"NEO4J_HEAP": "512m\nserver.bolt.listen_address=0.0.0.0:7687"},
			[]string{`NEO4J_HEAP="512m\nserver.bolt.listen_address=0.0.0.0:7687": must be a whole number of bytes, optionally followed by k, m or g, such as 512m or 2g`}},
		{"page cache 1.5g", "run", map[string]string{"NEO4J_PAGECACHE": "1.5g"}, []string{`NEO4J_PAGECACHE="1.5g": must be a whole number of bytes`}},
		{"page cache 0", "neo4j", map[string]string{"NEO4J_PAGECACHE": "0"}, []string{`NEO4J_PAGECACHE="0": must be`}},
		{"heap ignored by serve", "serve", map[string]string{"NEO4J_HEAP": "lots"}, nil},
		{"local timeout without a unit", "neo4j", map[string]string{"NEO4J_LOCAL_TX_TIMEOUT": "8"},
			[]string{`NEO4J_LOCAL_TX_TIMEOUT="8": must be a duration of at least 1ms (Neo4j counts in milliseconds), such as 8s, or unset for no default timeout`}},
		{"local timeout 1us", "neo4j", map[string]string{"NEO4J_LOCAL_TX_TIMEOUT": "1us"}, []string{`NEO4J_LOCAL_TX_TIMEOUT="1us": must be`}},
		{"local timeout 1m30s", "neo4j", map[string]string{"NEO4J_LOCAL_TX_TIMEOUT": "1m30s"}, nil},
		{"cors origin with a trailing slash", "serve", map[string]string{"CORS_ORIGINS": "https://a.example, https://b.example/"},
			[]string{`CORS_ORIGINS="https://a.example, https://b.example/": the entry "https://b.example/" has something after the host (a path or a trailing slash); each entry must be * or SCHEME://HOST[:PORT]`}},
		{"cors origin without a scheme", "serve", map[string]string{"CORS_ORIGINS": "analyst.example"}, []string{`the entry "analyst.example" has no http or https scheme`}},
		{"cors origin in capitals", "serve", map[string]string{"CORS_ORIGINS": "https://Analyst.example"}, []string{`is not in lower case`}},
		{"cors origin with a bad port", "serve", map[string]string{"CORS_ORIGINS": "http://localhost:0"}, []string{`has a port that is not from 1 to 65535`}},
		{"cors origins accepted", "serve", map[string]string{"CORS_ORIGINS": "*, https://analyst.example,http://localhost:5173,"}, nil},
		{"pprof without a port", "serve", map[string]string{"PPROF_ADDR": "localhost"},
			[]string{`PPROF_ADDR="localhost": must be HOST:PORT with a port from 0 to 65535, such as 127.0.0.1:6060, or unset`}},
		{"pprof with a bad port", "serve", map[string]string{"PPROF_ADDR": "127.0.0.1:http"}, []string{`PPROF_ADDR="127.0.0.1:http": must be`}},
		{"pprof on a port", "serve", map[string]string{"PPROF_ADDR": ":6060"}, nil},
		// 2: tokens are read with the configuration
		{"bad token", "serve", map[string]string{"AUTH_TOKENS": token + ",bob:admin:abc"}, []string{`AUTH_TOKENS entry 2 (name "bob"): the hash is 3 characters`}},
		{"token file missing", "run", map[string]string{"AUTH_TOKEN_FILE": filepath.Join(dir, "nope")}, []string{`AUTH_TOKEN_FILE: open ` + filepath.Join(dir, "nope")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clearConfigEnv(t)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			var cfg config
			var err error
			if tc.cmd == "" {
				cfg, err = loadConfig()
			} else {
				cfg, err = loadConfigFor(tc.cmd)
			}
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("error %v, want none", err)
				}
				if tc.cmd == "" && cfg.Tokens == nil {
					t.Error("the tokens were not read")
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, want %q", tc.want)
			}
			msg, ok := strings.CutPrefix(err.Error(), "configuration: ")
			if !ok {
				t.Fatalf("error %q does not start with \"configuration: \"", err)
			}
			parts := strings.Split(msg, "; ")
			var problems []string // "; " also occurs inside a problem's text
			for _, p := range parts {
				if len(problems) > 0 && !strings.ContainsAny(p[:1], "ABCDEFGHIJKLMNOPQRSTUVWXYZ") {
					problems[len(problems)-1] += "; " + p
					continue
				}
				problems = append(problems, p)
			}
			if len(problems) != len(tc.want) {
				t.Fatalf("%d problems, want %d: %v", len(problems), len(tc.want), err)
			}
			for i, w := range tc.want {
				if !strings.Contains(problems[i], w) {
					t.Errorf("problem %d = %q, want it to contain %q", i, problems[i], w)
				}
			}
			if strings.Contains(err.Error(), ":pw@") {
				t.Errorf("the error echoes a password: %v", err)
			}
		})
	}
}

// Arguments are refused by commands that take none, before the
// configuration is read; the usage lists every command.
func TestConfigCommandArgs(t *testing.T) {
	clearConfigEnv(t)
	t.Setenv("PORT", "abc") // must not stop commands that do not listen
	for _, tc := range []struct {
		name string
		args []string
		want string // "" for success
	}{
		{"serve --port 9000", []string{"serve", "--port", "9000"},
			`serve takes no arguments, got "--port 9000"; configure it with environment variables (PORT=9000)`},
		{"serve --port=9000", []string{"serve", "--port=9000"}, "configure it with environment variables (PORT=9000)"},
		{"run --neo4j-uri", []string{"run", "-neo4j-uri", "bolt://x"}, "run takes no arguments, got \"-neo4j-uri bolt://x\"; configure it with environment variables (NEO4J_URI=bolt://x)"},
		{"unknown flag", []string{"migrate", "--verbose"}, "migrate takes no arguments, got \"--verbose\"; configure it with environment variables (see README.md)"},
		{"healthcheck x", []string{"healthcheck", "x"}, "healthcheck takes no arguments"},
		{"help x", []string{"help", "serve"}, "help takes no arguments"},
		{"neo4j start now", []string{"neo4j", "start", "now"}, `neo4j start takes no further arguments, got "now"`},
		{"neo4j", []string{"neo4j"}, "usage: innograph neo4j start|stop|status"},
		{"hash-token without a token", []string{"hash-token"}, "hash-token takes one argument, the token, got 0"},
		{"hash-token with two", []string{"hash-token", "a", "b"}, "hash-token takes one argument, the token, got 2"},
		{"hash-token with a bad PORT", []string{"hash-token", "x"}, ""},
		{"help with a bad PORT", []string{"help"}, ""},
		{"unknown command", []string{"sreve"}, `unknown command "sreve"`},
		{"serve with a bad PORT", []string{"serve"}, `configuration: PORT="abc"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stdout := os.Stdout
			os.Stdout, _ = os.Open(os.DevNull)
			err := run(context.Background(), tc.args)
			os.Stdout.Close()
			os.Stdout = stdout
			if tc.want == "" {
				if err != nil {
					t.Fatalf("error %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
	for _, cmd := range []string{"run", "serve", "migrate", "load", "validate", "neo4j", "generate", "bulkload", "hash-token", "healthcheck", "help"} {
		if !strings.Contains(usage, "\n  "+cmd+" ") {
			t.Errorf("the usage does not list %s:\n%s", cmd, usage)
		}
	}
}

// Flag errors of generate and bulkload come back once, as an error naming
// the command and the flag (the flag package's own printing is off), and
// -h is not an error main reports.
func TestConfigFlagErrors(t *testing.T) {
	clearConfigEnv(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"generate", "--bogus"}, "generate: flag provided but not defined: -bogus (innograph generate -h lists the flags)"},
		{[]string{"generate", "--entities", "x"}, `generate: invalid value "x" for flag -entities`},
		{[]string{"bulkload", "--batch"}, "bulkload: flag needs an argument: -batch"},
		{[]string{"generate", "--out", "d", "extra"}, `generate: unexpected argument "extra"`},
	} {
		err := run(context.Background(), tc.args)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: %v, want an error containing %q", tc.args, err, tc.want)
		}
	}
	stderr := os.Stderr
	os.Stderr, _ = os.Open(os.DevNull)
	defer func() { os.Stderr.Close(); os.Stderr = stderr }()
	if err := run(context.Background(), []string{"generate", "-h"}); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("generate -h: %v, want flag.ErrHelp", err)
	}
}

// limitBody reads a chunked body whatever max is: max+1 overflowed for the
// largest int64, and every chunked body read as empty.
func TestLimitBody(t *testing.T) {
	const body = `{"query":"{ __typename }"}`
	for _, tc := range []struct {
		name   string
		max    int64
		status int
	}{
		{"largest int64", 1<<63 - 1, http.StatusOK},
		{"1 GiB", 1 << 30, http.StatusOK},
		{"exactly the body", int64(len(body)), http.StatusOK},
		{"one byte short", int64(len(body)) - 1, http.StatusRequestEntityTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got string
			h := limitBody(tc.max, lingering{Time: time.Second, Bytes: 1 << 20}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				got = string(b)
			}))
			// A reader of unknown length: the request is chunked.
			req := httptest.NewRequest(http.MethodPost, "/graphql", iotest.OneByteReader(strings.NewReader(body)))
			req.ContentLength = -1
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.status, rec.Body)
			}
			if tc.status == http.StatusOK && got != body {
				t.Errorf("the handler read %q, want %q", got, body)
			}
		})
	}
}

// NEO4J_LOCAL_TX_TIMEOUT is read as a Go duration and passed on in the form
// neo4j.conf takes.
func TestLocalTimeoutForm(t *testing.T) {
	for in, want := range map[string]string{"": "", "8s": "8000ms", "1m30s": "90000ms", "1500us": "1ms"} {
		clearConfigEnv(t)
		t.Setenv("NEO4J_LOCAL_TX_TIMEOUT", in)
		cfg, err := loadConfigFor("neo4j")
		if err != nil {
			t.Fatalf("%q: %v", in, err)
		}
		if cfg.LocalTxTimeout != want {
			t.Errorf("%q: LocalTxTimeout %q, want %q", in, cfg.LocalTxTimeout, want)
		}
	}
}
