// Spec section 5: one test per validation rule, each with documents the rule accepts and
// documents it refuses. Examples follow the spec's own where it gives some.
#include "graphql_test_util.h"

using namespace halo::graphql;
using namespace halo::graphql::testing;

// --- 5.1 Documents ---

TEST(Validation_5_1_1, ExecutableDefinitions) {
  EXPECT_VALID("query { dog { name } }");
  EXPECT_INVALID(
      "query { dog { name } } type Cow { name: String } extend type Dog { color: String }",
      "Type-system definitions are not executable");
  EXPECT_EQ(validation_errors("{ dog { name } } scalar X directive @d on FIELD").size(), 2u);
}

// --- 5.2 Operations ---

TEST(Validation_5_2_1_1, OperationNameUniqueness) {
  EXPECT_VALID("query getDogName { dog { name } } query getOwnerName { dog { owner { name } } }");
  EXPECT_INVALID("query getName { dog { name } } query getName { dog { owner { name } } }",
                 "There can be only one operation named \"getName\".");
  EXPECT_INVALID(
      "query dogOperation { dog { name } } mutation dogOperation { mutateDog(name: \"x\") { name } "
      "}",
      "There can be only one operation named \"dogOperation\".");
}

TEST(Validation_5_2_2_1, LoneAnonymousOperation) {
  EXPECT_VALID("{ dog { name } }");
  EXPECT_INVALID("{ dog { name } } query getName { dog { owner { name } } }",
                 "This anonymous operation must be the only defined operation.");
}

TEST(Validation_5_2_3_1, SubscriptionSingleRootField) {
  EXPECT_VALID("subscription sub { newMessage { body sender } }");
  EXPECT_VALID(
      "subscription sub { ...newMessageFields } fragment newMessageFields on Subscription { "
      "newMessage { body } }");
  EXPECT_INVALID("subscription sub { newMessage { body } disallowedSecondRootField }",
                 "Subscription \"sub\" must select only one top level field.");
  EXPECT_INVALID(
      "subscription sub { ...multipleSubscriptions } fragment multipleSubscriptions on "
      "Subscription { newMessage { body } disallowedSecondRootField }",
      "must select only one top level field");
  EXPECT_INVALID("subscription sub { newMessage { body } __typename }",
                 "must select only one top level field");
  EXPECT_INVALID("subscription sub { __typename }",
                 "must not select an introspection top level field");
}

TEST(Validation_5_2, OperationTypeMustExistInTheSchema) {
  auto schema = build_schema("type Query { a: Int }");
  ASSERT_TRUE(schema.ok());
  auto errors = validation_errors("mutation { a }", *schema.schema);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0], "Schema is not configured to execute mutation operation.");
}

// --- 5.3 Fields ---

TEST(Validation_5_3_1, FieldSelectionsOnObjectsInterfacesAndUnions) {
  EXPECT_VALID(
      "{ dog { ...interfaceFieldSelection } } fragment interfaceFieldSelection on Pet { name }");
  EXPECT_VALID("{ catOrDog { __typename ... on Pet { name } ... on Dog { barkVolume } } }");
  EXPECT_INVALID("{ dog { meowVolume } }", "Cannot query field \"meowVolume\" on type \"Dog\".");
  EXPECT_INVALID("{ dog { barkVolume: kawVolume } }",
                 "Cannot query field \"kawVolume\" on type \"Dog\".");
  EXPECT_INVALID("{ pet { nickname } }", "Cannot query field \"nickname\" on type \"Pet\".");
  EXPECT_INVALID("{ catOrDog { name } }", "Cannot query field \"name\" on type \"CatOrDog\".");
  EXPECT_INVALID("{ dog { __schema { queryType { name } } } }",
                 "Cannot query field \"__schema\" on type \"Dog\".");
}

