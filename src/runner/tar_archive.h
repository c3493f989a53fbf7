// Tar streams of files on this host, for the host executor's side of built-in steps
// (workspaces, caches, artifacts): write the tar of some paths into a ByteSink, and extract a
// tar read from a ByteSource into places the caller chooses. Both stream: memory stays
// bounded whatever the size of the files.
#pragma once
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/byte_stream.h"

namespace halo::runner {

// One path to archive: `source` on this host (a file, a symlink or a directory, taken
// recursively), stored under `name` (relative, '/'-separated; a directory's entries go under
// name/).
struct ArchiveItem {
  std::filesystem::path source;
  std::string name;
};

struct ArchiveOptions {
  // Set: every path archived (and every symlink target followed) must pass it, or
  // archive_paths throws; what the job must not see stays out this way.
  std::function<bool(const std::filesystem::path&)> allowed;
  // Set: symlinks are followed and their targets stored, and a symlink whose target is
  // outside this directory makes archive_paths throw (artifacts). Unset: symlinks are stored
  // as symlinks (workspaces, caches).
  std::optional<std::filesystem::path> follow_symlinks_within;
};

struct ArchiveStats {
  uint64_t entries = 0;  // files, directories and links
  uint64_t bytes = 0;    // file contents
};

// Where an entry goes: its absolute destination, or nullopt to refuse the whole archive.
using PlaceFn = std::function<std::optional<std::filesystem::path>(const std::string& name)>;

// Writes a tar (POSIX pax) of `items` into `out`. Throws std::runtime_error with a message fit
// for the step's output when a path is missing or unreadable, or a symlink leaves its bound.
ArchiveStats archive_paths(const std::vector<ArchiveItem>& items, ByteSink& out,
                           const ArchiveOptions& options = {});

// Extracts the tar read from `in`: each entry's name goes through `place`. Names with "..",
// absolute names, and writes through symlinks are refused; existing files are replaced (so
// later layers win). Throws std::runtime_error with a message on a refused or corrupt entry.
ArchiveStats extract_archive(ByteSource& in, const PlaceFn& place);

// Reads the tar from `in` entry by entry without writing anything: `on_file` gets each
// regular file's name, size and content (read it, or not, before returning); directories and
// links are passed over. Throws std::runtime_error on a corrupt stream.
void read_archive_files(ByteSource& in,
                        const std::function<void(const std::string& name, uint64_t size,
                                                 ByteSource& content)>& on_file);

// Regular-file and directory paths under `root` that match `pattern` (relative to `root`;
// `*`, `?` and `[...]` match within one path segment as in Go's filepath.Match, `**` matches
// any number of segments), relative to `root`, sorted. A pattern without wildcards is
// returned as is when the path exists.
std::vector<std::string> glob_paths(const std::filesystem::path& root, const std::string& pattern);

}  // namespace halo::runner
