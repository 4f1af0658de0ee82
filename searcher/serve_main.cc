// referat-serve: the JSON API and the Danish web page over one index (searcher/http/server.h).
#include <CLI/CLI.hpp>

#include <csignal>
#include <iostream>
#include <pthread.h>
#include <thread>

#include "searcher/http/server.h"
#include "searcher/searcher.h"

int main(int argc, char** argv) {
  referat::searcher::http::ServerOptions opt;
  opt.db_path = referat::searcher::default_db_path();
  CLI::App app{"referat-serve: search API and web page for referat indexes (read-only)"};
  app.add_option("--db", opt.db_path, "Index directory (default: $REFERAT_DB or ./referat-db)");
  app.add_option("--bind,--host", opt.bind_address,
                 "Address to listen on (default 127.0.0.1: loopback only)");
  app.add_option("--port", opt.port, "TCP port (0 = any free port, printed on start)")
      ->check(CLI::Range(0, 65535));
  app.add_option("--threads", opt.threads, "HTTP worker threads, one per open connection (default: 64, or 8 per core if more)");
  app.add_option("--searchers", opt.searchers,
                 "Searches run at once, each with its own index handle and dictionary (~20 MB) "
                 "(default: two per core, at least 2)");
  std::size_t hit_mb = opt.hit_cache_bytes >> 20, postings_mb = opt.postings_cache_bytes >> 20;
  app.add_option("--hit-cache-mb", hit_mb,
                 "Memory for the parsed data of recently shown items, shared by all searches")
      ->capture_default_str();
  app.add_option("--postings-cache-mb", postings_mb,
                 "Memory for the postings of frequent terms, shared by all searches")
      ->capture_default_str();
  app.add_option("--max-query", opt.limits.max_query_chars,
                 "Longest accepted query in characters (the search box's maxlength is 1000)")
      ->capture_default_str();
  app.add_option("--max-page", opt.limits.max_page_size, "Largest page size (antal)")
      ->capture_default_str();
  app.add_option("--max-csv", opt.limits.max_csv_rows, "Most rows in one CSV download")
      ->capture_default_str();
  app.add_option("--csv-downloads", opt.csv_downloads,
                 "CSV downloads at once, each with its own Searcher (others get 503)")
      ->capture_default_str();
  app.add_option("--time-limit", opt.limits.time_limit_seconds,
                 "Per-query time limit in seconds (0 = none)")
      ->capture_default_str();
  app.add_flag("--log", opt.log_requests, "Log one line per request on stderr");
  CLI11_PARSE(app, argc, argv);
  opt.hit_cache_bytes = hit_mb << 20;
  opt.postings_cache_bytes = postings_mb << 20;

  // SIGINT/SIGTERM stop the server cleanly: block them in every thread and wait for them in one.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  try {
    referat::searcher::http::Server server(opt);
    int port = server.bind();
    std::cout << "referat-serve: http://" << opt.bind_address << ":" << port << "/  (db "
              << opt.db_path << ")" << std::endl;
    std::thread waiter([&] {
      int sig = 0;
      sigwait(&signals, &sig);
      server.stop();
    });
    server.run();
    // run() also returns when the listening socket fails; wake the waiter in that case.
    pthread_kill(waiter.native_handle(), SIGTERM);
    waiter.join();
  } catch (const std::exception& e) {
    std::cerr << "referat-serve: " << e.what() << "\n";
    return 2;
  }
  return 0;
}