TEST(Validation_5_3_2, FieldSelectionMerging) {
  EXPECT_VALID("{ dog { name name } }");
  EXPECT_VALID("{ dog { otherName: name otherName: name } }");
  EXPECT_VALID("{ dog { doesKnowCommand(dogCommand: SIT) doesKnowCommand(dogCommand: SIT) } }");
  EXPECT_VALID(
      "query($dogCommand: DogCommand!) { dog { doesKnowCommand(dogCommand: $dogCommand) "
      "doesKnowCommand(dogCommand: $dogCommand) } }");
  // Different object parents can never both apply.
  EXPECT_VALID("{ pet { ... on Dog { volume: barkVolume } ... on Cat { volume: meowVolume } } }");
  EXPECT_INVALID(
      "{ dog { name: nickname name } }",
      "Fields \"name\" conflict because \"nickname\" and \"name\" are different fields.");
  EXPECT_INVALID("{ dog { doesKnowCommand(dogCommand: SIT) doesKnowCommand(dogCommand: HEEL) } }",
                 "they have differing arguments");
  EXPECT_INVALID(
      "query($dogCommand: DogCommand!) { dog { doesKnowCommand(dogCommand: SIT) "
      "doesKnowCommand(dogCommand: $dogCommand) } }",
      "they have differing arguments");
  EXPECT_INVALID("{ dog { doesKnowCommand(dogCommand: SIT) doesKnowCommand } }",
                 "they have differing arguments");
  // Even mutually exclusive parents must agree on the response shape.
  EXPECT_INVALID(
      "{ pet { ... on Dog { someValue: nickname } ... on Cat { someValue: meowVolume } } }",
      "they return conflicting types \"String\" and \"Int\"");
  // Through fragments and in subselections.
  EXPECT_INVALID(
      "{ dog { ...A ...B } } fragment A on Dog { x: name } fragment B on Dog { x: nickname }",
      "Fields \"x\" conflict");
  EXPECT_INVALID("{ dog { owner { name } owner { name: pets { name } } } }",
                 "Fields \"name\" conflict because \"name\" and \"pets\" are different fields.");
}

TEST(Validation_5_3_2, AFieldOnAnInterfaceMayApplyWithEveryObjectsField) {
  EXPECT_INVALID(
      "{ pet { name ... on Dog { name: nickname } } }",
      "Fields \"name\" conflict because \"name\" and \"nickname\" are different fields.");
  EXPECT_INVALID(
      "{ pet { ... on Pet { n: name } ... on Cat { n: nickname } ... on Dog { n: name } } }",
      "\"name\" and \"nickname\" are different fields");
  EXPECT_VALID("{ pet { ... on Pet { name } ... on Cat { name } ... on Dog { name } } }");
}

TEST(Validation_5_3_2, ManyCopiesOfOneFieldMergeWithoutConflict) {
  std::string q = "{ dog { ";
  for (int i = 0; i < 1000; ++i) q += "owner { pets { name } } ";
  q += "} }";
  EXPECT_VALID(q);
  q.insert(q.size() - 4, "owner { pets { name: nickname } } ");
  EXPECT_INVALID(
      q, "Fields \"name\" conflict because \"name\" and \"nickname\" are different fields.");
}

TEST(Validation_5_3_3, LeafFieldSelections) {
  EXPECT_VALID("{ dog { barkVolume } }");
  EXPECT_INVALID(
      "{ dog { barkVolume { sinceWhen } } }",
      "Field \"barkVolume\" must not have a selection since type \"Int\" has no subfields.");
  EXPECT_INVALID("{ human }",
                 "Field \"human\" of type \"Human\" must have a selection of subfields.");
  EXPECT_INVALID("{ pet }", "Field \"pet\" of type \"Pet\" must have a selection of subfields.");
  EXPECT_INVALID("{ catOrDog }", "must have a selection of subfields");
}

// --- 5.4 Arguments ---

TEST(Validation_5_4_1, ArgumentNames) {
  EXPECT_VALID("{ dog { doesKnowCommand(dogCommand: SIT) } }");
  EXPECT_VALID("{ dog { name @include(if: true) } }");
  EXPECT_INVALID("{ dog { doesKnowCommand(command: CLEAN_UP_HOUSE, dogCommand: SIT) } }",
                 "Unknown argument \"command\" on field \"Dog.doesKnowCommand\".");
  EXPECT_INVALID("{ dog { name @include(unless: false, if: true) } }",
                 "Unknown argument \"unless\" on directive \"@include\".");
}

