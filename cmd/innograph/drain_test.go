package main

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"syscall"
	"testing"
	"time"
)

// TestDrainServer checks the two ways http.Server.Shutdown alone loses
// requests that clients have already sent, and that drainServer loses none:
// connections still in the kernel's accept queue when the drain starts, and
// connections whose request arrives after it started. Either way the client
// gets a complete answer, and a connection attempted afterwards is refused.
func TestDrainServer(t *testing.T) {
	for _, tc := range []struct {
		name string
		// queued: the clients connect and send before the server accepts
		// anything; otherwise they connect first and send after the drain
		// began.
		queued bool
	}{
		{"connections waiting in the accept queue are answered", true},
		{"requests sent after the drain began are answered", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tcp, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			addr := tcp.Addr().String()
			ln, err := newDrainListener(tcp)
			if err != nil {
				t.Fatal(err)
			}
			conns := &connCounter{}
			srv := &http.Server{ConnState: conns.track, ReadHeaderTimeout: 5 * time.Second,
				Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "answered") })}
			const clients = 5
			request := "GET / HTTP/1.1\r\nHost: innograph\r\n\r\n"
			var cs []net.Conn
			for range clients {
				c, err := net.Dial("tcp", addr)
				if err != nil {
					t.Fatal(err)
				}
				defer c.Close()
				if tc.queued {
					if _, err := io.WriteString(c, request); err != nil {
						t.Fatal(err)
					}
				}
				cs = append(cs, c)
			}
			served := make(chan error, 1)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			drained := make(chan error, 1)
			if tc.queued {
				// The drain starts before the server has accepted anything.
				go func() { drained <- drainServer(ctx, srv, ln, served, conns) }()
				time.Sleep(50 * time.Millisecond)
				go func() { served <- srv.Serve(ln) }()
			} else {
				go func() { served <- srv.Serve(ln) }()
				waitOpen(t, conns, clients)
				go func() { drained <- drainServer(ctx, srv, ln, served, conns) }()
				time.Sleep(50 * time.Millisecond)
				for _, c := range cs {
					if _, err := io.WriteString(c, request); err != nil {
						t.Fatal(err)
					}
				}
			}
			for i, c := range cs {
				_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
				resp, err := http.ReadResponse(bufio.NewReader(c), nil)
				if err != nil {
					t.Fatalf("client %d: %v", i, err)
				}
				body, err := io.ReadAll(resp.Body)
				if err != nil || resp.StatusCode != http.StatusOK || string(body) != "answered" {
					t.Errorf("client %d: %d %q %v", i, resp.StatusCode, body, err)
				}
			}
			if err := <-drained; err != nil {
				t.Fatalf("drainServer: %v", err)
			}
			if _, err := net.Dial("tcp", addr); !errors.Is(err, syscall.ECONNREFUSED) {
				t.Errorf("dialing after the drain: %v, want connection refused", err)
			}
		})
	}
}

func waitOpen(t *testing.T, conns *connCounter, n int64) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); conns.open.Load() < n; {
		if time.Now().After(deadline) {
			t.Fatalf("%d connections open, want %d", conns.open.Load(), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
