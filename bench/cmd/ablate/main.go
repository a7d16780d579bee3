// Command ablate serves innograph's GraphQL handler (graph.NewHandler, as
// cmd/innograph builds it) with one caching or batching layer switched off,
// so that the benchmark can state what each layer buys. The switches live
// here, not in the server's configuration.
//
//	NEO4J_URI=bolt://127.0.0.1:7689 PORT=18083 ablate -without cache,trees
//
// -without lists the layers switched off, comma-separated: cache (the
// result cache), coalescing (statements shared across requests), trees
// (an entity's typed fields in its own statement); "nothing" for none. The
// result cache answers every repeat, so the other layers are measured with
// it off as well.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/internal/read"
	"github.com/innograph/innograph/internal/store"
)

func main() {
	without := flag.String("without", "nothing", "layers switched off, comma-separated: cache (result cache), coalescing (cross-request statement sharing), trees (entity trees in one statement); or nothing")
	flag.Parse()
	if err := run(context.Background(), *without); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, list string) error {
	uri, port := os.Getenv("NEO4J_URI"), os.Getenv("PORT")
	if uri == "" || port == "" {
		return errors.New("set NEO4J_URI and PORT")
	}
	off := map[string]bool{}
	for _, l := range strings.Split(list, ",") {
		switch l {
		case "cache", "coalescing", "trees":
			off[l] = true
		case "nothing":
		default:
			return fmt.Errorf("-without %q: want cache, coalescing or trees, comma-separated, or nothing", l)
		}
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	st, err := store.Open(ctx, store.Config{URI: uri, TxTimeout: 8 * time.Second, Logger: logger, SearchConcurrency: 8})
	if err != nil {
		return err
	}
	defer st.Close(context.Background())
	go st.WatchVersion(ctx, time.Second)
	cache := int64(64 << 20)
	if off["cache"] {
		cache = 0
	}
	// The layers are composed here as cmd/innograph composes them, less the
	// ones switched off.
	var rs read.Store = st
	if off["trees"] {
		rs = levelByLevel{st}
	}
	if !off["coalescing"] {
		rs = read.Shared(rs)
	}
	h := graph.NewHandler(graph.HandlerConfig{
		Reader: read.New(rs, read.Options{LoaderWait: 500 * time.Microsecond}),
		Writer: st, Logger: logger, AnonymousReads: true, ComplexityLimit: 50000, DepthLimit: 12,
		Version: st.GraphVersion, Behind: st.Behind, CacheBytes: cache})
	mux := http.NewServeMux()
	mux.Handle("/graphql", h)
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", port))
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	log.Printf("ablate (without %s) ready at http://%s/graphql", list, ln.Addr())
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// levelByLevel is the store without its read.TreeStore method: a Reader over
// it loads typed fields level by level.
type levelByLevel struct{ read.Store }
