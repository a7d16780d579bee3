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
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			s := New(Config{Root: filepath.Join(root, "repo"), Instance: tc.instance, Port: tc.port})
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
