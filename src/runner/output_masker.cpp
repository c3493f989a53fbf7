#include "runner/output_masker.h"

#include <algorithm>

namespace halo::runner {

namespace {
constexpr const char* kMask = "********";
}

OutputMasker::OutputMasker(std::vector<std::string> secrets) {
  for (auto& s : secrets)
    if (s.size() >= 4) secrets_.push_back(std::move(s));
  std::sort(secrets_.begin(), secrets_.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  secrets_.erase(std::unique(secrets_.begin(), secrets_.end()), secrets_.end());
  for (auto& s : secrets_) longest_ = std::max(longest_, s.size());
}

std::string OutputMasker::mask_prefix(std::string_view text, size_t cut,
                                      size_t& consumed) const {
  std::string out;
  size_t i = 0;
  while (i < cut) {
    bool hit = false;
    for (const auto& s : secrets_) {
      if (text.compare(i, s.size(), s) == 0) {
        out += kMask;
        i += s.size();
        hit = true;
        break;
      }
    }
    if (!hit) out.push_back(text[i++]);
  }
  consumed = i;
  return out;
}

std::string OutputMasker::feed(std::string_view chunk) {
  if (secrets_.empty()) return std::string(chunk);
  pending_.append(chunk);
  // Everything except the last (longest-1) bytes is decided; a secret that starts in the
  // decided part and reaches into the held tail is taken whole.
  size_t keep = longest_ - 1;
  if (pending_.size() <= keep) return {};
  size_t consumed = 0;
  std::string out = mask_prefix(pending_, pending_.size() - keep, consumed);
  pending_.erase(0, consumed);
  return out;
}

std::string OutputMasker::flush() {
  size_t consumed = 0;
  std::string out = mask_prefix(pending_, pending_.size(), consumed);
  pending_.clear();
  return out;
}

MaskingReporter::MaskingReporter(JobReporter& inner, std::vector<std::string> secrets)
    : inner_(inner), secrets_(std::move(secrets)) {}

void MaskingReporter::step_started(int index, const config::Step& step, int64_t at_ms) {
  maskers_[index] = std::make_unique<OutputMasker>(secrets_);
  inner_.step_started(index, step, at_ms);
}

void MaskingReporter::output(int index, std::string_view data, int64_t at_ms) {
  auto& m = maskers_[index];
  if (!m) m = std::make_unique<OutputMasker>(secrets_);
  std::string safe = m->feed(data);
  last_output_ms_ = at_ms;
  if (!safe.empty()) inner_.output(index, safe, at_ms);
}

void MaskingReporter::step_finished(int index, const StepResult& result) {
  auto it = maskers_.find(index);
  if (it != maskers_.end()) {
    std::string rest = it->second->flush();
    if (!rest.empty()) inner_.output(index, rest, last_output_ms_ ? last_output_ms_ : result.ended_ms);
    maskers_.erase(it);
  }
  inner_.step_finished(index, result);
}

}  // namespace halo::runner
