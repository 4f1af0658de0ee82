// The web page over loopback: server-rendered search and item pages, facet links, escaping of
// hostile minutes and URLs, static assets and path traversal.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <regex>

#include "tests/server/test_env.h"

namespace referat::test {
namespace {

using nlohmann::json;

class Web : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new RunningServer(shared_db()); }
  static void TearDownTestSuite() {
    delete server_;
  }
  void SetUp() override { c_ = server_->client(); }

  std::string page(const std::string& path, int status = 200) {
    auto res = c_->Get(path.c_str());
    if (!res) {
      ADD_FAILURE() << "no response for " << path;
      return {};
    }
    EXPECT_EQ(res->status, status) << path;
    EXPECT_EQ(res->get_header_value("Content-Type"), "text/html; charset=utf-8") << path;
    return res->body;
  }

  std::unique_ptr<httplib::Client> c_;
  static RunningServer* server_;
};
RunningServer* Web::server_ = nullptr;

bool has(const std::string& body, const std::string& part) {
  return body.find(part) != std::string::npos;
}

TEST_F(Web, StartPageHasAccessibleSearchForm) {
  std::string b = page("/");
  EXPECT_TRUE(has(b, "<html lang=\"da\">"));
  EXPECT_TRUE(has(b, "<label class=\"search-label\" for=\"q\">"));
  EXPECT_TRUE(has(b, "id=\"q\" name=\"q\""));
  EXPECT_TRUE(has(b, "<meta name=\"viewport\""));
  EXPECT_TRUE(has(b, "<link rel=\"stylesheet\" href=\"/static/style.css\">"));
  EXPECT_FALSE(has(b, "<ol class=\"hits\"")) << "nothing is searched before the user asks";
}

TEST_F(Web, SearchPageListsHitsFacetsAndCsvLink) {
  std::string b = page("/?q=negativ+social+kontrol");
  auto first_hit = b.find("<li class=\"hit\">");
  ASSERT_NE(first_hit, std::string::npos);
  EXPECT_NE(b.find("Orientering om Odense Kommunes arbejde med", first_hit), std::string::npos);
  EXPECT_TRUE(has(b, "<mark>")) << "highlighted snippet";
  EXPECT_TRUE(has(b, "value=\"negativ social kontrol\"")) << "the box keeps the query";
  EXPECT_TRUE(has(b, "/api/search.csv?q=negativ%20social%20kontrol"));
  // A committee facet links to the same search narrowed to that committee.
  EXPECT_TRUE(has(b, "href=\"/?q=negativ%20social%20kontrol&amp;udvalg=B%C3%B8rn-%20og%20Ungeudvalget\""))
      << b.substr(b.find("<aside"), 2000);
  // 20. maj 2025 is shown in Danish.
  EXPECT_TRUE(has(b, "20. maj 2025"));
}

TEST_F(Web, FacetLinkNarrowsAndMarksTheSelection) {
  std::string all = page("/?q=negativ+social+kontrol");
  std::string narrowed = page("/?q=negativ+social+kontrol&udvalg=B%C3%B8rn-+og+Ungeudvalget");
  auto count = [](const std::string& b) {
    std::size_t n = 0;
    for (std::size_t p = 0; (p = b.find("<li class=\"hit\">", p)) != std::string::npos; ++p) ++n;
    return n;
  };
  EXPECT_LT(count(narrowed), count(all));
  EXPECT_GT(count(narrowed), 0u);
  EXPECT_TRUE(has(narrowed, "class=\"selected\" aria-current=\"true\""));
  EXPECT_TRUE(has(narrowed, "Udvalg: Børn- og Ungeudvalget")) << "removable filter chip";
  EXPECT_FALSE(has(narrowed, "Orientering om Odense Kommunes arbejde med"));
}

