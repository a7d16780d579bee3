package export

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/innograph/innograph/internal/kg"
)

// Store is what the export endpoints read.
type Store interface {
	Subgraph(ctx context.Context, q kg.SubgraphQuery) (kg.Subgraph, error)
	Paths(ctx context.Context, q kg.PathQuery) ([]kg.Path, error)
}

// Handler serves GET /export/subgraph and GET /export/path. Their query
// parameters mirror the GraphQL subgraph and paths arguments (lists are
// comma-separated), plus format=cytoscape|graphml|gexf|json (default json):
// Cytoscape JSON that cytoscape.js and networkx's cytoscape_graph read,
// GraphML, GEXF 1.2 that Gephi, networkx's read_gexf and graphology read,
// or innograph's JSON. A parameter an endpoint does not know is refused, so
// that a misspelt one ("maxhops") is not silently left out; so are other
// methods than GET and HEAD (405) and other paths under /export/ (404), each
// with a JSON error.
func Handler(s Store, log *slog.Logger) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /export/subgraph", func(w http.ResponseWriter, r *http.Request) {
		q, f, err := subgraphQuery(r)
		if err != nil {
			writeError(w, log, r, err)
			return
		}
		sg, err := s.Subgraph(r.Context(), q)
		if err != nil {
			writeError(w, log, r, err)
			return
		}
		write(w, log, r, f, "subgraph-"+strings.Join(q.IDs, "_"), FromSubgraph(sg))
	})
	mux.HandleFunc("GET /export/path", func(w http.ResponseWriter, r *http.Request) {
		q, f, err := pathQuery(r)
		if err != nil {
			writeError(w, log, r, err)
			return
		}
		ps, err := s.Paths(r.Context(), q)
		if err != nil {
			writeError(w, log, r, err)
			return
		}
		write(w, log, r, f, "paths-"+q.From+"-"+q.To, FromPaths(ps))
	})
	for _, p := range []string{"/export/subgraph", "/export/path"} {
		mux.HandleFunc(p, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Allow", "GET, HEAD")
			writeStatus(w, http.StatusMethodNotAllowed, kg.CodeBadRequest, "",
				fmt.Sprintf("method %s is not allowed; exports are read with GET", r.Method))
		})
	}
	mux.HandleFunc("/export/", func(w http.ResponseWriter, r *http.Request) {
		writeStatus(w, http.StatusNotFound, kg.CodeNotFound, "",
			fmt.Sprintf("no export at %s; there are /export/subgraph and /export/path", r.URL.Path))
	})
	return mux
}

// params are the query parameters each endpoint knows.
var params = map[string][]string{
	"subgraph": {"ids", "depth", "kinds", "types", "asOf", "limit", "format"},
	"path":     {"from", "to", "maxHops", "first", "types", "asOf", "directed", "format"},
}

// checkParams refuses a query parameter that endpoint does not know.
func checkParams(r *http.Request, endpoint string) error {
	known := params[endpoint]
	for name := range r.URL.Query() {
		ok := false
		for _, k := range known {
			ok = ok || k == name
		}
		if !ok {
			return kg.InvalidArg(name, "/export/%s has no parameter %q; it takes %s", endpoint, name, strings.Join(known, ", "))
		}
	}
	return nil
}

func write(w http.ResponseWriter, log *slog.Logger, r *http.Request, f Format, name string, g Graph) {
	var b bytes.Buffer
	if err := Write(&b, f, g); err != nil {
		writeError(w, log, r, err)
		return
	}
	if len(name) > 80 {
		name = name[:80]
	}
	w.Header().Set("Content-Type", f.ContentType())
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.%s"`, name, f.Ext()))
	if g.Truncated {
		w.Header().Set("X-Innograph-Truncated", "true")
	}
	_, _ = w.Write(b.Bytes())
}

