// An immutable GraphQL schema (spec section 3): named types, their fields, arguments, enum
// values and input fields, the directives, and the root operation types. A Schema is built once
// (see schema_builder.h) and then only read, so one instance may be shared by any number of
// threads executing requests. Every pointer a Schema hands out lives as long as the Schema.
#pragma once
#include "api/graphql/error.h"

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace halo::graphql {

enum class TypeKind { Scalar, Object, Interface, Union, Enum, InputObject };

struct NamedType;

// A reference to a type as fields and arguments use it: a named type, a list, or non-null.
// The schema interns its own references; requests build theirs (variable types) in a TypeArena,
// so compare references with same_type(), not by pointer.
struct TypeRef {
  enum class Kind { Named, List, NonNull } kind = Kind::Named;
  const NamedType* named = nullptr;  // Named
  const TypeRef* of = nullptr;       // List and NonNull

  bool non_null() const { return kind == Kind::NonNull; }
  bool list() const { return kind == Kind::List; }
  const TypeRef* nullable() const { return kind == Kind::NonNull ? of : this; }
  const NamedType& base() const;  // the named type under all wrappers
  std::string to_string() const;  // "[String!]!"
};

bool same_type(const TypeRef* a, const TypeRef* b);

// Request-local storage for type references that the schema does not hold.
using TypeArena = std::deque<TypeRef>;

// An argument, an input object field or a directive argument.
struct InputValue {
  std::string name;
  std::optional<std::string> description;
  const TypeRef* type = nullptr;
  std::optional<Json> default_value;           // coerced default, when one is declared
  std::optional<std::string> default_literal;  // the default as GraphQL source, for introspection
  bool deprecated = false;
  std::optional<std::string> deprecation_reason;
};

struct FieldDef {
  std::string name;
  std::optional<std::string> description;
  std::vector<InputValue> arguments;
  const TypeRef* type = nullptr;
  bool deprecated = false;
  std::optional<std::string> deprecation_reason;
  const NamedType* owner = nullptr;
  uint32_t id = 0;  // dense index over all fields of the schema, for resolver tables

  const InputValue* argument(std::string_view name) const;
};

struct EnumValueDef {
  std::string name;
  std::optional<std::string> description;
  bool deprecated = false;
  std::optional<std::string> deprecation_reason;
};

struct NamedType {
  TypeKind kind = TypeKind::Scalar;
  std::string name;
  std::optional<std::string> description;
  std::optional<std::string> specified_by_url;   // Scalar
  std::vector<FieldDef> fields;                  // Object, Interface
  std::vector<const NamedType*> interfaces;      // Object, Interface
  std::vector<const NamedType*> possible_types;  // Union members; objects implementing an Interface
  std::vector<EnumValueDef> enum_values;         // Enum
  std::vector<InputValue> input_fields;          // InputObject
  bool built_in = false;                         // a spec scalar or an introspection type
  Location loc;                                  // of its definition in the SDL

  const FieldDef* field(std::string_view name) const;
  const EnumValueDef* enum_value(std::string_view name) const;
  const InputValue* input_field(std::string_view name) const;
  bool is_composite() const;  // Object, Interface or Union
  bool is_abstract() const;   // Interface or Union
  bool is_input() const;      // Scalar, Enum or InputObject
  bool is_leaf() const;       // Scalar or Enum
  bool implements(const NamedType& iface) const;
  // True when `object` is one of the possible runtime types of this type (itself if Object).
  bool can_be(const NamedType& object) const;

  // Lookup tables, filled by the builder.
  std::map<std::string, size_t, std::less<>> field_index;
};

// Where a directive may appear (spec 3.13), in the spec's order.
enum class DirectiveLocation {
  Query,
  Mutation,
  Subscription,
  Field,
  FragmentDefinition,
  FragmentSpread,
  InlineFragment,
  VariableDefinition,
  Schema,
  Scalar,
  Object,
  FieldDefinition,
  ArgumentDefinition,
  Interface,
  Union,
  Enum,
  EnumValue,
  InputObject,
  InputFieldDefinition,
};
std::string_view directive_location_name(DirectiveLocation l);
std::optional<DirectiveLocation> parse_directive_location(std::string_view name);

struct DirectiveDef {
  std::string name;
  std::optional<std::string> description;
  std::vector<InputValue> arguments;
  std::vector<DirectiveLocation> locations;
  bool repeatable = false;

  const InputValue* argument(std::string_view name) const;
  bool allowed_at(DirectiveLocation l) const;
};

class SchemaBuilder;

class Schema {
 public:
  const NamedType* type(std::string_view name) const;
  const DirectiveDef* directive(std::string_view name) const;
  const NamedType* query_type() const { return query_; }
  const NamedType* mutation_type() const { return mutation_; }
  const NamedType* subscription_type() const { return subscription_; }
  const std::optional<std::string>& description() const { return description_; }

  // All named types (introspection types included), sorted by name.
  const std::vector<const NamedType*>& types() const { return sorted_types_; }
  const std::vector<const DirectiveDef*>& directives() const { return sorted_directives_; }
  size_t field_count() const { return field_count_; }

  // The meta-fields every selection may use (spec 4.1): __typename, __schema, __type.
  const FieldDef& typename_field() const { return *typename_field_; }
  const FieldDef& schema_field() const { return *schema_field_; }
  const FieldDef& type_field() const { return *type_field_; }

  // The reference to a named type of this schema.
  const TypeRef* named_ref(const NamedType* t) const;

  // Field lookup that knows the meta-fields: __typename on every composite type, __schema and
  // __type on the query root.
  const FieldDef* field(const NamedType& parent, std::string_view name) const;

 private:
  friend class SchemaBuilder;
  std::map<std::string, std::unique_ptr<NamedType>, std::less<>> types_;
  std::map<std::string, std::unique_ptr<DirectiveDef>, std::less<>> directives_;
  std::vector<const NamedType*> sorted_types_;
  std::vector<const DirectiveDef*> sorted_directives_;
  const NamedType* query_ = nullptr;
  const NamedType* mutation_ = nullptr;
  const NamedType* subscription_ = nullptr;
  std::optional<std::string> description_;
  size_t field_count_ = 0;
  std::unique_ptr<FieldDef> typename_field_, schema_field_, type_field_;
  const TypeRef* intern(TypeRef ref);  // builder only
  std::deque<TypeRef> refs_;
  std::map<const NamedType*, const TypeRef*> named_refs_;
  std::map<const TypeRef*, const TypeRef*> list_refs_, non_null_refs_;
};

}  // namespace halo::graphql
