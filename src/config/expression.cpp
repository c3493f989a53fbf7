#include "config/expression.h"

#include <cctype>
#include <vector>

#include <fmt/format.h>

#include "config/logic.h"
#include "config/regex.h"

namespace halo::config {

namespace {

enum class Tok { End, Int, Str, Bool, Pattern, Ident, Op, LParen, RParen };

struct Token {
  Tok kind = Tok::End;
  std::string text;
  int64_t number = 0;
};

// Expressions are short; deeper nesting than this is hostile.
constexpr int kMaxDepth = 64;

class Parser {
 public:
  Parser(std::string_view src, const Scope* scope) : src_(src), scope_(scope) { next(); }

  // Parses (and, with a scope, evaluates) the whole text.
  std::optional<json> run(std::string& error) {
    auto v = parse_or(0);
    if (v && tok_.kind != Tok::End) fail(fmt::format("unexpected \"{}\"", tok_.text));
    if (!error_.empty()) {
      error = error_;
      return std::nullopt;
    }
    return v;
  }
  bool used_operator_or_literal() const { return operators_ > 0 || literals_ > 0; }
  int variables() const { return variables_; }

 private:
  void fail(std::string why) {
    if (error_.empty()) error_ = std::move(why);
  }

  void next() {
    while (pos_ < src_.size() && std::isspace(static_cast<unsigned char>(src_[pos_]))) ++pos_;
    tok_ = Token{};
    if (pos_ >= src_.size()) return;
    char c = src_[pos_];
    auto starts = [&](std::string_view w) { return src_.substr(pos_, w.size()) == w; };
    if (c == '(' || c == ')') {
      tok_.kind = c == '(' ? Tok::LParen : Tok::RParen;
      tok_.text = std::string(1, c);
      ++pos_;
      return;
    }
    for (std::string_view op : {"==", "!=", ">=", "<=", ">", "<", "!"}) {
      if (starts(op)) {
        tok_.kind = Tok::Op;
        tok_.text = std::string(op);
        pos_ += op.size();
        return;
      }
    }
    if (std::isdigit(static_cast<unsigned char>(c)) ||
        (c == '-' && pos_ + 1 < src_.size() &&
         std::isdigit(static_cast<unsigned char>(src_[pos_ + 1])))) {
      size_t start = pos_++;
      while (pos_ < src_.size() && std::isdigit(static_cast<unsigned char>(src_[pos_]))) ++pos_;
      tok_.text = std::string(src_.substr(start, pos_ - start));
      auto n = parse_int(tok_.text);
      if (!n) fail(fmt::format("{} is not a 64-bit integer", tok_.text));
      tok_.kind = Tok::Int;
      tok_.number = n.value_or(0);
      return;
    }
    if (c == '"' || c == '/') {
      char quote = c;
      std::string out;
      ++pos_;
      while (pos_ < src_.size() && src_[pos_] != quote) {
        if (src_[pos_] == '\\' && pos_ + 1 < src_.size()) {
          char e = src_[pos_ + 1];
          // In patterns every escape is the regex's own, except the delimiter.
          if (quote == '"' || e == '/') {
            out += e;
          } else {
            out += '\\';
            out += e;
          }
          pos_ += 2;
          continue;
        }
        out += src_[pos_++];
      }
      if (pos_ >= src_.size()) {
        fail(quote == '"' ? "unterminated string" : "unterminated pattern");
        tok_.kind = Tok::End;
        return;
      }
      ++pos_;
      tok_.kind = quote == '"' ? Tok::Str : Tok::Pattern;
      tok_.text = std::move(out);
      return;
    }
    if (std::isalpha(static_cast<unsigned char>(c))) {
      size_t start = pos_;
      while (pos_ < src_.size()) {
        char d = src_[pos_];
        if (std::isalnum(static_cast<unsigned char>(d)) || d == '_' || d == '-' || d == '.') {
          ++pos_;
        } else {
          break;
        }
      }
      tok_.text = std::string(src_.substr(start, pos_ - start));
      if (tok_.text == "true" || tok_.text == "false") {
        tok_.kind = Tok::Bool;
      } else if (tok_.text == "and" || tok_.text == "or" || tok_.text == "not" ||
                 tok_.text == "starts-with" || tok_.text == "matches" || tok_.text == "contains") {
        tok_.kind = Tok::Op;
      } else {
        tok_.kind = Tok::Ident;
      }
      return;
    }
    fail(fmt::format("unexpected character '{}'", c));
    pos_ = src_.size();
  }

  bool is_op(std::string_view op) const { return tok_.kind == Tok::Op && tok_.text == op; }

  // Undefined (a null variable) is represented by a discarded json value.
  static json undefined() { return json(json::value_t::discarded); }
  static bool is_undefined(const json& v) { return v.is_discarded(); }
  static bool truth(const json& v) { return !is_undefined(v) && truthy(v); }

  std::optional<json> parse_or(int depth) {
    auto left = parse_and(depth);
    while (left && is_op("or")) {
      ++operators_;
      next();
      auto right = parse_and(depth);
      if (!right) return std::nullopt;
      left = truth(*left) ? *left : *right;
    }
    return left;
  }

  std::optional<json> parse_and(int depth) {
    auto left = parse_cmp(depth);
    while (left && is_op("and")) {
      ++operators_;
      next();
      auto right = parse_cmp(depth);
      if (!right) return std::nullopt;
      left = truth(*left) ? *right : *left;
    }
    return left;
  }

