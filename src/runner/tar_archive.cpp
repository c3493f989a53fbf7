#include "runner/tar_archive.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <exception>
#include <memory>
#include <set>
#include <stdexcept>

namespace halo::runner {

namespace fs = std::filesystem;

namespace {

using ArchivePtr = std::unique_ptr<struct archive, int (*)(struct archive*)>;
using EntryPtr = std::unique_ptr<archive_entry, void (*)(archive_entry*)>;

struct WriteContext {
  ByteSink* sink;
  std::exception_ptr error;
};

la_ssize_t write_cb(struct archive*, void* ctx, const void* buf, size_t n) {
  auto* c = static_cast<WriteContext*>(ctx);
  try {
    c->sink->write(std::string_view(static_cast<const char*>(buf), n));
    return static_cast<la_ssize_t>(n);
  } catch (...) {
    c->error = std::current_exception();
    return -1;
  }
}

class Writer {
 public:
  Writer(ByteSink& out, const ArchiveOptions& options)
      : a_(archive_write_new(), archive_write_free), options_(options) {
    ctx_.sink = &out;
    archive_write_set_format_pax_restricted(a_.get());
    archive_write_set_bytes_in_last_block(a_.get(), 1);  // no padding past the end marker
    if (archive_write_open(a_.get(), &ctx_, nullptr, write_cb, nullptr) != ARCHIVE_OK) fail("open");
    if (options_.follow_symlinks_within) {
      bound_ = fs::weakly_canonical(*options_.follow_symlinks_within);
    }
  }

  void add(const fs::path& source, const std::string& name) {
    check_allowed(source);
    struct stat st {};
    if (lstat(source.c_str(), &st) != 0) {
      throw std::runtime_error(source.string() + ": no such file or directory");
    }
    if (S_ISLNK(st.st_mode) && options_.follow_symlinks_within) {
      std::error_code ec;
      fs::path target = fs::canonical(source, ec);
      if (ec) throw std::runtime_error(source.string() + ": the symlink's target does not exist");
      check_allowed(target);
      if (!inside(target, bound_)) {
        throw std::runtime_error(source.string() + ": the symlink points outside " +
                                 bound_.string() + " (to " + target.string() + ")");
      }
      if (stat(target.c_str(), &st) != 0)
        throw std::runtime_error(source.string() + ": cannot stat");
      if (S_ISDIR(st.st_mode)) {
        if (!visiting_.insert(target.string()).second) return;  // a cycle
        add_directory(target, name, st);
        visiting_.erase(target.string());
        return;
      }
      add_leaf(target, name, st);
      return;
    }
    if (S_ISDIR(st.st_mode)) {
      add_directory(source, name, st);
      return;
    }
    add_leaf(source, name, st);
  }

  ArchiveStats finish() {
    if (archive_write_close(a_.get()) != ARCHIVE_OK) fail("close");
    return stats_;
  }

 private:
  void check_allowed(const fs::path& p) const {
    if (options_.allowed && !options_.allowed(p)) {
      throw std::runtime_error(p.string() + ": not readable by jobs");
    }
  }

  static bool inside(const fs::path& p, const fs::path& dir) {
    auto rel = p.lexically_relative(dir);
    return !rel.empty() && *rel.begin() != "..";
  }

  void add_directory(const fs::path& dir, const std::string& name, const struct stat& st) {
    if (!name.empty()) header(name, st, nullptr);
    std::vector<fs::path> children;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      children.push_back(it->path());
    }
    if (ec) throw std::runtime_error(dir.string() + ": cannot list: " + ec.message());
    std::sort(children.begin(), children.end());  // reproducible archives
    for (const auto& c : children) {
      add(c, name.empty() ? c.filename().string() : name + "/" + c.filename().string());
    }
  }

  void add_leaf(const fs::path& source, const std::string& name, const struct stat& st) {
    if (S_ISLNK(st.st_mode)) {
      std::error_code ec;
      fs::path target = fs::read_symlink(source, ec);
      if (ec) throw std::runtime_error(source.string() + ": cannot read the symlink");
      header(name, st, target.c_str());
      return;
    }
    if (!S_ISREG(st.st_mode)) return;  // sockets, fifos, devices: nothing to carry
    int fd = open(source.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) throw std::runtime_error(source.string() + ": cannot open for reading");
    struct stat now {};
    fstat(fd, &now);
    header(name, now, nullptr);
    char buf[1 << 16];
    int64_t left = now.st_size;  // a file that grows meanwhile is cut at its size in the header
    while (left > 0) {
      ssize_t n = ::read(fd, buf, static_cast<size_t>(std::min<int64_t>(left, sizeof buf)));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      if (archive_write_data(a_.get(), buf, static_cast<size_t>(n)) < 0) {
        ::close(fd);
        fail("write");
      }
      left -= n;
      stats_.bytes += static_cast<uint64_t>(n);
    }
    ::close(fd);
    if (left > 0) {
      // The file shrank: the header promised more, so pad with zeros to keep the tar valid.
      std::string zeros(static_cast<size_t>(std::min<int64_t>(left, 1 << 16)), '\0');
      while (left > 0) {
        size_t n = static_cast<size_t>(std::min<int64_t>(left, static_cast<int64_t>(zeros.size())));
        if (archive_write_data(a_.get(), zeros.data(), n) < 0) fail("write");
        left -= static_cast<int64_t>(n);
      }
    }
  }

