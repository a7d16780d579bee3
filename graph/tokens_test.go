package graph_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/innograph/innograph/graph"
)

func TestLoadTokens(t *testing.T) {
	ann, cy := graph.HashToken("ann-secret"), graph.HashToken("cy-secret")
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good", "# curators\n\ncy:curator:"+cy+"\n")
	// Line 4 is the bad one, whatever the commas before it (line 2 ends with
	// a comment that holds two): the error names the line, not a "token entry".
	badLine4 := write("bad4", "# tokens\nann:admin:"+ann+", # x, y\n\nbob:editor:"+cy+"\n")
	dupInFile := write("dup", "cy:curator:"+cy+"\n\ncy2:curator:"+strings.ToUpper(cy)+"\n")
	for _, tc := range []struct {
		name, spec, file string
		want             string // a part of the error; "" for success
		n                int
	}{
		{"inline", "ann:admin:" + ann + ", cy:curator:" + cy, "", "", 2},
		{"inline and file", "ann:admin:" + ann, good, "", 2},
		{"spaces around fields", " ann : admin : " + ann + " ", "", "", 1},
		{"none", "", "", "", 0},
		{"wrong field count", "ann:admin", "", "AUTH_TOKENS entry 1: has 2 field(s) separated by ':'; want name:role:sha256hex", 0},
		{"position counts commas", "ann:admin:" + ann + ",,cy:boss:" + cy, "", `AUTH_TOKENS entry 3 (name "cy"): unknown role "boss": want curator or admin`, 0},
		{"empty name", ":admin:" + ann, "", "AUTH_TOKENS entry 1: the name is empty", 0},
		{"control character in name", "a\x1bn:admin:" + ann, "", "AUTH_TOKENS entry 1: name:", 0},
		{"short hash, not echoed", "ann:admin:my-raw-secret", "", `AUTH_TOKENS entry 1 (name "ann"): the hash is 13 characters; want the 64 hex digits`, 0},
		{"same hash twice inline", "ann:admin:" + ann + ",ann2:curator:" + ann, "", `AUTH_TOKENS entry 2 (name "ann2"): the same token hash as AUTH_TOKENS entry 1 (name "ann")`, 0},
		{"file line number", "", badLine4, "AUTH_TOKEN_FILE " + badLine4 + `, line 4 (name "bob"): unknown role "editor"`, 0},
		{"same hash twice in the file, other case", "", dupInFile, "AUTH_TOKEN_FILE " + dupInFile + `, line 3 (name "cy2"): the same token hash as AUTH_TOKEN_FILE ` + dupInFile + `, line 1 (name "cy")`, 0},
		{"same hash inline and in the file", "cy:curator:" + cy, good, `line 3 (name "cy"): the same token hash as AUTH_TOKENS entry 1`, 0},
		{"missing file", "", filepath.Join(dir, "nope"), "AUTH_TOKEN_FILE: open " + filepath.Join(dir, "nope"), 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tokens, err := graph.LoadTokens(tc.spec, tc.file)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("LoadTokens: %v", err)
				}
				if tokens.Len() != tc.n {
					t.Errorf("%d tokens, want %d", tokens.Len(), tc.n)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("LoadTokens error %v, want one containing %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "my-raw-secret") {
				t.Errorf("the error echoes the token: %v", err)
			}
		})
	}
}

func TestParseTokensNamesEntries(t *testing.T) {
	_, err := graph.ParseTokens("ann:admin:" + graph.HashToken("a") + "\nbob:admin:xyz")
	if err == nil || !strings.HasPrefix(err.Error(), `token entry 2 (name "bob"): the hash is 3 characters`) {
		t.Fatalf("error %v", err)
	}
}
