// The seam between the engine and the data: a Resolver answers one field for a whole batch of
// parent objects at once.
//
// Why batches: the executor walks the query breadth-first per field. For a selection like
// `builds { tasks { commands { name } } }` it resolves `builds` once, then `tasks` once for
// *all* builds of the page, then `commands` once for all those tasks — so a resolver backed by
// SQL can answer each level with one `WHERE parent_id IN (...)` query instead of one query per
// node. A resolver that prefers to think per object can use ResolverMap::field, which loops.
//
// Contract of resolve(): `parents` are objects of `request.parent_type`; the resolver writes
// out[i] for parents[i] (out is pre-filled with nulls). It may throw; the exception's message
// then becomes a field error for every parent of the batch. It is called from the thread
// executing the request, and only for fields the query selected (after @skip/@include).
#pragma once
#include "api/graphql/ast.h"
#include "api/graphql/schema.h"
#include "api/graphql/value.h"

#include <any>
#include <functional>
#include <memory>
#include <span>
#include <vector>

namespace halo::graphql {

struct FieldRequest {
  const FieldDef& field;
  const NamedType& parent_type;
  const Json& arguments;  // coerced: every declared argument that was given or has a default
  // The field's nodes in the query (several when the same response key was selected more
  // than once); their selection sets tell a resolver what will be asked of its results.
  std::span<const ast::Selection* const> nodes;
  const Json& variables;
  const std::any& context;  // whatever the caller of execute() passed (the viewer, a store)
};

class Resolver {
 public:
  virtual ~Resolver() = default;
  virtual void resolve(const FieldRequest& request, std::span<const Value> parents,
                       std::span<Value> out) const = 0;
};

// Resolvers registered per "Type.field". Fields without one use the default resolver: the
// member of a JSON-object parent named like the field (null otherwise).
class ResolverMap : public Resolver {
 public:
  using One = std::function<Value(const Value& parent, const FieldRequest& request)>;
  using Many = std::function<void(const FieldRequest& request, std::span<const Value> parents,
                                  std::span<Value> out)>;

  explicit ResolverMap(std::shared_ptr<const Schema> schema);

  // Throw std::invalid_argument when the schema has no such object field.
  ResolverMap& field(std::string_view type, std::string_view field, One resolver);
  ResolverMap& batch(std::string_view type, std::string_view field, Many resolver);

  void resolve(const FieldRequest& request, std::span<const Value> parents,
               std::span<Value> out) const override;

  // The default resolver on its own.
  static Value property(const Value& parent, std::string_view name);

 private:
  uint32_t id_of(std::string_view type, std::string_view field) const;
  std::shared_ptr<const Schema> schema_;
  std::vector<Many> table_;  // indexed by FieldDef::id
};

}  // namespace halo::graphql