  void header(const std::string& name, const struct stat& st, const char* link) {
    EntryPtr e(archive_entry_new(), archive_entry_free);
    archive_entry_copy_stat(e.get(), &st);
    archive_entry_set_uid(e.get(), 0);
    archive_entry_set_gid(e.get(), 0);
    archive_entry_copy_pathname(e.get(), name.c_str());
    if (link) archive_entry_copy_symlink(e.get(), link);
    if (archive_write_header(a_.get(), e.get()) != ARCHIVE_OK) fail("header of " + name);
    ++stats_.entries;
  }

  [[noreturn]] void fail(const std::string& what) {
    if (ctx_.error) std::rethrow_exception(ctx_.error);
    const char* msg = archive_error_string(a_.get());
    throw std::runtime_error("tar " + what + ": " + (msg ? msg : "failed"));
  }

  ArchivePtr a_;
  WriteContext ctx_{};
  ArchiveOptions options_;
  fs::path bound_;
  std::set<std::string> visiting_;
  ArchiveStats stats_;
};

struct ReadContext {
  ByteSource* source;
  std::string buf;
  std::exception_ptr error;
};

la_ssize_t read_cb(struct archive*, void* ctx, const void** out) {
  auto* c = static_cast<ReadContext*>(ctx);
  try {
    size_t n = c->source->read(c->buf.data(), c->buf.size());
    *out = c->buf.data();
    return static_cast<la_ssize_t>(n);
  } catch (...) {
    c->error = std::current_exception();
    return -1;
  }
}

bool safe_name(const std::string& name) {
  if (name.empty() || name[0] == '/') return false;
  for (const auto& part : fs::path(name)) {
    if (part == "..") return false;
  }
  return true;
}

// Go's filepath.Match for one segment is close enough to fnmatch without FNM_PATHNAME on a
// segment that holds no '/'.
bool match_segments(const std::vector<std::string>& pat, size_t pi,
                    const std::vector<std::string>& name, size_t ni) {
  if (pi == pat.size()) return ni == name.size();
  if (pat[pi] == "**") {
    for (size_t k = ni; k <= name.size(); ++k) {
      if (match_segments(pat, pi + 1, name, k)) return true;
    }
    return false;
  }
  if (ni == name.size()) return false;
  if (fnmatch(pat[pi].c_str(), name[ni].c_str(), FNM_PERIOD) != 0) return false;
  return match_segments(pat, pi + 1, name, ni + 1);
}

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  for (const auto& part : fs::path(s).lexically_normal()) {
    if (part != "." && !part.empty()) out.push_back(part.string());
  }
  return out;
}

}  // namespace

ArchiveStats archive_paths(const std::vector<ArchiveItem>& items, ByteSink& out,
                           const ArchiveOptions& options) {
  Writer w(out, options);
  for (const auto& item : items) w.add(item.source, item.name);
  return w.finish();
}

