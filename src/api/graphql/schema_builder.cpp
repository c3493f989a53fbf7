#include "api/graphql/schema_builder.h"

#include "api/graphql/input_coercion.h"
#include "api/graphql/introspection_types.h"
#include "api/graphql/parser.h"
#include "api/graphql/scalars.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>

namespace halo::graphql {

class SchemaBuilder {
 public:
  explicit SchemaBuilder(const SchemaOptions& options)
      : options_(options), schema_(std::make_shared<Schema>()) {}

  SchemaBuildResult build(const ast::Document& user) {
    add_standard_scalars();
    auto builtin_directives = parse(std::string(built_in_directives_sdl()));
    auto introspection = parse(std::string(introspection_types_sdl()));
    const ast::Document* docs[] = {&*builtin_directives.document, &*introspection.document, &user};
    for (size_t i = 0; i < 3; ++i) declare(*docs[i], i < 2);
    for (size_t i = 0; i < 3; ++i) define(*docs[i]);
    for (size_t i = 0; i < 3; ++i) apply_defaults_and_directives(*docs[i]);
    roots(user);
    finish();
    check();
    SchemaBuildResult result;
    result.errors = std::move(errors_);
    if (result.errors.empty()) result.schema = std::move(schema_);
    return result;
  }

 private:
  void error(Location loc, std::string message) {
    errors_.push_back(Error{std::move(message), {loc}, nullptr});
  }

  NamedType& add_type(TypeKind kind, std::string name, std::optional<std::string> description,
                      bool built_in, Location loc = {}) {
    auto t = std::make_unique<NamedType>();
    t->loc = loc;
    t->kind = kind;
    t->name = std::move(name);
    t->description = std::move(description);
    t->built_in = built_in;
    NamedType& ref = *t;
    schema_->types_[ref.name] = std::move(t);
    schema_->intern(TypeRef{TypeRef::Kind::Named, &ref, nullptr});
    return ref;
  }

  void add_standard_scalars() {
    add_type(TypeKind::Scalar, "Int",
             "The `Int` scalar type represents non-fractional signed whole numeric values. Int can "
             "represent values between -(2^31) and 2^31 - 1.",
             true);
    add_type(TypeKind::Scalar, "Float",
             "The `Float` scalar type represents signed double-precision fractional values as "
             "specified by [IEEE 754](https://en.wikipedia.org/wiki/IEEE_floating_point).",
             true);
    add_type(TypeKind::Scalar, "String",
             "The `String` scalar type represents textual data, represented as UTF-8 character "
             "sequences. The String type is most often used by GraphQL to represent free-form "
             "human-readable text.",
             true);
    add_type(TypeKind::Scalar, "Boolean", "The `Boolean` scalar type represents `true` or `false`.",
             true);
    add_type(TypeKind::Scalar, "ID",
             "The `ID` scalar type represents a unique identifier, often used to refetch an object "
             "or as key for a cache. The ID type appears in a JSON response as a String; however, "
             "it is not intended to be human-readable. When expected as an input type, any string "
             "(such as `\"4\"`) or integer (such as `4`) input value will be accepted as an ID.",
             true);
  }

  static bool is_standard_scalar(std::string_view n) {
    return n == "Int" || n == "Float" || n == "String" || n == "Boolean" || n == "ID";
  }

  static TypeKind kind_of(ast::TypeDefinitionKind k) {
    switch (k) {
      case ast::TypeDefinitionKind::Scalar:
        return TypeKind::Scalar;
      case ast::TypeDefinitionKind::Object:
        return TypeKind::Object;
      case ast::TypeDefinitionKind::Interface:
        return TypeKind::Interface;
      case ast::TypeDefinitionKind::Union:
        return TypeKind::Union;
      case ast::TypeDefinitionKind::Enum:
        return TypeKind::Enum;
      case ast::TypeDefinitionKind::InputObject:
        return TypeKind::InputObject;
    }
    return TypeKind::Scalar;
  }

  // The name a type definition gets in the schema (a redeclared Int may become Long).
  std::string_view declared_name(const ast::TypeDefinition& d) const {
    if (d.name == "Int" && options_.redeclared_int_as && d.kind == ast::TypeDefinitionKind::Scalar)
      return *options_.redeclared_int_as;
    return d.name;
  }