  std::optional<json> parse_cmp(int depth) {
    auto left = parse_rel(depth);
    while (left && (is_op("==") || is_op("!=") || is_op("starts-with") || is_op("matches") ||
                    is_op("contains"))) {
      std::string op = tok_.text;
      ++operators_;
      next();
      if (op == "matches") {
        if (tok_.kind != Tok::Pattern) {
          fail("matches takes a /pattern/");
          return std::nullopt;
        }
        std::string why;
        auto re = compile_regex(tok_.text, why);
        if (!re) {
          fail(fmt::format("invalid pattern /{}/: {}", tok_.text, why));
          return std::nullopt;
        }
        next();
        if (is_undefined(*left) || !left->is_string()) {
          left = is_undefined(*left) ? undefined() : json(false);
        } else {
          left = json(full_match(*re, left->get<std::string>()));
        }
        continue;
      }
      auto right = parse_rel(depth);
      if (!right) return std::nullopt;
      if (is_undefined(*left) || is_undefined(*right)) {
        left = undefined();
      } else if (op == "==" || op == "!=") {
        // Mixed types are never equal.
        bool eq = left->type() == right->type() && *left == *right;
        left = json(op == "==" ? eq : !eq);
      } else if (!left->is_string() || !right->is_string()) {
        left = json(false);
      } else {
        const std::string& l = left->get_ref<const std::string&>();
        const std::string& r = right->get_ref<const std::string&>();
        left = json(op == "starts-with" ? l.rfind(r, 0) == 0 : l.find(r) != std::string::npos);
      }
    }
    return left;
  }

  std::optional<json> parse_rel(int depth) {
    auto left = parse_unary(depth);
    while (left && (is_op(">=") || is_op(">") || is_op("<=") || is_op("<"))) {
      std::string op = tok_.text;
      ++operators_;
      next();
      auto right = parse_unary(depth);
      if (!right) return std::nullopt;
      if (is_undefined(*left) || is_undefined(*right)) {
        left = undefined();
        continue;
      }
      if (!left->is_number_integer() || !right->is_number_integer()) {
        fail(fmt::format("{} compares numbers only", op));
        return std::nullopt;
      }
      int64_t l = left->get<int64_t>(), r = right->get<int64_t>();
      bool v = op == ">=" ? l >= r : op == ">" ? l > r : op == "<=" ? l <= r : l < r;
      left = json(v);
    }
    return left;
  }

  std::optional<json> parse_unary(int depth) {
    if (depth > kMaxDepth) {
      fail("the expression is nested too deeply");
      return std::nullopt;
    }
    if (is_op("not") || is_op("!")) {
      ++operators_;
      next();
      auto v = parse_unary(depth + 1);
      if (!v) return std::nullopt;
      // `not undefined` is true.
      return json(!truth(*v));
    }
    return parse_primary(depth);
  }

  std::optional<json> parse_primary(int depth) {
    Token t = tok_;
    switch (t.kind) {
      case Tok::LParen: {
        next();
        auto v = parse_or(depth + 1);
        if (!v) return std::nullopt;
        if (tok_.kind != Tok::RParen) {
          fail("missing )");
          return std::nullopt;
        }
        next();
        return v;
      }
      case Tok::Int:
        ++literals_;
        next();
        return json(t.number);
      case Tok::Str:
        ++literals_;
        next();
        return json(t.text);
      case Tok::Bool:
        ++literals_;
        next();
        return json(t.text == "true");
      case Tok::Ident:
        ++variables_;
        next();
        return variable(t.text);
      case Tok::End:
        fail("the expression ends too early");
        return std::nullopt;
      default:
        fail(fmt::format("unexpected \"{}\"", t.text));
        return std::nullopt;
    }
  }

  std::optional<json> variable(const std::string& name) {
    if (name.find("..") != std::string::npos || name.back() == '.') {
      fail(fmt::format("invalid variable name {}", name));
      return std::nullopt;
    }
    bool known_namespace = name.rfind("pipeline.", 0) == 0 || name.rfind("parameters.", 0) == 0 ||
                           name.rfind("matrix.", 0) == 0;
    if (!known_namespace) {
      fail(fmt::format("unknown variable {}", name));
      return std::nullopt;
    }
    if (scope_ == nullptr) return undefined();  // parsing only
    Diagnostics scratch;
    At nowhere;
    json v = substitute("<< " + name + " >>", *scope_, scratch, nowhere);
    if (scratch.count() > 0) {
      fail(scratch.errors().front().message);
      return std::nullopt;
    }
    // Unset pipeline values come back as "": treat those as undefined (null) values.
    if (v.is_string() && v.get_ref<const std::string&>().empty() &&
        name.rfind("pipeline.", 0) == 0 && name.rfind("pipeline.parameters.", 0) != 0) {
      return undefined();
    }
    return v;
  }

  std::string_view src_;
  const Scope* scope_;
  size_t pos_ = 0;
  Token tok_;
  std::string error_;
  int operators_ = 0;
  int literals_ = 0;
  int variables_ = 0;
};

}  // namespace

std::optional<json> evaluate_expression(std::string_view text, const Scope& scope,
                                        std::string& error) {
  Parser p(text, &scope);
  auto v = p.run(error);
  if (!v) return std::nullopt;
  if (v->is_discarded()) return json(nullptr);
  return v;
}

bool is_expression(std::string_view text) {
  Parser p(text, nullptr);
  std::string error;
  auto v = p.run(error);
  return v.has_value() && p.used_operator_or_literal() && p.variables() > 0;
}

bool is_bare_expression(std::string_view text) {
  Parser p(text, nullptr);
  std::string error;
  auto v = p.run(error);
  return v.has_value() && p.variables() > 0;
}

std::optional<json> expression_value(std::string_view text, const Scope& scope, Diagnostics& diag,
                                     const At& at) {
  std::string error;
  auto v = evaluate_expression(text, scope, error);
  if (!v) diag.error(at, fmt::format("invalid expression \"{}\": {}", text, error));
  return v;
}

}  // namespace halo::config
