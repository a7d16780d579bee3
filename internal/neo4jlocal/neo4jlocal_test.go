package neo4jlocal

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestValidInstance(t *testing.T) {
	for _, tc := range []struct {
		name string
		ok   bool
	}{
		{"dev", true},
		{"faults", true},
		{"Bench_2-x", true},
		{strings.Repeat("a", 64), true},
		{"", false},
		{strings.Repeat("a", 65), false},
		{"../escape", false},
		{"a/b", false},
		{"..", false},
		{".", false},
		{"dev ", false},
		{"dév", false},
	} {
		if got := ValidInstance(tc.name); got != tc.ok {
			t.Errorf("ValidInstance(%q) = %v, want %v", tc.name, got, tc.ok)
		}
	}
}

func TestValidSizeAndTimeout(t *testing.T) {
	for _, tc := range []struct {
		s           string
		size, tmout bool
	}{
		{"512m", true, true},
		{"3G", true, false},
		{"1024", true, false},
		{"1k", true, false},
		{"8s", false, true},
		{"1500ms", false, true},
		{"2h", false, true},
		{"", false, false},
		{"0", false, false},
		{"0m", false, false},
		{"00s", false, false},
		{"m", false, false},
		{"-1g", false, false},
		{"1.5g", false, false},
		{"1gb", false, false},
		{"1mm", false, false},
		{"8 s", false, false},
		{"1m30s", false, false},
		{"512m\nx=y", false, false},
		{"9999999999999999g", false, false},
	} {
		if got := ValidSize(tc.s); got != tc.size {
			t.Errorf("ValidSize(%q) = %v, want %v", tc.s, got, tc.size)
		}
		if got := ValidTimeout(tc.s); got != tc.tmout {
			t.Errorf("ValidTimeout(%q) = %v, want %v", tc.s, got, tc.tmout)
		}
	}
}

// A bad instance name or port is refused before any file is written or
// process started.
func TestStartRefusesBadConfig(t *testing.T) {
	for _, tc := range []struct {
		name     string
		instance string
		port     int
		want     string
	}{
		{"escaping instance", "../escape", 7692, `instance name "../escape" (NEO4J_INSTANCE)`},
		{"instance with a slash", "a/b", 7692, `instance name "a/b"`},
		{"negative port", "fixes", -1, "Bolt port -1 (NEO4J_BOLT_PORT) must be from 1 to 65535"},
		{"port too large", "fixes", 70000, "Bolt port 70000"},
		{"a heap that adds a setting", "fixes", 7692, `heap size "512m\nserver.bolt.listen_address=0.0.0.0:7692" must be`},
		{"a page cache without digits", "fixes", 7692, `page cache size "lots" must be`},
		{"a timeout without a unit", "fixes", 7692, `transaction timeout "8" must be`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			cfg := Config{Root: filepath.Join(root, "repo"), Instance: tc.instance, Port: tc.port}
			switch {
			case strings.Contains(tc.want, "heap"):
				cfg.Heap = "512m\nserver.bolt.listen_address=0.0.0.0:7692"
			case strings.Contains(tc.want, "page cache"):
				cfg.PageCache = "lots"
			case strings.Contains(tc.want, "timeout"):
				cfg.TxTimeout = "8"
			}
			s := New(cfg)
			for op, f := range map[string]func(context.Context) error{"Start": s.Start, "Stop": s.Stop, "Kill": s.Kill} {
				err := f(context.Background())
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Errorf("%s: error %v, want one containing %q", op, err, tc.want)
				}
			}
			if _, err := os.Stat(filepath.Join(root, "repo")); !os.IsNotExist(err) {
				t.Errorf("something was written under %s (stat: %v)", root, err)
			}
			done, cancel := context.WithCancel(context.Background())
			cancel() // Status's ping need not wait for a server that is not there
			if st := s.Status(done); st.PID != 0 {
				t.Errorf("Status reports pid %d", st.PID)
			}
		})
	}
}
