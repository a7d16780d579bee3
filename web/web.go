// Package web serves innograph's browser pages, embedded in the binary so they
// work with no internet access: the GraphiQL playground at / and the graph
// explorer at /explore (with the ingestion workbench's review page at
// /explore/review). Every script, style and font is served from here.
package web

import (
	"embed"
	"io/fs"
	"net/http"
)

//go:embed all:dist
var dist embed.FS

// Handler serves the embedded pages.
func Handler() http.Handler {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err)
	}
	files := http.FileServer(http.FS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; font-src 'self' data:")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		switch r.URL.Path {
		case "/explore", "/explore/", "/explore/review", "/explore/review/":
			r.URL.Path = "/explore.html"
		}
		files.ServeHTTP(w, r)
	})
}
