package main

// The benchmark subcommands:
//
//	innograph generate --entities N [--seed S] [--rels R] --out DIR   write a synthetic graph (NDJSON)
//	innograph bulkload [--batch N] [--wipe] DIR                      load it into an empty database

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"hash/fnv"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/innograph/innograph/internal/kg"
	"github.com/innograph/innograph/internal/synth"
)

func generateCmd(args []string) error {
	fs := flag.NewFlagSet("generate", flag.ContinueOnError)
	n := fs.Int("entities", 10000, "number of entities")
	seed := fs.Uint64("seed", 1, "random seed (same seed, same graph)")
	rels := fs.Float64("rels", 5, "mean relationships per entity (besides FUNDS)")
	out := fs.String("out", "", "output directory")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	switch {
	case fs.NArg() > 0:
		return fmt.Errorf("generate: unexpected argument %q (flags go before it; every setting is a flag)", fs.Arg(0))
	case *out == "":
		return errors.New("generate: --out DIR is required")
	}
	start := time.Now()
	m, err := synth.Write(synth.Config{Entities: *n, Seed: *seed, RelsPerEntity: *rels}, *out, func(stage string, done, total int) {
		fmt.Fprintf(os.Stderr, "\rgenerate: %s %d/%d", stage, done, total)
	})
	if err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr)
	fmt.Printf("generated %d entities, %d relationships, %d fundings, %d sources in %s into %s (biggest hub %s: %d edges)\n",
		m.Entities, m.Relationships, m.Fundings, m.Sources, time.Since(start).Round(time.Millisecond), *out, m.HubID, m.MaxDegree)
	return nil
}

