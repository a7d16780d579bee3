package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/innograph/innograph/internal/neo4jtest"
)

// lingerServer runs the production server (newMux behind serve, with its
// drain) on a loopback port, configured by the defaults and then edit. stop
// shuts it down as SIGTERM does and returns serve's result; the test's
// cleanup stops it too.
func lingerServer(t *testing.T, edit func(*config)) (addr string, stop func() error) {
	t.Helper()
	st := neo4jtest.Store(t) // before clearConfigEnv, which unsets NEO4J_URI
	clearConfigEnv(t)
	cfg, err := loadConfig()
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(&cfg)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	h, err := newMux(cfg, log, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	tcp, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- serve(ctx, cfg, log, h, tcp) }()
	var result error
	stopped := false
	stop = func() error {
		if !stopped {
			stopped = true
			cancel()
			select {
			case result = <-served:
			case <-time.After(cfg.ShutdownTimeout + 5*time.Second):
				result = errors.New("serve did not return")
			}
		}
		return result
	}
	t.Cleanup(func() { _ = stop() })
	return tcp.Addr().String(), stop
}

// bodyPrefix starts every test body: a valid request, padded with spaces.
const bodyPrefix = `{"query": "{ __typename }"}`

// writeRequest writes a POST to /graphql of a body of size bytes to w, with
// a Content-Length of declared bytes (-1: chunked instead). It writes it all
// before returning, as a client that reads only afterwards does.
func writeRequest(w io.Writer, size, declared int64) error {
	head := "POST /graphql HTTP/1.1\r\nHost: innograph\r\nContent-Type: application/json\r\n"
	if declared < 0 {
		head += "Transfer-Encoding: chunked\r\n\r\n"
	} else {
		head += fmt.Sprintf("Content-Length: %d\r\n\r\n", declared)
	}
	bw := bufio.NewWriterSize(w, 256<<10)
	bw.WriteString(head)
	block := bytes.Repeat([]byte{' '}, 64<<10)
	copy(block, bodyPrefix)
	for left := size; left > 0; {
		b := block[:min(left, int64(len(block)))]
		if declared < 0 {
			fmt.Fprintf(bw, "%x\r\n", len(b))
		}
		if _, err := bw.Write(b); err != nil {
			return err
		}
		if declared < 0 {
			bw.WriteString("\r\n")
		}
		left -= int64(len(b))
		block[0] = ' ' // the prefix once
	}
	if declared < 0 {
		bw.WriteString("0\r\n\r\n")
	}
	return bw.Flush()
}

