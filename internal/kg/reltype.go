package kg

import "strings"

// RelType is the type of a relationship. Each is also a Neo4j relationship
// type; only the types listed in RelTypes exist.
type RelType string

// The relationship types; RelTypes describes each.
const (
	RelDirects          RelType = "DIRECTS"
	RelHeads            RelType = "HEADS"
	RelChairs           RelType = "CHAIRS"
	RelMemberOf         RelType = "MEMBER_OF"
	RelWorksAt          RelType = "WORKS_AT"
	RelPartOf           RelType = "PART_OF"
	RelLocatedIn        RelType = "LOCATED_IN"
	RelHosts            RelType = "HOSTS"
	RelSigned           RelType = "SIGNED"
	RelPartyTo          RelType = "PARTY_TO"
	RelWitnessed        RelType = "WITNESSED"
	RelFunds            RelType = "FUNDS"
	RelAdministers      RelType = "ADMINISTERS"
	RelEstablished      RelType = "ESTABLISHED"
	RelApproved         RelType = "APPROVED"
	RelCollaboratesWith RelType = "COLLABORATES_WITH"
	RelParticipatedIn   RelType = "PARTICIPATED_IN"
	RelContributedTo    RelType = "CONTRIBUTED_TO"
	RelLeads            RelType = "LEADS"
	RelAttended         RelType = "ATTENDED"
	RelSpokeAt          RelType = "SPOKE_AT"
	RelOrganised        RelType = "ORGANISED"
	RelFounded          RelType = "FOUNDED"
	RelProposed         RelType = "PROPOSED"
	RelSupports         RelType = "SUPPORTS"
	RelIssued           RelType = "ISSUED"
	RelCovers           RelType = "COVERS"
	RelUses             RelType = "USES"
	RelCorrespondedWith RelType = "CORRESPONDED_WITH"
	RelAlumnusOf        RelType = "ALUMNUS_OF"
	RelAwarded          RelType = "AWARDED"
	RelSucceeded        RelType = "SUCCEEDED"
	RelAnnounced        RelType = "ANNOUNCED"
)

// RelTypeInfo describes a relationship type: what "from -TYPE-> to" means.
type RelTypeInfo struct {
	Type        RelType
	Description string
}

// RelTypes lists every relationship type. Direction reads as "from TYPE to".
var RelTypes = []RelTypeInfo{
	{RelDirects, "A person is the director of a lab, centre, institute or programme."},
	{RelHeads, "A person heads (leads, is president, secretary, minister, chief executive of) a body."},
	{RelChairs, "A person chairs a committee, council or event."},
	{RelMemberOf, "A person or body is a member of a body (academician of an academy, member of a committee)."},
	{RelWorksAt, "A person is employed at, or holds a post in, an organisation (professor at a university)."},
	{RelPartOf, "An entity is a part, branch, unit or subsidiary of another."},
	{RelLocatedIn, "An entity is located in a place or facility."},
	{RelHosts, "An organisation or facility hosts a lab, centre or event."},
	{RelSigned, "A person or body signed an agreement (signatory)."},
	{RelPartyTo, "A body is a party to an agreement."},
	{RelWitnessed, "A person witnessed the signing of an agreement."},
	{RelFunds, "A body gives money to a recipient (derived from a Funding record, or stated without one)."},
	{RelAdministers, "A body administers a programme, scheme, fund or facility."},
	{RelEstablished, "A body established (set up, created, launched) an entity."},
	{RelApproved, "A body approved an entity (a lab, a plan, a project)."},
	{RelCollaboratesWith, "Two entities work together (research collaboration, strategic partnership, joint development)."},
	{RelParticipatedIn, "An entity took part in a project, mission or programme."},
	{RelContributedTo, "An entity contributed something specific (a design, an instrument) to a project."},
	{RelLeads, "An entity leads a project, programme or initiative."},
	{RelAttended, "A person or body attended an event."},
	{RelSpokeAt, "A person spoke at an event."},
	{RelOrganised, "A body organised an event."},
	{RelFounded, "A person founded an organisation or company."},
	{RelProposed, "An entity proposed a policy, plan or initiative."},
	{RelSupports, "An entity supports another (policy support, endorsement) without stated money."},
	{RelIssued, "A body issued or released a policy, plan, report or ranking."},
	{RelCovers, "A policy, plan or agreement covers or applies to an entity or place."},
	{RelUses, "An entity uses a facility or resource (access to a supercomputer)."},
	{RelCorrespondedWith, "A person or group wrote to, or replied to, another."},
	{RelAlumnusOf, "A person studied at a university."},
	{RelAwarded, "A person or body received an award, honour or medal from, or at, an entity."},
	{RelSucceeded, "An entity succeeded or replaced another."},
	{RelAnnounced, "A person or body publicly announced a policy, programme or the establishment of an entity."},
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
