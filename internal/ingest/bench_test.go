package ingest

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/innograph/innograph/internal/kg"
	"github.com/innograph/innograph/internal/synth"
)

// synthEntities returns n entities named by internal/synth's generator.
func synthEntities(tb testing.TB, n int) ([]kg.Entity, *synth.Plan) {
	p, err := synth.NewPlan(synth.Config{Entities: n, Seed: 1})
	if err != nil {
		tb.Fatal(err)
	}
	es := make([]kg.Entity, n)
	for i := range es {
		name, aliases, _ := p.Name(i)
		es[i] = kg.Entity{ID: p.ID(i), Kind: p.Kind(i), Name: name, Aliases: aliases}
	}
	return es, p
}

// article10K writes a ~10 KB article naming some of the entities, with
// dates, amounts and filler, as the analyser sees in practice.
func article10K(p *synth.Plan, n int) string {
	var b strings.Builder
	for i := 0; b.Len() < 10*1024; i++ {
		x, _, _ := p.Name((i * 7919) % n)
		y, _, _ := p.Name((i * 104729) % n)
		fmt.Fprintf(&b, "Professor %s, director of %s, said on %d June 2021 that the programme will receive HK$%d million (US$%d.5 million) last year. ",
			x, y, 1+i%28, 10+i, 1+i)
		b.WriteString("The Innovation Council (TIC) and the Ministry of Ocean Studies (MOS) signed a framework agreement with several local partners. ")
		if i%3 == 0 {
			b.WriteString("\n\n")
		}
	}
	return b.String()
}

// BenchmarkAnalyse1M analyses a 10 KB article against a dictionary of one
// million synthetic entities; it reports the dictionary's heap size
// (dict-MB) and the time to build it (build-s).
func BenchmarkAnalyse1M(b *testing.B) {
	const n = 1_000_000
	es, p := synthEntities(b, n)
	text := article10K(p, n)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	t0 := time.Now()
	d, err := New(es)
	build := time.Since(t0)
	if err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	ctx := context.Background()
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	var a *Analysis
	for range b.N {
		if a, err = d.Analyse(ctx, Document{Text: text}); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "dict-MB")
	b.ReportMetric(float64(len(a.Mentions)), "mentions")
	b.ReportMetric(build.Seconds(), "build-s")
	runtime.KeepAlive(es)
	runtime.KeepAlive(d)
}
