package kg

import "time"

// Role is what an authenticated caller may do.
type Role string

// Roles, in increasing power.
const (
	// RoleCurator may create and update entities and relationships.
	RoleCurator Role = "curator"
	// RoleAdmin may also delete and merge.
	RoleAdmin Role = "admin"
)

// ParseRole parses a role name.
func ParseRole(s string) (Role, error) {
	switch r := Role(s); r {
	case RoleCurator, RoleAdmin:
		return r, nil
	}
	return "", Errorf(CodeInvalid, "unknown role %q: want curator or admin", s)
}

// Actor is who makes a change.
type Actor struct {
	Name string
	Role Role
}

// Can reports whether the actor may perform op.
func (a Actor) Can(op Op) bool {
	switch op {
	case OpDeleteEntity, OpMergeEntities, OpDeleteRelationship:
		return a.Role == RoleAdmin
	default:
		return a.Role == RoleCurator || a.Role == RoleAdmin
	}
}

// Op names a kind of change.
type Op string

// The change operations.
const (
	OpCreateEntity       Op = "CREATE_ENTITY"
	OpUpdateEntity       Op = "UPDATE_ENTITY"
	OpDeleteEntity       Op = "DELETE_ENTITY"
	OpMergeEntities      Op = "MERGE_ENTITIES"
	OpCreateRelationship Op = "CREATE_RELATIONSHIP"
	OpDeleteRelationship Op = "DELETE_RELATIONSHIP"
)

// ChangeMeta is what every change carries besides its payload: who, why,
// the evidence for it, and an optional idempotency key.
type ChangeMeta struct {
	Actor          Actor
	Reason         string
	Evidence       Evidence
	IdempotencyKey string
}

// MaxReasonLen bounds a change's reason.
const MaxReasonLen = 1000

// Validate checks the metadata of a change.
func (m ChangeMeta) Validate() error {
	if m.Actor.Name == "" {
		return &Error{Code: CodeUnauthenticated, Message: "changes need an authenticated caller"}
	}
	if len(m.Reason) > MaxReasonLen {
		return InvalidArg("reason", "at most %d bytes", MaxReasonLen)
	}
	if err := m.Evidence.Validate(); err != nil {
		return err
	}
	if m.IdempotencyKey != "" && (len(m.IdempotencyKey) > 200 || CollapseSpace(m.IdempotencyKey) != m.IdempotencyKey) {
		return InvalidArg("idempotencyKey", "at most 200 characters without spaces")
	}
	return nil
}

// Change is one entry of the audit log.
type Change struct {
	ID             string
	At             time.Time
	Actor          string
	Role           Role
	Op             Op
	EntityID       string
	RelationshipID string
	// Before and After are JSON snapshots of what changed ("" when absent).
	Before, After  string
	Reason         string
	Evidence       Evidence
	IdempotencyKey string
}

// ChangeFilter selects audit log entries.
type ChangeFilter struct {
	EntityID string
	Since    *time.Time
}

// EntityPatch is a partial update of an entity: nil fields stay as they are.
type EntityPatch struct {
	Kind        *Kind
	Name        *string
	Aliases     *[]string
	Description *string
}