  // Pass 1: every named type and directive exists before any reference is resolved.
  void declare(const ast::Document& doc, bool built_in) {
    for (const auto& d : doc.types) {
      if (d.extension) continue;
      std::string_view name = declared_name(d);
      if (!built_in && name.substr(0, 2) == "__") {
        error(d.loc, fmt::format("Name \"{}\" must not begin with \"__\", which is reserved by "
                                 "GraphQL introspection.",
                                 name));
        continue;
      }
      if (is_standard_scalar(name) && d.kind == ast::TypeDefinitionKind::Scalar) {
        continue;  // a redeclared standard scalar keeps the spec's definition
      }
      if (schema_->type(name)) {
        error(d.loc, fmt::format("There can be only one type named \"{}\".", name));
        continue;
      }
      add_type(kind_of(d.kind), std::string(name), d.description, built_in, d.loc);
      owners_[&d] = schema_->types_[std::string(name)].get();
    }
    std::set<std::string_view> seen;
    for (const auto& d : doc.directives) {
      if (!seen.insert(d.name).second) {
        error(d.loc, fmt::format("There can be only one directive named \"@{}\".", d.name));
        continue;
      }
      // The SDL may restate a built-in directive (the Cirrus file declares @specifiedBy);
      // its definition then replaces the built-in one.
      auto def = std::make_unique<DirectiveDef>();
      def->name = std::string(d.name);
      def->description = d.description;
      def->repeatable = d.repeatable;
      for (const auto& l : d.locations) def->locations.push_back(*parse_directive_location(l.name));
      directive_defs_[def.get()] = &d;
      schema_->directives_[def->name] = std::move(def);
    }
  }

  bool keeps_int(const std::string& coordinate) const {
    return options_.keep_int.count(coordinate) > 0;
  }

  const TypeRef* resolve(const ast::Type& t, const std::string& coordinate) {
    switch (t.kind) {
      case ast::Type::Kind::Named: {
        std::string_view name = t.name;
        if (name == "Int" && int_redeclared_ && !keeps_int(coordinate)) {
          name = *options_.redeclared_int_as;
        }
        const NamedType* named = schema_->type(name);
        if (!named) {
          error(t.loc, fmt::format("Unknown type \"{}\".", t.name));
          return nullptr;
        }
        return schema_->named_ref(named);
      }
      case ast::Type::Kind::List: {
        const TypeRef* of = resolve(*t.of, coordinate);
        return of ? schema_->intern(TypeRef{TypeRef::Kind::List, nullptr, of}) : nullptr;
      }
      case ast::Type::Kind::NonNull: {
        const TypeRef* of = resolve(*t.of, coordinate);
        return of ? schema_->intern(TypeRef{TypeRef::Kind::NonNull, nullptr, of}) : nullptr;
      }
    }
    return nullptr;
  }

  InputValue input_value(const ast::InputValueDefinition& d, const std::string& coordinate) {
    InputValue v;
    v.name = std::string(d.name);
    v.description = d.description;
    v.type = resolve(d.type, coordinate);
    return v;
  }

  NamedType* target_of(const ast::TypeDefinition& d) {
    if (!d.extension) {
      auto it = owners_.find(&d);
      return it == owners_.end() ? nullptr : it->second;
    }
    auto it = schema_->types_.find(declared_name(d));
    if (it == schema_->types_.end()) {
      error(d.loc, fmt::format("Cannot extend type \"{}\" because it is not defined.", d.name));
      return nullptr;
    }
    if (it->second->kind != kind_of(d.kind)) {
      error(d.loc, fmt::format("Cannot extend non-matching kind of type \"{}\".", d.name));
      return nullptr;
    }
    return it->second.get();
  }

