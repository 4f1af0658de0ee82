// The boolean matcher of the counting pass (searcher/docsets.h) finds exactly the documents
// Xapian's matcher finds: for every query shape the query builder makes from the query language
// and the request filters, on the corpus index, with a cache large enough to hold everything,
// with one too small to hold one set, and on repeated use (cache hits); and for the Xapian
// operators the builder does not make.
#include <gtest/gtest.h>

#include <xapian.h>

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "indexer/schema.h"
#include "searcher/docsets.h"
#include "searcher/query_builder.h"
#include "searcher/ranking.h"
#include "tests/searcher/corpus_fixture.h"

namespace referat::searcher {
namespace {

using Q = Xapian::Query;

std::set<Xapian::docid> xapian_matches(const Xapian::Database& db, const Q& q) {
  Xapian::Enquire e(db);
  e.set_query(q);
  e.set_weighting_scheme(Xapian::BoolWeight());
  Xapian::MSet m = e.get_mset(0, db.get_doccount());
  return {m.begin(), m.end()};
}

Q op(Q::op o, const std::vector<Q>& subs, Xapian::termcount parameter = 0) {
  return Q(o, subs.begin(), subs.end(), parameter);
}

std::set<Xapian::docid> members(const DocSet& s) {
  std::set<Xapian::docid> out;
  s.for_each([&](Xapian::docid d) { out.insert(d); });
  EXPECT_EQ(out.size(), s.count());
  return out;
}

const char* const kQueries[] = {
    "budget", "kontrol", "negativ social kontrol", "økonomi", "okonomi", "borgere OR ledighed",
    "budget -økonomi", "budget NOT ledighed", "(budget OR ledighed) borgere", "budget AND (kontrol OR indsats)",
    "udvalg:BSU", "udvalg:BUU budget", "kategori:D", "år:2021..2022", "dato:2025-05-20",
    "dato:..2021-12-31 borgere", "udfald:godkendt", "titel:budget", "beslutning:godkendt",
    "resume:borgere", "bud*", "ledig* -budget", "27.00.00-A00-6-25", "BSU", "sygedagpengeområdet",
    "skolereform", "\"negativ social kontrol\"", "budget \"social kontrol\"", "", "xyzzyqwerty",
    "D-sag", "kontrol OR xyzzyqwerty", "-budget borgere",
};

class DocSets : public ::testing::Test {
 protected:
  Xapian::Database db{test::corpus().db_path};
};

TEST_F(DocSets, SameMatchesAsXapianForEveryQueryShape) {
  // The corpus has 66 items, so with the default threshold (terms in >= 64 items) hardly a term
  // set would be cached: these matchers cache every term's set they meet.
  BooleanMatcher all(db, 64u << 20, 1);    // keeps every set
  BooleanMatcher evicting(db, 200, 1);     // a few sets at a time: evicts within one query
  BooleanMatcher none(db, 1, 1);           // keeps nothing
  BooleanMatcher defaults(db, 64u << 20);  // the searcher's settings
  std::size_t partial = 0;  // queries matching some but not all items: the test has teeth
  for (int round = 0; round < 2; ++round) {
    for (const char* text : kQueries) {
      for (bool proximity : {false, true}) {
        QueryBuilder qb(test::analyzer(), &db);
        qb.set_proximity(proximity);
        const Q q = qb.parse(text);
        const auto expected = xapian_matches(db, q);
        const std::string where = std::string(text) + " proximity " + std::to_string(proximity) + " round " +
                                  std::to_string(round);
        EXPECT_EQ(members(all.match(q)), expected) << where;
        EXPECT_EQ(members(evicting.match(q)), expected) << where;
        EXPECT_EQ(members(none.match(q)), expected) << where;
        EXPECT_EQ(members(defaults.match(q)), expected) << where;
        if (round == 0 && !proximity && !expected.empty() && expected.size() < db.get_doccount()) ++partial;
      }
    }
  }
  EXPECT_GE(partial, 20u);
  EXPECT_GT(all.cached_bytes(), 1000u);  // dozens of term sets (16 bytes each here)
  EXPECT_LE(evicting.cached_bytes(), 200u);
  EXPECT_GT(evicting.cached_bytes(), 0u);
  EXPECT_EQ(none.cached_bytes(), 0u);
}

TEST_F(DocSets, NothingPartialIsKeptWhenTheTimeIsUp) {
  BooleanMatcher m(db, 64u << 20, 1);
  QueryBuilder qb(test::analyzer(), &db);
  const Q ranged = qb.parse("år:2021..2022 OR \"social kontrol\"");  // both matched by Xapian
  const Q words = qb.parse("budget OR borgere");                      // sets only
  const auto past = BooleanMatcher::Clock::now() - std::chrono::seconds(1);
  bool exact = true;
  EXPECT_LT(m.match(ranged, past, &exact).count(), xapian_matches(db, ranged).size());
  EXPECT_FALSE(exact);
  exact = true;
  EXPECT_EQ(members(m.match(words, past, &exact)), xapian_matches(db, words));
  EXPECT_TRUE(exact);  // no Xapian subquery: the deadline does not matter
  exact = true;
  EXPECT_EQ(members(m.match(ranged, BooleanMatcher::Clock::time_point::max(), &exact)), xapian_matches(db, ranged));
  EXPECT_TRUE(exact);
}

TEST_F(DocSets, MatchWithinChecksTheMaskOnlyAndKeepsWhatItChecked) {
  // Positional queries matched on a part of the documents: the mask's matches, whether its
  // documents were checked before (kept) or not, with overlapping and nested masks.
  const std::vector<Q> queries = {
      op(Q::OP_PHRASE, {Q("negativ"), Q("social"), Q("kontrol")}, 3),
      op(Q::OP_PHRASE, {op(Q::OP_OR, {Q("social"), Q("sociale")}), Q("kontrol")}, 4),
      op(Q::OP_NEAR, {Q("budget"), Q("borgere")}, 6),
      Q("budget"),
  };
  BooleanMatcher m(db, 64u << 20, 1);
  BooleanMatcher nothing_kept(db, 1, 1);
  std::size_t some = 0;
  for (const Q& q : queries) {
    const std::set<Xapian::docid> all = xapian_matches(db, q);
    some += all.size();
    // The odd docids, then every third, then all of them, then the odd ones again.
    std::vector<DocSet> masks(4, DocSet(db.get_lastdocid() + 1));
    for (Xapian::docid d = 1; d <= db.get_lastdocid(); ++d) {
      if (d % 2 == 1) masks[0].add(d), masks[3].add(d);
      if (d % 3 == 0) masks[1].add(d);
      masks[2].add(d);
    }
    for (BooleanMatcher* matcher : {&m, &nothing_kept}) {
      for (const DocSet& mask : masks) {
        std::set<Xapian::docid> expected;
        for (Xapian::docid d : all)
          if (mask.contains(d)) expected.insert(d);
        bool exact = true;
        EXPECT_EQ(members(matcher->match_within(q, mask, BooleanMatcher::Clock::time_point::max(), &exact)), expected)
            << q.get_description();
        EXPECT_TRUE(exact);
      }
    }
    // Every document has been checked: no more Xapian, so no time needed and nothing added.
    const std::size_t bytes = m.cached_bytes();
    bool exact = true;
    const auto past = BooleanMatcher::Clock::now() - std::chrono::seconds(1);
    EXPECT_EQ(members(m.match_within(q, masks[1], past, &exact)).size(),
              std::count_if(all.begin(), all.end(), [](Xapian::docid d) { return d % 3 == 0; }));
    EXPECT_TRUE(exact);
    EXPECT_EQ(m.cached_bytes(), bytes);
    // Unchecked documents and no time left: not exact (and nothing partial kept).
    exact = true;
    nothing_kept.match_within(q, masks[0], past, &exact);
    EXPECT_FALSE(exact);
  }
  EXPECT_GT(some, 10u);
}

TEST_F(DocSets, AGrownDatabaseNeedsANewMatcher) {
  const auto dir = std::filesystem::temp_directory_path() / ("referat-docsets-grow-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  Xapian::WritableDatabase w(dir.string(), Xapian::DB_CREATE_OR_OVERWRITE);
  Xapian::Document d;
  d.add_term("budget");
  w.add_document(d);
  w.commit();
  Xapian::Database r(dir.string());
  BooleanMatcher m(r, 1u << 20);
  EXPECT_EQ(m.match(Q("budget")).count(), 1u);
  for (int i = 0; i < 200; ++i) w.add_document(d);
  w.commit();
  r.reopen();
  EXPECT_THROW(m.match(Q("budget")), std::logic_error);
  std::filesystem::remove_all(dir);
}

TEST_F(DocSets, SameMatchesAsXapianWithRequestFilters) {
  BooleanMatcher m(db, 64u << 20);
  SearchRequest with_committee;
  with_committee.committees = {"BSU", "BUU"};
  SearchRequest drill = with_committee;
  drill.drill_down = true;
  SearchRequest dated;
  dated.from = "2021-01-01";
  dated.to = "2022-06-30";
  SearchRequest mixed;
  mixed.categories = {"B", "D"};
  mixed.outcomes = {"godkendt"};
  mixed.from = "2020";
  for (const SearchRequest* req : {&with_committee, &drill, &dated, &mixed}) {
    for (const char* text : {"", "budget", "borgere -økonomi"}) {
      QueryBuilder qb(test::analyzer(), &db);
      const Q filter = qb.filters(*req);
      Q q = qb.parse(text);
      if (!filter.empty()) q = Q(Q::OP_FILTER, q, filter);
      EXPECT_EQ(members(m.match(q)), xapian_matches(db, q)) << text;
    }
  }
}

TEST_F(DocSets, OperatorsTheBuilderDoesNotMake) {
  BooleanMatcher m(db, 64u << 20);
  const Q a("budget"), b("borgere"), c("økonomi");
  const Q queries[] = {
      op(Q::OP_XOR, {a, b, c}),
      op(Q::OP_AND_NOT, {a, b, c}),
      op(Q::OP_MAX, {a, b}),
      op(Q::OP_SYNONYM, {a, c}),
      op(Q::OP_ELITE_SET, {a, b, c}, 2),  // weight-dependent: left to Xapian
      Q(Q::OP_VALUE_GE, schema::kSlotDate, "20220101"),
      Q(Q::OP_AND, Q::MatchAll, Q(Q::OP_SCALE_WEIGHT, b, 3.0)),
      Q(Q::OP_OR, Q::MatchNothing, a),
      Q(Q::OP_AND, a, Q::MatchNothing),
      Q(Q::OP_AND_MAYBE, b, op(Q::OP_PHRASE, {Q("social"), Q("kontrol")})),
      op(Q::OP_NEAR, {Q("social"), Q("kontrol")}, 3),
  };
  for (const Q& q : queries) EXPECT_EQ(members(m.match(q)), xapian_matches(db, q)) << q.get_description();
}

/// (docid, weight) of the top `n` of `q`, ranked as the searcher ranks.
std::vector<std::pair<Xapian::docid, double>> ranked(const Xapian::Database& db, const Q& q, Xapian::doccount n) {
  Xapian::Enquire e(db);
  e.set_query(q);
  e.set_weighting_scheme(ranking::bm25());
  std::vector<std::pair<Xapian::docid, double>> out;
  Xapian::MSet m = e.get_mset(0, n);
  for (auto it = m.begin(); it != m.end(); ++it) out.emplace_back(*it, it.get_weight());
  return out;
}

// A phrase resolved into FILTER(AND of its parts, the phrase's documents) matches and ranks
// exactly as the phrase (the searcher's ranking pass relies on it), with and without the
// proximity boost.
TEST_F(DocSets, ResolvedPhrasesRankLikePhrases) {
  BooleanMatcher m(db, 64u << 20);
  std::size_t resolved = 0, nonempty = 0;
  for (const char* text : {"\"negativ social kontrol\"", "\"social kontrol\" budget", "\"i forhold til\"",
                           "titel:\"negativ social\"", "\"børn og unge\" OR kontrol", "\"budget 2022\" -ledighed",
                           "\"negative sociale kontroller\"", "27.00.00-A00-6-25", "covid-19 borgere"}) {
    for (bool proximity : {false, true}) {
      QueryBuilder plain(test::analyzer(), &db), resolving(test::analyzer(), &db);
      plain.set_proximity(proximity);
      resolving.set_proximity(proximity);
      resolving.set_phrase_resolver([&](const Q& phrase) {
        ++resolved;
        return docid_query(m.match(phrase).docids());
      });
      const auto expected = ranked(db, plain.parse(text), 1000);
      const auto got = ranked(db, resolving.parse(text), 1000);
      ASSERT_EQ(got.size(), expected.size()) << text;
      for (std::size_t i = 0; i < got.size(); ++i) {
        EXPECT_EQ(got[i].first, expected[i].first) << text << " rank " << i;
        EXPECT_NEAR(got[i].second, expected[i].second, 1e-9) << text << " rank " << i;
      }
      if (!expected.empty()) ++nonempty;
    }
  }
  EXPECT_GE(resolved, 12u);
  EXPECT_GE(nonempty, 12u);
}

TEST_F(DocSets, PositionsOutsideTheOptionalSideOfAndMaybe) {
  const Q phrase = op(Q::OP_PHRASE, {Q("social"), Q("kontrol")});
  EXPECT_TRUE(BooleanMatcher::has_positions(phrase));
  EXPECT_TRUE(BooleanMatcher::has_positions(Q(Q::OP_AND, Q("budget"), phrase)));
  EXPECT_FALSE(BooleanMatcher::has_positions(Q(Q::OP_AND_MAYBE, Q("budget"), phrase)));
  EXPECT_TRUE(BooleanMatcher::has_positions(Q(Q::OP_AND_MAYBE, phrase, Q("budget"))));
  EXPECT_FALSE(BooleanMatcher::has_positions(Q(Q::OP_OR, Q("budget"), Q("kontrol"))));
}

TEST(DocSet, SetOperations) {
  DocSet a(200), b(200);
  for (Xapian::docid d : {1u, 63u, 64u, 130u, 199u}) a.add(d);
  for (Xapian::docid d : {63u, 130u, 150u}) b.add(d);
  DocSet u = a;
  u |= b;
  EXPECT_EQ(members(u), (std::set<Xapian::docid>{1, 63, 64, 130, 150, 199}));
  DocSet i = a;
  i &= b;
  EXPECT_EQ(members(i), (std::set<Xapian::docid>{63, 130}));
  DocSet x = a;
  x ^= b;
  EXPECT_EQ(members(x), (std::set<Xapian::docid>{1, 64, 150, 199}));
  DocSet s = a;
  s.subtract(b);
  EXPECT_EQ(members(s), (std::set<Xapian::docid>{1, 64, 199}));
  EXPECT_TRUE(a.contains(199));
  EXPECT_FALSE(a.contains(150));
  EXPECT_FALSE(a.contains(100000));
}

}  // namespace
}  // namespace referat::searcher
