// Command loadgen drives innograph's benchmark: the same query mix against
// innograph (GraphQL), the @neo4j/graphql server (GraphQL) and raw Cypher
// (innograph's own store statements sent through the Go driver, in process:
// the floor), at several concurrencies, on loopback only. Requests are
// bounded by count and duration.
//
//	go run ./bench/cmd/loadgen -data bench/data/10k -size 10k -out bench/results
//
// It writes DIR/latest.json (one row per shape, concurrency and system),
// DIR/latest.md (tables, ratios, targets, machine) and a timestamped copy of both.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/innograph/innograph/internal/kg"
	"github.com/innograph/innograph/internal/store"
	"github.com/innograph/innograph/internal/synth"
)

// Row is one measurement: a shape at a concurrency on a system.
type Row struct {
	Shape       string  `json:"shape"`
	Concurrency int     `json:"concurrency"`
	System      string  `json:"system"`
	Size        string  `json:"size"`
	RPS         float64 `json:"rps"`
	P50         float64 `json:"p50_ms"`
	P99         float64 `json:"p99_ms"`
	// P99All is the p99 of every measured request, a failed one at the
	// time it took to fail: a system that times out on the hardest requests
	// would otherwise look faster for leaving them out of P99. It equals P99
	// when nothing failed.
	P99All   float64 `json:"p99_all_ms"`
	Errors   int     `json:"errors"`
	Requests int     `json:"requests"`
}

const (
	sysInnograph = "innograph"
	sysNGQL      = "neo4j-graphql"
	sysCypher    = "cypher"
	// sysCypherHTTP is the cypher system's store calls behind a minimal
	// net/http handler (bench/cmd/cypherhttp), sent innograph's requests.
	sysCypherHTTP = "cypher-http"
)

type opts struct {
	data, size, out, igURL, ngURL, chURL, bolt string
	concs                                      []int
	duration, warmup                           time.Duration
	maxRequests                                int
	shapes, systems                            []string
	igPID, ngPID                               int
	appendRows                                 bool
}

func main() {
	var o opts
	var concs, shapes, systems string
	flag.StringVar(&o.data, "data", "", "generated graph directory (its manifest.json picks ids and search terms)")
	flag.StringVar(&o.size, "size", "", "size label for the rows (default: the entity count)")
	flag.StringVar(&o.out, "out", "bench/results", "results directory")
	flag.StringVar(&o.igURL, "innograph", "http://127.0.0.1:18080/graphql", "innograph GraphQL endpoint")
	flag.StringVar(&o.ngURL, "neo4j-graphql", "http://127.0.0.1:18081/", "@neo4j/graphql endpoint")
	flag.StringVar(&o.chURL, "cypher-http", "http://127.0.0.1:18082", "cypher-http server (bench/cmd/cypherhttp)")
	flag.StringVar(&o.bolt, "bolt", "bolt://127.0.0.1:7689", "Neo4j for the raw Cypher system")
	flag.StringVar(&concs, "c", "1,8,32,64", "concurrencies")
	flag.DurationVar(&o.duration, "d", 10*time.Second, "measured duration per cell")
	flag.DurationVar(&o.warmup, "warmup", 2*time.Second, "warm-up per cell (not measured)")
	flag.IntVar(&o.maxRequests, "n", 20000, "most measured requests per cell")
	flag.StringVar(&shapes, "shapes", strings.Join(shapeNames(), ","), "shapes")
	flag.StringVar(&systems, "systems", "innograph,neo4j-graphql,cypher,cypher-http", "systems")
	flag.IntVar(&o.igPID, "innograph-pid", 0, "pid of the innograph server (for RSS)")
	flag.IntVar(&o.ngPID, "neo4j-graphql-pid", 0, "pid of the @neo4j/graphql server (for RSS)")
	flag.BoolVar(&o.appendRows, "append", false, "keep other sizes' rows in latest.json (multi-size runs)")
	reReport := flag.Bool("rereport", false, "only rewrite every run-<size>.md in -out from its run-<size>.json, then exit")
	flag.Parse()
	if *reReport {
		if err := rereport(o.out); err != nil {
			log.Fatal(err)
		}
		return
	}
	for _, s := range strings.Split(concs, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 || n > 256 {
			log.Fatalf("bad concurrency %q", s)
		}
		o.concs = append(o.concs, n)
	}
	o.shapes, o.systems = strings.Split(shapes, ","), strings.Split(systems, ",")
	if err := run(o); err != nil {
		log.Fatal(err)
	}
}

