// Errors a user can cause. An ApiError thrown anywhere below a request handler becomes
// an HTTP response with {"message": ...} and the given status; anything else is a 500.
#pragma once
#include <stdexcept>
#include <string>

namespace halo {

class ApiError : public std::runtime_error {
 public:
  ApiError(int status, std::string message) : std::runtime_error(std::move(message)), status_(status) {}
  int status() const { return status_; }

 private:
  int status_;
};

inline ApiError bad_request(std::string m) { return ApiError(400, std::move(m)); }
inline ApiError not_found(std::string m = "Not found") { return ApiError(404, std::move(m)); }

}  // namespace halo
