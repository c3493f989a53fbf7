// An HTTP/1.1 server on Boost.Beast: async, keep-alive, a fixed pool of I/O threads.
// Bodies over the size limit are refused with 413 before they are read. A handler may
// return a streamed response, which is then written from a thread of its own.
// stop() stops accepting, lets in-flight requests finish (up to a grace period) and returns.
#pragma once
#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "api/http/message.h"

namespace halo::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  unsigned short port = 8080;  // 0: pick a free port
  int threads = 2;
  size_t body_limit = 1024 * 1024;
  int max_streams = 256;  // concurrent streamed responses
};

class Server {
 public:
  using Dispatch = std::function<Response(Request&)>;
  Server(ServerOptions options, Dispatch dispatch);
  ~Server();

  // Binds and starts the I/O threads; returns the bound port. Throws if it cannot bind.
  unsigned short start();
  void stop();

  struct Impl;  // public only so the session type in server.cpp can name it

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace halo::http
