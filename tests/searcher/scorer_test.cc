// The ranking pass's candidates (searcher/scorer.h): for every query shape the query builder
// makes, on the corpus index, the candidates hold Xapian's own k best (BM25, ranking::bm25()),
// and where no positional part is bounded they hold nothing Xapian ranks below its k-th weight,
// which fails as soon as a score here differs from Xapian's. Then the Searcher: a page ranked
// through the candidates equals the page Xapian ranks alone (the path without facets).
#include <gtest/gtest.h>

#include <unistd.h>
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "indexer/schema.h"
#include "searcher/docsets.h"
#include "searcher/query_builder.h"
#include "searcher/ranking.h"
#include "searcher/scorer.h"
#include "tests/searcher/corpus_fixture.h"

namespace referat::searcher {
namespace {

using Q = Xapian::Query;

const char* const kQueries[] = {
    "budget", "kontrol", "negativ social kontrol", "økonomi", "okonomi", "borgere OR ledighed",
    "budget -økonomi", "budget NOT ledighed", "(budget OR ledighed) borgere", "budget AND (kontrol OR indsats)",
    "udvalg:BUU budget", "dato:..2021-12-31 borgere", "titel:budget", "beslutning:godkendt", "resume:borgere",
    "27.00.00-A00-6-25", "BSU", "sygedagpengeområdet", "skolereform", "\"negativ social kontrol\"",
    "budget \"social kontrol\"", "\"social kontrol\" OR budget", "kontrol OR xyzzyqwerty", "-budget borgere",
    "år:2021..2022 borgere", "børn unge familier", "sagen indstilling godkendes", "indsats OR (budget ledighed)",
    "resume:\"negativ social kontrol\"", "beslutning:\"orientering givet\" budget", "titel:\"børn og unge\" OR kontrol",
};

/// Xapian's ranking of every match of `q`: docids best first, and each one's weight.
struct Ranking {
  std::vector<Xapian::docid> order;
  std::map<Xapian::docid, double> weight;
};

Ranking xapian_ranking(const Xapian::Database& db, const Q& q) {
  Xapian::Enquire e(db);
  e.set_query(q);
  e.set_weighting_scheme(ranking::bm25());
  Xapian::MSet m = e.get_mset(0, db.get_doccount());
  Ranking r;
  for (auto it = m.begin(); it != m.end(); ++it) {
    r.order.push_back(*it);
    r.weight[*it] = it.get_weight();
  }
  return r;
}

/// Positional parts on AND_MAYBE's optional side (exact-phrase and proximity boosts; also in a
/// committee abbreviation's expansion) are bounded, not scored: there the candidates may hold more.
bool has_bounded_part(const Q& q) {
  for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) {
    if (q.get_type() == Q::OP_AND_MAYBE && i > 0 && BooleanMatcher::has_positions(q.get_subquery(i))) return true;
    if (has_bounded_part(q.get_subquery(i))) return true;
  }
  return false;
}

class Scorer : public ::testing::Test {
 protected:
  Xapian::Database db{test::corpus().db_path};
};

TEST_F(Scorer, CandidatesHoldXapiansBestAndNothingRankedBelow) {
  // The corpus has 66 items: with the default threshold (terms in >= 64 items) hardly a term's
  // postings are cached, so one matcher caches every term (the cached path) and one does not.
  BooleanMatcher caching(db, 64u << 20, 1);
  BooleanMatcher uncached(db, 1, 1);  // keeps nothing: reads postings every time
  BooleanMatcher defaults(db, 64u << 20);
  SetScorer cached_scorer(db, caching);
  SetScorer uncached_scorer(db, uncached);
  SetScorer default_scorer(db, defaults);
  std::size_t checked = 0, fewer = 0;
  for (int round = 0; round < 2; ++round) {  // the second round runs on cached postings
    for (const char* text : kQueries) {
      for (bool proximity : {false, true}) {
        QueryBuilder qb(test::analyzer(), &db);
        qb.set_proximity(proximity);
        const Q q = qb.parse(text);
        ASSERT_TRUE(SetScorer::supports(q)) << text;
        const Ranking x = xapian_ranking(db, q);
        const bool bounded = has_bounded_part(q);
        // A body phrase has its exact-spelling boost checked on positions; a field phrase's boost
        // is the exact words in the field (query_builder.cc), no positions.
        const std::string t = text;
        const bool body_phrase = t.find('"') != std::string::npos && t.find(":\"") == std::string::npos;
        if ((proximity && qb.has_proximity()) || body_phrase) {
          EXPECT_TRUE(bounded) << text;
        }
        const std::vector<std::pair<SetScorer*, BooleanMatcher*>> scorers = {
            {&cached_scorer, &caching}, {&uncached_scorer, &uncached}, {&default_scorer, &defaults}};
        for (auto [scorer, matcher] : scorers) {
          const DocSet matches = matcher->match(q);
          ASSERT_EQ(matches.count(), x.order.size()) << text;
          for (std::size_t k : {1u, 3u, 10u}) {
            const std::string where = std::string(text) + " proximity " + std::to_string(proximity) + " k " +
                                      std::to_string(k);
            const auto got = scorer->candidates(q, matches, k);
            ASSERT_TRUE(got.has_value()) << where;
            const std::set<Xapian::docid> cands(got->begin(), got->end());
            EXPECT_EQ(cands.size(), got->size()) << where;
            EXPECT_TRUE(std::is_sorted(got->begin(), got->end())) << where;
            for (Xapian::docid d : cands) EXPECT_TRUE(matches.contains(d)) << where;
            for (std::size_t i = 0; i < std::min(k, x.order.size()); ++i)
              EXPECT_TRUE(cands.count(x.order[i])) << where << ": Xapian's #" << i + 1 << " is missing";
            if (x.order.size() > k) {
              const double kth = x.weight.at(x.order[k - 1]);
              if (!bounded) {
                for (Xapian::docid d : cands) {
                  EXPECT_GE(x.weight.at(d), kth - 1e-9) << where << ": docid " << d << " ranks below the k-th";
                }
              }
              if (cands.size() < x.order.size()) ++fewer;
            }
            ++checked;
          }
        }
      }
    }
  }
  EXPECT_GT(checked, 300u);
  EXPECT_GT(fewer, 200u);  // the candidates narrow the ranking down, most of the time
}

TEST_F(Scorer, ScoresOfAFewDocumentsAreXapiansWeightsWithTheBoostsChecked) {
  // scores() checks the optional positional parts (proximity and exact-phrase boosts) on the
  // documents asked about: each score is Xapian's weight, for documents that match the boosts
  // and for documents that do not, whichever few are asked about.
  BooleanMatcher caching(db, 64u << 20, 1);
  BooleanMatcher defaults(db, 64u << 20);
  SetScorer cached_scorer(db, caching);
  SetScorer default_scorer(db, defaults);
  std::size_t checked = 0, boosted_docs = 0, unboosted_docs = 0;
  for (const char* text : kQueries) {
    QueryBuilder qb(test::analyzer(), &db);
    const Q q = qb.parse(text);  // proximity on, as the re-ranking pass parses it
    QueryBuilder plain_builder(test::analyzer(), &db);
    plain_builder.set_proximity(false);
    const Ranking plain = xapian_ranking(db, plain_builder.parse(text));
    const Ranking x = xapian_ranking(db, q);
    ASSERT_EQ(x.order.size(), plain.order.size()) << text;
    std::vector<Xapian::docid> all = x.order;
    std::sort(all.begin(), all.end());
    // All the matches, and every third (so that the boosts are checked on a part only).
    std::vector<Xapian::docid> some;
    for (std::size_t i = 0; i < all.size(); i += 3) some.push_back(all[i]);
    for (SetScorer* scorer : {&cached_scorer, &default_scorer}) {
      for (const auto* docs : {&all, &some}) {
        const auto got = scorer->scores(q, *docs);
        ASSERT_TRUE(got.has_value()) << text;
        ASSERT_EQ(got->size(), docs->size()) << text;
        for (std::size_t i = 0; i < docs->size(); ++i) {
          const double w = x.weight.at((*docs)[i]);
          EXPECT_NEAR((*got)[i], w, 1e-12 * std::max(1.0, w)) << text << ": docid " << (*docs)[i];
          if (w > plain.weight.at((*docs)[i]) + 1e-9) ++boosted_docs;
          else ++unboosted_docs;
          ++checked;
        }
      }
    }
  }
  EXPECT_GT(checked, 1000u);
  EXPECT_GE(boosted_docs, 8u);  // documents where a boost counted (12 on the corpus) ...
  EXPECT_GT(unboosted_docs, 50u);  // ... and where it did not
  // Out of time: no scores rather than unchecked ones.
  QueryBuilder qb(test::analyzer(), &db);
  const Q q = qb.parse("negativ social kontrol");
  const Ranking x = xapian_ranking(db, q);
  std::vector<Xapian::docid> all = x.order;
  std::sort(all.begin(), all.end());
  const auto past = SetScorer::Clock::now() - std::chrono::seconds(1);
  BooleanMatcher fresh(db, 64u << 20, 1);
  SetScorer fresh_scorer(db, fresh);
  EXPECT_EQ(fresh_scorer.scores(q, all, past), std::nullopt);
  // ... and the scorer is clean for the next call.
  const auto again = fresh_scorer.scores(q, all);
  ASSERT_TRUE(again.has_value());
  for (std::size_t i = 0; i < all.size(); ++i) EXPECT_NEAR((*again)[i], x.weight.at(all[i]), 1e-9);
  // The checks are kept (BooleanMatcher::match_within): once made, they need no time.
  const auto kept = fresh_scorer.scores(q, all, past);
  ASSERT_TRUE(kept.has_value());
  EXPECT_EQ(*kept, *again);
}

TEST(ScorerPhrases, ABoostCountsExactlyWhereXapiansPhraseMatches) {
  // scores() checks an optional phrase on the documents asked about only: on random documents
  // of a small vocabulary, for random phrases (parts of one or two terms, repeated parts,
  // windows from exact to loose), a document gets the phrase's weight exactly where Xapian
  // matches it.
  const auto dir = std::filesystem::temp_directory_path() / ("referat-scorer-phrases-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  const std::vector<std::string> vocab = {"a", "b", "c", "d", "e", "f"};
  std::mt19937 rng(7);
  {
    Xapian::WritableDatabase w(dir.string(), Xapian::DB_CREATE_OR_OVERWRITE);
    for (int i = 0; i < 400; ++i) {
      Xapian::Document doc;
      const int len = 1 + static_cast<int>(rng() % 12);
      Xapian::termpos pos = 0;
      for (int j = 0; j < len; ++j) {
        pos += 1 + rng() % 3;  // gaps, as stopwords and sentence breaks leave them
        doc.add_posting(vocab[rng() % vocab.size()], pos);
      }
      w.add_document(doc);
    }
    w.commit();
  }
  Xapian::Database db(dir.string());
  BooleanMatcher caching(db, 64u << 20, 1);  // every term's set cached (the pre-check)
  BooleanMatcher reading(db, 1, 1);          // nothing kept
  SetScorer cached_scorer(db, caching);
  SetScorer reading_scorer(db, reading);
  const Q any(Q::OP_OR, vocab.begin(), vocab.end());
  std::vector<Xapian::docid> all;
  for (Xapian::docid d = 1; d <= db.get_lastdocid(); ++d) all.push_back(d);
  std::size_t matched = 0, unmatched = 0;
  for (int round = 0; round < 300; ++round) {
    const std::size_t n = 2 + rng() % 3;
    std::vector<Q> parts;
    for (std::size_t i = 0; i < n; ++i) {
      const Q t(vocab[rng() % vocab.size()]);
      parts.push_back(rng() % 3 == 0 ? Q(Q::OP_OR, t, Q(vocab[rng() % vocab.size()])) : t);
    }
    const auto window = static_cast<Xapian::termcount>(n + rng() % 4);
    const Q phrase(Q::OP_PHRASE, parts.begin(), parts.end(), window);
    const Q q(Q::OP_AND_MAYBE, any, Q(Q::OP_SCALE_WEIGHT, phrase, 0.5));
    const Ranking x = xapian_ranking(db, q);
    ASSERT_EQ(x.order.size(), all.size());
    std::set<Xapian::docid> xapian_phrase;
    {
      Xapian::Enquire e(db);
      e.set_query(phrase);
      Xapian::MSet m = e.get_mset(0, db.get_doccount());
      for (auto it = m.begin(); it != m.end(); ++it) xapian_phrase.insert(*it);
    }
    for (SetScorer* scorer : {&cached_scorer, &reading_scorer}) {
      const auto got = scorer->scores(q, all);
      ASSERT_TRUE(got.has_value()) << phrase.get_description();
      for (std::size_t i = 0; i < all.size(); ++i) {
        const double w = x.weight.at(all[i]);
        ASSERT_NEAR((*got)[i], w, 1e-12 * std::max(1.0, w))
            << phrase.get_description() << " docid " << all[i] << (xapian_phrase.count(all[i]) ? " (phrase)" : "");
      }
    }
    matched += xapian_phrase.size();
    unmatched += all.size() - xapian_phrase.size();
  }
  EXPECT_GT(matched, 1000u);
  EXPECT_GT(unmatched, 1000u);
  std::filesystem::remove_all(dir);
}

/// Checks the candidates for the k best of `q` against Xapian's full ranking; with `tight`, also
/// that none ranks below Xapian's k-th (every score here equals Xapian's).
void check_candidates(const Xapian::Database& db, BooleanMatcher& matcher, SetScorer& scorer, const Q& q,
                      std::size_t k, bool tight, const std::string& where) {
  ASSERT_TRUE(SetScorer::supports(q)) << where;
  const Ranking x = xapian_ranking(db, q);
  const DocSet matches = matcher.match(q);
  ASSERT_EQ(matches.count(), x.order.size()) << where;
  SetScorer::Scores scores;
  const auto got = scorer.candidates(q, matches, k, SetScorer::Clock::time_point::max(), &scores);
  ASSERT_TRUE(got.has_value()) << where;
  const std::set<Xapian::docid> cands(got->begin(), got->end());
  for (std::size_t i = 0; i < std::min(k, x.order.size()); ++i)
    EXPECT_TRUE(cands.count(x.order[i])) << where << ": Xapian's #" << i + 1 << " is missing";
  // The scores returned with them: Xapian's weights where nothing is bounded (which the
  // Searcher then shows as they are), else at most them.
  ASSERT_EQ(scores.exact.size(), got->size()) << where;
  EXPECT_EQ(scores.bounded, !tight) << where;
  for (std::size_t i = 0; i < got->size(); ++i) {
    const double w = x.weight.at((*got)[i]);
    if (tight) EXPECT_NEAR(scores.exact[i], w, 1e-9 * std::max(1.0, w)) << where << ": " << (*got)[i];
    else EXPECT_LE(scores.exact[i], w + 1e-9 * std::max(1.0, w)) << where << ": " << (*got)[i];
  }
  if (tight && x.order.size() > k) {
    for (Xapian::docid d : cands) {
      EXPECT_GE(x.weight.at(d), x.weight.at(x.order[k - 1]) - 1e-9) << where << ": " << d;
    }
  }
}

TEST_F(Scorer, ShapesTheBuilderDoesNotMake) {
  BooleanMatcher matcher(db, 64u << 20, 1);
  SetScorer scorer(db, matcher);
  const Q budget("budget"), kontrol("kontrol"), borgere("borgere"), social("social"), udvalget("udvalget");
  const Q phrase(Q::OP_PHRASE, social, kontrol);
  const std::vector<std::pair<std::string, Q>> tight = {
      {"wqf 3", Q(Q::OP_OR, Q("budget", 3), kontrol)},
      {"the same term twice", Q(Q::OP_OR, budget, Q(Q::OP_AND, budget, borgere))},
      {"nested scales", Q(Q::OP_SCALE_WEIGHT, Q(Q::OP_OR, Q(Q::OP_SCALE_WEIGHT, budget, 0.3), kontrol), 2.5)},
      {"factor 0", Q(Q::OP_OR, Q(Q::OP_SCALE_WEIGHT, budget, 0.0), kontrol)},
      {"value range in OR", Q(Q::OP_OR, Q(Q::OP_VALUE_GE, schema::kSlotDate, "2022"), kontrol)},
      {"match-nothing in OR", Q(Q::OP_OR, Q::MatchNothing, kontrol)},
      {"match-all in OR", Q(Q::OP_OR, Q::MatchAll, kontrol)},
      {"AND in OR", Q(Q::OP_OR, Q(Q::OP_AND, budget, borgere), kontrol)},
      {"phrase in OR", Q(Q::OP_OR, phrase, budget)},
      {"AND_NOT in AND_MAYBE", Q(Q::OP_AND_MAYBE, borgere, Q(Q::OP_AND_NOT, budget, kontrol))},
  };
  const std::vector<std::pair<std::string, Q>> bounded = {
      {"exact-phrase boost", Q(Q::OP_AND_MAYBE, borgere, Q(Q::OP_SCALE_WEIGHT, phrase, 1.0))},
      // Relaxing the phrase that AND_NOT excludes would exclude more: not an upper bound.
      {"negated phrase on the optional side",
       Q(Q::OP_AND_MAYBE, borgere, Q(Q::OP_AND_NOT, udvalget, Q(Q::OP_PHRASE, udvalget, Q("og"))))},
      {"NEAR on the optional side", Q(Q::OP_AND_MAYBE, budget, Q(Q::OP_NEAR, borgere, kontrol))},
  };
  for (std::size_t k : {1u, 2u, 5u}) {
    for (const auto& [name, q] : tight) check_candidates(db, matcher, scorer, q, k, true, name);
    for (const auto& [name, q] : bounded) check_candidates(db, matcher, scorer, q, k, false, name);
  }
}

TEST_F(Scorer, RequestFiltersAndWeightlessPartsAddNothing) {
  BooleanMatcher matcher(db, 64u << 20, 1);
  SetScorer scorer(db, matcher);
  SearchRequest req;
  req.committees = {"BUU"};
  req.from = "2021-01-01";
  for (const char* text : {"budget", "borgere -økonomi", "indsats OR budget"}) {
    QueryBuilder qb(test::analyzer(), &db);
    qb.set_proximity(false);
    const Q q = Q(Q::OP_FILTER, qb.parse(text), qb.filters(req));
    const Ranking x = xapian_ranking(db, q);
    const DocSet matches = matcher.match(q);
    ASSERT_FALSE(x.order.empty()) << text;
    const auto got = scorer.candidates(q, matches, 2);
    ASSERT_TRUE(got.has_value()) << text;
    const std::set<Xapian::docid> cands(got->begin(), got->end());
    for (std::size_t i = 0; i < std::min<std::size_t>(2, x.order.size()); ++i) EXPECT_TRUE(cands.count(x.order[i])) << text;
    if (x.order.size() > 2) {
      for (Xapian::docid d : cands) {
        EXPECT_GE(x.weight.at(d), x.weight.at(x.order[1]) - 1e-9) << text;
      }
    }
  }
}

TEST_F(Scorer, WhatItCannotWeighIsLeftToXapian) {
  BooleanMatcher matcher(db, 64u << 20, 1);
  SetScorer scorer(db, matcher);
  QueryBuilder qb(test::analyzer(), &db);
  const Q wildcard = qb.parse("bud*");  // Xapian weighs an expansion as one synonym term
  EXPECT_FALSE(SetScorer::supports(wildcard));
  EXPECT_FALSE(scorer.candidates(wildcard, matcher.match(wildcard), 10).has_value());
  EXPECT_FALSE(SetScorer::supports(Q(Q::OP_SYNONYM, Q("budget"), Q("kontrol"))));
  EXPECT_FALSE(SetScorer::supports(Q(Q::OP_MAX, Q("budget"), Q("kontrol"))));
  EXPECT_TRUE(SetScorer::supports(Q(Q::OP_AND_NOT, Q::MatchAll, Q("budget"))));  // Xapian never weighs match-all
  EXPECT_TRUE(SetScorer::supports(Q(Q::OP_AND_NOT, Q("kontrol"), Q::MatchAll)));  // weightless side
}

TEST_F(Scorer, ASubquerySetNotMadeInTimeLeavesTheRankingToXapian) {
  // The phrase's set is not cached in this matcher, and the deadline has passed.
  BooleanMatcher counting(db, 64u << 20, 1);
  BooleanMatcher fresh(db, 64u << 20, 1);
  SetScorer scorer(db, fresh);
  QueryBuilder qb(test::analyzer(), &db);
  qb.set_proximity(false);
  const Q q = qb.parse("\"social kontrol\" OR budget");
  const DocSet matches = counting.match(q);
  ASSERT_GT(matches.count(), 0u);
  EXPECT_FALSE(scorer.candidates(q, matches, 3, std::chrono::steady_clock::now() - std::chrono::seconds(1)).has_value());
  EXPECT_TRUE(scorer.candidates(q, matches, 3).has_value());  // and in time it works
}

TEST(PageByScore, RanksByScoreAndRefusesNearTies) {
  using Page = std::vector<std::pair<Xapian::docid, double>>;
  const std::vector<Xapian::docid> ids = {3, 5, 9, 12};
  const std::vector<double> scores = {1.5, 4.0, 2.25, 0.5};
  EXPECT_EQ(page_by_score(ids, scores, 0, 10), (Page{{5, 4.0}, {9, 2.25}, {3, 1.5}, {12, 0.5}}));
  EXPECT_EQ(page_by_score(ids, scores, 1, 2), (Page{{9, 2.25}, {3, 1.5}}));
  EXPECT_EQ(page_by_score(ids, scores, 3, 5), (Page{{12, 0.5}}));
  EXPECT_EQ(page_by_score(ids, scores, 4, 5), Page{});  // past the end: an empty page
  EXPECT_EQ(page_by_score(ids, scores, 0, 0), Page{});
  EXPECT_EQ(page_by_score({}, {}, 0, 10), Page{});
  // A tie, or scores within rounding of each other, anywhere: Xapian must decide.
  EXPECT_EQ(page_by_score(ids, {1.5, 4.0, 1.5, 0.5}, 0, 1), std::nullopt);
  EXPECT_EQ(page_by_score(ids, {1.5, 4.0, 1.5 + 1e-12, 0.5}, 0, 10), std::nullopt);
  EXPECT_NE(page_by_score(ids, {1.5, 4.0, 1.5 + 1e-6, 0.5}, 0, 10), std::nullopt);
}

TEST(ScorerSearch, PagesEqualXapiansOwnRanking) {
  // With facets the Searcher ranks through the candidates (and takes a page made of them as it
  // is); without, Xapian ranks every match.
  Searcher& s = test::searcher();
  std::size_t compared = 0;
  for (const char* text : kQueries) {
    for (std::size_t offset : {0u, 3u}) {
      SearchRequest with;
      with.query = text;
      with.limit = 4;
      with.offset = offset;
      with.snippet_bytes = 0;
      SearchRequest without = with;
      without.facets = false;
      const SearchResult a = s.search(with);
      const SearchResult b = s.search(without);
      ASSERT_EQ(a.hits.size(), b.hits.size()) << text << " offset " << offset;
      EXPECT_EQ(a.total, b.total) << text;
      for (std::size_t i = 0; i < a.hits.size(); ++i) {
        EXPECT_EQ(a.hits[i].id, b.hits[i].id) << text << " offset " << offset << " #" << i;
        // The same weights, up to the order of summation: a page that is exactly the scorer's
        // candidates keeps the scorer's sums (Xapian adds them in its own order).
        EXPECT_NEAR(a.hits[i].score, b.hits[i].score, 1e-12 * std::max(1.0, b.hits[i].score)) << text << " #" << i;
        ++compared;
      }
    }
  }
  EXPECT_GT(compared, 100u);
}

}  // namespace
}  // namespace referat::searcher
