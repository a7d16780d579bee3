// Package proctest holds helpers for tests that run innograph as a separate
// process: a free loopback port to serve on, and waiting until it answers.
package proctest

import (
	"fmt"
	"net"
	"net/http"
	"testing"
	"time"
)

// FreePort returns a loopback TCP port that was free a moment ago.
func FreePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// WaitReady polls url until it answers 200 OK, and fails the test when it
// has not within the given time, saying what it answered last.
func WaitReady(t testing.TB, url string, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	var last error
	for time.Now().Before(deadline) {
		res, err := http.Get(url)
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
			err = fmt.Errorf("status %d", res.StatusCode)
		}
		last = err
		time.Sleep(250 * time.Millisecond)
	}
	t.Fatalf("server not ready at %s after %s: %v", url, within, last)
}