ArchiveStats extract_archive(ByteSource& in, const PlaceFn& place) {
  ArchivePtr a(archive_read_new(), archive_read_free);
  archive_read_support_format_tar(a.get());
  ReadContext ctx{&in, std::string(1 << 16, '\0'), nullptr};
  auto fail = [&](const std::string& what) {
    if (ctx.error) std::rethrow_exception(ctx.error);
    const char* msg = archive_error_string(a.get());
    throw std::runtime_error(what + ": " + (msg ? msg : "failed"));
  };
  if (archive_read_open(a.get(), &ctx, nullptr, read_cb, nullptr) != ARCHIVE_OK) fail("tar");
  ArchivePtr disk(archive_write_disk_new(), archive_write_free);
  archive_write_disk_set_options(
      disk.get(), ARCHIVE_EXTRACT_TIME | ARCHIVE_EXTRACT_PERM | ARCHIVE_EXTRACT_UNLINK |
                      ARCHIVE_EXTRACT_SECURE_SYMLINKS | ARCHIVE_EXTRACT_SECURE_NODOTDOT);
  ArchiveStats stats;
  archive_entry* e = nullptr;
  while (true) {
    int r = archive_read_next_header(a.get(), &e);
    if (r == ARCHIVE_EOF) break;
    if (r < ARCHIVE_WARN) fail("tar");
    std::string name = archive_entry_pathname(e) ? archive_entry_pathname(e) : "";
    while (!name.empty() && name.back() == '/') name.pop_back();
    if (!safe_name(name)) throw std::runtime_error("refused the archive entry \"" + name + "\"");
    auto dest = place(name);
    if (!dest) throw std::runtime_error("refused the archive entry \"" + name + "\"");
    archive_entry_copy_pathname(e, dest->c_str());
    if (const char* hard = archive_entry_hardlink(e)) {
      std::string h = hard;
      auto hdest = safe_name(h) ? place(h) : std::nullopt;
      if (!hdest) throw std::runtime_error("refused the archive link \"" + h + "\"");
      archive_entry_copy_hardlink(e, hdest->c_str());
    }
    if (archive_write_header(disk.get(), e) != ARCHIVE_OK) {
      const char* msg = archive_error_string(disk.get());
      throw std::runtime_error(dest->string() + ": " + (msg ? msg : "cannot create"));
    }
    ++stats.entries;
    const void* buf;
    size_t size;
    la_int64_t offset;
    while ((r = archive_read_data_block(a.get(), &buf, &size, &offset)) == ARCHIVE_OK) {
      if (archive_write_data_block(disk.get(), buf, size, offset) < ARCHIVE_OK) {
        const char* msg = archive_error_string(disk.get());
        throw std::runtime_error(dest->string() + ": " + (msg ? msg : "cannot write"));
      }
      stats.bytes += size;
    }
    if (r != ARCHIVE_EOF) fail("tar");
    if (archive_write_finish_entry(disk.get()) < ARCHIVE_WARN) {
      const char* msg = archive_error_string(disk.get());
      throw std::runtime_error(dest->string() + ": " + (msg ? msg : "cannot finish"));
    }
  }
  if (archive_write_close(disk.get()) < ARCHIVE_WARN) {
    const char* msg = archive_error_string(disk.get());
    throw std::runtime_error(std::string("extract: ") + (msg ? msg : "failed"));
  }
  return stats;
}

void read_archive_files(ByteSource& in,
                        const std::function<void(const std::string& name, uint64_t size,
                                                 ByteSource& content)>& on_file) {
  ArchivePtr a(archive_read_new(), archive_read_free);
  archive_read_support_format_tar(a.get());
  ReadContext ctx{&in, std::string(1 << 16, '\0'), nullptr};
  auto fail = [&] {
    if (ctx.error) std::rethrow_exception(ctx.error);
    const char* msg = archive_error_string(a.get());
    throw std::runtime_error(std::string("tar: ") + (msg ? msg : "failed"));
  };
  if (archive_read_open(a.get(), &ctx, nullptr, read_cb, nullptr) != ARCHIVE_OK) fail();
  // The current entry's data, as a ByteSource.
  class EntrySource final : public ByteSource {
   public:
    explicit EntrySource(struct archive* a) : a_(a) {}
    size_t read(char* buf, size_t n) override {
      la_ssize_t r = archive_read_data(a_, buf, n);
      if (r < 0) {
        const char* msg = archive_error_string(a_);
        throw std::runtime_error(std::string("tar: ") + (msg ? msg : "read failed"));
      }
      return static_cast<size_t>(r);
    }

   private:
    struct archive* a_;
  };
  archive_entry* e = nullptr;
  while (true) {
    int r = archive_read_next_header(a.get(), &e);
    if (r == ARCHIVE_EOF) break;
    if (r < ARCHIVE_WARN) fail();
    if (archive_entry_filetype(e) != AE_IFREG) continue;
    std::string name = archive_entry_pathname(e) ? archive_entry_pathname(e) : "";
    EntrySource content(a.get());
    on_file(name, static_cast<uint64_t>(archive_entry_size(e)), content);
  }
}

std::vector<std::string> glob_paths(const fs::path& root, const std::string& pattern) {
  std::vector<std::string> out;
  if (pattern.find_first_of("*?[") == std::string::npos) {
    std::error_code ec;
    fs::path rel = fs::path(pattern).lexically_normal();
    if (fs::symlink_status(root / rel, ec).type() != fs::file_type::not_found && !ec) {
      out.push_back(rel.string() == "." ? "." : rel.generic_string());
    }
    return out;
  }
  auto pat = split(pattern);
  std::error_code ec;
  // Directories are walked but not followed through symlinks: a link loop cannot hang us.
  for (fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec),
       end;
       !ec && it != end; it.increment(ec)) {
    std::string rel = it->path().lexically_relative(root).generic_string();
    if (match_segments(pat, 0, split(rel), 0)) out.push_back(rel);
  }
  std::sort(out.begin(), out.end());
  // A matched directory carries its children: drop matches inside another match.
  std::set<std::string> kept;
  std::vector<std::string> pruned;
  for (const auto& p : out) {
    bool inside_kept = false;
    for (size_t slash = p.find('/'); slash != std::string::npos; slash = p.find('/', slash + 1)) {
      if (kept.count(p.substr(0, slash))) inside_kept = true;
    }
    if (inside_kept) continue;
    kept.insert(p);
    pruned.push_back(p);
  }
  return pruned;
}

}  // namespace halo::runner
