// The syntax tree of a GraphQL document (spec section 2 for executable definitions, section 3
// for the type system). Every node carries the Location of its first token. Names and number
// texts are views into the source, which the Document owns and keeps at a stable address; string
// values are decoded (escapes, block-string indentation) into owned strings.
#pragma once
#include "api/graphql/error.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace halo::graphql::ast {

enum class ValueKind { Variable, Int, Float, String, Boolean, Null, Enum, List, Object };

struct ObjectField;

// A literal (or variable) in the document. `text` holds the variable name, the digits of a
// number, the enum value's name or "true"/"false"; `string` the decoded text of a string.
struct Value {
  ValueKind kind = ValueKind::Null;
  Location loc;
  std::string_view text;
  std::string string;
  bool block = false;  // a """block string"""
  std::vector<Value> list;
  std::vector<ObjectField> fields;
};

struct ObjectField {
  std::string_view name;
  Location loc;
  Value value;
};

// A name that refers to something defined elsewhere (an implemented interface, a union
// member, a directive location), with where it is written.
struct NameRef {
  std::string_view name;
  Location loc;
};

struct Argument {
  std::string_view name;
  Location loc;
  Value value;
};

struct Directive {
  std::string_view name;
  Location loc;
  std::vector<Argument> arguments;
};

// A type reference: Name, [Type] or Type!.
struct Type {
  enum class Kind { Named, List, NonNull } kind = Kind::Named;
  Location loc;
  std::string_view name;     // Named only
  std::unique_ptr<Type> of;  // List and NonNull
};

struct Selection;

struct SelectionSet {
  Location loc;
  std::vector<Selection> selections;
  bool empty() const { return selections.empty(); }
};

// One entry of a selection set: a field, a fragment spread or an inline fragment.
struct Selection {
  enum class Kind { Field, FragmentSpread, InlineFragment } kind = Kind::Field;
  Location loc;
  std::string_view alias;           // Field: empty when not aliased
  std::string_view name;            // Field name, or the spread fragment's name
  std::string_view type_condition;  // InlineFragment: empty when absent
  std::vector<Argument> arguments;  // Field
  std::vector<Directive> directives;
  SelectionSet selection_set;  // Field (may be empty) and InlineFragment

  std::string_view response_key() const { return alias.empty() ? name : alias; }
};

enum class OperationType { Query, Mutation, Subscription };

struct VariableDefinition {
  std::string_view name;
  Location loc;
  Type type;
  std::optional<Value> default_value;
  std::vector<Directive> directives;
};

struct OperationDefinition {
  OperationType operation = OperationType::Query;
  std::string_view name;  // empty for an anonymous operation
  Location loc;
  std::vector<VariableDefinition> variables;
  std::vector<Directive> directives;
  SelectionSet selection_set;
};

struct FragmentDefinition {
  std::string_view name;
  Location loc;
  std::string_view type_condition;
  Location type_condition_loc;
  std::vector<Directive> directives;
  SelectionSet selection_set;
};

// --- type system (SDL) ---

struct InputValueDefinition {
  std::string_view name;
  Location loc;
  std::optional<std::string> description;
  Type type;
  std::optional<Value> default_value;
  std::vector<Directive> directives;
};

struct FieldDefinition {
  std::string_view name;
  Location loc;
  std::optional<std::string> description;
  std::vector<InputValueDefinition> arguments;
  Type type;
  std::vector<Directive> directives;
};

struct EnumValueDefinition {
  std::string_view name;
  Location loc;
  std::optional<std::string> description;
  std::vector<Directive> directives;
};

struct RootOperationType {
  OperationType operation;
  std::string_view type;
  Location loc;
};

enum class TypeDefinitionKind { Scalar, Object, Interface, Union, Enum, InputObject };

// A type definition or (extension = true) a type extension; which member lists are used
// depends on kind.
struct TypeDefinition {
  TypeDefinitionKind kind = TypeDefinitionKind::Scalar;
  bool extension = false;
  std::string_view name;
  Location loc;
  std::optional<std::string> description;
  std::vector<Directive> directives;
  std::vector<NameRef> interfaces;                 // Object, Interface
  std::vector<FieldDefinition> fields;             // Object, Interface
  std::vector<NameRef> members;                    // Union
  std::vector<EnumValueDefinition> values;         // Enum
  std::vector<InputValueDefinition> input_fields;  // InputObject
};

struct SchemaDefinition {
  bool extension = false;
  Location loc;
  std::optional<std::string> description;
  std::vector<Directive> directives;
  std::vector<RootOperationType> operations;
};

struct DirectiveDefinition {
  std::string_view name;
  Location loc;
  std::optional<std::string> description;
  std::vector<InputValueDefinition> arguments;
  bool repeatable = false;
  std::vector<NameRef> locations;
};

// A parsed document. Executable and type-system definitions are kept in separate lists.
struct Document {
  std::shared_ptr<const std::string> source;
  std::vector<OperationDefinition> operations;
  std::vector<FragmentDefinition> fragments;
  std::vector<SchemaDefinition> schemas;
  std::vector<TypeDefinition> types;
  std::vector<DirectiveDefinition> directives;

  // Locations of the type-system definitions and extensions, for the rule that an executable
  // document holds only operations and fragments (spec 5.1.1).
  std::vector<Location> type_system_locations;

  // The first fragment of that name, or null.
  const FragmentDefinition* fragment(std::string_view name) const;
  std::map<std::string_view, size_t> fragment_index;  // filled by the parser
};

std::string_view operation_type_name(OperationType t);  // "query", "mutation", "subscription"

// A value as GraphQL source text, for messages: "abc" prints as "\"abc\"", lists as [1, 2].
std::string to_source(const Value& value);

// Structural equality of two literals (same kind, same text, same items in the same order).
bool same_value(const Value& a, const Value& b);

}  // namespace halo::graphql::ast
