// A webhook receiver for the benchmark: accepts HTTP/1.1 POSTs on 127.0.0.1 (keep-alive,
// many connections, one thread with poll), answers 200 at once, and prints one line per
// request: "<received epoch ms> <circleci-event-type> <job.stopped_at epoch ms or 0>".
// Usage: halo-webhook-sink PORT_FILE  (writes the chosen port there once listening)
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/time.h"

namespace {

struct Conn {
  std::string in;
};

std::string header(const std::string& head, const std::string& lower_name) {
  std::string h;
  for (char c : head) h += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  size_t p = h.find("\r\n" + lower_name + ":");
  if (p == std::string::npos) return "";
  size_t s = p + 2 + lower_name.size() + 1, e = h.find("\r\n", s);
  std::string v = head.substr(s, e - s);
  while (!v.empty() && v.front() == ' ') v.erase(0, 1);
  return v;
}

// Handles every complete request in c.in; false when the connection should close.
bool drain(int fd, Conn& c) {
  while (true) {
    size_t end = c.in.find("\r\n\r\n");
    if (end == std::string::npos) return true;
    std::string head = c.in.substr(0, end);
    size_t len =
        std::stoul(header(head, "content-length").empty() ? "0" : header(head, "content-length"));
    if (c.in.size() < end + 4 + len) return true;
    std::string body = c.in.substr(end + 4, len);
    c.in.erase(0, end + 4 + len);
    int64_t now = halo::now_ms();
    int64_t stopped = 0;
    auto j = halo::json::parse(body, nullptr, false);
    if (j.is_object() && j.contains("job") && j["job"].contains("stopped_at"))
      stopped = halo::parse_rfc3339(j["job"]["stopped_at"].get<std::string>()).value_or(0);
    std::string type = header(head, "circleci-event-type");
    std::printf("%lld %s %lld\n", static_cast<long long>(now), type.empty() ? "-" : type.c_str(),
                static_cast<long long>(stopped));
    std::fflush(stdout);
    static const std::string ok = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
    if (write(fd, ok.data(), ok.size()) < 0) return false;
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s PORT_FILE\n", argv[0]);
    return 2;
  }
  int lfd = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(lfd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(lfd, 512) != 0) {
    std::perror("listen");
    return 1;
  }
  socklen_t alen = sizeof addr;
  getsockname(lfd, reinterpret_cast<sockaddr*>(&addr), &alen);
  std::ofstream(argv[1]) << ntohs(addr.sin_port) << "\n";
  std::map<int, Conn> conns;
  std::vector<pollfd> fds;
  char buf[65536];
  while (true) {
    fds.assign(1, {lfd, POLLIN, 0});
    for (auto& [fd, c] : conns) fds.push_back({fd, POLLIN, 0});
    if (poll(fds.data(), fds.size(), -1) < 0) continue;
    if (fds[0].revents & POLLIN) {
      int fd = accept(lfd, nullptr, nullptr);
      if (fd >= 0) conns[fd];
    }
    for (size_t i = 1; i < fds.size(); ++i) {
      if (!fds[i].revents) continue;
      int fd = fds[i].fd;
      ssize_t n = read(fd, buf, sizeof buf);
      if (n <= 0 || !(conns[fd].in.append(buf, static_cast<size_t>(n)), drain(fd, conns[fd]))) {
        close(fd);
        conns.erase(fd);
      }
    }
  }
}
