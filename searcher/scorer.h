// BM25 on document sets: picks the few documents that can be on a ranked page, so that Xapian's
// ranking pass weighs only those. Internal to the searcher (includes Xapian).
//
// Why: with the matches known from the counting pass (docsets.h), Xapian's ranking pass over
// every match was half of the server's CPU on 100k items (bench/serve_bench.sh): each typed word
// is an OR of ~3-6 variant terms, and a frequent word's variants index most items, so the matcher
// walks ~100,000 postings per word through an iterator tree and weighs each. Here the same BM25
// sums are added term by term into an array over the matches, from each frequent term's cached
// bitset and wdfs (the way PISA and Lucene's impacts keep what scoring needs next to the
// postings), and only the best few and everything that could tie with them go to Xapian, which
// then ranks them exactly as before. Xapian stays the authority on order and weights: the set
// of candidates provably contains Xapian's top k (see candidates()); only a page that is exactly
// the candidates, with every score exact and none within rounding of another, is taken with
// these sums (the Searcher's page_by_score).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <xapian.h>

#include "searcher/docsets.h"

namespace referat::searcher {

class SetScorer {
 public:
  using Clock = std::chrono::steady_clock;

  /// What candidates() found besides the docids: each candidate's exact score (the same order),
  /// and whether any of them may score more (an optional positional part, bounded only).
  struct Scores {
    std::vector<double> exact;
    bool bounded = false;
  };

  /// Scores documents of `db` (ONE database; docids are its own) with Xapian's BM25Weight
  /// formula and ranking::bm25()'s parameters. `matcher` (same database and revision) gives the
  /// sets of subqueries and the postings of frequent terms with their wdfs, from its cache. Not
  /// thread-safe; describes one revision, like the matcher.
  SetScorer(const Xapian::Database& db, BooleanMatcher& matcher);

  /// Whether every part of `q` that carries weight is one scored here exactly as Xapian weighs
  /// it: terms, AND, OR, AND_NOT, FILTER, AND_MAYBE, SCALE_WEIGHT, PHRASE, NEAR, and value
  /// ranges, match-all and match-nothing (weight 0). Not: wildcards and synonyms (Xapian weighs
  /// the expansion as one term), MAX, XOR, ELITE_SET and posting sources.
  static bool supports(const Xapian::Query& q);

  /// The documents among `matches` (exactly the matches of `q`, as BooleanMatcher::match gives
  /// them) that may be among the first `k` when Xapian ranks `q` with ranking::bm25(), ascending:
  /// every match whose score can reach the k-th best score, less a margin far above rounding.
  /// A match's score is exact here up to the order of summation, except for positional
  /// subqueries on an optional side (the exact-phrase boost, AND_MAYBE), which are bounded from
  /// above by the AND of their parts; so the k best by Xapian are always among the candidates.
  /// nullopt when `q` is not supported or a subquery set could not be made before `deadline`:
  /// then rank with Xapian alone. (The guarantee is against Xapian's ranking of all matches.
  /// Xapian 1.4.22 itself weighs some nested shapes differently once filtered, e.g.
  /// FILTER(AND_MAYBE(AND_MAYBE(a, b), PHRASE), x); the query builder makes none of them.)
  /// With `scores`, also the candidates' scores.
  std::optional<std::vector<Xapian::docid>> candidates(const Xapian::Query& q, const DocSet& matches, std::size_t k,
                                                       Clock::time_point deadline = Clock::time_point::max(),
                                                       Scores* scores = nullptr);

  /// The scores of `docs` (ascending, each a match of `q`) when Xapian ranks `q` with
  /// ranking::bm25(), in the same order, exact up to the order of summation: positional parts
  /// on an optional side (the proximity and exact-phrase boosts) are checked on these documents
  /// only, by Xapian with BoolWeight, and count where they match. For a few documents (a
  /// re-ranking's candidates) that is cheap where checking them on every match is not. nullopt
  /// when `q` is not supported or the checks could not finish before `deadline`.
  std::optional<std::vector<double>> scores(const Xapian::Query& q, const std::vector<Xapian::docid>& docs,
                                            Clock::time_point deadline = Clock::time_point::max());

 private:
  bool prepare(const Xapian::Query& q, const DocSet& matches, Clock::time_point deadline);
  void eval(const Xapian::Query& q, const DocSet& mask, double factor, bool bound);
  void eval_optional(const Xapian::Query& q, const DocSet& mask, double factor, bool bound);
  void add_term(const std::string& term, Xapian::termcount wqf, const DocSet& mask, double factor, bool bound);
  double termweight(Xapian::doccount termfreq, Xapian::termcount wqf, double factor) const;
  void load_lengths();

  Xapian::Database db_;
  BooleanMatcher& matcher_;
  std::size_t size_;                ///< one past the last docid
  std::vector<double> length_part_;  ///< per docid: k1 * (normlen * b + (1 - b)), BM25's denominator less wdf
  std::vector<double> score_;        ///< per docid: the exact part of the current candidates() or scores() call
  std::vector<double> bound_;        ///< per docid: what optional positional parts may add
  bool exact_ = true;                ///< of the current candidates() or scores() call
  bool within_ = false;              ///< in scores(): optional positional parts checked on the mask
  Clock::time_point deadline_;
};

/// The page [first, first + count) of `docids` ranked by `scores` (descending), ties by docid,
/// as Xapian ranks by weight; nullopt when two scores are so close (ties included) that Xapian's
/// sums, taken in another order, might rank them the other way round.
std::optional<std::vector<std::pair<Xapian::docid, double>>> page_by_score(const std::vector<Xapian::docid>& docids,
                                                                            const std::vector<double>& scores,
                                                                            std::size_t first, std::size_t count);

}  // namespace referat::searcher
