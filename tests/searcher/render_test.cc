// Renderers are pure functions of SearchResult: checked on hand-built results.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "searcher/render/csv.h"
#include "searcher/render/json.h"
#include "searcher/render/text.h"

namespace referat::searcher {
namespace {

SearchResult sample() {
  SearchResult r;
  r.query = "negativ \"social kontrol\"";
  r.total = 1;
  Hit h;
  h.id = "bsu/2025-05-20/13";
  h.rank = 1;
  h.score = 2.5;
  h.file = "corpus/003.txt";
  h.item = 13;
  h.title = "Orientering, om \"kontrol\"";
  h.committee = "Beskæftigelses- og Socialudvalget";
  h.date = "2025-05-20";
  h.outcomes = {"godkendt", "orientering_givet"};
  h.snippet = {"resume", "om negativ social kontrol.", {{3, 10}, {11, 17}}};
  r.hits.push_back(h);
  r.facets.push_back({"committee", {{"Beskæftigelses- og Socialudvalget", 1}}});
  r.suggestion = "negativ social kontrol";
  return r;
}

TEST(Render, JsonHasTheDocumentedKeys) {
  auto j = nlohmann::json::parse(render::json(sample()));
  for (const char* k : {"query", "total", "total_exact", "hits", "facets", "suggestion"})
    EXPECT_TRUE(j.contains(k)) << k;
  const auto& h = j["hits"][0];
  for (const char* k : {"id", "rank", "score", "file", "item", "title", "committee", "date", "journal",
                        "outcomes", "snippet"})
    EXPECT_TRUE(h.contains(k)) << k;
  EXPECT_TRUE(h["journal"].is_null());
  EXPECT_EQ(h["snippet"]["highlights"][1][0], 11);
  EXPECT_EQ(h["snippet"]["section"], "resume");
  EXPECT_EQ(j["facets"]["committee"][0]["count"], 1);
  EXPECT_EQ(j["suggestion"], "negativ social kontrol");
}

TEST(Render, CsvQuotesFields) {
  std::string c = render::csv(sample());
  EXPECT_EQ(c.substr(0, c.find("\r\n")),
            "rank,score,id,date,committee,item,title,journal,category,outcomes,file,first_line,last_line,section,snippet");
  EXPECT_NE(c.find("\"Orientering, om \"\"kontrol\"\"\""), std::string::npos) << c;
  EXPECT_NE(c.find(",godkendt;orientering_givet,"), std::string::npos) << c;
  EXPECT_EQ(render::csv_field("a\nb"), "\"a\nb\"");
  EXPECT_EQ(render::csv_field("plain"), "plain");
}

TEST(Render, TextMarksHighlightsAndShowsFacetsAndTotal) {
  EXPECT_EQ(render::mark(sample().hits[0].snippet, "[", "]"), "om [negativ] [social] kontrol.");
  Snippet bad{"x", "abc", {{2, 99}, {0, 1}, {0, 2}}};
  EXPECT_EQ(render::mark(bad, "<", ">"), "<a><b><c>");
  std::string t = render::text(sample());
  EXPECT_NE(t.find("  1. 2025-05-20  Beskæftigelses- og Socialudvalget  punkt 13"), std::string::npos) << t;
  EXPECT_NE(t.find("[resume] om negativ social kontrol."), std::string::npos) << t;
  EXPECT_NE(t.find("Mente du: negativ social kontrol"), std::string::npos);
  EXPECT_NE(t.find("Udvalg: Beskæftigelses- og Socialudvalget (1)"), std::string::npos);
  EXPECT_NE(t.find("1 resultat"), std::string::npos);
  EXPECT_NE(t.find("udfald: godkendt, orientering givet"), std::string::npos) << "outcomes read as words: " << t;
  // A page past the last match says so (--offset beyond the total).
  SearchResult past = sample();
  past.total = 27;
  past.hits.clear();
  render::TextOptions at_30;
  at_30.offset = 30;
  EXPECT_NE(render::text(past, at_30).find("27 resultater, ingen på denne side"), std::string::npos)
      << render::text(past, at_30);
  // No hits asked for (--limit 0), or none in time: not a page past the end.
  EXPECT_EQ(render::text(past).find("ingen på denne side"), std::string::npos) << render::text(past);
  EXPECT_EQ(t.find("ingen på denne side"), std::string::npos);
  render::TextOptions color;
  color.color = true;
  EXPECT_NE(render::text(sample(), color).find("\033[1mnegativ\033[0m"), std::string::npos);
}

}  // namespace
}  // namespace referat::searcher
