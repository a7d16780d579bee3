package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/innograph/innograph/internal/ingest/eval"
	"github.com/innograph/innograph/seed"
)

// evalCmd measures the ingestion analyser against the curated seed (make
// eval). Without the source documents it says that it did not run, naming
// SEED_DOCS, and succeeds.
func evalCmd(ctx context.Context, args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("eval takes no arguments, got %q; set SEED_DOCS to the folder of the seed articles", args)
	}
	dir := env("SEED_DOCS", "../shared/seeds")
	docs, err := seed.ReadDocs(dir)
	if errors.Is(err, fs.ErrNotExist) {
		fmt.Printf("eval: did not run: no source documents at %s (SEED_DOCS); set SEED_DOCS to the folder of the seed articles to measure the ingestion analyser\n", dir)
		return nil
	}
	if err != nil {
		return fmt.Errorf("source documents (SEED_DOCS=%s): %w", dir, err)
	}
	files, err := seed.EmbeddedFiles()
	if err != nil {
		return err
	}
	rep, err := eval.Run(ctx, files, docs)
	if err != nil {
		return err
	}
	rep.Print(os.Stdout)
	if os.Getenv("EVAL_DETAILS") != "" {
		rep.PrintDetails(os.Stdout)
	}
	return nil
}
