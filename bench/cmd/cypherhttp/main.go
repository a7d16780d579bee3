// Command cypherhttp is the benchmark's cypher-http system: the floor for
// any HTTP service over innograph's database. A minimal net/http handler
// decodes the request innograph gets (a GraphQL JSON body; only its
// variables are read), makes the store calls the in-process cypher system
// makes for the shape named by the path (POST /lookup, /nested, ...), and
// writes the result as JSON. No GraphQL, no loaders, no caches: every
// request sends its own statements (the store alone, without read.Shared).
//
//	NEO4J_URI=bolt://127.0.0.1:7689 PORT=18082 cypherhttp
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/innograph/innograph/internal/kg"
	"github.com/innograph/innograph/internal/store"
)

func main() {
	if err := run(context.Background()); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context) error {
	uri, port := os.Getenv("NEO4J_URI"), os.Getenv("PORT")
	if uri == "" || port == "" {
		return errors.New("set NEO4J_URI and PORT")
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	st, err := store.Open(ctx, store.Config{URI: uri, TxTimeout: 8 * time.Second, MaxPoolSize: 100})
	if err != nil {
		return err
	}
	defer st.Close(context.Background())
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", port))
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: handler(st), ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	log.Printf("cypher-http ready at http://%s/", ln.Addr())
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// request is the GraphQL request body; only the variables are used.
type request struct {
	Variables map[string]any `json:"variables"`
}

func str(vars map[string]any, name string) string {
	s, _ := vars[name].(string)
	return s
}

// shapes answers each benchmark shape with the cypher system's store calls.
var shapes = map[string]func(ctx context.Context, st *store.Store, vars map[string]any) (any, error){
	"lookup": func(ctx context.Context, st *store.Store, vars map[string]any) (any, error) {
		e, err := st.Entity(ctx, str(vars, "id"))
		return map[string]any{"entity": e}, err
	},
	"nested": func(ctx context.Context, st *store.Store, vars map[string]any) (any, error) {
		lab := []kg.Kind{kg.KindLab}
		director := []kg.Expand{{Filter: kg.RelFilter{Types: []kg.RelType{kg.RelDirects}, Direction: kg.Incoming, Kinds: []kg.Kind{kg.KindPerson}}, First: 20, On: lab}}
		on := []kg.Kind{kg.KindUniversity}
		e, found, err := st.EntityTree(ctx, str(vars, "id"), []kg.Expand{
			{Filter: kg.RelFilter{Types: []kg.RelType{kg.RelHosts}, Direction: kg.Outgoing, Kinds: lab}, First: 10, On: on, Next: director},
			{Filter: kg.RelFilter{Types: []kg.RelType{kg.RelPartOf}, Direction: kg.Incoming, Kinds: lab}, First: 10, On: on, Next: director},
		})
		return map[string]any{"entity": e, "found": found}, err
	},
	"search": func(ctx context.Context, st *store.Store, vars map[string]any) (any, error) {
		hits, err := st.Search(ctx, str(vars, "q"), nil, 10)
		return map[string]any{"search": hits}, err
	},
	"subgraph": func(ctx context.Context, st *store.Store, vars map[string]any) (any, error) {
		sg, err := st.Subgraph(ctx, kg.SubgraphQuery{IDs: []string{str(vars, "id")}, Depth: 2, Limit: 100})
		return map[string]any{"subgraph": sg}, err
	},
	"paths": func(ctx context.Context, st *store.Store, vars map[string]any) (any, error) {
		ps, err := st.Paths(ctx, kg.PathQuery{From: str(vars, "a"), To: str(vars, "b"), MaxHops: 4, K: 3})
		return map[string]any{"paths": ps}, err
	},
	"fundings": func(ctx context.Context, st *store.Store, vars map[string]any) (any, error) {
		f := kg.FundingFilter{Funder: str(vars, "f")}
		fs, _, _, err := st.Fundings(ctx, f, kg.Page{First: 20})
		if err != nil {
			return nil, err
		}
		n, err := st.CountFundings(ctx, f)
		if err != nil {
			return nil, err
		}
		totals, err := st.FundingTotals(ctx, f)
		if err != nil {
			return nil, err
		}
		var ids []string
		for _, x := range fs {
			ids = append(ids, x.Recipients...)
		}
		recipients, err := st.EntitiesByIDs(ctx, ids)
		return map[string]any{"fundings": map[string]any{"totalCount": n, "totals": totals, "nodes": fs, "recipients": recipients}}, err
	},
	"list": func(ctx context.Context, st *store.Store, vars map[string]any) (any, error) {
		es, cs, more, err := st.ListEntities(ctx, kg.EntityFilter{Kinds: []kg.Kind{kg.KindCompany}}, kg.Page{First: 20, After: str(vars, "after")})
		var end *string
		if len(cs) > 0 {
			end = &cs[len(cs)-1]
		}
		return map[string]any{"entities": map[string]any{
			"pageInfo": map[string]any{"endCursor": end, "hasNextPage": more}, "nodes": es}}, err
	},
}

func handler(st *store.Store) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fn, ok := shapes[r.URL.Path[1:]]
		if !ok || r.Method != http.MethodPost {
			http.Error(w, "POST /lookup, /nested, /search, /subgraph, /paths, /fundings or /list", http.StatusNotFound)
			return
		}
		var req request
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&req); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]any{"errors": []any{map[string]any{"message": err.Error()}}})
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
		defer cancel()
		data, err := fn(ctx, st, req.Variables)
		if err != nil {
			writeJSON(w, http.StatusInternalServerError, map[string]any{"errors": []any{map[string]any{"message": fmt.Sprint(err)}}})
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"data": data})
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