// loopback refuses any target that is not on this machine.
func loopback(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	host := u.Hostname()
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("%s: only loopback targets are allowed", raw)
}

func run(o opts) error {
	for _, u := range []string{o.igURL, o.ngURL, o.chURL, o.bolt} {
		if err := loopback(u); err != nil {
			return err
		}
	}
	m, err := synth.ReadManifest(o.data)
	if err != nil {
		return fmt.Errorf("reading the generated graph's manifest: %w", err)
	}
	plan, err := synth.NewPlan(m.Config)
	if err != nil {
		return err
	}
	if o.size == "" {
		o.size = sizeLabel(m.Entities)
	}
	ctx := context.Background()
	// The raw Cypher system is a plain client of the driver: each request
	// sends its own statements, with none of innograph's sharing.
	st, err := store.Open(ctx, store.Config{URI: o.bolt, TxTimeout: 8 * time.Second, MaxPoolSize: 100})
	if err != nil {
		return err
	}
	defer st.Close(ctx)
	drv, err := neo4j.NewDriverWithContext(o.bolt, neo4j.NoAuth())
	if err != nil {
		return err
	}
	defer drv.Close(ctx)
	client := &http.Client{Timeout: 15 * time.Second, Transport: &http.Transport{
		MaxIdleConns: 512, MaxIdleConnsPerHost: 512, IdleConnTimeout: time.Minute,
	}}
	b := &bench{plan: plan, st: st, drv: drv, client: client, o: o}
	benchForMachine = b
	var rows []Row
	rss := map[string]int64{}
	start := time.Now()
	for _, sh := range o.shapes {
		if _, ok := shapeByName[sh]; !ok {
			return fmt.Errorf("unknown shape %q (have %s)", sh, strings.Join(shapeNames(), ", "))
		}
	}
	// One unmeasured pass over every shape and system first: right after the
	// page-cache warm-up Neo4j is still settling (its heap is full of the
	// scans' garbage), and the first cells measured were slower than the
	// same cells later in the run.
	for _, sh := range o.shapes {
		for _, sys := range o.systems {
			b.warm(ctx, shapeByName[sh], sys, 8, o.warmup)
			b.quiesce(ctx)
		}
	}
	for _, sh := range o.shapes {
		shape := shapeByName[sh]
		// Warm every system on this shape before measuring any: otherwise the
		// first system measured pays for Neo4j's plan compilation and JIT.
		for _, sys := range o.systems {
			b.warm(ctx, shape, sys, 8, o.warmup)
			b.quiesce(ctx)
		}
		for ci, c := range o.concs {
			// The order of systems rotates with the concurrency, so that no
			// system is always measured first (right after a shape change).
			for si := range o.systems {
				sys := o.systems[(si+ci)%len(o.systems)]
				row := b.cell(ctx, shape, sys, c)
				b.quiesce(ctx)
				rows = append(rows, row)
				fmt.Fprintf(os.Stderr, "%-9s c=%-3d %-14s %8.1f req/s  p50 %7.2f ms  p99 %8.2f ms  errors %d (%d requests)\n",
					row.Shape, c, sys, row.RPS, row.P50, row.P99, row.Errors, row.Requests)
				for name, pid := range map[string]int{sysInnograph: o.igPID, sysNGQL: o.ngPID} {
					if r := rssKiB(pid); r > rss[name] {
						rss[name] = r
					}
				}
			}
		}
	}
	if slices.Contains(o.shapes, pairedShape) && slices.Contains(o.systems, sysInnograph) && slices.Contains(o.systems, sysCypherHTTP) {
		pr := b.paired(ctx, shapeByName[pairedShape])
		for _, row := range pr {
			fmt.Fprintf(os.Stderr, "%-9s c=%-3d %-14s %8.1f req/s  p50 %7.2f ms  p99 %8.2f ms  errors %d (%d requests)\n",
				row.Shape, row.Concurrency, row.System, row.RPS, row.P50, row.P99, row.Errors, row.Requests)
		}
		rows = append(rows, pr...)
	}
	return writeResults(o, m, rows, rss, time.Since(start))
}

