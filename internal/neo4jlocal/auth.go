package neo4jlocal

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

func (s *Server) pingDefault(ctx context.Context) error {
	d, err := neo4j.NewDriverWithContext(s.URI(), neo4j.BasicAuth("neo4j", "neo4j", ""))
	if err != nil {
		return err
	}
	defer d.Close(ctx)
	return d.VerifyConnectivity(ctx)
}

// setPassword replaces the default password of a new store with the
// configured one. It does nothing when auth is off or already set.
func (s *Server) setPassword(ctx context.Context) error {
	if s.cfg.Password == "" || s.ping(ctx) == nil {
		return nil
	}
	d, err := neo4j.NewDriverWithContext(s.URI(), neo4j.BasicAuth("neo4j", "neo4j", ""))
	if err != nil {
		return err
	}
	defer d.Close(ctx)
	_, err = neo4j.ExecuteQuery(ctx, d, "ALTER CURRENT USER SET PASSWORD FROM 'neo4j' TO $pw",
		map[string]any{"pw": s.cfg.Password}, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase("system"))
	if err != nil {
		return fmt.Errorf("neo4jlocal: setting the initial password failed (delete %s to start over): %w",
			filepath.Join(s.home(), "data"), err)
	}
	_ = os.WriteFile(filepath.Join(s.home(), "run", "password-set"), nil, 0o600)
	return s.ping(ctx)
}