  // Pass 2: members of every type, with references resolved.
  void define(const ast::Document& doc) {
    int_redeclared_ = false;
    if (options_.redeclared_int_as) {
      for (const auto& d : doc.types) {
        if (d.name == "Int" && d.kind == ast::TypeDefinitionKind::Scalar && !d.extension)
          int_redeclared_ = true;
      }
    }
    for (const auto& d : doc.types) {
      NamedType* t = target_of(d);
      if (!t) continue;
      for (const auto& f : d.fields) {
        if (t->field_index.count(f.name)) {
          error(f.loc, fmt::format("Field \"{}.{}\" can only be defined once.", t->name, f.name));
          continue;
        }
        FieldDef def;
        def.name = std::string(f.name);
        def.description = f.description;
        std::string coord = t->name + "." + def.name;
        def.type = resolve(f.type, coord);
        std::set<std::string_view> arg_names;
        for (const auto& a : f.arguments) {
          if (!arg_names.insert(a.name).second) {
            error(a.loc,
                  fmt::format("Argument \"{}({}:)\" can only be defined once.", coord, a.name));
            continue;
          }
          def.arguments.push_back(input_value(a, fmt::format("{}({}:)", coord, a.name)));
        }
        def.owner = t;
        t->field_index[def.name] = t->fields.size();
        t->fields.push_back(std::move(def));
      }
      for (const auto& [name, at] : d.interfaces) {
        const NamedType* iface = schema_->type(name);
        if (!iface) {
          error(at, fmt::format("Unknown type \"{}\".", name));
        } else if (iface->kind != TypeKind::Interface) {
          error(at, fmt::format("Type \"{}\" must only implement Interface types, it cannot "
                                "implement \"{}\".",
                                t->name, name));
        } else if (t->implements(*iface)) {
          error(at, fmt::format("Type \"{}\" can only implement \"{}\" once.", t->name, name));
        } else {
          t->interfaces.push_back(iface);
        }
      }
      for (const auto& [name, at] : d.members) {
        const NamedType* member = schema_->type(name);
        if (!member) {
          error(at, fmt::format("Unknown type \"{}\".", name));
        } else if (member->kind != TypeKind::Object) {
          error(at, fmt::format("Union type \"{}\" can only include Object types, it cannot "
                                "include \"{}\".",
                                t->name, name));
        } else if (t->can_be(*member)) {
          error(at,
                fmt::format("Union type \"{}\" can only include type \"{}\" once.", t->name, name));
        } else {
          t->possible_types.push_back(member);
        }
      }
      for (const auto& v : d.values) {
        if (t->enum_value(v.name)) {
          error(v.loc,
                fmt::format("Enum value \"{}.{}\" can only be defined once.", t->name, v.name));
          continue;
        }
        t->enum_values.push_back(EnumValueDef{std::string(v.name), v.description, false, {}});
      }
      for (const auto& f : d.input_fields) {
        if (t->input_field(f.name)) {
          error(f.loc, fmt::format("Field \"{}.{}\" can only be defined once.", t->name, f.name));
          continue;
        }
        t->input_fields.push_back(input_value(f, t->name + "." + std::string(f.name)));
      }
    }
    for (const auto& d : doc.directives) {
      auto it = schema_->directives_.find(d.name);
      if (it == schema_->directives_.end() || directive_defs_[it->second.get()] != &d) continue;
      for (const auto& a : d.arguments) {
        it->second->arguments.push_back(input_value(a, fmt::format("@{}({}:)", d.name, a.name)));
      }
    }
  }

  // Reads @deprecated / @specifiedBy off a definition.
  void read_deprecation(const std::vector<ast::Directive>& directives, bool& deprecated,
                        std::optional<std::string>& reason) {
    for (const auto& d : directives) {
      if (d.name != "deprecated") continue;
      deprecated = true;
      reason = "No longer supported";
      for (const auto& a : d.arguments) {
        if (a.name == "reason" && a.value.kind == ast::ValueKind::String) reason = a.value.string;
      }
    }
  }

  void coerce_default(InputValue& v, const ast::InputValueDefinition& d) {
    if (!d.default_value || !v.type) return;
    std::string e;
    auto c = coerce_literal(*d.default_value, v.type, nullptr, &e);
    if (!c) {
      error(d.default_value->loc, fmt::format("Invalid default value for \"{}\": {}", v.name, e));
      return;
    }
    v.default_literal = print_literal(*c, v.type);
    v.default_value = std::move(*c);
  }

  void check_directives(const std::vector<ast::Directive>& directives, DirectiveLocation where) {
    for (const auto& d : directives) {
      const DirectiveDef* def = schema_->directive(d.name);
      if (!def) {
        error(d.loc, fmt::format("Unknown directive \"@{}\".", d.name));
      } else if (!def->allowed_at(where)) {
        error(d.loc, fmt::format("Directive \"@{}\" may not be used on {}.", d.name,
                                 directive_location_name(where)));
      }
    }
  }

