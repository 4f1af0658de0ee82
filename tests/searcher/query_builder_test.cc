// Query language -> Xapian::Query, as table rows (STYLE practice 11): exact descriptions for the
// filter fields, term sets and structure for text, and QueryError rows for every rejected form.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include <xapian.h>

#include "searcher/query_builder.h"
#include "searcher/ranking.h"
#include "tests/searcher/corpus_fixture.h"

namespace referat::searcher {
namespace {

std::string describe(const std::string& query) {
  QueryBuilder qb(test::analyzer());
  return qb.parse(query).get_description();
}

std::set<std::string> terms(const std::string& query) {
  QueryBuilder qb(test::analyzer());
  Xapian::Query q = qb.parse(query);
  return {q.get_unique_terms_begin(), q.get_unique_terms_end()};
}

struct ExactRow {
  const char* query;
  const char* description;
};

TEST(QueryBuilder, FilterFieldsAndRanges) {
  const ExactRow rows[] = {
      {"", "Query(<alldocuments>)"},
      {"   ", "Query(<alldocuments>)"},
      {"udvalg:BSU", "Query(XUbeskaeftigelses-og-socialudvalget)"},
      {"udvalg:bsu", "Query(XUbeskaeftigelses-og-socialudvalget)"},
      {"committee:\"Børn- og Ungeudvalget\"", "Query(XUboern-og-ungeudvalget)"},
      {"udvalg:\"Børne- og Ungeudvalgets\"", "Query(XUboern-og-ungeudvalget)"},
      {"kategori:D", "Query(XCd)"},
      {"category:d-sag", "Query(XCd)"},
      {"journal:27.00.00-A00-6-25", "Query(XJ27.00.00-a00-6-25)"},
      {"journal:27.00", "Query(XK27.00)"},
      {"kle:27", "Query(XK27)"},
      {"dato:2024-01-01..2024-12-31", "Query(VALUE_RANGE 0 20240101 20241231)"},
      {"dato:1.1.2024..31.12.2024", "Query(VALUE_RANGE 0 20240101 20241231)"},
      {"date:2024-02..2024-02", "Query(VALUE_RANGE 0 20240201 20240229)"},  // leap year
      {"dato:2021..2023", "Query(VALUE_RANGE 0 20210101 20231231)"},
      {"dato:2024-03-05", "Query(D20240305)"},
      {"dato:5.3.2024", "Query(D20240305)"},
      {"dato:2024-03", "Query(M202403)"},
      {"dato:2024", "Query(Y2024)"},
      {"år:2021..2023", "Query(VALUE_RANGE 0 20210101 20231231)"},
      {"aar:2021..", "Query(VALUE_GE 0 20210101)"},
      {"year:..2023", "Query(VALUE_LE 0 20231231)"},
      {"dato:..31.12.2020", "Query(VALUE_LE 0 20201231)"},
      {"År:2022", "Query(Y2022)"},
      {"udfald:godkendt", "Query(XOgodkendt)"},
      {"udvalg:BSU kategori:D", "Query((XUbeskaeftigelses-og-socialudvalget AND XCd))"},
      {"udvalg:BSU OR udvalg:BUU", "Query((XUbeskaeftigelses-og-socialudvalget OR XUboern-og-ungeudvalget))"},
      // A filter field over a group: OR, AND or nothing (AND) between values, OR binding tighter.
      {"udvalg:(BSU OR BUU)", "Query((XUbeskaeftigelses-og-socialudvalget OR XUboern-og-ungeudvalget))"},
      {"udvalg:(BSU BUU)", "Query((XUbeskaeftigelses-og-socialudvalget AND XUboern-og-ungeudvalget))"},
      {"kategori:(B OR c AND d)", "Query(((XCb OR XCc) AND XCd))"},
      {"-udvalg:(BSU OR \"Børn- og Ungeudvalget\")",
       "Query((<alldocuments> AND_NOT (XUbeskaeftigelses-og-socialudvalget OR XUboern-og-ungeudvalget)))"},
      {"-kategori:D", "Query((<alldocuments> AND_NOT XCd))"},
  };
  for (const auto& r : rows) EXPECT_EQ(describe(r.query), r.description) << "query: " << r.query;
}

struct ErrorRow {
  const char* query;
  std::size_t offset;
  const char* fragment;
  const char* message_part;
};

TEST(QueryBuilder, ErrorsQuoteTheFragment) {
  const ErrorRow rows[] = {
      // QueryParser would silently search the text "komite BUU" (DESIGN.md, known traps).
      {"komite:BUU", 0, "komite:BUU", "unknown field 'komite:'"},
      {"budget komite:BUU", 7, "komite:BUU", "unknown field"},
      {"udvalg:XYZ", 0, "udvalg:XYZ", "unknown committee 'XYZ'"},
      {"dato:2024-13-01..2024-12-31", 0, "dato:2024-13-01..2024-12-31", "malformed date range"},
      {"dato:31.2.2024", 0, "dato:31.2.2024", "malformed date"},
      {"dato:..", 0, "dato:..", "malformed date range"},
      {"år:2021..20x3", 0, "år:2021..20x3", "malformed year range"},
      {"år:2023..2021", 0, "år:2023..2021", "empty year range"},
      {"dato:2024-12-31..2024-01-01", 0, "dato:2024-12-31..2024-01-01", "empty date range"},
      {"år:21", 0, "år:21", "malformed year"},
      {"kategori:F", 0, "kategori:F", "category must be A-E"},
      {"journal:abc", 0, "journal:abc", "malformed journal number"},
      {"(budget", 0, "(budget", "missing ')'"},
      {"budget)", 6, ")", "unmatched ')'"},
      {"budget OR", 7, "OR", "OR needs a word after it"},
      {"OR budget", 0, "OR", "OR needs a word before it"},
      {"budget OR -økonomi", 10, "-", "cannot exclude inside OR"},
      {"*", 0, "*", "wildcard"},
      {"budget AND", 7, "AND", "AND needs a word after it"},
      {"AND budget", 0, "AND", "AND needs a word before it"},
      {"budget AND AND kontrol", 7, "AND", "AND needs a word after it"},
      {"budget OG OR kontrol", 7, "OG", "AND needs a word after it"},
      {"(AND budget)", 1, "AND", "AND needs a word before it"},
      {"budget ()", 7, "()", "nothing between '(' and ')'"},
      {"titel:()", 6, "()", "nothing between"},
      {"titel:", 0, "titel:", "needs a value"},
      {"budget kategori:", 7, "kategori:", "needs a value"},
      {"titel:\"\"", 0, "titel:\"\"", "needs a value"},  // was 0 results, silently
      {"resume:\"  \" budget", 0, "resume:\"  \"", "needs a value"},
      {"\"negativ soc*\"", 12, "*", "wildcard cannot stand inside a phrase"},  // '*' was dropped
      {"udfald:foo", 0, "udfald:foo", "unknown outcome 'foo'"},
      {"udvalg:(BSU", 7, "(BSU", "missing ')' after 'udvalg:('"},
      {"udvalg:(BSU OR)", 14, ")", "a value is missing in 'udvalg:(...)'"},
      {"udvalg:()", 8, ")", "a value is missing"},
      {"udvalg:(BSU -BUU)", 12, "-", "only values, OR and AND can stand inside 'udvalg:(...)'"},
      {"udvalg:(BSU OR XYZ)", 0, "udvalg:(BSU OR XYZ", "unknown committee 'XYZ'"},
  };
  for (const auto& r : rows) {
    try {
      describe(r.query);
      ADD_FAILURE() << "no QueryError for: " << r.query;
    } catch (const QueryError& e) {
      EXPECT_EQ(e.offset, r.offset) << r.query;
      EXPECT_EQ(e.fragment, r.fragment) << r.query;
      EXPECT_NE(std::string(e.what()).find(r.message_part), std::string::npos) << r.query << ": " << e.what();
      EXPECT_NE(std::string(e.what()).find(r.fragment), std::string::npos) << "message quotes the fragment";
      EXPECT_FALSE(e.danish.empty()) << "a Danish message for the web page: " << r.query;
    }
  }
  // An open-ended range and a trailing '-' are not errors.
  EXPECT_EQ(describe("dato:2024-01-01.."), "Query(VALUE_GE 0 20240101)");
  EXPECT_NO_THROW(describe("budget -"));
}

// Committees and outcomes typed without æ/ø/å, as slugs, or with a space after a known field.
TEST(QueryBuilder, ForgivingSpellingsOfFieldValues) {
  const std::pair<const char*, const char*> rows[] = {
      {"udvalg:boern-og-ungeudvalget", "Query(XUboern-og-ungeudvalget)"},
      {"udvalg:\"Boern- og Ungeudvalget\"", "Query(XUboern-og-ungeudvalget)"},
      {"udvalg:\"beskaeftigelses- og socialudvalget\"", "Query(XUbeskaeftigelses-og-socialudvalget)"},
      {"udvalg:AEHU", "Query(XUaeldre-og-handicapudvalget)"},
      {"udvalg:OKU", "Query(XUoekonomiudvalget)"},
      {"udfald:aendringsforslag_godkendt", "Query(XOændringsforslag_godkendt)"},
      {"udfald:\"orientering givet\"", "Query(XOorientering_givet)"},
  };
  for (const auto& [q, d] : rows) EXPECT_EQ(describe(q), d) << q;
  EXPECT_EQ(describe("titel: budget"), describe("titel:budget"));
  EXPECT_EQ(describe("Resume: Forvaltningen"), describe("resume:Forvaltningen"));
  EXPECT_EQ(describe("År: 2021"), describe("år:2021"));
  // Nothing searchable in the text: no match (an empty query browses everything).
  EXPECT_EQ(describe("???"), "Query()");
  EXPECT_EQ(describe("\xFF\xFE"), "Query()");
  EXPECT_EQ(describe("  "), "Query(<alldocuments>)");
  // "D-sag" typed as a word reaches the category (the parser takes it out of the title).
  EXPECT_TRUE(terms("D-sag").count("XCd"));
  EXPECT_TRUE(terms("c-sag").count("XCc"));
  // A pasted address is text, not an unknown field "http:".
  EXPECT_NO_THROW(describe("http://www.odense.dk"));
  SearchRequest r;
  r.committees = {"Boern- og Ungeudvalget"};
  QueryBuilder qb(test::analyzer());
  EXPECT_EQ(qb.filters(r).get_description(), "Query(XUboern-og-ungeudvalget)");
}

// A committee the built-in table does not know (another municipality's, a --committee
// override) is found when the index holds it, in any spelling of its slug.
TEST(QueryBuilder, CommitteesOfTheIndexBeyondTheBuiltInTable) {
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  Xapian::Document doc;
  doc.add_boolean_term("XUteknik-og-miljoeudvalget");
  db.add_document(doc);
  QueryBuilder qb(test::analyzer(), &db);
  for (const char* q : {"udvalg:\"Teknik- og Miljøudvalget\"", "udvalg:\"teknik- og miljoudvalget\"",
                        "udvalg:teknik-og-miljoeudvalget"})
    EXPECT_EQ(qb.parse(q).get_description(), "Query(XUteknik-og-miljoeudvalget)") << q;
  EXPECT_THROW(qb.parse("udvalg:Teknikudvalget"), QueryError);
  SearchRequest r;
  r.committees = {"Teknik- og Miljoeudvalget"};
  EXPECT_EQ(qb.filters(r).get_description(), "Query(XUteknik-og-miljoeudvalget)");
  QueryBuilder without_db(test::analyzer());
  EXPECT_THROW(without_db.parse("udvalg:\"Teknik- og Miljøudvalget\""), QueryError);
}

TEST(QueryBuilder, WordExpandsToExactLemmaPartsInWeightOrder) {
  QueryBuilder qb(test::analyzer());
  qb.parse("kontrollen");
  const auto& roles = qb.term_roles();
  const std::set<std::string> expected = {"kontrollen", "Zkontrollen", "XPkontrollen",
                                          "kontrol",    "Zkontrol",    "XPkontrol"};
  std::set<std::string> got;
  for (const auto& [t, r] : roles) got.insert(t);
  EXPECT_EQ(got, expected);
  EXPECT_GT(roles.at("kontrollen").scale, roles.at("Zkontrol").scale);
  EXPECT_GT(roles.at("Zkontrol").scale, roles.at("XPkontrol").scale);
  EXPECT_EQ(roles.at("kontrollen").kind, "exact");
  EXPECT_EQ(roles.at("XPkontrol").kind, "part");
}

TEST(QueryBuilder, FilterTermsHaveTheFilterRole) {
  // --explain lists filter terms apart from the weighted ones: as a field and as a typed word,
  // a journal number with O for Ø (both spellings) too.
  QueryBuilder qb(test::analyzer());
  qb.parse("kategori:D journal:00.30.00-O00-2-21 27.00.00-A00-6-25 år:2025 kontrol");
  const auto& roles = qb.term_roles();
  for (const char* t : {"XCd", "XJ00.30.00-o00-2-21", "XJ00.30.00-ø00-2-21", "XJ27.00.00-a00-6-25", "Y2025"}) {
    ASSERT_TRUE(roles.count(t)) << t;
    EXPECT_EQ(roles.at(t).kind, "filter") << t;
  }
  EXPECT_EQ(roles.at("kontrol").kind, "exact");
}

TEST(QueryBuilder, FoldingOnlyForWordsThatCannotBeTyped) {
  // The fold table is in the database: the corpus index's.
  Xapian::Database db(test::corpus().db_path);
  auto terms_in_db = [&](const std::string& query) {
    QueryBuilder qb(test::analyzer(), &db);
    Xapian::Query q = qb.parse(query);
    return std::set<std::string>{q.get_unique_terms_begin(), q.get_unique_terms_end()};
  };
  // (hunspell's respellings give "okonomi" the lemma "økonomi"; the fold table adds the words
  // so spelled, here the inflected form as written.)
  auto okonomien = terms_in_db("oekonomien");
  EXPECT_TRUE(okonomien.count("økonomien")) << "an æ/ø/å-free spelling finds the word so written";
  EXPECT_TRUE(okonomien.count("Zøkonomi")) << "and the real word's lemma";
  auto title = terms_in_db("titel:oekonomien");
  EXPECT_TRUE(title.count("Søkonomien")) << "field prefix kept";
  for (const auto& t : okonomien) EXPECT_NE(t.rfind("XF", 0), 0u) << "no folded terms are looked up: " << t;
  // Typed with ø it is a Danish word: not widened to its look-alikes (rød must not find rod).
  auto real = terms_in_db("økonomi");
  EXPECT_FALSE(real.count("okonomi"));
  auto rod = terms_in_db("rød");
  EXPECT_FALSE(rod.count("rod"));
  // Without a database there is no fold table.
  EXPECT_FALSE(terms("oekonomien").count("økonomien"));
  // Folded terms weigh least.
  QueryBuilder qb(test::analyzer(), &db);
  qb.parse("oekonomien");
  EXPECT_EQ(qb.term_roles().at("økonomien").kind, "folded");
  EXPECT_LT(qb.term_roles().at("økonomien").scale, qb.term_roles().at("Zøkonomi").scale);
}

TEST(QueryBuilder, FoldedWildcardsAndPhrasesUseTheFoldTable) {
  Xapian::Database db(test::corpus().db_path);
  QueryBuilder qb(test::analyzer(), &db);
  Xapian::Query q = qb.parse("okonom*");
  std::set<std::string> t{q.get_unique_terms_begin(), q.get_unique_terms_end()};
  EXPECT_TRUE(t.count("økonomi") && t.count("økonomiske")) << q.get_description();
  // A phrase typed without æ/ø/å is a phrase of the positional terms it spells.
  QueryBuilder pb(test::analyzer(), &db);
  std::string d = pb.parse("\"okonomisk stotte\"").get_description();
  EXPECT_NE(d.find("PHRASE"), std::string::npos) << d;
  EXPECT_NE(d.find("støtte"), std::string::npos) << d;
}

TEST(QueryBuilder, PhrasesLemmatiseEveryWordIncludingTheLast) {
  // Xapian's QueryParser never stems the last word of a phrase; ours matches it by lemma.
  std::string d = describe("\"negative sociale kontroller\"");
  EXPECT_NE(d.find("PHRASE 3"), std::string::npos) << d;
  EXPECT_NE(d.find("Zkontrol"), std::string::npos) << d;
  EXPECT_NE(d.find("Zsocial"), std::string::npos) << d;
  EXPECT_NE(d.find("Znegativ"), std::string::npos) << d;
  // The exact phrase is an extra boost on top of the all-variants phrase.
  EXPECT_NE(d.find("AND_MAYBE"), std::string::npos) << d;
  EXPECT_NE(d.find("(negative PHRASE 3 sociale PHRASE 3 kontroller)"), std::string::npos) << d;
  // Stop words inside a phrase are matched in their exact form (the index keeps them).
  std::string s = describe("\"arbejde med negativ\"");
  EXPECT_NE(s.find("PHRASE 3 med PHRASE 3"), std::string::npos) << s;
  std::string u = describe("\"Alle unge skal med\"");
  EXPECT_NE(u.find("(alle PHRASE 4 unge PHRASE 4 skal PHRASE 4 med)"), std::string::npos) << u;
  // "§ 100" is the identifier the index holds.
  EXPECT_TRUE(terms("servicelovens § 100").count("§100"));
  // Typographic quotes work too.
  EXPECT_NE(describe("”social kontrol”").find("PHRASE 2"), std::string::npos);
  // A hyphenated word is a phrase of its parts.
  EXPECT_NE(describe("social-kontrol").find("PHRASE 2"), std::string::npos);
}

TEST(QueryBuilder, BooleanStructure) {
  std::string all = describe("negativ social kontrol");
  EXPECT_NE(all.find(" AND "), std::string::npos) << all;
  EXPECT_NE(all.find("PHRASE 5"), std::string::npos) << "proximity boost, 3 words + slack 2: " << all;
  std::string either = describe("budget OR økonomi");
  EXPECT_EQ(either.find(" AND "), std::string::npos) << either;
  EXPECT_EQ(describe("budget ELLER økonomi"), either);
  EXPECT_NE(describe("budget or økonomi").find(" AND "), std::string::npos) << "lower-case or is a word";
  std::string minus = describe("ledighed -akademikere");
  EXPECT_NE(minus.find("AND_NOT"), std::string::npos);
  EXPECT_NE(minus.find("Zakademiker"), std::string::npos) << minus;
  EXPECT_EQ(describe("ledighed NOT akademikere"), minus);
  EXPECT_EQ(describe("ledighed IKKE akademikere"), minus);
  EXPECT_NE(describe("NOT akademikere").find("<alldocuments> AND_NOT"), std::string::npos);
  EXPECT_NE(describe("udvalg:BSU budget").find("FILTER XUbeskaeftigelses-og-socialudvalget"), std::string::npos);
  std::string grouped = describe("(budget OR økonomi) ledighed");
  EXPECT_NE(grouped.find(" OR "), std::string::npos);
  EXPECT_NE(grouped.find(" AND "), std::string::npos);
  // Stop words are dropped next to other words, kept when alone.
  EXPECT_FALSE(terms("budget og økonomi").count("og"));
  EXPECT_TRUE(terms("og").count("og"));
}

TEST(QueryBuilder, FieldsUseTheirPrefixes) {
  for (const char* q : {"titel:budget", "title:budget", "titel:(budget økonomi)", "titel:\"budget 2026\""}) {
    for (const auto& t : terms(q)) {
      bool ok = t.rfind("S", 0) == 0 || t.rfind("ZS", 0) == 0 || t.rfind("XPS", 0) == 0 || t.rfind("XFS", 0) == 0;
      EXPECT_TRUE(ok) << q << " has term " << t;
    }
  }
  for (const auto& t : terms("beslutning:godkendt")) EXPECT_NE(t.find("XB"), std::string::npos) << t;
  for (const auto& t : terms("decision:godkendt")) EXPECT_NE(t.find("XB"), std::string::npos) << t;
  for (const auto& t : terms("resume:kontrol")) EXPECT_NE(t.find("XR"), std::string::npos) << t;
  for (const auto& t : terms("indstilling:kontrol")) EXPECT_NE(t.find("XI"), std::string::npos) << t;
  // "Tema:" followed by a space is just a word.
  EXPECT_TRUE(terms("Tema: udsatte").count("tema"));
}

TEST(QueryBuilder, IdentifiersAbbreviationsAndWildcards) {
  // Journal numbers are recognised wherever they are typed, kept whole (QueryParser would split
  // 27.00.00-A00-6-25 into 27.00.00, a00, 6, 25).
  auto j = terms("27.00.00-A00-6-25");
  EXPECT_TRUE(j.count("XJ27.00.00-a00-6-25"));
  EXPECT_TRUE(j.count("27.00.00-a00-6-25"));
  EXPECT_FALSE(j.count("27")) << "the hierarchy is not searched as text";
  EXPECT_FALSE(j.count("a00"));
  auto k = terms("27.00");
  EXPECT_TRUE(k.count("XK27.00"));
  // Committee abbreviations reach the committee's items.
  auto bsu = terms("BSU");
  EXPECT_TRUE(bsu.count("XUbeskaeftigelses-og-socialudvalget"));
  EXPECT_TRUE(bsu.count("bsu"));
  EXPECT_TRUE(terms("ØU").count("XUoekonomiudvalget"));
  // Wildcards: casefold only, no lemma.
  std::string w = describe("Budget*");
  EXPECT_NE(w.find("WILDCARD"), std::string::npos) << w;
  EXPECT_NE(w.find("budget"), std::string::npos) << w;
  EXPECT_EQ(w.find("Zbudget"), std::string::npos) << w;
}

TEST(QueryBuilder, TypedWordsKeepTheirOffsets) {
  QueryBuilder qb(test::analyzer());
  qb.parse("udvalg:BSU \"Negativ socal\" kontrol");
  const auto& w = qb.typed_words();
  ASSERT_EQ(w.size(), 3u);
  EXPECT_EQ(w[0].text, "negativ");
  EXPECT_EQ(w[0].offset, 12u);
  EXPECT_EQ(w[1].text, "socal");
  EXPECT_EQ(w[1].offset, 20u);
  EXPECT_EQ(w[2].offset, 27u);
  EXPECT_EQ(w[2].length, 7u);
}

TEST(QueryBuilder, RequestFilters) {
  QueryBuilder qb(test::analyzer());
  SearchRequest r;
  EXPECT_TRUE(qb.filters(r).empty());
  r.committees = {"BUU", "Beskæftigelses- og Socialudvalget"};
  r.from = "1.1.2021";
  r.to = "2022";
  r.categories = {"D"};
  EXPECT_EQ(qb.filters(r).get_description(),
            "Query(((XUboern-og-ungeudvalget OR XUbeskaeftigelses-og-socialudvalget) AND "
            "VALUE_RANGE 0 20210101 20221231 AND XCd))");
  SearchRequest bad;
  bad.from = "2021-02-30";
  try {
    qb.filters(bad);
    ADD_FAILURE() << "no error";
  } catch (const QueryError& e) {
    EXPECT_EQ(e.fragment, "2021-02-30");
    EXPECT_NE(std::string(e.what()).find("--fra"), std::string::npos);
  }
  SearchRequest unknown;
  unknown.committees = {"Hemmeligt Udvalg"};
  EXPECT_THROW(qb.filters(unknown), QueryError);
}

TEST(QueryBuilder, ParseDate) {
  EXPECT_EQ(parse_date("2024-02-29", false), "20240229");
  EXPECT_EQ(parse_date("2023-02-29", false), "");
  EXPECT_EQ(parse_date("29.2.2024", false), "20240229");
  EXPECT_EQ(parse_date("1/12/2024", false), "20241201");
  EXPECT_EQ(parse_date("2024", true), "20241231");
  EXPECT_EQ(parse_date("2024-04", true), "20240430");
  EXPECT_EQ(parse_date("2024-4-1", false), "20240401");
  EXPECT_EQ(parse_date("24-4-1", false), "");
  EXPECT_EQ(parse_date("", false), "");
  EXPECT_EQ(parse_date("i går", false), "");
}

TEST(QueryBuilder, RandomInputNeverCrashes) {
  // Invariant: any input either parses or throws QueryError whose offset lies inside the query.
  const std::string alphabet = "ab æø\"()-*:.OR NOT udvalg:dato:år:..2021 ”";
  unsigned seed = 12345;
  for (int n = 0; n < 2000; ++n) {
    std::string q;
    int len = static_cast<int>(seed % 24);
    for (int i = 0; i < len; ++i) {
      seed = seed * 1103515245 + 12345;
      q += alphabet[(seed >> 16) % alphabet.size()];
    }
    seed = seed * 1103515245 + 12345;
    try {
      describe(q);
    } catch (const QueryError& e) {
      EXPECT_LE(e.offset, q.size()) << q;
    }
  }
}

}  // namespace
}  // namespace referat::searcher
