// Shared fixtures of the GraphQL engine tests: the schema of the spec's validation examples
// (section 5: Dog, Cat, Pet, Human, Alien...), helpers to parse, validate and execute.
#pragma once
#include <gtest/gtest.h>

#include "api/graphql/executor.h"
#include "api/graphql/parser.h"
#include "api/graphql/schema_builder.h"
#include "api/graphql/validator.h"

#include <atomic>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace halo::graphql::testing {

inline const char* spec_schema_sdl = R"(
type Query {
  dog: Dog
  findDog(searchBy: FindDogInput): Dog
  human: Human
  pet: Pet
  catOrDog: CatOrDog
  arguments: Arguments
  complicatedArgs: ComplicatedArgs
}

type Mutation { mutateDog(name: String!): Dog }

type Subscription {
  newMessage: Message
  disallowedSecondRootField: Boolean
}

type Message { body: String sender: String }

enum DogCommand { SIT DOWN HEEL }

type Dog implements Pet {
  name: String!
  nickname: String
  barkVolume: Int
  doesKnowCommand(dogCommand: DogCommand!): Boolean!
  isHouseTrainedAt(atOtherHomes: Boolean): Boolean!
  owner: Human
}

interface Sentient { name: String! }
interface Pet { name: String! }

type Alien implements Sentient { name: String! homePlanet: String }
type Human implements Sentient { name: String! pets: [Pet!] }

enum CatCommand { JUMP }

type Cat implements Pet {
  name: String!
  nickname: String
  doesKnowCommand(catCommand: CatCommand!): Boolean!
  meowVolume: Int
}

union CatOrDog = Cat | Dog
union DogOrHuman = Dog | Human
union HumanOrAlien = Human | Alien

input FindDogInput { name: String owner: String }

type Arguments {
  multipleRequirements(x: Int!, y: Int!): Int!
  booleanArgField(booleanArg: Boolean): Boolean
  floatArgField(floatArg: Float): Float
  intArgField(intArg: Int): Int
  nonNullBooleanArgField(nonNullBooleanArg: Boolean!): Boolean!
  booleanListArgField(booleanListArg: [Boolean]!): [Boolean]
  optionalNonNullBooleanArgField(optionalBooleanArg: Boolean! = false): Boolean!
}

input ComplexInput {
  requiredField: Boolean!
  nonNullField: Boolean! = false
  intField: Int
  stringField: String
  stringListField: [String]
}

type ComplicatedArgs {
  idArgField(idArg: ID): String
  stringArgField(stringArg: String): String
  enumArgField(enumArg: DogCommand): String
  complexArgField(complexArg: ComplexInput): String
  stringListArgField(stringListArg: [String]): String
  stringListNonNullArgField(stringListNonNullArg: [String!]): String
}

directive @repeatable(n: Int) repeatable on FIELD
directive @onQuery on QUERY
)";

inline std::shared_ptr<const Schema> spec_schema() {
  static std::shared_ptr<const Schema> schema = [] {
    auto built = build_schema(spec_schema_sdl);
    if (!built.ok()) {
      for (const auto& e : built.errors) ADD_FAILURE() << e.message;
    }
    return built.schema;
  }();
  return schema;
}

inline ast::Document parse_ok(const std::string& text) {
  auto parsed = parse(text);
  if (!parsed.ok()) {
    ADD_FAILURE() << parsed.error->message << " at " << parsed.error->locations[0].line << ":"
                  << parsed.error->locations[0].column;
    return {};
  }
  return std::move(*parsed.document);
}

// Validation messages of a document against the spec schema.
inline std::vector<std::string> validation_errors(const std::string& query,
                                                  const Schema& schema = *spec_schema()) {
  auto doc = parse_ok(query);
  std::vector<std::string> out;
  for (const auto& e : validate(schema, doc)) out.push_back(e.message);
  return out;
}

inline std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& m : v) s += m + "\n";
  return s;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace halo::graphql::testing

// A document must pass validation.
#define EXPECT_VALID(query)                                                \
  do {                                                                     \
    auto errs_ = ::halo::graphql::testing::validation_errors(query);       \
    EXPECT_TRUE(errs_.empty()) << ::halo::graphql::testing::joined(errs_); \
  } while (0)

// A document must fail validation with an error containing `fragment`.
#define EXPECT_INVALID(query, fragment)                                                     \
  do {                                                                                      \
    auto errs_ = ::halo::graphql::testing::validation_errors(query);                        \
    bool found_ = false;                                                                    \
    for (const auto& e_ : errs_) found_ = found_ || e_.find(fragment) != std::string::npos; \
    EXPECT_TRUE(found_) << "expected \"" << (fragment) << "\" among:\n"                     \
                        << ::halo::graphql::testing::joined(errs_);                         \
  } while (0)
