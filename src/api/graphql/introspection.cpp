#include "api/graphql/introspection.h"

namespace halo::graphql {
namespace {

// The parents of introspection objects are pointers into the schema.
struct SchemaRef {};

std::string_view kind_name(const TypeRef* t) {
  if (t->kind == TypeRef::Kind::List) return "LIST";
  if (t->kind == TypeRef::Kind::NonNull) return "NON_NULL";
  switch (t->named->kind) {
    case TypeKind::Scalar:
      return "SCALAR";
    case TypeKind::Object:
      return "OBJECT";
    case TypeKind::Interface:
      return "INTERFACE";
    case TypeKind::Union:
      return "UNION";
    case TypeKind::Enum:
      return "ENUM";
    case TypeKind::InputObject:
      return "INPUT_OBJECT";
  }
  return "SCALAR";
}

Value optional_string(const std::optional<std::string>& s) {
  return s ? Value(Json(*s)) : Value();
}

bool include_deprecated(const FieldRequest& r) {
  auto it = r.arguments.find("includeDeprecated");
  return it != r.arguments.end() && it->is_boolean() && it->get<bool>();
}

}  // namespace

Value IntrospectionResolver::type_ref(const TypeRef* t) const {
  return t ? Value::object(t) : Value();
}

Value IntrospectionResolver::schema_value() const {
  return Value::object(SchemaRef{});
}

Value IntrospectionResolver::type_value(std::string_view name) const {
  const NamedType* t = schema_.type(name);
  return t ? type_ref(schema_.named_ref(t)) : Value();
}

void IntrospectionResolver::resolve(const FieldRequest& r, std::span<const Value> parents,
                                    std::span<Value> out) const {
  const std::string& type = r.parent_type.name;
  const std::string& f = r.field.name;
  auto input_values = [&](const std::vector<InputValue>& values) {
    std::vector<Value> items;
    bool all = include_deprecated(r);
    for (const auto& v : values) {
      if (all || !v.deprecated) items.push_back(Value::object(&v));
    }
    return Value::list(std::move(items));
  };
  for (size_t i = 0; i < parents.size(); ++i) {
    const Value& p = parents[i];
    Value& o = out[i];
    if (type == "__Schema") {
      if (f == "description") {
        o = optional_string(schema_.description());
      } else if (f == "types") {
        std::vector<Value> items;
        for (const NamedType* t : schema_.types()) items.push_back(type_ref(schema_.named_ref(t)));
        o = Value::list(std::move(items));
      } else if (f == "queryType") {
        o = type_ref(schema_.named_ref(schema_.query_type()));
      } else if (f == "mutationType") {
        o = schema_.mutation_type() ? type_ref(schema_.named_ref(schema_.mutation_type()))
                                    : Value();
      } else if (f == "subscriptionType") {
        o = schema_.subscription_type() ? type_ref(schema_.named_ref(schema_.subscription_type()))
                                        : Value();
      } else if (f == "directives") {
        std::vector<Value> items;
        for (const DirectiveDef* d : schema_.directives()) items.push_back(Value::object(d));
        o = Value::list(std::move(items));
      }
    } else if (type == "__Type") {
      const TypeRef* t = *p.as<const TypeRef*>();
      const NamedType* n = t->kind == TypeRef::Kind::Named ? t->named : nullptr;
      if (f == "kind") {
        o = Json(kind_name(t));
      } else if (f == "name") {
        o = n ? Value(Json(n->name)) : Value();
      } else if (f == "description") {
        o = n ? optional_string(n->description) : Value();
      } else if (f == "specifiedByURL") {
        o = n ? optional_string(n->specified_by_url) : Value();
      } else if (f == "ofType") {
        o = type_ref(t->of);
      } else if (!n) {
        o = Value();
      } else if (f == "fields") {
        if (n->kind != TypeKind::Object && n->kind != TypeKind::Interface) continue;
        std::vector<Value> items;
        bool all = include_deprecated(r);
        for (const auto& fd : n->fields) {
          if (all || !fd.deprecated) items.push_back(Value::object(&fd));
        }
        o = Value::list(std::move(items));
      } else if (f == "interfaces") {
        if (n->kind != TypeKind::Object && n->kind != TypeKind::Interface) continue;
        std::vector<Value> items;
        for (const NamedType* iface : n->interfaces)
          items.push_back(type_ref(schema_.named_ref(iface)));
        o = Value::list(std::move(items));
      } else if (f == "possibleTypes") {
        if (!n->is_abstract()) continue;
        std::vector<Value> items;
        for (const NamedType* pt : n->possible_types)
          items.push_back(type_ref(schema_.named_ref(pt)));
        o = Value::list(std::move(items));
      } else if (f == "enumValues") {
        if (n->kind != TypeKind::Enum) continue;
        std::vector<Value> items;
        bool all = include_deprecated(r);
        for (const auto& ev : n->enum_values) {
          if (all || !ev.deprecated) items.push_back(Value::object(&ev));
        }
        o = Value::list(std::move(items));
      } else if (f == "inputFields") {
        if (n->kind != TypeKind::InputObject) continue;
        o = input_values(n->input_fields);
      }
    } else if (type == "__Field") {
      const FieldDef* fd = *p.as<const FieldDef*>();
      if (f == "name")
        o = Json(fd->name);
      else if (f == "description")
        o = optional_string(fd->description);
      else if (f == "args")
        o = input_values(fd->arguments);
      else if (f == "type")
        o = type_ref(fd->type);
      else if (f == "isDeprecated")
        o = Json(fd->deprecated);
      else if (f == "deprecationReason")
        o = optional_string(fd->deprecation_reason);
    } else if (type == "__InputValue") {
      const InputValue* iv = *p.as<const InputValue*>();
      if (f == "name")
        o = Json(iv->name);
      else if (f == "description")
        o = optional_string(iv->description);
      else if (f == "type")
        o = type_ref(iv->type);
      else if (f == "defaultValue")
        o = optional_string(iv->default_literal);
      else if (f == "isDeprecated")
        o = Json(iv->deprecated);
      else if (f == "deprecationReason")
        o = optional_string(iv->deprecation_reason);
    } else if (type == "__EnumValue") {
      const EnumValueDef* ev = *p.as<const EnumValueDef*>();
      if (f == "name")
        o = Json(ev->name);
      else if (f == "description")
        o = optional_string(ev->description);
      else if (f == "isDeprecated")
        o = Json(ev->deprecated);
      else if (f == "deprecationReason")
        o = optional_string(ev->deprecation_reason);
    } else if (type == "__Directive") {
      const DirectiveDef* d = *p.as<const DirectiveDef*>();
      if (f == "name") {
        o = Json(d->name);
      } else if (f == "description") {
        o = optional_string(d->description);
      } else if (f == "isRepeatable") {
        o = Json(d->repeatable);
      } else if (f == "locations") {
        Json locs = Json::array();
        for (auto l : d->locations) locs.push_back(directive_location_name(l));
        o = Value(std::move(locs));
      } else if (f == "args") {
        o = input_values(d->arguments);
      }
    }
  }
}

}  // namespace halo::graphql
