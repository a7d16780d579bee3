package read

import (
	"fmt"

	"github.com/innograph/innograph/internal/kg"
)

// Field is a typed field of an entity kind that lists related entities (a
// university's labs, a lab's director): the relationship patterns it follows
// and how their answers combine. Entity trees (Entity) follow the same
// patterns, so that a tree fetched ahead answers exactly what Related would
// load.
type Field struct {
	// Kind is the kind of entity that has the field; Name its GraphQL name.
	Kind kg.Kind
	Name string
	// Patterns are followed from the entity, each with the field's page size.
	Patterns []kg.RelFilter
	// Fallback: the answer is the first pattern's that finds any entity;
	// otherwise it is every pattern's, deduplicated, in pattern order, at
	// most the page size.
	Fallback bool
	// Of keeps only entities of this kind ("": any kind).
	Of kg.Kind
}

var (
	orgs = []kg.Kind{kg.KindGovernmentBody, kg.KindUniversity, kg.KindInstitute, kg.KindCompany, kg.KindOrganization, kg.KindLab, kg.KindDepartment, kg.KindPlace}
	in   = kg.Incoming
	out  = kg.Outgoing
)

// The typed fields.
var (
	AgreementParties = Field{Kind: kg.KindAgreement, Name: "parties", Patterns: []kg.RelFilter{
		{Direction: in, Kinds: orgs, Types: []kg.RelType{kg.RelPartyTo, kg.RelSigned}}}}
	AgreementSignatories = Field{Kind: kg.KindAgreement, Name: "signatories", Of: kg.KindPerson, Patterns: []kg.RelFilter{
		{Direction: in, Kinds: []kg.Kind{kg.KindPerson}, Types: []kg.RelType{kg.RelSigned}}}}
	CompanyPartners = Field{Kind: kg.KindCompany, Name: "partners", Patterns: []kg.RelFilter{
		{Direction: kg.Both, Types: []kg.RelType{kg.RelCollaboratesWith, kg.RelPartyTo}}}}
	EventParticipants = Field{Kind: kg.KindEvent, Name: "participants", Patterns: []kg.RelFilter{
		{Direction: in, Types: []kg.RelType{kg.RelAttended, kg.RelSpokeAt, kg.RelOrganised, kg.RelChairs}}}}
	GovernmentBodyHeads = Field{Kind: kg.KindGovernmentBody, Name: "heads", Of: kg.KindPerson, Patterns: []kg.RelFilter{
		{Direction: in, Kinds: []kg.Kind{kg.KindPerson}, Types: []kg.RelType{kg.RelHeads, kg.RelChairs, kg.RelDirects}}}}
	GovernmentBodyAgreements = Field{Kind: kg.KindGovernmentBody, Name: "agreements", Of: kg.KindAgreement, Patterns: []kg.RelFilter{
		{Direction: out, Kinds: []kg.Kind{kg.KindAgreement}, Types: []kg.RelType{kg.RelPartyTo, kg.RelSigned}}}}
	GovernmentBodyEstablished = Field{Kind: kg.KindGovernmentBody, Name: "established", Patterns: []kg.RelFilter{
		{Direction: out, Types: []kg.RelType{kg.RelEstablished, kg.RelApproved}}}}
	InstituteUnits = Field{Kind: kg.KindInstitute, Name: "units", Patterns: []kg.RelFilter{
		{Direction: kg.Both, Kinds: []kg.Kind{kg.KindLab, kg.KindDepartment, kg.KindInstitute, kg.KindFacility}, Types: []kg.RelType{kg.RelPartOf, kg.RelHosts}}}}
	InstitutePeople = Field{Kind: kg.KindInstitute, Name: "people", Of: kg.KindPerson, Patterns: []kg.RelFilter{
		{Direction: in, Kinds: []kg.Kind{kg.KindPerson}, Types: []kg.RelType{kg.RelHeads, kg.RelDirects, kg.RelWorksAt, kg.RelMemberOf, kg.RelChairs}}}}
	LabDirector = Field{Kind: kg.KindLab, Name: "director", Of: kg.KindPerson, Patterns: []kg.RelFilter{
		{Direction: in, Kinds: []kg.Kind{kg.KindPerson}, Types: []kg.RelType{kg.RelDirects}}}}
	LabHost = Field{Kind: kg.KindLab, Name: "host", Fallback: true, Patterns: []kg.RelFilter{
		{Direction: in, Types: []kg.RelType{kg.RelHosts}},
		{Direction: out, Kinds: []kg.Kind{kg.KindUniversity, kg.KindInstitute}, Types: []kg.RelType{kg.RelPartOf}}}}
	LabPartOf = Field{Kind: kg.KindLab, Name: "partOf", Patterns: []kg.RelFilter{
		{Direction: out, Types: []kg.RelType{kg.RelPartOf}}}}
	PersonSigned = Field{Kind: kg.KindPerson, Name: "signed", Of: kg.KindAgreement, Patterns: []kg.RelFilter{
		{Direction: out, Kinds: []kg.Kind{kg.KindAgreement}, Types: []kg.RelType{kg.RelSigned, kg.RelWitnessed}}}}
	PersonEvents = Field{Kind: kg.KindPerson, Name: "events", Of: kg.KindEvent, Patterns: []kg.RelFilter{
		{Direction: out, Kinds: []kg.Kind{kg.KindEvent}, Types: []kg.RelType{kg.RelAttended, kg.RelSpokeAt, kg.RelChairs, kg.RelOrganised}}}}
	ProjectParticipants = Field{Kind: kg.KindProject, Name: "participants", Patterns: []kg.RelFilter{
		{Direction: in, Types: []kg.RelType{kg.RelParticipatedIn, kg.RelContributedTo, kg.RelLeads, kg.RelPartOf}}}}
	UniversityLabs = Field{Kind: kg.KindUniversity, Name: "labs", Of: kg.KindLab, Patterns: []kg.RelFilter{
		{Direction: out, Kinds: []kg.Kind{kg.KindLab}, Types: []kg.RelType{kg.RelHosts}},
		{Direction: in, Kinds: []kg.Kind{kg.KindLab}, Types: []kg.RelType{kg.RelPartOf}}}}
	UniversityPeople = Field{Kind: kg.KindUniversity, Name: "people", Of: kg.KindPerson, Patterns: []kg.RelFilter{
		{Direction: in, Kinds: []kg.Kind{kg.KindPerson}, Types: []kg.RelType{kg.RelHeads, kg.RelDirects, kg.RelWorksAt, kg.RelMemberOf, kg.RelChairs, kg.RelAlumnusOf}}}}
	UniversityAgreements = Field{Kind: kg.KindUniversity, Name: "agreements", Of: kg.KindAgreement, Patterns: []kg.RelFilter{
		{Direction: out, Kinds: []kg.Kind{kg.KindAgreement}, Types: []kg.RelType{kg.RelPartyTo, kg.RelSigned}}}}
)

