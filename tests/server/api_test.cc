// The JSON API over loopback: search, filters, facets, paging, item, like, suggest, health, CSV,
// and every error status (400 bad parameter or query, 404, 405, 414, 503).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <future>
#include <set>
#include <thread>

#include "tests/server/test_env.h"

namespace referat::test {
namespace {

using nlohmann::json;

constexpr const char* kQuery = "/api/search?q=negativ+social+kontrol";
constexpr const char* kBsu = "Beskæftigelses- og Socialudvalget";
constexpr const char* kBuu = "Børn- og Ungeudvalget";

class Api : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new RunningServer(shared_db()); }
  static void TearDownTestSuite() {
    delete server_;
  }
  void SetUp() override { c_ = server_->client(); }

  std::unique_ptr<httplib::Client> c_;
  static RunningServer* server_;
};
RunningServer* Api::server_ = nullptr;

std::size_t facet_count(const json& result, const std::string& facet, const std::string& value) {
  if (!result["facets"].contains(facet)) return 0;
  for (const auto& v : result["facets"][facet])
    if (v["value"] == value) return v["count"].get<std::size_t>();
  return 0;
}

TEST_F(Api, HealthReportsDatabaseAndDocumentCount) {
  json j = get_json(*c_, "/healthz");
  EXPECT_EQ(j["status"], "ok");
  EXPECT_EQ(j["db"], shared_db());
  EXPECT_EQ(j["documents"], 66 + 1) << "66 corpus items (corpus/README.md) + the hostile file";
  EXPECT_TRUE(j["last_commit"].is_string()) << j.dump();
}

TEST_F(Api, SearchFindsTheOrientationItemFirst) {
  json j = get_json(*c_, kQuery);
  ASSERT_GE(j["hits"].size(), 2u) << j.dump();
  const json& first = j["hits"][0];
  EXPECT_EQ(first["title"], "Orientering om Odense Kommunes arbejde med negativ social kontrol");
  EXPECT_EQ(first["committee"], kBsu);
  EXPECT_EQ(first["date"], "2025-05-20");
  EXPECT_EQ(first["item"], 13);
  EXPECT_EQ(first["rank"], 1);
  EXPECT_EQ(j["query"], "negativ social kontrol");
  // Snippet highlights are byte ranges inside the snippet text.
  const json& snip = first["snippet"];
  ASSERT_FALSE(snip["highlights"].empty());
  for (const auto& r : snip["highlights"]) {
    EXPECT_LT(r[0].get<std::size_t>(), r[1].get<std::size_t>());
    EXPECT_LE(r[1].get<std::size_t>(), snip["text"].get<std::string>().size());
  }
}

TEST_F(Api, FacetCountsAreExactAndMatchFilteredTotals) {
  json all = get_json(*c_, kQuery);
  std::size_t bsu = facet_count(all, "committee", kBsu);
  std::size_t buu = facet_count(all, "committee", kBuu);
  EXPECT_GE(bsu, 1u);
  EXPECT_GE(buu, 1u) << "000 mentions negativ social kontrol twice";
  EXPECT_EQ(bsu + buu, all["total"].get<std::size_t>()) << all["facets"].dump();

  json only_buu = get_json(*c_, std::string(kQuery) + "&udvalg=" + httplib::detail::encode_query_param(kBuu));
  EXPECT_EQ(only_buu["total"].get<std::size_t>(), buu);
  ASSERT_FALSE(only_buu["hits"].empty());
  for (const auto& h : only_buu["hits"]) EXPECT_EQ(h["committee"], kBuu);
}

TEST_F(Api, RepeatedFilterValuesAreAnyUnlessFiltreAlle) {
  const std::string two = std::string("/api/search?facetter=0&udvalg=") +
                          httplib::detail::encode_query_param(kBsu) + "&udvalg=" +
                          httplib::detail::encode_query_param(kBuu);
  json either = get_json(*c_, "/api/search?facetter=1&udvalg=" + httplib::detail::encode_query_param(kBsu));
  std::size_t both_count = facet_count(either, "committee", kBuu);
  ASSERT_GT(both_count, 0u);
  json any = get_json(*c_, two);
  json all = get_json(*c_, two + "&filtre=alle");
  EXPECT_EQ(all["total"].get<std::size_t>(), both_count) << "filtre=alle: items of both";
  EXPECT_GT(any["total"].get<std::size_t>(), either["total"].get<std::size_t>())
      << "the default (documented) stays OR: items of either";
  get_json(*c_, two + "&filtre=nogle", 400);
}

