// A real HTTP receiver for webhook tests: listens on 127.0.0.1 (an ephemeral port unless
// one is given), answers every POST, and records what arrived. It can be told to fail the
// next N requests (HTTP 500), or to be down (stop, then start again on the same port).
#pragma once
#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/json.h"

namespace halo::test {

struct ReceivedRequest {
  std::string method;
  std::string path;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  int answered = 0;  // the status code the receiver gave
  std::chrono::system_clock::time_point at;
  json json_body() const { return json::parse(body, nullptr, false); }
};

class WebhookReceiver {
 public:
  explicit WebhookReceiver(unsigned short port = 0);  // starts listening at once
  ~WebhookReceiver();
  WebhookReceiver(const WebhookReceiver&) = delete;
  WebhookReceiver& operator=(const WebhookReceiver&) = delete;

  void start();  // again on the same port after stop()
  void stop();   // closes the socket: connections are refused until start()
  unsigned short port() const { return port_; }
  std::string url(const std::string& path = "/hook") const;

  void fail_next(int n) { fail_next_ = n; }  // answer 500 to the next n requests

  std::vector<ReceivedRequest> requests() const;
  size_t count() const;
  // Waits until at least n requests arrived; false on timeout.
  bool wait_for(size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(30)) const;

 private:
  void serve(int listen_fd);
  void handle(int fd);

  unsigned short port_;
  int listen_fd_ = -1;
  int wake_[2] = {-1, -1};
  std::thread thread_;
  std::atomic<int> fail_next_{0};
  mutable std::mutex mu_;
  std::vector<ReceivedRequest> requests_;
};

}  // namespace halo::test
