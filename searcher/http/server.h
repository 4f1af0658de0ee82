// referat-serve's HTTP server: the JSON API and the Danish web page over one read-only index.
//
// Routes (all GET/HEAD; every other method is answered 405, there is no write endpoint):
//   /api/search          JSON result (page_query.h lists the parameters)
//   /api/search.csv      the first 10,000 matches as CSV (Limits::max_csv_rows; a last line and
//                        X-Referat-Rows / X-Referat-Total say when there are more), also
//                        /api/search?format=csv. Downloads run on their own Searcher, one at a
//                        time (csv_downloads): another is answered 503 with Retry-After.
//   /api/items/{id}      one item with all sections      (ids contain slashes)
//   /api/like/{id}       items similar to {id}
//   /api/suggest?q=      completions of the last word, from the index vocabulary
//   /healthz             database path, document count, last commit (503 when unusable)
//   /                    the search page (server-rendered)
//   /punkt/{id}          the item page
//   /static/{name}       the embedded CSS/JS/icon (exact names only: no file system access)
// Errors are JSON {"error": "<Danish message>", ...} under /api and /healthz, HTML pages elsewhere:
// 400 bad request or query (quoting the fault), 404 unknown item or path, 503 database missing or
// of another schema version, 500 anything unexpected (logged; the server keeps running). A bad
// query's JSON error adds "detail" (the searcher's English message), "fragment" and "offset";
// "error" and the page show QueryError::danish (query_error_message in api_render.h). A request
// line cpp-httplib refuses unread (414 longer than 8 KB, 400 malformed) is answered in JSON
// whatever its path: the path is not known then.
//
// Threading: cpp-httplib runs handlers on a pool of `threads` workers, and each worker holds one
// keep-alive connection for its lifetime, so there must be a worker per open connection (an
// excess connection waits, unanswered, until a worker's connection closes). Workers mostly wait
// on sockets and cost little; the CPU work is bounded by the Searcher pool. Short timeouts bound
// what a slow or idle client holds: 2 s without a byte of a started request, 2 s idle between
// keep-alive requests, 5 s for a stalled write, 100 requests per connection. A request without
// a body length is answered without waiting for a body.
// Searches run on a bounded pool of `searchers` Searchers (searcher.h: not thread-safe), leased
// per request and reopened at every lease, so a commit by referat-index becomes visible at once
// (with a rebuilt facet table) and searches keep working while it runs.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "searcher/http/page_query.h"

namespace referat::searcher::http {

struct ServerOptions {
  std::string db_path;                  ///< the index; may be missing at start (then 503 until it exists)
  std::string bind_address = "127.0.0.1";
  int port = 8080;                      ///< 0 = any free port (see Server::bind)
  unsigned threads = 0;                 ///< HTTP worker threads; 0 = 64, or 8 × cores if more
  unsigned searchers = 0;               ///< concurrent searches (each ~30 MB plus the shared cache: README); 0 = max(2, 2 x cores)
  unsigned csv_downloads = 1;           ///< CSV downloads at once, on their own Searchers
  std::size_t hit_cache_bytes = 32u << 20;        ///< parsed data of shown hits, shared by the Searchers
  std::size_t postings_cache_bytes = 128u << 20;  ///< term postings and sets, shared by the Searchers
  Limits limits;
  bool log_requests = false;            ///< one line per request on stderr
  std::function<void()> csv_started;    ///< tests: runs while a CSV download holds its slot
};

class Server {
 public:
  explicit Server(ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// Binds the listening socket. Returns the port (useful with port 0). Throws std::runtime_error
  /// with the reason when the address cannot be bound.
  int bind();

  /// Serves until stop() is called (from any thread or a signal handler's helper thread).
  /// Calls bind() first if it was not called.
  void run();

  /// Stops run(); safe to call from another thread, and more than once.
  void stop();

  /// True once run() accepts connections.
  bool running() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace referat::searcher::http