func sizeLabel(n int) string {
	switch {
	case n >= 1000000 && n%1000000 == 0:
		return fmt.Sprintf("%dM", n/1000000)
	case n >= 1000 && n%1000 == 0:
		return fmt.Sprintf("%dk", n/1000)
	}
	return strconv.Itoa(n)
}

type bench struct {
	plan   *synth.Plan
	st     *store.Store
	drv    neo4j.DriverWithContext // for quiesce
	client *http.Client
	o      opts
}

// worker state: its random source and, for the paginated walk, its cursor.
type worker struct {
	r      *rand.Rand
	cursor string
	pages  int
}

// cell runs one shape on one system at concurrency c: warm-up, then at most
// o.duration and o.maxRequests measured requests.
func (b *bench) cell(ctx context.Context, sh *shape, sys string, c int) Row {
	row := Row{Shape: sh.name, Concurrency: c, System: sys, Size: b.o.size}
	for phase, d := range []time.Duration{b.o.warmup, b.o.duration} {
		measured := phase == 1
		var mu sync.Mutex
		var lat, failed []time.Duration
		errs, issued := 0, 0
		deadline := time.Now().Add(d)
		var wg sync.WaitGroup
		start := time.Now()
		for w := range c {
			wg.Add(1)
			go func() {
				defer wg.Done()
				// Every system gets the same ids (the same work); run.sh warms
				// Neo4j's page cache first so that the system measured first
				// does not load the pages the others then find in memory.
				wk := &worker{r: rand.New(rand.NewPCG(uint64(w+1), uint64(c)*1000+uint64(phase)))}
				var mine, myFailed []time.Duration
				myErrs := 0
				for time.Now().Before(deadline) {
					mu.Lock()
					if measured && issued >= b.o.maxRequests {
						mu.Unlock()
						break
					}
					issued++
					mu.Unlock()
					t := time.Now()
					err := b.do(ctx, sh, sys, wk)
					el := time.Since(t)
					if err != nil {
						myErrs++
						myFailed = append(myFailed, el)
						if myErrs <= 2 && measured {
							log.Printf("%s %s: %v", sys, sh.name, err)
						}
						continue
					}
					mine = append(mine, el)
				}
				mu.Lock()
				lat = append(lat, mine...)
				failed = append(failed, myFailed...)
				errs += myErrs
				mu.Unlock()
			}()
		}
		wg.Wait()
		if !measured {
			continue
		}
		el := time.Since(start)
		slices.Sort(lat)
		row.Requests = len(lat) + errs
		row.Errors = errs
		row.RPS = round(float64(len(lat))/el.Seconds(), 1)
		row.P50 = round(pct(lat, 0.50), 3)
		row.P99 = round(pct(lat, 0.99), 3)
		all := slices.Concat(lat, failed)
		slices.Sort(all)
		row.P99All = round(pct(all, 0.99), 3)
	}
	return row
}

// pairedShape is the shape whose c=1 latency is judged against cypher-http's
// on paired requests (see paired).
const pairedShape = "lookup"

