// Package neo4jlocal runs a real Neo4j Community server on this machine without
// Docker: it fetches the 5.26 jars from Maven Central with a small pom, writes a
// neo4j.conf whose data, logs and run folders live in a git-ignored folder of the
// repository, starts the JVM detached in its own process group, and waits until
// the server answers `RETURN 1` through the Go driver. Start, Stop and Status are
// idempotent and guarded by a file lock, so parallel callers share one server.
package neo4jlocal

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// Version is the Neo4j version the pom fetches.
const Version = "5.26.30"

// Config says where and how the local server runs.
type Config struct {
	// Root is the repository root (holds tools/neo4j/pom.xml).
	Root string
	// Instance names the server; its files live in Root/.neo4j/<Instance>.
	Instance string
	// Port is the Bolt port on 127.0.0.1.
	Port int
	// Password enables authentication for user "neo4j" when not empty.
	Password string
	// Heap and PageCache size the JVM heap and page cache ("512m", "1g").
	Heap, PageCache string
	// TxTimeout bounds every transaction on the server ("30s"); empty for none.
	TxTimeout string
	// StartTimeout bounds the wait for readiness.
	StartTimeout time.Duration
	// Log receives progress lines; nil for silence.
	Log func(format string, args ...any)
}

// Server is a local Neo4j instance described by a Config.
type Server struct {
	cfg Config
}

// New returns the Server for cfg, filling defaults.
func New(cfg Config) *Server {
	if cfg.Instance == "" {
		cfg.Instance = "dev"
	}
	if cfg.Port == 0 {
		cfg.Port = 7687
	}
	if cfg.Heap == "" {
		cfg.Heap = "512m"
	}
	if cfg.PageCache == "" {
		cfg.PageCache = "256m"
	}
	if cfg.StartTimeout == 0 {
		cfg.StartTimeout = 120 * time.Second
	}
	if cfg.Log == nil {
		cfg.Log = func(string, ...any) {}
	}
	return &Server{cfg: cfg}
}

// ValidInstance reports whether name can name an instance: 1 to 64 ASCII
// letters, digits, '-' and '_'. The name becomes a folder under .neo4j, so
// anything else (a "/" or "..") could put the server's files elsewhere.
func ValidInstance(name string) bool {
	if name == "" || len(name) > 64 {
		return false
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// ValidSize reports whether s is a memory size for the heap or page cache:
// a whole number of bytes from 1, optionally followed by k, m or g in either
// case ("512m", "3G"), the form Neo4j's settings read. The value is written
// into neo4j.conf, so anything else (a newline above all) is refused.
func ValidSize(s string) bool {
	digits := strings.TrimRight(s, "kKmMgG")
	if len(s)-len(digits) > 1 || !allDigits(digits) || len(digits) > 15 {
		return false
	}
	return strings.TrimLeft(digits, "0") != ""
}

// ValidTimeout reports whether s is a transaction timeout Neo4j reads: a
// whole number from 1 followed by ms, s, m or h ("8s", "1500ms").
func ValidTimeout(s string) bool {
	var digits string
	for _, unit := range []string{"ms", "s", "m", "h"} {
		if d, ok := strings.CutSuffix(s, unit); ok {
			digits = d
			break
		}
	}
	return allDigits(digits) && len(digits) <= 15 && strings.TrimLeft(digits, "0") != ""
}

// allDigits reports whether s is one or more ASCII digits.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// check refuses an instance name or port that Start, Stop or Kill must not
// act on, and a setting neo4j.conf must not hold, before any file is
// written or process started.
func (s *Server) check() error {
	if !ValidInstance(s.cfg.Instance) {
		return fmt.Errorf("neo4jlocal: instance name %q (NEO4J_INSTANCE) must be 1 to 64 letters, digits, - and _", s.cfg.Instance)
	}
	if s.cfg.Port < 1 || s.cfg.Port > 65535 {
		return fmt.Errorf("neo4jlocal: Bolt port %d (NEO4J_BOLT_PORT) must be from 1 to 65535", s.cfg.Port)
	}
	for _, x := range []struct{ name, v string }{{"heap size", s.cfg.Heap}, {"page cache size", s.cfg.PageCache}} {
		if !ValidSize(x.v) {
			return fmt.Errorf("neo4jlocal: %s %q must be a whole number of bytes, optionally followed by k, m or g (such as 512m)", x.name, x.v)
		}
	}
	if s.cfg.TxTimeout != "" && !ValidTimeout(s.cfg.TxTimeout) {
		return fmt.Errorf("neo4jlocal: transaction timeout %q must be a whole number followed by ms, s, m or h (such as 8s)", s.cfg.TxTimeout)
	}
	return nil
}

// URI is the Bolt URI clients use.
func (s *Server) URI() string { return fmt.Sprintf("bolt://127.0.0.1:%d", s.cfg.Port) }

// User is the user name clients use ("neo4j").
func (s *Server) User() string { return "neo4j" }

// Password is the password clients use; "" when auth is off.
func (s *Server) Password() string { return s.cfg.Password }

func (s *Server) home() string    { return filepath.Join(s.cfg.Root, ".neo4j", s.cfg.Instance) }
func (s *Server) libDir() string  { return filepath.Join(s.cfg.Root, ".neo4j", "lib") }
func (s *Server) pidFile() string { return filepath.Join(s.home(), "run", "innograph-neo4j.pid") }
func (s *Server) consoleLog() string {
	return filepath.Join(s.home(), "logs", "console.log")
}

// FindRoot walks up from dir to the folder holding go.mod.
func FindRoot(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("neo4jlocal: no go.mod above the working directory")
		}
		dir = parent
	}
}

