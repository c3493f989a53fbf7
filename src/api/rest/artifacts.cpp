// Artifacts and test results of a job: the v2 listings (`/artifacts`, `/tests`), v1.1's
// artifact list, and the artifact downloads their URLs point at (pre-signed, or with a
// token), streamed from the blob file with Content-Length, Content-Type and byte ranges.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <map>

#include "api/rest/render.h"
#include "api/rest/routes.h"
#include "api/rest/validation.h"
#include "common/error.h"

namespace halo::rest {

namespace {

constexpr int kArtifactPage = 1000;
constexpr int kTestsPage = 1000;

store::Job job_in_project(ApiContext& ctx, const store::Project& project, const std::string& num) {
  auto job = ctx.store.job_by_number(project.id, parse_int_param(num, "Job number", 1));
  if (!job) throw not_found("Job not found");
  return *job;
}

// GET /api/v2/project/{project-slug}/{job-number}/artifacts
http::Response list_artifacts(ApiContext& ctx, http::Request& req) {
  auto u = ctx.authenticate(req);
  auto project = ctx.access.visible_project(u, req.params[0]);
  auto job = job_in_project(ctx, project, req.params[1]);
  int64_t offset = parse_page_token(req.query_param("page-token")).value_or(0);
  auto all = ctx.store.artifacts_of_job(job.id);
  json items = json::array();
  size_t end = std::min(all.size(), static_cast<size_t>(offset) + kArtifactPage);
  for (size_t i = static_cast<size_t>(offset); i < end; ++i) {
    const auto& a = all[i];
    items.push_back({{"path", a.path},
                     {"node_index", a.node_index},
                     {"url", ctx.artifact_url(job.id, a.node_index, a.path)}});
  }
  json next = end < all.size() ? json(page_token(static_cast<int64_t>(end))) : json(nullptr);
  return http::json_response(200, {{"items", items}, {"next_page_token", next}});
}

// GET /api/v1.1/project/{project-slug}/{build_num}/artifacts
http::Response list_artifacts_v1(ApiContext& ctx, http::Request& req) {
  auto u = ctx.authenticate(req);
  auto project = ctx.access.visible_project(u, req.params[0]);
  auto job = job_in_project(ctx, project, req.params[1]);
  json out = json::array();
  for (const auto& a : ctx.store.artifacts_of_job(job.id)) {
    out.push_back({{"path", a.path},
                   {"pretty_path", a.path},
                   {"node_index", a.node_index},
                   {"url", ctx.artifact_url(job.id, a.node_index, a.path)}});
  }
  return http::json_response(200, out);
}

// GET /api/v2/project/{project-slug}/{job-number}/tests
http::Response list_tests(ApiContext& ctx, http::Request& req) {
  auto u = ctx.authenticate(req);
  auto project = ctx.access.visible_project(u, req.params[0]);
  auto job = job_in_project(ctx, project, req.params[1]);
  int64_t after = parse_page_token(req.query_param("page-token")).value_or(0);
  auto rows = ctx.store.test_results_of_job(job.id, after, kTestsPage + 1);
  json items = json::array();
  json next = nullptr;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (i == static_cast<size_t>(kTestsPage)) {
      next = page_token(rows[i - 1].first);
      break;
    }
    const auto& t = rows[i].second;
    items.push_back({{"message", t.message.empty() ? json(nullptr) : json(t.message)},
                     {"source", t.source},
                     {"run_time", t.run_time},
                     {"file", t.file},
                     {"result", t.result},
                     {"name", t.name},
                     {"classname", t.classname}});
  }
  return http::json_response(200, {{"items", items}, {"next_page_token", next}});
}

std::string content_type_of(const std::string& path) {
  static const std::map<std::string, std::string> kTypes = {
      {"html", "text/html; charset=utf-8"},
      {"htm", "text/html; charset=utf-8"},
      {"css", "text/css; charset=utf-8"},
      {"js", "text/javascript; charset=utf-8"},
      {"json", "application/json"},
      {"txt", "text/plain; charset=utf-8"},
      {"log", "text/plain; charset=utf-8"},
      {"md", "text/markdown; charset=utf-8"},
      {"csv", "text/csv; charset=utf-8"},
      {"xml", "application/xml"},
      {"svg", "image/svg+xml"},
      {"png", "image/png"},
      {"jpg", "image/jpeg"},
      {"jpeg", "image/jpeg"},
      {"gif", "image/gif"},
      {"webp", "image/webp"},
      {"pdf", "application/pdf"},
      {"zip", "application/zip"},
      {"gz", "application/gzip"},
      {"tgz", "application/gzip"},
      {"tar", "application/x-tar"},
      {"zst", "application/zstd"},
      {"wasm", "application/wasm"},
  };
  auto slash = path.rfind('/');
  auto dot = path.rfind('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) {
    return "application/octet-stream";
  }
  std::string ext = path.substr(dot + 1);
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto it = kTypes.find(ext);
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

// A single "bytes=" range of a body of `size` bytes: [first, last], or nullopt when the header
// is absent or not one we serve as a range (several ranges: the whole body, as RFC 9110
// allows). Throws 416 for a range that cannot be satisfied.
struct ByteRange {
  uint64_t first = 0;
  uint64_t last = 0;
};

std::optional<ByteRange> parse_range(const std::string& header, uint64_t size) {
  if (header.rfind("bytes=", 0) != 0) return std::nullopt;
  std::string spec = header.substr(6);
  if (spec.find(',') != std::string::npos) return std::nullopt;
  auto dash = spec.find('-');
  if (dash == std::string::npos) return std::nullopt;
  auto number = [](const std::string& s) -> std::optional<uint64_t> {
    if (s.empty() || s.size() > 19) return std::nullopt;
    for (char c : s)
      if (c < '0' || c > '9') return std::nullopt;
    return std::stoull(s);
  };
  auto a = number(spec.substr(0, dash));
  auto b = number(spec.substr(dash + 1));
  ByteRange r;
  if (!a && b) {  // the last b bytes
    if (*b == 0 || size == 0) throw ApiError(416, "Range Not Satisfiable");
    r.first = *b >= size ? 0 : size - *b;
    r.last = size - 1;
    return r;
  }
  if (!a) return std::nullopt;
  if (*a >= size) throw ApiError(416, "Range Not Satisfiable");
  r.first = *a;
  r.last = b ? std::min(*b, size - 1) : size - 1;
  if (b && *b < *a) return std::nullopt;  // invalid: ignored, the whole body is served
  return r;
}

// GET /output/job/{job-id}/artifacts/{node-index}/{path...}
http::Response download_artifact(ApiContext& ctx, http::Request& req) {
  const std::string& job_id = req.params[0];
  int node = static_cast<int>(parse_int_param(req.params[1], "Node index", 0));
  const std::string& path = req.params[2];
  std::string sig = req.query_param("sig");
  if (sig.empty() || !ctx.check_artifact_signature(job_id, node, path, sig)) {
    // Without a valid signature this is an ordinary authenticated read.
    auto u = ctx.authenticate(req);
    ctx.access.visible_job(u, job_id);
  }
  auto a = ctx.store.artifact(job_id, node, path);
  if (!a || !ctx.blobs) throw not_found("Artifact not found");
  std::string file = ctx.blobs->path(a->blob).string();
  int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw not_found("Artifact not found");
  struct stat st {};
  ::fstat(fd, &st);
  uint64_t size = static_cast<uint64_t>(st.st_size);
  std::optional<ByteRange> range;
  try {
    range = parse_range(req.header("range"), size);
  } catch (const ApiError&) {
    ::close(fd);
    http::Response res = http::error_response(416, "Range Not Satisfiable");
    res.headers.push_back({"Content-Range", "bytes */" + std::to_string(size)});
    return res;
  }
  uint64_t first = range ? range->first : 0;
  uint64_t length = range ? range->last - range->first + 1 : size;
  http::Response res;
  res.status = range ? 206 : 200;
  res.content_type = content_type_of(path);
  res.headers.push_back({"Accept-Ranges", "bytes"});
  res.headers.push_back({"Cache-Control", "private, max-age=3600"});
  if (range) {
    res.headers.push_back({"Content-Range", "bytes " + std::to_string(range->first) + "-" +
                                                std::to_string(range->last) + "/" +
                                                std::to_string(size)});
  }
  res.stream_length = static_cast<int64_t>(length);
  res.stream = [fd, first, length](http::StreamWriter& w) {
    char buf[1 << 16];
    uint64_t done = 0;
    while (done < length) {
      size_t want = static_cast<size_t>(std::min<uint64_t>(sizeof buf, length - done));
      ssize_t n = ::pread(fd, buf, want, static_cast<off_t>(first + done));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0 || !w.write(std::string_view(buf, static_cast<size_t>(n)))) break;
      done += static_cast<uint64_t>(n);
    }
    ::close(fd);
  };
  return res;
}

}  // namespace

void register_artifacts(http::Router& r, ApiContext& ctx) {
  r.add("GET", "/api/v2/project/{project-slug}/{job-number}/artifacts",
        endpoint(ctx, list_artifacts));
  r.add("GET", "/api/v2/project/{project-slug}/{job-number}/tests", endpoint(ctx, list_tests));
  r.add("GET", "/api/v1.1/project/{project-slug}/{build_num}/artifacts",
        endpoint(ctx, list_artifacts_v1));
  r.add("GET", "/output/job/{job-id}/artifacts/{node-index}/{path...}",
        endpoint(ctx, download_artifact));
}

}  // namespace halo::rest
