#include "support/webhook_receiver.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace halo::test {

namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string trim(const std::string& s) {
  size_t a = s.find_first_not_of(" \t"), b = s.find_last_not_of(" \t\r");
  return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}

}  // namespace

WebhookReceiver::WebhookReceiver(unsigned short port) : port_(port) {
  start();
}

WebhookReceiver::~WebhookReceiver() {
  stop();
}

std::string WebhookReceiver::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

void WebhookReceiver::start() {
  if (thread_.joinable()) return;
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port_);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(fd, 128) != 0) {
    close(fd);
    throw std::runtime_error(std::string("webhook receiver: cannot listen: ") + strerror(errno));
  }
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  listen_fd_ = fd;
  if (pipe2(wake_, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
  thread_ = std::thread([this, fd] { serve(fd); });
}

void WebhookReceiver::stop() {
  if (!thread_.joinable()) return;
  char c = 0;
  (void)!write(wake_[1], &c, 1);
  thread_.join();
  close(listen_fd_);
  close(wake_[0]);
  close(wake_[1]);
  listen_fd_ = -1;
}

void WebhookReceiver::serve(int listen_fd) {
  while (true) {
    pollfd fds[2] = {{listen_fd, POLLIN, 0}, {wake_[0], POLLIN, 0}};
    if (poll(fds, 2, -1) < 0) continue;
    if (fds[1].revents) return;
    int fd = accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    handle(fd);
    close(fd);
  }
}

void WebhookReceiver::handle(int fd) {
  // One request per connection (we answer "Connection: close"); 5 s to send it.
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  std::string data;
  char buf[8192];
  size_t header_end = std::string::npos;
  while (header_end == std::string::npos) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) return;
    data.append(buf, static_cast<size_t>(n));
    header_end = data.find("\r\n\r\n");
  }
  ReceivedRequest r;
  r.at = std::chrono::system_clock::now();
  std::string head = data.substr(0, header_end);
  size_t line_end = head.find("\r\n");
  std::string request_line = head.substr(0, line_end);
  r.method = request_line.substr(0, request_line.find(' '));
  size_t p1 = request_line.find(' ') + 1;
  r.path = request_line.substr(p1, request_line.find(' ', p1) - p1);
  size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
  while (pos < head.size()) {
    size_t e = head.find("\r\n", pos);
    if (e == std::string::npos) e = head.size();
    std::string line = head.substr(pos, e - pos);
    size_t colon = line.find(':');
    if (colon != std::string::npos)
      r.headers[lower(line.substr(0, colon))] = trim(line.substr(colon + 1));
    pos = e + 2;
  }
  size_t length = r.headers.count("content-length") ? std::stoul(r.headers["content-length"]) : 0;
  r.body = data.substr(header_end + 4);
  while (r.body.size() < length) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) return;
    r.body.append(buf, static_cast<size_t>(n));
  }
  int expected = fail_next_.load();
  bool fail = false;
  while (expected > 0 && !(fail = fail_next_.compare_exchange_weak(expected, expected - 1))) {
  }
  r.answered = fail ? 500 : 200;
  std::string reply = fail ? "HTTP/1.1 500 Internal Server Error\r\nContent-Length: "
                             "4\r\nConnection: close\r\n\r\nfail"
                           : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";
  {
    std::lock_guard lock(mu_);
    requests_.push_back(std::move(r));
  }
  (void)!write(fd, reply.data(), reply.size());
}

std::vector<ReceivedRequest> WebhookReceiver::requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

size_t WebhookReceiver::count() const {
  std::lock_guard lock(mu_);
  return requests_.size();
}

bool WebhookReceiver::wait_for(size_t n, std::chrono::milliseconds timeout) const {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (count() >= n) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return count() >= n;
}

}  // namespace halo::test
