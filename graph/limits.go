package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/innograph/innograph/internal/kg"
)

// Limits rejects operations that ask for too much before gqlgen validates or
// runs them: more than MaxTokens tokens, nested deeper than MaxDepth, or
// costing more than MaxCost.
//
// The analysis runs on the raw text, before validation, because validation
// and gqlgen's own complexity walk expand fragments: a few hundred bytes of
// fragments that each spread the previous one twice expand to millions of
// fields, and took seconds of CPU. Here each fragment is analysed once and its
// result reused wherever it is spread, so the work is linear in the text.
//
// A field costs 1 plus its children's cost times its multiplier: the value of
// its first or limit argument (the argument's default when not given, a
// variable's value when one is used), times maxHops+1 for path searches.
// Lists without a size argument are bounded by their parent and count once.
// Depth ignores introspection fields (__schema, __type), which the schema
// itself bounds.
//
// MaxRepeat bounds how many fields may answer to the same response name in
// one selection set, fragments expanded: the validator compares such fields
// pairwise (OverlappingFieldsCanBeMerged), which took 2s for 1,200 copies of
// one field in a 27 KB query. Distinct aliases are cheap and not limited.
// A zero limit is not enforced.
type Limits struct {
	MaxCost, MaxDepth, MaxTokens, MaxRepeat int
	// Cache, when set, keeps parsed documents by query text, so that a
	// repeated query is parsed once.
	Cache  graphql.Cache[*ast.QueryDocument]
	schema *ast.Schema
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = &Limits{}

// ExtensionName implements graphql.HandlerExtension.
func (*Limits) ExtensionName() string { return "Limits" }

// Validate implements graphql.HandlerExtension; it keeps the schema, whose
// argument defaults the cost analysis reads.
func (l *Limits) Validate(es graphql.ExecutableSchema) error {
	l.schema = es.Schema()
	return nil
}

// MutateOperationParameters implements graphql.OperationParameterMutator.
func (l *Limits) MutateOperationParameters(ctx context.Context, p *graphql.RawParams) *gqlerror.Error {
	var doc *ast.QueryDocument
	if l.Cache != nil {
		doc, _ = l.Cache.Get(ctx, p.Query)
	}
	if doc == nil {
		var err error
		doc, err = parser.ParseQueryWithTokenLimit(&ast.Source{Input: p.Query}, l.MaxTokens)
		if err != nil {
			if l.MaxTokens > 0 && strings.Contains(err.Error(), "token limit") {
				return limitError("the query has more than %d tokens: split it into several smaller queries", l.MaxTokens)
			}
			// gqlgen parses again and reports the syntax error with its position.
			return nil
		}
		if l.Cache != nil {
			l.Cache.Add(ctx, p.Query, doc)
		}
	}
	s := Analyse(l.schema, doc, p.Variables)
	if l.MaxDepth > 0 && s.Depth > l.MaxDepth {
		return limitError("the query is nested %d levels deep; at most %d allowed: split it into several queries", s.Depth, l.MaxDepth)
	}
	if l.MaxRepeat > 0 && s.Repeat > l.MaxRepeat {
		return limitError("%d fields answer to the name %q in one selection (fragments included); at most %d allowed: give them distinct aliases or select the field once",
			s.Repeat, s.Name, l.MaxRepeat)
	}
	if l.MaxCost > 0 && s.Cost > l.MaxCost {
		largest := ""
		if s.Page != "" {
			largest = "; the largest page asked for is " + s.Page
		}
		return limitError("the query costs %s; at most %d allowed (a list field costs its first or limit times what it selects%s): ask for smaller pages, fewer fields or fewer hops, or split the query",
			costText(s.Cost), l.MaxCost, largest)
	}
	return nil
}

func costText(c int) string {
	if c >= costCap {
		return "more than " + strconv.Itoa(costCap)
	}
	return strconv.Itoa(c)
}

func limitError(format string, args ...any) *gqlerror.Error {
	err := gqlerror.Errorf(format, args...)
	err.Extensions = map[string]any{"code": kg.CodeLimit}
	return err
}

// costCap bounds every intermediate cost so that arithmetic cannot overflow.
const costCap = 1 << 40

func satAdd(a, b int) int { return min(a+b, costCap) }

func satMul(a, b int) int {
	if a == 0 || b == 0 {
		return 0
	}
	if a >= costCap/b {
		return costCap
	}
	return a * b
}

// Shape is what the analysis measures of one operation.
type Shape struct {
	// Cost is the operation's cost (see Limits).
	Cost int
	// Depth is its deepest nesting of fields, introspection excluded.
	Depth int
	// Repeat is the most fields that answer to one response name in one
	// selection set, fragments expanded; Name is that name.
	Repeat int
	Name   string
	// Page names the list field asking for the largest page (its first or
	// limit), such as "entities(first: 500)", for the cost error; "" if none.
	Page string
}

// Analyse measures doc (see Limits), visiting each fragment definition once.
// Every operation and fragment counts, not just the one that will run: the
// validator checks them all. Cost and depth are the largest of any
// operation. Unknown fields and types count as leaves: validation rejects
// them afterwards. Fragment cycles count nothing; the validator rejects them
// too.
func Analyse(schema *ast.Schema, doc *ast.QueryDocument, vars map[string]any) Shape {
	a := &analysis{schema: schema, doc: doc, vars: vars, memo: map[string]level{}, visiting: map[string]bool{}}
	var out Shape
	for _, op := range doc.Operations {
		a.op = op
		var root *ast.Definition
		if schema != nil {
			switch op.Operation {
			case ast.Mutation:
				root = schema.Mutation
			case ast.Subscription:
				root = schema.Subscription
			default:
				root = schema.Query
			}
		}
		l := a.selections(root, op.SelectionSet)
		a.noteRepeats(l.names)
		out.Cost = max(out.Cost, l.cost)
		out.Depth = max(out.Depth, l.depth)
	}
	a.op = nil
	for _, f := range doc.Fragments {
		a.noteRepeats(a.spread(f.Name).names)
	}
	out.Repeat, out.Name = a.repeat, a.repeatName
	if a.page.n > 0 {
		n := strconv.Itoa(a.page.n)
		if a.page.n >= maxArg {
			n += " or more"
		}
		out.Page = fmt.Sprintf("%s(%s: %s)", a.page.field, a.page.arg, n)
	}
	return out
}

type analysis struct {
	schema     *ast.Schema
	doc        *ast.QueryDocument
	op         *ast.OperationDefinition
	vars       map[string]any
	memo       map[string]level
	visiting   map[string]bool
	repeat     int
	repeatName string
	// page is the largest first or limit seen, and where.
	page struct {
		field, arg string
		n          int
	}
}

// level is the analysis of one selection set: its cost and depth, and how
// many of its fields answer to each response name.
type level struct {
	cost, depth int
	names       map[string]int
}

// maxCount caps name counts: beyond it the query is rejected anyway, and
// capping keeps merging cheap.
const maxCount = 1 << 20

func (l *level) add(o level) {
	l.cost = satAdd(l.cost, o.cost)
	l.depth = max(l.depth, o.depth)
	for n, c := range o.names {
		l.names[n] = min(l.names[n]+c, maxCount)
	}
}

func (a *analysis) noteRepeats(names map[string]int) {
	for n, c := range names {
		if c > a.repeat || (c == a.repeat && n < a.repeatName) {
			a.repeat, a.repeatName = c, n
		}
	}
}

func (a *analysis) typeNamed(name string) *ast.Definition {
	if a.schema == nil || name == "" {
		return nil
	}
	return a.schema.Types[name]
}

func (a *analysis) selections(parent *ast.Definition, ss ast.SelectionSet) level {
	l := level{names: map[string]int{}}
	for _, sel := range ss {
		switch s := sel.(type) {
		case *ast.Field:
			c, d := a.field(parent, s)
			l.add(level{cost: c, depth: d})
			name := s.Alias
			if name == "" {
				name = s.Name
			}
			l.names[name] = min(l.names[name]+1, maxCount)
		case *ast.InlineFragment:
			p := parent
			if s.TypeCondition != "" {
				p = a.typeNamed(s.TypeCondition)
			}
			l.add(a.selections(p, s.SelectionSet))
		case *ast.FragmentSpread:
			l.add(a.spread(s.Name))
		}
	}
	return l
}

func (a *analysis) spread(name string) level {
	if l, ok := a.memo[name]; ok {
		return l
	}
	def := a.doc.Fragments.ForName(name)
	if def == nil || a.visiting[name] {
		return level{}
	}
	a.visiting[name] = true
	l := a.selections(a.typeNamed(def.TypeCondition), def.SelectionSet)
	delete(a.visiting, name)
	a.memo[name] = l
	return l
}

func (a *analysis) field(parent *ast.Definition, f *ast.Field) (cost, depth int) {
	var def *ast.FieldDefinition
	if parent != nil {
		def = parent.Fields.ForName(f.Name)
	}
	var child *ast.Definition
	if def != nil {
		child = a.typeNamed(def.Type.Name())
	}
	sub := a.selections(child, f.SelectionSet)
	a.noteRepeats(sub.names)
	mult := 1
	for _, arg := range []string{"first", "limit"} {
		if n, ok := a.intArg(def, f, arg); ok && n > mult {
			mult = n
			if n > a.page.n {
				a.page.field, a.page.arg, a.page.n = f.Name, arg, n
			}
		}
	}
	if h, ok := a.intArg(def, f, "maxHops"); ok && h > 0 {
		mult = satMul(mult, h+1)
	}
	cost = satAdd(1, satMul(sub.cost, mult))
	if strings.HasPrefix(f.Name, "__") {
		return cost, 0
	}
	return cost, sub.depth + 1
}

// intArg is the value of an Int argument: given literally, through a
// variable, or by the schema's default. Values are clamped to [0, 1e6].
func (a *analysis) intArg(def *ast.FieldDefinition, f *ast.Field, name string) (int, bool) {
	if v := f.Arguments.ForName(name); v != nil && v.Value != nil {
		switch v.Value.Kind {
		case ast.IntValue:
			return clampInt(v.Value.Raw)
		case ast.Variable:
			if raw, ok := a.vars[v.Value.Raw]; ok {
				return clampAny(raw)
			}
			if vd := a.variable(v.Value.Raw); vd != nil && vd.DefaultValue != nil && vd.DefaultValue.Kind == ast.IntValue {
				return clampInt(vd.DefaultValue.Raw)
			}
		}
		// null or an invalid literal: the argument's default applies or validation fails.
	}
	if def != nil {
		if ad := def.Arguments.ForName(name); ad != nil && ad.DefaultValue != nil && ad.DefaultValue.Kind == ast.IntValue {
			return clampInt(ad.DefaultValue.Raw)
		}
	}
	return 0, false
}

// variable finds a variable's definition in the operation being analysed;
// fragments analysed on their own have none.
func (a *analysis) variable(name string) *ast.VariableDefinition {
	if a.op == nil {
		return nil
	}
	return a.op.VariableDefinitions.ForName(name)
}

const maxArg = 1_000_000

func clampInt(raw string) (int, bool) {
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange && !strings.HasPrefix(raw, "-") {
			return maxArg, true
		}
		return 0, false
	}
	return int(max(0, min(n, maxArg))), true
}

func clampAny(v any) (int, bool) {
	switch x := v.(type) {
	case int:
		return max(0, min(x, maxArg)), true
	case int64:
		return int(max(0, min(x, maxArg))), true
	case float64:
		if math.IsNaN(x) {
			return 0, false
		}
		return int(max(0, min(x, maxArg))), true
	case json.Number:
		return clampInt(x.String())
	case string:
		return clampInt(x)
	}
	return 0, false
}

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