func bulkloadCmd(ctx context.Context, cfg config, log *slog.Logger, args []string) (err error) {
	fs := flag.NewFlagSet("bulkload", flag.ContinueOnError)
	batch := fs.Int("batch", 10000, "rows per transaction")
	wipe := fs.Bool("wipe", false, "delete everything in the database first")
	reuse := fs.Bool("reuse", false, "do nothing when this very graph is already loaded")
	warm := fs.Bool("warm", false, "afterwards, read the whole graph once so that Neo4j's page cache holds it (for benchmarks)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: innograph bulkload [--batch N] [--wipe] [--reuse] [--warm] DIR")
	}
	if *batch < 1 || *batch > maxBatch {
		return fmt.Errorf("bulkload: --batch must be 1 to %d rows per transaction, got %d", maxBatch, *batch)
	}
	dir := fs.Arg(0)
	man, err := synth.ReadManifest(dir)
	if err != nil {
		return fmt.Errorf("bulkload: %s is not a generated graph: %w", dir, err)
	}
	fingerprint := fmt.Sprintf("entities=%d seed=%d rels=%d", man.Entities, man.Config.Seed, man.Relationships)
	st, err := openStore(ctx, cfg, log, nil)
	if err != nil {
		return err
	}
	defer st.Close(context.Background())
	if *warm {
		defer func() {
			if err != nil {
				return
			}
			t := time.Now()
			n, werr := st.WarmPageCache(ctx)
			if werr != nil {
				err = fmt.Errorf("bulkload: warming the page cache: %w", werr)
				return
			}
			fmt.Printf("bulkload: read %d properties to warm the page cache in %s\n", n, time.Since(t).Round(time.Millisecond))
		}()
	}
	if *reuse {
		if f, err := st.BulkMarker(ctx); err != nil {
			return err
		} else if f == fingerprint {
			fmt.Printf("bulkload: %s is already loaded (%s)\n", dir, f)
			return nil
		}
	}
	// Read the whole directory before writing anything: a mistake in it
	// must leave the database as it was, --wipe or not.
	t := time.Now()
	if err := checkBulkDir(ctx, dir, man); err != nil {
		return fmt.Errorf("bulkload: %s: %w; nothing was written", dir, err)
	}
	fmt.Fprintf(os.Stderr, "bulkload: checked %s in %s\n", dir, time.Since(t).Round(time.Millisecond))
	if *wipe {
		t := time.Now()
		if err := st.BulkWipe(ctx); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "bulkload: wiped the database in %s\n", time.Since(t).Round(time.Millisecond))
	} else if empty, err := st.BulkEmpty(ctx); err != nil {
		return err
	} else if !empty {
		return errors.New("bulkload: the database is not empty (pass --wipe to delete everything first)")
	}
	// Constraints and indexes first: the MATCHes of the relationship batches need the id index.
	if err := st.Migrate(ctx); err != nil {
		return err
	}
	start := time.Now()
	var counts [4]int64
	stages := []struct {
		name, file string
		load       func(path string) (int64, error)
	}{
		{"sources", synth.FileSources, func(p string) (int64, error) {
			return bulkStage(ctx, p, *batch, "sources", func(w *synth.WireSource) (kg.Source, error) {
				src := kg.Source{ID: w.ID, File: w.File, Title: w.Title, Publisher: w.Publisher, Author: w.Author, URL: w.URL}
				var err error
				src.Published, err = optDate(w.Published)
				return src, err
			}, st.BulkSources)
		}},
		{"entities", synth.FileEntities, func(p string) (int64, error) {
			return bulkStage(ctx, p, *batch, "entities", func(w *synth.WireEntity) (kg.Entity, error) {
				return kg.Entity{ID: w.ID, Kind: w.Kind, Name: w.Name, Aliases: w.Aliases, Description: w.Description, Sources: w.Sources}, nil
			}, st.BulkEntities)
		}},
		{"fundings", synth.FileFundings, func(p string) (int64, error) {
			return bulkStage(ctx, p, *batch, "fundings", wireFunding, st.BulkFundings)
		}},
		{"relationships", synth.FileRelationships, func(p string) (int64, error) {
			return bulkStage(ctx, p, *batch, "relationships", wireRel, st.BulkRelationships)
		}},
	}
	for i, s := range stages {
		n, err := s.load(filepath.Join(dir, s.file))
		if err != nil {
			return fmt.Errorf("bulkload %s: %s: %w; the database holds a partial load (%d sources, %d entities, %d fundings, %d relationships): run bulkload --wipe to start again",
				s.name, s.file, err, counts[0], counts[1], counts[2], counts[3]+n)
		}
		counts[i] = n
	}
	if err := st.SetBulkMarker(ctx, fingerprint); err != nil {
		return err
	}
	total := time.Since(start)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Printf("bulkload: %d sources, %d entities, %d fundings, %d relationships in %s (%.0f entities/s, %.0f relationships/s overall; peak Go heap %d MiB)\n",
		counts[0], counts[1], counts[2], counts[3], total.Round(time.Millisecond),
		float64(counts[1])/total.Seconds(), float64(counts[3])/total.Seconds(), ms.HeapSys>>20)
	return nil
}

// parseFlags parses a subcommand's flags. The flag package's own printing
// is off: -h prints the flags and returns flag.ErrHelp (main exits 0), and
// any other mistake comes back once, as an error naming the command.
func parseFlags(fs *flag.FlagSet, args []string) error {
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fs.SetOutput(os.Stderr)
		fmt.Fprintf(os.Stderr, "usage of innograph %s:\n", fs.Name())
		fs.PrintDefaults()
		return err
	}
	if err != nil {
		return fmt.Errorf("%s: %w (innograph %s -h lists the flags)", fs.Name(), err, fs.Name())
	}
	return nil
}

// maxBatch bounds bulkload's rows per transaction: one batch's parameters
// are held in memory on both sides.
const maxBatch = 100_000

