// Spec 5.3.2 Field Selection Merging: fields that share a response key in one selection set
// (fragments included) must be the same field with the same arguments — unless their parents
// are different object types, which can never both apply — and must have shapes that merge,
// down through their merged subselections.
//
// The spec states the rule pairwise, which costs O(n²) in the fields sharing a key — a cheap
// way to make a validator spin. Sameness of name and arguments and sameness of shape are both
// equivalences, so each field is compared with one representative instead; and subselections
// are checked as the union the executor would merge (per group of fields that may apply
// together), not pair by pair. The work is linear in the expanded fields, which the limits
// bound before validation runs.
#include "api/graphql/validation_context.h"

#include <functional>
#include <optional>
#include <unordered_set>

namespace halo::graphql {
namespace {

struct FieldAndParent {
  const ast::Selection* node;
  const NamedType* parent;  // null when unknown
  const FieldDef* def;      // null when unknown
};

using FieldMap = std::vector<std::pair<std::string_view, std::vector<FieldAndParent>>>;

bool same_arguments(const ast::Selection& a, const ast::Selection& b) {
  if (a.arguments.size() != b.arguments.size()) return false;
  for (const auto& x : a.arguments) {
    auto it = std::find_if(b.arguments.begin(), b.arguments.end(),
                           [&](const ast::Argument& y) { return y.name == x.name; });
    if (it == b.arguments.end() || !ast::same_value(x.value, it->value)) return false;
  }
  return true;
}

// DoTypesConflict: lists and non-null wrappers must match, and leaf types must be equal.
bool types_conflict(const TypeRef* a, const TypeRef* b) {
  if (a->list() || b->list()) return !(a->list() && b->list()) || types_conflict(a->of, b->of);
  if (a->non_null() || b->non_null()) {
    return !(a->non_null() && b->non_null()) || types_conflict(a->of, b->of);
  }
  if (a->named->is_leaf() || b->named->is_leaf()) return a->named != b->named;
  return false;
}

bool is_object(const NamedType* t) {
  return t && t->kind == TypeKind::Object;
}

}  // namespace

class FieldMerging {
 public:
  FieldMerging(const Schema& schema,
               const std::map<std::string_view, const ast::FragmentDefinition*>& fragments,
               std::set<std::pair<const void*, const void*>>& reported,
               std::function<void(std::string, std::vector<Location>)> report)
      : schema_(schema), fragments_(fragments), reported_(reported), report_(std::move(report)) {}

  // The fields of a selection set, grouped by response key, with fragments expanded. `seen`
  // holds the field nodes already in `out`.
  void collect(const NamedType* parent, const ast::SelectionSet& set, FieldMap& out,
               std::unordered_set<const ast::Selection*>& seen) {
    for (const auto& sel : set.selections) {
      switch (sel.kind) {
        case ast::Selection::Kind::Field: {
          const FieldDef* def = parent ? schema_.field(*parent, sel.name) : nullptr;
          if (seen.insert(&sel).second) add(out, sel.response_key(), {&sel, parent, def});
          break;
        }
        case ast::Selection::Kind::InlineFragment: {
          const NamedType* t =
              sel.type_condition.empty() ? parent : schema_.type(sel.type_condition);
          collect(t, sel.selection_set, out, seen);
          break;
        }
        case ast::Selection::Kind::FragmentSpread: {
          // A fragment's fields do not depend on where it is spread, so they are collected
          // once per validation; a field reached twice (diamond spreads) is taken once.
          for (const auto& [key, group] : fragment_fields(sel.name)) {
            for (const auto& f : group) {
              if (seen.insert(f.node).second) add(out, key, f);
            }
          }
          break;
        }
      }
    }
  }

  static void add(FieldMap& out, std::string_view key, const FieldAndParent& f) {
    auto it = std::find_if(out.begin(), out.end(), [&](auto& e) { return e.first == key; });
    if (it == out.end()) {
      out.emplace_back(key, std::vector<FieldAndParent>{});
      it = out.end() - 1;
    }
    it->second.push_back(f);
  }

  // Callers make sure fragments do not form a cycle.
  const FieldMap& fragment_fields(std::string_view name) {
    static const FieldMap none;
    auto memo = fragment_fields_.find(name);
    if (memo != fragment_fields_.end()) return memo->second;
    auto it = fragments_.find(name);
    if (it == fragments_.end()) return none;
    FieldMap fields;
    std::unordered_set<const ast::Selection*> seen;
    collect(schema_.type(it->second->type_condition), it->second->selection_set, fields, seen);
    return fragment_fields_.emplace(name, std::move(fields)).first->second;
  }

  void check_map(const FieldMap& fields, bool exclusive) {
    for (const auto& [key, group] : fields) check_group(key, group, exclusive);
  }