// paired measures innograph against cypher-http on the same requests, one
// at a time, alternating system per request (and which goes first per
// pair), for at most twice the cell duration or maxRequests pairs after a
// warm-up of one cell's. Sequential cells of the two systems, seconds apart,
// differ on this shared VM by more than the tenth of a millisecond the
// comparison is about (1.0× to 2.1× for the same build); paired requests
// share whatever the machine was doing. innograph is asked with
// Cache-Control: no-cache, so every answer is computed as cypher-http
// computes it, never served from the result cache. The rows have the shape
// "<shape>-paired".
func (b *bench) paired(ctx context.Context, sh *shape) []Row {
	fresh := http.Header{"Cache-Control": {"no-cache"}}
	wk := &worker{r: rand.New(rand.NewPCG(7, 7))}
	var lat [2][]time.Duration
	errs := [2]int{}
	for phase, d := range []time.Duration{b.o.warmup, 2 * b.o.duration} {
		deadline := time.Now().Add(d)
		for i := 0; time.Now().Before(deadline) && (phase == 0 || i < b.o.maxRequests); i++ {
			q, vars := sh.innograph(b, wk)
			for k := range 2 {
				sys := (i + k) % 2 // 0: innograph, 1: cypher-http
				t := time.Now()
				var err error
				if sys == 0 {
					_, err = b.postWith(ctx, b.o.igURL, q, vars, fresh)
				} else {
					_, err = b.post(ctx, b.o.chURL+"/"+sh.name, q, vars)
				}
				el := time.Since(t)
				if phase == 0 {
					continue
				}
				if err != nil {
					errs[sys]++
					continue
				}
				lat[sys] = append(lat[sys], el)
			}
		}
	}
	var rows []Row
	for sys, name := range []string{sysInnograph, sysCypherHTTP} {
		l := lat[sys]
		slices.Sort(l)
		var total time.Duration
		for _, x := range l {
			total += x
		}
		row := Row{Shape: sh.name + "-paired", Concurrency: 1, System: name, Size: b.o.size,
			P50: round(pct(l, 0.50), 3), P99: round(pct(l, 0.99), 3), Errors: errs[sys], Requests: len(l) + errs[sys]}
		row.P99All = row.P99
		if total > 0 {
			row.RPS = round(float64(len(l))/total.Seconds(), 1)
		}
		rows = append(rows, row)
	}
	return rows
}

// quiesce waits until Neo4j runs no transaction but its own check, for at
// most 15 s. A request its client gave up on (or a server abandoned) can
// run on in Neo4j until the transaction timeout; without the wait, those of
// one system's cell would slow the next system's.
func (b *bench) quiesce(ctx context.Context) {
	const q = `SHOW TRANSACTIONS YIELD currentQuery
WHERE NOT currentQuery STARTS WITH 'SHOW TRANSACTIONS' RETURN count(*) AS n`
	start := time.Now()
	for {
		res, err := neo4j.ExecuteQuery(ctx, b.drv, q, nil, neo4j.EagerResultTransformer)
		if err != nil {
			log.Printf("quiesce: %v", err)
			return
		}
		n, _ := res.Records[0].Get("n")
		if n == int64(0) {
			if waited := time.Since(start); waited > 500*time.Millisecond {
				log.Printf("quiesce: waited %s for Neo4j to finish earlier requests", waited.Round(100*time.Millisecond))
			}
			return
		}
		if time.Since(start) > 15*time.Second {
			log.Printf("quiesce: %v transactions still running after 15 s; going on", n)
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// warm runs shape sh on system sys at concurrency c for d, unmeasured, with
// ids drawn apart from those of the measured cells.
func (b *bench) warm(ctx context.Context, sh *shape, sys string, c int, d time.Duration) {
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	for w := range c {
		wg.Add(1)
		go func() {
			defer wg.Done()
			wk := &worker{r: rand.New(rand.NewPCG(uint64(w+1), 999_999_000+uint64(systemIndex(sys))))}
			for time.Now().Before(deadline) {
				_ = b.do(ctx, sh, sys, wk)
			}
		}()
	}
	wg.Wait()
}

func systemIndex(sys string) int {
	switch sys {
	case sysInnograph:
		return 0
	case sysNGQL:
		return 1
	case sysCypherHTTP:
		return 3
	}
	return 2
}

func pct(sorted []time.Duration, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted)-1) * p)
	return float64(sorted[i]) / float64(time.Millisecond)
}

