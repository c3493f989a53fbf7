// The fast YAML parser against yaml-cpp: whenever the fast parser accepts a text, yaml-cpp
// must give the same tree (kinds, text, tags, marks, shared aliases); what it declines must
// still load through yaml-cpp. The corpus of real configs and orbs must all take the fast path.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "config/yaml_load.h"

namespace halo::config::yaml {
namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Both parsers on `text`; true when the fast one accepted it (and then they must agree).
bool agree(const std::string& text) {
  auto fast = load_fast(text);
  if (fast == nullptr) return false;
  std::unique_ptr<Document> slow;
  try {
    slow = load_with_yaml_cpp(text);
  } catch (const YAML::Exception& e) {
    ADD_FAILURE() << "the fast parser accepted what yaml-cpp rejects (" << e.what() << "):\n"
                  << text;
    return true;
  }
  std::string why;
  EXPECT_TRUE(same_tree(fast->root(), slow->root(), &why)) << why << "\nin:\n" << text;
  return true;
}

void expect_fast(const std::string& text) {
  EXPECT_TRUE(agree(text)) << "the fast parser declined (" << last_decline() << "):\n" << text;
}

void expect_declined(const std::string& text) {
  EXPECT_EQ(load_fast(text), nullptr) << text;
}

// Corpus files with a construct the fast parser declines on purpose (yaml-cpp reads them; the
// fast path is only speed). Each must still decline, so a fix shows here.
const std::map<std::string, std::string>& known_declines() {
  static const std::map<std::string, std::string> m{
      {"wandb__wandb.yml", "an anchor on a folded block scalar (&a >-)"},
      {"nipreps__mriqc.yml", "an escaped line break inside a double-quoted scalar"},
      {"circleci__circleci-images.yml", "a key: value pair inside a flow sequence ([image: x])"},
  };
  return m;
}

TEST(YamlLoad, EveryCorpusConfigAndOrbTakesTheFastPathAndAgrees) {
  std::vector<fs::path> files;
  for (const char* dir : {"configs", "orbs"}) {
    for (const auto& e : fs::recursive_directory_iterator(fs::path(HALO_SHARED_DIR) / dir)) {
      auto ext = e.path().extension();
      if (e.is_regular_file() && (ext == ".yml" || ext == ".yaml")) files.push_back(e.path());
    }
  }
  ASSERT_GT(files.size(), 70u);
  for (const auto& f : files) {
    SCOPED_TRACE(f.string());
    std::string text = read_file(f);
    auto known = known_declines().find(f.filename().string());
    if (known != known_declines().end() && f.parent_path().filename() == "configs") {
      EXPECT_EQ(load_fast(text), nullptr) << "now takes the fast path; remove it from the list";
      // What the compiler reads instead: yaml-cpp's tree, through the same entry point.
      EXPECT_NE(load(text), nullptr);
      continue;
    }
    expect_fast(text);
  }
}

// Every input the fuzzers kept (fuzz/regressions/) agrees when the fast parser takes it.
TEST(YamlLoad, FuzzRegressionsAgree) {
  size_t n = 0;
  for (const auto& e : fs::directory_iterator(HALO_FUZZ_REGRESSIONS)) {
    if (!e.is_regular_file()) continue;
    SCOPED_TRACE(e.path().string());
    agree(read_file(e.path()));
    ++n;
  }
  EXPECT_GT(n, 0u);
}

TEST(YamlLoad, BlockCollections) {
  expect_fast("a: 1\nb: two\n");
  expect_fast("a:\n  b:\n    c: d\n  e: f\ng: h\n");
  expect_fast("- a\n- b\n-\n- c\n");
  expect_fast("a:\n- x\n- y\nb: z\n");  // an indentless sequence
  expect_fast("a:\n  - x\n  -\n  - y: 1\n    z: 2\n");
  expect_fast("- - a\n  - b\n- - c\n");
  expect_fast("- a: 1\n  b:\n    - c\n- d\n");
  expect_fast("a:\nb:\n");
  expect_fast("a:\n");
  expect_fast("a: 1\n# trailing comment\n");
  expect_fast("# lead\n\na: 1 # comment\n\n\nb: [1, 2] # c\n");
  expect_fast("a: b:c\nd: http://x.y/z\ne: a#b\n");
  expect_fast("a   : spaced\n");
  expect_fast("'quoted key': 1\n\"dq\": 2\n");
  expect_fast("a: ~\nb: null\nc: Null\nd: NULL\ne: nulls\nf: '~'\n");
  expect_fast("k: v\n---\nsecond: doc\n");
  expect_fast("---\na: 1\n...\n");
  expect_fast("a: 1");
  expect_fast("a:\n  - ");  // marks at the end of the text
  expect_fast("a:");
  expect_fast("a:\n  b:\n    c:\n  ");
  expect_fast("a:\n  - x\n  -\n    ");
  expect_fast("a:\n- \n");
  expect_fast("");
  expect_fast("\n\n# only comments\n");
  expect_fast("a:\n  b: 1\n\n\n  c: 2\n");
  expect_fast("a:\n    deep: 1\n    deeper:\n        - x\n");
  expect_fast("- \n  a: 1\n");
  expect_fast("key with spaces: value with spaces  \n");
  expect_fast("a: -1\nb: -x\n");
  expect_fast("a: &s\n- x\nb: &t\n  - y\n");
  expect_fast("a: é ü\nb: 日本\n");
}

TEST(YamlLoad, PlainScalarsOverSeveralLines) {
  expect_fast("a: one\n  two\n  three\nb: 1\n");
  expect_fast("a: one\n\n  two\n\n\n  three\n");
  expect_fast("- one\n  two\n- three\n");
  expect_fast("a: one # comment\nb: two\n");
  expect_fast("a:\n  one\n  two\n");
  expect_fast("a: one\n  - two\n");
}

TEST(YamlLoad, QuotedScalars) {
  expect_fast("a: 'it''s'\n");
  expect_fast("a: 'one\n  two\n\n  three'\n");
  expect_fast("a: \"tab\\tnew\\nquote\\\" slash\\\\ \\/ \\x41 \\u00e9 \\U0001F600\"\n");
  expect_fast("a: \"one  \n  two\"\n");
  expect_fast("a: \"x\n\n\n  y\"\nb: 'y\n\n  z'\n");
  expect_fast("a: \"\"\nb: ''\n");
  expect_fast("a: \"#not a comment\"\n");
  expect_fast("- \"x\": 1\n  y: 2\n");
  expect_fast("a: \"\\0\\a\\b\\v\\f\\r\\e\\ \\N\\_\\L\\P\"\n");
}

TEST(YamlLoad, BlockScalars) {
  expect_fast("a: |\n  one\n  two\nb: 1\n");
  expect_fast("a: |-\n  one\n  two\n\nb: 1\n");
  expect_fast("a: |+\n  one\n\n\nb: 1\n");
  expect_fast("a: |\n  one\n\n  two\n\n");
  expect_fast("a: |\n    indented\n      more\n    back\n");
  expect_fast("a: |\n\n  after empty\n");
  expect_fast("a: |\nb: 1\n");
  expect_fast("a: |-\n");
  expect_fast("a: |+\n\n\n");
  expect_fast("a: >\n  folded\n  lines\n\n  para\n");
  expect_fast("a: >-\n  one\n    more\n  back\n");
  expect_fast("a: > # comment\n  x\n");
  expect_fast("- |\n  in a list\n- >\n  folded\n");
  expect_fast("a:\n  b: |\n    text\n  c: 1\n");
  expect_fast("a: |\n  tab\there\n");
  expect_fast("a: |\n  # not a comment\n");
  expect_fast("a: |\n  x\n  y");  // no line break at the end
  expect_fast("k: |2\n   x\n");   // indentation indicators
  expect_fast("a:\n  k: |2\n     x\n\n      y\n  z: 1\n");
  expect_fast("- |2\n   x\n- >1-\n  y\n");
  expect_fast("a:\n- |-2\n     x\nb: |+1\n  \n\n");
  expect_fast("- k: |2\n     x\n");
  expect_fast("a: |+\n  x\n  y");
  expect_fast("a: >\n  x\n  y");
}

TEST(YamlLoad, FlowCollections) {
  expect_fast("a: [1, 2, three]\n");
  expect_fast("a: []\nb: {}\n");
  expect_fast("a: {x: 1, y: [2, 3], z: {w: v}}\n");
  expect_fast("a: [x, y, ]\n");
  expect_fast("a: [\n  one,\n  two\n]\n");
  expect_fast("a: ['q', \"d\", p q]\n");
  expect_fast("a: [http://x, a:b]\n");
  expect_fast("- [a, b]\n- {c: d}\n");
}

TEST(YamlLoad, AnchorsAndAliases) {
  expect_fast("a: &x 1\nb: *x\n");
  expect_fast("base: &b\n  k: v\nuse:\n  <<: *b\n  z: 1\n");
  expect_fast("a: &l\n  - 1\nb: *l\n");
  expect_fast("a: &s [1, 2]\nb: [*s, &t x, *t]\n");
  expect_fast("- &i item\n- *i\n");
  expect_fast("a: &e\nb: *e\n");
  expect_fast("a: &m\n  \"k\": v\nb: &q\n  'text'\n");  // anchors on the line before
  expect_fast("a: &x\n  b: &x 1\nc: *x\n");             // redefined inside: the inner one stands
  expect_fast("a: &x [&x 1]\nc: *x\n");
  // Aliases share the node, so a billion laughs stays small.
  std::string bomb = "a: &a [x, x]\n";
  for (char c = 'b'; c <= 'z'; ++c) {
    bomb += std::string(1, c) + ": &" + c + " [*" + static_cast<char>(c - 1) + ", *" +
            static_cast<char>(c - 1) + "]\n";
  }
  expect_fast(bomb);
}

TEST(YamlLoad, DeclinesWhatItDoesNotHandle) {
  expect_declined("a: !!str 1\n");
  expect_declined("%YAML 1.2\n---\na: 1\n");
  expect_declined("? complex\n: key\n");
  expect_declined("a: 1\r\nb: 2\r\n");
  expect_declined("a:\tb\n");
  expect_declined("a: >+\n  x\n\n");
  expect_declined("a: \"line \\\n  joined\"\n");
  expect_declined("a: [k: v]\n");
  expect_declined("- &a one\n      two\n");
  expect_declined("- &a |\n  x\n");
  expect_declined("a: 1\n... - b\n");
  expect_declined("a: [x?]\n");
  expect_declined("a: &x [*x]\n");
  expect_declined("&:({}");
  expect_declined("a: &x 1\nb: &y\n  *x\n");          // an anchored alias
  expect_declined("\"\n\n\n\"\n");                    // a multi-line quoted root scalar
  expect_declined(std::string(1100, 'k') + ": v\n");  // keys over 1024 characters
  expect_declined("a: {" + std::string(1100, 'k') + ": v}\n");
  expect_declined("a: {k}\n");
  expect_declined("*x : 1\n");
  expect_declined("&a k: v\n");
  expect_declined("a: \xff\n");
  // Malformed input is yaml-cpp's to report.
  expect_declined("a: [1, 2\n");
  expect_declined("a: 'open\n");
  expect_declined("a: b: c\n");
  expect_declined("a:\n  - x\n  y: 1\n");
  expect_declined("a: *missing\n");
  expect_declined("  a: 1\n b: 2\n");
}

TEST(YamlLoad, LoadFallsBackToYamlCppAndThrowsItsErrors) {
  auto doc = load("a: !!str 1\n");
  ASSERT_TRUE(doc->root().IsMap());
  EXPECT_EQ(doc->root().pairs()[0].second.Scalar(), "1");
  EXPECT_EQ(doc->root().pairs()[0].second.Tag(), "tag:yaml.org,2002:str");
  EXPECT_THROW(load("a: [1, 2\n"), YAML::Exception);
}

TEST(YamlLoad, MarksAreZeroBasedLineAndColumn) {
  auto doc = load_fast("a:\n  b: 'x'\n");
  ASSERT_NE(doc, nullptr);
  Node b = doc->root().pairs()[0].second.pairs()[0].second;
  EXPECT_EQ(b.Mark().line, 1);
  EXPECT_EQ(b.Mark().column, 5);
  EXPECT_EQ(b.Tag(), "!");
}

}  // namespace
}  // namespace halo::config::yaml
