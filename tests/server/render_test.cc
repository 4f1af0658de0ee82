// Pure functions of the server: URL state parsing and the HTML renderer (escaping, highlights).
#include <gtest/gtest.h>

#include "searcher/http/api_render.h"
#include "searcher/http/page_query.h"
#include "searcher/render/html.h"

namespace referat::searcher {
namespace {

using http::Params;

TEST(ApiCsv, SemicolonSeparatedAndQuoted) {
  SearchResult r;
  Hit h;
  h.rank = 1;
  h.id = "x/2024-01-02/3";
  h.committee = "Økonomiudvalget";
  h.title = "Budget; anlæg, \"drift\"";
  h.outcomes = {"godkendt", "oversendt"};
  h.decision = "=SUM(A1)";
  r.hits.push_back(h);
  r.total = 1;
  const std::string csv = http::result_csv(r, 10);
  EXPECT_EQ(csv,
            "\xEF\xBB\xBFplacering;id;udvalg;dato;punkt;titel;kategori;journalnummer;udfald;beslutning;fil;linjer\r\n"
            "1;x/2024-01-02/3;Økonomiudvalget;;0;\"Budget; anlæg, \"\"drift\"\"\";;;\"godkendt; oversendt\";'=SUM(A1);;0-0\r\n");
}

TEST(Escape, Table) {
  struct Row {
    const char* in;
    const char* out;
  } rows[] = {
      {"", ""},
      {"plain æøå", "plain æøå"},
      {"<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
      {"a & b", "a &amp; b"},
      {"\"x\" 'y'", "&quot;x&quot; &#39;y&#39;"},
      {"&amp;", "&amp;amp;"},
      {"\xFF\xFE", "\uFFFD\uFFFD"},
      {"a\xC3", "a\uFFFD"},
      {"\xC3\xA6\xE2\x82\xAC\xF0\x9F\x98\x80", "æ€😀"},
      {"\xC0\xAF", "\uFFFD\uFFFD"},  // overlong '/'
  };
  for (const auto& r : rows) EXPECT_EQ(render::escape(r.in), r.out) << r.in;
}

TEST(Highlight, WrapsRangesAndEscapesAround) {
  Snippet s{"resume", "a <b> kontrol & kontrollen", {{6, 13}, {16, 26}}};
  EXPECT_EQ(render::highlight(s), "a &lt;b&gt; <mark>kontrol</mark> &amp; <mark>kontrollen</mark>");
}

TEST(Highlight, BadRangesNeverBreakMarkupOrCharacters) {
  // "rød" is r, 0xC3 0xB8, d: a range starting inside ø is widened to the whole character.
  Snippet s{"x", "rød <i>", {{2, 3}, {100, 200}, {5, 2}, {0, 1}, {0, 2}}};
  std::string h = render::highlight(s);
  EXPECT_EQ(h, "<mark>rø</mark>d &lt;i&gt;");
  Snippet overlap{"x", "abcdef", {{0, 3}, {2, 5}}};
  EXPECT_EQ(render::highlight(overlap), "<mark>abcde</mark>f");
}

TEST(DanishDate, Table) {
  EXPECT_EQ(render::danish_date("2021-04-27"), "27. april 2021");
  EXPECT_EQ(render::danish_date("2025-05-20"), "20. maj 2025");
  EXPECT_EQ(render::danish_date("2024"), "2024");
  EXPECT_EQ(render::danish_date("2024-13-01"), "2024-13-01");
}

TEST(SearchPage, TitleWithScriptIsEscaped) {
  SearchResult r;
  r.query = "x";
  r.total = 1;
  Hit h;
  h.id = "udvalg/2024-01-01/1";
  h.title = "<script>alert('titel')</script>";
  h.committee = "Udvalg \"<b>\"";
  h.date = "2024-01-01";
  h.decision = "<img src=x onerror=alert(1)>";
  h.snippet = {"resume", "<script>x</script> kontrol", {{19, 26}}};
  r.hits.push_back(h);
  r.facets.push_back({"committee", {{"<script>evil</script>", 1}}});
  http::PageQuery p;
  p.q = "\"><script>alert(2)</script>";
  std::string page = render::search_page(p, &r);
  EXPECT_EQ(page.find("<script>alert"), std::string::npos);
  EXPECT_EQ(page.find("<script>x"), std::string::npos);
  EXPECT_EQ(page.find("<script>evil"), std::string::npos);
  EXPECT_EQ(page.find("<img src"), std::string::npos);
  EXPECT_EQ(page.find("<b>"), std::string::npos);
  EXPECT_NE(page.find("&lt;script&gt;alert(&#39;titel&#39;)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(page.find("<mark>kontrol</mark>"), std::string::npos);
  // The facet value travels percent-encoded in its link.
  EXPECT_NE(page.find("udvalg=%3Cscript%3Eevil%3C%2Fscript%3E"), std::string::npos);
}

TEST(SearchPage, DateFieldsHoldIsoDates) {
  // <input type="date"> keeps only YYYY-MM-DD: a date typed otherwise in the URL was emptied by
  // the browser, and the next submit (sort, Opdatér) dropped the filter.
  struct Row {
    const char *fra, *til, *fra_value, *til_value, *chip;
  };
  for (const Row& r : {Row{"31.1.2021", "", "2021-01-31", "", "Fra 31. januar 2021"},
                       Row{"2021", "2022", "2021-01-01", "2022-12-31", "Til 31. december 2022"},
                       Row{"2021-02", "2021-2", "2021-02-01", "2021-02-28", "Fra 1. februar 2021"},
                       Row{"2024-05-20", "", "2024-05-20", "", "Fra 20. maj 2024"}}) {
    http::PageQuery page;
    page.q = "budget";
    page.fra = r.fra;
    page.til = r.til;
    SearchResult none;
    none.query = page.q;
    const std::string html = render::search_page(page, &none);
    EXPECT_NE(html.find(std::string("name=\"fra\" type=\"date\" value=\"") + r.fra_value + "\""), std::string::npos) << r.fra;
    EXPECT_NE(html.find(std::string("name=\"til\" type=\"date\" value=\"") + r.til_value + "\""), std::string::npos) << r.til;
    EXPECT_NE(html.find(r.chip), std::string::npos) << r.fra << " " << r.til;
  }
}

// The search time reads in milliseconds under a second ("0,00 sek." said nothing).
TEST(SearchPage, SearchTimeInDanish) {
  for (const auto& [ms, shown] : std::vector<std::pair<double, std::string>>{
           {0.3, ">1 ms<"}, {7.2, ">7 ms<"}, {999.4, ">999 ms<"}, {1250.0, ">1,25 sek.<"}}) {
    SearchResult r;
    r.query = "x";
    r.elapsed_ms = ms;
    http::PageQuery p;
    p.q = "x";
    EXPECT_NE(render::search_page(p, &r).find(shown), std::string::npos) << ms;
  }
}

TEST(SearchPage, PaginationLinksKeepTheState) {
  SearchResult r;
  r.total = 35;
  for (int i = 0; i < 10; ++i) {
    Hit h;
    h.id = "u/2024-01-01/" + std::to_string(i);
    h.title = "t";
    r.hits.push_back(h);
  }
  http::PageQuery p;
  p.q = "budget";
  p.udvalg = {"BSU"};
  p.side = 2;
  p.offset = 10;
  std::string page = render::search_page(p, &r);
  EXPECT_NE(page.find("href=\"/?q=budget&amp;udvalg=BSU&amp;side=3\""), std::string::npos);
  EXPECT_NE(page.find("href=\"/?q=budget&amp;udvalg=BSU\">1<"), std::string::npos);
  EXPECT_NE(page.find("aria-current=\"page\">2<"), std::string::npos);
  EXPECT_NE(page.find(">4<"), std::string::npos);
  EXPECT_EQ(page.find(">5<"), std::string::npos) << "35 hits are 4 pages";
}

TEST(QueryErrorMessage, IsDanishWithTheQuotedFragment) {
  QueryError danish("--fra: malformed date: \"xyz\"", 0, "xyz", "Datoen kan ikke læses.");
  EXPECT_EQ(http::query_error_message(danish),
            "Søgningen kan ikke forstås: Datoen kan ikke læses (ved »xyz«).");
  QueryError no_stop("unknown field 'http:'", 0, "http:foo", "ukendt felt 'http:'");
  EXPECT_EQ(http::query_error_message(no_stop),
            "Søgningen kan ikke forstås: ukendt felt 'http:' (ved »http:foo«)");
  QueryError quoted("--fra: malformed date", 0, "xyz", "fra-datoen 'xyz' kan ikke læses");
  EXPECT_EQ(http::query_error_message(quoted),
            "Søgningen kan ikke forstås: fra-datoen 'xyz' kan ikke læses");
  // Until a throw site says it in Danish, the English message is better than nothing.
  QueryError english("missing ')'", 4, "");
  EXPECT_EQ(http::query_error_message(english), "Søgningen kan ikke forstås: missing ')'");
}

TEST(SearchPage, PastTheLastPageLinksToIt) {
  SearchResult r;
  r.total = 45;  // 5 pages of 10; the user asks for page 99
  http::PageQuery p;
  p.q = "kommune";
  p.side = 99;
  p.offset = 980;
  std::string page = render::search_page(p, &r);
  EXPECT_NE(page.find("Der er ikke flere resultater"), std::string::npos);
  EXPECT_NE(page.find("href=\"/?q=kommune&amp;side=5\">Gå til sidste side (side 5)</a>"),
            std::string::npos)
      << page;
  EXPECT_EQ(page.find("Prøv færre eller andre ord"), std::string::npos) << "the words are fine";
  EXPECT_EQ(page.find("side=98"), std::string::npos) << "no ← Forrige to another empty page";
  EXPECT_EQ(page.find("class=\"pager\""), std::string::npos);
}

Params params(std::initializer_list<std::pair<const char*, const char*>> kv) {
  Params p;
  for (auto [k, v] : kv) p.emplace(k, v);
  return p;
}

TEST(PageQuery, ParsesDanishAndEnglishNames) {
  http::Limits limits;
  auto p = http::parse_page_query(
      params({{"q", "budget"}, {"udvalg", "BSU"}, {"committee", "BUU"}, {"fra", "2021-01-01"},
              {"to", "2021-12-31"}, {"sort", "nyeste"}, {"antal", "20"}, {"side", "3"},
              {"kategori", "D"}, {"udfald", "godkendt"}}),
      limits);
  EXPECT_EQ(p.q, "budget");
  EXPECT_EQ(p.udvalg, (std::vector<std::string>{"BSU", "BUU"}));
  EXPECT_EQ(p.fra, "2021-01-01");
  EXPECT_EQ(p.til, "2021-12-31");
  EXPECT_EQ(p.sort, Sort::DateDesc);
  EXPECT_EQ(p.offset, 40u);
  SearchRequest r = http::to_search_request(p, limits);
  EXPECT_EQ(r.limit, 20u);
  EXPECT_EQ(r.offset, 40u);
  EXPECT_EQ(r.categories, (std::vector<std::string>{"D"}));
  EXPECT_EQ(r.outcomes, (std::vector<std::string>{"godkendt"}));
  EXPECT_DOUBLE_EQ(r.time_limit_seconds, limits.time_limit_seconds);
}

TEST(PageQuery, RoundTripsThroughTheQueryString) {
  http::PageQuery p;
  p.q = "negativ social kontrol";
  p.udvalg = {"Børn- og Ungeudvalget"};
  p.sort = Sort::DateAsc;
  p.side = 2;
  p.offset = 10;
  std::string qs = http::to_query_string(p);
  EXPECT_EQ(qs,
            "?q=negativ%20social%20kontrol&udvalg=B%C3%B8rn-%20og%20Ungeudvalget&sort=%C3%A6ldste&side=2");
  EXPECT_EQ(http::to_query_string(http::PageQuery{}), "");
}

TEST(PageQuery, QueryLengthCountsCharactersNotBytes) {
  http::Limits limits;
  limits.max_query_chars = 10;
  std::string ten_ae;
  for (int i = 0; i < 10; ++i) ten_ae += "æ";  // 20 bytes
  EXPECT_EQ(http::parse_page_query(params({{"q", ten_ae.c_str()}}), limits).q, ten_ae);
  try {
    http::parse_page_query(params({{"q", (ten_ae + "ø").c_str()}}), limits);
    ADD_FAILURE() << "11 characters accepted";
  } catch (const http::RequestError& e) {
    EXPECT_NE(std::string(e.what()).find("(11 tegn; højst 10)"), std::string::npos) << e.what();
  }
  EXPECT_EQ(http::utf8_length(""), 0u);
  EXPECT_EQ(http::utf8_length("abc"), 3u);
  EXPECT_EQ(http::utf8_length("æøå"), 3u);
  EXPECT_EQ(http::utf8_length("\xF0\x9F\x98\x80€"), 2u) << "4- and 3-byte characters";
  EXPECT_EQ(http::utf8_length("\xFF\xFE"), 2u) << "invalid bytes count one each";
  EXPECT_EQ(http::utf8_length("a\xC3"), 2u) << "a truncated character counts one";
}

TEST(PageQuery, RejectsWithDanishMessages) {
  struct Row {
    std::vector<std::pair<const char*, const char*>> kv;
    const char* message_part;
  };
  http::Limits limits;
  limits.max_query_chars = 10;
  const Row rows[] = {
      {{{"q", "abcdefghijk"}}, "for lang"},
      {{{"antal", "0"}}, "antal"},
      {{{"antal", "-1"}}, "antal"},
      {{{"antal", "101"}}, "antal"},
      {{{"side", "x"}}, "side"},
      {{{"side", "-1"}}, "siderne tæller fra 1"},  // said "skal være et helt tal, ikke '-1'"
      {{{"antal", "-5"}}, "'antal' kan ikke være negativ"},
      {{{"offset", "10001"}}, "bladres"},
      {{{"sort", "x"}}, "sortering"},
      {{{"facets", "2"}}, "facetter"},
      {{{"fra", "2021-01-01-2021-01-01-2021-01-01-2021-01-01"}}, "Datoen"},
  };
  for (const auto& row : rows) {
    http::Params p;
    for (auto [k, v] : row.kv) p.emplace(k, v);
    try {
      http::parse_page_query(p, limits);
      ADD_FAILURE() << row.kv[0].first << "=" << row.kv[0].second << " accepted";
    } catch (const http::RequestError& e) {
      EXPECT_EQ(e.status, 400);
      EXPECT_NE(std::string(e.what()).find(row.message_part), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace referat::searcher