TEST_F(Api, DateRangeAndSortOrder) {
  json j = get_json(*c_, "/api/search?q=udvalget&fra=2021-01-01&til=2022-12-31&sort=nyeste&antal=50");
  ASSERT_FALSE(j["hits"].empty());
  std::string previous = "9999-99-99";
  for (const auto& h : j["hits"]) {
    ASSERT_TRUE(h["date"].is_string());
    std::string d = h["date"];
    EXPECT_GE(d, "2021-01-01");
    EXPECT_LE(d, "2022-12-31");
    EXPECT_LE(d, previous) << "nyeste: dates must not increase";
    previous = d;
  }
  json asc = get_json(*c_, "/api/search?q=udvalget&sort=%C3%A6ldste&antal=50");
  previous = "0000";
  for (const auto& h : asc["hits"]) {
    if (!h["date"].is_string()) continue;
    EXPECT_GE(h["date"].get<std::string>(), previous);
    previous = h["date"];
  }
}

TEST_F(Api, PagesAreSlicesOfOneRanking) {
  json four = get_json(*c_, "/api/search?q=udvalget&antal=4&facetter=0");
  json second = get_json(*c_, "/api/search?q=udvalget&antal=2&side=2&facetter=0");
  ASSERT_EQ(four["hits"].size(), 4u);
  ASSERT_EQ(second["hits"].size(), 2u);
  EXPECT_EQ(second["hits"][0]["id"], four["hits"][2]["id"]);
  EXPECT_EQ(second["hits"][1]["id"], four["hits"][3]["id"]);
  EXPECT_EQ(second["hits"][0]["rank"], 3);
  EXPECT_TRUE(second["facets"].empty()) << "facetter=0 turns facets off";
  json by_offset = get_json(*c_, "/api/search?q=udvalget&n=2&offset=2");
  EXPECT_EQ(by_offset["hits"][0]["id"], four["hits"][2]["id"]);
}

TEST_F(Api, ItemReturnsAllSections) {
  json hit = get_json(*c_, kQuery)["hits"][0];
  std::string id = hit["id"];
  EXPECT_NE(id.find('/'), std::string::npos) << "ids are <committee>/<date>/<item>";
  json item = get_json(*c_, "/api/items/" + id);
  EXPECT_EQ(item["id"], id);
  EXPECT_EQ(item["title"], hit["title"]);
  ASSERT_TRUE(item["sections"].is_array());
  ASSERT_GE(item["sections"].size(), 2u);
  bool mentions = false;
  for (const auto& s : item["sections"])
    mentions |= s["text"].get<std::string>().find("negativ social kontrol") != std::string::npos;
  EXPECT_TRUE(mentions);
}

TEST_F(Api, UnknownItemIs404WithJsonError) {
  json j = get_json(*c_, "/api/items/ingen-udvalg/1999-01-01/7", 404);
  EXPECT_NE(j["error"].get<std::string>().find("findes ikke"), std::string::npos);
  EXPECT_EQ(j["id"], "ingen-udvalg/1999-01-01/7");
  get_json(*c_, "/api/like/ingen-udvalg/1999-01-01/7", 404);
}

TEST_F(Api, LikeReturnsOtherItems) {
  std::string id = get_json(*c_, kQuery)["hits"][0]["id"];
  json j = get_json(*c_, "/api/like/" + id + "?antal=5");
  ASSERT_FALSE(j["hits"].empty());
  EXPECT_LE(j["hits"].size(), 5u);
  for (const auto& h : j["hits"]) EXPECT_NE(h["id"], id) << "an item is not similar to itself";
}