// The href (unescaped) and the count of a facet value's link, or {"", 0}.
std::pair<std::string, std::size_t> facet_link(const std::string& body, const std::string& facet,
                                               const std::string& value) {
  auto section = body.find("<section class=\"facet\" data-facet=\"" + facet + "\">");
  if (section == std::string::npos) return {"", 0};
  std::smatch m;
  std::string rest = body.substr(section, body.find("</section>", section) - section);
  if (!std::regex_search(rest, m,
                         std::regex("<a href=\"([^\"]+)\"[^>]*><span class=\"value\">" + value +
                                    "</span>(?:<span class=\"visually-hidden\">[^<]*</span>)?"
                                    "<span class=\"count\">([0-9.]+)</span>")))
    return {"", 0};
  std::string href = std::regex_replace(std::string(m[1]), std::regex("&amp;"), "&");
  return {href, std::stoul(std::regex_replace(std::string(m[2]), std::regex("\\."), ""))};
}

// "45 punkter fundet" -> 45 (0 for "Ingen punkter fundet").
std::size_t shown_total(const std::string& body) {
  std::smatch m;
  if (!std::regex_search(body, m, std::regex("class=\"summary\">(?:Cirka )?([0-9.]+) punkt")))
    return 0;
  return std::stoul(std::regex_replace(std::string(m[1]), std::regex("\\."), ""));
}

TEST_F(Web, FacetClickOnAFilteredPageGivesTheCountShown) {
  // Filtered by one committee, the facet lists the items that another committee also dealt
  // with; its link must narrow to exactly those (repeated values OR-ed would widen to both).
  const std::string bsu = "udvalg=Besk%C3%A6ftigelses-+og+Socialudvalget";
  std::string filtered = page("/?" + bsu);
  auto [href, count] = facet_link(filtered, "committee", "Børn- og Ungeudvalget");
  ASSERT_FALSE(href.empty()) << filtered.substr(filtered.find("<aside"), 3000);
  ASSERT_GT(count, 0u);
  ASSERT_LT(count, shown_total(filtered));
  std::string narrowed = page(href);
  EXPECT_EQ(shown_total(narrowed), count) << href;
  // Each value stays removable on its own: one chip per committee, each dropping only its own.
  std::smatch m;
  std::vector<std::string> chips;
  std::string rest = narrowed.substr(narrowed.find("<ul class=\"chips\""));
  rest = rest.substr(0, rest.find("</ul>"));
  const std::regex chip_href("href=\"([^\"]*)\"");
  for (auto it = std::sregex_iterator(rest.begin(), rest.end(), chip_href);
       it != std::sregex_iterator(); ++it)
    chips.push_back((*it)[1]);
  ASSERT_EQ(chips.size(), 2u) << rest;
  EXPECT_EQ(chips[0], "/?udvalg=B%C3%B8rn-%20og%20Ungeudvalget");
  EXPECT_EQ(chips[1], "/?udvalg=Besk%C3%A6ftigelses-%20og%20Socialudvalget");
  EXPECT_EQ(shown_total(page(chips[1])), shown_total(filtered)) << "back to the first filter";
  // The CSV link says the same filters, so it holds the same items.
  ASSERT_TRUE(std::regex_search(narrowed, m, std::regex("href=\"(/api/search\\.csv[^\"]*)\"")));
  std::string csv_href = std::regex_replace(std::string(m[1]), std::regex("&amp;"), "&");
  EXPECT_NE(csv_href.find("filtre=alle"), std::string::npos) << csv_href;
  auto csv = c_->Get(csv_href.c_str());
  ASSERT_TRUE(csv);
  std::size_t rows = 0;
  for (std::size_t p = 0; (p = csv->body.find("\r\n", p)) != std::string::npos; p += 2) ++rows;
  EXPECT_EQ(rows, count + 1) << "header + one row per item";
}

