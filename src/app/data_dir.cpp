#include "app/data_dir.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>

#include "common/crypto.h"

namespace halo::app {

void prepare_data_dir(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  ::chmod(dir.c_str(), 0700);
}

void write_file_atomic(const std::filesystem::path& path, const std::string& content, int mode) {
  auto tmp = path.string() + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "create " + tmp);
  size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0) {
      ::close(fd);
      throw std::system_error(errno, std::generic_category(), "write " + tmp);
    }
    done += static_cast<size_t>(n);
  }
  ::fsync(fd);
  ::close(fd);
  std::filesystem::rename(tmp, path);
}

static std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string load_master_key(const std::filesystem::path& dir) {
  if (const char* env = std::getenv("HALO_MASTER_KEY"); env && *env) {
    std::string hexkey = env;
    if (hexkey.size() != 64) throw std::runtime_error("HALO_MASTER_KEY must be 64 hex characters");
    std::string key;
    for (size_t i = 0; i < 64; i += 2)
      key.push_back(static_cast<char>(std::stoi(hexkey.substr(i, 2), nullptr, 16)));
    return key;
  }
  auto path = dir / "master.key";
  if (std::filesystem::exists(path)) {
    std::string key = read_file(path);
    if (key.size() != 32) throw std::runtime_error(path.string() + " is not a 32-byte key");
    return key;
  }
  std::string key = random_bytes(32);
  write_file_atomic(path, key, 0600);
  return key;
}

std::string load_instance_id(const std::filesystem::path& dir) {
  auto path = dir / "instance-id";
  if (std::filesystem::exists(path)) {
    std::string id = read_file(path);
    while (!id.empty() && (id.back() == '\n' || id.back() == ' ')) id.pop_back();
    if (!id.empty()) return id;
  }
  std::string id = uuid_v4();
  write_file_atomic(path, id + "\n", 0600);
  return id;
}

std::string ensure_admin(store::Store& store, const std::filesystem::path& dir) {
  auto admin = store.user_by_login("admin");
  if (!admin) admin = store.create_user("admin", "Administrator", true);
  if (const char* env = std::getenv("HALO_ADMIN_TOKEN"); env && *env) {
    std::string token = env;
    if (!store.user_by_token(sha256_hex(token)))
      store.add_token(admin->id, sha256_hex(token), "HALO_ADMIN_TOKEN");
    return token;
  }
  auto path = dir / "admin-token";
  if (std::filesystem::exists(path)) return read_file(path);
  std::string token = random_token();
  store.add_token(admin->id, sha256_hex(token), "initial admin token");
  write_file_atomic(path, token, 0600);
  return token;
}

}  // namespace halo::app
