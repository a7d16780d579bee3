package layout_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"github.com/innograph/innograph/internal/proctest"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/innograph/innograph/internal/neo4jtest"
)

// TestLoneClone copies the repository's files as a clone has them (tracked
// and untracked files that git does not ignore) into a folder with no
// ../shared beside it and, with neither SEED_DOCS nor CI set, as a user
// would: builds the binary, validates the seed, serves it with `innograph
// run` (the path of make run, here against the test Neo4j), and runs the
// packages whose tests read seed documents, among them the browser test.
// Only the checks that need the articles may skip, and each must name
// SEED_DOCS. The layout with ../shared is the one make test runs in.
func TestLoneClone(t *testing.T) {
	neo4jtest.Store(t) // Neo4j up, schema applied, seed loaded
	ctx, cancel := context.WithTimeout(context.Background(), 12*time.Minute)
	defer cancel()
	cfg, err := neo4jtest.Config(ctx)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "main")
	copyRepo(t, neo4jtest.Root(), dir)
	if _, err := os.Stat(filepath.Join(dir, "..", "shared")); err == nil {
		t.Fatal("the copy has a ../shared beside it")
	}
	env := []string{"NEO4J_URI=" + cfg.URI, "NEO4J_USER=" + cfg.User, "NEO4J_PASSWORD=" + cfg.Password, "NEO4J_DATABASE=" + cfg.Database}
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "CI", "SEED_DOCS", "NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE", "PORT", "AUTH_TOKENS", "AUTH_TOKEN_FILE":
		default:
			env = append(env, kv)
		}
	}
	run := func(name string, args ...string) string {
		t.Helper()
		cmd := exec.CommandContext(ctx, name, args...)
		cmd.Dir, cmd.Env = dir, env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %s in the lone clone: %v\n%s", name, strings.Join(args, " "), err, tail(out))
		}
		return string(out)
	}

	run("go", "build", "-o", "bin/innograph", "./cmd/innograph")

	t.Run("validate", func(t *testing.T) {
		out := run("bin/innograph", "validate")
		if !strings.Contains(out, "ok: 5 sources") || !strings.Contains(out, "SEED_DOCS") {
			t.Errorf("validate did not pass while saying the quotes went unchecked (SEED_DOCS):\n%s", out)
		}
	})

	t.Run("run serves the seed", func(t *testing.T) {
		port := proctest.FreePort(t)
		srv := exec.Command("bin/innograph", "run")
		srv.Dir = dir
		srv.Env = append(env, "PORT="+strconv.Itoa(port), "LOG_LEVEL=warn", "ANONYMOUS_READS=true")
		var logs bytes.Buffer
		srv.Stdout, srv.Stderr = &logs, &logs
		if err := srv.Start(); err != nil {
			t.Fatal(err)
		}
		defer func() {
			_ = srv.Process.Kill()
			_ = srv.Wait()
			if t.Failed() {
				t.Logf("server log:\n%s", logs.String())
			}
		}()
		base := "http://127.0.0.1:" + strconv.Itoa(port)
		proctest.WaitReady(t, base+"/readyz", 2*time.Minute)
		res, err := http.Post(base+"/graphql", "application/json", strings.NewReader(`{"query":"{ entity(id: \"polyu\") { name } }"}`))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if !strings.Contains(string(body), `"name":"The Hong Kong Polytechnic University"`) {
			t.Errorf("entity polyu: %s %s", res.Status, body)
		}
		if !strings.Contains(logs.String(), "SEED_DOCS") {
			t.Errorf("the server did not say the documents are missing (SEED_DOCS):\n%s", logs.String())
		}
	})

	t.Run("tests", func(t *testing.T) {
		skipped := map[string]string{}
		goTest := func(args ...string) {
			cmd := exec.CommandContext(ctx, "go", append([]string{"test", "-count=1", "-p", "1", "-json"}, args...)...)
			cmd.Dir, cmd.Env = dir, env
			out, err := cmd.Output()
			failed, skips := readTestEvents(t, out)
			for k, v := range skips {
				skipped[k] = v
			}
			if err != nil || len(failed) > 0 {
				t.Fatalf("go test %s in the lone clone: %v; failed: %s\n%s", strings.Join(args, " "), err, strings.Join(failed, ", "), tail(out))
			}
		}
		goTest("./seed/", "./internal/neo4jtest/", "./graph/", "./web/")
		goTest("-run", "^(TestSourceDocs|TestSourceDocsArticles|TestLoadFiles|TestConfig)$", "./cmd/innograph/")
		for _, name := range []string{"seed.TestRealSeedQuotes", "cmd/innograph.TestSourceDocsArticles"} {
			if _, ok := skipped[name]; !ok {
				t.Errorf("%s ran without the documents; it should have skipped, naming SEED_DOCS", name)
			}
		}
		var names []string
		for name, out := range skipped {
			names = append(names, name)
			if !strings.Contains(out, "SEED_DOCS") {
				t.Errorf("%s skipped without naming SEED_DOCS: %s", name, out)
			}
		}
		sort.Strings(names)
		t.Logf("skipped without the documents: %s", strings.Join(names, ", "))
	})
}

// readTestEvents reads go test -json output: the tests that failed, and the
// tests that skipped with what they printed (keys "pkg.Test", pkg relative to
// the module).
func readTestEvents(t *testing.T, out []byte) (failed []string, skipped map[string]string) {
	t.Helper()
	skipped = map[string]string{}
	output := map[string]*strings.Builder{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var ev struct{ Action, Package, Test, Output string }
		if json.Unmarshal(sc.Bytes(), &ev) != nil || ev.Test == "" {
			continue
		}
		name := strings.TrimPrefix(ev.Package, "github.com/innograph/innograph/") + "." + ev.Test
		switch ev.Action {
		case "output":
			if output[name] == nil {
				output[name] = &strings.Builder{}
			}
			output[name].WriteString(ev.Output)
		case "fail":
			failed = append(failed, name)
		case "skip":
			if output[name] != nil {
				skipped[name] = output[name].String()
			} else {
				skipped[name] = ""
			}
		}
	}
	return failed, skipped
}

// copyRepo copies the files git gives a clone of root, and those it would
// commit, into dir.
func copyRepo(t *testing.T, root, dir string) {
	t.Helper()
	out, err := exec.Command("git", "-C", root, "ls-files", "-z", "--cached", "--others", "--exclude-standard").Output()
	if err != nil {
		t.Fatalf("git ls-files: %v", err)
	}
	n := 0
	for _, name := range strings.Split(string(out), "\x00") {
		if name == "" {
			continue
		}
		src := filepath.Join(root, name)
		st, err := os.Lstat(src)
		if err != nil || !st.Mode().IsRegular() {
			continue // deleted in the work tree, or not a file
		}
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, b, st.Mode().Perm()); err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n < 100 {
		t.Fatalf("copied %d files: not a whole repository", n)
	}
}

func tail(b []byte) string {
	const n = 8000
	if len(b) > n {
		return "…" + string(b[len(b)-n:])
	}
	return string(b)
}
