// Blobs (caches, workspace layers, artifacts) as files under one root, written through a
// temporary file and renamed into place, so a blob is either whole or absent, also after a
// crash. Names are "<kind>/<2 hex>/<32 hex>": random, so a name says nothing a reader could
// guess, and a directory never grows past what a filesystem handles well.
#pragma once
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "common/byte_stream.h"

namespace halo::store {

class BlobFiles {
 public:
  explicit BlobFiles(std::filesystem::path root);

  // A blob being written. commit() returns its name; destroyed uncommitted, it is removed.
  class Pending final : public ByteSink {
   public:
    Pending(std::filesystem::path tmp, std::filesystem::path final_path, std::string name, int fd);
    ~Pending() override;
    void write(std::string_view data) override;
    uint64_t size() const { return size_; }
    std::string commit();

   private:
    std::filesystem::path tmp_;
    std::filesystem::path final_;
    std::string name_;
    int fd_;
    uint64_t size_ = 0;
  };

  std::unique_ptr<Pending> create(std::string_view kind);
  // Reads a blob from the start. Throws when it does not exist.
  std::unique_ptr<ByteSource> open(const std::string& name) const;
  // The blob's file, for serving ranges; empty when the name is not a blob name.
  std::filesystem::path path(const std::string& name) const;
  void remove(const std::string& name) const;
  // Removes temporary files left by a crash.
  void remove_leftovers() const;

 private:
  std::filesystem::path root_;
};

}  // namespace halo::store