TEST(Validation_5_4_2, ArgumentUniqueness) {
  EXPECT_INVALID("{ arguments { multipleRequirements(x: 1, x: 2, y: 3) } }",
                 "There can be only one argument named \"x\".");
  EXPECT_INVALID("{ dog { name @include(if: true, if: false) } }",
                 "There can be only one argument named \"if\".");
}

TEST(Validation_5_4_2_1, RequiredArguments) {
  EXPECT_VALID("{ arguments { booleanArgField multipleRequirements(x: 1, y: 2) } }");
  EXPECT_VALID("{ arguments { optionalNonNullBooleanArgField } }");  // it has a default
  EXPECT_INVALID("{ arguments { nonNullBooleanArgField } }",
                 "Argument \"nonNullBooleanArg\" of type \"Boolean!\" is required on field "
                 "\"Arguments.nonNullBooleanArgField\", but it was not provided.");
  EXPECT_INVALID("{ arguments { nonNullBooleanArgField(nonNullBooleanArg: null) } }",
                 "Expected value of type \"Boolean!\", found null.");
  EXPECT_INVALID("{ dog { name @skip } }",
                 "Argument \"if\" of type \"Boolean!\" is required on directive \"@skip\"");
}

// --- 5.5 Fragments ---

TEST(Validation_5_5_1_1, FragmentNameUniqueness) {
  EXPECT_VALID(
      "{ dog { ...fragmentOne ...fragmentTwo } } fragment fragmentOne on Dog { name } fragment "
      "fragmentTwo on Dog { owner { name } }");
  EXPECT_INVALID(
      "{ dog { ...fragmentOne } } fragment fragmentOne on Dog { name } fragment fragmentOne on Dog "
      "{ owner { name } }",
      "There can be only one fragment named \"fragmentOne\".");
}

TEST(Validation_5_5_1_2, FragmentSpreadTypeExistence) {
  EXPECT_VALID(
      "{ dog { ...correctType ... on Dog { name } ... { name } } } fragment correctType on Dog { "
      "name }");
  EXPECT_INVALID(
      "{ dog { ...notOnExistingType } } fragment notOnExistingType on NotInSchema { name }",
      "Unknown type \"NotInSchema\".");
  EXPECT_INVALID("{ dog { ... on NotInSchema { name } } }", "Unknown type \"NotInSchema\".");
}

TEST(Validation_5_5_1_3, FragmentsOnCompositeTypes) {
  EXPECT_VALID(
      "{ dog { ...fragOnInterface ...fragOnUnion } } fragment fragOnInterface on Pet { name } "
      "fragment fragOnUnion on CatOrDog { ... on Dog { name } }");
  EXPECT_INVALID("{ dog { ...fragOnScalar } } fragment fragOnScalar on Int { something }",
                 "cannot condition on non composite type \"Int\"");
  EXPECT_INVALID("{ dog { ... on Boolean { somethingElse } } }",
                 "Fragment cannot condition on non composite type \"Boolean\".");
}

TEST(Validation_5_5_1_4, FragmentsMustBeUsed) {
  EXPECT_INVALID("fragment nameFragment on Dog { name } { dog { name } }",
                 "Fragment \"nameFragment\" is never used.");
  // Used only by an unused fragment is still unused.
  EXPECT_INVALID("fragment a on Dog { ...b } fragment b on Dog { name } { dog { name } }",
                 "Fragment \"b\" is never used.");
}

TEST(Validation_5_5_2_1, FragmentSpreadTargetDefined) {
  EXPECT_INVALID("{ dog { ...undefinedFragment } }", "Unknown fragment \"undefinedFragment\".");
}

