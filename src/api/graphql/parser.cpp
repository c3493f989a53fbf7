#include "api/graphql/parser.h"

#include "api/graphql/lexer.h"
#include "api/graphql/schema.h"

#include <fmt/format.h>

namespace halo::graphql {
namespace {

using ast::Selection;
using ast::Value;
using ast::ValueKind;

class Parser {
 public:
  Parser(std::string_view src, const ParseOptions& opts) : lexer_(src), opts_(opts) { advance(); }

  ast::Document document(std::shared_ptr<const std::string> source) {
    ast::Document doc;
    doc.source = std::move(source);
    if (tok_.kind == TokenKind::End) fail_unexpected();
    while (tok_.kind != TokenKind::End) definition(doc);
    return doc;
  }

 private:
  // --- token plumbing ---
  void advance() {
    tok_ = lexer_.next();
    if (lexer_.token_count() > opts_.max_tokens) {
      throw SyntaxError(
          fmt::format("Document contains more than {} tokens; parsing aborted.", opts_.max_tokens),
          tok_.loc);
    }
  }
  bool peek(TokenKind k) const { return tok_.kind == k; }
  bool peek_name(std::string_view name) const {
    return tok_.kind == TokenKind::Name && tok_.text == name;
  }
  bool skip(TokenKind k) {
    if (tok_.kind != k) return false;
    advance();
    return true;
  }
  [[noreturn]] void fail_unexpected() {
    std::string what =
        tok_.kind == TokenKind::Name || tok_.kind == TokenKind::Int || tok_.kind == TokenKind::Float
            ? fmt::format("{} \"{}\"", token_kind_name(tok_.kind), tok_.text)
            : std::string(token_kind_name(tok_.kind));
    throw SyntaxError("Syntax Error: Unexpected " + what + ".", tok_.loc);
  }
  [[noreturn]] void fail_expected(std::string_view expected) {
    std::string got =
        tok_.kind == TokenKind::Name || tok_.kind == TokenKind::Int || tok_.kind == TokenKind::Float
            ? fmt::format("{} \"{}\"", token_kind_name(tok_.kind), tok_.text)
            : std::string(token_kind_name(tok_.kind));
    throw SyntaxError(fmt::format("Syntax Error: Expected {}, found {}.", expected, got), tok_.loc);
  }
  void expect(TokenKind k) {
    if (tok_.kind != k) fail_expected(token_kind_name(k));
    advance();
  }
  std::string_view name() {
    if (tok_.kind != TokenKind::Name) fail_expected("Name");
    std::string_view n = tok_.text;
    advance();
    return n;
  }
  void expect_keyword(std::string_view kw) {
    if (!peek_name(kw)) fail_expected(fmt::format("\"{}\"", kw));
    advance();
  }

  // Every recursive construct takes a nesting guard.
  struct Nest {
    Parser& p;
    explicit Nest(Parser& parser) : p(parser) {
      if (++p.depth_ > p.opts_.max_nesting) {
        throw SyntaxError(
            fmt::format("Syntax Error: Document nests deeper than {} levels.", p.opts_.max_nesting),
            p.tok_.loc);
      }
    }
    ~Nest() { --p.depth_; }
  };

  // --- definitions ---
  void definition(ast::Document& doc) {
    if (peek(TokenKind::BraceL)) {
      ast::OperationDefinition op;
      op.loc = tok_.loc;
      op.selection_set = selection_set();
      doc.operations.push_back(std::move(op));
      return;
    }
    std::optional<std::string> description;
    Location desc_loc = tok_.loc;
    if (peek(TokenKind::String) || peek(TokenKind::BlockString)) {
      description = tok_.value;
      advance();
    }
    if (tok_.kind != TokenKind::Name) fail_unexpected();
    std::string_view kw = tok_.text;
    if (!description) {
      if (kw == "query" || kw == "mutation" || kw == "subscription") {
        doc.operations.push_back(operation_definition());
        return;
      }
      if (kw == "fragment") {
        doc.fragments.push_back(fragment_definition());
        doc.fragment_index.emplace(doc.fragments.back().name, doc.fragments.size() - 1);
        return;
      }
      if (kw == "extend") {
        type_system_extension(doc);
        return;
      }
    }
    Location loc = description ? desc_loc : tok_.loc;
    doc.type_system_locations.push_back(loc);
    if (kw == "schema") {
      advance();
      ast::SchemaDefinition s;
      s.loc = loc;
      s.description = std::move(description);
      s.directives = directives(true);
      root_operation_types(s, true);
      doc.schemas.push_back(std::move(s));
    } else if (kw == "directive") {
      doc.directives.push_back(directive_definition(loc, std::move(description)));
    } else if (kw == "scalar" || kw == "type" || kw == "interface" || kw == "union" ||
               kw == "enum" || kw == "input") {
      doc.types.push_back(type_definition(loc, std::move(description), false));
    } else {
      fail_unexpected();
    }
  }

