#include "api/graphql/executor.h"

#include "api/graphql/input_coercion.h"
#include "api/graphql/introspection.h"
#include "api/graphql/parser.h"
#include "api/graphql/scalars.h"
#include "api/graphql/validator.h"

#include <fmt/format.h>

#include <exception>

namespace halo::graphql {
namespace {

using FieldList = std::vector<std::pair<std::string_view, std::vector<const ast::Selection*>>>;

// One execution of one operation. Results are written straight into the response JSON: every
// object is created with all its keys (so addresses inside it stay valid), and positions that
// may have to become null ("slots") are recorded and nulled only at the end, shallowest first,
// so that non-null propagation never frees memory another batch still writes to.
class Execution {
 public:
  Execution(const Schema& schema, const Resolver& resolver, const ast::Document& doc,
            const Json& variables, const std::any& context)
      : schema_(schema),
        resolver_(resolver),
        introspection_(schema),
        doc_(doc),
        variables_(variables),
        context_(context) {}

  Json run(const ast::OperationDefinition& op, Value root) {
    const NamedType* root_type = op.operation == ast::OperationType::Query ? schema_.query_type()
                                 : op.operation == ast::OperationType::Mutation
                                     ? schema_.mutation_type()
                                     : schema_.subscription_type();
    Json data = Json::object();
    slots_.push_back(Slot{&data, 0, false, false, false, {}, 0});
    Batch batch;
    batch.values.push_back(std::move(root));
    batch.slots.push_back(0);
    batch.types.push_back(root_type);
    std::vector<const ast::SelectionSet*> sets{&op.selection_set};
    execute_selection(sets, batch);
    apply_nulls();
    Json response = Json::object();
    if (!errors_.empty()) response["errors"] = errors_to_json(errors_);
    response["data"] = std::move(data);
    return response;
  }

 private:
  struct Slot {
    Json* where;
    uint32_t parent;
    bool non_null;  // the position's type is non-null: its null propagates to the parent
    bool dead;
    bool is_index;
    std::string_view key;
    uint32_t index;
  };
  struct Batch {
    std::vector<Value> values;
    std::vector<uint32_t> slots;
    std::vector<const NamedType*> types;
  };
  struct Segment {
    std::string_view key;
    uint32_t index = 0;
    bool is_index = false;
  };
  struct FieldContext {
    const NamedType& parent;
    const FieldDef& def;
    const ast::Selection& node;
  };

  // --- slots, errors, paths ---
  uint32_t new_slot(Json* where, uint32_t parent, bool non_null, Segment seg) {
    slots_.push_back(Slot{where, parent, non_null, false, seg.is_index, seg.key, seg.index});
    return static_cast<uint32_t>(slots_.size() - 1);
  }

  void mark_null(uint32_t s) {
    while (true) {
      Slot& slot = slots_[s];
      if (slot.dead) return;
      slot.dead = true;
      if (!slot.non_null || s == 0) return;
      s = slot.parent;
    }
  }

  void apply_nulls() {
    std::vector<char> gone(slots_.size(), 0);
    for (size_t i = 0; i < slots_.size(); ++i) {
      bool ancestor = i > 0 && gone[slots_[i].parent];
      gone[i] = ancestor || slots_[i].dead;
      if (slots_[i].dead && !ancestor) *slots_[i].where = nullptr;
    }
  }

  Json path(uint32_t owner, Segment seg) const {
    std::vector<Json> parts;
    parts.push_back(seg.is_index ? Json(seg.index) : Json(seg.key));
    for (uint32_t s = owner; s != 0; s = slots_[s].parent) {
      const Slot& slot = slots_[s];
      parts.push_back(slot.is_index ? Json(slot.index) : Json(slot.key));
    }
    Json out = Json::array();
    for (auto it = parts.rbegin(); it != parts.rend(); ++it) out.push_back(std::move(*it));
    return out;
  }

  void field_error(std::string message, const FieldContext& fc, uint32_t owner, Segment seg,
                   bool non_null) {
    errors_.push_back(Error{std::move(message), {fc.node.loc}, path(owner, seg)});
    if (non_null) mark_null(owner);
  }

  // --- @skip / @include and field collection (spec 6.3.2) ---
  bool condition(const ast::Directive& d) const {
    for (const auto& a : d.arguments) {
      if (a.name != "if") continue;
      if (a.value.kind == ast::ValueKind::Boolean) return a.value.text == "true";
      if (a.value.kind == ast::ValueKind::Variable) {
        auto it = variables_.find(a.value.text);
        return it != variables_.end() && it->is_boolean() && it->get<bool>();
      }
    }
    return false;
  }

  bool included(const std::vector<ast::Directive>& directives) const {
    for (const auto& d : directives) {
      if (d.name == "skip" && condition(d)) return false;
      if (d.name == "include" && !condition(d)) return false;
    }
    return true;
  }

