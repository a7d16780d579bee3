package graph

// Code in this file converts kg values to GraphQL models.

import (
	"github.com/innograph/innograph/graph/model"
	"github.com/innograph/innograph/internal/kg"
)

// toEntity converts a kg.Entity to the GraphQL type of its kind.
func toEntity(e kg.Entity) model.Entity {
	kind := model.EntityKind(e.Kind)
	aliases := e.Aliases
	if aliases == nil {
		aliases = []string{}
	}
	desc := optStr(e.Description)
	switch e.Kind {
	case kg.KindPerson:
		return &model.Person{ID: e.ID, Name: e.Name, Kind: kind, Aliases: aliases, Description: desc, Version: int(e.Version)}
	case kg.KindUniversity:
		return &model.University{ID: e.ID, Name: e.Name, Kind: kind, Aliases: aliases, Description: desc, Version: int(e.Version)}
	case kg.KindLab:
		return &model.Lab{ID: e.ID, Name: e.Name, Kind: kind, Aliases: aliases, Description: desc, Version: int(e.Version)}
	case kg.KindGovernmentBody:
		return &model.GovernmentBody{ID: e.ID, Name: e.Name, Kind: kind, Aliases: aliases, Description: desc, Version: int(e.Version)}
	case kg.KindAgreement:
		return &model.Agreement{ID: e.ID, Name: e.Name, Kind: kind, Aliases: aliases, Description: desc, Version: int(e.Version)}
	case kg.KindProject:
		return &model.Project{ID: e.ID, Name: e.Name, Kind: kind, Aliases: aliases, Description: desc, Version: int(e.Version)}
	case kg.KindInstitute:
		return &model.Institute{ID: e.ID, Name: e.Name, Kind: kind, Aliases: aliases, Description: desc, Version: int(e.Version)}
	case kg.KindCompany:
		return &model.Company{ID: e.ID, Name: e.Name, Kind: kind, Aliases: aliases, Description: desc, Version: int(e.Version)}
	case kg.KindDepartment:
		return &model.Department{ID: e.ID, Name: e.Name, Kind: kind, Aliases: aliases, Description: desc, Version: int(e.Version)}
	case kg.KindFacility:
		return &model.Facility{ID: e.ID, Name: e.Name, Kind: kind, Aliases: aliases, Description: desc, Version: int(e.Version)}
	case kg.KindEvent:
		return &model.Event{ID: e.ID, Name: e.Name, Kind: kind, Aliases: aliases, Description: desc, Version: int(e.Version)}
	case kg.KindPolicy:
		return &model.Policy{ID: e.ID, Name: e.Name, Kind: kind, Aliases: aliases, Description: desc, Version: int(e.Version)}
	case kg.KindPlace:
		return &model.Place{ID: e.ID, Name: e.Name, Kind: kind, Aliases: aliases, Description: desc, Version: int(e.Version)}
	case kg.KindOrganization:
		return &model.Organization{ID: e.ID, Name: e.Name, Kind: kind, Aliases: aliases, Description: desc, Version: int(e.Version)}
	default:
		return &model.Organization{ID: e.ID, Name: e.Name, Kind: kind, Aliases: aliases, Description: desc, Version: int(e.Version)}
	}
}
