#include "api/graphql/limits.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace halo::graphql {

ParseOptions Limits::parse_options() const {
  ParseOptions o;
  o.max_bytes = max_document_bytes;
  o.max_tokens = max_tokens;
  // Textual nesting deeper than the depth limit can never pass it; refusing it while parsing
  // also bounds the parser's recursion. List and object literals get some room of their own.
  o.max_nesting = max_depth + 32;
  return o;
}

namespace {

// Saturating arithmetic: the measures stop growing past the limits instead of overflowing.
constexpr uint64_t cap = uint64_t(1) << 48;
uint64_t add(uint64_t a, uint64_t b) {
  return std::min(cap, a + b);
}
uint64_t mul(uint64_t a, uint64_t b) {
  return b == 0 ? 0 : (a > cap / b ? cap : a * b);
}

struct Measure {
  uint64_t depth = 0;   // deepest field nesting
  uint64_t fields = 0;  // field selections, spreads expanded
  uint64_t cost = 0;
};

class Measurer {
 public:
  Measurer(const ast::Document& doc, const Json& variables) : doc_(doc), variables_(variables) {}

  Measure selection_set(const ast::SelectionSet& set) {
    Measure m;
    for (const auto& sel : set.selections) {
      switch (sel.kind) {
        case ast::Selection::Kind::Field: {
          Measure sub = selection_set(sel.selection_set);
          m.depth = std::max(m.depth, sub.depth + 1);
          m.fields = add(m.fields, add(1, sub.fields));
          m.cost = add(m.cost, add(1, mul(sub.cost, multiplier(sel))));
          break;
        }
        case ast::Selection::Kind::InlineFragment:
          merge(m, selection_set(sel.selection_set));
          break;
        case ast::Selection::Kind::FragmentSpread:
          merge(m, fragment(sel.name));
          break;
      }
    }
    return m;
  }

 private:
  static void merge(Measure& into, const Measure& m) {
    into.depth = std::max(into.depth, m.depth);
    into.fields = add(into.fields, m.fields);
    into.cost = add(into.cost, m.cost);
  }

  // Each fragment is measured once; a spread inside its own expansion (a cycle, which
  // validation reports) counts as empty.
  Measure fragment(std::string_view name) {
    auto it = memo_.find(name);
    if (it != memo_.end()) return it->second;
    const ast::FragmentDefinition* f = doc_.fragment(name);
    memo_[name] = Measure{};
    if (!f) return {};
    Measure m = selection_set(f->selection_set);
    memo_[name] = m;
    return m;
  }

  uint64_t multiplier(const ast::Selection& field) const {
    for (const auto& a : field.arguments) {
      if (a.name != "first" && a.name != "last") continue;
      const ast::Value& v = a.value;
      if (v.kind == ast::ValueKind::Int) {
        long long n = std::strtoll(std::string(v.text).c_str(), nullptr, 10);
        return n > 0 ? uint64_t(n) : 1;
      }
      if (v.kind == ast::ValueKind::Variable && variables_.is_object()) {
        auto it = variables_.find(v.text);
        if (it != variables_.end() && it->is_number_integer() && it->get<int64_t>() > 0) {
          return it->get<uint64_t>();
        }
      }
    }
    return 1;
  }

  const ast::Document& doc_;
  const Json& variables_;
  std::map<std::string_view, Measure> memo_;
};

size_t count_aliases(const ast::SelectionSet& set) {
  size_t n = 0;
  for (const auto& sel : set.selections) {
    if (!sel.alias.empty()) ++n;
    n += count_aliases(sel.selection_set);
  }
  return n;
}

}  // namespace

std::vector<Error> check_limits(const ast::Document& doc, const Limits& limits,
                                const Json& variables) {
  std::vector<Error> errors;
  size_t aliases = 0;
  for (const auto& op : doc.operations) aliases += count_aliases(op.selection_set);
  for (const auto& f : doc.fragments) aliases += count_aliases(f.selection_set);
  if (aliases > limits.max_aliases) {
    errors.push_back(Error{
        fmt::format("Document uses {} aliases; the limit is {}.", aliases, limits.max_aliases),
        {},
        nullptr});
  }
  Measurer measurer(doc, variables);
  for (const auto& op : doc.operations) {
    Measure m = measurer.selection_set(op.selection_set);
    std::string name = op.name.empty() ? "The operation" : fmt::format("Operation \"{}\"", op.name);
    if (m.depth > limits.max_depth) {
      errors.push_back(Error{
          fmt::format("{} nests fields {} deep; the limit is {}.", name, m.depth, limits.max_depth),
          {op.loc},
          nullptr});
    }
    if (m.fields > limits.max_fields) {
      errors.push_back(Error{fmt::format("{} selects {}{} fields once its fragments are expanded; "
                                         "the limit is {}.",
                                         name, m.fields >= cap ? "more than " : "",
                                         m.fields >= cap ? cap : m.fields, limits.max_fields),
                             {op.loc},
                             nullptr});
    }
    if (m.cost > limits.max_cost) {
      errors.push_back(Error{fmt::format("{} has an estimated cost of {}{}; the limit is {}.", name,
                                         m.cost >= cap ? "more than " : "",
                                         m.cost >= cap ? cap : m.cost, limits.max_cost),
                             {op.loc},
                             nullptr});
    }
  }
  return errors;
}

}  // namespace halo::graphql
