#include "searcher/http/server.h"

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <iostream>
#include <mutex>
#include <stdexcept>
#include <thread>

#include <sys/socket.h>
#include <unordered_map>

#include "searcher/http/api_render.h"
#include "searcher/http/assets.h"
#include "searcher/render/html.h"
#include "searcher/render/json.h"

namespace referat::searcher::http {
namespace {

using nlohmann::json;

constexpr const char* kJson = "application/json; charset=utf-8";
constexpr const char* kHtml = "text/html; charset=utf-8";
constexpr std::size_t kMaxIdBytes = 400;

// Allows the page's own CSS/JS/icon and fetch() to the API, nothing else: no inline script or
// style, no framing, forms only to this server.
constexpr const char* kCsp =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

bool is_api(const httplib::Request& req) {
  // cpp-httplib answers a request line it could not read (414 URI too long, 400 malformed) before
  // parsing it: no method, no path, no headers. Such a request gets JSON, whatever its path was:
  // an API client must always be able to parse an error, and the page's own forms (the search
  // box's maxlength) stay far below the 8 KB limit.
  if (req.method.empty()) return true;
  return req.path.rfind("/api/", 0) == 0 || req.path == "/healthz" || req.path == "/api";
}

// A failure the handler turns into a status and a Danish message.
struct Failure {
  int status;
  std::string message;
  json extra;
};

// A bounded pool of Searchers shared by all worker threads. A Searcher is not thread-safe, so a
// request leases one for its duration. Why a pool and not one Searcher per worker thread: each
// Searcher holds its own Analyzer with the hunspell-da dictionary (about 20 MB, about 0.4 s to
// load), while the HTTP pool needs many threads to hold keep-alive connections; searches are
// CPU-bound, so more concurrent searches than cores only add memory and latency.
class SearcherPool {
 public:
  /// Up to `max` Searchers of `db_path`, all sharing `cache`.
  SearcherPool(std::string db_path, std::size_t max, SearchCache cache)
      : db_path_(std::move(db_path)), max_(max), cache_(std::move(cache)) {}

  class Lease {
   public:
    Lease(SearcherPool& pool, std::unique_ptr<Searcher> s) : pool_(pool), s_(std::move(s)) {}
    ~Lease() { pool_.give_back(std::move(s_), broken_); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Searcher& operator*() { return *s_; }
    /// Do not return this Searcher to the pool (it failed in an unexpected way).
    void discard() { broken_ = true; }

   private:
    SearcherPool& pool_;
    std::unique_ptr<Searcher> s_;
    bool broken_ = false;
  };

  std::size_t capacity() const { return max_; }

  /// A Searcher reopened at the latest commit; blocks while all `max` are in use. Throws
  /// IndexOpenError / IndexVersionError when the database cannot be used.
  std::unique_ptr<Lease> acquire() {
    std::unique_ptr<Searcher> s;
    {
      // First come, first served, by direct hand-off: a returning Searcher (or the room a
      // discarded one leaves) goes to the oldest waiter, and only that waiter is woken. (One
      // condition variable for all, woken with notify_all, made 62 threads at 64 connections
      // wake up and re-sleep for every search: a fifth of the CPU went to futex and scheduler.)
      std::unique_lock lock(mutex_);
      if (waiters_.empty() && (!idle_.empty() || created_ < max_)) {
        take(s);
      } else {
        Waiter me;
        waiters_.push_back(&me);
        me.cv.wait(lock, [&] { return me.granted; });
        s = std::move(me.searcher);  // null: room for a new Searcher, already counted in created_
      }
    }
    return open(std::move(s));
  }

  /// As acquire(), but null at once when no Searcher is free (or others are waiting).
  std::unique_ptr<Lease> try_acquire() {
    std::unique_ptr<Searcher> s;
    {
      std::lock_guard lock(mutex_);
      if (!waiters_.empty() || (idle_.empty() && created_ >= max_)) return nullptr;
      take(s);
    }
    return open(std::move(s));
  }

 private:
  struct Waiter {
    std::condition_variable cv;
    bool granted = false;
    std::unique_ptr<Searcher> searcher;
  };

