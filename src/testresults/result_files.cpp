#include "testresults/result_files.h"

#include <fmt/format.h>
#include <algorithm>

namespace halo::testresults {
namespace fs = std::filesystem;
namespace {

bool is_hidden(const fs::path& p) {
  std::string name = p.filename().string();
  return !name.empty() && name[0] == '.';
}

bool has_xml_extension(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return ext == ".xml";
}

// True when `inner` (both canonical) is `outer` or lies below it.
bool is_within(const fs::path& inner, const fs::path& outer) {
  auto [o, i] = std::mismatch(outer.begin(), outer.end(), inner.begin(), inner.end());
  return o == outer.end();
}

std::string source_of(const std::string& relative) {
  auto slash = relative.find('/');
  return slash == std::string::npos ? "unknown" : relative.substr(0, slash);
}

}  // namespace

FindResult find_result_files(const fs::path& root_arg, const FindOptions& options) {
  FindResult out;
  std::error_code ec;
  fs::path root = fs::canonical(root_arg, ec);
  if (ec) {
    out.error = fmt::format("{}: {}", root_arg.string(), ec.message());
    return out;
  }
  if (fs::is_regular_file(root, ec)) {
    out.files.push_back({root, root_arg.filename().string(), "unknown"});
    return out;
  }
  if (!fs::is_directory(root, ec)) {
    out.error = fmt::format("{}: neither a file nor a directory", root_arg.string());
    return out;
  }

  // Depth first, each directory's entries in name order, so that which files a limit
  // leaves out is the same on every run.
  std::vector<fs::path> pending{root};
  while (!pending.empty()) {
    fs::path dir = std::move(pending.back());
    pending.pop_back();
    std::vector<fs::directory_entry> entries;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      entries.push_back(*it);
    }
    if (ec) {
      out.warnings.push_back(fmt::format(
          "{}: cannot be read: {}", dir.lexically_relative(root).generic_string(), ec.message()));
      ec.clear();
    }
    std::sort(entries.begin(), entries.end());
    std::vector<fs::path> subdirs;
    for (const fs::directory_entry& entry : entries) {
      const fs::path& p = entry.path();
      if (is_hidden(p)) continue;
      fs::file_status link_status = entry.symlink_status(ec);
      if (ec) {
        ec.clear();
        continue;
      }
      if (fs::is_directory(link_status)) {
        subdirs.push_back(p);
        continue;
      }
      if (!has_xml_extension(p)) continue;
      // Lexically: fs::relative would resolve the link we are about to judge.
      std::string relative = p.lexically_relative(root).generic_string();
      fs::path target = p;
      if (fs::is_symlink(link_status)) {
        target = fs::canonical(p, ec);
        if (ec) {
          out.warnings.push_back(fmt::format("{}: ignored, a link to nothing", relative));
          ec.clear();
          continue;
        }
        if (!is_within(target, root)) {
          out.warnings.push_back(fmt::format("{}: ignored, a link that leads outside {}", relative,
                                             root_arg.string()));
          ec.clear();
          continue;
        }
      }
      if (!fs::is_regular_file(target, ec)) {  // a link to a directory, a FIFO, a socket
        ec.clear();
        continue;
      }
      if (out.files.size() >= options.max_files) {
        out.warnings.push_back(
            fmt::format("more than {} report files: the rest are ignored", options.max_files));
        subdirs.clear();
        pending.clear();
        break;
      }
      out.files.push_back({target, relative, source_of(relative)});
    }
    pending.insert(pending.end(), subdirs.rbegin(), subdirs.rend());
  }
  std::sort(out.files.begin(), out.files.end(),
            [](const ResultFile& a, const ResultFile& b) { return a.relative < b.relative; });
  return out;
}

}  // namespace halo::testresults