  ast::OperationDefinition operation_definition() {
    ast::OperationDefinition op;
    op.loc = tok_.loc;
    op.operation = tok_.text == "query"      ? ast::OperationType::Query
                   : tok_.text == "mutation" ? ast::OperationType::Mutation
                                             : ast::OperationType::Subscription;
    advance();
    if (peek(TokenKind::Name)) op.name = name();
    if (skip(TokenKind::ParenL)) {
      do {
        ast::VariableDefinition v;
        v.loc = tok_.loc;
        expect(TokenKind::Dollar);
        v.name = name();
        expect(TokenKind::Colon);
        v.type = type();
        if (skip(TokenKind::Equals)) v.default_value = value(true);
        v.directives = directives(true);
        op.variables.push_back(std::move(v));
      } while (!skip(TokenKind::ParenR));
    }
    op.directives = directives(false);
    op.selection_set = selection_set();
    return op;
  }

  ast::FragmentDefinition fragment_definition() {
    ast::FragmentDefinition f;
    f.loc = tok_.loc;
    advance();
    if (peek_name("on")) fail_unexpected();
    f.name = name();
    expect_keyword("on");
    f.type_condition_loc = tok_.loc;
    f.type_condition = name();
    f.directives = directives(false);
    f.selection_set = selection_set();
    return f;
  }

  ast::SelectionSet selection_set() {
    Nest guard(*this);
    ast::SelectionSet set;
    set.loc = tok_.loc;
    expect(TokenKind::BraceL);
    do {
      set.selections.push_back(selection());
    } while (!skip(TokenKind::BraceR));
    return set;
  }

  Selection selection() {
    Selection s;
    s.loc = tok_.loc;
    if (skip(TokenKind::Spread)) {
      if (peek(TokenKind::Name) && tok_.text != "on") {
        s.kind = Selection::Kind::FragmentSpread;
        s.name = name();
        s.directives = directives(false);
        return s;
      }
      s.kind = Selection::Kind::InlineFragment;
      if (peek_name("on")) {
        advance();
        s.type_condition = name();
      }
      s.directives = directives(false);
      s.selection_set = selection_set();
      return s;
    }
    s.kind = Selection::Kind::Field;
    std::string_view first = name();
    if (skip(TokenKind::Colon)) {
      s.alias = first;
      s.name = name();
    } else {
      s.name = first;
    }
    s.arguments = arguments(false);
    s.directives = directives(false);
    if (peek(TokenKind::BraceL)) s.selection_set = selection_set();
    return s;
  }

  std::vector<ast::Argument> arguments(bool is_const) {
    std::vector<ast::Argument> args;
    if (!skip(TokenKind::ParenL)) return args;
    do {
      ast::Argument a;
      a.loc = tok_.loc;
      a.name = name();
      expect(TokenKind::Colon);
      a.value = value(is_const);
      args.push_back(std::move(a));
    } while (!skip(TokenKind::ParenR));
    return args;
  }

  std::vector<ast::Directive> directives(bool is_const) {
    std::vector<ast::Directive> out;
    while (peek(TokenKind::At)) {
      ast::Directive d;
      d.loc = tok_.loc;
      advance();
      d.name = name();
      d.arguments = arguments(is_const);
      out.push_back(std::move(d));
    }
    return out;
  }

