// Why a workflow operation (approve, rerun) did not act, for its caller to answer with:
// a kind to map (REST: NotFound is 404, Invalid is 400) and a sentence for the user. An
// operation that refuses has changed nothing.
#pragma once
#include <string>

namespace halo::engine {

struct Refusal {
  enum class Kind {
    NotFound,  // the thing named does not exist where the caller said it is
    Invalid,   // it exists, but the operation does not apply to it now, or the input is wrong
  };
  Kind kind;
  std::string message;

  static Refusal not_found(std::string m) { return {Kind::NotFound, std::move(m)}; }
  static Refusal invalid(std::string m) { return {Kind::Invalid, std::move(m)}; }
};

}  // namespace halo::engine