  // Pass 3: defaults need every input type complete; directives need every definition.
  void apply_defaults_and_directives(const ast::Document& doc) {
    for (const auto& d : doc.types) {
      NamedType* t = schema_->types_.count(declared_name(d))
                         ? schema_->types_.find(declared_name(d))->second.get()
                         : nullptr;
      if (!t || (t->kind != kind_of(d.kind))) continue;
      static constexpr DirectiveLocation where[] = {
          DirectiveLocation::Scalar, DirectiveLocation::Object, DirectiveLocation::Interface,
          DirectiveLocation::Union,  DirectiveLocation::Enum,   DirectiveLocation::InputObject};
      check_directives(d.directives, where[static_cast<size_t>(d.kind)]);
      for (const auto& dir : d.directives) {
        if (dir.name != "specifiedBy") continue;
        for (const auto& a : dir.arguments) {
          if (a.name == "url" && a.value.kind == ast::ValueKind::String)
            t->specified_by_url = a.value.string;
        }
      }
      for (const auto& f : d.fields) {
        auto idx = t->field_index.find(f.name);
        if (idx == t->field_index.end()) continue;
        FieldDef& def = t->fields[idx->second];
        check_directives(f.directives, DirectiveLocation::FieldDefinition);
        read_deprecation(f.directives, def.deprecated, def.deprecation_reason);
        for (const auto& a : f.arguments) {
          for (auto& arg : def.arguments) {
            if (arg.name != a.name) continue;
            check_directives(a.directives, DirectiveLocation::ArgumentDefinition);
            read_deprecation(a.directives, arg.deprecated, arg.deprecation_reason);
            coerce_default(arg, a);
          }
        }
      }
      for (const auto& v : d.values) {
        for (auto& ev : t->enum_values) {
          if (ev.name != v.name) continue;
          check_directives(v.directives, DirectiveLocation::EnumValue);
          read_deprecation(v.directives, ev.deprecated, ev.deprecation_reason);
        }
      }
      for (const auto& f : d.input_fields) {
        for (auto& iv : t->input_fields) {
          if (iv.name != f.name) continue;
          check_directives(f.directives, DirectiveLocation::InputFieldDefinition);
          read_deprecation(f.directives, iv.deprecated, iv.deprecation_reason);
          if (iv.deprecated && iv.type && iv.type->non_null() && !f.default_value) {
            error(f.loc, fmt::format("Required input field {}.{} cannot be deprecated.", t->name,
                                     iv.name));
          }
          coerce_default(iv, f);
        }
      }
    }
    for (const auto& d : doc.directives) {
      auto it = schema_->directives_.find(d.name);
      if (it == schema_->directives_.end() || directive_defs_[it->second.get()] != &d) continue;
      for (const auto& a : d.arguments) {
        for (auto& arg : it->second->arguments) {
          if (arg.name == a.name) coerce_default(arg, a);
        }
      }
    }
  }

  void roots(const ast::Document& doc) {
    auto pick = [&](const ast::RootOperationType& r) {
      const NamedType* t = schema_->type(r.type);
      if (!t) {
        error(r.loc, fmt::format("Unknown type \"{}\".", r.type));
        return;
      }
      if (t->kind != TypeKind::Object) {
        error(r.loc, fmt::format("{} root type must be Object type, it cannot be {}.",
                                 ast::operation_type_name(r.operation), r.type));
        return;
      }
      const NamedType*& slot = r.operation == ast::OperationType::Query ? schema_->query_
                               : r.operation == ast::OperationType::Mutation
                                   ? schema_->mutation_
                                   : schema_->subscription_;
      if (slot) {
        error(r.loc, fmt::format("Type for {} already defined in the schema.",
                                 ast::operation_type_name(r.operation)));
      }
      slot = t;
    };
    bool defined = false;
    for (const auto& s : doc.schemas) {
      if (!s.extension) {
        if (defined) error(s.loc, "Must provide only one schema definition.");
        defined = true;
        schema_->description_ = s.description;
      }
      check_directives(s.directives, DirectiveLocation::Schema);
      for (const auto& r : s.operations) pick(r);
    }
    if (!defined) {
      auto object_named = [&](std::string_view n) -> const NamedType* {
        const NamedType* t = schema_->type(n);
        return t && t->kind == TypeKind::Object ? t : nullptr;
      };
      if (!schema_->query_) schema_->query_ = object_named("Query");
      if (!schema_->mutation_) schema_->mutation_ = object_named("Mutation");
      if (!schema_->subscription_) schema_->subscription_ = object_named("Subscription");
    }
    if (!schema_->query_)
      errors_.push_back(Error{"Query root type must be provided.", {}, nullptr});
  }