  Value value(bool is_const) {
    Value v;
    v.loc = tok_.loc;
    switch (tok_.kind) {
      case TokenKind::BracketL: {
        Nest guard(*this);
        v.kind = ValueKind::List;
        advance();
        while (!skip(TokenKind::BracketR)) v.list.push_back(value(is_const));
        return v;
      }
      case TokenKind::BraceL: {
        Nest guard(*this);
        v.kind = ValueKind::Object;
        advance();
        while (!skip(TokenKind::BraceR)) {
          ast::ObjectField f;
          f.loc = tok_.loc;
          f.name = name();
          expect(TokenKind::Colon);
          f.value = value(is_const);
          v.fields.push_back(std::move(f));
        }
        return v;
      }
      case TokenKind::Int:
        v.kind = ValueKind::Int;
        v.text = tok_.text;
        advance();
        return v;
      case TokenKind::Float:
        v.kind = ValueKind::Float;
        v.text = tok_.text;
        advance();
        return v;
      case TokenKind::String:
      case TokenKind::BlockString:
        v.kind = ValueKind::String;
        v.block = tok_.kind == TokenKind::BlockString;
        v.string = std::move(tok_.value);
        advance();
        return v;
      case TokenKind::Name:
        v.text = tok_.text;
        if (tok_.text == "true" || tok_.text == "false") {
          v.kind = ValueKind::Boolean;
        } else if (tok_.text == "null") {
          v.kind = ValueKind::Null;
        } else {
          v.kind = ValueKind::Enum;
        }
        advance();
        return v;
      case TokenKind::Dollar:
        if (is_const) {
          throw SyntaxError("Syntax Error: Unexpected variable in a constant value.", tok_.loc);
        }
        advance();
        v.kind = ValueKind::Variable;
        v.text = name();
        return v;
      default:
        fail_unexpected();
    }
  }

  ast::Type type() {
    Nest guard(*this);
    ast::Type t;
    t.loc = tok_.loc;
    if (skip(TokenKind::BracketL)) {
      t.kind = ast::Type::Kind::List;
      t.of = std::make_unique<ast::Type>(type());
      expect(TokenKind::BracketR);
    } else {
      t.kind = ast::Type::Kind::Named;
      t.name = name();
    }
    if (peek(TokenKind::Bang)) {
      advance();
      ast::Type outer;
      outer.kind = ast::Type::Kind::NonNull;
      outer.loc = t.loc;
      outer.of = std::make_unique<ast::Type>(std::move(t));
      return outer;
    }
    return t;
  }

  // --- type system ---
  std::optional<std::string> description() {
    if (!peek(TokenKind::String) && !peek(TokenKind::BlockString)) return std::nullopt;
    std::string d = std::move(tok_.value);
    advance();
    return d;
  }

  void root_operation_types(ast::SchemaDefinition& s, bool required) {
    if (!peek(TokenKind::BraceL)) {
      if (required) fail_expected("\"{\"");
      return;
    }
    advance();
    do {
      ast::RootOperationType r;
      r.loc = tok_.loc;
      std::string_view op = name();
      if (op == "query") {
        r.operation = ast::OperationType::Query;
      } else if (op == "mutation") {
        r.operation = ast::OperationType::Mutation;
      } else if (op == "subscription") {
        r.operation = ast::OperationType::Subscription;
      } else {
        throw SyntaxError(fmt::format("Syntax Error: Unexpected Name \"{}\".", op), r.loc);
      }
      expect(TokenKind::Colon);
      r.type = name();
      s.operations.push_back(r);
    } while (!skip(TokenKind::BraceR));
  }

  ast::InputValueDefinition input_value_definition() {
    ast::InputValueDefinition v;
    v.description = description();
    v.loc = tok_.loc;
    v.name = name();
    expect(TokenKind::Colon);
    v.type = type();
    if (skip(TokenKind::Equals)) v.default_value = value(true);
    v.directives = directives(true);
    return v;
  }

  std::vector<ast::InputValueDefinition> argument_definitions() {
    std::vector<ast::InputValueDefinition> out;
    if (!skip(TokenKind::ParenL)) return out;
    do {
      out.push_back(input_value_definition());
    } while (!skip(TokenKind::ParenR));
    return out;
  }

  ast::DirectiveDefinition directive_definition(Location loc, std::optional<std::string> desc) {
    ast::DirectiveDefinition d;
    d.loc = loc;
    d.description = std::move(desc);
    advance();  // "directive"
    expect(TokenKind::At);
    d.name = name();
    d.arguments = argument_definitions();
    if (peek_name("repeatable")) {
      advance();
      d.repeatable = true;
    }
    expect_keyword("on");
    skip(TokenKind::Pipe);
    do {
      Location at = tok_.loc;
      std::string_view l = name();
      if (!is_directive_location(l)) {
        throw SyntaxError(fmt::format("Syntax Error: Unexpected Name \"{}\".", l), at);
      }
      d.locations.push_back({l, at});
    } while (skip(TokenKind::Pipe));
    return d;
  }