TEST_F(Api, SuggestCompletesTheLastWord) {
  json j = get_json(*c_, "/api/suggest?q=negativ+social+kontr");
  EXPECT_EQ(j["query"], "negativ social kontr");
  ASSERT_FALSE(j["suggestions"].empty()) << j.dump();
  for (const auto& s : j["suggestions"]) {
    std::string v = s;
    // The whole query with its last word completed, ready to put into the search box.
    EXPECT_EQ(v.rfind("negativ social kontr", 0), 0u) << v;
  }
  json none = get_json(*c_, "/api/suggest?q=");
  EXPECT_TRUE(none["suggestions"].empty());
}

TEST_F(Api, CsvHasOneRowPerMatch) {
  std::size_t total = get_json(*c_, kQuery)["total"];
  for (std::string path : {"/api/search.csv?q=negativ+social+kontrol",
                           "/api/search?q=negativ+social+kontrol&format=csv"}) {
    auto res = c_->Get(path.c_str());
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    EXPECT_EQ(res->get_header_value("Content-Type").rfind("text/csv", 0), 0u);
    EXPECT_NE(res->get_header_value("Content-Disposition").find("attachment"), std::string::npos);
    std::size_t rows = 0;
    for (std::size_t p = 0; (p = res->body.find("\r\n", p)) != std::string::npos; p += 2) ++rows;
    EXPECT_EQ(rows, total + 1) << "header + one row per match";
    EXPECT_NE(res->body.find("negativ social kontrol"), std::string::npos);
    // For Excel with Danish settings: BOM, ';' between fields (quoting: render_test.cc).
    EXPECT_EQ(res->body.rfind("\xEF\xBB\xBFplacering;id;udvalg;dato;punkt;titel;", 0), 0u) << res->body.substr(0, 80);
    const std::string row = res->body.substr(res->body.find("\r\n") + 2);
    EXPECT_EQ(row.rfind("1;", 0), 0u) << row.substr(0, 80);
  }
}

std::size_t csv_lines(const std::string& body) {
  std::size_t rows = 0;
  for (std::size_t p = 0; (p = body.find("\r\n", p)) != std::string::npos; p += 2) ++rows;
  return rows;
}

TEST(ApiCsv, IsCappedAndSaysSo) {
  searcher::http::ServerOptions opt;
  opt.db_path = shared_db();
  opt.limits.max_csv_rows = 5;
  RunningServer server(opt);
  auto c = server.client();
  std::size_t total = get_json(*c, "/api/search?q=kommune")["total"];
  ASSERT_GT(total, 5u);
  auto res = c->Get("/api/search.csv?q=kommune");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(csv_lines(res->body), 1 + 5 + 1u) << "header, 5 rows, the note\n" << res->body;
  EXPECT_EQ(res->get_header_value("X-Referat-Rows"), "5");
  EXPECT_EQ(res->get_header_value("X-Referat-Total"), std::to_string(total));
  std::string last = res->body.substr(res->body.rfind("\r\n", res->body.size() - 3) + 2);
  EXPECT_EQ(last.rfind("Kun de første 5 af " + std::to_string(total) + " punkter er med", 0), 0u)
      << last;
  // The page's link says what the download holds.
  std::string page = c->Get("/?q=kommune")->body;
  EXPECT_NE(page.find("Hent de første 5 af " + std::to_string(total) + " som CSV"), std::string::npos);
  EXPECT_NE(page.find("(højst 5 rækker pr. download)"), std::string::npos);
}