// Fields lists every typed field.
var Fields = []*Field{
	&AgreementParties, &AgreementSignatories, &CompanyPartners, &EventParticipants,
	&GovernmentBodyHeads, &GovernmentBodyAgreements, &GovernmentBodyEstablished,
	&InstituteUnits, &InstitutePeople, &LabDirector, &LabHost, &LabPartOf,
	&PersonSigned, &PersonEvents, &ProjectParticipants,
	&UniversityLabs, &UniversityPeople, &UniversityAgreements,
}

type fieldKey struct {
	kind kg.Kind
	name string
}

var fieldIndex = func() map[fieldKey]*Field {
	m := make(map[fieldKey]*Field, len(Fields))
	for _, f := range Fields {
		k := fieldKey{f.Kind, f.Name}
		if m[k] != nil {
			panic(fmt.Sprintf("read: typed field %s.%s listed twice", f.Kind, f.Name))
		}
		if err := f.check(); err != nil {
			panic(err)
		}
		m[k] = f
	}
	return m
}()

// FieldOf returns the typed field name of kind, and false when kind has no
// typed field of that name.
func FieldOf(kind kg.Kind, name string) (*Field, bool) {
	f, ok := fieldIndex[fieldKey{kind, name}]
	return f, ok
}

// check reports a field naming a kind or relationship type that does not
// exist: a pattern with one would silently match nothing.
func (f *Field) check() error {
	if !f.Kind.Valid() || f.Of != "" && !f.Of.Valid() || len(f.Patterns) == 0 {
		return fmt.Errorf("read: typed field %s.%s: bad kind or no pattern", f.Kind, f.Name)
	}
	for _, p := range f.Patterns {
		for _, t := range p.Types {
			if !t.Valid() {
				return fmt.Errorf("read: typed field %s.%s: unknown relationship type %q", f.Kind, f.Name, t)
			}
		}
		for _, k := range p.Kinds {
			if !k.Valid() {
				return fmt.Errorf("read: typed field %s.%s: unknown kind %q", f.Kind, f.Name, k)
			}
		}
	}
	return nil
}
