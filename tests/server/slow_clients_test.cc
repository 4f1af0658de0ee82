// Slow and idle clients must not hold the server's workers for long: half-sent requests, and a
// POST without Content-Length (tests/server/slow_clients.py measures the same at 80 connections).
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <vector>

#include "tests/server/test_env.h"

namespace referat::test {
namespace {

using Clock = std::chrono::steady_clock;

// A loopback TCP connection with a 10 s receive timeout; closed by the destructor.
struct RawSocket {
  explicit RawSocket(int port) {
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    timeval tv{10, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  }
  ~RawSocket() { ::close(fd); }
  RawSocket(const RawSocket&) = delete;
  RawSocket& operator=(const RawSocket&) = delete;
  void send(const std::string& s) { ASSERT_EQ(::send(fd, s.data(), s.size(), MSG_NOSIGNAL), ssize_t(s.size())); }
  /// One whole response (headers and Content-Length bytes of body), or what arrived before the
  /// server closed or the 10 s timeout.
  std::string receive() {
    std::string data;
    char buf[4096];
    while (true) {
      auto end = data.find("\r\n\r\n");
      if (end != std::string::npos) {
        auto cl = data.find("Content-Length: ");
        std::size_t length = cl < end ? std::stoul(data.substr(cl + 16)) : 0;
        if (data.size() >= end + 4 + length) return data;
      }
      ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) return data;
      data.append(buf, static_cast<std::size_t>(n));
    }
  }
  int fd = -1;
};

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

TEST(SlowClients, HalfSentRequestsDoNotStallOthers) {
  RunningServer server(shared_db(), 4);
  // Twice as many stalled connections as workers: each holds a worker until its read times out.
  std::vector<std::unique_ptr<RawSocket>> stalled;
  for (int i = 0; i < 8; ++i) {
    stalled.push_back(std::make_unique<RawSocket>(server.port()));
    stalled.back()->send("GET /api/search?q=bud");
  }
  auto c = server.client();
  auto t = Clock::now();
  auto res = c->Get("/healthz");
  double took = seconds_since(t);
  ASSERT_TRUE(res) << "no answer within the client's 10 s";
  EXPECT_EQ(res->status, 200);
  // Two rounds of 2 s read timeouts at most (with 10 s timeouts: 10 s or no answer).
  EXPECT_LT(took, 5.0) << "/healthz waited behind half-sent requests";
}

TEST(SlowClients, PostWithoutContentLengthIsAnsweredAtOnce) {
  RunningServer server(shared_db(), 4);
  RawSocket s(server.port());
  auto t = Clock::now();
  s.send("POST /api/search HTTP/1.1\r\nHost: x\r\n\r\n");
  std::string answer = s.receive();
  double took = seconds_since(t);
  EXPECT_EQ(answer.rfind("HTTP/1.1 405", 0), 0u) << answer;
  EXPECT_LT(took, 1.0) << "the server waited for a body the request does not have";
  // The connection is still usable for a GET (nothing of the POST was left unread).
  s.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(s.receive().rfind("HTTP/1.1 200", 0), 0u);
}

TEST(SlowClients, PostWithBodyIsReadAndRefused) {
  RunningServer server(shared_db(), 4);
  RawSocket s(server.port());
  s.send("POST /api/search HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nq=x");
  EXPECT_EQ(s.receive().rfind("HTTP/1.1 405", 0), 0u);
  s.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(s.receive().rfind("HTTP/1.1 200", 0), 0u) << "the body did not become a request";
}

}  // namespace
}  // namespace referat::test