TEST(ApiCsv, OneDownloadAtATimeAndSearchesNeverWaitForIt) {
  std::promise<void> entered, release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> calls{0};
  searcher::http::ServerOptions opt;
  opt.db_path = shared_db();
  opt.searchers = 1;  // one Searcher for searches: a download holding it would stall them all
  opt.csv_started = [&] {
    if (calls++ == 0) {
      entered.set_value();
      released.wait_for(std::chrono::seconds(30));
    }
  };
  RunningServer server(opt);
  int first_status = 0;
  std::thread download([&] {
    auto c = server.client();
    auto r = c->Get("/api/search.csv?q=kommune");
    first_status = r ? r->status : -1;
  });
  struct Release {
    std::promise<void>& p;
    std::thread& t;
    ~Release() {
      try { p.set_value(); } catch (const std::future_error&) {}
      if (t.joinable()) t.join();
    }
  } guard{release, download};
  ASSERT_EQ(entered.get_future().wait_for(std::chrono::seconds(10)), std::future_status::ready);

  auto c = server.client();
  auto second = c->Get("/api/search.csv?q=budget");
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, 503);
  EXPECT_FALSE(second->get_header_value("Retry-After").empty());
  auto j = json::parse(second->body, nullptr, false);
  ASSERT_TRUE(j.is_object()) << second->body;
  EXPECT_NE(j["error"].get<std::string>().find("CSV-download"), std::string::npos) << j.dump();

  auto t0 = std::chrono::steady_clock::now();
  json search = get_json(*c, "/api/search?q=kommune");
  EXPECT_GT(search["total"].get<std::size_t>(), 0u);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(2))
      << "a search waited for the download";

  release.set_value();
  download.join();
  EXPECT_EQ(first_status, 200);
  EXPECT_EQ(c->Get("/api/search.csv?q=budget")->status, 200) << "the slot is free again";
}

// Bad parameters: status 400, JSON error in Danish that names the fault.
struct BadRequest {
  const char* path;
  const char* message_part;
};

// Names the row in test listings (ctest showed its bytes, a new name on every run).
void PrintTo(const BadRequest& b, std::ostream* os) { *os << b.path; }

class ApiErrors : public Api, public ::testing::WithParamInterface<BadRequest> {};

TEST_P(ApiErrors, AreAnswered400WithTheFault) {
  json j = get_json(*c_, GetParam().path, 400);
  ASSERT_TRUE(j["error"].is_string());
  EXPECT_NE(j["error"].get<std::string>().find(GetParam().message_part), std::string::npos)
      << j["error"];
}

INSTANTIATE_TEST_SUITE_P(
    Table, ApiErrors,
    ::testing::Values(BadRequest{"/api/search?q=komite:BUU", "komite"},
                      BadRequest{"/api/search?q=budget&antal=0", "antal"},
                      BadRequest{"/api/search?q=budget&antal=1000", "antal"},
                      BadRequest{"/api/search?q=budget&antal=ti", "antal"},
                      BadRequest{"/api/search?q=budget&side=0", "side"},
                      BadRequest{"/api/search?q=budget&side=-1", "siderne tæller fra 1"},
                      BadRequest{"/api/search?q=budget&side=99999999999999999999", "side"},
                      BadRequest{"/api/search?q=budget&offset=50000", "bladres"},
                      BadRequest{"/api/search?q=budget&sort=tilfaeldig", "tilfaeldig"},
                      BadRequest{"/api/search?q=budget&format=xml", "format"},
                      BadRequest{"/api/search?q=budget&facetter=kanske", "facetter"}),
    [](const ::testing::TestParamInfo<BadRequest>& info) {
      return "row" + std::to_string(info.index);
    });

TEST_F(Api, BadQueryErrorIsDanishWithEnglishDetail) {
  json j = get_json(*c_, "/api/search?q=komite:BUU", 400);
  std::string error = j["error"];
  EXPECT_EQ(error.rfind("Søgningen kan ikke forstås: ", 0), 0u) << error;
  EXPECT_NE(error.find("»komite:BUU«"), std::string::npos) << error;
  EXPECT_TRUE(j["detail"].is_string()) << "the searcher's English message";
  EXPECT_EQ(j["fragment"], "komite:BUU");
  EXPECT_EQ(j["offset"], 0);
  // The audit's examples: no English, no command-line flags in what the user reads.
  for (std::string path : {"/api/search?q=komite:BUU", "/api/search?q=kommune&fra=xyz",
                           "/api/search?q=(budget", "/api/search?q=budget&udvalg=ingen"}) {
    json e = get_json(*c_, path, 400);
    std::string msg = e["error"];
    EXPECT_EQ(msg.rfind("Søgningen kan ikke forstås: ", 0), 0u) << msg;
    EXPECT_NE(msg.find(e["fragment"].get<std::string>()), std::string::npos) << "quotes the fault: " << msg;
    EXPECT_NE(msg, "Søgningen kan ikke forstås: " + e["detail"].get<std::string>()) << path;
    for (const char* english : {"unknown", "malformed", "missing", "--fra", "--udvalg", "offset"})
      EXPECT_EQ(msg.find(english), std::string::npos) << path << ": " << msg;
  }
}