  void finish() {
    Schema& s = *schema_;
    for (auto& [name, t] : s.types_) {
      s.sorted_types_.push_back(t.get());
      if (t->kind != TypeKind::Object && t->kind != TypeKind::Interface) continue;
      for (const NamedType* iface : t->interfaces) {
        if (t->kind == TypeKind::Object)
          const_cast<NamedType*>(iface)->possible_types.push_back(t.get());
      }
    }
    uint32_t id = 0;
    for (auto& [name, t] : s.types_) {
      for (auto& f : t->fields) f.id = id++;
    }
    for (auto& [name, d] : s.directives_) s.sorted_directives_.push_back(d.get());
    auto meta = [&](std::string name, std::string description, const TypeRef* type) {
      auto f = std::make_unique<FieldDef>();
      f->name = std::move(name);
      f->description = std::move(description);
      f->type = type;
      f->id = id++;
      return f;
    };
    auto non_null = [&](const char* n) {
      return s.intern(TypeRef{TypeRef::Kind::NonNull, nullptr, s.named_ref(s.type(n))});
    };
    s.typename_field_ =
        meta("__typename", "The name of the current Object type at runtime.", non_null("String"));
    s.schema_field_ =
        meta("__schema", "Access the current type schema of this server.", non_null("__Schema"));
    s.type_field_ = meta("__type", "Request the type information of a single type.",
                         s.named_ref(s.type("__Type")));
    InputValue name_arg;
    name_arg.name = "name";
    name_arg.type = non_null("String");
    s.type_field_->arguments.push_back(std::move(name_arg));
    s.field_count_ = id;
  }

  // --- type-system validation (spec 3.6.1, 3.7.1, 3.8, 3.9, 3.10) ---

  bool is_subtype(const TypeRef* sub, const TypeRef* super) {
    if (!sub || !super) return true;
    if (super->non_null()) return sub->non_null() && is_subtype(sub->of, super->of);
    if (sub->non_null()) return is_subtype(sub->of, super);
    if (super->list()) return sub->list() && is_subtype(sub->of, super->of);
    if (sub->list()) return false;
    return sub->named == super->named ||
           (super->named->is_abstract() && sub->named->kind == TypeKind::Object &&
            super->named->can_be(*sub->named)) ||
           (super->named->kind == TypeKind::Interface && sub->named->implements(*super->named));
  }

  void check() {
    for (const NamedType* t : schema_->sorted_types_) {
      auto err = [&](std::string m) { errors_.push_back(Error{std::move(m), {t->loc}, nullptr}); };
      switch (t->kind) {
        case TypeKind::Object:
        case TypeKind::Interface:
          if (t->fields.empty()) {
            err(fmt::format("Type {} must define one or more fields.", t->name));
          }
          for (const auto& f : t->fields) {
            if (!t->built_in && f.name.substr(0, 2) == "__") {
              err(
                  fmt::format("Name \"{}\" must not begin with \"__\", which is reserved by "
                              "GraphQL introspection.",
                              f.name));
            }
            if (f.type && f.type->base().kind == TypeKind::InputObject) {
              err(fmt::format("The type of {}.{} must be Output Type but got: {}.", t->name, f.name,
                              f.type->to_string()));
            }
            for (const auto& a : f.arguments) {
              if (a.type && !a.type->base().is_input()) {
                err(fmt::format("The type of {}.{}({}:) must be Input Type but got: {}.", t->name,
                                f.name, a.name, a.type->to_string()));
              }
            }
          }
          for (const NamedType* iface : t->interfaces) check_implementation(*t, *iface);
          break;
        case TypeKind::Union:
          if (t->possible_types.empty()) {
            err(fmt::format("Union type {} must define one or more member types.", t->name));
          }
          break;
        case TypeKind::Enum:
          if (t->enum_values.empty()) {
            err(fmt::format("Enum type {} must define one or more values.", t->name));
          }
          break;
        case TypeKind::InputObject:
          if (t->input_fields.empty()) {
            err(fmt::format("Input Object type {} must define one or more fields.", t->name));
          }
          for (const auto& f : t->input_fields) {
            if (f.type && !f.type->base().is_input()) {
              err(fmt::format("The type of {}.{} must be Input Type but got: {}.", t->name, f.name,
                              f.type->to_string()));
            }
          }
          check_input_cycles(*t);
          break;
        case TypeKind::Scalar:
          break;
      }
    }
  }

