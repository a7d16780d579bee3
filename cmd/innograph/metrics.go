package main

import (
	"context"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/innograph/innograph/graph"
)

// metrics are innograph's Prometheus collectors. Label values are bounded:
// GraphQL root fields come from the schema, query names from the store code.
type metrics struct {
	reg       *prometheus.Registry
	requests  *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	queries   *prometheus.HistogramVec
	queryErrs *prometheus.CounterVec
	http      *prometheus.CounterVec
	fields    map[string]bool
}

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "innograph_graphql_requests_total", Help: "GraphQL operations by operation type, root field and outcome.",
		}, []string{"operation", "field", "outcome"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "innograph_graphql_duration_seconds", Help: "GraphQL operation latency by operation type and root field.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"operation", "field"}),
		queries: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "innograph_neo4j_query_duration_seconds", Help: "Neo4j query latency by query name.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"query"}),
		queryErrs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "innograph_neo4j_query_errors_total", Help: "Failed Neo4j queries by query name.",
		}, []string{"query"}),
		http: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "innograph_http_requests_total", Help: "HTTP requests by route and status class.",
		}, []string{"route", "status"}),
	}
	m.reg.MustRegister(m.requests, m.latency, m.queries, m.queryErrs, m.http,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// watchCache exports the result cache's hits, misses and size.
func (m *metrics) watchCache(c *graph.ResultCache) {
	m.reg.MustRegister(
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "innograph_result_cache_hits_total", Help: "Queries answered from the result cache."},
			func() float64 { h, _ := c.Stats(); return float64(h) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "innograph_result_cache_misses_total", Help: "Cacheable queries that were computed."},
			func() float64 { _, mi := c.Stats(); return float64(mi) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "innograph_result_cache_bytes", Help: "Memory held by the result cache's answers and their bookkeeping (bounded by CACHE_MAX_BYTES)."},
			func() float64 { return float64(c.Bytes()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "innograph_result_cache_entries", Help: "Answers in the result cache."},
			func() float64 { return float64(c.Len()) }))
}

func (m *metrics) observeQuery(name string, d time.Duration, err error) {
	m.queries.WithLabelValues(name).Observe(d.Seconds())
	if err != nil {
		m.queryErrs.WithLabelValues(name).Inc()
	}
}

// graphqlTracer is a gqlgen extension recording each root field of each
// operation. Unknown names (which validation rejects anyway) become "other".
type graphqlTracer struct{ m *metrics }

var _ interface {
	graphql.HandlerExtension
	graphql.ResponseInterceptor
} = graphqlTracer{}

func (graphqlTracer) ExtensionName() string                   { return "Metrics" }
func (graphqlTracer) Validate(graphql.ExecutableSchema) error { return nil }
func (t graphqlTracer) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	start := time.Now()
	resp := next(ctx)
	if !graphql.HasOperationContext(ctx) {
		return resp
	}
	oc := graphql.GetOperationContext(ctx)
	op, fields := "invalid", []string{"none"}
	if oc.Operation != nil {
		op = string(oc.Operation.Operation)
		fields = fields[:0]
		for _, sel := range oc.Operation.SelectionSet {
			if f, ok := sel.(*ast.Field); ok {
				name := f.Name
				if f.Definition == nil {
					name = "other"
				}
				fields = append(fields, name)
			}
		}
		if len(fields) == 0 {
			fields = append(fields, "fragment")
		}
	}
	outcome := "ok"
	if resp != nil && len(resp.Errors) > 0 {
		outcome = "error"
	}
	d := time.Since(start).Seconds()
	for _, f := range fields {
		t.m.requests.WithLabelValues(op, f, outcome).Inc()
		t.m.latency.WithLabelValues(op, f).Observe(d)
	}
	return resp
}
