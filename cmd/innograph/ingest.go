package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"
)

// ingestUsage is the ingest command's usage line.
const ingestUsage = "usage: innograph ingest FILE --title TITLE --published DATE [--publisher P] [--author A] [--url URL]"

// ingestCmd posts a document to a running server's ingestDocument (the
// ingestion workbench) and prints the counts of what the analyser found.
// The server is INNOGRAPH_URL (default http://127.0.0.1:PORT/graphql) and
// the curator's or admin's token INNOGRAPH_TOKEN.
func ingestCmd(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("ingest", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	title := fs.String("title", "", "the document's title (required)")
	published := fs.String("published", "", "publication date: 2024, 2024-05 or 2024-05-06 (required)")
	publisher := fs.String("publisher", "", "publisher")
	author := fs.String("author", "", "author")
	url := fs.String("url", "", "address (http or https)")
	// The file may come before or after the flags.
	var file string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		file, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("ingest: %v; %s", err, ingestUsage)
	}
	rest := fs.Args()
	if file == "" && len(rest) > 0 {
		file, rest = rest[0], rest[1:]
	}
	switch {
	case file == "":
		return errors.New("ingest needs the document's file; " + ingestUsage)
	case len(rest) > 0:
		return fmt.Errorf("ingest takes one file, got also %q; %s", strings.Join(rest, " "), ingestUsage)
	case strings.TrimSpace(*title) == "":
		return errors.New("ingest needs --title; " + ingestUsage)
	case *published == "":
		return errors.New("ingest needs --published (2024, 2024-05 or 2024-05-06); " + ingestUsage)
	}
	endpoint := os.Getenv("INNOGRAPH_URL")
	if endpoint == "" {
		endpoint = "http://127.0.0.1:" + env("PORT", "8080") + "/graphql"
	}
	token := os.Getenv("INNOGRAPH_TOKEN")
	if token == "" {
		return errors.New("ingest needs INNOGRAPH_TOKEN, the bearer token of a curator or admin of the server at " + endpoint)
	}
	text, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	in := map[string]any{"title": *title, "published": *published, "text": string(text)}
	for k, v := range map[string]string{"publisher": *publisher, "author": *author, "url": *url} {
		if v != "" {
			in[k] = v
		}
	}
	body, err := json.Marshal(map[string]any{"query": `mutation($in: IngestDocumentInput!) { ingestDocument(input: $in) {
  id title mentions(first: 1) { totalCount } suggestions(first: 1) { totalCount }
  open: suggestions(first: 1, status: [OPEN]) { totalCount } } }`, "variables": map[string]any{"in": in}})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "ingesting %s (%d bytes) into %s…\n", file, len(text), endpoint)
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute) // past the server's INGEST_TIMEOUT (2m), which answers first
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("INNOGRAPH_URL %q: %w", endpoint, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("the server at %s (INNOGRAPH_URL) did not answer: %w", endpoint, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return err
	}
	type count struct {
		TotalCount int `json:"totalCount"`
	}
	var res struct {
		Data *struct {
			IngestDocument struct {
				ID, Title   string
				Mentions    count `json:"mentions"`
				Suggestions count `json:"suggestions"`
				Open        count `json:"open"`
			} `json:"ingestDocument"`
		} `json:"data"`
		Errors []struct {
			Message    string         `json:"message"`
			Extensions map[string]any `json:"extensions"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(raw, &res); err != nil {
		return fmt.Errorf("the server at %s answered %s, not GraphQL: %.200s", endpoint, resp.Status, raw)
	}
	if len(res.Errors) > 0 {
		var msgs []string
		for _, e := range res.Errors {
			msgs = append(msgs, fmt.Sprintf("%s: %s", e.Extensions["code"], e.Message))
		}
		return errors.New("ingest refused: " + strings.Join(msgs, "; "))
	}
	if res.Data == nil {
		return fmt.Errorf("the server at %s answered %s without data", endpoint, resp.Status)
	}
	d := res.Data.IngestDocument
	fmt.Fprintf(out, "source %s (%s): %d mentions, %d suggestions (%d open)\n", d.ID, d.Title, d.Mentions.TotalCount, d.Suggestions.TotalCount, d.Open.TotalCount)
	return nil
}