  // An idle Searcher into `s`, or room for a new one (s stays null). Under mutex_.
  void take(std::unique_ptr<Searcher>& s) {
    if (!idle_.empty()) {
      s = std::move(idle_.back());
      idle_.pop_back();
    } else {
      ++created_;
    }
  }

  std::unique_ptr<Lease> open(std::unique_ptr<Searcher> s) {
    try {
      if (s) {
        try {
          s->reopen();
        } catch (...) {
          s.reset();  // the database was replaced or removed under us: open it afresh
        }
      }
      if (!s) s = std::make_unique<Searcher>(db_path_, cache_);
    } catch (...) {
      give_back(nullptr, true);
      throw;
    }
    return std::make_unique<Lease>(*this, std::move(s));
  }

  // Returns a Searcher (or, when `broken` or null, the room it took) to the oldest waiter, else
  // to the idle list.
  void give_back(std::unique_ptr<Searcher> s, bool broken) {
    std::unique_ptr<Searcher> discarded;  // destroyed after the lock is released
    if (broken) discarded = std::move(s);
    std::lock_guard lock(mutex_);
    if (!waiters_.empty()) {
      Waiter* w = waiters_.front();
      waiters_.pop_front();
      w->searcher = std::move(s);  // null: the waiter opens a new one in the room left
      w->granted = true;
      w->cv.notify_one();  // under the lock: `w` lives on its waiter's stack until it wakes
      return;
    }
    if (s)
      idle_.push_back(std::move(s));
    else
      --created_;
  }

  std::string db_path_;
  std::size_t max_;
  SearchCache cache_;
  std::mutex mutex_;
  std::deque<Waiter*> waiters_;  ///< oldest first
  std::vector<std::unique_ptr<Searcher>> idle_;
  std::size_t created_ = 0;  ///< Searchers leased or idle, plus rooms granted to waiters
};

}  // namespace

struct Server::Impl {
  ServerOptions opt;
  httplib::Server http;
  std::unique_ptr<SearcherPool> pool;
  // CSV downloads have their own Searcher(s), so a broad download never makes a search wait;
  // one that finds them busy is refused (503) rather than queued.
  std::unique_ptr<SearcherPool> csv_pool;
  int port = -1;
  int listen_fd = -1;  ///< the listening socket, seen by the socket-options hook

  explicit Impl(ServerOptions o) : opt(std::move(o)) {
    std::size_t n = opt.searchers;
    // Two per core: a worker thread that the scheduler preempts while it holds a Searcher (64
    // workers share the cores) leaves that Searcher idle; with one per core that cost ~10 % of
    // the throughput at 64 connections (bench/serve_bench.sh, 2 cores: 650-760 -> 770-830 req/s).
    if (n == 0) n = std::max(2u, 2 * std::thread::hardware_concurrency());
    // One cache for the pool: what one Searcher read is cheap for the others (the bench_search
    // query mix on 100k items: 54% hits on shown items with 8 MB per Searcher, ~96% with the four
    // sharing 32 MB). CSV downloads keep their own small cache for hits, so that a download of
    // thousands of rows does not push out what the searches show.
    pool = std::make_unique<SearcherPool>(opt.db_path, n, SearchCache(opt.hit_cache_bytes, opt.postings_cache_bytes));
    csv_pool = std::make_unique<SearcherPool>(opt.db_path, std::max(1u, opt.csv_downloads),
                                              SearchCache(1u << 20, 16u << 20));
  }

  // Runs f(searcher) on a leased Searcher. Anything other than the searcher's documented errors
  // (e.g. Xapian's DatabaseModifiedError when a re-index overtakes a long search) discards that
  // Searcher and retries once with a freshly opened one.
  template <class F>
  auto with_searcher(F&& f) {
    return with_searcher_from(*pool, nullptr, std::forward<F>(f));
  }

