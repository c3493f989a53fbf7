#include "webhooks/url_policy.h"

#include <curl/curl.h>

#include <memory>

namespace halo::webhooks {

namespace {

struct UrlDeleter {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};

bool has_part(CURLU* u, CURLUPart part) {
  char* value = nullptr;
  if (curl_url_get(u, part, &value, 0) != CURLUE_OK || !value) return false;
  bool present = value[0] != '\0';
  curl_free(value);
  return present;
}

}  // namespace

std::string check_url(const std::string& url, bool allow_http) {
  if (url.empty()) return "url is required";
  if (url.size() > 2048) return "url is longer than 2048 characters";
  for (unsigned char c : url)
    if (c <= 0x20 || c == 0x7f) return "url must not contain spaces or control characters";
  bool https = url.rfind("https://", 0) == 0;
  bool http = url.rfind("http://", 0) == 0;
  if (!https && !http) return "url must start with https://";
  if (http && !allow_http)
    return "url must use https:// (http:// is accepted only when the server runs with "
           "--allow-http-webhooks)";
  std::unique_ptr<CURLU, UrlDeleter> u(curl_url());
  if (!u || curl_url_set(u.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK)
    return "url is not a valid URL";
  if (!has_part(u.get(), CURLUPART_HOST)) return "url has no host";
  if (has_part(u.get(), CURLUPART_USER) || has_part(u.get(), CURLUPART_PASSWORD))
    return "url must not contain credentials";
  if (has_part(u.get(), CURLUPART_FRAGMENT)) return "url must not contain a fragment";
  return "";
}

}  // namespace halo::webhooks
