#include "api/graphql/resolver.h"

#include <fmt/format.h>

#include <stdexcept>

namespace halo::graphql {

ResolverMap::ResolverMap(std::shared_ptr<const Schema> schema)
    : schema_(std::move(schema)), table_(schema_->field_count()) {}

uint32_t ResolverMap::id_of(std::string_view type, std::string_view field) const {
  const NamedType* t = schema_->type(type);
  if (!t || t->kind != TypeKind::Object) {
    throw std::invalid_argument(fmt::format("no object type {} in the schema", type));
  }
  const FieldDef* f = t->field(field);
  if (!f) throw std::invalid_argument(fmt::format("no field {}.{} in the schema", type, field));
  return f->id;
}

ResolverMap& ResolverMap::field(std::string_view type, std::string_view field, One resolver) {
  table_[id_of(type, field)] = [r = std::move(resolver)](const FieldRequest& request,
                                                         std::span<const Value> parents,
                                                         std::span<Value> out) {
    for (size_t i = 0; i < parents.size(); ++i) out[i] = r(parents[i], request);
  };
  return *this;
}

ResolverMap& ResolverMap::batch(std::string_view type, std::string_view field, Many resolver) {
  table_[id_of(type, field)] = std::move(resolver);
  return *this;
}

Value ResolverMap::property(const Value& parent, std::string_view name) {
  const Json* j = parent.as<Json>();
  if (!j || !j->is_object()) return Value();
  auto it = j->find(name);
  return it == j->end() ? Value() : Value(*it);
}

void ResolverMap::resolve(const FieldRequest& request, std::span<const Value> parents,
                          std::span<Value> out) const {
  if (request.field.id < table_.size() && table_[request.field.id]) {
    table_[request.field.id](request, parents, out);
    return;
  }
  for (size_t i = 0; i < parents.size(); ++i) out[i] = property(parents[i], request.field.name);
}

}  // namespace halo::graphql
