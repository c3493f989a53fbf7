#include "api/graphql/ast.h"

#include <nlohmann/json.hpp>

namespace halo::graphql::ast {

const FragmentDefinition* Document::fragment(std::string_view name) const {
  auto it = fragment_index.find(name);
  return it == fragment_index.end() ? nullptr : &fragments[it->second];
}

std::string_view operation_type_name(OperationType t) {
  switch (t) {
    case OperationType::Query:
      return "query";
    case OperationType::Mutation:
      return "mutation";
    case OperationType::Subscription:
      return "subscription";
  }
  return "query";
}

std::string to_source(const Value& v) {
  switch (v.kind) {
    case ValueKind::Variable:
      return "$" + std::string(v.text);
    case ValueKind::String:
      return nlohmann::json(v.string).dump();
    case ValueKind::Null:
      return "null";
    case ValueKind::List: {
      std::string out = "[";
      for (size_t i = 0; i < v.list.size(); ++i) {
        if (i) out += ", ";
        out += to_source(v.list[i]);
      }
      return out + "]";
    }
    case ValueKind::Object: {
      std::string out = "{";
      for (size_t i = 0; i < v.fields.size(); ++i) {
        if (i) out += ", ";
        out += std::string(v.fields[i].name) + ": " + to_source(v.fields[i].value);
      }
      return out + "}";
    }
    default:
      return std::string(v.text);
  }
}

bool same_value(const Value& a, const Value& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case ValueKind::String:
      return a.string == b.string;
    case ValueKind::List:
      if (a.list.size() != b.list.size()) return false;
      for (size_t i = 0; i < a.list.size(); ++i) {
        if (!same_value(a.list[i], b.list[i])) return false;
      }
      return true;
    case ValueKind::Object:
      if (a.fields.size() != b.fields.size()) return false;
      for (size_t i = 0; i < a.fields.size(); ++i) {
        if (a.fields[i].name != b.fields[i].name ||
            !same_value(a.fields[i].value, b.fields[i].value))
          return false;
      }
      return true;
    default:
      return a.text == b.text;
  }
}

}  // namespace halo::graphql::ast