  // The same on a Searcher of `p`; with `first` (from p.try_acquire()) that one is used first.
  template <class F>
  auto with_searcher_from(SearcherPool& p, std::unique_ptr<SearcherPool::Lease> first, F&& f) {
    for (int attempt = 0;; ++attempt) {
      auto lease = first ? std::move(first) : p.acquire();
      try {
        return f(**lease);
      } catch (const QueryError&) {
        throw;
      } catch (const RequestError&) {
        throw;
      } catch (const IndexOpenError&) {
        lease->discard();
        throw;
      } catch (const IndexVersionError&) {
        lease->discard();
        throw;
      } catch (...) {
        lease->discard();
        if (attempt >= 1) throw;
      }
    }
  }

  static void send(httplib::Response& res, int status, const std::string& body, const char* type) {
    res.status = status;
    res.set_content(body, type);
  }

  void fail(const httplib::Request& req, httplib::Response& res, const Failure& f) {
    if (is_api(req)) {
      send(res, f.status, error_json(f.message, f.extra), kJson);
    } else {
      std::string title = f.status == 404   ? "Siden findes ikke"
                          : f.status == 503 ? "Søgningen er ikke tilgængelig"
                          : f.status >= 500 ? "Der opstod en fejl"
                                            : "Forespørgslen kan ikke besvares";
      send(res, f.status, render::message_page(title, f.message), kHtml);
    }
  }

  // Maps every exception to a response; nothing escapes into cpp-httplib.
  template <class F>
  void guarded(const httplib::Request& req, httplib::Response& res, F&& f) {
    try {
      f();
    } catch (const RequestError& e) {
      fail(req, res, {e.status, e.what(), nullptr});
    } catch (const QueryError& e) {
      // "error" is the Danish message for the user, "detail" the searcher's English one.
      fail(req, res,
           {400, query_error_message(e),
            json{{"detail", e.what()}, {"fragment", e.fragment}, {"offset", e.offset}}});
    } catch (const IndexVersionError& e) {
      fail(req, res,
           {503, "Databasen er skrevet af en anden version af referat og skal indekseres igen.",
            json{{"detail", e.what()}, {"db", opt.db_path}}});
    } catch (const IndexOpenError& e) {
      fail(req, res,
           {503, "Databasen findes ikke eller kan ikke åbnes.",
            json{{"detail", e.what()}, {"db", opt.db_path}}});
    } catch (const std::exception& e) {
      std::cerr << "referat-serve: " << req.method << " " << req.path << ": " << e.what() << "\n";
      fail(req, res, {500, "Der opstod en intern fejl. Prøv igen.", nullptr});
    } catch (...) {
      std::cerr << "referat-serve: " << req.method << " " << req.path << ": unknown error\n";
      fail(req, res, {500, "Der opstod en intern fejl. Prøv igen.", nullptr});
    }
  }

  static std::string item_id(const httplib::Request& req) {
    std::string id = req.matches[1];
    if (id.size() > kMaxIdBytes) throw RequestError("Punktet findes ikke.", 404);
    return id;
  }

  // ---- routes ----------------------------------------------------------------------------------

  void api_search(const httplib::Request& req, httplib::Response& res, bool csv) {
    PageQuery page = parse_page_query(req.params, opt.limits);
    if (!csv) {
      auto f = req.params.find("format");
      if (f != req.params.end()) {
        if (f->second == "csv") csv = true;
        else if (f->second != "json") throw RequestError("'format' skal være json eller csv.");
      }
    }
    SearchRequest request = to_search_request(page, opt.limits);
    if (!csv) {
      SearchResult result = with_searcher([&](Searcher& s) { return s.search(request); });
      send(res, 200, render::json(result), kJson);
      return;
    }
    // The first max_csv_rows matches in the page's order, without snippets (the CSV has none)
    // or facets: only those rows' documents are read (the matcher still visits every match for
    // the exact total), under the time limit, where `all` made every match's document and
    // snippet (20k items: 8.5 s) while holding a search's Searcher.
    request.facets = false;
    request.offset = 0;
    request.all = false;
    request.limit = opt.limits.max_csv_rows;
    request.snippet_bytes = 0;
    auto slot = csv_pool->try_acquire();
    if (!slot) {
      res.set_header("Retry-After", "10");
      throw RequestError("Serveren er i gang med en anden CSV-download. Prøv igen om lidt.", 503);
    }
    if (opt.csv_started) opt.csv_started();
    SearchResult result = with_searcher_from(*csv_pool, std::move(slot),
                                             [&](Searcher& s) { return s.search(request); });
    res.set_header("Content-Disposition", "attachment; filename=\"referat-soegning.csv\"");
    res.set_header("X-Referat-Rows", std::to_string(result.hits.size()));
    res.set_header("X-Referat-Total", std::to_string(result.total));
    send(res, 200, result_csv(result, opt.limits.max_csv_rows), "text/csv; charset=utf-8");
  }