// answer is a response read off a raw connection.
type answer struct {
	status int
	header http.Header
	close  bool // "Connection: close"
	body   string
	Errors []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

// readAnswer reads one complete response from br.
func readAnswer(br *bufio.Reader) (answer, error) {
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		return answer{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return answer{}, fmt.Errorf("reading the body of a %d: %w", resp.StatusCode, err)
	}
	a := answer{status: resp.StatusCode, header: resp.Header, close: resp.Close, body: string(b)}
	if err := json.Unmarshal(b, &a); err != nil {
		return a, fmt.Errorf("a %d whose body is not JSON: %q", resp.StatusCode, b)
	}
	return a, nil
}

// checkTooLarge fails t unless a is the 413 of a body over the limit max:
// the JSON error with its code and message, and "Connection: close".
func checkTooLarge(t *testing.T, a answer, max int64) {
	t.Helper()
	if a.status != http.StatusRequestEntityTooLarge || len(a.Errors) != 1 || a.Errors[0].Extensions["code"] != "LIMIT_EXCEEDED" ||
		!strings.Contains(a.Errors[0].Message, fmt.Sprintf("at most %d bytes allowed", max)) || !a.close {
		t.Errorf("got %d, closing %t, body %s; want 413 LIMIT_EXCEEDED saying at most %d bytes, Connection: close",
			a.status, a.close, a.body, max)
	}
}

// A client that sends its whole body before reading gets the complete 413
// and its JSON error, then a clean close, not a reset: the server reads and
// discards the rest of the body after answering.
func TestOversizedBodyAnswered(t *testing.T) {
	const max = 64 << 10
	addr, _ := lingerServer(t, func(c *config) {
		c.MaxBodyBytes = max
		c.LingerTime = 10 * time.Second
		c.LingerBytes = 128 << 20
	})
	for _, size := range []int64{1 << 20, 12 << 20, 100 << 20} {
		for _, chunked := range []bool{false, true} {
			declared, how := size, "Content-Length"
			if chunked {
				declared, how = -1, "chunked"
			}
			t.Run(fmt.Sprintf("%d MiB %s", size>>20, how), func(t *testing.T) {
				c, err := net.Dial("tcp", addr)
				if err != nil {
					t.Fatal(err)
				}
				defer c.Close()
				_ = c.SetDeadline(time.Now().Add(60 * time.Second))
				if err := writeRequest(c, size, declared); err != nil {
					t.Fatalf("writing the body: %v", err)
				}
				br := bufio.NewReader(c)
				a, err := readAnswer(br)
				if err != nil {
					t.Fatalf("reading the answer: %v", err)
				}
				checkTooLarge(t, a, max)
				if n, err := br.Read(make([]byte, 1)); n != 0 || err != io.EOF {
					t.Errorf("after the answer: %d bytes, %v; want a clean close (EOF)", n, err)
				}
			})
		}
	}
}

// Lingering is bounded: a body that trickles on forever is cut off at
// LINGER_TIME, and one larger than LINGER_BYTES is cut off once that much
// has been read, however long LINGER_TIME is.
func TestOversizedBodyBounds(t *testing.T) {
	const max = 64 << 10
	t.Run("time", func(t *testing.T) {
		const bound = time.Second
		addr, _ := lingerServer(t, func(c *config) {
			c.MaxBodyBytes = max
			c.LingerTime = bound
		})
		for _, declared := range []int64{1 << 30, -1} {
			t.Run(fmt.Sprintf("declared %d", declared), func(t *testing.T) {
				c, since := trickle(t, addr, declared)
				if err := c.SetReadDeadline(time.Now().Add(bound + 10*time.Second)); err != nil {
					t.Fatal(err)
				}
				_, err := c.Read(make([]byte, 1))
				took := time.Since(since)
				if err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
					t.Fatalf("the connection is still open %v after the answer (read: %v); want it closed after %v", took, err, bound)
				}
				if took < bound*7/10 || took > bound+time.Second {
					t.Errorf("the connection closed %v after the answer; want about %v", took, bound)
				}
			})
		}
	})
	t.Run("bytes", func(t *testing.T) {
		addr, _ := lingerServer(t, func(c *config) {
			c.MaxBodyBytes = max
			c.LingerTime = 15 * time.Second
			c.LingerBytes = 1 << 20
		})
		for _, declared := range []int64{100 << 20, -1} {
			t.Run(fmt.Sprintf("declared %d", declared), func(t *testing.T) {
				c, err := net.Dial("tcp", addr)
				if err != nil {
					t.Fatal(err)
				}
				defer c.Close()
				start := time.Now()
				_ = c.SetDeadline(start.Add(30 * time.Second))
				// 100 MiB is more than the socket buffers hold: the write
				// fails unless the server reads it all.
				err = writeRequest(c, 100<<20, declared)
				if err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
					t.Fatalf("writing 100 MiB: %v; want the server to close the connection after reading 1 MiB of it", err)
				}
				if took := time.Since(start); took > 5*time.Second {
					t.Errorf("the connection closed after %v; want well within LINGER_TIME (15s)", took)
				}
			})
		}
	})
}