// EnsureJars fetches the Neo4j jars with Maven unless they are present.
func (s *Server) EnsureJars(ctx context.Context) error {
	marker := filepath.Join(s.libDir(), "neo4j-"+Version+".jar")
	if _, err := os.Stat(marker); err == nil {
		return nil
	}
	if _, err := exec.LookPath("mvn"); err != nil {
		return errors.New("neo4jlocal: Maven (mvn) is not on PATH; it is needed once to fetch Neo4j " + Version)
	}
	s.cfg.Log("fetching Neo4j %s jars from Maven Central into %s (once)", Version, s.libDir())
	cmd := exec.CommandContext(ctx, "mvn", "-q", "-B", "package",
		"-Dneo4j.version="+Version, "-Dneo4j.lib.dir="+s.libDir())
	cmd.Dir = filepath.Join(s.cfg.Root, "tools", "neo4j")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("neo4jlocal: fetching Neo4j jars with Maven failed: %v\n%s", err, tail(out.String(), 3000))
	}
	if _, err := os.Stat(marker); err != nil {
		return fmt.Errorf("neo4jlocal: Maven finished but %s is missing", marker)
	}
	return nil
}

func (s *Server) writeConf() error {
	h := s.home()
	for _, d := range []string{"conf", "data", "logs", "run", "plugins", "import"} {
		if err := os.MkdirAll(filepath.Join(h, d), 0o755); err != nil {
			return err
		}
	}
	auth := "false"
	if s.cfg.Password != "" {
		auth = "true"
	}
	lines := []string{
		"# Generated by innograph (internal/neo4jlocal); edits are overwritten at start.",
		"server.directories.data=" + filepath.Join(h, "data"),
		"server.directories.logs=" + filepath.Join(h, "logs"),
		"server.directories.run=" + filepath.Join(h, "run"),
		"server.directories.plugins=" + filepath.Join(h, "plugins"),
		"server.directories.import=" + filepath.Join(h, "import"),
		"server.default_listen_address=127.0.0.1",
		"server.bolt.enabled=true",
		fmt.Sprintf("server.bolt.listen_address=127.0.0.1:%d", s.cfg.Port),
		fmt.Sprintf("server.bolt.advertised_address=127.0.0.1:%d", s.cfg.Port),
		"server.http.enabled=false",
		"server.https.enabled=false",
		"dbms.security.auth_enabled=" + auth,
		"server.memory.heap.initial_size=" + s.cfg.Heap,
		"server.memory.heap.max_size=" + s.cfg.Heap,
		"server.memory.pagecache.size=" + s.cfg.PageCache,
		"dbms.usage_report.enabled=false",
		"db.logs.query.enabled=OFF",
		// These instances serve development, tests and the benchmark, not
		// backups: under the default two-day retention, wiping and reloading
		// the 1M-entity bench graph left 50 GB of transaction logs and
		// filled the disk. Logs past 1 GB are pruned at checkpoints.
		"db.tx_log.rotation.retention_policy=1G size",
	}
	if s.cfg.TxTimeout != "" {
		lines = append(lines, "db.transaction.timeout="+s.cfg.TxTimeout)
	}
	return os.WriteFile(filepath.Join(h, "conf", "neo4j.conf"), []byte(strings.Join(lines, "\n")+"\n"), 0o644)
}

