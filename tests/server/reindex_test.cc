// Concurrent requests while referat-index writes the same database: every answer is a correct
// one (200 with a JSON body), nothing crashes, and the new items are visible without a restart.
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <mutex>

#include "tests/server/test_env.h"

namespace referat::test {
namespace {
using nlohmann::json;

TEST(Reindex, SearchesKeepWorkingAndSeeTheNewCommit) {
  TempDir dir;
  fs::path minutes = dir.path / "minutes";
  fs::path db = dir.path / "db";
  copy_corpus(minutes, {"002_36e04387dfc35aea.txt"});
  index_dir(minutes, db);
  RunningServer server(db.string(), 4);
  {
    auto c = server.client();
    ASSERT_EQ(get_json(*c, "/healthz")["documents"], 15);
  }

  std::atomic<bool> done{false};
  std::atomic<int> requests{0};
  std::mutex failures_mutex;
  std::vector<std::string> failures;
  std::vector<std::thread> clients;
  for (int t = 0; t < 4; ++t) {
    clients.emplace_back([&, t] {
      auto c = server.client();
      const char* paths[] = {"/api/search?q=udvalget&antal=5", "/healthz",
                             "/?q=kontrol", "/api/suggest?q=besk"};
      for (int i = 0; !done || i < 3; ++i) {
        const char* p = paths[(i + t) % 4];
        auto res = c->Get(p);
        ++requests;
        if (!res || res->status != 200) {
          std::lock_guard lock(failures_mutex);
          failures.push_back(std::string(p) + " -> " +
                             (res ? std::to_string(res->status) + " " + res->body.substr(0, 200)
                                  : httplib::to_string(res.error())));
        }
      }
    });
  }
  // Add files one by one (several commits), then change one so its items are replaced.
  for (const char* name : {"003_73d400813a1c1cc2.txt", "000_21410ac8c793ed1d.txt"}) {
    copy_corpus(minutes, {name});
    index_dir(minutes, db);
  }
  std::ofstream(minutes / "hostile.txt") << hostile_minutes();
  index_dir(minutes, db);
  done = true;
  for (auto& th : clients) th.join();

  EXPECT_TRUE(failures.empty()) << failures.size() << " failed of " << requests << ", first: "
                                << failures.front();
  EXPECT_GT(requests.load(), 12);
  auto c = server.client();
  EXPECT_EQ(get_json(*c, "/healthz")["documents"], 15 + 18 + 10 + 1);
  json found = get_json(*c, "/api/search?q=skraldespande");
  EXPECT_EQ(found["total"], 1) << "the last commit is visible without a restart";
}

}  // namespace
}  // namespace referat::test
