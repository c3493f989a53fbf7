#include "api/rest/api_context.h"

#include <cctype>

#include "common/crypto.h"
#include "common/error.h"
#include "common/time.h"

namespace halo::rest {

ApiContext::ApiContext(store::Store& s, store::LogStore& l, engine::Orchestrator& o,
                       std::string url, std::string master_key)
    : store(s),
      logs(l),
      orchestrator(o),
      base_url(std::move(url)),
      vault(master_key),
      access(s),
      approvals(o),
      reruns(s, o),
      url_signing_key_(hmac_sha256(master_key, "halo output url signing")) {}

namespace {

std::string basic_user(const std::string& header) {
  if (header.size() < 6 || strncasecmp(header.c_str(), "Basic ", 6) != 0) return {};
  std::string b64 = header.substr(6);
  // Standard base64 -> base64url alphabet, drop padding.
  for (auto& c : b64) {
    if (c == '+')
      c = '-';
    else if (c == '/')
      c = '_';
  }
  while (!b64.empty() && (b64.back() == '=' || b64.back() == ' ')) b64.pop_back();
  std::string decoded;
  if (!base64url_decode(b64, decoded)) return {};
  return decoded.substr(0, decoded.find(':'));
}

}  // namespace

store::User ApiContext::authenticate(const http::Request& req) {
  std::string token = req.header("circle-token");
  if (token.empty()) token = basic_user(req.header("authorization"));
  if (token.empty()) token = req.query_param("circle-token");
  return access.authenticate(token);
}

std::string ApiContext::output_signature(const std::string& job_id, int step, int node) {
  // Node 0 keeps the form URLs had before parallel runs existed.
  std::string what = "output:" + job_id + ":" + std::to_string(step);
  if (node != 0) what += ":" + std::to_string(node);
  return hmac_sha256_hex(url_signing_key_, what);
}

bool ApiContext::check_output_signature(const std::string& job_id, int step, int node,
                                        const std::string& sig) {
  return equal_ct(output_signature(job_id, step, node), sig);
}

namespace {
std::string artifact_signature(const std::string& key, const std::string& job_id, int node,
                               const std::string& path) {
  return hmac_sha256_hex(key, "artifact:" + job_id + ":" + std::to_string(node) + ":" + path);
}

// Path segments percent-encoded, '/' kept: an artifact's URL is its path.
std::string encode_path(const std::string& path) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}
}  // namespace

std::string ApiContext::artifact_url(const std::string& job_id, int node_index,
                                     const std::string& path) {
  return base_url + "/output/job/" + job_id + "/artifacts/" + std::to_string(node_index) + "/" +
         encode_path(path) +
         "?sig=" + artifact_signature(url_signing_key_, job_id, node_index, path);
}

bool ApiContext::check_artifact_signature(const std::string& job_id, int node_index,
                                          const std::string& path, const std::string& sig) {
  return equal_ct(artifact_signature(url_signing_key_, job_id, node_index, path), sig);
}

json parse_body(const http::Request& req) {
  if (req.body.empty()) return json::object();
  json body = json::parse(req.body, nullptr, false);
  if (body.is_discarded()) throw bad_request("Malformed JSON in request body");
  if (!body.is_object()) throw bad_request("Request body must be a JSON object");
  return body;
}

bool wants_text(const http::Request& req) {
  return req.header("accept").find("text/plain") != std::string::npos;
}

std::string page_token(int64_t seq) {
  return base64url_encode("seq:" + std::to_string(seq));
}

std::optional<int64_t> parse_page_token(const std::string& token) {
  if (token.empty()) return std::nullopt;
  std::string raw;
  if (!base64url_decode(token, raw) || raw.rfind("seq:", 0) != 0 || raw.size() > 24)
    throw bad_request("Invalid page-token");
  try {
    size_t used = 0;
    int64_t v = std::stoll(raw.substr(4), &used);
    if (used != raw.size() - 4 || v < 0) throw bad_request("Invalid page-token");
    return v;
  } catch (const std::logic_error&) {
    throw bad_request("Invalid page-token");
  }
}

}  // namespace halo::rest
