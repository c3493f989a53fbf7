// Spec 2 (executable documents) and 3 (type-system documents): the parser's tree and its errors.
#include "graphql_test_util.h"

using namespace halo::graphql;
using namespace halo::graphql::testing;

namespace {

std::string parse_error(const std::string& text, const ParseOptions& options = {}) {
  auto r = parse(text, options);
  if (r.ok()) return "no error";
  const auto& l = r.error->locations;
  return (l.empty() ? std::string()
                    : std::to_string(l[0].line) + ":" + std::to_string(l[0].column) + " ") +
         r.error->message;
}

}  // namespace

TEST(Parser, ReadsAnOperationWithEveryKindOfSelection) {
  auto doc = parse_ok(R"(
query Q($id: ID!, $n: [Int!] = [1, 2] @dir) @op {
  alias: field(arg: $id, list: [1, "two", THREE, null, true], obj: {a: 1.5, b: {c: $n}}) @include(if: true) {
    ...Frag @skip(if: false)
    ... on Dog { name }
    ... @include(if: true) { id }
  }
}
fragment Frag on Thing { x }
)");
  ASSERT_EQ(doc.operations.size(), 1u);
  const auto& op = doc.operations[0];
  EXPECT_EQ(op.name, "Q");
  EXPECT_EQ(op.loc, (Location{2, 1}));
  ASSERT_EQ(op.variables.size(), 2u);
  EXPECT_EQ(op.variables[0].type.kind, ast::Type::Kind::NonNull);
  EXPECT_EQ(op.variables[0].type.of->name, "ID");
  EXPECT_EQ(op.variables[1].type.kind, ast::Type::Kind::List);
  ASSERT_TRUE(op.variables[1].default_value);
  EXPECT_EQ(op.variables[1].default_value->list.size(), 2u);
  EXPECT_EQ(op.variables[1].directives[0].name, "dir");
  EXPECT_EQ(op.directives[0].name, "op");
  const auto& field = op.selection_set.selections[0];
  EXPECT_EQ(field.alias, "alias");
  EXPECT_EQ(field.name, "field");
  EXPECT_EQ(field.response_key(), "alias");
  EXPECT_EQ(field.loc, (Location{3, 3}));
  ASSERT_EQ(field.arguments.size(), 3u);
  EXPECT_EQ(field.arguments[0].value.kind, ast::ValueKind::Variable);
  const auto& list = field.arguments[1].value.list;
  ASSERT_EQ(list.size(), 5u);
  EXPECT_EQ(list[0].kind, ast::ValueKind::Int);
  EXPECT_EQ(list[1].string, "two");
  EXPECT_EQ(list[2].kind, ast::ValueKind::Enum);
  EXPECT_EQ(list[3].kind, ast::ValueKind::Null);
  EXPECT_EQ(list[4].kind, ast::ValueKind::Boolean);
  EXPECT_EQ(field.arguments[2].value.fields[1].value.fields[0].value.kind,
            ast::ValueKind::Variable);
  const auto& sels = field.selection_set.selections;
  ASSERT_EQ(sels.size(), 3u);
  EXPECT_EQ(sels[0].kind, ast::Selection::Kind::FragmentSpread);
  EXPECT_EQ(sels[0].name, "Frag");
  EXPECT_EQ(sels[1].kind, ast::Selection::Kind::InlineFragment);
  EXPECT_EQ(sels[1].type_condition, "Dog");
  EXPECT_EQ(sels[2].kind, ast::Selection::Kind::InlineFragment);
  EXPECT_TRUE(sels[2].type_condition.empty());
  EXPECT_EQ(sels[2].directives[0].name, "include");
  ASSERT_EQ(doc.fragments.size(), 1u);
  EXPECT_EQ(doc.fragments[0].type_condition, "Thing");
  EXPECT_EQ(doc.fragments[0].loc, (Location{9, 1}));
}

TEST(Parser, ReadsTheShorthandQueryAndEveryOperationType) {
  auto doc = parse_ok("{ a } mutation M { b } subscription S { c }");
  ASSERT_EQ(doc.operations.size(), 3u);
  EXPECT_EQ(doc.operations[0].operation, ast::OperationType::Query);
  EXPECT_TRUE(doc.operations[0].name.empty());
  EXPECT_EQ(doc.operations[1].operation, ast::OperationType::Mutation);
  EXPECT_EQ(doc.operations[2].operation, ast::OperationType::Subscription);
}

TEST(Parser, KeywordsAreOrdinaryNamesInFields) {
  auto doc = parse_ok("{ query mutation fragment on: type(true: null) }");
  EXPECT_EQ(doc.operations[0].selection_set.selections.size(), 4u);
  EXPECT_EQ(doc.operations[0].selection_set.selections[3].alias, "on");
}

TEST(Parser, ReportsSyntaxErrorsWithTheirLocation) {
  EXPECT_EQ(parse_error(""), "1:1 Syntax Error: Unexpected <EOF>.");
  EXPECT_EQ(parse_error("{"), "1:2 Syntax Error: Expected Name, found <EOF>.");
  EXPECT_EQ(parse_error("{ a }\n{ b"), "2:4 Syntax Error: Expected Name, found <EOF>.");
  EXPECT_EQ(parse_error("query { a(x: ) }"), "1:14 Syntax Error: Unexpected \")\".");
  EXPECT_EQ(parse_error("{ ...on }"), "1:9 Syntax Error: Expected Name, found \"}\".");
  EXPECT_EQ(parse_error("fragment on on T { a }"), "1:10 Syntax Error: Unexpected Name \"on\".");
  EXPECT_EQ(parse_error("query Q($a: Int = $b) { a }"),
            "1:19 Syntax Error: Unexpected variable in a constant value.");
  EXPECT_EQ(parse_error("{ a }}"), "1:6 Syntax Error: Unexpected \"}\".");
  EXPECT_EQ(parse_error("notakeyword { a }"), "1:1 Syntax Error: Unexpected Name \"notakeyword\".");
  EXPECT_EQ(parse_error("{ a(x: 1 2) }"), "1:10 Syntax Error: Expected Name, found Int \"2\".");
}

