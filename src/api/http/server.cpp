#include "api/http/server.h"

#include <spdlog/spdlog.h>

#include <array>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <mutex>

namespace halo::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

struct Server::Impl {
  ServerOptions options;
  Dispatch dispatch;
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc};
  std::vector<std::thread> threads;
  std::atomic<bool> draining{false};
  std::atomic<int> streams{0};
  std::atomic<int> in_flight{0};

  Impl(ServerOptions o, Dispatch d)
      : options(std::move(o)), dispatch(std::move(d)), ioc(options.threads) {}
  void accept();
};

namespace {

Request to_request(const bhttp::request<bhttp::string_body>& in) {
  Request r;
  r.method = std::string(in.method_string());
  r.target = std::string(in.target());
  std::string_view target = r.target;
  size_t q = target.find('?');
  r.path = percent_decode(target.substr(0, q), false);
  if (q != std::string_view::npos) {
    std::string_view qs = target.substr(q + 1);
    while (!qs.empty()) {
      size_t amp = qs.find('&');
      std::string_view pair = qs.substr(0, amp);
      size_t eq = pair.find('=');
      std::string key = percent_decode(pair.substr(0, eq), true);
      std::string value =
          eq == std::string_view::npos ? "" : percent_decode(pair.substr(eq + 1), true);
      if (!key.empty()) r.query[key] = value;
      if (amp == std::string_view::npos) break;
      qs.remove_prefix(amp + 1);
    }
  }
  for (const auto& f : in) {
    std::string name(f.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    r.headers[name] = std::string(f.value());
  }
  r.body = in.body();
  return r;
}

// Writes a chunked body with blocking writes on a socket the session handed over.
class SocketStreamWriter final : public StreamWriter {
 public:
  explicit SocketStreamWriter(tcp::socket& s) : s_(s) {}
  bool write(std::string_view data) override {
    if (data.empty()) return true;
    char head[32];
    int n = std::snprintf(head, sizeof head, "%zx\r\n", data.size());
    std::array<asio::const_buffer, 3> bufs{asio::buffer(head, static_cast<size_t>(n)),
                                           asio::buffer(data.data(), data.size()),
                                           asio::buffer("\r\n", 2)};
    beast::error_code ec;
    asio::write(s_, bufs, ec);
    return !ec;
  }

 private:
  tcp::socket& s_;
};

// Writes a body of announced length as it is (no chunk framing).
class RawSocketWriter final : public StreamWriter {
 public:
  explicit RawSocketWriter(tcp::socket& s) : s_(s) {}
  bool write(std::string_view data) override {
    beast::error_code ec;
    asio::write(s_, asio::buffer(data.data(), data.size()), ec);
    return !ec;
  }

 private:
  tcp::socket& s_;
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Server::Impl& server) : stream_(std::move(socket)), server_(server) {}

  void run() { read(); }

 private:
  void read() {
    parser_.emplace();
    parser_->body_limit(server_.options.body_limit);
    parser_->header_limit(64 * 1024);
    stream_.expires_after(std::chrono::seconds(60));
    bhttp::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    if (ec == bhttp::error::end_of_stream || ec == asio::error::operation_aborted ||
        ec == beast::error::timeout || ec == asio::error::connection_reset)
      return close();
    if (ec == bhttp::error::body_limit) {
      lingering_ = true;  // the client may still be sending the body we refused
      Response r = error_response(413, "Request body too large");
      return write(std::move(r), false, 11);
    }
    if (ec) {
      lingering_ = true;
      Response r = error_response(400, "Malformed HTTP request");
      return write(std::move(r), false, 11);
    }
    auto& msg = parser_->get();
    bool keep_alive = msg.keep_alive() && !server_.draining;
    unsigned version = msg.version();
    Request req = to_request(msg);
    beast::error_code peer_ec;
    auto peer = beast::get_lowest_layer(stream_).socket().remote_endpoint(peer_ec);
    if (!peer_ec) req.remote_addr = peer.address().to_string();
    server_.in_flight++;
    Response res;
    try {
      res = server_.dispatch(req);
    } catch (const std::exception& e) {
      spdlog::error("{} {}: {}", req.method, req.target, e.what());
      res = error_response(500, "Internal server error");
    }
    server_.in_flight--;
    if (res.stream) return start_stream(std::move(res), version);
    write(std::move(res), keep_alive, version);
  }

  void write(Response r, bool keep_alive, unsigned version) {
    auto msg = std::make_shared<bhttp::response<bhttp::string_body>>(
        static_cast<bhttp::status>(r.status), version);
    msg->set(bhttp::field::server, "halo");
    msg->set(bhttp::field::content_type, r.content_type);
    for (auto& [k, v] : r.headers) msg->set(k, v);
    msg->body() = std::move(r.body);
    msg->keep_alive(keep_alive);
    msg->prepare_payload();
    bhttp::async_write(stream_, *msg,
                       [self = shared_from_this(), msg, keep_alive](beast::error_code ec, size_t) {
                         if (ec || !keep_alive) return self->close();
                         self->read();
                       });
  }

  void start_stream(Response r, unsigned version) {
    if (server_.streams >= server_.options.max_streams) {
      return write(
          error_response(503,
                         "Too many streamed responses (log followers, downloads); try again later"),
          false, version);
    }
    server_.streams++;
    // The session ends here; the socket moves to a thread that owns it until the stream ends.
    auto socket = std::make_shared<tcp::socket>(stream_.release_socket());
    auto& impl = server_;
    // Detached: stop() waits for the count of live streams to reach zero instead of joining.
    std::thread([socket, r = std::move(r), &impl]() mutable {
      bool sized = r.stream_length >= 0;
      std::string head = "HTTP/1.1 " + std::to_string(r.status) +
                         (r.status == 206 ? " Partial Content" : " OK") +
                         "\r\nServer: halo\r\nContent-Type: " + r.content_type + "\r\n" +
                         (sized ? "Content-Length: " + std::to_string(r.stream_length)
                                : std::string("Transfer-Encoding: chunked")) +
                         "\r\nConnection: close\r\n";
      for (auto& [k, v] : r.headers) head += k + ": " + v + "\r\n";
      head += "\r\n";
      beast::error_code ec;
      asio::write(*socket, asio::buffer(head), ec);
      if (!ec) {
        SocketStreamWriter chunked(*socket);
        RawSocketWriter raw(*socket);
        try {
          r.stream(sized ? static_cast<StreamWriter&>(raw) : chunked);
        } catch (const std::exception& e) {
          spdlog::warn("stream: {}", e.what());
        }
        if (!sized) asio::write(*socket, asio::buffer("0\r\n\r\n", 5), ec);
      }
      socket->shutdown(tcp::socket::shutdown_both, ec);
      socket->close(ec);
      impl.streams--;
    }).detach();
  }

  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (lingering_) drain();
  }

