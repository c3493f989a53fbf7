#include "runner/checkout.h"

#include <string_view>

namespace halo::runner {

namespace {

std::string quote(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  out += "'";
  return out;
}

bool strip_prefix(std::string& s, std::string_view prefix) {
  if (s.rfind(prefix, 0) != 0) return false;
  s.erase(0, prefix.size());
  return true;
}

}  // namespace

std::string checkout_script(const CheckoutSpec& spec) {
  std::string ref = spec.ref;
  bool is_tag = spec.ref_is_tag;
  if (strip_prefix(ref, "refs/tags/")) {
    is_tag = true;
  } else {
    strip_prefix(ref, "refs/heads/");
  }

  std::string s;
  s += "set -e\n";
  s += "url=" + quote(spec.url) + "\n";
  s += "sha=" + quote(spec.sha) + "\n";
  s += "ref=" + quote(ref) + "\n";
  s += "dest=" + quote(spec.dest.string()) + "\n";
  s += "is_tag=" + std::string(is_tag ? "1" : "") + "\n";
  s += "export GIT_TERMINAL_PROMPT=0\n";
  if (!spec.ssh_key.empty()) {
    // The checkout key, and first-use trust of the host key (there is no known_hosts yet).
    s += "export GIT_SSH_COMMAND=" +
         quote("ssh -i " + quote(spec.ssh_key.string()) +
               " -o IdentitiesOnly=yes -o StrictHostKeyChecking=accept-new") +
         "\n";
  }
  s += R"SH(
if [ -e "$dest/.git" ]; then
  echo "Fetching into existing repository $dest"
  cd "$dest"
  git remote set-url origin "$url" 2>/dev/null || git remote add origin "$url"
  git fetch --force --tags origin '+refs/heads/*:refs/remotes/origin/*'
else
  if [ -e "$dest" ] && [ -n "$(ls -A "$dest")" ]; then
    echo "Directory ($dest) you are trying to checkout to is not empty and not a git repository" >&2
    exit 1
  fi
  echo "Cloning git repository"
  # --no-hardlinks: a local source (the server's mirror) must not share object files with a job.
  git clone --no-checkout --no-hardlinks "$url" "$dest"
  cd "$dest"
fi
if [ -n "$sha" ] && ! git cat-file -e "$sha^{commit}" 2>/dev/null; then
  git fetch --force origin "$sha"
fi
if [ -n "$sha" ]; then
  target=$sha
elif [ -n "$ref" ] && [ -n "$is_tag" ]; then
  target=refs/tags/$ref
elif [ -n "$ref" ]; then
  target=refs/remotes/origin/$ref
elif git rev-parse --verify --quiet refs/remotes/origin/HEAD >/dev/null; then
  target=refs/remotes/origin/HEAD
else
  target=HEAD
fi
if [ -n "$ref" ] && [ -z "$is_tag" ]; then
  echo "Checking out branch $ref at $target"
  git -c advice.detachedHead=false checkout --force -B "$ref" "$target"
else
  echo "Checking out $target"
  git -c advice.detachedHead=false checkout --force --detach "$target"
fi
git --no-pager log --no-decorate -1 --format='HEAD is now at %h %s'
)SH";
  return s;
}

}  // namespace halo::runner
