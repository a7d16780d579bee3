package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/internal/neo4jtest"
	"github.com/innograph/innograph/internal/workbench"
)

// innograph ingest posts a document to the server and prints the counts; a
// curator may send a document larger than MAX_BODY_BYTES.
func TestIngestCommand(t *testing.T) {
	srv := limitsServer(t, func(c *config) {
		c.AuthTokens, c.Tokens = "cli:curator:"+graph.HashToken("cli-secret"), nil
	})
	article, err := os.ReadFile("testdata/ingest_article.txt")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	small := filepath.Join(dir, "small.txt")
	// About 130 KB: over the default MAX_BODY_BYTES (64 KiB).
	large := filepath.Join(dir, "large.txt")
	largeText := strings.Repeat(string(article)+"\n", 130000/len(article))
	// Just under INGEST_MAX_BYTES (1 MiB): the largest document the default
	// settings take must be analysed and stored within them (INGEST_TIMEOUT).
	largest := filepath.Join(dir, "largest.txt")
	largestText := strings.Repeat("Zyxo "+string(article)+"\n", (1<<20-1000)/(len(article)+6))
	for name, text := range map[string]string{small: string(article), large: largeText, largest: largestText} {
		if err := os.WriteFile(name, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	del := func() {
		neo4jtest.Cypher(t, `MATCH (s:Source) WHERE s.digest IN $d OPTIONAL MATCH (s)-[:HAS_MENTION|HAS_SUGGESTION]->(x) DETACH DELETE x, s`,
			map[string]any{"d": []string{workbench.DigestOf(string(article)), workbench.DigestOf(largeText), workbench.DigestOf(largestText)}})
	}
	del()
	t.Cleanup(del)
	tests := []struct {
		name  string
		token string
		args  []string
		want  string // in the output, or in the error when err
		err   bool
	}{
		{"no file", "cli-secret", []string{"--title", "T", "--published", "2024"}, "needs the document's file", true},
		{"no title", "cli-secret", []string{small, "--published", "2024"}, "needs --title", true},
		{"no date", "cli-secret", []string{small, "--title", "T"}, "needs --published", true},
		{"no token", "", []string{small, "--title", "T", "--published", "2024"}, "needs INNOGRAPH_TOKEN", true},
		{"wrong token", "nope", []string{small, "--title", "T", "--published", "2024"}, "UNAUTHENTICATED", true},
		{"bad url", "cli-secret", []string{small, "--title", "T", "--published", "2024", "--url", "ftp://x"}, "BAD_USER_INPUT", true},
		{"small", "cli-secret", []string{small, "--title", "Zyxo marine", "--published", "2024-07-07", "--publisher", "Zyxo Courier"}, "mentions, ", false},
		{"flags first", "cli-secret", []string{"--title", "Zyxo marine", "--published", "2024-07-07", small}, "(Zyxo marine)", false},
		{"larger than MAX_BODY_BYTES", "cli-secret", []string{large, "--title", "Zyxo marine, long", "--published", "2024"}, "suggestions", false},
		{"INGEST_MAX_BYTES with the default timeouts", "cli-secret", []string{largest, "--title", "Zyxo marine, longest", "--published", "2024"}, "suggestions", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("INNOGRAPH_URL", srv.URL+"/graphql")
			t.Setenv("INNOGRAPH_TOKEN", tt.token)
			var out bytes.Buffer
			err := ingestCmd(t.Context(), tt.args, &out)
			if tt.err {
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("error %v, want one saying %q", err, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSpace(out.String()), "\n")
			if len(lines) != 2 || !strings.HasPrefix(lines[0], "ingesting ") || !strings.Contains(lines[1], tt.want) || !strings.HasPrefix(lines[1], "source doc-") {
				t.Errorf("output %q", out.String())
			}
		})
	}
}
