#include "api/graphql/schema.h"

#include <algorithm>

namespace halo::graphql {

const NamedType& TypeRef::base() const {
  const TypeRef* t = this;
  while (t->kind != Kind::Named) t = t->of;
  return *t->named;
}

std::string TypeRef::to_string() const {
  switch (kind) {
    case Kind::Named:
      return named->name;
    case Kind::List:
      return "[" + of->to_string() + "]";
    case Kind::NonNull:
      return of->to_string() + "!";
  }
  return {};
}

bool same_type(const TypeRef* a, const TypeRef* b) {
  while (a && b) {
    if (a == b) return true;
    if (a->kind != b->kind) return false;
    if (a->kind == TypeRef::Kind::Named) return a->named == b->named;
    a = a->of;
    b = b->of;
  }
  return a == b;
}

const InputValue* FieldDef::argument(std::string_view n) const {
  for (const auto& a : arguments) {
    if (a.name == n) return &a;
  }
  return nullptr;
}

const FieldDef* NamedType::field(std::string_view n) const {
  auto it = field_index.find(n);
  return it == field_index.end() ? nullptr : &fields[it->second];
}

const EnumValueDef* NamedType::enum_value(std::string_view n) const {
  for (const auto& v : enum_values) {
    if (v.name == n) return &v;
  }
  return nullptr;
}

const InputValue* NamedType::input_field(std::string_view n) const {
  for (const auto& f : input_fields) {
    if (f.name == n) return &f;
  }
  return nullptr;
}

bool NamedType::is_composite() const {
  return kind == TypeKind::Object || kind == TypeKind::Interface || kind == TypeKind::Union;
}
bool NamedType::is_abstract() const {
  return kind == TypeKind::Interface || kind == TypeKind::Union;
}
bool NamedType::is_input() const {
  return kind == TypeKind::Scalar || kind == TypeKind::Enum || kind == TypeKind::InputObject;
}
bool NamedType::is_leaf() const {
  return kind == TypeKind::Scalar || kind == TypeKind::Enum;
}

bool NamedType::implements(const NamedType& iface) const {
  return std::find(interfaces.begin(), interfaces.end(), &iface) != interfaces.end();
}

bool NamedType::can_be(const NamedType& object) const {
  if (this == &object) return true;
  if (!is_abstract()) return false;
  return std::find(possible_types.begin(), possible_types.end(), &object) != possible_types.end();
}

namespace {
constexpr std::string_view location_names[] = {"QUERY",
                                               "MUTATION",
                                               "SUBSCRIPTION",
                                               "FIELD",
                                               "FRAGMENT_DEFINITION",
                                               "FRAGMENT_SPREAD",
                                               "INLINE_FRAGMENT",
                                               "VARIABLE_DEFINITION",
                                               "SCHEMA",
                                               "SCALAR",
                                               "OBJECT",
                                               "FIELD_DEFINITION",
                                               "ARGUMENT_DEFINITION",
                                               "INTERFACE",
                                               "UNION",
                                               "ENUM",
                                               "ENUM_VALUE",
                                               "INPUT_OBJECT",
                                               "INPUT_FIELD_DEFINITION"};
}

std::string_view directive_location_name(DirectiveLocation l) {
  return location_names[static_cast<size_t>(l)];
}

std::optional<DirectiveLocation> parse_directive_location(std::string_view name) {
  for (size_t i = 0; i < std::size(location_names); ++i) {
    if (location_names[i] == name) return static_cast<DirectiveLocation>(i);
  }
  return std::nullopt;
}

const InputValue* DirectiveDef::argument(std::string_view n) const {
  for (const auto& a : arguments) {
    if (a.name == n) return &a;
  }
  return nullptr;
}

bool DirectiveDef::allowed_at(DirectiveLocation l) const {
  return std::find(locations.begin(), locations.end(), l) != locations.end();
}

const NamedType* Schema::type(std::string_view name) const {
  auto it = types_.find(name);
  return it == types_.end() ? nullptr : it->second.get();
}

const DirectiveDef* Schema::directive(std::string_view name) const {
  auto it = directives_.find(name);
  return it == directives_.end() ? nullptr : it->second.get();
}

const TypeRef* Schema::named_ref(const NamedType* t) const {
  auto it = named_refs_.find(t);
  return it == named_refs_.end() ? nullptr : it->second;
}

const TypeRef* Schema::intern(TypeRef ref) {
  if (ref.kind == TypeRef::Kind::Named) {
    auto& slot = named_refs_[ref.named];
    if (!slot) slot = &refs_.emplace_back(ref);
    return slot;
  }
  auto& table = ref.kind == TypeRef::Kind::List ? list_refs_ : non_null_refs_;
  auto& slot = table[ref.of];
  if (!slot) slot = &refs_.emplace_back(ref);
  return slot;
}

const FieldDef* Schema::field(const NamedType& parent, std::string_view name) const {
  if (name.size() > 2 && name[0] == '_' && name[1] == '_') {
    if (name == "__typename" && parent.is_composite()) return typename_field_.get();
    if (&parent == query_) {
      if (name == "__schema") return schema_field_.get();
      if (name == "__type") return type_field_.get();
    }
  }
  return parent.field(name);
}

}  // namespace halo::graphql
