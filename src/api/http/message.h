// The request and response values handlers see: no Beast types leak past the server, so
// handlers stay plain functions from Request to Response.
#pragma once
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"

namespace halo::http {

struct Request {
  std::string method;                          // "GET", "POST", ...
  std::string target;                          // as received, with the query string
  std::string path;                            // percent-decoded, without the query string
  std::map<std::string, std::string> query;    // decoded; the last value of a repeated key wins
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  std::vector<std::string> params;  // path parameters, in pattern order (set by the router)
  std::string route;        // the matched pattern, e.g. "/api/v2/webhook/{webhook-id}" (router)
  std::string remote_addr;  // the peer's IP address (server)

  std::string header(const std::string& lower_name) const;
  std::string query_param(const std::string& name) const;
  bool has_query(const std::string& name) const { return query.count(name) > 0; }
};

// Writes a streamed body. write() returns false once the client has gone away.
class StreamWriter {
 public:
  virtual ~StreamWriter() = default;
  virtual bool write(std::string_view data) = 0;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // When set, the body is produced by this function over a chunked response on a thread
  // of its own (for following logs); `body` is ignored.
  std::function<void(StreamWriter&)> stream;
  // With `stream`: the body's exact length when known (a file), sent as Content-Length
  // instead of chunked encoding, so clients see sizes and can resume.
  int64_t stream_length = -1;
};

// {"message": ...} with the given status.
Response error_response(int status, const std::string& message);
// JSON body; `pretty` indents it (clients asking for text/plain get readable JSON).
Response json_response(int status, const json& body, bool pretty = false);

std::string percent_decode(std::string_view s, bool plus_as_space);

}  // namespace halo::http
