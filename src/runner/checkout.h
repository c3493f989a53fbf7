// The `checkout` step as a shell script around the git CLI (CircleCI's checkout is a script
// too), so its output streams and fails like any other step's.
#pragma once
#include <filesystem>
#include <string>

namespace halo::runner {

struct CheckoutSpec {
  std::string url;  // anything `git clone` accepts, local paths included
  std::string sha;  // commit to check out; empty: the tip of `ref` (or the default branch)
  // "main", "refs/heads/main", or a tag as "refs/tags/v1" (or plain, with ref_is_tag set).
  std::string ref;
  bool ref_is_tag = false;
  std::filesystem::path dest;  // absolute
  // Private key file for ssh URLs (the project's checkout key); empty: ssh's defaults.
  std::filesystem::path ssh_key;
};

// A POSIX sh script that clones `url` into `dest` (which must be missing, empty, or already a
// clone, which is then fetched into), and checks out `sha` on local branch `ref`, or detached
// for a tag or an empty ref.
std::string checkout_script(const CheckoutSpec& spec);

}  // namespace halo::runner