func writeError(w http.ResponseWriter, log *slog.Logger, r *http.Request, err error) {
	code := kg.ErrorCode(err)
	status := http.StatusInternalServerError
	switch code {
	case kg.CodeInvalid, kg.CodeLimit:
		status = http.StatusBadRequest
	case kg.CodeNotFound:
		status = http.StatusNotFound
	case kg.CodeUnavailable:
		status = http.StatusServiceUnavailable
	case kg.CodeTimeout:
		status = http.StatusGatewayTimeout
	default:
		log.ErrorContext(r.Context(), "export failed", "err", err)
	}
	field := ""
	var ke *kg.Error
	if errors.As(err, &ke) {
		field = ke.Field
	}
	writeStatus(w, status, code, field, kg.ErrorMessage(err))
}

// writeStatus writes the JSON error body every export error has: message,
// code, and the argument at fault when there is one.
func writeStatus(w http.ResponseWriter, status int, code, argument, msg string) {
	body := map[string]any{"message": msg, "code": code}
	if argument != "" {
		body["argument"] = argument
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": body})
}

func list(r *http.Request, name string) []string {
	var out []string
	for _, v := range r.URL.Query()[name] {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// intParam parses a whole-number parameter, def when absent; the ranges are
// checked by the query's Validate in the store.
func intParam(r *http.Request, name string, def int) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, kg.InvalidArg(name, "must be a whole number, got %q", v)
	}
	return n, nil
}

func commonParams(r *http.Request) (Format, []kg.RelType, *time.Time, error) {
	f, err := ParseFormat(r.URL.Query().Get("format"))
	if err != nil {
		return "", nil, nil, err
	}
	var types []kg.RelType
	for _, t := range list(r, "types") {
		rt, err := kg.ParseRelType(t)
		if err != nil {
			return "", nil, nil, kg.InvalidArg("types", "%s", kg.ErrorMessage(err))
		}
		types = append(types, rt)
	}
	var asOf *time.Time
	if v := r.URL.Query().Get("asOf"); v != "" {
		d, err := kg.ParseDate(v)
		if err != nil {
			return "", nil, nil, kg.InvalidArg("asOf", "%s", kg.ErrorMessage(err))
		}
		t := d.Start()
		asOf = &t
	}
	return f, types, asOf, nil
}

func subgraphQuery(r *http.Request) (kg.SubgraphQuery, Format, error) {
	var q kg.SubgraphQuery
	if err := checkParams(r, "subgraph"); err != nil {
		return q, "", err
	}
	f, types, asOf, err := commonParams(r)
	if err != nil {
		return q, "", err
	}
	q.Types, q.AsOf = types, asOf
	q.IDs = list(r, "ids")
	for _, k := range list(r, "kinds") {
		kind, err := kg.ParseKind(k)
		if err != nil {
			return q, "", kg.InvalidArg("kinds", "%s", kg.ErrorMessage(err))
		}
		q.Kinds = append(q.Kinds, kind)
	}
	if q.Depth, err = intParam(r, "depth", kg.DefaultSubgraphDepth); err != nil {
		return q, "", err
	}
	if q.Limit, err = intParam(r, "limit", kg.DefaultSubgraphNodes); err != nil {
		return q, "", err
	}
	return q, f, nil
}

func pathQuery(r *http.Request) (kg.PathQuery, Format, error) {
	var q kg.PathQuery
	if err := checkParams(r, "path"); err != nil {
		return q, "", err
	}
	f, types, asOf, err := commonParams(r)
	if err != nil {
		return q, "", err
	}
	q.Types, q.AsOf = types, asOf
	q.From, q.To = r.URL.Query().Get("from"), r.URL.Query().Get("to")
	if q.MaxHops, err = intParam(r, "maxHops", kg.DefaultPathHops); err != nil {
		return q, "", err
	}
	if q.K, err = intParam(r, "first", kg.DefaultPaths); err != nil {
		return q, "", err
	}
	if v := r.URL.Query().Get("directed"); v != "" {
		if q.Directed, err = strconv.ParseBool(v); err != nil {
			return q, "", kg.InvalidArg("directed", "must be true or false, got %q", v)
		}
	}
	return q, f, nil
}