TEST(Validation_5_5_2_2, FragmentSpreadsMustNotFormCycles) {
  EXPECT_INVALID(
      "{ dog { ...nameFragment } } fragment nameFragment on Dog { name ...barkVolumeFragment } "
      "fragment barkVolumeFragment on Dog { barkVolume ...nameFragment }",
      "Cannot spread fragment \"nameFragment\" within itself via \"barkVolumeFragment\".");
  EXPECT_INVALID("{ dog { ...self } } fragment self on Dog { name ...self }",
                 "Cannot spread fragment \"self\" within itself.");
  EXPECT_INVALID("{ dog { ...a } } fragment a on Dog { owner { pets { ... on Dog { ...a } } } }",
                 "Cannot spread fragment \"a\" within itself.");
  // A fragment spread twice is not a cycle.
  EXPECT_VALID("{ dog { ...a ...b } } fragment a on Dog { ...b } fragment b on Dog { name }");
}

TEST(Validation_5_5_2_3, FragmentSpreadIsPossible) {
  // 5.5.2.3.1 object spreads in object scope
  EXPECT_VALID("{ dog { ...dogFragment } } fragment dogFragment on Dog { barkVolume }");
  EXPECT_INVALID(
      "{ dog { ...catInDogFragmentInvalid } } fragment catInDogFragmentInvalid on Cat { meowVolume "
      "}",
      "Fragment \"catInDogFragmentInvalid\" cannot be spread here as objects of type \"Dog\" can "
      "never be of type \"Cat\".");
  // 5.5.2.3.2 abstract spreads in object scope
  EXPECT_VALID(
      "{ dog { ...petFragment ...catOrDogFragment } } fragment petFragment on Pet { name } "
      "fragment catOrDogFragment on CatOrDog { ... on Cat { meowVolume } }");
  EXPECT_INVALID("{ dog { ...sentientFragment } } fragment sentientFragment on Sentient { name }",
                 "can never be of type \"Sentient\"");
  EXPECT_INVALID(
      "{ dog { ...humanOrAlienFragment } } fragment humanOrAlienFragment on HumanOrAlien { ... on "
      "Cat { meowVolume } }",
      "can never be of type \"HumanOrAlien\"");
  // 5.5.2.3.3 object spreads in abstract scope
  EXPECT_VALID("{ pet { ... on Dog { barkVolume } } catOrDog { ... on Cat { meowVolume } } }");
  EXPECT_INVALID(
      "{ pet { ... on Human { name } } }",
      "Fragment cannot be spread here as objects of type \"Pet\" can never be of type \"Human\".");
  // 5.5.2.3.4 abstract spreads in abstract scope
  EXPECT_VALID(
      "{ pet { ...unionWithInterface } } fragment unionWithInterface on CatOrDog { ... on Dog { "
      "name } }");
  EXPECT_INVALID("{ pet { ...sentientFragment } } fragment sentientFragment on Sentient { name }",
                 "objects of type \"Pet\" can never be of type \"Sentient\"");
}

// --- 5.6 Values ---

TEST(Validation_5_6_1, ValuesOfCorrectType) {
  EXPECT_VALID(
      R"({ arguments { intArgField(intArg: 1) floatArgField(floatArg: 1) booleanArgField(booleanArg: true) } })");
  EXPECT_VALID(
      R"({ complicatedArgs { idArgField(idArg: 1) stringListArgField(stringListArg: "one") enumArgField(enumArg: SIT) } })");
  EXPECT_VALID(R"({ findDog(searchBy: {name: "Fido"}) { name } })");
  EXPECT_INVALID(R"({ arguments { intArgField(intArg: "123") } })",
                 "Expected value of type \"Int\", found \"123\"; Int cannot represent non-integer "
                 "value: \"123\"");
  EXPECT_INVALID(R"({ arguments { intArgField(intArg: 2147483648) } })",
                 "Int cannot represent non 32-bit signed integer value");
  EXPECT_INVALID(R"({ arguments { floatArgField(floatArg: true) } })",
                 "Expected value of type \"Float\", found true");
  EXPECT_INVALID(R"({ complicatedArgs { idArgField(idArg: 1.5) } })",
                 "Expected value of type \"ID\", found 1.5");
  EXPECT_INVALID(R"({ complicatedArgs { enumArgField(enumArg: "SIT") } })",
                 "Enum \"DogCommand\" cannot represent non-enum value: \"SIT\".");
  EXPECT_INVALID(R"({ complicatedArgs { enumArgField(enumArg: JUMP) } })",
                 "Value \"JUMP\" does not exist in \"DogCommand\" enum.");
  EXPECT_INVALID(
      R"({ complicatedArgs { stringListNonNullArgField(stringListNonNullArg: ["a", null]) } })",
      "Expected value of type \"String!\", found null.");
  EXPECT_INVALID(R"({ findDog(searchBy: "Fido") { name } })",
                 "Expected value of type \"FindDogInput\", found \"Fido\".");
  EXPECT_INVALID(R"(query ($a: Int = "one") { arguments { intArgField(intArg: $a) } })",
                 "Expected value of type \"Int\", found \"one\"");
}

