package graph

import (
	"context"
	"reflect"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// EnumVariables refuses an enum value in a request's variables that names
// no value of its enum exactly. gqlparser accepts such values in any case
// ("hosts" for HOSTS) while gqlgen's generated enums accept only the exact
// name, so without this check a lower-case value passed validation and then
// failed inside the resolver as INTERNAL. Enums in literals are checked
// exactly by gqlparser already.
type EnumVariables struct {
	schema *ast.Schema
}

var (
	_ graphql.HandlerExtension        = (*EnumVariables)(nil)
	_ graphql.OperationContextMutator = (*EnumVariables)(nil)
)

// ExtensionName implements graphql.HandlerExtension.
func (*EnumVariables) ExtensionName() string { return "EnumVariables" }

// Validate implements graphql.HandlerExtension; it keeps the schema.
func (e *EnumVariables) Validate(es graphql.ExecutableSchema) error {
	e.schema = es.Schema()
	return nil
}

// MutateOperationContext implements graphql.OperationContextMutator: it runs
// after gqlparser has validated and coerced the variables.
func (e *EnumVariables) MutateOperationContext(_ context.Context, rc *graphql.OperationContext) *gqlerror.Error {
	if rc.Operation == nil || e.schema == nil {
		return nil
	}
	for _, vd := range rc.Operation.VariableDefinitions {
		v, ok := rc.Variables[vd.Variable]
		if !ok {
			continue
		}
		if err := checkEnums(e.schema, vd.Type, v, ast.Path{ast.PathName("variable"), ast.PathName(vd.Variable)}); err != nil {
			// As gqlparser's variable errors: 422 GRAPHQL_VALIDATION_FAILED.
			errcode.Set(err, errcode.ValidationFailed)
			return err
		}
	}
	return nil
}

// checkEnums checks every enum value in v, a variable's value of type t,
// found at path.
func checkEnums(s *ast.Schema, t *ast.Type, v any, path ast.Path) *gqlerror.Error {
	if v == nil || t == nil {
		return nil
	}
	at := func(p ast.PathElement) ast.Path {
		return append(append(ast.Path{}, path...), p)
	}
	if t.Elem != nil {
		list := reflect.ValueOf(v)
		if list.Kind() != reflect.Slice { // a single value stands for a list of one
			return checkEnums(s, t.Elem, v, path)
		}
		for i := range list.Len() {
			if err := checkEnums(s, t.Elem, list.Index(i).Interface(), at(ast.PathIndex(i))); err != nil {
				return err
			}
		}
		return nil
	}
	def := s.Types[t.NamedType]
	if def == nil {
		return nil
	}
	switch def.Kind {
	case ast.Enum:
		str, ok := v.(string)
		if !ok {
			return gqlerror.ErrorPathf(path, "%v is not a valid %s: give one of its values as a string", v, def.Name)
		}
		for _, ev := range def.EnumValues {
			if ev.Name == str {
				return nil
			}
		}
		for _, ev := range def.EnumValues {
			if strings.EqualFold(ev.Name, str) {
				return gqlerror.ErrorPathf(path, "%s is not a valid %s: enum values are case-sensitive; did you mean %s?", str, def.Name, ev.Name)
			}
		}
		return gqlerror.ErrorPathf(path, "%s is not a valid %s", str, def.Name)
	case ast.InputObject:
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		for _, f := range def.Fields {
			if fv, ok := m[f.Name]; ok {
				if err := checkEnums(s, f.Type, fv, at(ast.PathName(f.Name))); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
