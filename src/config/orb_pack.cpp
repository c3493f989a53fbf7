#include "config/orb_pack.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include <fmt/format.h>

namespace halo::config {

namespace fs = std::filesystem;

namespace {

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Replaces a `<<include(path)>>` value with the file's content; the directive must be the
// whole value, and only one is allowed (as in the CircleCI CLI).
std::string include(const std::string& value, const fs::path& src, const std::string& where,
                    std::vector<std::string>& errors) {
  static const std::regex re(R"(<<\s*include\(([-\w/.]+)\)\s*>>)");
  auto begin = std::sregex_iterator(value.begin(), value.end(), re);
  auto end = std::sregex_iterator();
  size_t count = static_cast<size_t>(std::distance(begin, end));
  if (count == 0) return value;
  if (count > 1) {
    errors.push_back(fmt::format("{}: more than one include in one value", where));
    return value;
  }
  const std::smatch& m = *begin;
  if (m.str(0) != value) {
    errors.push_back(fmt::format("{}: an include must be the entire value: '{}'", where, value));
    return value;
  }
  fs::path file = src / m.str(1);
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) {
    errors.push_back(fmt::format("{}: included file {} does not exist", where, file.string()));
    return value;
  }
  return read_file(file);
}

// yaml-cpp writes literal blocks only for text it can represent exactly: ending in one
// newline, not starting with a space, no tabs or carriage returns, no trailing spaces.
bool literal_safe(const std::string& s) {
  if (s.size() < 2 || s.back() != '\n' || s[s.size() - 2] == '\n') return false;
  if (s.front() == ' ' || s.front() == '\n') return false;
  if (s.find_first_of("\t\r") != std::string::npos) return false;
  size_t pos = 0;
  while ((pos = s.find('\n', pos)) != std::string::npos) {
    if (pos > 0 && s[pos - 1] == ' ') return false;
    ++pos;
  }
  return true;
}

void emit(YAML::Emitter& out, const YAML::Node& n, const fs::path& src, const std::string& where,
          std::vector<std::string>& errors) {
  if (n.IsMap()) {
    out << YAML::BeginMap;
    for (auto it = n.begin(); it != n.end(); ++it) {
      out << YAML::Key;
      emit(out, it->first, src, where, errors);
      out << YAML::Value;
      emit(out, it->second, src, where, errors);
    }
    out << YAML::EndMap;
  } else if (n.IsSequence()) {
    out << YAML::BeginSeq;
    for (const auto& item : n) emit(out, item, src, where, errors);
    out << YAML::EndSeq;
  } else if (n.IsScalar()) {
    bool plain = n.Tag() == "?";
    std::string v = include(n.Scalar(), src, where, errors);
    bool included = v != n.Scalar();
    if (v.find('\n') != std::string::npos) {
      if (literal_safe(v)) {
        out << YAML::Literal << v;
      } else {
        out << YAML::DoubleQuoted << v;
      }
    } else if (!plain || included) {
      out << YAML::DoubleQuoted << v;
    } else {
      out << v;
    }
  } else {
    out << YAML::Null;
  }
}

}  // namespace

PackResult pack_orb(const std::string& src_dir) {
  PackResult r;
  fs::path src(src_dir);
  fs::path orb_file = src / "@orb.yml";
  std::error_code ec;
  if (!fs::is_regular_file(orb_file, ec)) {
    r.errors.push_back(fmt::format("{} does not exist", orb_file.string()));
    return r;
  }
  YAML::Node root;
  try {
    root = YAML::LoadFile(orb_file.string());
  } catch (const YAML::Exception& e) {
    r.errors.push_back(fmt::format("{}: {}", orb_file.string(), e.what()));
    return r;
  }
  if (root.IsNull()) root = YAML::Node(YAML::NodeType::Map);
  if (!root.IsMap()) {
    r.errors.push_back(fmt::format("{}: must be a map", orb_file.string()));
    return r;
  }
  for (const char* dir : {"commands", "jobs", "executors", "examples"}) {
    fs::path d = src / dir;
    if (!fs::is_directory(d, ec)) continue;
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(d)) {
      auto ext = entry.path().extension();
      if (entry.is_regular_file() && (ext == ".yml" || ext == ".yaml")) {
        files.push_back(entry.path());
      }
    }
    std::sort(files.begin(), files.end());  // directory order is not stable
    if (files.empty()) continue;
    YAML::Node section = root[dir];
    if (!section.IsDefined() || section.IsNull()) section = YAML::Node(YAML::NodeType::Map);
    for (const fs::path& f : files) {
      try {
        section[f.stem().string()] = YAML::LoadFile(f.string());
      } catch (const YAML::Exception& e) {
        r.errors.push_back(fmt::format("{}: {}", f.string(), e.what()));
      }
    }
    root[dir] = section;
  }
  YAML::Emitter out;
  emit(out, root, src, orb_file.string(), r.errors);
  if (!r.errors.empty()) return r;
  r.yaml = std::string(out.c_str()) + "\n";
  return r;
}

}  // namespace halo::config