  bool applies(const NamedType& object, std::string_view condition) const {
    if (condition.empty()) return true;
    const NamedType* t = schema_.type(condition);
    return t && t->can_be(object);
  }

  void collect(const NamedType& object, const ast::SelectionSet& set, FieldList& out,
               std::vector<std::string_view>& visited) const {
    for (const auto& sel : set.selections) {
      if (!sel.directives.empty() && !included(sel.directives)) continue;
      switch (sel.kind) {
        case ast::Selection::Kind::Field: {
          auto key = sel.response_key();
          auto it = std::find_if(out.begin(), out.end(), [&](auto& e) { return e.first == key; });
          if (it == out.end()) {
            out.emplace_back(key, std::vector<const ast::Selection*>{&sel});
          } else {
            it->second.push_back(&sel);
          }
          break;
        }
        case ast::Selection::Kind::InlineFragment:
          if (applies(object, sel.type_condition)) collect(object, sel.selection_set, out, visited);
          break;
        case ast::Selection::Kind::FragmentSpread: {
          if (std::find(visited.begin(), visited.end(), sel.name) != visited.end()) break;
          visited.push_back(sel.name);
          const ast::FragmentDefinition* f = doc_.fragment(sel.name);
          if (f && applies(object, f->type_condition))
            collect(object, f->selection_set, out, visited);
          break;
        }
      }
    }
  }

  // --- execution ---
  void execute_selection(const std::vector<const ast::SelectionSet*>& sets, Batch& batch) {
    // Objects of an abstract position may differ in type; each type is one sub-batch.
    std::vector<const NamedType*> types;
    for (const NamedType* t : batch.types) {
      if (std::find(types.begin(), types.end(), t) == types.end()) types.push_back(t);
    }
    for (const NamedType* type : types) {
      std::vector<Value> parents;
      std::vector<uint32_t> owners;
      if (types.size() == 1) {
        parents = std::move(batch.values);
        owners = std::move(batch.slots);
      } else {
        for (size_t i = 0; i < batch.types.size(); ++i) {
          if (batch.types[i] != type) continue;
          parents.push_back(std::move(batch.values[i]));
          owners.push_back(batch.slots[i]);
        }
      }
      execute_type(*type, sets, parents, owners);
    }
  }

  void execute_type(const NamedType& type, const std::vector<const ast::SelectionSet*>& sets,
                    std::vector<Value>& parents, const std::vector<uint32_t>& owners) {
    FieldList fields;
    std::vector<std::string_view> visited;
    for (const auto* set : sets) collect(type, *set, fields, visited);
    // Every object gets all its keys now, in query order; values are filled in below.
    // ordered_map is a vector of pairs; index j is the j-th response key.
    using Members = std::vector<std::pair<const std::string, Json>>;
    std::vector<Members*> objects;
    objects.reserve(parents.size());
    for (uint32_t owner : owners) {
      Json& obj = *slots_[owner].where;
      obj = Json::object();
      auto& members = obj.get_ref<Json::object_t&>();
      members.reserve(fields.size());
      for (const auto& [key, nodes] : fields) members.emplace_back(std::string(key), nullptr);
      objects.push_back(static_cast<Members*>(&members));
    }
    std::vector<Value> out;
    for (size_t j = 0; j < fields.size(); ++j) {
      const auto& [key, nodes] = fields[j];
      const ast::Selection& node = *nodes.front();
      const FieldDef* def = schema_.field(type, node.name);
      if (!def) continue;  // validation rules this out
      Segment seg{key};
      if (def == &schema_.typename_field()) {
        for (auto* members : objects) (*members)[j].second = type.name;
        continue;
      }
      FieldContext fc{type, *def, node};
      std::string arg_error;
      auto args = coerce_arguments(def->arguments, node.arguments, variables_, &arg_error);
      if (!args) {
        for (uint32_t owner : owners) field_error(arg_error, fc, owner, seg, def->type->non_null());
        continue;
      }
      FieldRequest request{*def, type, *args, nodes, variables_, context_};
      out.assign(parents.size(), Value());
      if (def == &schema_.schema_field()) {
        for (auto& v : out) v = introspection_.schema_value();
      } else if (def == &schema_.type_field()) {
        const std::string name = args->value("name", std::string());
        for (auto& v : out) v = introspection_.type_value(name);
      } else {
        try {
          if (type.built_in) {
            introspection_.resolve(request, parents, out);
          } else {
            resolver_.resolve(request, parents, out);
          }
        } catch (const std::exception& e) {
          for (auto& v : out) v = Value::error(e.what());
        }
      }
      Batch next;
      for (size_t i = 0; i < parents.size(); ++i) {
        complete(def->type, std::move(out[i]), owners[i], &(*objects[i])[j].second, seg, next, fc);
      }
      if (!next.values.empty()) {
        std::vector<const ast::SelectionSet*> subsets;
        for (const auto* n : nodes) subsets.push_back(&n->selection_set);
        execute_selection(subsets, next);
      }
    }
  }

