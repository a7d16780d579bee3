package main

import (
	"context"
	"errors"
	"net"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// A graceful shutdown that drops no request.
//
// http.Server.Shutdown alone loses requests under load in two ways. It closes
// the listening socket, which resets every connection the kernel has already
// completed but the server has not accepted yet; and once it has begun, a
// connection that reads its request afterwards is closed without an answer
// (net/http checks for shutdown right after reading a request). Either way a
// client that sent its request a moment before the shutdown got EOF or a
// reset. drainServer instead
//
//  1. switches keep-alives off (idle connections close; every answer from
//     now on says "Connection: close"),
//  2. closes the listener through a drainListener, which first accepts what
//     the kernel has queued and hands it to the server (new connections are
//     refused from then on),
//  3. waits until every open connection has been answered and closed
//     (closing those that turn idle),
//  4. and only then calls Shutdown, which finds nothing left to do.
//
// What remains is inherent to TCP and HTTP/1.1: a connection attempt during
// the microseconds between the last accept and the close can be reset while
// it connects (nothing was sent yet), and a request sent on an idle
// keep-alive connection just as the server closes it fails with EOF; clients
// retry those when the request is idempotent (GET, or an Idempotency-Key).

// connCounter counts a server's open connections; install track as the
// server's ConnState hook.
type connCounter struct{ open atomic.Int64 }

func (c *connCounter) track(_ net.Conn, s http.ConnState) {
	switch s {
	case http.StateNew:
		c.open.Add(1)
	case http.StateClosed, http.StateHijacked:
		c.open.Add(-1)
	}
}

// drainServer shuts srv down as described above. served delivers Serve's
// return value; ctx bounds the whole drain.
func drainServer(ctx context.Context, srv *http.Server, ln *drainListener, served <-chan error, conns *connCounter) error {
	srv.SetKeepAlivesEnabled(false)
	ln.Close()
	// Serve returns once it has taken every queued connection.
	select {
	case <-served:
	case <-ctx.Done():
		return ctx.Err()
	}
	poll := time.NewTicker(5 * time.Millisecond)
	defer poll.Stop()
	for conns.open.Load() > 0 {
		select {
		case <-poll.C:
			// Closes connections that went idle meanwhile (and ones that
			// have not sent a request for 5 s).
			srv.SetKeepAlivesEnabled(false)
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return srv.Shutdown(ctx)
}

// drainListener is a TCP listener whose Close does not reset the connections
// waiting in the kernel's accept queue: it wakes the accept loop, which
// accepts them all without waiting, closes the socket at once and returns
// them from Accept, then net.ErrClosed.
type drainListener struct {
	*net.TCPListener
	closing atomic.Bool

	mu     sync.Mutex
	queued []net.Conn
	closed bool
	err    error
}

func newDrainListener(ln net.Listener) (*drainListener, error) {
	tl, ok := ln.(*net.TCPListener)
	if !ok {
		return nil, errors.New("drain: not a TCP listener")
	}
	return &drainListener{TCPListener: tl}, nil
}

// Accept returns the next connection: new ones while serving, then the
// queued ones once closed, then net.ErrClosed.
func (l *drainListener) Accept() (net.Conn, error) {
	for {
		l.mu.Lock()
		if len(l.queued) > 0 {
			c := l.queued[0]
			l.queued = l.queued[1:]
			l.mu.Unlock()
			return c, nil
		}
		if l.closed {
			l.mu.Unlock()
			return nil, net.ErrClosed
		}
		l.mu.Unlock()
		c, err := l.TCPListener.Accept()
		if err == nil || !l.closing.Load() {
			return c, err
		}
		l.drainAndClose()
	}
}

// Close wakes the accept loop, which drains the queue and closes the socket.
// Later calls do nothing.
func (l *drainListener) Close() error {
	if !l.closing.CompareAndSwap(false, true) {
		return nil
	}
	if err := l.TCPListener.SetDeadline(time.Now()); err != nil {
		l.drainAndClose()
		return l.err
	}
	// Should no accept loop be running, close the socket anyway.
	time.AfterFunc(time.Second, l.drainAndClose)
	return nil
}

// drainAndClose accepts every queued connection without blocking, then closes
// the socket; it runs once.
func (l *drainListener) drainAndClose() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return
	}
	l.closed = true
	if rc, err := l.TCPListener.SyscallConn(); err == nil {
		_ = rc.Control(func(fd uintptr) {
			for {
				nfd, _, err := syscall.Accept(int(fd))
				if errors.Is(err, syscall.EINTR) || errors.Is(err, syscall.ECONNABORTED) {
					continue
				}
				if err != nil {
					return // EAGAIN: the queue is empty
				}
				f := os.NewFile(uintptr(nfd), "queued connection")
				c, err := net.FileConn(f)
				f.Close()
				if err == nil {
					l.queued = append(l.queued, c)
				}
			}
		})
	}
	l.err = l.TCPListener.Close()
}
