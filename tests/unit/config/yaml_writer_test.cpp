// The YAML text writer of the processed config: every string reads back exactly through
// yaml-cpp, plain only where the compiler's typing keeps it a string, multi-line strings as
// literal blocks where a literal block holds them exactly, and the layout as golden text.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <set>
#include <string>
#include <vector>

#include "config/yaml_load.h"
#include "config/yaml_source.h"
#include "config/yaml_writer.h"

namespace halo::config {
namespace {

using namespace std::string_literals;

std::string visible(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (c == '\n') {
      out += "\\n";
    } else if (c < 0x20 || c >= 0x7F) {
      out += fmt::format("\\x{:02X}", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  return out.size() > 120 ? out.substr(0, 120) + "..." : out;
}

// Every case of the scalar style rules, and their neighbours that stay plain.
std::vector<std::string> hostile_strings() {
  std::vector<std::string> v = {
      // null, booleans (YAML 1.1 words in any case), the merge and value keys
      "", "~", "null", "Null", "NULL", "nULL", "y", "Y", "n", "N", "yes", "Yes", "YES", "no", "No",
      "NO", "true", "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off",
      "OFF", "<<", "=",
      // numbers in YAML 1.1 and 1.2, timestamps
      "0", "12", "-1", "+1", "007", "0x1F", "0X1f", "0o17", "0b101", "+0b1_0", "1e3", "1E-3",
      "1e+3", "1.5", ".5", "1.", "1_000", "1:30", "190:20:30.15", "+-1", "-+1", ".inf", "-.inf",
      "+.INF", ".nan", ".NaN", "2001-12-14", "2001-12-14t21:59:43.10-05:00", "1.2.3", "127.0.0.1",
      "99999999999999999999999", "-9223372036854775808",
      // indicators alone and leading
      "-", "?", ":", ",", "[", "]", "{", "}", "#", "&", "*", "!", "|", ">", "'", "\"", "%", "@",
      "`", "- x", "-x", "--verbose", "? x", "?x", ":x", ",x", "[x]", "{x}", "#x", "&a", "*a",
      "!tag", "|x", ">x", "'x'", "\"x\"", "%x", "@x", "`x`",
      // ": " and " #" inside, trailing ":", spaces, tabs, document markers
      "a: b", "a:b", "a:", "a::", "x #y", "x#y", "x # y", "http://x.y/z?q=1#f", " ", "  ", " a",
      "a ", "  leading", "trailing  ", "\t", "a\tb", "\ta", "a\t", "---", "--- x", "---x", "...",
      "... x", "a - b", "a ? b", "-x", "--verbose", "-Xmx3g", "?x1", ":x1", "-1a", "::x", "a, b",
      "a [b] {c}", "a'b", "a\"b", "back\\slash", "<<x", "x<<", "<< parameters.x >>",
      "\\<< parameters.x >>", "a << b >> c",
      // control characters and line breaks other than \n
      "\r", "a\rb", "a\r\nb", "\x01", "a\x7F", "a\x1B[0m", "\0nul"s, "x\0"s,
      // unicode: printable stays plain; NEL, LS, PS, BOM, C1 controls are escaped; bytes that are
      // not UTF-8 are kept
      "héllo wörld", "日本語", "emoji 🚀", "\u00A0nbsp", "a\u0085b", "a\u2028b", "a\u2029b",
      "\uFEFFbom", "\xC2\x80", "\xEF\xBF\xBE", "\xFF\xFE", "a\xC3", "\xED\xA0\x80",
      // multi-line: literal blocks with every chomping, indentation indicators, empty and
      // whitespace-only lines, tabs
      "\n", "\n\n", "\n\n\n", "a\nb", "a\nb\n", "a\nb\n\n", "a\nb\n\n\n", "\na", "\n\na\n",
      "  indented\nnext", " a\n b\n", "\n  x\n", " \n", "  \n", " \n\n", "\n ", "\n \n", "a\n  \nb",
      "a\n  ", "a\n  \n", "a\n \n\n", "a\n\nb", "a\n\tb", "\tx\ny", "\t\nx", "\t\n", "a\n\t",
      "trailing space \nnext", "echo one\necho two\n", "# comment\n- item\nkey: value\n",
      "---\n...\n", "a\n---\nb", "|\n>", "\"quoted\" and 'single'\n", "<< parameters.x >>\nx",
      "x: |\n  nested block\n", "héllo\nwörld 🚀\n",
      // multi-line that a literal block cannot hold: double-quoted
      "a\r\nb\r\n", "a\n\x01", "a\n\u2028", "a\n\u0085", "\n\xFF",
      // \0 inside multi-line
      "a\n\0"s};
  std::string long_plain(5000, 'x');
  v.push_back(long_plain);
  std::string long_words;
  for (int i = 0; i < 400; ++i) long_words += "word" + std::to_string(i) + " ";
  long_words += "end";
  v.push_back(long_words);
  v.push_back(long_words + ": x");
  std::string long_lines;
  for (int i = 0; i < 300; ++i) long_lines += "  line " + std::to_string(i) + "\n";
  v.push_back(long_lines);
  v.push_back(std::string(999, 'k'));
  v.push_back(std::string(1000, 'k'));
  v.push_back(std::string(1001, 'k'));
  v.push_back(std::string(998, 'q') + "#");  // 1000 bytes plain
  v.push_back(" " + std::string(998, 'q'));  // 1001 bytes quoted
  v.push_back(std::string(1500, 'z') + "\n" + std::string(1500, 'z'));
  return v;
}

// The document the hostile strings are written into: as map values, as keys, as sequence
// items (also in sequences of sequences), deep in sequences of maps the way steps are written
// (with a key after each string), as the first key of a compact map, and a literal block with
// keep chomping that ends the document.
std::string hostile_document(const std::vector<std::string>& strings,
                             const std::vector<std::string>& keys) {
  YamlWriter w;
  w.begin_map();
  w.key("values");
  w.begin_map();
  for (size_t i = 0; i < strings.size(); ++i) {
    w.key("k" + std::to_string(i));
    w.value(strings[i]);
  }
  w.end_map();
  w.key("keys");
  w.begin_map();
  for (const std::string& k : keys) {
    w.key(k);
    w.value("v");
  }
  w.end_map();
  w.key("items");
  w.begin_seq();
  for (const std::string& s : strings) w.value(s);
  w.end_seq();
  w.key("nested_items");
  w.begin_seq();
  for (const std::string& s : strings) {
    w.begin_seq();
    w.value(s);
    w.value(s);
    w.end_seq();
  }
  w.end_seq();
  w.key("steps");
  w.begin_seq();
  for (const std::string& s : strings) {
    w.begin_map();
    w.key("run");
    w.begin_map();
    w.key("command");
    w.value(s);
    w.key(s);
    w.value(s);
    w.key("after");
    w.value("x");
    w.end_map();
    w.end_map();
  }
  w.end_seq();
  w.key("first_keys");
  w.begin_seq();
  for (const std::string& k : keys) {
    w.begin_map();
    w.key(k);
    w.value(k);
    w.end_map();
  }
  w.end_seq();
  w.key("last");
  w.value("a\n\n\n");
  w.end_map();
  return w.take() + "\n";
}

// Both readers through one interface: yaml-cpp's YAML::Node and the compiler's yaml::Node.
std::vector<std::pair<YAML::Node, YAML::Node>> pairs_of(const YAML::Node& n) {
  std::vector<std::pair<YAML::Node, YAML::Node>> out;
  for (auto it = n.begin(); it != n.end(); ++it) out.emplace_back(it->first, it->second);
  return out;
}
std::vector<YAML::Node> items_of(const YAML::Node& n) {
  std::vector<YAML::Node> out;
  for (auto it = n.begin(); it != n.end(); ++it) out.push_back(*it);
  return out;
}
const std::vector<yaml::Pair>& pairs_of(const yaml::Node& n) {
  return n.pairs();
}
const std::vector<yaml::Node>& items_of(const yaml::Node& n) {
  return n.items();
}

// The type the config compiler gives a scalar: for its own nodes typed_scalar itself; for
// yaml-cpp's the same rule (yaml_source.cpp): quoted and block scalars (tag "!") are
// strings, plain ones (tag "?") resolve to null, bool or integer where they can.
json compiler_value(const yaml::Node& n) {
  return typed_scalar(n);
}
json compiler_value(const YAML::Node& n) {
  const std::string& s = n.Scalar();
  if (n.Tag() != "?") return s;
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
  if (auto b = parse_bool_word(s)) return *b;
  if (auto i = parse_int(s)) return *i;
  return s;
}

template <class N>
N value_of(const N& map, const std::string& key) {
  for (const auto& [k, v] : pairs_of(map)) {
    if (k.Scalar() == key) return v;
  }
  ADD_FAILURE() << "no key " << key;
  return N();
}

// The scalar reads back as `s`, with the tag of `style`, and the compiler types it a string.
template <class N>
void expect_reads_back(const N& n, const std::string& s, ScalarStyle style,
                       const std::string& where) {
  ASSERT_TRUE(n.IsScalar()) << where << ": " << visible(s);
  EXPECT_EQ(n.Scalar(), s) << where << ": " << visible(s) << " read back as "
                           << visible(n.Scalar());
  EXPECT_EQ(n.Tag(), style == ScalarStyle::Plain ? "?" : "!") << where << ": " << visible(s);
  EXPECT_EQ(compiler_value(n), json(s)) << where << ": " << visible(s);
}

template <class N>
void expect_hostile_document(const N& doc, const std::vector<std::string>& strings,
                             const std::vector<std::string>& keys, const std::string& reader) {
  ASSERT_TRUE(doc.IsMap()) << reader;
  const auto values = items_of(value_of(doc, "items"));
  const auto nested = items_of(value_of(doc, "nested_items"));
  const auto steps = items_of(value_of(doc, "steps"));
  ASSERT_EQ(values.size(), strings.size()) << reader;
  ASSERT_EQ(nested.size(), strings.size()) << reader;
  ASSERT_EQ(steps.size(), strings.size()) << reader;
  const N by_key = value_of(doc, "values");
  for (size_t i = 0; i < strings.size(); ++i) {
    const std::string& s = strings[i];
    ScalarStyle style = choose_style(s, ScalarContext::Value);
    expect_reads_back(value_of(by_key, "k" + std::to_string(i)), s, style, reader + " value");
    expect_reads_back(values[i], s, style, reader + " item");
    const auto pair = items_of(nested[i]);
    ASSERT_EQ(pair.size(), 2u) << reader << ": " << visible(s);
    expect_reads_back(pair[0], s, style, reader + " nested item");
    expect_reads_back(pair[1], s, style, reader + " nested item 2");
    const auto step = pairs_of(steps[i]);
    ASSERT_EQ(step.size(), 1u) << reader << ": " << visible(s);
    const auto run = pairs_of(step[0].second);
    ASSERT_EQ(run.size(), 3u) << reader << ": " << visible(s);
    expect_reads_back(run[0].second, s, style, reader + " step command");
    expect_reads_back(run[1].first, s, choose_style(s, ScalarContext::Key), reader + " step key");
    expect_reads_back(run[1].second, s, style, reader + " step key's value");
    expect_reads_back(run[2].second, "x", ScalarStyle::Plain, reader + " after step command");
  }
  // Keys in document order, with the tag that tells a plain << (a merge key) from a quoted one.
  const auto key_pairs = pairs_of(value_of(doc, "keys"));
  const auto first_keys = items_of(value_of(doc, "first_keys"));
  ASSERT_EQ(key_pairs.size(), keys.size()) << reader;
  ASSERT_EQ(first_keys.size(), keys.size()) << reader;
  for (size_t i = 0; i < keys.size(); ++i) {
    ScalarStyle key_style = choose_style(keys[i], ScalarContext::Key);
    EXPECT_NE(key_style, ScalarStyle::Literal);
    expect_reads_back(key_pairs[i].first, keys[i], key_style, reader + " key");
    EXPECT_EQ(key_pairs[i].second.Scalar(), "v") << reader;
    const auto first = pairs_of(first_keys[i]);
    ASSERT_EQ(first.size(), 1u) << reader << ": " << visible(keys[i]);
    expect_reads_back(first[0].first, keys[i], key_style, reader + " first key");
    expect_reads_back(first[0].second, keys[i], choose_style(keys[i], ScalarContext::Value),
                      reader + " first key's value");
  }
  expect_reads_back(value_of(doc, "last"), "a\n\n\n", ScalarStyle::Literal, reader + " last");
}

// Read back by yaml-cpp and by the compiler's own reader (yaml::load: the fast parser, or
// yaml-cpp where it declines).
TEST(YamlWriter, HostileStringsReadBackExactlyAsValuesKeysAndItems) {
  std::vector<std::string> strings = hostile_strings();
  std::vector<std::string> keys;
  std::set<std::string> seen;
  for (const std::string& s : strings) {
    if (seen.insert(s).second) keys.push_back(s);
  }
  std::string text = hostile_document(strings, keys);
  try {
    expect_hostile_document(YAML::Load(text), strings, keys, "yaml-cpp");
    auto doc = yaml::load(text);
    expect_hostile_document(doc->root(), strings, keys, "yaml::load");
  } catch (const YAML::Exception& e) {
    FAIL() << e.what() << "\n" << text.substr(0, 2000);
  }
}

// Each string alone as a step command, read by the fast parser when it takes the text: it
// must then read what yaml-cpp reads.
TEST(YamlWriter, TheFastParserReadsWhatYamlCppReads) {
  for (const std::string& s : hostile_strings()) {
    YamlWriter w;
    w.begin_map();
    w.key("steps");
    w.begin_seq();
    w.begin_map();
    w.key("run");
    w.begin_map();
    w.key("command");
    w.value(s);
    w.key(s);
    w.value("x");
    w.end_map();
    w.end_map();
    w.end_seq();
    w.end_map();
    std::string text = w.take() + "\n";
    auto fast = yaml::load_fast(text);
    if (!fast) continue;
    auto slow = yaml::load_with_yaml_cpp(text);
    std::string why;
    EXPECT_TRUE(yaml::same_tree(fast->root(), slow->root(), &why)) << visible(s) << ": " << why;
  }
}

TEST(YamlWriter, StylesFollowTheRules) {
  auto style = [](const std::string& s) { return choose_style(s, ScalarContext::Value); };
  const std::vector<std::string> plain = {"hello",
                                          "a:b",
                                          "x#y",
                                          "cimg/node:20.1",
                                          "90s",
                                          "10ms",
                                          "15d",
                                          "x-y",
                                          "large.gen3",
                                          "~/project",
                                          "./test-reports",
                                          "héllo",
                                          "e",
                                          "1e",
                                          "0x",
                                          "0xZZ",
                                          "1.0.0-beta",
                                          "15.4.0",
                                          "127.0.0.1",
                                          ".",
                                          "+",
                                          "a - b",
                                          "-x",
                                          "--verbose",
                                          "-Xmx3g",
                                          "-j 2",
                                          "?x",
                                          ":x",
                                          "-#",
                                          "-1a",
                                          "echo \"hi\"",
                                          "<<x",
                                          "a << b >> c",
                                          "\\<< parameters.x >>",
                                          "on_success",
                                          "nullable",
                                          "yes!"};
  for (const std::string& s : plain) EXPECT_EQ(style(s), ScalarStyle::Plain) << s;
  const std::vector<std::string> quoted = {
      "",      "~",    "null",     "NuLL",       "Yes",  "oFF", "y",  "N",    "<<",
      "=",     "0x1F", "1e3",      ".inf",       "0o17", "+1",  "-1", "11.0", "1.5e3",
      "1_000", "1:30", "2.1",      "2001-12-14", "-",    "?",   ":",  "- x",  "? x",
      ": x",   "#x",   "a: b",     "x #y",       "a:",   " a",  "a ", "a\tb", "---",
      "...",   "a\rb", "\xC2\x85", "\xFF",       "@x",   "`x`", "%x"};
  for (const std::string& s : quoted) EXPECT_EQ(style(s), ScalarStyle::DoubleQuoted) << visible(s);
  const std::vector<std::string> literal = {"a\nb",  "a\n",    "\n",      "\n\n",
                                            " a\nb", "a\n\tb", "a\n  \n", "a \nb"};
  for (const std::string& s : literal) {
    EXPECT_EQ(style(s), ScalarStyle::Literal) << visible(s);
    EXPECT_EQ(choose_style(s, ScalarContext::Key), ScalarStyle::DoubleQuoted) << visible(s);
    EXPECT_EQ(choose_style(s, ScalarContext::Flow), ScalarStyle::DoubleQuoted) << visible(s);
  }
  for (std::string s : {"a\r\nb", "a\n\x01", "a\n\u2028", "\n\xFF"}) {
    EXPECT_EQ(style(s), ScalarStyle::DoubleQuoted) << visible(s);
  }
  for (std::string s : {"a,b", "a[b]", "a}", "a:b", "a#b"}) {
    EXPECT_EQ(style(s), ScalarStyle::Plain) << s;
    EXPECT_EQ(choose_style(s, ScalarContext::Flow), ScalarStyle::DoubleQuoted) << s;
  }
}

std::string one_value(const std::string& key, const std::string& value) {
  YamlWriter w;
  w.begin_map();
  w.key(key);
  w.value(value);
  w.end_map();
  return w.take() + "\n";
}

TEST(YamlWriter, LiteralBlocksGolden) {
  EXPECT_EQ(one_value("command", "echo one\necho two\n"),
            "command: |\n"
            "  echo one\n"
            "  echo two\n");
  EXPECT_EQ(one_value("command", "echo one\necho two"),
            "command: |-\n"
            "  echo one\n"
            "  echo two\n");
  EXPECT_EQ(one_value("command", "echo one\n\n"),
            "command: |+\n"
            "  echo one\n"
            "\n");
  EXPECT_EQ(one_value("command", "\n"), "command: |+\n\n");
  // Content that begins with a space says its indentation; empty lines carry no spaces, lines
  // of spaces keep theirs.
  EXPECT_EQ(one_value("command", "  indented\nnext\n\nlast \n  \n"),
            "command: |2\n"
            "    indented\n"
            "  next\n"
            "\n"
            "  last \n"
            "    \n");
  EXPECT_EQ(one_value("k", "\n x"), "k: |2-\n\n   x\n");
  EXPECT_EQ(one_value("k", "\tTab\n"), "k: |\n  \tTab\n");
  // What a literal block cannot hold is double-quoted.
  EXPECT_EQ(one_value("k", "a\r\nb\r\n"), "k: \"a\\r\\nb\\r\\n\"\n");
  EXPECT_EQ(one_value("k", "a\n\x01\x7F\u0085\u2028\uFEFF\t\"\\"),
            "k: \"a\\n\\x01\\x7F\\u0085\\u2028\\uFEFF\\t\\\"\\\\\"\n");
  // Keys are never blocks.
  EXPECT_EQ(one_value("a\nb", "x"), "\"a\\nb\": x\n");

  YamlWriter w;
  w.begin_map();
  w.key("steps");
  w.begin_seq();
  w.value("checkout");
  w.begin_map();
  w.key("run");
  w.begin_map();
  w.key("name");
  w.value("build");
  w.key("command");
  w.value("make\nmake test\n");
  w.end_map();
  w.end_map();
  w.begin_map();
  w.key("run");
  w.value("set -e\n  ./indented.sh");
  w.end_map();
  w.value(" first\nsecond");
  w.end_seq();
  w.end_map();
  EXPECT_EQ(w.take() + "\n",
            "steps:\n"
            "  - checkout\n"
            "  - run:\n"
            "      name: build\n"
            "      command: |\n"
            "        make\n"
            "        make test\n"
            "  - run: |-\n"
            "      set -e\n"
            "        ./indented.sh\n"
            "  - |2-\n"
            "     first\n"
            "    second\n");
}

TEST(YamlWriter, LayoutGolden) {
  YamlWriter w;
  w.begin_map();
  w.key("version");
  w.raw("2.1");
  w.key("setup");
  w.boolean(true);
  w.key("jobs");
  w.begin_map();
  w.end_map();
  w.key("empty");
  w.begin_seq();
  w.end_seq();
  w.key("build");
  w.begin_map();
  w.key("docker");
  w.begin_seq();
  w.begin_map();
  w.key("image");
  w.value("cimg/base:2024.01");
  w.end_map();
  w.end_seq();
  w.key("parallelism");
  w.integer(-4);
  w.key("environment");
  w.begin_map();
  w.key("<<");
  w.value("true");
  w.key("N");
  w.value("12");
  w.end_map();
  w.end_map();
  w.key("requires");
  w.begin_seq();
  w.value("a");
  w.begin_map();
  w.key("b");
  w.flow_seq({"success", "failed", "a,b", "null"});
  w.end_map();
  w.begin_map();
  w.end_map();
  w.begin_seq();
  w.value("x");
  w.begin_seq();
  w.end_seq();
  w.end_seq();
  w.end_seq();
  w.key(std::string(1001, 'k'));
  w.begin_map();
  w.key("a");
  w.value("b");
  w.end_map();
  w.end_map();
  EXPECT_EQ(w.take() + "\n",
            "version: 2.1\n"
            "setup: true\n"
            "jobs: {}\n"
            "empty: []\n"
            "build:\n"
            "  docker:\n"
            "    - image: cimg/base:2024.01\n"
            "  parallelism: -4\n"
            "  environment:\n"
            "    \"<<\": \"true\"\n"
            "    \"N\": \"12\"\n"
            "requires:\n"
            "  - a\n"
            "  - b: [success, failed, \"a,b\", \"null\"]\n"
            "  - {}\n"
            "  - - x\n"
            "    - []\n"
            "? " +
                std::string(1001, 'k') +
                "\n"
                ":\n"
                "  a: b\n");
}

}  // namespace
}  // namespace halo::config