  // After refusing a request whose body is still arriving, read and discard it for a short
  // while before the socket closes: closing with unread data makes the kernel send a reset,
  // which can destroy the error response before the client reads it (nginx's lingering close).
  void drain() {
    if (drained_ > 64 * 1024 * 1024) return;
    stream_.expires_after(std::chrono::seconds(2));
    stream_.async_read_some(asio::buffer(scratch_),
                            [self = shared_from_this()](beast::error_code ec, size_t n) {
                              self->drained_ += n;
                              if (!ec) self->drain();
                            });
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  Server::Impl& server_;
  bool lingering_ = false;
  size_t drained_ = 0;
  std::array<char, 16 * 1024> scratch_;
};

}  // namespace

void Server::Impl::accept() {
  acceptor.async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    if (ec) {
      if (ec == asio::error::operation_aborted) return;
      spdlog::warn("accept: {}", ec.message());
    } else {
      socket.set_option(tcp::no_delay(true), ec);
      std::make_shared<Session>(std::move(socket), *this)->run();
    }
    if (acceptor.is_open()) accept();
  });
}

Server::Server(ServerOptions options, Dispatch dispatch)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(dispatch))) {}

Server::~Server() {
  stop();
}

unsigned short Server::start() {
  auto& i = *impl_;
  tcp::endpoint ep(asio::ip::make_address(i.options.host), i.options.port);
  i.acceptor.open(ep.protocol());
  i.acceptor.set_option(asio::socket_base::reuse_address(true));
  i.acceptor.bind(ep);
  i.acceptor.listen(asio::socket_base::max_listen_connections);
  unsigned short port = i.acceptor.local_endpoint().port();
  i.accept();
  for (int t = 0; t < i.options.threads; ++t) i.threads.emplace_back([&i] { i.ioc.run(); });
  return port;
}

void Server::stop() {
  auto& i = *impl_;
  if (i.threads.empty()) return;
  i.draining = true;
  asio::post(i.ioc, [&i] {
    beast::error_code ec;
    i.acceptor.close(ec);
  });
  // Let requests being handled finish, then drop idle keep-alive connections.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (i.in_flight > 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  i.ioc.stop();
  for (auto& t : i.threads) t.join();
  i.threads.clear();
  // Streams end on their own once their producer sees the server stopping.
  deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (i.streams > 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
}

}  // namespace halo::http
