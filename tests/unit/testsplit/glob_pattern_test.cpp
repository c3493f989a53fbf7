// CircleCI's glob syntax, rule by rule, on paths alone (no file system).
#include "testsplit/glob_pattern.h"

#include <gtest/gtest.h>

namespace halo::testsplit {
namespace {

bool match(const std::string& pattern, const std::string& path) {
  auto g = GlobPattern::compile(pattern);
  EXPECT_TRUE(g) << pattern;
  return g && g->matches(path);
}

TEST(GlobPattern, StarStaysInsideOneDirectory) {
  EXPECT_TRUE(match("tests/*.py", "tests/test_a.py"));
  EXPECT_TRUE(match("tests/*.py", "tests/.py"));
  EXPECT_FALSE(match("tests/*.py", "tests/unit/test_a.py"));
  EXPECT_FALSE(match("tests/*.py", "tests/test_a.pyc"));
  EXPECT_TRUE(match("*", "README"));
  EXPECT_FALSE(match("*", "a/b"));
  EXPECT_TRUE(match("t*s*_*.rb", "tests_x_y.rb"));
}

TEST(GlobPattern, DoubleStarCrossesAnyNumberOfDirectoriesIncludingNone) {
  EXPECT_TRUE(match("spec/**/*_spec.rb", "spec/a_spec.rb"));
  EXPECT_TRUE(match("spec/**/*_spec.rb", "spec/models/a_spec.rb"));
  EXPECT_TRUE(match("spec/**/*_spec.rb", "spec/a/b/c/d_spec.rb"));
  EXPECT_FALSE(match("spec/**/*_spec.rb", "lib/a_spec.rb"));
  EXPECT_TRUE(match("**/*.js", "index.js"));
  EXPECT_TRUE(match("**/*.js", "src/deep/index.js"));
  EXPECT_TRUE(match("src/**", "src/a/b"));
  EXPECT_TRUE(match("a/**/b/**/c", "a/x/b/y/z/c"));
  EXPECT_FALSE(match("a/**/b/**/c", "a/x/y/c"));
  // Inside a segment, ** is just a star.
  EXPECT_TRUE(match("a/x**y", "a/xzzy"));
  EXPECT_FALSE(match("a/x**y", "a/x/y"));
}

TEST(GlobPattern, QuestionMarkAndClassesMatchOneCharacter) {
  EXPECT_TRUE(match("test_?.go", "test_a.go"));
  EXPECT_FALSE(match("test_?.go", "test_ab.go"));
  EXPECT_FALSE(match("a?b", "a/b"));
  EXPECT_TRUE(match("part[123].js", "part2.js"));
  EXPECT_FALSE(match("part[123].js", "part4.js"));
  EXPECT_TRUE(match("part[0-9].js", "part7.js"));
  EXPECT_FALSE(match("part[!0-9].js", "part7.js"));
  EXPECT_TRUE(match("part[!0-9].js", "partx.js"));
  EXPECT_TRUE(match("x[]]y", "x]y"));
  // An unclosed bracket is a literal.
  EXPECT_TRUE(match("a[b", "a[b"));
}

TEST(GlobPattern, BracesOfferAlternativesAndNest) {
  EXPECT_TRUE(match("{unit,integration}/*.py", "unit/a.py"));
  EXPECT_TRUE(match("{unit,integration}/*.py", "integration/a.py"));
  EXPECT_FALSE(match("{unit,integration}/*.py", "e2e/a.py"));
  EXPECT_TRUE(match("src/**/*.{test,spec}.{js,ts}", "src/a/b.spec.ts"));
  EXPECT_TRUE(match("a/{b,c{d,e}}/f", "a/ce/f"));
  EXPECT_TRUE(match("x{,y}", "x"));
  auto expanded = expand_braces("a/{b,c{d,e}}", 100);
  ASSERT_TRUE(expanded);
  EXPECT_EQ(*expanded, (std::vector<std::string>{"a/b", "a/cd", "a/ce"}));
  // An unclosed brace is a literal.
  EXPECT_TRUE(match("a{b", "a{b"));
}

TEST(GlobPattern, BackslashMakesTheNextCharacterLiteral) {
  EXPECT_TRUE(match("a\\*b", "a*b"));
  EXPECT_FALSE(match("a\\*b", "axb"));
  EXPECT_TRUE(match("\\{a,b\\}", "{a,b}"));
}

TEST(GlobPattern, DotSlashAndRepeatedSlashesChangeNothingButAbsoluteStaysAbsolute) {
  EXPECT_TRUE(match("./tests/*.py", "tests/a.py"));
  EXPECT_TRUE(match("tests/*.py", "./tests/a.py"));
  EXPECT_TRUE(match("tests//*.py", "tests/a.py"));
  EXPECT_TRUE(match("/work/**/*.py", "/work/a/b.py"));
  EXPECT_FALSE(match("/work/**/*.py", "work/a/b.py"));
  EXPECT_FALSE(match("work/**/*.py", "/work/a/b.py"));
}

TEST(GlobPattern, TooManyBraceAlternativesAreRefusedWithAReason) {
  std::string pattern;
  for (int i = 0; i < 20; ++i) pattern += "{a,b}";
  std::string error;
  EXPECT_FALSE(GlobPattern::compile(pattern, &error));
  EXPECT_EQ(error, "the pattern's braces expand to more than 1024 patterns");
}

TEST(GlobPattern, BacktrackingStaysLinearOnHostileStars) {
  // A naive recursive matcher takes exponential time here.
  std::string pattern = "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b";
  std::string path(5000, 'a');
  EXPECT_FALSE(match(pattern, path));
}

TEST(GlobPattern, AWalkSkipsDirectoriesThatCannotHoldAMatch) {
  auto g = GlobPattern::compile("spec/{models,lib}/*_spec.rb");
  ASSERT_TRUE(g);
  EXPECT_TRUE(g->may_match_below("spec"));
  EXPECT_TRUE(g->may_match_below("spec/models"));
  EXPECT_FALSE(g->may_match_below("spec/models/deeper"));
  EXPECT_FALSE(g->may_match_below("app"));
  auto deep = GlobPattern::compile("spec/**/*_spec.rb");
  EXPECT_TRUE(deep->may_match_below("spec/a/b/c"));
  EXPECT_FALSE(deep->may_match_below("vendor"));
}

}  // namespace
}  // namespace halo::testsplit
