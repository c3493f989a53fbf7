// Orbs: the `orbs:` section of a config (or of an orb), with inline orbs and registry orbs
// (`ns/name@version`) loaded from a local orb directory (see orb_directory.h), into the name
// lookup of Elements.
#pragma once
#include <deque>
#include <map>
#include <memory>
#include <string>

#include "config/elements.h"
#include "config/substitution.h"
#include "config/yaml_source.h"

namespace halo::config {

// Everything orbs need while one config compiles; it owns the loaded orbs' elements.
class OrbLoader {
 public:
  // `orb_dir` empty: registry orbs cannot be resolved (each is reported by name).
  OrbLoader(std::string orb_dir, const PipelineScope* pipeline)
      : orb_dir_(std::move(orb_dir)), pipeline_(pipeline) {}

  // Reads an `orbs:` map into `home.orbs`. `importer` names the orb that imports them ("" for
  // the config), for messages.
  void import(const At& at, Elements& home, Diagnostics& diag, int depth = 0);

  // Fills `out` from the body of an orb (inline map or registry file).
  void load_body(const At& at, Elements& out, Diagnostics& diag, int depth);

 private:
  Elements* registry(const std::string& ref, const At& at, const std::string& importer,
                     Diagnostics& diag, int depth);

  std::string orb_dir_;
  const PipelineScope* pipeline_;
  std::deque<Elements> storage_;            // stable addresses for Elements::orbs pointers
  std::map<std::string, Elements*> cache_;  // registry reference -> its elements
  std::deque<std::unique_ptr<yaml::Document>> documents_;  // loaded orb files
};

}  // namespace halo::config