  void check_implementation(const NamedType& t, const NamedType& iface) {
    auto err = [&](std::string m) { errors_.push_back(Error{std::move(m), {t.loc}, nullptr}); };
    if (&t == &iface) {
      err(
          fmt::format("Type {} cannot implement itself because it would create a circular "
                      "reference.",
                      t.name));
      return;
    }
    for (const NamedType* transitive : iface.interfaces) {
      if (!t.implements(*transitive)) {
        err(fmt::format("Type {} must implement {} because it is implemented by {}.", t.name,
                        transitive->name, iface.name));
      }
    }
    for (const auto& f : iface.fields) {
      const FieldDef* own = t.field(f.name);
      if (!own) {
        err(fmt::format("Interface field {}.{} expected but {} does not provide it.", iface.name,
                        f.name, t.name));
        continue;
      }
      if (!is_subtype(own->type, f.type)) {
        err(fmt::format("Interface field {}.{} expects type {} but {}.{} is type {}.", iface.name,
                        f.name, f.type ? f.type->to_string() : "?", t.name, own->name,
                        own->type ? own->type->to_string() : "?"));
      }
      for (const auto& a : f.arguments) {
        const InputValue* mine = own->argument(a.name);
        if (!mine) {
          err(
              fmt::format("Interface field argument {}.{}({}:) expected but {}.{} does not "
                          "provide it.",
                          iface.name, f.name, a.name, t.name, f.name));
        } else if (!same_type(mine->type, a.type)) {
          err(
              fmt::format("Interface field argument {}.{}({}:) expects type {} but {}.{}({}:) is "
                          "type {}.",
                          iface.name, f.name, a.name, a.type ? a.type->to_string() : "?", t.name,
                          f.name, a.name, mine->type ? mine->type->to_string() : "?"));
        }
      }
      for (const auto& a : own->arguments) {
        if (!f.argument(a.name) && a.type && a.type->non_null() && !a.default_value) {
          err(
              fmt::format("Object field {}.{} includes required argument {} that is missing from "
                          "the Interface field {}.{}.",
                          t.name, f.name, a.name, iface.name, f.name));
        }
      }
    }
  }

  // An input object may not reach itself through non-null, non-list fields only (spec 3.10.1).
  void check_input_cycles(const NamedType& start) {
    std::vector<const NamedType*> stack;
    std::function<bool(const NamedType&)> visit = [&](const NamedType& t) {
      if (&t == &start && !stack.empty()) return true;
      if (std::find(stack.begin(), stack.end(), &t) != stack.end()) return false;
      stack.push_back(&t);
      for (const auto& f : t.input_fields) {
        if (f.type && f.type->non_null() && f.type->of->kind == TypeRef::Kind::Named &&
            f.type->of->named->kind == TypeKind::InputObject && visit(*f.type->of->named)) {
          return true;
        }
      }
      stack.pop_back();
      return false;
    };
    if (visit(start)) {
      errors_.push_back(Error{fmt::format("Cannot reference Input Object \"{}\" within itself "
                                          "through a series of non-null fields.",
                                          start.name),
                              {start.loc},
                              nullptr});
    }
  }

  const SchemaOptions& options_;
  std::shared_ptr<Schema> schema_;
  std::vector<Error> errors_;
  std::map<const ast::TypeDefinition*, NamedType*> owners_;
  std::map<const DirectiveDef*, const ast::DirectiveDefinition*> directive_defs_;
  bool int_redeclared_ = false;
};

SchemaBuildResult build_schema(const ast::Document& document, const SchemaOptions& options) {
  SchemaBuilder builder(options);
  return builder.build(document);
}

SchemaBuildResult build_schema(std::string sdl, const SchemaOptions& options) {
  auto parsed = parse(std::move(sdl));
  if (!parsed.ok()) {
    SchemaBuildResult r;
    r.errors.push_back(*parsed.error);
    return r;
  }
  if (!parsed.document->operations.empty() || !parsed.document->fragments.empty()) {
    SchemaBuildResult r;
    Location loc = parsed.document->operations.empty() ? parsed.document->fragments[0].loc
                                                       : parsed.document->operations[0].loc;
    r.errors.push_back(
        Error{"A schema document holds only type-system definitions.", {loc}, nullptr});
    return r;
  }
  return build_schema(*parsed.document, options);
}

}  // namespace halo::graphql