  void api_item(const httplib::Request& req, httplib::Response& res) {
    std::string id = item_id(req);
    auto item = with_searcher([&](Searcher& s) { return s.item(id); });
    if (!item) throw Failure404{id};
    send(res, 200, dump(item_json(*item)), kJson);
  }

  struct Failure404 {
    std::string id;
  };

  void api_like(const httplib::Request& req, httplib::Response& res) {
    std::string id = item_id(req);
    PageQuery page = parse_page_query(req.params, opt.limits);
    SearchRequest request = to_search_request(page, opt.limits);
    request.query.clear();
    request.like_id = id;
    if (req.params.find("facetter") == req.params.end() && req.params.find("facets") == req.params.end())
      request.facets = false;
    auto result = with_searcher([&](Searcher& s) -> std::optional<SearchResult> {
      if (!s.item(id)) return std::nullopt;
      return s.search(request);
    });
    if (!result) throw Failure404{id};
    send(res, 200, render::json(*result), kJson);
  }

  void api_suggest(const httplib::Request& req, httplib::Response& res) {
    std::string q = req.get_param_value("q");
    if (utf8_length(q) > opt.limits.max_query_chars) throw RequestError("Søgningen er for lang.");
    std::size_t n = 8;
    if (req.has_param("antal")) {
      PageQuery p = parse_page_query(req.params, opt.limits);
      n = std::min<std::size_t>(p.antal, 20);
    }
    std::vector<std::string> suggestions;
    if (!q.empty()) suggestions = with_searcher([&](Searcher& s) { return s.suggest(q, n); });
    res.set_header("Cache-Control", "no-cache");
    send(res, 200, dump(json{{"query", q}, {"suggestions", suggestions}}), kJson);
  }

  void healthz(const httplib::Request&, httplib::Response& res) {
    try {
      IndexStats stats = with_searcher([&](Searcher& s) { return s.stats(); });
      send(res, 200, dump(stats_json(stats)), kJson);
    } catch (const IndexOpenError& e) {
      send(res, 503,
           dump(json{{"status", "unavailable"},
                     {"error", "Databasen findes ikke eller kan ikke åbnes."},
                     {"detail", e.what()},
                     {"db", opt.db_path}}),
           kJson);
    } catch (const IndexVersionError& e) {
      send(res, 503,
           dump(json{{"status", "unavailable"},
                     {"error", "Databasen er skrevet af en anden version af referat."},
                     {"detail", e.what()},
                     {"db", opt.db_path}}),
           kJson);
    }
  }

  void page_search(const httplib::Request& req, httplib::Response& res) {
    PageQuery page;
    try {
      page = parse_page_query(req.params, opt.limits);
      // The page's facets are drill-down: a click on a second committee narrows to the items of
      // both (the count shown), where the API's default OR would widen to the items of either.
      page.drill_down = true;
    } catch (const RequestError& e) {
      // Keep what can be kept of the form (the query text, if it is not the problem).
      PageQuery shown;
      std::string q = req.get_param_value("q");
      if (utf8_length(q) <= opt.limits.max_query_chars) shown.q = q;
      send(res, e.status, render::search_page(shown, nullptr, e.what()), kHtml);
      return;
    }
    if (page.empty()) {
      send(res, 200, render::search_page(page, nullptr), kHtml);
      return;
    }
    SearchRequest request = to_search_request(page, opt.limits);
    try {
      SearchResult result = with_searcher([&](Searcher& s) { return s.search(request); });
      send(res, 200, render::search_page(page, &result, {}, opt.limits.max_csv_rows), kHtml);
    } catch (const QueryError& e) {
      send(res, 400, render::search_page(page, nullptr, query_error_message(e)), kHtml);
    }
  }

