package kg

import "strings"

// RelType is the type of a relationship. Each is also a Neo4j relationship
// type; only the types listed in RelTypes exist.
type RelType string

// RelTypeInfo describes a relationship type: what "from -TYPE-> to" means.
type RelTypeInfo struct {
	Type        RelType
	Description string
}

// RelTypes lists every relationship type. Direction reads as "from TYPE to".
var RelTypes = []RelTypeInfo{
	{"DIRECTS", "A person is the director of a lab, centre, institute or programme."},
	{"HEADS", "A person heads (leads, is president, secretary, minister, chief executive of) a body."},
	{"CHAIRS", "A person chairs a committee, council or event."},
	{"MEMBER_OF", "A person or body is a member of a body (academician of an academy, member of a committee)."},
	{"WORKS_AT", "A person is employed at, or holds a post in, an organisation (professor at a university)."},
	{"PART_OF", "An entity is a part, branch, unit or subsidiary of another."},
	{"LOCATED_IN", "An entity is located in a place or facility."},
	{"HOSTS", "An organisation or facility hosts a lab, centre or event."},
	{"SIGNED", "A person or body signed an agreement (signatory)."},
	{"PARTY_TO", "A body is a party to an agreement."},
	{"WITNESSED", "A person witnessed the signing of an agreement."},
	{"FUNDS", "A body gives money to a recipient (derived from a Funding record, or stated without one)."},
	{"ADMINISTERS", "A body administers a programme, scheme, fund or facility."},
	{"ESTABLISHED", "A body established (set up, created, launched) an entity."},
	{"APPROVED", "A body approved an entity (a lab, a plan, a project)."},
	{"COLLABORATES_WITH", "Two entities work together (research collaboration, strategic partnership, joint development)."},
	{"PARTICIPATED_IN", "An entity took part in a project, mission or programme."},
	{"CONTRIBUTED_TO", "An entity contributed something specific (a design, an instrument) to a project."},
	{"LEADS", "An entity leads a project, programme or initiative."},
	{"ATTENDED", "A person or body attended an event."},
	{"SPOKE_AT", "A person spoke at an event."},
	{"ORGANISED", "A body organised an event."},
	{"FOUNDED", "A person founded an organisation or company."},
	{"PROPOSED", "An entity proposed a policy, plan or initiative."},
	{"SUPPORTS", "An entity supports another (policy support, endorsement) without stated money."},
	{"ISSUED", "A body issued or released a policy, plan, report or ranking."},
	{"COVERS", "A policy, plan or agreement covers or applies to an entity or place."},
	{"USES", "An entity uses a facility or resource (access to a supercomputer)."},
	{"CORRESPONDED_WITH", "A person or group wrote to, or replied to, another."},
	{"ALUMNUS_OF", "A person studied at a university."},
	{"AWARDED", "A person or body received an award, honour or medal from, or at, an entity."},
	{"SUCCEEDED", "An entity succeeded or replaced another."},
	{"ANNOUNCED", "A person or body publicly announced a policy, programme or the establishment of an entity."},
}

var relTypeSet = func() map[RelType]bool {
	m := make(map[RelType]bool, len(RelTypes))
	for _, r := range RelTypes {
		m[r.Type] = true
	}
	return m
}()

// Valid reports whether t is one of RelTypes.
func (t RelType) Valid() bool { return relTypeSet[t] }

// ParseRelType parses a relationship type name case-insensitively.
func ParseRelType(s string) (RelType, error) {
	t := RelType(strings.ToUpper(strings.TrimSpace(s)))
	if !t.Valid() {
		return "", Errorf(CodeInvalid, "unknown relationship type %q", s)
	}
	return t, nil
}