 private:
  void conflict(std::string_view key, const FieldAndParent& a, const FieldAndParent& b,
                const std::string& why) {
    if (!reported_.insert({a.node, b.node}).second) return;
    report_(fmt::format("Fields \"{}\" conflict because {}. Use different aliases on the fields "
                        "to fetch both if this was intentional.",
                        key, why),
            {a.node->loc, b.node->loc});
  }

  // Name and arguments of `m` against a representative that may apply together with it.
  void same_field(std::string_view key, const FieldAndParent& rep, const FieldAndParent& m) {
    if (rep.node == m.node) return;
    if (rep.node->name != m.node->name) {
      conflict(key, rep, m,
               fmt::format("\"{}\" and \"{}\" are different fields", rep.node->name, m.node->name));
    } else if (!same_arguments(*rep.node, *m.node)) {
      conflict(key, rep, m, "they have differing arguments");
    }
  }

  // The subselections of `members` merged, checked as one selection set.
  void check_union(const std::vector<const FieldAndParent*>& members, bool exclusive) {
    FieldMap merged;
    std::unordered_set<const ast::Selection*> seen;
    size_t with_selections = 0;
    for (const FieldAndParent* m : members) {
      if (m->node->selection_set.empty()) continue;
      ++with_selections;
      collect(m->def ? &m->def->type->base() : nullptr, m->node->selection_set, merged, seen);
    }
    if (with_selections > 1) check_map(merged, exclusive);
  }

  // Shape: every field against the first one with a known type.
  void check_shapes(std::string_view key, const std::vector<FieldAndParent>& group) {
    const FieldAndParent* typed = nullptr;
    for (const auto& m : group) {
      if (!m.def) continue;
      if (!typed) {
        typed = &m;
      } else if (types_conflict(typed->def->type, m.def->type)) {
        conflict(key, *typed, m,
                 fmt::format("they return conflicting types \"{}\" and \"{}\"",
                             typed->def->type->to_string(), m.def->type->to_string()));
      }
    }
  }

  void check_group(std::string_view key, const std::vector<FieldAndParent>& group, bool exclusive) {
    if (group.size() < 2) return;
    std::vector<const FieldAndParent*> all;
    for (const auto& m : group) all.push_back(&m);
    if (exclusive) {
      check_shapes(key, group);
      check_union(all, true);
      return;
    }
    // Fields under different object types never apply together; a field under an interface,
    // a union or an unknown type may apply with any other.
    std::vector<const FieldAndParent*> shared;
    std::vector<std::pair<const NamedType*, std::vector<const FieldAndParent*>>> by_object;
    for (const auto& m : group) {
      if (!is_object(m.parent)) {
        shared.push_back(&m);
        continue;
      }
      auto it = std::find_if(by_object.begin(), by_object.end(),
                             [&](auto& e) { return e.first == m.parent; });
      if (it == by_object.end()) {
        by_object.emplace_back(m.parent, std::vector<const FieldAndParent*>{});
        it = by_object.end() - 1;
      }
      it->second.push_back(&m);
    }
    for (const FieldAndParent* m : shared) same_field(key, *shared.front(), *m);
    for (auto& [type, members] : by_object) {
      for (const FieldAndParent* m : members) {
        same_field(key, *members.front(), *m);
        if (!shared.empty()) same_field(key, *shared.front(), *m);
      }
    }
    check_shapes(key, group);
    // Subselections: each set of fields that may apply together merges as the executor would;
    // across object types only the shapes must agree.
    if (by_object.empty()) {
      check_union(shared, false);
      return;
    }
    for (auto& [type, members] : by_object) {
      std::vector<const FieldAndParent*> together = members;
      together.insert(together.end(), shared.begin(), shared.end());
      check_union(together, false);
    }
    if (by_object.size() > 1) check_union(all, true);
  }

  const Schema& schema_;
  const std::map<std::string_view, const ast::FragmentDefinition*>& fragments_;
  std::set<std::pair<const void*, const void*>>& reported_;
  std::function<void(std::string, std::vector<Location>)> report_;
  std::map<std::string_view, FieldMap> fragment_fields_;
};

void Validation::check_field_merging(const ast::SelectionSet& set, const NamedType* parent) {
  if (!merging_) {
    merging_ = std::make_shared<FieldMerging>(
        schema_, fragments_, reported_conflicts_,
        [this](std::string message, std::vector<Location> locations) {
          report(std::move(message), std::move(locations));
        });
  }
  FieldMap fields;
  std::unordered_set<const ast::Selection*> seen;
  merging_->collect(parent, set, fields, seen);
  merging_->check_map(fields, false);
}

}  // namespace halo::graphql