  // One list of locations: the schema's (directive_location_name / parse_directive_location).
  static bool is_directive_location(std::string_view l) {
    return parse_directive_location(l).has_value();
  }

  ast::TypeDefinition type_definition(Location loc, std::optional<std::string> desc,
                                      bool extension) {
    using K = ast::TypeDefinitionKind;
    ast::TypeDefinition t;
    t.loc = loc;
    t.extension = extension;
    t.description = std::move(desc);
    std::string_view kw = tok_.text;
    advance();
    t.name = name();
    bool has_body = false;
    if (kw == "scalar") {
      t.kind = K::Scalar;
      t.directives = directives(true);
      has_body = !t.directives.empty();
    } else if (kw == "type" || kw == "interface") {
      t.kind = kw == "type" ? K::Object : K::Interface;
      if (peek_name("implements")) {
        advance();
        skip(TokenKind::Amp);
        do {
          Location at = tok_.loc;
          t.interfaces.push_back({name(), at});
        } while (skip(TokenKind::Amp));
        has_body = true;
      }
      t.directives = directives(true);
      has_body = has_body || !t.directives.empty();
      if (skip(TokenKind::BraceL)) {
        has_body = true;
        do {
          ast::FieldDefinition f;
          f.description = description();
          f.loc = tok_.loc;
          f.name = name();
          f.arguments = argument_definitions();
          expect(TokenKind::Colon);
          f.type = type();
          f.directives = directives(true);
          t.fields.push_back(std::move(f));
        } while (!skip(TokenKind::BraceR));
      }
    } else if (kw == "union") {
      t.kind = K::Union;
      t.directives = directives(true);
      has_body = !t.directives.empty();
      if (skip(TokenKind::Equals)) {
        has_body = true;
        skip(TokenKind::Pipe);
        do {
          Location at = tok_.loc;
          t.members.push_back({name(), at});
        } while (skip(TokenKind::Pipe));
      }
    } else if (kw == "enum") {
      t.kind = K::Enum;
      t.directives = directives(true);
      has_body = !t.directives.empty();
      if (skip(TokenKind::BraceL)) {
        has_body = true;
        do {
          ast::EnumValueDefinition v;
          v.description = description();
          v.loc = tok_.loc;
          if (peek_name("true") || peek_name("false") || peek_name("null")) fail_unexpected();
          v.name = name();
          v.directives = directives(true);
          t.values.push_back(std::move(v));
        } while (!skip(TokenKind::BraceR));
      }
    } else {  // input
      t.kind = K::InputObject;
      t.directives = directives(true);
      has_body = !t.directives.empty();
      if (skip(TokenKind::BraceL)) {
        has_body = true;
        do {
          t.input_fields.push_back(input_value_definition());
        } while (!skip(TokenKind::BraceR));
      }
    }
    // An extension must add something (spec 3.4.3 and friends).
    if (extension && !has_body) fail_unexpected();
    return t;
  }

  void type_system_extension(ast::Document& doc) {
    Location loc = tok_.loc;
    advance();  // "extend"
    doc.type_system_locations.push_back(loc);
    if (peek_name("schema")) {
      advance();
      ast::SchemaDefinition s;
      s.extension = true;
      s.loc = loc;
      s.directives = directives(true);
      root_operation_types(s, s.directives.empty());
      doc.schemas.push_back(std::move(s));
      return;
    }
    if (peek_name("scalar") || peek_name("type") || peek_name("interface") || peek_name("union") ||
        peek_name("enum") || peek_name("input")) {
      doc.types.push_back(type_definition(loc, std::nullopt, true));
      return;
    }
    fail_unexpected();
  }

  Lexer lexer_;
  const ParseOptions& opts_;
  Token tok_;
  size_t depth_ = 0;
};

}  // namespace

ParseResult parse(std::string source, const ParseOptions& options) {
  ParseResult result;
  if (source.size() > options.max_bytes) {
    result.error = Error{fmt::format("Document is {} bytes long; the limit is {}.", source.size(),
                                     options.max_bytes),
                         {},
                         nullptr};
    return result;
  }
  auto shared = std::make_shared<const std::string>(std::move(source));
  try {
    Parser p(*shared, options);
    result.document = p.document(shared);
  } catch (const SyntaxError& e) {
    result.error = Error{e.what(), {e.location}, nullptr};
  }
  return result;
}

}  // namespace halo::graphql