  void page_item(const httplib::Request& req, httplib::Response& res) {
    std::string id = item_id(req);
    auto item = with_searcher([&](Searcher& s) { return s.item(id); });
    if (!item) throw Failure404{id};
    std::vector<Hit> similar;
    try {
      SearchRequest like;
      like.like_id = id;
      like.limit = 5;
      like.facets = false;
      like.snippet_bytes = 0;
      like.time_limit_seconds = opt.limits.time_limit_seconds;
      similar = with_searcher([&](Searcher& s) { return s.search(like); }).hits;
    } catch (const std::exception& e) {
      // The item page is still useful without its "Lignende punkter".
      std::cerr << "referat-serve: like " << id << ": " << e.what() << "\n";
    }
    send(res, 200, render::item_page(*item, similar), kHtml);
  }

  void static_asset(const httplib::Request& req, httplib::Response& res) {
    const Asset* a = find_asset(std::string(req.matches[1]));
    if (!a) throw RequestError("Filen findes ikke.", 404);
    res.set_header("Cache-Control", "public, max-age=3600");
    res.status = 200;
    res.set_content(a->body.data(), a->body.size(), std::string(a->content_type).c_str());
  }

  // Wraps a route: exceptions -> responses; Failure404 -> 404 naming the item.
  template <class F>
  httplib::Server::Handler route(F f) {
    return [this, f](const httplib::Request& req, httplib::Response& res) {
      guarded(req, res, [&] {
        try {
          (this->*f)(req, res);
        } catch (const Failure404& nf) {
          fail(req, res, {404, "Punktet findes ikke: " + nf.id, json{{"id", nf.id}}});
        }
      });
    };
  }

  void setup() {
    const auto& L = opt.limits;
    (void)L;
    http.set_default_headers({
        {"Content-Security-Policy", kCsp},
        {"X-Content-Type-Options", "nosniff"},
        {"Referrer-Policy", "same-origin"},
        {"X-Frame-Options", "DENY"},
    });
    http.set_socket_options([this](socket_t sock) {
      httplib::default_socket_options(sock);
      listen_fd = sock;
    });
    http.set_payload_max_length(64 * 1024);
    // Without it, small keep-alive responses wait for the client's delayed ACK (~40 ms each).
    http.set_tcp_nodelay(true);
    // Each open connection holds a worker thread (see server.h), so a client that stops
    // mid-request or idles must let go soon: a stalled read or write ends the connection after
    // 2 s / 5 s, an idle keep-alive connection after 2 s, and a connection is closed after 100
    // requests so that long-lived ones take turns. (Measured with tests/server/slow_clients.py,
    // 80 connections sending half a request line, 64 workers: /healthz took 10.0 s with 10 s
    // timeouts, 2.0 s now.)
    http.set_read_timeout(2, 0);
    http.set_write_timeout(5, 0);
    http.set_keep_alive_max_count(100);
    http.set_keep_alive_timeout(2);
    unsigned threads = opt.threads;
    if (threads == 0) threads = std::max(64u, 8 * std::thread::hardware_concurrency());
    http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };

    http.Get("/api/search", route(&Impl::api_search_json));
    http.Get("/api/search.csv", route(&Impl::api_search_csv));
    http.Get(R"(/api/items/(.+))", route(&Impl::api_item));
    http.Get(R"(/api/like/(.+))", route(&Impl::api_like));
    http.Get("/api/suggest", route(&Impl::api_suggest));
    http.Get("/healthz", route(&Impl::healthz));
    http.Get("/", route(&Impl::page_search));
    http.Get(R"(/punkt/(.+))", route(&Impl::page_item));
    http.Get(R"(/static/([A-Za-z0-9_.-]+))", route(&Impl::static_asset));