TEST_F(Api, OversizedQueryIsRefusedAndServerLives) {
  std::string long_q(2000, 'a');
  json j = get_json(*c_, "/api/search?q=" + long_q, 400);
  EXPECT_NE(j["error"].get<std::string>().find("for lang (2000 tegn; højst 1000)"), std::string::npos)
      << j["error"];
  // The limit counts characters, as the search box's maxlength does: 600 × æ is 1200 bytes.
  std::string ae;
  for (int i = 0; i < 600; ++i) ae += "%C3%A6";
  get_json(*c_, "/api/search?facetter=0&q=" + ae, 200);
  get_json(*c_, "/api/suggest?q=" + ae, 200);
  std::string page = c_->Get(("/?q=" + ae).c_str())->body;
  EXPECT_EQ(page.find("tegn; højst"), std::string::npos);
  // Beyond cpp-httplib's URI limit the request line itself is refused, in JSON and Danish.
  json too_long = get_json(*c_, "/api/search?q=" + std::string(20000, 'b'), 414);
  EXPECT_NE(too_long["error"].get<std::string>().find("Adressen er for lang"), std::string::npos);
  get_json(*c_, "/healthz");
}

TEST_F(Api, WriteMethodsAreRefused) {
  auto post = c_->Post("/api/search", "q=x", "application/x-www-form-urlencoded");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 405);
  auto del = c_->Delete("/api/items/x");
  ASSERT_TRUE(del);
  EXPECT_EQ(del->status, 405);
  auto put = c_->Put("/", "x", "text/plain");
  ASSERT_TRUE(put);
  EXPECT_EQ(put->status, 405);
}

TEST_F(Api, SecurityHeadersOnEveryResponse) {
  for (std::string path : {"/", "/api/search?q=budget", "/nowhere", "/static/style.css",
                           "/api/items/nope"}) {
    auto res = c_->Get(path.c_str());
    ASSERT_TRUE(res) << path;
    std::string csp = res->get_header_value("Content-Security-Policy");
    EXPECT_NE(csp.find("default-src 'none'"), std::string::npos) << path;
    EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << path;
    EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << path;
    EXPECT_EQ(res->get_header_value("X-Content-Type-Options"), "nosniff") << path;
  }
}

TEST_F(Api, UnknownApiPathIsJson404) {
  json j = get_json(*c_, "/api/nothing-here", 404);
  EXPECT_TRUE(j["error"].is_string());
}

TEST(ApiWithoutDatabase, Answers503UntilTheIndexExists) {
  TempDir dir;
  RunningServer server((dir.path / "missing-db").string());
  auto c = server.client();
  json h = get_json(*c, "/healthz", 503);
  EXPECT_EQ(h["status"], "unavailable");
  EXPECT_EQ(h["db"], (dir.path / "missing-db").string());
  json s = get_json(*c, "/api/search?q=budget", 503);
  EXPECT_NE(s["error"].get<std::string>().find("Databasen"), std::string::npos);
  auto page = c->Get("/?q=budget");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 503);
  EXPECT_NE(page->body.find("<html lang=\"da\">"), std::string::npos);
  EXPECT_EQ(c->Get("/")->status, 200) << "the start page needs no database";

  // Once the indexer has written the database, the same server answers.
  copy_corpus(dir.path / "minutes", {"002_36e04387dfc35aea.txt"});
  index_dir(dir.path / "minutes", dir.path / "missing-db");
  json ok = get_json(*c, "/healthz");
  EXPECT_EQ(ok["documents"], 15) << "002 has 15 items";
}

}  // namespace
}  // namespace referat::test
