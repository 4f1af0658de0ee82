// End-to-end search over an index of corpus/, checked against a brute-force reference matcher
// over the parsed items (STYLE practice 14): match sets, exact totals and every facet count.
#include <gtest/gtest.h>

#include <unistd.h>
#include <xapian.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <regex>

#include "indexer/schema.h"
#include "searcher/searcher.h"
#include "tests/searcher/corpus_fixture.h"

namespace referat::searcher {
namespace {

using test::corpus;
using test::match_ids;
using test::RefItem;
using test::searcher;

/// The forms a typed word may take in an item (reference definition, independent of Xapian
/// terms): the word, its lemma(s) and its folded spellings as the query analysis gives them.
std::set<std::string> forms(const std::string& word) {
  std::vector<stemmers::Token> tokens;
  test::analyzer().analyze(word, stemmers::Mode::Query, tokens);
  std::set<std::string> out;
  for (const auto& t : tokens)
    if (t.kind != stemmers::TokenKind::Part) out.insert(t.text);
  return out;
}

/// True when `item` contains `word` in some form, as written, inflected, or as a compound part.
bool has(const RefItem& item, const std::string& word) {
  for (const auto& f : forms(word))
    if (item.words.count(f)) return true;
  return false;
}

std::set<std::string> reference(const std::function<bool(const RefItem&)>& pred) {
  std::set<std::string> out;
  for (const auto& i : corpus().items)
    if (pred(i)) out.insert(i.id);
  return out;
}

std::map<std::string, std::map<std::string, std::size_t>> reference_facets(const std::set<std::string>& ids) {
  std::map<std::string, std::map<std::string, std::size_t>> f;
  for (const auto& id : ids) {
    const RefItem* i = corpus().find(id);
    if (i == nullptr) continue;
    for (const auto& c : i->committees) ++f["committee"][c];  // meeting + deciding, as udvalg: filters
    if (!i->year.empty()) ++f["year"][i->year];
    if (!i->category.empty()) ++f["category"][i->category];
    for (const auto& o : i->outcomes) ++f["outcome"][o];
    if (!i->kle.empty()) ++f["kle"][i->kle];
  }
  return f;
}

std::map<std::string, std::map<std::string, std::size_t>> result_facets(const SearchResult& r) {
  std::map<std::string, std::map<std::string, std::size_t>> f;
  for (const auto& facet : r.facets)
    for (const auto& v : facet.values) f[facet.name][v.value] = v.count;
  return f;
}

std::string year_of(const RefItem& i) { return i.year; }

TEST(Search, CorpusIsIndexedAndParsed) {
  EXPECT_EQ(corpus().items.size(), 66u);
  EXPECT_EQ(searcher().stats().documents, 66u);
  EXPECT_EQ(searcher().stats().schema_version, schema::kSchemaVersion);
  for (const auto& i : corpus().items) EXPECT_TRUE(searcher().item(i.id).has_value()) << i.id;
}

TEST(Search, NegativSocialKontrolFindsEveryItemAboutIt) {
  // The items that discuss it, found by reading the minutes: any inflection of the three words
  // in sequence ("negativ social kontrol", "Negativ Social Kontrol", "negative sociale ...").
  static const std::regex re(R"(negativ\w*\s+social\w*\s+kontrol)", std::regex::icase);
  auto expected = reference([](const RefItem& i) { return std::regex_search(i.text, re); });
  ASSERT_GE(expected.size(), 3u);
  EXPECT_TRUE(expected.count("beskaeftigelses-og-socialudvalget/2025-05-20/13"));

  EXPECT_EQ(match_ids("\"negativ social kontrol\""), expected);
  EXPECT_EQ(match_ids("\"negative sociale kontroller\""), expected) << "phrase words by lemma";

  SearchRequest req;
  req.query = "negativ social kontrol";
  req.all = true;
  SearchResult r = searcher().search(req);
  ASSERT_GE(r.hits.size(), expected.size());
  EXPECT_EQ(r.hits[0].id, "beskaeftigelses-og-socialudvalget/2025-05-20/13") << "the item about it first";
  for (std::size_t k = 0; k < expected.size(); ++k)
    EXPECT_TRUE(expected.count(r.hits[k].id)) << "rank " << k + 1 << ": " << r.hits[k].id;
  EXPECT_TRUE(r.total_exact);
  EXPECT_EQ(r.total, r.hits.size());
}

TEST(Search, PhrasesMatchEveryInflectionThroughTheFormTable) {
  // Lemma terms have no positions: "social indsats" finds "sociale indsatser" through the form
  // table's forms of the lemmas social and indsats, whichever inflection is typed.
  static const std::regex re(R"(\bsocial[et]?\s+indsats(en|er|erne|ens)?\b)", std::regex::icase);
  static const std::regex plain(R"(\bsocial\s+indsats\b)", std::regex::icase);
  auto expected = reference([](const RefItem& i) { return std::regex_search(i.text, re); });
  auto as_typed = reference([](const RefItem& i) { return std::regex_search(i.text, plain); });
  ASSERT_GT(expected.size(), as_typed.size()) << "some items have the phrase only inflected";
  ASSERT_FALSE(as_typed.empty());
  EXPECT_EQ(match_ids("\"social indsats\""), expected);
  EXPECT_EQ(match_ids("\"sociale indsatser\""), expected);
  EXPECT_EQ(match_ids("\"socialt indsatsen\""), expected);
}

TEST(Search, FieldPhrasesMatchInsideTheirFieldOnly) {
  // A field's terms carry no positions: `resume:"..."` is the body phrase inside the resume's
  // position span. Reference: the phrase's words, in any inflection, in that field's own text.
  auto in_field = [](const RefItem& i, const std::string& field, const std::regex& re) {
    if (field == "titel") return std::regex_search(i.item->title, re);
    for (const auto& s : i.item->sections)
      if (s.name == field && std::regex_search(s.text, re)) return true;
    return false;
  };
  struct Case {
    const char* field;
    const char* phrase;
    const char* re;
  };
  for (const Case& c : {Case{"titel", "negativ social kontrol", R"(negativ\w*\s+social\w*\s+kontrol)"},
                        Case{"resume", "negative sociale kontrol", R"(negativ\w*\s+social\w*\s+kontrol)"},
                        Case{"resume", "børn og unge", R"(\b(børn|barn)\w*-?\s+og\s+unge\b)"},  // "Børn- og unge" too
                        Case{"beslutning", "orientering givet", R"(\borientering\s+givet\b)"},
                        Case{"indstilling", "at udvalget", R"(\bat\s+udvalg(et|ets|ene|enes|s)?\b)"}}) {
    const std::regex re(c.re, std::regex::icase);
    auto expected = reference([&](const RefItem& i) { return in_field(i, c.field, re); });
    auto anywhere = reference([&](const RefItem& i) { return std::regex_search(i.text, re); });
    const std::string q = std::string(c.field) + ":\"" + c.phrase + "\"";
    EXPECT_FALSE(expected.empty()) << q;
    EXPECT_EQ(match_ids(q), expected) << q;
    EXPECT_EQ(match_ids(std::string("\"") + c.phrase + "\""), anywhere) << q;
  }
  // The spans matter: the phrase is elsewhere in more items than in the title or the resume.
  static const std::regex nsk(R"(negativ\w*\s+social\w*\s+kontrol)", std::regex::icase);
  EXPECT_LT(match_ids("titel:\"negativ social kontrol\"").size(), match_ids("\"negativ social kontrol\"").size());
  EXPECT_LT(match_ids("resume:\"negativ social kontrol\"").size(), match_ids("\"negativ social kontrol\"").size());
  // Both words in the field but not as a phrase there: no match ("social" and "kontrol" in the
  // title of items whose title does not have them side by side).
  auto apart = reference([](const RefItem& i) {
    static const std::regex soc(R"(\bsocial\w*)", std::regex::icase), kon(R"(\bkontrol\w*)", std::regex::icase),
        both(R"(social\w*\s+kontrol)", std::regex::icase);
    for (const auto& s : i.item->sections)
      if (s.name == "resume" && std::regex_search(s.text, soc) && std::regex_search(s.text, kon) &&
          !std::regex_search(s.text, both))
        return true;
    return false;
  });
  for (const auto& id : match_ids("resume:\"social kontrol\""))
    EXPECT_FALSE(apart.count(id)) << id;
}

TEST(Search, StopWordsInPhrasesMatchInEveryForm) {
  // "er", "var", "været", "være" are stop words: indexed as written only, their forms meet in a
  // phrase through the form table, as other words' forms do.
  static const std::regex re(R"(\b(er|var|været|være)\s+fokus\b)", std::regex::icase);
  static const std::regex as_typed(R"(\bvar\s+fokus\b)", std::regex::icase);
  auto written = reference([](const RefItem& i) { return std::regex_search(i.text, re); });
  ASSERT_GT(written.size(), reference([](const RefItem& i) { return std::regex_search(i.text, as_typed); }).size());
  EXPECT_EQ(match_ids("\"var fokus\""), written);
  EXPECT_EQ(match_ids("\"er fokus\""), written);
  EXPECT_EQ(match_ids("\"været fokus\""), written);
  // A word whose forms include stop words ("haft": har, havde) loses none of them to weighing.
  static const std::regex brug(R"(\b(har|havde|haft|have)\s+brug\b)", std::regex::icase);
  auto with_brug = reference([](const RefItem& i) { return std::regex_search(i.text, brug); });
  ASSERT_GE(with_brug.size(), 3u);
  EXPECT_EQ(match_ids("\"haft brug\""), with_brug);
  EXPECT_EQ(match_ids("\"har brug\""), with_brug);
  // The exact wording ranks first.
  SearchRequest req;
  req.query = "\"var fokus\"";
  SearchResult r = searcher().search(req);
  ASSERT_FALSE(r.hits.empty());
  const RefItem* top = corpus().find(r.hits[0].id);
  ASSERT_NE(top, nullptr);
  EXPECT_TRUE(std::regex_search(top->text, as_typed)) << r.hits[0].id;
}

struct RefQuery {
  const char* query;
  std::function<bool(const RefItem&)> pred;
};

TEST(Search, MatchSetsAndFacetsEqualBruteForce) {
  const std::string bsu = "Beskæftigelses- og Socialudvalget";
  const std::string buu = "Børn- og Ungeudvalget";
  const RefQuery rows[] = {
      {"budget", [](const RefItem& i) { return has(i, "budget"); }},
      {"kontrol", [](const RefItem& i) { return has(i, "kontrol"); }},
      {"borgere", [](const RefItem& i) { return has(i, "borgere"); }},
      {"ledighed", [](const RefItem& i) { return has(i, "ledighed"); }},
      {"økonomi", [](const RefItem& i) { return has(i, "økonomi"); }},
      {"budget økonomi", [](const RefItem& i) { return has(i, "budget") && has(i, "økonomi"); }},
      {"social indsats", [](const RefItem& i) { return has(i, "social") && has(i, "indsats"); }},
      {"budget OR ledighed", [](const RefItem& i) { return has(i, "budget") || has(i, "ledighed"); }},
      {"budget -økonomi", [](const RefItem& i) { return has(i, "budget") && !has(i, "økonomi"); }},
      {"udvalg:BSU", [&](const RefItem& i) { return i.committees.count(bsu) > 0; }},
      {"udvalg:BUU budget", [&](const RefItem& i) { return i.committees.count(buu) && has(i, "budget"); }},
      {"kategori:D", [](const RefItem& i) { return i.category == "D"; }},
      {"år:2021..2022", [](const RefItem& i) { return year_of(i) == "2021" || year_of(i) == "2022"; }},
      {"dato:2025-05-20", [](const RefItem& i) { return i.meeting->date.value == "2025-05-20"; }},
      {"dato:..2021-12-31 borgere",
       [](const RefItem& i) { return !i.year.empty() && i.year <= "2021" && has(i, "borgere"); }},
      {"udfald:godkendt", [](const RefItem& i) { return i.outcomes.count("godkendt") > 0; }},
      {"", [](const RefItem&) { return true; }},
  };
  for (const auto& row : rows) {
    auto expected = reference(row.pred);
    SearchRequest req;
    req.query = row.query;
    req.all = true;
    req.snippet_bytes = 0;
    SearchResult r = searcher().search(req);
    std::set<std::string> got;
    for (const auto& h : r.hits) got.insert(h.id);
    EXPECT_EQ(got, expected) << "query: " << row.query;
    EXPECT_EQ(r.total, expected.size()) << row.query;
    EXPECT_TRUE(r.total_exact) << row.query;
    EXPECT_EQ(result_facets(r), reference_facets(expected)) << "facets of: " << row.query;
    // Top 10 with facets: the same exact counts as --all.
    SearchRequest top = req;
    top.all = false;
    SearchResult t = searcher().search(top);
    EXPECT_EQ(t.total, expected.size()) << row.query;
    EXPECT_TRUE(t.total_exact);
    EXPECT_EQ(result_facets(t), reference_facets(expected)) << "top-10 facets of: " << row.query;
  }
}

TEST(Search, EveryCorpusWordTypedAsWrittenFindsItsItem) {
  // word as written -> items it occurs in (deterministic sample of the distinct words).
  std::map<std::string, std::set<std::string>> where;
  for (const auto& i : corpus().items) {
    std::vector<stemmers::Token> tokens;
    test::analyzer().analyze(i.text, stemmers::Mode::Index, tokens);
    for (const auto& t : tokens) {
      if (t.kind != stemmers::TokenKind::Word && t.kind != stemmers::TokenKind::Identifier) continue;
      where[i.text.substr(t.begin, t.end - t.begin)].insert(i.id);
    }
  }
  ASSERT_GT(where.size(), 3000u);
  std::size_t n = 0, checked = 0;
  for (const auto& [word, ids] : where) {
    if (n++ % 5 != 0) continue;  // every 5th distinct word
    if (word == "OR" || word == "AND" || word == "NOT" || word == "OG" || word == "ELLER" || word == "IKKE")
      continue;  // operators when typed in upper case
    ++checked;
    auto got = match_ids(word);
    for (const auto& id : ids) EXPECT_TRUE(got.count(id)) << "'" << word << "' does not find " << id;
  }
  EXPECT_GT(checked, 600u);
}

TEST(Search, RequestFiltersMatchBruteForce) {
  SearchRequest req;
  req.committees = {"BUU"};
  auto buu = match_ids("", req);
  EXPECT_EQ(buu, reference([](const RefItem& i) { return i.committees.count("Børn- og Ungeudvalget") > 0; }));
  SearchRequest dates;
  dates.from = "1.1.2022";
  dates.to = "2025-05-20";
  EXPECT_EQ(match_ids("", dates),
            reference([](const RefItem& i) { return !i.year.empty() && i.year >= "2022"; }));
  SearchRequest cat;
  cat.categories = {"C", "D"};
  EXPECT_EQ(match_ids("", cat), reference([](const RefItem& i) { return i.category == "C" || i.category == "D"; }));
}

// A facet count is what clicking it finds: filtering by each committee, outcome, year,
// category or KLE group of a result gives exactly the count the facet showed; drill-down by a
// second committee narrows to the items both took part in.
TEST(Search, FacetCountsEqualWhatTheirFilterFinds) {
  for (const char* q : {"budget", "kommune", ""}) {
    SearchRequest req;
    req.query = q;
    req.snippet_bytes = 0;
    SearchResult r = searcher().search(req);
    for (const Facet& f : r.facets) {
      for (const FacetValue& v : f.values) {
        SearchRequest narrowed = req;
        narrowed.limit = 0;
        if (f.name == "committee") narrowed.committees = {v.value};
        else if (f.name == "outcome") narrowed.outcomes = {v.value};
        else if (f.name == "category") narrowed.categories = {v.value};
        else if (f.name == "year") narrowed.query += " år:" + v.value;
        else if (f.name == "kle") narrowed.query += " journal:" + v.value;
        EXPECT_EQ(searcher().search(narrowed).total, v.count) << "'" << q << "' " << f.name << "=" << v.value;
      }
    }
  }
  SearchRequest both;
  both.committees = {"BSU", "BUU"};
  both.drill_down = true;
  EXPECT_EQ(match_ids("", both), reference([](const RefItem& i) {
              return i.committees.count("Børn- og Ungeudvalget") && i.committees.count("Beskæftigelses- og Socialudvalget");
            }));
  both.drill_down = false;
  EXPECT_EQ(match_ids("", both), reference([](const RefItem& i) {
              return i.committees.count("Børn- og Ungeudvalget") || i.committees.count("Beskæftigelses- og Socialudvalget");
            }));
}

// Totals are exact also without facets and for small pages (Xapian's estimate said "10" for a
// query with 4 matches, more than the 7 items holding its first word).
TEST(Search, TotalsAreExactWithoutFacets) {
  for (const char* q : {"ledighed -akademikere", "budget", "negativ social kontrol", "kommune OR borger"}) {
    SearchRequest all;
    all.query = q;
    all.all = true;
    all.snippet_bytes = 0;
    const std::size_t expected = searcher().search(all).hits.size();
    for (std::size_t limit : {0, 1, 10}) {
      SearchRequest req;
      req.query = q;
      req.limit = limit;
      req.facets = false;
      req.snippet_bytes = 0;
      SearchResult r = searcher().search(req);
      EXPECT_EQ(r.total, expected) << q << " limit " << limit;
      EXPECT_TRUE(r.total_exact) << q;
    }
  }
  SearchRequest none;
  none.query = "\xFF\xFE";
  EXPECT_EQ(searcher().search(none).total, 0u) << "text without words finds nothing";
  SearchRequest bande;
  bande.query = "bande";
  SearchResult b = searcher().search(bande);
  EXPECT_GT(b.total, 0u);
  EXPECT_FALSE(b.suggestion.has_value()) << "a word found as a compound part is not misspelt";
}

TEST(Search, SortOrdersAndPaging) {
  SearchRequest req;
  req.query = "borgere";
  req.all = true;
  req.sort = Sort::DateAsc;
  auto asc = searcher().search(req);
  // Items without a date come last in both orders.
  ASSERT_FALSE(asc.hits.empty());
  EXPECT_FALSE(asc.hits.back().date.has_value()) << "the corpus has undated items with the word";
  EXPECT_TRUE(asc.hits.front().date.has_value());
  for (std::size_t k = 1; k < asc.hits.size(); ++k)
    EXPECT_LE(asc.hits[k - 1].date.value_or("9999"), asc.hits[k].date.value_or("9999")) << k;
  req.sort = Sort::DateDesc;
  auto desc = searcher().search(req);
  EXPECT_FALSE(desc.hits.back().date.has_value());
  for (std::size_t k = 1; k < desc.hits.size(); ++k)
    EXPECT_GE(desc.hits[k - 1].date.value_or(""), desc.hits[k].date.value_or("")) << k;
  // The first page oldest first, as the CLI and the web page ask for it (with facets).
  SearchRequest first = req;
  first.all = false;
  first.limit = 3;
  first.sort = Sort::DateAsc;
  auto f = searcher().search(first);
  ASSERT_EQ(f.hits.size(), 3u);
  for (std::size_t k = 0; k < 3; ++k) EXPECT_EQ(f.hits[k].id, asc.hits[k].id) << k;
  req.sort = Sort::Relevance;
  auto rel = searcher().search(req);
  ASSERT_GT(rel.hits.size(), 6u);
  for (std::size_t k = 1; k < rel.hits.size(); ++k) EXPECT_GE(rel.hits[k - 1].score, rel.hits[k].score);
  SearchRequest page = req;
  page.all = false;
  page.offset = 2;
  page.limit = 3;
  auto p = searcher().search(page);
  ASSERT_EQ(p.hits.size(), 3u);
  for (std::size_t k = 0; k < 3; ++k) {
    EXPECT_EQ(p.hits[k].id, rel.hits[k + 2].id);
    EXPECT_EQ(p.hits[k].rank, k + 3);
  }
  EXPECT_EQ(p.total, rel.total);
}

TEST(Search, SnippetHighlightsFallOnMatchingWords) {
  for (const char* q : {"kontrol", "negativ social kontrol", "økonomi", "okonomi", "budgettet"}) {
    SearchRequest req;
    req.query = q;
    req.limit = 10;
    auto r = searcher().search(req);
    ASSERT_FALSE(r.hits.empty()) << q;
    std::set<std::string> qforms;
    std::vector<stemmers::Token> qt;
    test::analyzer().analyze(q, stemmers::Mode::Query, qt);
    for (const auto& t : qt) qforms.insert(t.text);
    for (const auto& h : r.hits) {
      const RefItem* item = corpus().find(h.id);
      ASSERT_NE(item, nullptr);
      ASSERT_FALSE(h.snippet.highlights.empty()) << q << " in " << h.id;
      bool known_section = h.snippet.section == "title";
      for (const auto& s : item->item->sections) known_section |= s.name == h.snippet.section;
      EXPECT_TRUE(known_section) << h.snippet.section;
      for (const auto& hl : h.snippet.highlights) {
        ASSERT_LT(hl.begin, hl.end);
        ASSERT_LE(hl.end, h.snippet.text.size());
        std::string word = h.snippet.text.substr(hl.begin, hl.end - hl.begin);
        std::vector<stemmers::Token> wt;
        test::analyzer().analyze(word, stemmers::Mode::Index, wt);
        bool matches = false;
        for (const auto& t : wt) matches |= qforms.count(t.text) > 0;
        EXPECT_TRUE(matches) << q << ": highlighted '" << word << "' in " << h.id;
      }
    }
  }
}

TEST(Search, InflectionsCompoundsAndFoldedSpellings) {
  auto kontrol = match_ids("kontrol");
  // "kontrolgruppe" (004) is found through its compound part.
  auto compound = reference([](const RefItem& i) { return i.words.count("kontrolgruppe") > 0; });
  ASSERT_FALSE(compound.empty());
  for (const auto& id : compound) EXPECT_TRUE(kontrol.count(id)) << id;
  // Typed without æ/ø/å: at least what the real spelling finds.
  auto real = match_ids("økonomi");
  auto folded = match_ids("okonomi");
  for (const auto& id : real) EXPECT_TRUE(folded.count(id)) << id;
  // Place names too, also when the plain spelling is a compound hunspell accepts ("so" + "hus").
  auto soehus = reference([](const RefItem& i) { return i.words.count("søhus") > 0; });
  ASSERT_FALSE(soehus.empty());
  for (const char* typed : {"sohus", "soehus"}) EXPECT_EQ(match_ids(typed), soehus) << typed;
  // Exact spellings rank first: the real spelling's best hit is also the folded one's.
  SearchRequest a, b;
  a.query = "økonomiudvalget";
  b.query = "okonomiudvalget";
  auto ra = searcher().search(a), rb = searcher().search(b);
  ASSERT_FALSE(ra.hits.empty());
  ASSERT_FALSE(rb.hits.empty());
  EXPECT_EQ(ra.hits[0].id, rb.hits[0].id);
}

TEST(Search, JournalNumbersAndAbbreviations) {
  auto j = match_ids("27.00.00-A00-6-25");
  EXPECT_TRUE(j.count("beskaeftigelses-og-socialudvalget/2025-05-20/13"));
  auto by_field = match_ids("journal:27.00.00-A00-6-25");
  EXPECT_EQ(by_field, reference([](const RefItem& i) {
              return i.item->journal && i.item->journal->full == "27.00.00-A00-6-25";
            }));
  auto kle = match_ids("journal:27");
  EXPECT_EQ(kle, reference([](const RefItem& i) { return i.kle == "27"; }));
  // Handlingsfacet Ø typed as O (KLE has no O): the same items, as a field and as a word.
  auto oe = reference([](const RefItem& i) { return i.item->journal && i.item->journal->full == "00.30.00-Ø00-2-21"; });
  ASSERT_FALSE(oe.empty());
  EXPECT_EQ(match_ids("journal:00.30.00-Ø00-2-21"), oe);
  EXPECT_EQ(match_ids("journal:00.30.00-O00-2-21"), oe);
  EXPECT_EQ(match_ids("journal:00.30.00-o00-2-21"), oe);
  for (const auto& id : oe) EXPECT_TRUE(match_ids("00.30.00-O00-2-21").count(id)) << id;
  auto buu = match_ids("BUU");
  for (const auto& id : reference([](const RefItem& i) { return i.committees.count("Børn- og Ungeudvalget") > 0; }))
    EXPECT_TRUE(buu.count(id)) << id;
}

// A committee abbreviation typed without æ/ø/å is the same search (AEHU found only the items
// that write "ÆHU"), and each abbreviation of a committee finds the others (ØU missed "ØKU").
TEST(Search, CommitteeAbbreviationsWithoutDanishLetters) {
  const auto aehu = match_ids("ÆHU");
  ASSERT_FALSE(aehu.empty());
  for (const auto& id : reference([](const RefItem& i) { return i.committees.count("Ældre- og Handicapudvalget") > 0; }))
    EXPECT_TRUE(aehu.count(id)) << id;
  EXPECT_EQ(match_ids("AEHU"), aehu);
  EXPECT_EQ(match_ids("aehu"), aehu);
  EXPECT_EQ(match_ids("AHU"), aehu);
  const auto ou = match_ids("ØU");
  ASSERT_FALSE(ou.empty());
  for (const char* q : {"ØKU", "OU", "OEU", "OKU", "OEKU"}) EXPECT_EQ(match_ids(q), ou) << q;
  const auto written_oku = reference([](const RefItem& i) { return i.words.count("øku") > 0; });
  ASSERT_FALSE(written_oku.empty()) << "the corpus writes ØKU somewhere";
  for (const auto& id : written_oku) EXPECT_TRUE(ou.count(id)) << id;
  // A word that only looks like one is left alone.
  EXPECT_EQ(match_ids("udvalg"), match_ids("Udvalg"));
}

// Abbreviations written out in the minutes ("Krisecenter Odense (KCO)") find the items that use
// either form (indexer/data/abbreviations_da.txt).
TEST(Search, BuiltInAbbreviations) {
  auto ids = [](const std::string& q) { return match_ids(q, SearchRequest{}); };
  for (const auto& [abbr, full] : std::vector<std::pair<std::string, std::string>>{
           {"KCO", "\"Krisecenter Odense\""}, {"STU", "\"særlig tilrettelagt ungdomsuddannelse\""},
           {"PPR", "\"pædagogisk psykologisk rådgivning\""}}) {
    auto a = ids(abbr), f = ids(full), as_written = ids(abbr + " -(" + full + ")");
    EXPECT_FALSE(f.empty()) << full;
    for (const auto& id : f) EXPECT_TRUE(a.count(id)) << abbr << " misses " << id;
    EXPECT_GT(a.size(), as_written.size()) << abbr;
  }
}

TEST(Search, SpellingSuggestion) {
  SearchRequest req;
  req.query = "negatv social kontrol";
  auto r = searcher().search(req);
  ASSERT_TRUE(r.suggestion.has_value());
  EXPECT_EQ(*r.suggestion, "negativ social kontrol");
  SearchRequest again;
  again.query = *r.suggestion;
  EXPECT_GT(searcher().search(again).total, r.total);
  // Words of every section are in the vocabulary: "ressourceteamet" is only in a Sagsfremstilling.
  req.query = "ressourceteamt";
  r = searcher().search(req);
  ASSERT_TRUE(r.suggestion.has_value());
  EXPECT_EQ(*r.suggestion, "ressourceteamet");
  // A query with plenty of hits gets no suggestion.
  req.query = "kontrol";
  EXPECT_FALSE(searcher().search(req).suggestion.has_value());
}

TEST(Search, MoreLikeThis) {
  SearchRequest req;
  req.like_id = "beskaeftigelses-og-socialudvalget/2025-05-20/13";
  req.limit = 5;
  auto r = searcher().search(req);
  ASSERT_FALSE(r.hits.empty());
  for (const auto& h : r.hits) EXPECT_NE(h.id, req.like_id) << "an item is not similar to itself";
  // The robot school item's closest neighbour is the robot city item (both "Verdens bedste
  // robot..." programmes, read in the minutes).
  SearchRequest robot;
  robot.like_id = "boern-og-ungeudvalget/2021-04-27/7";
  robot.limit = 1;
  auto rr = searcher().search(robot);
  ASSERT_EQ(rr.hits.size(), 1u);
  EXPECT_EQ(rr.hits[0].id, "boern-og-ungeudvalget/2022-11-29/5");
  SearchRequest bad;
  bad.like_id = "nope/2020-01-01/1";
  EXPECT_THROW(searcher().search(bad), QueryError);
}

TEST(Search, ExplainSumsToTheScore) {
  SearchRequest req;
  req.query = "kontrol";
  req.explain = true;
  req.limit = 3;
  auto r = searcher().search(req);
  ASSERT_FALSE(r.hits.empty());
  for (const auto& h : r.hits) {
    EXPECT_NE(h.explanation.find("exact"), std::string::npos) << h.explanation;
    // Single-word query: no phrase boost, so the per-term lines add up to the score.
    auto pos = h.explanation.find("phrase/proximity boost");
    ASSERT_NE(pos, std::string::npos);
    double remainder = std::stod(h.explanation.substr(h.explanation.rfind('\n', pos) + 1));
    EXPECT_NEAR(remainder, 0.0, 1e-3) << h.explanation;
  }
}

TEST(Search, ItemAndSuggest) {
  auto d = searcher().item("beskaeftigelses-og-socialudvalget/2025-05-20/13");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->summary.item, 13);
  EXPECT_FALSE(d->sections.empty());
  EXPECT_FALSE(searcher().item("nope").has_value());
  auto s = searcher().suggest("negativ kontr", 5);
  ASSERT_FALSE(s.empty());
  for (const auto& x : s) EXPECT_EQ(x.rfind("negativ kontr", 0), 0u) << x;
}

TEST(Search, SuggestionsFitTheWordsTypedBefore) {
  // Each completion finds items together with the words before it (inside a phrase: the phrase
  // continued; "\"negativ social konflikter" would find none).
  for (const char* p : {"negativ soc", "budget ud", "udvalg:BUU sko", "\"negativ social kon"}) {
    auto s = searcher().suggest(p, 8);
    ASSERT_FALSE(s.empty()) << p;
    for (const auto& x : s) {
      EXPECT_EQ(x.rfind(std::string(p).substr(0, std::string(p).rfind(' ') + 1), 0), 0u) << x;
      EXPECT_FALSE(match_ids(x).empty()) << p << " -> " << x;
    }
  }
  auto neg = searcher().suggest("negativ soc", 8);
  EXPECT_NE(std::find(neg.begin(), neg.end(), "negativ social"), neg.end());
  // Ranked by the items each would find.
  for (std::size_t i = 1; i < neg.size(); ++i) EXPECT_GE(match_ids(neg[i - 1]).size(), match_ids(neg[i]).size());
  // Typed without æ/ø/å: the words the fold table spells so, most frequent first.
  auto o = searcher().suggest("okon", 5);
  ASSERT_FALSE(o.empty());
  for (const auto& x : o) EXPECT_EQ(x.rfind("økon", 0), 0u) << x;
  EXPECT_NE(std::find(o.begin(), o.end(), "økonomi"), o.end());
  // A single word too is ranked by what a search for it finds (with its inflections), not by
  // how often it is written as is: "økonomi" (23 items) before "økonomiudvalget" (17).
  for (const char* p : {"okon", "økon", "soc", "bud"}) {
    auto one = searcher().suggest(p, 8);
    ASSERT_FALSE(one.empty()) << p;
    for (std::size_t i = 1; i < one.size(); ++i)
      EXPECT_GE(match_ids(one[i - 1]).size(), match_ids(one[i]).size()) << p << ": " << one[i - 1] << " / " << one[i];
  }
  // One written form per lemma ("udv" offered udvalg, udvalgene, udvalgenes, udvalget ...: each
  // finds the same items): the lemma itself where it is written so.
  for (const char* p : {"udv", "bor", "negativ soc"}) {
    auto sug = searcher().suggest(p, 8);
    ASSERT_FALSE(sug.empty()) << p;
    std::set<std::set<std::string>> seen;
    for (const auto& x : sug) {
      std::vector<stemmers::Token> tokens;
      const std::string last = x.substr(x.rfind(' ') + 1);
      test::analyzer().analyze(last, stemmers::Mode::Query, tokens);
      std::set<std::string> lemmas;
      for (const auto& t : tokens)
        if (t.kind == stemmers::TokenKind::Lemma) lemmas.insert(t.text);
      if (lemmas.empty()) lemmas.insert(last);
      EXPECT_TRUE(seen.insert(lemmas).second) << p << ": two forms of " << *lemmas.begin() << " (" << x << ")";
    }
  }
  {
    auto udv = searcher().suggest("udv", 8);
    EXPECT_NE(std::find(udv.begin(), udv.end(), "udvalg"), udv.end()) << "udvalg for all its forms";
    EXPECT_EQ(std::find(udv.begin(), udv.end(), "udvalget"), udv.end());
  }
  // Words before that do not parse yet: nothing would be found.
  EXPECT_TRUE(searcher().suggest("budget AND AND soc", 3).empty());
  // Inside an open parenthesis: counted with it closed.
  for (const char* p : {"(budget OR øk", "titel:(bud", "(negativ OR \"social kon"}) {
    auto in_group = searcher().suggest(p, 5);
    ASSERT_FALSE(in_group.empty()) << p;
    for (const auto& x : in_group) {
      EXPECT_EQ(x.rfind(std::string(p).substr(0, std::string(p).find_last_of(" (\"") + 1), 0), 0u) << x;
      const std::string closed = x + (std::string(p).find('"') != std::string::npos ? "\")" : ")");
      EXPECT_FALSE(match_ids(closed).empty()) << p << " -> " << closed;
    }
  }
}

TEST(Search, SuggestionsNotCountedInTimeFollowByFrequency) {
  // No time to count: the words' frequency order, as without words before, none dropped.
  auto plain = searcher().suggest("soc", 8, std::chrono::milliseconds(0));
  auto uncounted = searcher().suggest("negativ soc", 8, std::chrono::milliseconds(0));
  ASSERT_EQ(uncounted.size(), plain.size());
  for (std::size_t i = 0; i < plain.size(); ++i) EXPECT_EQ(uncounted[i], "negativ " + plain[i]);
  EXPECT_NE(uncounted, searcher().suggest("negativ soc", 8)) << "counted, the order is another";
}

TEST(Search, SuggestionsLeaveNoPhraseSetsInTheCache) {
  // Each completion of a phrase is matched by Xapian; its set is not kept (the next keystroke
  // makes new ones, and they would push out the sets that searches reuse).
  SearchCache cache(0, 1u << 20);
  Searcher s(corpus().db_path, cache);
  ASSERT_FALSE(s.suggest("negativ soc", 8).empty());  // tables and term sets read
  const std::size_t before = cache.postings_bytes();
  ASSERT_FALSE(s.suggest("\"negativ social kon", 8).empty());
  ASSERT_FALSE(s.suggest("titel:\"social kon", 8).empty());
  EXPECT_EQ(cache.postings_bytes(), before);
}

TEST(Search, ShardsGiveTheSameResultsAsOneDatabase) {
  Searcher sharded(corpus().sharded_path);
  EXPECT_EQ(sharded.stats().documents, 66u);
  for (const char* q : {"negativ social kontrol", "budget", "udvalg:BUU", "\"alle unge skal med\"", "okonomi", "",
                        "resume:\"negativ social kontrol\"", "beslutning:\"orientering givet\"",
                        "indstilling:\"at udvalget\" -titel:\"børn og unge\""}) {
    SearchRequest req;
    req.query = q;
    req.all = true;
    req.snippet_bytes = 0;
    auto one = searcher().search(req), two = sharded.search(req);
    std::set<std::string> a, b;
    for (const auto& h : one.hits) a.insert(h.id);
    for (const auto& h : two.hits) b.insert(h.id);
    EXPECT_EQ(a, b) << q;
    EXPECT_EQ(one.total, two.total) << q;
    EXPECT_EQ(result_facets(one), result_facets(two)) << q;
  }
  SearchRequest typo;
  typo.query = "negatv social kontrol";
  EXPECT_EQ(sharded.search(typo).suggestion, searcher().search(typo).suggestion);
}

TEST(Search, OpenErrors) {
  EXPECT_THROW(Searcher("/nonexistent/referat-db"), IndexOpenError);
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("referat-searcher-version-test-" + std::to_string(getpid()));
  fs::remove_all(dir);
  {
    Xapian::WritableDatabase db(dir.string(), Xapian::DB_CREATE_OR_OVERWRITE);
    db.add_document(Xapian::Document());
    db.set_metadata(schema::kSchemaVersionKey, std::to_string(schema::kSchemaVersion - 1));
    db.commit();
  }
  try {
    Searcher s(dir.string());
    ADD_FAILURE() << "old schema accepted";
  } catch (const IndexVersionError& e) {
    EXPECT_NE(std::string(e.what()).find("schema version"), std::string::npos);
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace referat::searcher