    // Read-only server: every other method is refused.
    auto refuse = [this](const httplib::Request& req, httplib::Response& res) {
      res.set_header("Allow", "GET, HEAD");
      fail(req, res, {405, "Serveren kan kun læse; brug GET.", nullptr});
    };
    // A request without Content-Length or Transfer-Encoding has no body (RFC 9112 6.3), but
    // cpp-httplib 0.11 reads a POST's body until the client closes or the read times out, which
    // held a worker for the whole timeout: refuse such a request before any body is read. (One
    // with a framed body is read, within the payload limit, and refused by the routes below.)
    http.set_pre_routing_handler(
        [refuse](const httplib::Request& req, httplib::Response& res) {
          if (req.method == "GET" || req.method == "HEAD" || req.has_header("Content-Length") ||
              req.has_header("Transfer-Encoding"))
            return httplib::Server::HandlerResponse::Unhandled;
          refuse(req, res);
          return httplib::Server::HandlerResponse::Handled;
        });
    http.Post(".*", refuse);
    http.Put(".*", refuse);
    http.Patch(".*", refuse);
    http.Delete(".*", refuse);
    http.Options(".*", refuse);

    // Responses that no route produced (unknown path, or cpp-httplib's own 400/414): give them a
    // body in the right format. Bodies set by routes are left alone.
    http.set_error_handler(httplib::Server::HandlerWithResponse(
        [this](const httplib::Request& req, httplib::Response& res) {
      if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
      std::string msg = res.status == 404   ? "Siden findes ikke."
                        : res.status == 414 ? "Adressen er for lang; brug en kortere søgning."
                        : res.status == 413 ? "Forespørgslen er for stor."
                                            : "Forespørgslen kan ikke besvares.";
      int status = res.status;
      fail(req, res, {status, msg, nullptr});
      return httplib::Server::HandlerResponse::Handled;
    }));
    http.set_exception_handler(
        [this](const httplib::Request& req, httplib::Response& res, std::exception_ptr) {
          fail(req, res, {500, "Der opstod en intern fejl. Prøv igen.", nullptr});
        });
    if (opt.log_requests) {
      http.set_logger([](const httplib::Request& req, const httplib::Response& res) {
        std::fprintf(stderr, "%s %s %d\n", req.method.c_str(), req.target.c_str(), res.status);
      });
    }
  }

  void api_search_json(const httplib::Request& req, httplib::Response& res) {
    api_search(req, res, false);
  }
  void api_search_csv(const httplib::Request& req, httplib::Response& res) {
    api_search(req, res, true);
  }
};

Server::Server(ServerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {
  impl_->setup();
}

Server::~Server() { stop(); }

int Server::bind() {
  if (impl_->port >= 0) return impl_->port;
  const auto& o = impl_->opt;
  if (o.port == 0) {
    impl_->port = impl_->http.bind_to_any_port(o.bind_address);
  } else {
    impl_->port = impl_->http.bind_to_port(o.bind_address, o.port) ? o.port : -1;
  }
  // Debian's compiled cpp-httplib listens with a backlog of 5: a burst of new connections (64
  // clients connecting at once) overflows it, the kernel drops their SYNs and the clients retry
  // after 1 s and 3 s, which showed up as a 1-4 s latency tail under wrk. Listening again on the
  // bound socket raises the backlog (to the system's somaxconn).
  if (impl_->port >= 0 && impl_->listen_fd >= 0) ::listen(impl_->listen_fd, SOMAXCONN);
  if (impl_->port < 0)
    throw std::runtime_error("cannot listen on " + o.bind_address + ":" + std::to_string(o.port) +
                             " (address in use or not available)");
  return impl_->port;
}

void Server::run() {
  bind();
  // Open the Searchers before the first request needs them (each loads the dictionary). A
  // missing database is not an error here: requests answer 503 until it exists.
  try {
    std::vector<std::unique_ptr<SearcherPool::Lease>> warm;
    for (std::size_t i = 0; i < impl_->pool->capacity(); ++i) warm.push_back(impl_->pool->acquire());
    for (std::size_t i = 0; i < impl_->csv_pool->capacity(); ++i)
      warm.push_back(impl_->csv_pool->acquire());
  } catch (...) {
  }
  impl_->http.listen_after_bind();
}

void Server::stop() {
  if (impl_) impl_->http.stop();
}

bool Server::running() const { return impl_->http.is_running(); }

}  // namespace referat::searcher::http