TEST(Validation_5_6_2, InputObjectFieldNames) {
  EXPECT_VALID(R"({ findDog(searchBy: { name: "Fido" }) { name } })");
  EXPECT_INVALID(R"({ findDog(searchBy: { favoriteCookieFlavor: "Bacon" }) { name } })",
                 "Field \"favoriteCookieFlavor\" is not defined by type \"FindDogInput\".");
}

TEST(Validation_5_6_3, InputObjectFieldUniqueness) {
  EXPECT_INVALID(R"({ findDog(searchBy: { name: "a", name: "b" }) { name } })",
                 "There can be only one input field named \"name\".");
}

TEST(Validation_5_6_4, InputObjectRequiredFields) {
  EXPECT_VALID(R"({ complicatedArgs { complexArgField(complexArg: {requiredField: true}) } })");
  EXPECT_INVALID(
      R"({ complicatedArgs { complexArgField(complexArg: {intField: 4}) } })",
      "Field \"ComplexInput.requiredField\" of required type \"Boolean!\" was not provided.");
  EXPECT_INVALID(R"({ complicatedArgs { complexArgField(complexArg: {requiredField: null}) } })",
                 "Expected value of type \"Boolean!\", found null.");
}

// --- 5.7 Directives ---

TEST(Validation_5_7_1, DirectivesAreDefined) {
  EXPECT_INVALID("{ dog { name @unknown } }", "Unknown directive \"@unknown\".");
}

TEST(Validation_5_7_2, DirectivesAreInValidLocations) {
  EXPECT_VALID("query @onQuery { dog { name } }");
  EXPECT_INVALID("query @skip(if: $foo) { dog { name } }",
                 "Directive \"@skip\" may not be used on QUERY.");
  EXPECT_INVALID("{ dog { name @onQuery } }", "Directive \"@onQuery\" may not be used on FIELD.");
  EXPECT_INVALID("{ dog { ...F } } fragment F on Dog @skip(if: true) { name }",
                 "Directive \"@skip\" may not be used on FRAGMENT_DEFINITION.");
  EXPECT_INVALID("query ($a: Int @onQuery) { arguments { intArgField(intArg: $a) } }",
                 "Directive \"@onQuery\" may not be used on VARIABLE_DEFINITION.");
}

TEST(Validation_5_7_3, DirectivesAreUniquePerLocation) {
  EXPECT_INVALID(
      "query ($foo: Boolean = true, $bar: Boolean = false) { dog { name @skip(if: $foo) @skip(if: "
      "$bar) } }",
      "The directive \"@skip\" can only be used once at this location.");
}

TEST(Validation_5_7_3, NonRepeatableDirectivesAppearOncePerLocation) {
  EXPECT_INVALID(
      "query ($foo: Boolean = true, $bar: Boolean = false) { dog @skip(if: $foo) @skip(if: $bar) { "
      "name } }",
      "The directive \"@skip\" can only be used once at this location.");
  EXPECT_VALID("{ dog { name @repeatable(n: 1) @repeatable(n: 2) } }");
  EXPECT_VALID(
      "query ($foo: Boolean = true, $bar: Boolean = false) { dog { name @skip(if: $foo) name "
      "@skip(if: $bar) } }");
}

