// What a resolver answers for one field of one parent object: null, a leaf (a scalar's or
// enum's JSON value), a list of values, an object (opaque data plus, where the position's type
// is abstract, the name of its object type), or a field error.
//
// Plain JSON is accepted wherever a Value is: a JSON array in a list position is a list, and a
// JSON object in an object position is an object whose fields the default resolver reads by
// name (its "__typename" member names its type when the position is abstract).
#pragma once
#include "api/graphql/error.h"

#include <any>
#include <string>
#include <vector>

namespace halo::graphql {

class Value {
 public:
  enum class Kind : uint8_t { Null, Leaf, List, Object, Error };

  Value() = default;  // null
  Value(Json leaf) : kind_(leaf.is_null() ? Kind::Null : Kind::Leaf), json_(std::move(leaf)) {}

  static Value null() { return Value(); }
  static Value list(std::vector<Value> items) {
    Value v;
    v.kind_ = Kind::List;
    v.items_ = std::move(items);
    return v;
  }
  // `data` is what the object's field resolvers receive as their parent; `type_name` is needed
  // only where the field's type is an interface or a union.
  static Value object(std::any data, std::string type_name = {}) {
    Value v;
    v.kind_ = Kind::Object;
    v.data_ = std::move(data);
    v.text_ = std::move(type_name);
    return v;
  }
  static Value error(std::string message) {
    Value v;
    v.kind_ = Kind::Error;
    v.text_ = std::move(message);
    return v;
  }

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::Null; }
  const Json& json() const { return json_; }  // Leaf
  Json&& take_json() { return std::move(json_); }
  std::vector<Value>& items() { return items_; }  // List
  const std::vector<Value>& items() const { return items_; }
  const std::any& data() const { return data_; }          // Object
  const std::string& type_name() const { return text_; }  // Object
  const std::string& message() const { return text_; }    // Error

  // The object's data as T, or null when it holds something else.
  template <class T>
  const T* as() const {
    return std::any_cast<T>(&data_);
  }

 private:
  Kind kind_ = Kind::Null;
  Json json_;
  std::vector<Value> items_;
  std::any data_;
  std::string text_;
};

}  // namespace halo::graphql