TEST_F(Web, PagingPastTheEndOffersTheLastPage) {
  std::string first = page("/?q=kommune");
  std::size_t total = shown_total(first);
  ASSERT_GT(total, 10u);
  std::size_t last = (total + 9) / 10;
  std::string b = page("/?q=kommune&side=99");
  EXPECT_TRUE(has(b, "Der er ikke flere resultater")) << b;
  EXPECT_FALSE(has(b, "Prøv færre eller andre ord"));
  EXPECT_FALSE(has(b, "side=98"));
  std::smatch m;
  ASSERT_TRUE(std::regex_search(b, m, std::regex("href=\"([^\"]*)\">Gå til sidste side")));
  std::string href = std::regex_replace(std::string(m[1]), std::regex("&amp;"), "&");
  EXPECT_EQ(href, "/?q=kommune&side=" + std::to_string(last));
  std::string last_page = page(href);
  EXPECT_TRUE(has(last_page, "<li class=\"hit\">")) << "the last page has hits";
}

TEST_F(Web, ItemPageShowsSectionsDecisionAndSimilar) {
  std::string results = page("/?q=negativ+social+kontrol");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(results, m, std::regex("href=\"(/punkt/[^\"]+)\"")));
  std::string b = page(m[1]);
  EXPECT_TRUE(has(b, "<h1>Orientering om Odense Kommunes arbejde med negativ social kontrol</h1>"));
  EXPECT_TRUE(has(b, "Beslutning"));
  EXPECT_TRUE(has(b, "Lignende punkter"));
  EXPECT_TRUE(has(b, "<dt>Udvalg</dt><dd>Beskæftigelses- og Socialudvalget</dd>"));
  page("/punkt/findes/ikke/1", 404);
}

TEST_F(Web, HostileMinutesAreEscapedEverywhere) {
  std::string results = page("/?q=skraldespande");
  ASSERT_TRUE(has(results, "<li class=\"hit\">")) << "the hostile item is found";
  std::smatch m;
  ASSERT_TRUE(std::regex_search(results, m, std::regex("href=\"(/punkt/[^\"]+)\"")));
  std::string item = page(m[1]);
  auto json_res = c_->Get(("/api/items/" + std::string(m[1]).substr(7)).c_str());
  ASSERT_TRUE(json_res);
  for (const std::string* b : {&results, &item}) {
    EXPECT_FALSE(has(*b, "<script>alert")) << *b;
    EXPECT_FALSE(has(*b, "<img src=x")) << *b;
    EXPECT_FALSE(has(*b, "</p><script>"));
  }
  EXPECT_TRUE(has(item, "&lt;img src=x onerror=alert(1)&gt;")) << "shown as text, not markup";
  EXPECT_TRUE(has(item, "&amp; &quot;citater&quot;"));
  // Only our own external script: no script element but the deferred app.js.
  std::size_t scripts = 0;
  for (std::size_t p = 0; (p = item.find("<script", p)) != std::string::npos; ++p) ++scripts;
  EXPECT_EQ(scripts, 1u);
}

TEST_F(Web, QueryTextFromTheUrlIsEscaped) {
  std::string b = page("/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E%22%3E%3Cimg");
  EXPECT_FALSE(has(b, "<script>alert(1)"));
  EXPECT_FALSE(has(b, "\"><img"));
  EXPECT_TRUE(has(b, "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img"));
  std::string bad = page("/?q=budget&udvalg=%3Cscript%3E&sort=%3Cb%3E", 400);
  EXPECT_FALSE(has(bad, "<script>"));
  EXPECT_FALSE(has(bad, "<b>"));
}

TEST_F(Web, QueryOfInvalidBytesReachesTheSearcher) {
  // The server passes the bytes on (what they match is the searcher's business) and shows them
  // as U+FFFD, so the page stays valid UTF-8.
  json j = get_json(*c_, "/api/search?q=%FF%FE&facetter=0");
  EXPECT_EQ(j["query"], "\uFFFD\uFFFD") << "the query reached the searcher";
  std::string b = page("/?q=%FF%FE");
  EXPECT_TRUE(has(b, "id=\"q\" name=\"q\" type=\"search\" value=\"\uFFFD\uFFFD\"")) << b;
  EXPECT_FALSE(has(b, "\xFF"));
  EXPECT_TRUE(has(b, "<q>\uFFFD\uFFFD</q>") || has(b, "role=\"alert\"")) << "searched (or refused)";
}

