package kg

import "strings"

// Kind is the kind of an entity. Each kind is also a Neo4j label and a
// GraphQL type; only the kinds listed in Kinds exist.
type Kind string

// The entity kinds.
const (
	KindPerson         Kind = "PERSON"
	KindUniversity     Kind = "UNIVERSITY"
	KindLab            Kind = "LAB"
	KindGovernmentBody Kind = "GOVERNMENT_BODY"
	KindAgreement      Kind = "AGREEMENT"
	KindProject        Kind = "PROJECT"
	KindInstitute      Kind = "INSTITUTE"
	KindCompany        Kind = "COMPANY"
	KindDepartment     Kind = "DEPARTMENT"
	KindFacility       Kind = "FACILITY"
	KindEvent          Kind = "EVENT"
	KindPolicy         Kind = "POLICY"
	KindPlace          Kind = "PLACE"
	KindOrganization   Kind = "ORGANIZATION"
)

// KindInfo describes a kind: its Neo4j label and what it covers.
type KindInfo struct {
	Kind        Kind
	Label       string
	Description string
}

// Kinds lists every entity kind in a fixed order.
var Kinds = []KindInfo{
	{KindPerson, "Person", "A named individual: scientist, official, executive, athlete."},
	{KindUniversity, "University", "A university or other degree-awarding institution."},
	{KindLab, "Lab", "A laboratory: state key lab, national engineering research centre branch, joint lab, InnoHK lab."},
	{KindGovernmentBody, "GovernmentBody", "A government, ministry, bureau, department, committee or agency of government."},
	{KindAgreement, "Agreement", "An MoU, arrangement, framework agreement, strategic partnership or letter of intent."},
	{KindProject, "Project", "A mission, project, programme, scheme or initiative."},
	{KindInstitute, "Institute", "A research institute, academy or learned society."},
	{KindCompany, "Company", "A company or other commercial enterprise."},
	{KindDepartment, "Department", "A faculty, department or school inside a university or institute."},
	{KindFacility, "Facility", "A physical facility: science park, supercomputer, centre, campus, spacecraft or instrument."},
	{KindEvent, "Event", "A forum, conference, meeting, ceremony or other dated happening."},
	{KindPolicy, "Policy", "A policy, plan, blueprint, ranking or law."},
	{KindPlace, "Place", "A city, region, district or zone."},
	{KindOrganization, "Organization", "Any other organisation: association, media outlet, fund, international body."},
}

var kindByName = func() map[Kind]KindInfo {
	m := make(map[Kind]KindInfo, len(Kinds))
	for _, k := range Kinds {
		m[k.Kind] = k
	}
	return m
}()

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool { _, ok := kindByName[k]; return ok }

// Label returns the Neo4j label for k, or "" when k is not valid.
func (k Kind) Label() string { return kindByName[k].Label }

// ParseKind parses a kind name case-insensitively.
func ParseKind(s string) (Kind, error) {
	k := Kind(strings.ToUpper(strings.TrimSpace(s)))
	if !k.Valid() {
		return "", Errorf(CodeInvalid, "unknown entity kind %q", s)
	}
	return k, nil
}
