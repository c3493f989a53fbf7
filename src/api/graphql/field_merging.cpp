// Spec 5.3.2 Field Selection Merging: fields that share a response key in one selection set
// (fragments included) must be the same field with the same arguments — unless their parents
// are different object types, which can never both apply — and must have shapes that merge.
#include "api/graphql/validation_context.h"

#include <optional>

namespace halo::graphql {
namespace {

struct FieldAndParent {
  const ast::Selection* node;
  const NamedType* parent;  // null when unknown
  const FieldDef* def;      // null when unknown
};

using FieldMap = std::vector<std::pair<std::string_view, std::vector<FieldAndParent>>>;

class Merger {
 public:
  Merger(const Schema& schema,
         const std::map<std::string_view, const ast::FragmentDefinition*>& frags)
      : schema_(schema), fragments_(frags) {}

  void collect(const NamedType* parent, const ast::SelectionSet& set, FieldMap& out,
               std::set<std::string_view>& visited) const {
    for (const auto& sel : set.selections) {
      switch (sel.kind) {
        case ast::Selection::Kind::Field: {
          const FieldDef* def = parent ? schema_.field(*parent, sel.name) : nullptr;
          auto key = sel.response_key();
          auto it = std::find_if(out.begin(), out.end(), [&](auto& e) { return e.first == key; });
          if (it == out.end()) {
            out.emplace_back(key, std::vector<FieldAndParent>{});
            it = out.end() - 1;
          }
          it->second.push_back({&sel, parent, def});
          break;
        }
        case ast::Selection::Kind::InlineFragment: {
          const NamedType* t =
              sel.type_condition.empty() ? parent : schema_.type(sel.type_condition);
          collect(t, sel.selection_set, out, visited);
          break;
        }
        case ast::Selection::Kind::FragmentSpread: {
          if (!visited.insert(sel.name).second) break;
          auto it = fragments_.find(sel.name);
          if (it == fragments_.end()) break;
          collect(schema_.type(it->second->type_condition), it->second->selection_set, out,
                  visited);
          break;
        }
      }
    }
  }

  // Returns the reason two fields conflict, if they do.
  std::optional<std::string> conflict(bool parents_exclusive, const FieldAndParent& a,
                                      const FieldAndParent& b) const {
    bool exclusive = parents_exclusive ||
                     (a.parent && b.parent && a.parent != b.parent &&
                      a.parent->kind == TypeKind::Object && b.parent->kind == TypeKind::Object);
    if (!exclusive) {
      if (a.node->name != b.node->name) {
        return fmt::format("\"{}\" and \"{}\" are different fields", a.node->name, b.node->name);
      }
      if (!same_arguments(*a.node, *b.node)) return std::string("they have differing arguments");
    }
    if (a.def && b.def && types_conflict(a.def->type, b.def->type)) {
      return fmt::format("they return conflicting types \"{}\" and \"{}\"",
                         a.def->type->to_string(), b.def->type->to_string());
    }
    if (!a.node->selection_set.empty() && !b.node->selection_set.empty()) {
      FieldMap left, right;
      std::set<std::string_view> v1, v2;
      collect(a.def ? &a.def->type->base() : nullptr, a.node->selection_set, left, v1);
      collect(b.def ? &b.def->type->base() : nullptr, b.node->selection_set, right, v2);
      for (const auto& [key, xs] : left) {
        auto it = std::find_if(right.begin(), right.end(), [&](auto& e) { return e.first == key; });
        if (it == right.end()) continue;
        for (const auto& x : xs) {
          for (const auto& y : it->second) {
            if (auto why = conflict(exclusive, x, y)) {
              return fmt::format("subfields \"{}\" conflict because {}", key, *why);
            }
          }
        }
      }
    }
    return std::nullopt;
  }

 private:
  static bool same_arguments(const ast::Selection& a, const ast::Selection& b) {
    if (a.arguments.size() != b.arguments.size()) return false;
    for (const auto& x : a.arguments) {
      auto it = std::find_if(b.arguments.begin(), b.arguments.end(),
                             [&](const ast::Argument& y) { return y.name == x.name; });
      if (it == b.arguments.end() || !ast::same_value(x.value, it->value)) return false;
    }
    return true;
  }

  static bool types_conflict(const TypeRef* a, const TypeRef* b) {
    if (a->list() || b->list()) return !(a->list() && b->list()) || types_conflict(a->of, b->of);
    if (a->non_null() || b->non_null()) {
      return !(a->non_null() && b->non_null()) || types_conflict(a->of, b->of);
    }
    if (a->named->is_leaf() || b->named->is_leaf()) return a->named != b->named;
    return false;
  }

  const Schema& schema_;
  const std::map<std::string_view, const ast::FragmentDefinition*>& fragments_;
};

}  // namespace

void Validation::check_field_merging(const ast::SelectionSet& set, const NamedType* parent) {
  Merger merger(schema_, fragments_);
  FieldMap fields;
  std::set<std::string_view> visited;
  merger.collect(parent, set, fields, visited);
  for (const auto& [key, list] : fields) {
    for (size_t i = 0; i < list.size(); ++i) {
      for (size_t j = i + 1; j < list.size(); ++j) {
        if (list[i].node == list[j].node) continue;
        auto why = merger.conflict(false, list[i], list[j]);
        if (!why) continue;
        if (!reported_conflicts_.insert({list[i].node, list[j].node}).second) continue;
        report(fmt::format("Fields \"{}\" conflict because {}. Use different aliases on the fields "
                           "to fetch both if this was intentional.",
                           key, *why),
               {list[i].node->loc, list[j].node->loc});
      }
    }
  }
}

}  // namespace halo::graphql