TEST_F(Web, BadQueryShowsDanishErrorOnThePage) {
  std::string b = page("/?q=komite%3ABUU", 400);
  EXPECT_TRUE(has(b, "role=\"alert\""));
  EXPECT_TRUE(has(b, "komite"));
  EXPECT_TRUE(has(b, "value=\"komite:BUU\"")) << "the query stays in the box to be corrected";
  EXPECT_FALSE(has(b, "unknown field")) << "the searcher's Danish message, not its English one";
  std::string date = page("/?q=kommune&fra=xyz", 400);
  EXPECT_FALSE(has(date, "--fra"));
  EXPECT_FALSE(has(date, "malformed"));
}

TEST_F(Web, StaticAssetsAreServedWithTheirTypes) {
  auto css = c_->Get("/static/style.css");
  ASSERT_TRUE(css);
  EXPECT_EQ(css->status, 200);
  EXPECT_EQ(css->get_header_value("Content-Type"), "text/css; charset=utf-8");
  EXPECT_TRUE(has(css->body, ".hit"));
  auto js = c_->Get("/static/app.js");
  ASSERT_TRUE(js);
  EXPECT_EQ(js->get_header_value("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_TRUE(has(js->body, "/api/suggest"));
}

// WCAG relative luminance and contrast of "#rrggbb" colours.
double luminance(const std::string& hex) {
  double l = 0;
  const double weights[] = {0.2126, 0.7152, 0.0722};
  for (int i = 0; i < 3; ++i) {
    double c = std::stoi(hex.substr(1 + 2 * i, 2), nullptr, 16) / 255.0;
    c = c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
    l += weights[i] * c;
  }
  return l;
}
double contrast(const std::string& a, const std::string& b) {
  double x = luminance(a), y = luminance(b);
  return (std::max(x, y) + 0.05) / (std::min(x, y) + 0.05);
}

TEST_F(Web, FocusOutlineHasEnoughContrast) {
  std::string css = c_->Get("/static/style.css")->body;
  auto var = [&](const std::string& name) {
    std::smatch m;
    EXPECT_TRUE(std::regex_search(css, m, std::regex("--" + name + ":\\s*(#[0-9a-fA-F]{6})"))) << name;
    return m.empty() ? std::string("#000000") : std::string(m[1]);
  };
  std::string focus = var("focus");
  EXPECT_GE(contrast(focus, "#ffffff"), 3.0) << focus << " on white (cards, inputs)";
  EXPECT_GE(contrast(focus, var("bg")), 3.0) << focus << " on the page background";
  EXPECT_TRUE(std::regex_search(
      css, std::regex(":focus-visible \\{ outline: 3px solid var\\(--focus\\); outline-offset: 2px; \\}")));
  // The header is dark blue: there the outline is white.
  EXPECT_TRUE(has(css, ".top :focus-visible, .skip:focus-visible { outline-color: #fff; }"));
  EXPECT_GE(contrast("#ffffff", var("blue")), 3.0);
}

TEST_F(Web, PathTraversalReachesNoFile) {
  // Each of these must be refused without returning any file of the machine or the repository.
  const char* paths[] = {
      "/static/../CMakeLists.txt",
      "/static/..%2F..%2F..%2Fetc%2Fpasswd",
      "/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
      "/static/....//....//etc/passwd",
      "/static/style.css/../../../etc/passwd",
      "/static/%252e%252e/etc/passwd",
      "/../../../../etc/passwd",
      "/static/",
      "/static/server.cc",
      "/static/.%2e/searcher/http/server.cc",
  };
  for (const char* p : paths) {
    httplib::Client raw("127.0.0.1", server_->port());
    raw.set_url_encode(false);  // send the path exactly as written
    auto res = raw.Get(p);
    ASSERT_TRUE(res) << p;
    EXPECT_TRUE(res->status == 404 || res->status == 400) << p << " -> " << res->status;
    EXPECT_FALSE(has(res->body, "root:")) << p;
    EXPECT_FALSE(has(res->body, "cmake_minimum_required")) << p;
    EXPECT_FALSE(has(res->body, "#include")) << p;
  }
}

}  // namespace
}  // namespace referat::test