  // CompleteValue (spec 6.4.3) for one position; objects are queued in `next`.
  void complete(const TypeRef* type, Value v, uint32_t owner, Json* where, Segment seg, Batch& next,
                const FieldContext& fc) {
    bool nn = type->non_null();
    const TypeRef* t = type->nullable();
    if (v.kind() == Value::Kind::Error) {
      field_error(v.message(), fc, owner, seg, nn);
      return;
    }
    if (v.is_null()) {
      if (nn) {
        field_error(fmt::format("Cannot return null for non-nullable field {}.{}.", fc.parent.name,
                                fc.def.name),
                    fc, owner, seg, true);
      }
      return;
    }
    if (t->list()) {
      std::vector<Value> items;
      if (v.kind() == Value::Kind::List) {
        items = std::move(v.items());
      } else if (v.kind() == Value::Kind::Leaf && v.json().is_array()) {
        Json arr = v.take_json();
        items.reserve(arr.size());
        for (auto& e : arr) items.emplace_back(std::move(e));
      } else {
        field_error(fmt::format("Expected a list for field {}.{}.", fc.parent.name, fc.def.name),
                    fc, owner, seg, nn);
        return;
      }
      *where = Json::array();
      where->get_ref<Json::array_t&>().resize(items.size());
      uint32_t slot = new_slot(where, owner, nn, seg);
      for (size_t k = 0; k < items.size(); ++k) {
        complete(t->of, std::move(items[k]), slot, &(*where)[k],
                 Segment{{}, static_cast<uint32_t>(k), true}, next, fc);
      }
      return;
    }
    const NamedType& named = *t->named;
    if (named.is_leaf()) {
      if (v.kind() != Value::Kind::Leaf) {
        field_error(fmt::format("Expected a value of type {} for field {}.{}.", named.name,
                                fc.parent.name, fc.def.name),
                    fc, owner, seg, nn);
        return;
      }
      if (named.kind == TypeKind::Enum) {
        const Json& j = v.json();
        if (!j.is_string() || !named.enum_value(j.get_ref<const std::string&>())) {
          field_error(fmt::format("Enum \"{}\" cannot represent value: {}", named.name, j.dump()),
                      fc, owner, seg, nn);
          return;
        }
        *where = v.take_json();
        return;
      }
      std::string error;
      auto serialized = serialize_scalar(named, v.json(), &error);
      if (!serialized) {
        field_error(error, fc, owner, seg, nn);
        return;
      }
      *where = std::move(*serialized);
      return;
    }
    // A composite position: find the object's runtime type.
    const NamedType* object_type = nullptr;
    std::string type_name;
    if (v.kind() == Value::Kind::Object) {
      type_name = v.type_name();
    } else if (v.kind() == Value::Kind::Leaf && v.json().is_object()) {
      auto it = v.json().find("__typename");
      if (it != v.json().end() && it->is_string()) type_name = it->get<std::string>();
      v = Value::object(v.take_json());
    } else {
      field_error(fmt::format("Expected an object for field {}.{}.", fc.parent.name, fc.def.name),
                  fc, owner, seg, nn);
      return;
    }
    object_type = type_name.empty() ? (named.kind == TypeKind::Object ? &named : nullptr)
                                    : schema_.type(type_name);
    if (!object_type || object_type->kind != TypeKind::Object || !named.can_be(*object_type)) {
      field_error(fmt::format("Abstract type \"{}\" must resolve to an Object type at runtime for "
                              "field \"{}.{}\"; got \"{}\".",
                              named.name, fc.parent.name, fc.def.name, type_name),
                  fc, owner, seg, nn);
      return;
    }
    *where = Json::object();
    next.slots.push_back(new_slot(where, owner, nn, seg));
    next.values.push_back(std::move(v));
    next.types.push_back(object_type);
  }