// --- 5.8 Variables ---

TEST(Validation_5_8_1, VariableUniqueness) {
  EXPECT_INVALID(
      "query houseTrainedQuery($atOtherHomes: Boolean, $atOtherHomes: Boolean) { dog { "
      "isHouseTrainedAt(atOtherHomes: $atOtherHomes) } }",
      "There can be only one variable named \"$atOtherHomes\".");
  EXPECT_VALID(
      "query A($atOtherHomes: Boolean) { ...HouseTrainedFragment } query B($atOtherHomes: Boolean) "
      "{ ...HouseTrainedFragment } fragment HouseTrainedFragment on Query { dog { "
      "isHouseTrainedAt(atOtherHomes: $atOtherHomes) } }");
}

TEST(Validation_5_8_2, VariablesAreInputTypes) {
  EXPECT_VALID(
      "query takesBoolean($atOtherHomes: Boolean) { dog { isHouseTrainedAt(atOtherHomes: "
      "$atOtherHomes) } }");
  EXPECT_VALID(
      "query takesComplexInput($complexInput: ComplexInput) { complicatedArgs { "
      "complexArgField(complexArg: $complexInput) } }");
  EXPECT_INVALID("query takesCat($cat: Cat) { dog { name } }",
                 "Variable \"$cat\" cannot be non-input type \"Cat\".");
  EXPECT_INVALID("query takesDogBang($dog: Dog!) { dog { name } }",
                 "cannot be non-input type \"Dog!\"");
  EXPECT_INVALID("query takesListOfPet($pets: [Pet]) { dog { name } }",
                 "cannot be non-input type \"[Pet]\"");
  EXPECT_INVALID("query takesCatOrDog($catOrDog: CatOrDog) { dog { name } }",
                 "cannot be non-input type");
  EXPECT_INVALID("query ($x: Nope) { dog { name } }", "Unknown type \"Nope\".");
}

TEST(Validation_5_8_3, AllVariableUsesDefined) {
  EXPECT_VALID(
      "query variableIsDefined($atOtherHomes: Boolean) { dog { isHouseTrainedAt(atOtherHomes: "
      "$atOtherHomes) } }");
  EXPECT_INVALID(
      "query variableIsNotDefined { dog { isHouseTrainedAt(atOtherHomes: $atOtherHomes) } }",
      "Variable \"$atOtherHomes\" is not defined by operation \"variableIsNotDefined\".");
  EXPECT_INVALID(
      "query variableIsNotDefinedUsedInSingleFragment { dog { ...isHouseTrainedFragment } } "
      "fragment isHouseTrainedFragment on Dog { isHouseTrainedAt(atOtherHomes: $atOtherHomes) }",
      "Variable \"$atOtherHomes\" is not defined");
  EXPECT_INVALID(
      "query A($atOtherHomes: Boolean) { ...F } query B { ...F } fragment F on Query { dog { "
      "isHouseTrainedAt(atOtherHomes: $atOtherHomes) } }",
      "Variable \"$atOtherHomes\" is not defined by operation \"B\".");
  EXPECT_INVALID(R"({ findDog(searchBy: {name: $n}) { name } })",
                 "Variable \"$n\" is not defined.");
}

TEST(Validation_5_8_4, AllVariablesUsed) {
  EXPECT_INVALID("query variableUnused($atOtherHomes: Boolean) { dog { isHouseTrainedAt } }",
                 "Variable \"$atOtherHomes\" is never used by operation \"variableUnused\".");
  EXPECT_VALID(
      "query variableUsedInFragment($atOtherHomes: Boolean) { dog { ...isHouseTrainedFragment } } "
      "fragment isHouseTrainedFragment on Dog { isHouseTrainedAt(atOtherHomes: $atOtherHomes) }");
  EXPECT_VALID("query ($b: Boolean!) { dog { name @include(if: $b) } }");
}

