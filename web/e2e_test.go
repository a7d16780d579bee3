package web_test

import (
	"bytes"
	"context"
	"github.com/innograph/innograph/internal/proctest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/internal/neo4jtest"
	"github.com/innograph/innograph/internal/workbench"
)

// TestBrowser drives the playground and the explorer in headless Chromium
// against the real binary and a real Neo4j with the seed graph loaded
// (web/e2e/run.mjs holds the scenario). It fails, never skips, when Node.js,
// the test's npm packages or Chromium are missing: web/e2e/setup.sh installs
// the last two. Screenshots are written to testartifacts/web-e2e.
func TestBrowser(t *testing.T) {
	root := neo4jtest.Root()
	neo4jtest.Store(t) // schema applied, seed loaded
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	cfg, err := neo4jtest.Config(ctx)
	if err != nil {
		t.Fatal(err)
	}

	run(t, ctx, root, "bash", "web/e2e/setup.sh")

	bin := filepath.Join(t.TempDir(), "innograph")
	run(t, ctx, root, "go", "build", "-o", bin, "./cmd/innograph")

	port := proctest.FreePort(t)
	base := "http://127.0.0.1:" + strconv.Itoa(port)
	srv := exec.Command(bin, "serve")
	srv.Dir = root
	srv.Env = append(os.Environ(),
		"PORT="+strconv.Itoa(port),
		"NEO4J_URI="+cfg.URI,
		"NEO4J_USER="+cfg.User,
		"NEO4J_PASSWORD="+cfg.Password,
		"NEO4J_DATABASE="+cfg.Database,
		"PLAYGROUND=true",
		"INTROSPECTION=true",
		"ANONYMOUS_READS=true",
		// A curator for the review step (run.mjs reads E2E_TOKEN).
		"AUTH_TOKENS=e2e:curator:"+graph.HashToken(e2eToken),
		"AUTH_TOKEN_FILE=",
		"LOG_LEVEL=warn",
	)
	var logs bytes.Buffer
	srv.Stdout, srv.Stderr = &logs, &logs
	if err := srv.Start(); err != nil {
		t.Fatalf("starting the server: %v", err)
	}
	t.Cleanup(func() {
		_ = srv.Process.Kill()
		_ = srv.Wait()
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	})
	proctest.WaitReady(t, base+"/readyz", 60*time.Second)

	artifacts := filepath.Join(root, "testartifacts", "web-e2e")
	cleanupReview(t, root)
	t.Setenv("E2E_TOKEN", e2eToken)
	run(t, ctx, root, "node", "web/e2e/run.mjs", base, artifacts)
}

// e2eToken is the curator's token of the review step.
const e2eToken = "e2e-curator-secret"

// cleanupReview removes what the review step ingests and accepts, so that
// every run starts from an unknown article: its source (by digest), its
// mentions and suggestions, and the entities accepting makes.
func cleanupReview(t *testing.T, root string) {
	t.Helper()
	text, err := os.ReadFile(filepath.Join(root, "web", "e2e", "review_article.txt"))
	if err != nil {
		t.Fatal(err)
	}
	del := func() {
		neo4jtest.Cypher(t, `MATCH (s:Source {digest: $d}) OPTIONAL MATCH (s)-[:HAS_MENTION|HAS_SUGGESTION]->(x) DETACH DELETE x, s`,
			map[string]any{"d": workbench.DigestOf(string(text))})
		neo4jtest.Cypher(t, `MATCH (n:Entity) WHERE n.id IN ['orla-veskin', 'quillon-photonics-centre', 'veskin-bulletin'] DETACH DELETE n`, nil)
	}
	del()
	t.Cleanup(del)
}

// run executes a command in dir, logging its output, and fails t when it fails.
func run(t *testing.T, ctx context.Context, dir string, name string, args ...string) {
	t.Helper()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if len(out) > 0 {
		t.Logf("%s %v:\n%s", name, args, out)
	}
	if err != nil {
		t.Fatalf("%s %v: %v", name, args, err)
	}
}
