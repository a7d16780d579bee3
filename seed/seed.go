// Package seed holds innograph's curated graph (data/*.yaml, one file per
// source document) and the parser that turns seed files into validated kg
// values, reporting every problem with its file and line.
//
// The format is documented in README.md beside this file.
package seed

import (
	"embed"
	"fmt"
	"strings"

	"github.com/innograph/innograph/internal/kg"
)

// Data is the curated seed graph shipped with innograph.
//
//go:embed all:data
var Data embed.FS

// Graph is a parsed, merged set of seed files.
type Graph = kg.Graph

// Problem is one validation error at a place in a seed file.
type Problem struct {
	File string
	Line int
	Msg  string
}

// String formats the problem as file:line: message.
func (p Problem) String() string { return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Msg) }

// Problems is a list of validation errors; it is an error when not empty.
type Problems []Problem

// Error lists every problem, one per line.
func (ps Problems) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d problem(s) in the seed files:", len(ps))
	for _, p := range ps {
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	return b.String()
}

// Parse parses and validates files in one go.
func Parse(files []File, docs map[string]string) (*Graph, error) {
	p := NewParser()
	p.Docs = docs
	for _, f := range files {
		p.Add(f)
	}
	return p.Finish()
}