// Status describes the server's state.
type Status struct {
	// PID is the JVM's process id, 0 when none is recorded or alive.
	PID int
	// Ready is true when Bolt answers RETURN 1.
	Ready bool
	// URI is the Bolt URI.
	URI string
}

// String describes the status in one line, as `neo4j status` prints it.
func (st Status) String() string {
	switch {
	case st.Ready && st.PID != 0:
		return fmt.Sprintf("running (pid %d) and ready at %s", st.PID, st.URI)
	case st.Ready:
		return fmt.Sprintf("a Neo4j not started by this folder is ready at %s", st.URI)
	case st.PID != 0:
		return fmt.Sprintf("running (pid %d) but not answering at %s", st.PID, st.URI)
	default:
		return "stopped"
	}
}

// Status reports whether the server runs and answers.
func (s *Server) Status(ctx context.Context) Status {
	st := Status{PID: s.alivePID(), URI: s.URI()}
	st.Ready = s.ping(ctx) == nil
	return st
}

func (s *Server) alivePID() int {
	if s.check() != nil {
		return 0 // no pid file outside .neo4j is read
	}
	b, err := os.ReadFile(s.pidFile())
	if err != nil {
		return 0
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 0 {
		return 0
	}
	if syscall.Kill(pid, 0) != nil {
		return 0
	}
	// Guard against pid reuse: the process must be our JVM.
	cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err == nil && !bytes.Contains(cmdline, []byte("CommunityEntryPoint")) {
		return 0
	}
	return pid
}

func (s *Server) ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	auth := neo4j.NoAuth()
	if s.cfg.Password != "" {
		auth = neo4j.BasicAuth("neo4j", s.cfg.Password, "")
	}
	d, err := neo4j.NewDriverWithContext(s.URI(), auth, func(c *neo4j.Config) {
		c.SocketConnectTimeout = 2 * time.Second
		c.MaxConnectionPoolSize = 1
	})
	if err != nil {
		return err
	}
	defer d.Close(ctx)
	_, err = neo4j.ExecuteQuery(ctx, d, "RETURN 1", nil, neo4j.EagerResultTransformer)
	return err
}

