// Resolvers of the introspection types (__Schema, __Type, __Field, __InputValue, __EnumValue,
// __Directive; spec 4.2) over an immutable Schema, and of the meta-fields __schema and __type.
// The executor routes every field of a type whose name starts with "__" here, so user
// resolvers never see introspection.
#pragma once
#include "api/graphql/resolver.h"

namespace halo::graphql {

class IntrospectionResolver : public Resolver {
 public:
  explicit IntrospectionResolver(const Schema& schema) : schema_(schema) {}

  void resolve(const FieldRequest& request, std::span<const Value> parents,
               std::span<Value> out) const override;

  // The values of the root meta-fields.
  Value schema_value() const;
  Value type_value(std::string_view name) const;

 private:
  Value type_ref(const TypeRef* t) const;
  const Schema& schema_;
};

}  // namespace halo::graphql