TEST(Parser, RefusesDocumentsBeyondItsLimits) {
  ParseOptions small;
  small.max_bytes = 10;
  EXPECT_EQ(parse_error("{ aaaaaaaaaaaaaaaaa }", small),
            "Document is 21 bytes long; the limit is 10.");
  ParseOptions few;
  few.max_tokens = 5;
  EXPECT_NE(parse_error("{ a b c d e f }", few).find("more than 5 tokens"), std::string::npos);
  // Deep nesting is refused before it can exhaust the stack.
  std::string deep(100000, '[');
  EXPECT_NE(parse_error("{ a(x: " + deep + ") }").find("nests deeper than"), std::string::npos);
  std::string braces;
  for (int i = 0; i < 50000; ++i) braces += "{ a ";
  EXPECT_NE(parse_error(braces).find("nests deeper than"), std::string::npos);
}

TEST(Parser, ReadsTypeSystemDefinitionsWithDescriptions) {
  auto doc = parse_ok(R"(
"The schema" schema @d { query: Q mutation: M }
"""
A type
"""
type T implements & I & J @d {
  "a field" f(
    "an arg" a: Int = 1 @deprecated
    b: [String!]!
  ): String @deprecated(reason: "old")
}
interface I implements J { f: String }
union U = | A | B
enum E { "one" ONE TWO @deprecated }
input In { a: Int = 3, b: In2 }
scalar Long @specifiedBy(url: "https://example.com")
directive @d(x: Int) repeatable on OBJECT | FIELD_DEFINITION | SCHEMA
extend type T { g: Int }
extend schema @d
extend union U = C
extend enum E { THREE }
extend input In { c: Int }
extend scalar Long @d
extend interface I @d
)");
  ASSERT_EQ(doc.schemas.size(), 2u);
  EXPECT_EQ(*doc.schemas[0].description, "The schema");
  EXPECT_EQ(doc.schemas[0].operations.size(), 2u);
  EXPECT_TRUE(doc.schemas[1].extension);
  ASSERT_EQ(doc.types.size(), 12u);
  const auto& t = doc.types[0];
  EXPECT_EQ(*t.description, "A type");
  ASSERT_EQ(t.interfaces.size(), 2u);
  EXPECT_EQ(t.interfaces[0].name, "I");
  EXPECT_EQ(t.interfaces[1].name, "J");
  EXPECT_EQ(t.interfaces[1].loc, (Location{6, 25}));
  ASSERT_EQ(t.fields.size(), 1u);
  EXPECT_EQ(*t.fields[0].description, "a field");
  EXPECT_EQ(*t.fields[0].arguments[0].description, "an arg");
  EXPECT_EQ(t.fields[0].arguments[0].default_value->text, "1");
  EXPECT_EQ(t.fields[0].arguments[1].type.kind, ast::Type::Kind::NonNull);
  EXPECT_EQ(doc.types[1].interfaces[0].name, "J");
  ASSERT_EQ(doc.types[2].members.size(), 2u);
  EXPECT_EQ(doc.types[2].members[1].name, "B");
  EXPECT_EQ(doc.types[2].members[1].loc, (Location{13, 17}));
  EXPECT_EQ(*doc.types[3].values[0].description, "one");
  EXPECT_EQ(doc.types[4].input_fields.size(), 2u);
  ASSERT_EQ(doc.directives.size(), 1u);
  EXPECT_TRUE(doc.directives[0].repeatable);
  ASSERT_EQ(doc.directives[0].locations.size(), 3u);
  EXPECT_EQ(doc.directives[0].locations[2].name, "SCHEMA");
  EXPECT_TRUE(doc.types[6].extension);
  EXPECT_EQ(doc.type_system_locations.size(), 15u);
  EXPECT_EQ(doc.type_system_locations[0], (Location{2, 1}));
}

TEST(Parser, RefusesMalformedTypeSystemDefinitions) {
  EXPECT_EQ(parse_error("directive @d on NOWHERE"),
            "1:17 Syntax Error: Unexpected Name \"NOWHERE\".");
  EXPECT_EQ(parse_error("extend type T"), "1:14 Syntax Error: Unexpected <EOF>.");
  EXPECT_EQ(parse_error("enum E { true }"), "1:10 Syntax Error: Unexpected Name \"true\".");
  EXPECT_EQ(parse_error("\"desc\" query { a }"), "1:8 Syntax Error: Unexpected Name \"query\".");
  EXPECT_EQ(parse_error("type T { f(a: Int = $v): Int }"),
            "1:21 Syntax Error: Unexpected variable in a constant value.");
}

TEST(Parser, ValueHelpersPrintAndCompareLiterals) {
  auto doc = parse_ok(
      R"({ a(x: {b: [1, "s\n", E, null, $v]}) b(x: {b: [1, "s\n", E, null, $v]}) c(x: {b: 1}) })");
  const auto& sels = doc.operations[0].selection_set.selections;
  EXPECT_EQ(ast::to_source(sels[0].arguments[0].value), R"({b: [1, "s\n", E, null, $v]})");
  EXPECT_TRUE(ast::same_value(sels[0].arguments[0].value, sels[1].arguments[0].value));
  EXPECT_FALSE(ast::same_value(sels[0].arguments[0].value, sels[2].arguments[0].value));
}