// checkBulkDir reads every file of a generated graph, as bulkload will, and
// checks everything it can without the database: each line decodes and is
// a valid entity, source, funding or relationship; ids are unique (entities,
// sources, fundings); every reference names an entity or source of the
// directory; the numbers of lines are the manifest's. Ids are remembered by
// 64-bit hash, about 30 MB for a million entities, so a collision could make
// a correct directory look wrong, never the reverse (odds about 1 in 10^7).
func checkBulkDir(ctx context.Context, dir string, man synth.Manifest) error {
	type set map[uint64]struct{}
	hash := func(s string) uint64 {
		h := fnv.New64a()
		h.Write([]byte(s))
		return h.Sum64()
	}
	sources, entities, fundings := set{}, set{}, set{}
	add := func(s set, what, id string) error {
		if !kg.ValidID(id) {
			return fmt.Errorf("%s id %q is not a lowercase slug", what, id)
		}
		k := hash(id)
		if _, dup := s[k]; dup {
			return fmt.Errorf("duplicate %s id %q", what, id)
		}
		s[k] = struct{}{}
		return nil
	}
	need := func(s set, what, field, id string) error {
		if _, ok := s[hash(id)]; !ok {
			return fmt.Errorf("%s %q is not %s of this directory", field, id, what)
		}
		return nil
	}
	evidence := func(ev []kg.Evidence) error {
		for _, e := range ev {
			if err := need(sources, "a source", "evidence source", e.SourceID); err != nil {
				return err
			}
		}
		return nil
	}
	// n counts the lines of the file being checked.
	var n int64
	check := func(file string, want int64, scan func(f *os.File) error) error {
		f, err := os.Open(filepath.Join(dir, file))
		if err != nil {
			return err
		}
		defer f.Close()
		n = 0
		if err := scan(f); err != nil {
			return fmt.Errorf("%s %w", file, err)
		}
		if n != want {
			return fmt.Errorf("%s has %d records; the manifest says %d", file, n, want)
		}
		return ctx.Err()
	}
	if err := check(synth.FileSources, int64(man.Sources), func(f *os.File) error {
		return synth.Scan(f, func(w *synth.WireSource) error {
			n++
			if w.Title == "" {
				return fmt.Errorf("source %q has no title", w.ID)
			}
			if _, err := optDate(w.Published); err != nil {
				return err
			}
			return add(sources, "source", w.ID)
		})
	}); err != nil {
		return err
	}
	if err := check(synth.FileEntities, int64(man.Entities), func(f *os.File) error {
		return synth.Scan(f, func(w *synth.WireEntity) error {
			n++
			if _, err := kg.ParseKind(string(w.Kind)); err != nil {
				return err
			}
			e := kg.Entity{ID: w.ID, Kind: w.Kind, Name: w.Name, Aliases: w.Aliases, Description: w.Description, Sources: w.Sources}
			if err := e.Validate(); err != nil {
				return fmt.Errorf("entity %q: %w", w.ID, err)
			}
			for _, src := range w.Sources {
				if err := need(sources, "a source", "source", src); err != nil {
					return err
				}
			}
			return add(entities, "entity", w.ID)
		})
	}); err != nil {
		return err
	}
	if err := check(synth.FileFundings, int64(man.Fundings), func(f *os.File) error {
		return synth.Scan(f, func(w *synth.WireFunding) error {
			n++
			fd, err := wireFunding(w)
			if err != nil {
				return err
			}
			if err := fd.Validate(); err != nil {
				return fmt.Errorf("funding %q: %w", w.ID, err)
			}
			for _, e := range append([]string{fd.Funder, fd.AdministeredBy, fd.Programme}, fd.Recipients...) {
				if e == "" {
					continue
				}
				if err := need(entities, "an entity", "funding party", e); err != nil {
					return err
				}
			}
			if err := evidence(fd.Evidence); err != nil {
				return err
			}
			return add(fundings, "funding", w.ID)
		})
	}); err != nil {
		return err
	}
	return check(synth.FileRelationships, man.Relationships, func(f *os.File) error {
		return synth.Scan(f, func(w *synth.WireRel) error {
			n++
			r, err := wireRel(w)
			if err != nil {
				return err
			}
			if err := r.Validate(); err != nil {
				return fmt.Errorf("relationship %q: %w", w.ID, err)
			}
			if err := need(entities, "an entity", "from", r.From); err != nil {
				return err
			}
			if err := need(entities, "an entity", "to", r.To); err != nil {
				return err
			}
			if r.FundingID != "" {
				if err := need(fundings, "a funding", "fundingId", r.FundingID); err != nil {
					return err
				}
			}
			return evidence(r.Evidence)
		})
	})
}

