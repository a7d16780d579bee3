package workbench_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/innograph/innograph/internal/ingest"
	"github.com/innograph/innograph/internal/kg"
	"github.com/innograph/innograph/internal/workbench"
)

// Every refusal of a document is a BAD_USER_INPUT naming the field and the
// problem.
func TestCheckRefusals(t *testing.T) {
	ok := workbench.Document{Title: "A title", Text: "Some text.\n\tIndented."}
	tests := []struct {
		name  string
		edit  func(d *workbench.Document)
		field string
		says  string
	}{
		{"too large", func(d *workbench.Document) { d.Text = strings.Repeat("a", 2049) }, "input.text", "2049 bytes; at most 2048"},
		{"invalid UTF-8", func(d *workbench.Document) { d.Text = "caf\xe9 au lait" }, "input.text", "not valid UTF-8 (at byte 3)"},
		{"NUL", func(d *workbench.Document) { d.Text = "a\x00b" }, "input.text", "U+0000 at byte 1"},
		{"carriage return", func(d *workbench.Document) { d.Text = "a\r\nb" }, "input.text", "U+000D"},
		{"escape", func(d *workbench.Document) { d.Text = "a\x1b[31mb" }, "input.text", "U+001B"},
		{"C1 control", func(d *workbench.Document) { d.Text = "a\u0085b" }, "input.text", "U+0085"},
		{"empty text", func(d *workbench.Document) { d.Text = " \n\t" }, "input.text", "empty"},
		{"no title", func(d *workbench.Document) { d.Title = "  " }, "input.title", "needs a title"},
		{"title with a line break", func(d *workbench.Document) { d.Title = "a\nb" }, "input.title", "one line"},
		{"long title", func(d *workbench.Document) { d.Title = strings.Repeat("t", workbench.MaxTitleLen+1) }, "input.title", "at most"},
		{"ftp url", func(d *workbench.Document) { d.URL = "ftp://example.org/a" }, "input.url", "not an http(s) address"},
		{"javascript url", func(d *workbench.Document) { d.URL = "javascript:alert(1)" }, "input.url", "not an http(s) address"},
		{"url without host", func(d *workbench.Document) { d.URL = "https:///path" }, "input.url", "not an http(s) address"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := ok
			tt.edit(&d)
			err := workbench.Check(d, 2048)
			var ke *kg.Error
			if !errors.As(err, &ke) || ke.Code != kg.CodeInvalid || ke.Field != tt.field || !strings.Contains(ke.Message, tt.says) {
				t.Fatalf("Check = %v, want BAD_USER_INPUT on %s saying %q", err, tt.field, tt.says)
			}
		})
	}
	if err := workbench.Check(ok, 2048); err != nil {
		t.Errorf("a good document: %v", err)
	}
	d := ok
	d.URL, d.Text = "http://example.org/x", "\uFEFFWith a byte order mark, tabs\tand\nline feeds."
	if err := workbench.Check(d, 2048); err != nil {
		t.Errorf("a good document: %v", err)
	}
}

// Offsets are code points: a span after non-ASCII text still names its text.
func TestRecordsCodePointOffsets(t *testing.T) {
	text := "Université de Montréal’s team — led by Zhang — met the Hong Kong Polytechnic University (PolyU) in 2024."
	d, err := ingest.New([]kg.Entity{{ID: "polyu", Kind: kg.KindUniversity, Name: "The Hong Kong Polytechnic University", Aliases: []string{"PolyU"}}})
	if err != nil {
		t.Fatal(err)
	}
	a, err := d.Analyse(t.Context(), ingest.Document{Text: text, SourceID: "doc-x"})
	if err != nil {
		t.Fatal(err)
	}
	ms, sgs := workbench.Records(a, text, "doc-x")
	runes := []rune(text)
	if len(ms) == 0 {
		t.Fatal("no mentions")
	}
	for _, m := range ms {
		if got := string(runes[m.Start:m.End]); got != m.Text {
			t.Errorf("mention [%d,%d) is %q in code points, want %q", m.Start, m.End, got, m.Text)
		}
	}
	for _, sg := range sgs {
		if got := string(runes[sg.Start:sg.End]); got != sg.Text {
			t.Errorf("suggestion [%d,%d) is %q in code points, want %q", sg.Start, sg.End, got, sg.Text)
		}
	}
	// The same analysis gives the same ids.
	_, again := workbench.Records(a, text, "doc-x")
	for i := range sgs {
		if again[i].ID != sgs[i].ID {
			t.Errorf("suggestion %d: id %s then %s", i, sgs[i].ID, again[i].ID)
		}
	}
}