func round(x float64, d int) float64 {
	s := strconv.FormatFloat(x, 'f', d, 64)
	v, _ := strconv.ParseFloat(s, 64)
	return v
}

func (b *bench) do(ctx context.Context, sh *shape, sys string, w *worker) error {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	switch sys {
	case sysCypher:
		return sh.cypher(ctx, b, w)
	case sysInnograph:
		q, vars := sh.innograph(b, w)
		data, err := b.post(ctx, b.o.igURL, q, vars)
		if err == nil && sh.after != nil {
			sh.after(w, data, sys)
		}
		return err
	case sysCypherHTTP:
		q, vars := sh.innograph(b, w)
		data, err := b.post(ctx, b.o.chURL+"/"+sh.name, q, vars)
		if err == nil && sh.after != nil {
			sh.after(w, data, sys)
		}
		return err
	case sysNGQL:
		q, vars := sh.ngql(b, w)
		data, err := b.post(ctx, b.o.ngURL, q, vars)
		if err == nil && sh.after != nil {
			sh.after(w, data, sys)
		}
		return err
	}
	return fmt.Errorf("unknown system %q", sys)
}

// post sends one GraphQL request and fails on transport errors, non-200
// statuses and GraphQL errors.
func (b *bench) post(ctx context.Context, endpoint, query string, vars map[string]any) (json.RawMessage, error) {
	return b.postWith(ctx, endpoint, query, vars, nil)
}

// postWith is post with more request headers.
func (b *bench) postWith(ctx context.Context, endpoint, query string, vars map[string]any, hdr http.Header) (json.RawMessage, error) {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := b.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	var out struct {
		Data   json.RawMessage `json:"data"`
		Errors []struct {
			Message string `json:"message"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, fmt.Errorf("HTTP %d: %.200s", resp.StatusCode, raw)
	}
	if len(out.Errors) > 0 {
		return nil, fmt.Errorf("HTTP %d: %s", resp.StatusCode, out.Errors[0].Message)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	return out.Data, nil
}

// --- picking ids -------------------------------------------------------------

func (b *bench) anyEntity(w *worker) int { return w.r.IntN(b.plan.Cfg.Entities) }

func (b *bench) ofKind(w *worker, k kg.Kind, maxRank int) string {
	blk := b.plan.Block(k)
	n := blk.N
	if maxRank > 0 && maxRank < n {
		n = maxRank
	}
	return b.plan.IDOf(k, w.r.IntN(n))
}

// luceneQuery is the Lucene query of innograph's strict search phase (every
// word, exactly or as a prefix), for @neo4j/graphql's @fulltext query, which
// passes it to the same index. innograph runs its forgiving loose phase only
// when the strict one finds nothing, which never happens here: every search
// term is two words of an existing entity's name. So both systems run the
// same Lucene query and return the same entities.
func luceneQuery(text string) string {
	strict, _ := store.LuceneQueries(text)
	return strict
}

// --- machine -------------------------------------------------------------------

func rssKiB(pid int) int64 {
	if pid <= 0 {
		return 0
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmRSS:") {
			f := strings.Fields(l)
			if len(f) >= 2 {
				n, _ := strconv.ParseInt(f[1], 10, 64)
				return n
			}
		}
	}
	return 0
}

func sortRows(rows []Row) {
	order := map[string]int{sysInnograph: 0, sysNGQL: 1, sysCypher: 2, sysCypherHTTP: 3}
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if a.Shape != b.Shape {
			return shapeIndex(a.Shape) < shapeIndex(b.Shape)
		}
		if a.Concurrency != b.Concurrency {
			return a.Concurrency < b.Concurrency
		}
		return order[a.System] < order[b.System]
	})
}
