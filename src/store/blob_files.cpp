#include "store/blob_files.h"

#include <fcntl.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "common/crypto.h"

namespace halo::store {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kTmpSuffix = ".part";

class FileSource final : public ByteSource {
 public:
  explicit FileSource(const fs::path& p) : fd_(::open(p.c_str(), O_RDONLY | O_CLOEXEC)) {
    if (fd_ < 0) throw std::runtime_error("cannot open blob: " + std::string(std::strerror(errno)));
  }
  ~FileSource() override { ::close(fd_); }
  size_t read(char* buf, size_t n) override {
    while (true) {
      ssize_t r = ::read(fd_, buf, n);
      if (r >= 0) return static_cast<size_t>(r);
      if (errno != EINTR)
        throw std::runtime_error("cannot read blob: " + std::string(std::strerror(errno)));
    }
  }

 private:
  int fd_;
};

bool valid_name(const std::string& name) {
  // kind/xx/yyyy...: lowercase letters, digits, '-', '/' only; never "..".
  if (name.empty() || name.size() > 100 || name.find("..") != std::string::npos) return false;
  for (char c : name) {
    if (!(std::islower(static_cast<unsigned char>(c)) ||
          std::isdigit(static_cast<unsigned char>(c)) || c == '/' || c == '-'))
      return false;
  }
  return name[0] != '/';
}

}  // namespace

BlobFiles::BlobFiles(fs::path root) : root_(std::move(root)) {
  fs::create_directories(root_);
}

BlobFiles::Pending::Pending(fs::path tmp, fs::path final_path, std::string name, int fd)
    : tmp_(std::move(tmp)), final_(std::move(final_path)), name_(std::move(name)), fd_(fd) {}

BlobFiles::Pending::~Pending() {
  if (fd_ >= 0) {
    ::close(fd_);
    ::unlink(tmp_.c_str());
  }
}

void BlobFiles::Pending::write(std::string_view data) {
  if (fd_ < 0) throw std::logic_error("blob already committed");
  while (!data.empty()) {
    ssize_t n = ::write(fd_, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::runtime_error("cannot write blob: " + std::string(std::strerror(errno)));
    data.remove_prefix(static_cast<size_t>(n));
    size_ += static_cast<uint64_t>(n);
  }
}

std::string BlobFiles::Pending::commit() {
  if (fd_ < 0) throw std::logic_error("blob already committed");
  // Whole before visible: the record that names the blob is written after this returns.
  if (::fdatasync(fd_) != 0 || ::close(fd_) != 0) {
    fd_ = -1;
    ::unlink(tmp_.c_str());
    throw std::runtime_error("cannot write blob: " + std::string(std::strerror(errno)));
  }
  fd_ = -1;
  if (::rename(tmp_.c_str(), final_.c_str()) != 0) {
    ::unlink(tmp_.c_str());
    throw std::runtime_error("cannot store blob: " + std::string(std::strerror(errno)));
  }
  return name_;
}

std::unique_ptr<BlobFiles::Pending> BlobFiles::create(std::string_view kind) {
  std::string id = hex(random_bytes(16));
  std::string name = std::string(kind) + "/" + id.substr(0, 2) + "/" + id;
  fs::path final_path = root_ / name;
  fs::create_directories(final_path.parent_path());
  fs::path tmp = final_path;
  tmp += kTmpSuffix;
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error("cannot create blob: " + std::string(std::strerror(errno)));
  return std::make_unique<Pending>(tmp, final_path, name, fd);
}

std::unique_ptr<ByteSource> BlobFiles::open(const std::string& name) const {
  if (!valid_name(name)) throw std::runtime_error("not a blob name");
  return std::make_unique<FileSource>(root_ / name);
}

fs::path BlobFiles::path(const std::string& name) const {
  if (!valid_name(name)) return {};
  return root_ / name;
}

void BlobFiles::remove(const std::string& name) const {
  if (!valid_name(name)) return;
  std::error_code ec;
  fs::remove(root_ / name, ec);
}

void BlobFiles::remove_leftovers() const {
  std::error_code ec;
  for (fs::recursive_directory_iterator it(root_, ec), end; !ec && it != end; it.increment(ec)) {
    const auto& p = it->path();
    if (it->is_regular_file() && p.extension() == kTmpSuffix) fs::remove(p, ec);
  }
}

}  // namespace halo::store