// trickle sends an oversized request with a Content-Length of declared bytes
// (-1: chunked): its first max+1 bytes at once, then a byte every 20 ms for
// as long as the connection takes them. It returns the connection once the
// 413 has been read off it, and when that was.
func trickle(t *testing.T, addr string, declared int64) (net.Conn, time.Time) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	const first = 64<<10 + 1
	var head bytes.Buffer
	if err := writeRequest(&head, first, declared); err != nil {
		t.Fatal(err)
	}
	req := head.Bytes()
	if declared < 0 {
		req = bytes.TrimSuffix(req, []byte("0\r\n\r\n")) // the body goes on
	}
	if _, err := c.Write(req); err != nil {
		t.Fatal(err)
	}
	go func() {
		next := []byte(" ")
		if declared < 0 {
			next = []byte("1\r\n \r\n")
		}
		for {
			time.Sleep(20 * time.Millisecond)
			if _, err := c.Write(next); err != nil {
				return
			}
		}
	}()
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	a, err := readAnswer(bufio.NewReader(c))
	if err != nil {
		t.Fatalf("reading the answer while the body trickles: %v", err)
	}
	checkTooLarge(t, a, 64<<10)
	return c, time.Now()
}

// A graceful shutdown waits for a lingering connection no longer than
// LINGER_TIME, however long the body would go on.
func TestShutdownWhileLingering(t *testing.T) {
	const bound = time.Second
	addr, stop := lingerServer(t, func(c *config) {
		c.LingerTime = bound
		c.ShutdownTimeout = 20 * time.Second
	})
	c, _ := trickle(t, addr, -1)
	start := time.Now()
	if err := stop(); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	if took := time.Since(start); took > bound+time.Second {
		t.Errorf("the shutdown took %v with a body trickling; want at most LINGER_TIME (%v) and a little", took, bound)
	}
	_ = c.SetReadDeadline(time.Now().Add(time.Second))
	if _, err := c.Read(make([]byte, 1)); err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("the trickling connection is open after the shutdown (read: %v)", err)
	}
}

// Requests under the limit are untouched: HTTP/1.1 keep-alive requests,
// with a Content-Length or chunked, are answered on one connection.
func TestKeepAliveUnderTheLimit(t *testing.T) {
	addr, _ := lingerServer(t, nil)
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(30 * time.Second))
	br := bufio.NewReader(c)
	for i, declared := range []int64{int64(len(bodyPrefix)), -1, 4 << 10} {
		size := max(declared, int64(len(bodyPrefix)))
		if err := writeRequest(c, size, declared); err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		a, err := readAnswer(br)
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		if a.status != http.StatusOK || len(a.Errors) > 0 || !strings.Contains(a.body, `"__typename":"Query"`) || a.close {
			t.Errorf("request %d: %d, closing %t, body %s; want 200 with the data, connection kept", i, a.status, a.close, a.body)
		}
	}
}

// Python's urllib.request, which sends the whole body before it reads,
// receives the 413 and its JSON error for a 12 MB body.
func TestOversizedBodyFromPython(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Fatalf("python3 is needed for this test (it is on every machine this project supports): %v", err)
	}
	const max = 64 << 10
	addr, _ := lingerServer(t, func(c *config) { c.MaxBodyBytes = max })
	for _, mode := range []string{"length", "chunked"} {
		t.Run(mode, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, python, "testdata/post_oversized.py", "http://"+addr+"/graphql", fmt.Sprint(12<<20), mode)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("python: %v\n%s", err, stderr.Bytes())
			}
			var got struct {
				Status     int    `json:"status"`
				Connection string `json:"connection"`
				Body       string `json:"body"`
			}
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatalf("python printed %q: %v", out, err)
			}
			a := answer{status: got.Status, close: got.Connection == "close", body: got.Body}
			if err := json.Unmarshal([]byte(got.Body), &a); err != nil {
				t.Fatalf("a %d whose body is not JSON: %q", got.Status, got.Body)
			}
			checkTooLarge(t, a, max)
		})
	}
}
