#include "api/rest/api_context.h"

#include "common/crypto.h"
#include "common/error.h"
#include "common/time.h"
#include "model/project_slug.h"

namespace halo::rest {

ApiContext::ApiContext(store::Store& s, store::LogStore& l, engine::Orchestrator& o,
                       std::string url, std::string master_key)
    : store(s),
      logs(l),
      orchestrator(o),
      base_url(std::move(url)),
      vault(master_key),
      url_signing_key_(hmac_sha256(master_key, "halo output url signing")) {}

std::string ApiContext::role_in(const store::User& u, const std::string& org_id) {
  if (u.is_admin) return "admin";
  return store.member_role(org_id, u.id).value_or("");
}

namespace {
int rank(const std::string& role) {
  if (role == "admin") return 3;
  if (role == "member") return 2;
  if (role == "viewer") return 1;
  return 0;
}
}  // namespace

void ApiContext::require_role(const store::User& u, const std::string& org_id,
                              const std::string& min_role, const std::string& what) {
  std::string role = role_in(u, org_id);
  if (role.empty()) throw not_found(what + " not found");
  if (rank(role) < rank(min_role))
    throw ApiError(403, "Permission denied: this needs the org role '" + min_role +
                            "' and you are '" + role + "'");
}

void ApiContext::require_server_admin(const store::User& u) {
  if (!u.is_admin) throw ApiError(403, "Permission denied: only the server admin can do this");
}

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
  if (token.empty()) throw ApiError(401, "You must log in first.");
  std::string hash = sha256_hex(token);
  constexpr int64_t kTtlMs = 10000;
  int64_t now = now_ms();
  {
    std::shared_lock lock(token_mu_);
    auto it = token_cache_.find(hash);
    if (it != token_cache_.end() && now - it->second.at_ms < kTtlMs) return it->second.user;
  }
  auto user = store.user_by_token(hash);
  if (!user) throw ApiError(401, "Invalid token provided.");
  std::unique_lock lock(token_mu_);
  if (token_cache_.size() > 10000) token_cache_.clear();  // bounded
  token_cache_[hash] = CachedUser{*user, now};
  return *user;
}

void ApiContext::clear_token_cache() {
  std::unique_lock lock(token_mu_);
  token_cache_.clear();
}

bool ApiContext::can_see_org(const store::User& u, const std::string& org_id) {
  return u.is_admin || store.member_role(org_id, u.id).has_value();
}

std::vector<std::string> ApiContext::visible_org_ids(const store::User& u) {
  std::vector<std::string> ids;
  if (u.is_admin) return ids;
  for (auto& o : store.orgs_of_user(u.id)) ids.push_back(o.id);
  return ids;
}

store::Project ApiContext::visible_project(const store::User& u, const std::string& slug) {
  auto canon = model::ProjectSlug::parse(slug);
  if (!canon) throw not_found("Project not found");
  auto p = store.project_by_slug(canon->str());
  if (!p || !can_see_org(u, p->org_id)) throw not_found("Project not found");
  return *p;
}

store::Pipeline ApiContext::visible_pipeline(const store::User& u, const std::string& id) {
  if (!is_uuid(id)) throw not_found("Pipeline not found");
  auto p = store.pipeline_by_id(id);
  if (!p || !can_see_org(u, p->org_id)) throw not_found("Pipeline not found");
  return *p;
}

store::Workflow ApiContext::visible_workflow(const store::User& u, const std::string& id) {
  if (!is_uuid(id)) throw not_found("Workflow not found");
  auto w = store.workflow_by_id(id);
  if (!w) throw not_found("Workflow not found");
  auto proj = store.project_by_id(w->project_id);
  if (!proj || !can_see_org(u, proj->org_id)) throw not_found("Workflow not found");
  return *w;
}

store::Job ApiContext::visible_job(const store::User& u, const std::string& id) {
  if (!is_uuid(id)) throw not_found("Job not found");
  auto j = store.job_by_id(id);
  if (!j) throw not_found("Job not found");
  auto proj = store.project_by_id(j->project_id);
  if (!proj || !can_see_org(u, proj->org_id)) throw not_found("Job not found");
  return *j;
}

std::string ApiContext::output_signature(const std::string& job_id, int step) {
  return hmac_sha256_hex(url_signing_key_, "output:" + job_id + ":" + std::to_string(step));
}

bool ApiContext::check_output_signature(const std::string& job_id, int step,
                                        const std::string& sig) {
  return equal_ct(output_signature(job_id, step), sig);
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