// Start starts the server unless one is already answering on the port, and
// waits until it is ready. It is safe to call concurrently from several
// processes.
func (s *Server) Start(ctx context.Context) error {
	if err := s.check(); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(s.cfg.Root, ".neo4j"), 0o755); err != nil {
		return err
	}
	unlock, err := lockFile(ctx, filepath.Join(s.cfg.Root, ".neo4j", s.cfg.Instance+".lock"))
	if err != nil {
		return err
	}
	defer unlock()

	if pid := s.alivePID(); pid != 0 {
		if err := s.waitReadyOrExit(ctx, nil); err != nil {
			return err
		}
		s.cfg.Log("Neo4j already running (pid %d) at %s", pid, s.URI())
		return nil
	}
	if portInUse(s.cfg.Port) {
		if err := s.ping(ctx); err == nil {
			s.cfg.Log("reusing the Neo4j already answering at %s", s.URI())
			return nil
		}
		return fmt.Errorf("neo4jlocal: port %d is taken by something that is not a Neo4j answering without errors; free it or set NEO4J_BOLT_PORT", s.cfg.Port)
	}
	if err := s.EnsureJars(ctx); err != nil {
		return err
	}
	if err := s.writeConf(); err != nil {
		return fmt.Errorf("neo4jlocal: writing neo4j.conf: %w", err)
	}
	java, err := exec.LookPath("java")
	if err != nil {
		return errors.New("neo4jlocal: java is not on PATH; Neo4j " + Version + " needs JDK 17")
	}
	logf, err := os.OpenFile(s.consoleLog(), os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer logf.Close()
	args := []string{
		"-Xms" + s.cfg.Heap, "-Xmx" + s.cfg.Heap,
		"-XX:+UseG1GC", "-XX:-OmitStackTraceInFastThrow",
		"--add-opens=java.base/java.nio=ALL-UNNAMED",
		"--add-opens=java.base/java.io=ALL-UNNAMED",
		"--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
		"--add-opens=java.base/java.lang=ALL-UNNAMED",
		"--enable-native-access=ALL-UNNAMED",
		"-Dfile.encoding=UTF-8",
		"-cp", filepath.Join(s.libDir(), "*"),
		"org.neo4j.server.CommunityEntryPoint",
		"--home-dir=" + s.home(),
		"--config-dir=" + filepath.Join(s.home(), "conf"),
	}
	cmd := exec.Command(java, args...)
	cmd.Dir = s.home()
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("neo4jlocal: starting java: %w", err)
	}
	pid := cmd.Process.Pid
	if err := os.WriteFile(s.pidFile(), []byte(strconv.Itoa(pid)+"\n"), 0o644); err != nil {
		_ = syscall.Kill(-pid, syscall.SIGKILL)
		return err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	s.cfg.Log("started Neo4j %s (pid %d), waiting for %s", Version, pid, s.URI())
	start := time.Now()
	if err := s.waitReadyOrExit(ctx, exited); err != nil {
		_ = syscall.Kill(-pid, syscall.SIGKILL)
		_ = os.Remove(s.pidFile())
		return err
	}
	if err := s.setPassword(ctx); err != nil {
		return err
	}
	s.cfg.Log("Neo4j ready in %s", time.Since(start).Round(time.Millisecond))
	return nil
}

func (s *Server) waitReadyOrExit(ctx context.Context, exited <-chan error) error {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.StartTimeout)
	defer cancel()
	var last error
	for {
		if last = s.ping(ctx); last == nil {
			return nil
		}
		if s.cfg.Password != "" && strings.Contains(strings.ToLower(last.Error()), "unauthorized") {
			// A fresh store still has the default password; setPassword fixes it.
			if err := s.pingDefault(ctx); err == nil {
				return nil
			}
		}
		select {
		case err := <-exited:
			return fmt.Errorf("neo4jlocal: Neo4j exited before it was ready (%v); last lines of %s:\n%s",
				err, s.consoleLog(), s.logTail())
		case <-ctx.Done():
			return fmt.Errorf("neo4jlocal: Neo4j did not answer RETURN 1 at %s within %s (last error: %v); last lines of the logs:\n%s",
				s.URI(), s.cfg.StartTimeout, last, s.logTail())
		case <-time.After(250 * time.Millisecond):
		}
	}
}

func (s *Server) logTail() string {
	var b strings.Builder
	for _, f := range []string{s.consoleLog(), filepath.Join(s.home(), "logs", "neo4j.log")} {
		data, _ := os.ReadFile(f)
		fmt.Fprintf(&b, "--- %s\n%s\n", f, tail(string(data), 2000))
	}
	return b.String()
}

