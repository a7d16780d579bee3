// Package layout holds the test that the repository stands on its own: a
// copy of it with no ../shared beside it (as a user's clone has) builds,
// validates and serves the seed graph, and passes the tests that read seed
// documents, which skip their checks of the articles and say so.
package layout
