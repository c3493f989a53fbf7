#include "config/filters.h"

#include <fmt/format.h>

#include "config/expression.h"
#include "config/logic.h"
#include "config/regex.h"

namespace halo::config {

namespace {

bool is_regex(const std::string& p) {
  return p.size() >= 2 && p.front() == '/' && p.back() == '/';
}

std::optional<std::vector<std::string>> pattern_list(const At& at, const Scope& scope,
                                                     Diagnostics& diag) {
  std::vector<std::string> out;
  std::vector<At> list;
  if (at.node.IsSequence()) {
    list = items(at, diag, "a filter");
  } else {
    list.push_back(at);
  }
  for (const At& item : list) {
    auto v = scalar_text(item, scope, diag, "a filter pattern");
    if (!v) continue;
    if (is_regex(*v)) {
      std::string why;
      if (!compile_regex(v->substr(1, v->size() - 2), why)) {
        diag.error(item, fmt::format("invalid regular expression {}: {}", *v, why));
        continue;
      }
    }
    out.push_back(*v);
  }
  return out;
}

std::optional<RefFilter> ref_filter(const At& at, const Scope& scope, Diagnostics& diag,
                                    std::string_view what) {
  RefFilter f;
  auto es = entries(at, diag, what);
  if (!at.node.IsMap()) return std::nullopt;
  reject_unknown_keys(es, {"only", "ignore"}, diag, what);
  if (const Entry* e = find(es, "only")) f.only = pattern_list(e->value, scope, diag);
  if (const Entry* e = find(es, "ignore")) f.ignore = pattern_list(e->value, scope, diag);
  return f;
}

bool matches_any(const std::vector<std::string>& patterns, const std::string& name) {
  for (const std::string& p : patterns) {
    if (is_regex(p)) {
      std::string why;
      auto re = compile_regex(p.substr(1, p.size() - 2), why);
      if (re && full_match(*re, name)) return true;
    } else if (p == name) {
      return true;
    }
  }
  return false;
}

bool ref_allows(const RefFilter& f, const std::string& name) {
  if (f.only) return matches_any(*f.only, name);
  if (f.ignore) return !matches_any(*f.ignore, name);
  return true;
}

}  // namespace

std::optional<Filters> parse_filters(const At& at, const Scope& scope, Diagnostics& diag) {
  if (at.node.IsScalar()) {
    Filters f;
    f.expression = at.node.Scalar();
    auto v = expression_value(*f.expression, scope, diag, at);
    if (!v) return std::nullopt;
    f.expression_allows = truthy(*v);
    return f;
  }
  Filters f;
  auto es = entries(at, diag, "filters");
  if (!at.node.IsMap()) return std::nullopt;
  reject_unknown_keys(es, {"branches", "tags"}, diag, "filters");
  if (const Entry* e = find(es, "branches"))
    f.branches = ref_filter(e->value, scope, diag, "branches");
  if (const Entry* e = find(es, "tags")) f.tags = ref_filter(e->value, scope, diag, "tags");
  return f;
}

bool filters_allow(const std::optional<Filters>& f, const std::string& branch,
                   const std::string& tag) {
  if (f && f->expression) return f->expression_allows;
  if (!tag.empty()) return f && f->tags && ref_allows(*f->tags, tag);
  if (!f || !f->branches) return true;
  return ref_allows(*f->branches, branch);
}

}  // namespace halo::config
