// A local orb directory: which copy of a registry orb a reference `ns/name@version` gets, and
// that copy's text. A directory may hold several versions of an orb, each as a packed file
// `DIR/ns/name@1.2.3.yml` or a folder `DIR/ns/name@1.2.3/` holding a source tree `src/` (with
// `@orb.yml`) or a packed `orb.yml`; and one copy without a version (`DIR/ns/name.yml`,
// `DIR/ns/name/src`, `DIR/ns/name/orb.yml`).
#pragma once
#include <optional>
#include <string>

namespace halo::config {

// One copy of an orb in the directory.
struct OrbCopy {
  std::string path;          // the packed file, or the source tree's src/ directory
  bool source_tree = false;  // `path` is a src/ directory to pack
  std::string version;       // as the copy is named; empty for the copy without a version
};

struct OrbLookup {
  std::optional<OrbCopy> copy;
  std::string why_not;  // when there is no copy: what the directory holds instead
};

// The copy `version` gets, as the registry resolves it: a copy named exactly so; for `1` or
// `1.2`, the highest version that starts so; for `volatile`, the highest version. When the
// directory holds no versioned copy of the orb at all, its copy without a version (which may
// be any version). Otherwise none: a missing version is never replaced by another one.
OrbLookup find_orb_copy(const std::string& orb_dir, const std::string& ns, const std::string& name,
                        const std::string& version);

// The orb YAML of a copy: the file, or the source tree packed as `halo orb pack` packs it.
// Packed trees are kept for the life of the process, and packed again when a file of the tree
// changes. Nullopt with `error` set when the copy cannot be read or packed.
std::optional<std::string> read_orb_copy(const OrbCopy& copy, std::string& error);

}  // namespace halo::config
