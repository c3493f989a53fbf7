#include "common/zstd_stream.h"

#include <zstd.h>

#include <stdexcept>

namespace halo {

namespace {
void check(size_t code, const char* what) {
  if (ZSTD_isError(code))
    throw std::runtime_error(std::string(what) + ": " + ZSTD_getErrorName(code));
}
}  // namespace

ZstdCompressSink::ZstdCompressSink(ByteSink& next, int level, int workers)
    : next_(next), ctx_(ZSTD_createCCtx()), out_(ZSTD_CStreamOutSize(), '\0') {
  if (!ctx_) throw std::bad_alloc();
  check(ZSTD_CCtx_setParameter(ctx_, ZSTD_c_compressionLevel, level), "zstd level");
  // A zstd built without threads refuses workers; compressing on this thread is still right.
  if (workers > 0) ZSTD_CCtx_setParameter(ctx_, ZSTD_c_nbWorkers, workers);
}

ZstdCompressSink::~ZstdCompressSink() {
  ZSTD_freeCCtx(ctx_);
}

void ZstdCompressSink::write(std::string_view data) {
  if (!data.empty()) drive(data, false);
}

void ZstdCompressSink::finish() {
  drive({}, true);
}

void ZstdCompressSink::drive(std::string_view data, bool end) {
  ZSTD_inBuffer in{data.data(), data.size(), 0};
  ZSTD_EndDirective mode = end ? ZSTD_e_end : ZSTD_e_continue;
  while (true) {
    ZSTD_outBuffer out{out_.data(), out_.size(), 0};
    size_t remaining = ZSTD_compressStream2(ctx_, &out, &in, mode);
    check(remaining, "zstd compress");
    if (out.pos > 0) next_.write(std::string_view(out_.data(), out.pos));
    if (end ? remaining == 0 : in.pos == in.size) return;
  }
}

ZstdDecompressSource::ZstdDecompressSource(ByteSource& in)
    : in_(in), ctx_(ZSTD_createDCtx()), in_buf_(ZSTD_DStreamInSize(), '\0') {
  if (!ctx_) throw std::bad_alloc();
}

ZstdDecompressSource::~ZstdDecompressSource() {
  ZSTD_freeDCtx(ctx_);
}

size_t ZstdDecompressSource::read(char* buf, size_t n) {
  while (true) {
    if (in_pos_ == in_size_ && !in_end_) {
      in_size_ = in_.read(in_buf_.data(), in_buf_.size());
      in_pos_ = 0;
      if (in_size_ == 0) in_end_ = true;
    }
    if (in_pos_ == in_size_ && in_end_) {
      if (frame_open_) throw std::runtime_error("zstd stream is truncated");
      return 0;
    }
    ZSTD_inBuffer in{in_buf_.data(), in_size_, in_pos_};
    ZSTD_outBuffer out{buf, n, 0};
    size_t hint = ZSTD_decompressStream(ctx_, &out, &in);
    check(hint, "zstd decompress");
    in_pos_ = in.pos;
    frame_open_ = hint != 0;
    if (out.pos > 0) return out.pos;
  }
}

}  // namespace halo
