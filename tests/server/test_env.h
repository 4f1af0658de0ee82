// Shared set-up of the server tests: a private copy of corpus/ plus a minutes file with markup in
// its title and text, indexed into a temporary database, and a referat-serve Server on a free
// loopback port, run in-process.
#pragma once

#include <httplib.h>

#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "searcher/http/server.h"

namespace referat::test {

namespace fs = std::filesystem;

/// A fresh directory under the system temp dir, removed by the destructor.
struct TempDir {
  TempDir();
  ~TempDir();
  fs::path path;
};

/// corpus/ as shipped with the repository.
fs::path corpus_dir();

/// Minutes whose title and text hold <script>, <img onerror>, & and quotes (one item,
/// Beskæftigelses- og Socialudvalget, 2025-06-03).
std::string hostile_minutes();

/// Copies corpus files (all when `names` is empty) into `dir`.
void copy_corpus(const fs::path& dir, const std::vector<std::string>& names = {});

/// Indexes `dir` into `db` through the indexer library; fails the test on rejected files.
void index_dir(const fs::path& dir, const fs::path& db);

/// The corpus plus hostile.txt, indexed once: $REFERAT_SERVER_TEST_DB when CTest's fixture
/// (server_test_index) has built it, else built on first use into a per-process temp dir.
/// Read-only for the tests.
std::string shared_db();

/// Builds the shared database into `db` (replacing it).
void build_shared_db(const fs::path& work_dir, const fs::path& db);

/// An in-process referat-serve on 127.0.0.1:<free port>.
class RunningServer {
 public:
  explicit RunningServer(const std::string& db_path, unsigned threads = 4);
  /// With these options (the port is always a free one).
  explicit RunningServer(searcher::http::ServerOptions options);
  ~RunningServer();
  int port() const { return port_; }
  /// A client for this server (keep-alive off, 10 s timeouts, paths sent exactly as written).
  std::unique_ptr<httplib::Client> client() const;

 private:
  std::unique_ptr<searcher::http::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

/// GET `path` and parse the JSON body (fails the test when it is not JSON).
nlohmann::json get_json(httplib::Client& c, const std::string& path, int expected_status = 200);

}  // namespace referat::test
