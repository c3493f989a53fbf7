// Streaming zstd compression over ByteSink/ByteSource, for caches and workspaces (tar
// streams on their way to and from the server). Memory stays bounded whatever the size.
#pragma once
#include <memory>
#include <string>

#include "common/byte_stream.h"

struct ZSTD_CCtx_s;
struct ZSTD_DCtx_s;

namespace halo {

// Compresses what is written and pushes the frame into `next`. finish() ends the frame; a
// sink destroyed without finish() leaves `next` with a truncated frame (the caller discards it).
class ZstdCompressSink final : public ByteSink {
 public:
  // `workers` > 0 compresses on that many extra threads.
  explicit ZstdCompressSink(ByteSink& next, int level = 3, int workers = 0);
  ~ZstdCompressSink() override;
  void write(std::string_view data) override;
  void finish();

 private:
  void drive(std::string_view data, bool end);
  ByteSink& next_;
  ZSTD_CCtx_s* ctx_;
  std::string out_;
};

// Decompresses the zstd stream read from `in`. Throws on corrupt input, and on input that
// ends in the middle of a frame.
class ZstdDecompressSource final : public ByteSource {
 public:
  explicit ZstdDecompressSource(ByteSource& in);
  ~ZstdDecompressSource() override;
  size_t read(char* buf, size_t n) override;

 private:
  ByteSource& in_;
  ZSTD_DCtx_s* ctx_;
  std::string in_buf_;
  size_t in_pos_ = 0;
  size_t in_size_ = 0;
  bool in_end_ = false;
  bool frame_open_ = false;  // inside a frame (its end not decoded yet)
};

}  // namespace halo
