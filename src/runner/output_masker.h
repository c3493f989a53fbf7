// Replaces secret values in job output with "********" before anyone sees it, including a
// secret split across output chunks: the tail that could still begin a secret is held back
// until the next chunk (or the end of the step) decides it.
#pragma once
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "runner/job_executor.h"

namespace halo::runner {

class OutputMasker {
 public:
  // Values shorter than 4 characters are not masked (as on CircleCI: they would hide too much).
  explicit OutputMasker(std::vector<std::string> secrets);
  // Returns what can be shown now.
  std::string feed(std::string_view chunk);
  // Returns whatever is still held back (the step ended).
  std::string flush();
  bool empty() const { return secrets_.empty(); }

 private:
  // Masks text[0, cut) (a secret starting before `cut` is taken whole even past it) and
  // returns how far it got in `consumed`.
  std::string mask_prefix(std::string_view text, size_t cut, size_t& consumed) const;
  std::vector<std::string> secrets_;  // longest first, so a longer secret wins over its prefix
  size_t longest_ = 0;
  std::string pending_;
};

// A JobReporter that masks every step's output on its way to another reporter.
class MaskingReporter final : public JobReporter {
 public:
  MaskingReporter(JobReporter& inner, std::vector<std::string> secrets);
  void step_started(int index, const config::Step& step, int64_t at_ms) override;
  void output(int index, std::string_view data, int64_t at_ms) override;
  void step_finished(int index, const StepResult& result) override;

 private:
  JobReporter& inner_;
  std::vector<std::string> secrets_;
  std::map<int, std::unique_ptr<OutputMasker>> maskers_;  // one per step: background steps interleave
  int64_t last_output_ms_ = 0;
};

}  // namespace halo::runner
