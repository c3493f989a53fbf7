// Parsing YAML text into a yaml::Document, exactly as yaml-cpp's YAML::Load reads it (the
// first document of the stream).
//
// Why two parsers: yaml-cpp's scanner alone takes ~6 ms on the largest configs, more than the
// whole compile may. So a hand-written parser reads the block-style subset that CI configs
// are written in (block and flow collections, plain/quoted/literal/folded scalars, comments,
// anchors, aliases). Anything outside that subset or anything malformed (tags, directives,
// complex keys, tabs or CRs where they matter, anchors in places where yaml-cpp reads
// indentation its own way, ...) is handed to yaml-cpp, whose tree is converted and whose errors are
// thrown as YAML::Exception. So the result never depends on which parser read the text: the unit
// and fuzz tests check that whenever the fast parser accepts an input, yaml-cpp gives the same
// tree, marks included.
#pragma once
#include <memory>
#include <string>
#include <string_view>

#include "config/yaml_tree.h"

namespace halo::config::yaml {

// Throws YAML::Exception (with its mark) when the text is not valid YAML.
std::unique_ptr<Document> load(std::string_view text);

// The two halves, for tests and the differential fuzzer.
// nullptr when the text is outside the fast parser's subset (or malformed).
std::unique_ptr<Document> load_fast(std::string_view text);
// Why the last load_fast on this thread declined: the parser's source line and the text's
// position (for tests and debugging).
std::string last_decline();
// Always yaml-cpp; throws YAML::Exception.
std::unique_ptr<Document> load_with_yaml_cpp(std::string_view text);

}  // namespace halo::config::yaml
