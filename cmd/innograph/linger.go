package main

import (
	"io"
	"net/http"
	"time"

	"github.com/innograph/innograph/graph"
)

// lingering bounds what the server reads of a refused request body after
// answering it: Time in all (LINGER_TIME) and Bytes (LINGER_BYTES). Either
// zero switches lingering off.
type lingering struct {
	Time  time.Duration
	Bytes int64
}

// refuse answers r with status and a JSON error carrying code and msg
// (graph.WriteHTTPError) on a connection that then closes, and reads and
// discards the rest of r's body first, within l's bounds: a lingering close,
// as nginx does with lingering_time.
//
// Many HTTP/1.1 clients (Python's urllib.request and requests among them)
// send the whole body before they read the answer. Left to net/http, which
// reads at most 256 KiB of a body the handler left unread, the socket would
// close with the client's data unread; the kernel then sends a reset, and
// the client's kernel drops the answer it holds but has not read yet, so the
// client sees "connection reset" instead of the 413.
//
// Here the answer goes out at once and complete (Content-Length and
// "Connection: close", upon which a client that reads while it sends stops
// and closes), and the handler then reads on in full-duplex mode, under a read
// deadline of l.Time, up to l.Bytes. A body that ends within the bounds
// leaves nothing unread: net/http closes the connection cleanly and the
// client reads its answer. At a bound, or on a broken body, the connection
// is taken over and closed at once (net/http would half-close it and wait
// 500 ms more): a body that slow or that large ends in a reset, and holds
// the connection and its goroutine no longer than l.Time. The connection
// stays the server's while it lingers, so a graceful shutdown waits for it,
// at most l.Time.
//
// With either bound zero, or where the connection cannot be controlled
// (HTTP/2, a test recorder), the answer is written and net/http closes the
// connection as it would after any handler.
func (l lingering) refuse(w http.ResponseWriter, r *http.Request, status int, code, msg string) {
	rc := http.NewResponseController(w)
	linger := l.Time > 0 && l.Bytes > 0 && r.Body != nil && r.Body != http.NoBody &&
		rc.EnableFullDuplex() == nil
	w.Header().Set("Connection", "close")
	graph.WriteHTTPError(w, status, code, msg)
	if !linger || rc.Flush() != nil || rc.SetReadDeadline(time.Now().Add(l.Time)) != nil {
		return
	}
	if _, err := io.CopyN(io.Discard, r.Body, l.Bytes); err == io.EOF {
		return
	}
	if conn, _, err := rc.Hijack(); err == nil {
		conn.Close()
	}
}