TEST(Validation_5_8_5, AllVariableUsagesAreAllowed) {
  EXPECT_INVALID(
      "query intCannotGoIntoBoolean($intArg: Int) { arguments { booleanArgField(booleanArg: "
      "$intArg) } }",
      "Variable \"$intArg\" of type \"Int\" used in position expecting type \"Boolean\".");
  EXPECT_INVALID(
      "query booleanListCannotGoIntoBoolean($booleanListArg: [Boolean]) { arguments { "
      "booleanArgField(booleanArg: $booleanListArg) } }",
      "of type \"[Boolean]\" used in position expecting type \"Boolean\"");
  EXPECT_INVALID(
      "query booleanArgQuery($booleanArg: Boolean) { arguments { "
      "nonNullBooleanArgField(nonNullBooleanArg: $booleanArg) } }",
      "of type \"Boolean\" used in position expecting type \"Boolean!\"");
  EXPECT_VALID(
      "query nonNullListToList($nonNullBooleanList: [Boolean]!) { arguments { "
      "booleanListArgField(booleanListArg: $nonNullBooleanList) } }");
  EXPECT_INVALID(
      "query listToNonNullList($booleanList: [Boolean]) { arguments { "
      "booleanListArgField(booleanListArg: $booleanList) } }",
      "of type \"[Boolean]\" used in position expecting type \"[Boolean]!\"");
  // A default on the variable or on the position allows a nullable variable.
  EXPECT_VALID(
      "query booleanArgQueryWithDefault($booleanArg: Boolean) { arguments { "
      "optionalNonNullBooleanArgField(optionalBooleanArg: $booleanArg) } }");
  EXPECT_VALID(
      "query booleanArgQueryWithDefault($booleanArg: Boolean = true) { arguments { "
      "nonNullBooleanArgField(nonNullBooleanArg: $booleanArg) } }");
  // Inside list and object literals, and in directives.
  EXPECT_INVALID("query ($s: Int) { complicatedArgs { stringListArgField(stringListArg: [$s]) } }",
                 "of type \"Int\" used in position expecting type \"String\"");
  EXPECT_INVALID("query ($s: Int) { findDog(searchBy: {name: $s}) { name } }",
                 "of type \"Int\" used in position expecting type \"String\"");
  EXPECT_INVALID("query ($b: Boolean) { dog { name @skip(if: $b) } }",
                 "of type \"Boolean\" used in position expecting type \"Boolean!\"");
  EXPECT_VALID("query ($b: Boolean!) { dog { name @skip(if: $b) } }");
}

TEST(Validation, ReportsLocationsOfBothConflictingNodes) {
  auto doc = parse_ok("query A { dog { name } }\nquery A { dog { name } }");
  auto errors = validate(*spec_schema(), doc);
  ASSERT_EQ(errors.size(), 1u);
  ASSERT_EQ(errors[0].locations.size(), 2u);
  EXPECT_EQ(errors[0].locations[0], (Location{1, 1}));
  EXPECT_EQ(errors[0].locations[1], (Location{2, 1}));
}

TEST(Validation, StopsAfterAHundredErrors) {
  std::string q = "{ dog { ";
  for (int i = 0; i < 150; ++i) q += "unknown" + std::to_string(i) + " ";
  q += "} }";
  auto errors = validation_errors(q);
  ASSERT_EQ(errors.size(), 101u);
  EXPECT_EQ(errors[99], "Cannot query field \"unknown99\" on type \"Dog\".");
  EXPECT_EQ(errors[100], "Too many validation errors, error limit reached. Validation aborted.");
}

TEST(Validation_5_8, ManyOperationsSpreadingOneFragmentAreEachChecked) {
  std::string q;
  for (int i = 0; i < 50; ++i) {
    q += "query Q" + std::to_string(i) + (i == 30 ? "" : "($b: Boolean)") + " { dog { ...F } } ";
  }
  q += "fragment F on Dog { ...G } fragment G on Dog { isHouseTrainedAt(atOtherHomes: $b) }";
  auto errors = validation_errors(q);
  ASSERT_EQ(errors.size(), 1u) << joined(errors);
  EXPECT_EQ(errors[0], "Variable \"$b\" is not defined by operation \"Q30\".");
}
