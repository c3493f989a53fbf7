// Spec 5.5: fragment declarations (names, type conditions, use) and fragment spreads (defined
// targets, no cycles, possible types).
#include "api/graphql/validation_context.h"

#include <functional>

namespace halo::graphql {

void Validation::check_fragment_definitions() {
  std::map<std::string_view, Location> seen;
  for (const auto& f : doc_.fragments) {
    // 5.5.1.1 Fragment Name Uniqueness
    auto [it, fresh] = seen.emplace(f.name, f.loc);
    if (!fresh) {
      report(fmt::format("There can be only one fragment named \"{}\".", f.name),
             {it->second, f.loc});
    }
    check_type_condition(f.type_condition, f.type_condition_loc, false);
  }
}

// 5.5.1.2 Fragment Spread Type Existence; 5.5.1.3 Fragments On Composite Types
void Validation::check_type_condition(std::string_view name, Location loc, bool inline_fragment) {
  const NamedType* t = schema_.type(name);
  if (!t) {
    report(fmt::format("Unknown type \"{}\".", name), {loc});
  } else if (!t->is_composite()) {
    report(fmt::format("{} cannot condition on non composite type \"{}\".",
                       inline_fragment ? "Fragment" : "A fragment definition", name),
           {loc});
  }
}

bool Validation::types_overlap(const NamedType& a, const NamedType& b) const {
  if (&a == &b) return true;
  if (a.kind == TypeKind::Object) return b.can_be(a);
  if (b.kind == TypeKind::Object) return a.can_be(b);
  for (const NamedType* t : a.possible_types) {
    if (b.can_be(*t)) return true;
  }
  return false;
}

void Validation::check_spread(const ast::Selection& spread, const NamedType* parent) {
  auto it = fragments_.find(spread.name);
  // 5.5.2.1 Fragment spread target defined
  if (it == fragments_.end()) {
    report(fmt::format("Unknown fragment \"{}\".", spread.name), {spread.loc});
    return;
  }
  // 5.5.2.3 Fragment spread is possible
  const NamedType* t = schema_.type(it->second->type_condition);
  if (parent && t && t->is_composite() && !types_overlap(*parent, *t)) {
    report(fmt::format("Fragment \"{}\" cannot be spread here as objects of type \"{}\" can never "
                       "be of type \"{}\".",
                       spread.name, parent->name, t->name),
           {spread.loc});
  }
}

void Validation::check_inline_fragment_possible(const ast::Selection& frag,
                                                const NamedType* parent) {
  if (frag.type_condition.empty() || !parent) return;
  const NamedType* t = schema_.type(frag.type_condition);
  if (t && t->is_composite() && !types_overlap(*parent, *t)) {
    report(fmt::format("Fragment cannot be spread here as objects of type \"{}\" can never be of "
                       "type \"{}\".",
                       parent->name, t->name),
           {frag.loc});
  }
}

bool Validation::any_fragment_cycle() const {
  // 0 = not visited, 1 = on the current path, 2 = done.
  std::map<std::string_view, int> state;
  std::function<bool(const ast::SelectionSet&)> visit_set;
  std::function<bool(std::string_view)> visit = [&](std::string_view name) {
    auto it = fragments_.find(name);
    if (it == fragments_.end()) return false;
    int& s = state[name];
    if (s == 1) return true;
    if (s == 2) return false;
    s = 1;
    bool cycle = visit_set(it->second->selection_set);
    state[name] = 2;
    return cycle;
  };
  visit_set = [&](const ast::SelectionSet& set) {
    for (const auto& sel : set.selections) {
      if (sel.kind == ast::Selection::Kind::FragmentSpread ? visit(sel.name)
                                                           : visit_set(sel.selection_set)) {
        return true;
      }
    }
    return false;
  };
  for (const auto& f : doc_.fragments) {
    if (visit(f.name)) return true;
  }
  return false;
}

void Validation::check_fragments_used_and_acyclic() {
  // 5.5.1.4 Fragments Must Be Used: every fragment is reachable from some operation.
  std::set<std::string_view> used;
  std::function<void(const Scope&)> mark = [&](const Scope& scope) {
    for (const auto& [name, loc] : scope.spreads) {
      auto it = fragments_.find(name);
      if (it == fragments_.end() || !used.insert(name).second) continue;
      mark(scopes_[it->second]);
    }
  };
  for (const auto& op : doc_.operations) mark(scopes_[&op]);
  for (const auto& f : doc_.fragments) {
    if (!used.count(f.name)) report(fmt::format("Fragment \"{}\" is never used.", f.name), {f.loc});
  }

  // 5.5.2.2 Fragment spreads must not form cycles. A depth-first search over spreads; each
  // cycle is reported once, at the spreads that close it.
  std::set<std::string_view> done;
  std::vector<std::pair<std::string_view, Location>> path;
  std::map<std::string_view, size_t> on_path;  // fragment name -> index in path where it starts
  std::function<void(const ast::FragmentDefinition&)> visit =
      [&](const ast::FragmentDefinition& f) {
        if (done.count(f.name)) return;
        on_path[f.name] = path.size();
        for (const auto& [name, loc] : scopes_[&f].spreads) {
          auto target = fragments_.find(name);
          if (target == fragments_.end()) continue;
          auto cycle = on_path.find(name);
          if (cycle != on_path.end()) {
            std::vector<Location> locs;
            std::string via;
            for (size_t i = cycle->second; i < path.size(); ++i) {
              locs.push_back(path[i].second);
              via += (via.empty() ? "" : ", ") + fmt::format("\"{}\"", path[i].first);
            }
            locs.push_back(loc);
            report(fmt::format("Cannot spread fragment \"{}\" within itself{}.", name,
                               via.empty() ? "" : " via " + via),
                   locs);
            continue;
          }
          path.emplace_back(name, loc);
          visit(*target->second);
          path.pop_back();
        }
        on_path.erase(f.name);
        done.insert(f.name);
      };
  for (const auto& f : doc_.fragments) {
    if (fragments_[f.name] == &f) visit(f);
  }
}

}  // namespace halo::graphql