// bulkStage streams one NDJSON file into the database in batches. Decoding
// the next batch overlaps with writing the current one; at most two batches
// are in memory.
func bulkStage[W, T any](ctx context.Context, path string, batch int, name string, conv func(*W) (T, error), write func(context.Context, []T) error) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan []T, 1)
	readErr := make(chan error, 1)
	go func() {
		defer close(batches)
		cur := make([]T, 0, batch)
		err := synth.Scan(f, func(w *W) error {
			v, err := conv(w)
			if err != nil {
				return err
			}
			cur = append(cur, v)
			if len(cur) == batch {
				select {
				case batches <- cur:
				case <-ctx.Done():
					return ctx.Err()
				}
				cur = make([]T, 0, batch)
			}
			return nil
		})
		if err == nil && len(cur) > 0 {
			select {
			case batches <- cur:
			case <-ctx.Done():
				err = ctx.Err()
			}
		}
		readErr <- err
	}()
	start, last := time.Now(), time.Now()
	var n int64
	for b := range batches {
		if err := write(ctx, b); err != nil {
			return n, err
		}
		n += int64(len(b))
		if time.Since(last) > time.Second {
			last = time.Now()
			fmt.Fprintf(os.Stderr, "\rbulkload: %-13s %10d  %8.0f/s", name, n, float64(n)/time.Since(start).Seconds())
		}
	}
	if err := <-readErr; err != nil {
		return n, err
	}
	d := time.Since(start)
	fmt.Fprintf(os.Stderr, "\rbulkload: %-13s %10d  %8.0f/s  in %s\n", name, n, float64(n)/max(d.Seconds(), 1e-9), d.Round(time.Millisecond))
	return n, nil
}

func optDate(s string) (*kg.Date, error) {
	if s == "" {
		return nil, nil
	}
	d, err := kg.ParseDate(s)
	if err != nil {
		return nil, err
	}
	return &d, nil
}

func wireEvidence(ws []synth.WireEvidence) []kg.Evidence {
	out := make([]kg.Evidence, len(ws))
	for i, w := range ws {
		out[i] = kg.Evidence{SourceID: w.Source, Quote: w.Quote}
	}
	return out
}

func wireRel(w *synth.WireRel) (kg.Relationship, error) {
	r := kg.Relationship{ID: w.ID, Type: w.Type, From: w.From, To: w.To, Role: w.Role, Evidence: wireEvidence(w.Evidence), FundingID: w.FundingID}
	var err error
	if r.Since, err = optDate(w.Since); err != nil {
		return r, err
	}
	if r.Until, err = optDate(w.Until); err != nil {
		return r, err
	}
	r.On, err = optDate(w.On)
	return r, err
}

func wireFunding(w *synth.WireFunding) (kg.Funding, error) {
	f := kg.Funding{ID: w.ID, Funder: w.Funder, Recipients: w.Recipients, AdministeredBy: w.AdministeredBy,
		Programme: w.Programme, Purpose: w.Purpose, Evidence: wireEvidence(w.Evidence)}
	if w.Amount != nil {
		f.Amount = &kg.Money{Value: w.Amount.Value, Currency: w.Amount.Currency, Note: w.Amount.Note}
	}
	var err error
	if f.Since, err = optDate(w.Since); err != nil {
		return f, err
	}
	if f.Until, err = optDate(w.Until); err != nil {
		return f, err
	}
	f.On, err = optDate(w.On)
	return f, err
}