  const Schema& schema_;
  const Resolver& resolver_;
  IntrospectionResolver introspection_;
  const ast::Document& doc_;
  const Json& variables_;
  const std::any& context_;
  std::vector<Slot> slots_;
  std::vector<Error> errors_;
};

Json request_errors(const std::vector<Error>& errors) {
  Json response = Json::object();
  response["errors"] = errors_to_json(errors);
  return response;
}

// CoerceVariableValues (spec 6.4.1).
std::optional<Json> coerce_variables(const Schema& schema, const ast::OperationDefinition& op,
                                     const Json& given, std::vector<Error>& errors) {
  Json out = Json::object();
  TypeArena arena;
  std::function<const TypeRef*(const ast::Type&)> resolve =
      [&](const ast::Type& t) -> const TypeRef* {
    if (t.kind == ast::Type::Kind::Named) {
      const NamedType* n = schema.type(t.name);
      return n ? schema.named_ref(n) : nullptr;
    }
    const TypeRef* of = resolve(*t.of);
    if (!of) return nullptr;
    return &arena.emplace_back(
        TypeRef{t.kind == ast::Type::Kind::List ? TypeRef::Kind::List : TypeRef::Kind::NonNull,
                nullptr, of});
  };
  for (const auto& def : op.variables) {
    const TypeRef* type = resolve(def.type);
    if (!type) continue;  // validation rules this out
    std::string name(def.name);
    const Json* value = nullptr;
    if (given.is_object()) {
      auto it = given.find(name);
      if (it != given.end()) value = &*it;
    }
    if (!value) {
      if (def.default_value) {
        std::string e;
        if (auto c = coerce_literal(*def.default_value, type, nullptr, &e))
          out[name] = std::move(*c);
      } else if (type->non_null()) {
        errors.push_back(Error{fmt::format("Variable \"${}\" of required type \"{}\" was not "
                                           "provided.",
                                           name, type->to_string()),
                               {def.loc},
                               nullptr});
      }
      continue;
    }
    if (value->is_null() && type->non_null()) {
      errors.push_back(
          Error{fmt::format("Variable \"${}\" of non-null type \"{}\" must not be null.", name,
                            type->to_string()),
                {def.loc},
                nullptr});
      continue;
    }
    std::string e;
    auto c = coerce_json(*value, type, &e);
    if (!c) {
      errors.push_back(
          Error{fmt::format("Variable \"${}\" got invalid value {}; {}", name, value->dump(), e),
                {def.loc},
                nullptr});
      continue;
    }
    out[name] = std::move(*c);
  }
  if (!errors.empty()) return std::nullopt;
  return out;
}

}  // namespace

PreparedDocument prepare(const Schema& schema, std::string query, const Limits& limits) {
  PreparedDocument prepared;
  auto parsed = parse(std::move(query), limits.parse_options());
  if (!parsed.ok()) {
    prepared.errors.push_back(*parsed.error);
    return prepared;
  }
  prepared.errors = check_limits(*parsed.document, limits, nullptr);
  if (!prepared.errors.empty()) return prepared;
  prepared.errors = validate(schema, *parsed.document);
  if (prepared.errors.empty()) prepared.document = std::move(parsed.document);
  return prepared;
}

Json execute_prepared(const Schema& schema, const Resolver& resolver, const ast::Document& document,
                      const std::optional<std::string>& operation_name, const Json& variables,
                      const ExecuteOptions& options) {
  const ast::OperationDefinition* op = nullptr;
  if (operation_name && !operation_name->empty()) {
    for (const auto& o : document.operations) {
      if (o.name == *operation_name) op = &o;
    }
    if (!op) {
      return request_errors(
          {Error{fmt::format("Unknown operation named \"{}\".", *operation_name), {}, nullptr}});
    }
  } else if (document.operations.size() == 1) {
    op = &document.operations.front();
  } else {
    return request_errors({Error{document.operations.empty()
                                     ? "The document holds no operation."
                                     : "Must provide operation name if query contains multiple "
                                       "operations.",
                                 {},
                                 nullptr}});
  }
  const NamedType* root = op->operation == ast::OperationType::Query ? schema.query_type()
                          : op->operation == ast::OperationType::Mutation
                              ? schema.mutation_type()
                              : schema.subscription_type();
  if (!root) {
    return request_errors({Error{fmt::format("Schema is not configured to execute {} operation.",
                                             ast::operation_type_name(op->operation)),
                                 {op->loc},
                                 nullptr}});
  }
  if (!variables.is_null() && !variables.is_object()) {
    return request_errors({Error{"Variables must be given as a JSON object.", {}, nullptr}});
  }
  std::vector<Error> errors;
  auto coerced = coerce_variables(schema, *op, variables, errors);
  if (!coerced) return request_errors(errors);
  Execution execution(schema, resolver, document, *coerced, options.context);
  return execution.run(*op, options.root);
}

Json execute(const Schema& schema, const Resolver& resolver, const Request& request,
             const ExecuteOptions& options) {
  auto parsed = parse(request.query, options.limits.parse_options());
  if (!parsed.ok()) return request_errors({*parsed.error});
  auto errors = check_limits(*parsed.document, options.limits, request.variables);
  if (!errors.empty()) return request_errors(errors);
  errors = validate(schema, *parsed.document);
  if (!errors.empty()) return request_errors(errors);
  return execute_prepared(schema, resolver, *parsed.document, request.operation_name,
                          request.variables, options);
}

}  // namespace halo::graphql