// Stop stops the server started from this folder and waits for it to exit.
// Stopping a stopped server is not an error.
func (s *Server) Stop(ctx context.Context) error {
	if err := s.check(); err != nil {
		return err
	}
	unlock, err := lockFile(ctx, filepath.Join(s.cfg.Root, ".neo4j", s.cfg.Instance+".lock"))
	if err != nil {
		return err
	}
	defer unlock()
	pid := s.alivePID()
	if pid == 0 {
		_ = os.Remove(s.pidFile())
		s.cfg.Log("Neo4j (%s) is not running", s.cfg.Instance)
		return nil
	}
	_ = syscall.Kill(-pid, syscall.SIGTERM)
	// It gets 60 s to stop, less when ctx ends first; then it is killed.
	deadline := time.Now().Add(60 * time.Second)
wait:
	for time.Now().Before(deadline) {
		if syscall.Kill(pid, 0) != nil {
			break
		}
		select {
		case <-ctx.Done():
			break wait
		case <-time.After(200 * time.Millisecond):
		}
	}
	if syscall.Kill(pid, 0) == nil {
		s.cfg.Log("Neo4j (pid %d) did not stop in time; killing it", pid)
		_ = syscall.Kill(-pid, syscall.SIGKILL)
		for i := 0; i < 50 && syscall.Kill(pid, 0) == nil; i++ {
			time.Sleep(10 * time.Millisecond) // the kernel reaps it at once
		}
	}
	_ = os.Remove(s.pidFile())
	s.cfg.Log("stopped Neo4j (pid %d)", pid)
	return nil
}

// Kill ends the server abruptly, the way a crash or a power cut would: SIGKILL
// to its process group, with no shutdown and no checkpoint. It waits until the
// process has exited (so the Bolt port is free) and removes the pid file; the
// next Start recovers the database from its transaction log. Fault-injection
// tests use it. Killing a stopped server is not an error.
func (s *Server) Kill(ctx context.Context) error {
	if err := s.check(); err != nil {
		return err
	}
	unlock, err := lockFile(ctx, filepath.Join(s.cfg.Root, ".neo4j", s.cfg.Instance+".lock"))
	if err != nil {
		return err
	}
	defer unlock()
	pid := s.alivePID()
	if pid == 0 {
		_ = os.Remove(s.pidFile())
		return nil
	}
	if err := syscall.Kill(-pid, syscall.SIGKILL); err != nil && !errors.Is(err, syscall.ESRCH) {
		return fmt.Errorf("neo4jlocal: killing Neo4j (pid %d): %w", pid, err)
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	// The JVM's main thread can be a zombie while its other threads still
	// hold the sockets: wait for the port too.
	for !processGone(pid) || portInUse(s.cfg.Port) {
		select {
		case <-ctx.Done():
			return fmt.Errorf("neo4jlocal: Neo4j (pid %d) or its port %d still there after SIGKILL: %w", pid, s.cfg.Port, ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
	_ = os.Remove(s.pidFile())
	s.cfg.Log("killed Neo4j (pid %d)", pid)
	return nil
}

// processGone reports whether pid has exited: it no longer exists, or it is a
// zombie waiting for its parent (its sockets are closed already).
func processGone(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return true
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true
	}
	// The state follows the parenthesised command name: "pid (comm) S ...".
	if i := bytes.LastIndexByte(stat, ')'); i >= 0 && i+2 < len(stat) {
		return stat[i+2] == 'Z' || stat[i+2] == 'X'
	}
	return false
}

func portInUse(port int) bool {
	c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), 500*time.Millisecond)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

func lockFile(ctx context.Context, path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() { _ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN); f.Close() }, nil
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("neo4jlocal: waiting for lock %s: %w", path, ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}
