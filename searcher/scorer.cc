// BM25 on document sets. Tests: tests/searcher/scorer_test.cc (scores equal to Xapian's weights,
// and the same pages as Xapian's ranking, for every query shape the query builder makes).
#include "searcher/scorer.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string_view>

#include "searcher/field_phrase.h"
#include "searcher/ranking.h"

namespace referat::searcher {

using Q = Xapian::Query;

namespace {

// The formula below is Xapian 1.4's BM25Weight (weight/bm25weight.cc) for k2 = 0; its
// get_sumextra() is then 0.
static_assert(ranking::kBm25K2 == 0, "SetScorer implements BM25 without the k2 (query length) part");

/// How far a sum here may be from Xapian's, which adds the same terms in another order: far
/// above rounding (relative 1e-9), for the candidates' cut and for telling close scores apart.
double rounding_margin(double score) { return 1e-9 * std::max(1.0, std::fabs(score)); }

/// The factor of an OP_SCALE_WEIGHT query. Xapian 1.4 has no accessor for it, but its
/// description prints it first with 20 significant digits ("Query(0.4500000000000000111 * ..."),
/// which reads back as the same double. nullopt when the description is not of that form (then
/// supports() leaves the query to Xapian rather than weigh it wrongly).
std::optional<double> scale_factor(const Q& q) {
  const std::string d = q.get_description();
  constexpr std::string_view kStart = "Query(";
  if (d.compare(0, kStart.size(), kStart) != 0) return std::nullopt;
  const char* begin = d.c_str() + kStart.size();
  char* end = nullptr;
  const double f = std::strtod(begin, &end);
  if (end == begin || std::string_view(end).substr(0, 3) != " * " || !std::isfinite(f)) return std::nullopt;
  return f;
}

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
// Debian's x86-64 baseline has no POPCNT instruction, so __builtin_popcountll is a library call
// there; the hot loop gets a POPCNT version, picked at load time when the CPU has it.
#define REFERAT_POPCNT_CLONES __attribute__((target_clones("popcnt", "default")))
#else
#define REFERAT_POPCNT_CLONES
#endif

/// BM25Weight::get_sumpart(wdf, doclength) for a term weight `tw` (termweight()) and a document's
/// length part (load_lengths()), in Xapian's order of operations.
inline double sumpart(double tw, Xapian::termcount wdf, double length_part) {
  const double wdf_double = wdf;
  return tw * (wdf_double / (length_part + wdf_double));
}

/// out[d] += sumpart(tw, wdf, length_part[d]) for each document d in both `term` and `mask`
/// (bitsets of `nwords` words), where the wdf is wdf[i] for the document's index i among the
/// term's postings (its rank in `term`), or, when that is 255, the one in `large`.
REFERAT_POPCNT_CLONES
void add_common(const std::uint64_t* term, const std::uint64_t* mask, std::size_t nwords, const std::uint8_t* wdf,
                const std::vector<std::pair<std::uint32_t, Xapian::termcount>>& large, double tw,
                const double* length_part, double* out) {
  std::size_t rank = 0;
  for (std::size_t w = 0; w < nwords; ++w) {
    const std::uint64_t t = term[w];
    for (std::uint64_t m = t & mask[w]; m != 0; m &= m - 1) {
      const unsigned bit = static_cast<unsigned>(__builtin_ctzll(m));
      const std::size_t i = rank + static_cast<std::size_t>(__builtin_popcountll(t & ((std::uint64_t{1} << bit) - 1)));
      Xapian::termcount f = wdf[i];
      if (f == 255)
        f = std::lower_bound(large.begin(), large.end(), std::make_pair(static_cast<std::uint32_t>(i), Xapian::termcount{0}))
                ->second;
      const std::size_t d = w * 64 + bit;
      out[d] += sumpart(tw, f, length_part[d]);
    }
    rank += static_cast<std::size_t>(__builtin_popcountll(t));
  }
}

bool is_value_range(Q::op t) { return t == Q::OP_VALUE_RANGE || t == Q::OP_VALUE_GE || t == Q::OP_VALUE_LE; }

/// `q` with every PHRASE and NEAR replaced by the AND of its parts, AND_NOT by its first part
/// (relaxing what it excludes would exclude more) and SCALE_WEIGHT by its part (no effect on
/// matching): a superset of its matches. Other operators are kept as they are.
Q relaxed(const Q& q) {
  const std::size_t n = q.get_num_subqueries();
  std::vector<Q> subs;
  auto relax_all = [&] {
    for (std::size_t i = 0; i < n; ++i) subs.push_back(relaxed(q.get_subquery(i)));
  };
  switch (q.get_type()) {
    case Q::OP_PHRASE:
    case Q::OP_NEAR:
    case Q::OP_AND: relax_all(); return Q(Q::OP_AND, subs.begin(), subs.end());
    case Q::OP_OR:
    case Q::OP_AND_MAYBE:
    case Q::OP_FILTER: relax_all(); return Q(q.get_type(), subs.begin(), subs.end());
    case Q::OP_AND_NOT:
    case Q::OP_SCALE_WEIGHT: return relaxed(q.get_subquery(0));
    case Q::LEAF_POSTING_SOURCE: return FieldPhrase::is(q) ? Q(std::string()) : q;  // a filter on positions
    default: return q;
  }
}

}  // namespace

SetScorer::SetScorer(const Xapian::Database& db, BooleanMatcher& matcher)
    : db_(db), matcher_(matcher), size_(static_cast<std::size_t>(db.get_lastdocid()) + 1) {}

bool SetScorer::supports(const Q& q) {
  switch (q.get_type()) {
    case Q::LEAF_TERM: return !(*q.get_terms_begin()).empty();
    case Q::LEAF_MATCH_NOTHING:
    case Q::LEAF_MATCH_ALL:  // Xapian 1.4 never weighs it
      return true;
    case Q::OP_AND:
    case Q::OP_OR:
    case Q::OP_AND_MAYBE:
    case Q::OP_PHRASE:
    case Q::OP_NEAR:
      for (std::size_t i = 0; i < q.get_num_subqueries(); ++i)
        if (!supports(q.get_subquery(i))) return false;
      return true;
    case Q::OP_AND_NOT:  // the others only remove matches
    case Q::OP_FILTER:   // the others only filter
      return supports(q.get_subquery(0));
    case Q::OP_SCALE_WEIGHT: return scale_factor(q).has_value() && supports(q.get_subquery(0));
    default: return is_value_range(q.get_type());  // Xapian weighs a value range 0
  }
}

double SetScorer::termweight(Xapian::doccount termfreq, Xapian::termcount wqf, double factor) const {
  // BM25Weight::init(factor), without a relevance set.
  double tw = (db_.get_doccount() - termfreq + 0.5) / (termfreq + 0.5);
  if (tw < 2) tw = tw * 0.5 + 1;
  double w = std::log(tw) * factor;
  if (ranking::kBm25K3 != 0) {
    const double wqf_double = wqf;
    w *= (ranking::kBm25K3 + 1) * wqf_double / (ranking::kBm25K3 + wqf_double);
  }
  return w * (ranking::kBm25K1 + 1);
}

void SetScorer::load_lengths() {
  // BM25Weight::get_sumpart's denominator is k1 * (normlen * b + (1 - b)) + wdf, with
  // normlen = max(doclength / average length, min_normlen): all but the wdf per document.
  // Filled aside and kept only when complete (a Xapian error part-way must not leave zeros).
  std::vector<double> parts(size_, 0.0);
  const double average = db_.get_avlength();
  const double len_factor = average != 0 ? 1 / average : 0;
  for (auto it = db_.postlist_begin(std::string()); it != db_.postlist_end(std::string()); ++it) {
    const Xapian::termcount len = it.get_doclength();
    const double normlen = std::max(len * len_factor, ranking::kBm25MinNormlen);
    parts[*it] = ranking::kBm25K1 * (normlen * ranking::kBm25B + (1 - ranking::kBm25B));
  }
  length_part_ = std::move(parts);
}

std::optional<std::vector<Xapian::docid>> SetScorer::candidates(const Q& q, const DocSet& matches, std::size_t k,
                                                                Clock::time_point deadline, Scores* scores) {
  if (!prepare(q, matches, deadline)) return std::nullopt;
  // Contributions only ever go to members of `matches`; they are cleared on the way out (also
  // when a Xapian error interrupts), so both arrays are zero for the next call.
  struct Clear {
    SetScorer& s;
    const DocSet& m;
    bool done = false;
    ~Clear() {
      if (!done) m.for_each([&](Xapian::docid d) { s.score_[d] = s.bound_[d] = 0; });
    }
  } clear{*this, matches};
  within_ = false;
  eval(q, matches, 1.0, false);
  if (!exact_) return std::nullopt;
  if (scores) *scores = Scores{};
  if (k == 0) return std::vector<Xapian::docid>{};

  // The k-th best exact score: Xapian's k-th best score is at least this (no score is below its
  // exact part). A match whose upper bound is below it, by more than any rounding of a sum
  // taken in another order could make up, cannot be among Xapian's first k.
  std::vector<double> best;  // a min-heap of the k best exact scores so far
  best.reserve(k);
  std::size_t n = 0;
  matches.for_each([&](Xapian::docid d) {
    ++n;
    const double s = score_[d];
    if (best.size() < k) {
      best.push_back(s);
      std::push_heap(best.begin(), best.end(), std::greater<>());
    } else if (s > best.front()) {
      std::pop_heap(best.begin(), best.end(), std::greater<>());
      best.back() = s;
      std::push_heap(best.begin(), best.end(), std::greater<>());
    }
  });
  const double kth = n <= k ? -HUGE_VAL : best.front();  // fewer than k matches: all of them
  const double cut = kth - rounding_margin(kth);
  std::vector<Xapian::docid> out;
  matches.for_each([&](Xapian::docid d) {
    if (score_[d] + bound_[d] >= cut) {
      out.push_back(d);
      if (scores) {
        scores->exact.push_back(score_[d]);
        scores->bounded = scores->bounded || bound_[d] != 0;
      }
    }
    score_[d] = bound_[d] = 0;
  });
  clear.done = true;
  return out;
}

bool SetScorer::prepare(const Q& q, const DocSet& matches, Clock::time_point deadline) {
  if (!supports(q) || matches.words().size() != (size_ + 63) / 64 ||
      static_cast<std::size_t>(db_.get_lastdocid()) >= size_)
    return false;
  if (length_part_.empty()) load_lengths();
  if (score_.empty()) {
    score_.assign(size_, 0.0);
    bound_.assign(size_, 0.0);
  }
  exact_ = true;
  deadline_ = deadline;
  return true;
}

std::optional<std::vector<double>> SetScorer::scores(const Q& q, const std::vector<Xapian::docid>& docs,
                                                     Clock::time_point deadline) {
  DocSet mask(size_);
  for (Xapian::docid d : docs) {
    if (d >= size_) return std::nullopt;
    mask.add(d);
  }
  if (!prepare(q, mask, deadline)) return std::nullopt;
  struct Clear {  // as in candidates(): both arrays zero again, whatever happens
    SetScorer& s;
    const std::vector<Xapian::docid>& docs;
    ~Clear() {
      s.within_ = false;
      for (Xapian::docid d : docs) s.score_[d] = s.bound_[d] = 0;
    }
  } clear{*this, docs};
  within_ = true;
  eval(q, mask, 1.0, false);
  if (!exact_) return std::nullopt;
  std::vector<double> out;
  out.reserve(docs.size());
  for (Xapian::docid d : docs) out.push_back(score_[d]);
  return out;
}

void SetScorer::eval(const Q& q, const DocSet& mask, double factor, bool bound) {
  // `q` matches every document of `mask` (or, with `bound`, its relaxation does): its weight
  // there is the sum of its weighted parts' weights.
  switch (q.get_type()) {
    case Q::LEAF_TERM: add_term(*q.get_terms_begin(), q.get_length(), mask, factor, bound); return;
    case Q::OP_AND:
    case Q::OP_PHRASE:  // Xapian weighs a phrase as the AND of its parts
    case Q::OP_NEAR:
      for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) eval(q.get_subquery(i), mask, factor, bound);
      return;
    case Q::OP_OR:
      for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) eval_optional(q.get_subquery(i), mask, factor, bound);
      return;
    case Q::OP_AND_MAYBE:
      eval(q.get_subquery(0), mask, factor, bound);
      // The counting pass skipped the optional side, so its phrases' sets are unknown: bounded
      // (in candidates()), or checked on the mask (in scores()).
      for (std::size_t i = 1; i < q.get_num_subqueries(); ++i)
        eval_optional(q.get_subquery(i), mask, factor,
                      bound || (!within_ && BooleanMatcher::has_positions(q.get_subquery(i))));
      return;
    case Q::OP_AND_NOT:
    case Q::OP_FILTER: eval(q.get_subquery(0), mask, factor, bound); return;
    case Q::OP_SCALE_WEIGHT: {
      const double f = factor * *scale_factor(q);  // supports() checked it
      if (f != 0) eval(q.get_subquery(0), mask, f, bound);
      return;
    }
    default: return;  // match-all, match-nothing, value ranges: no weight (supports() admitted nothing else)
  }
}

void SetScorer::eval_optional(const Q& q, const DocSet& mask, double factor, bool bound) {
  // `q` matches some documents of `mask`: each weighted part counts where it matches.
  switch (q.get_type()) {
    case Q::LEAF_TERM: add_term(*q.get_terms_begin(), q.get_length(), mask, factor, bound); return;  // its postings
    case Q::OP_OR:
      for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) eval_optional(q.get_subquery(i), mask, factor, bound);
      return;
    case Q::OP_SCALE_WEIGHT: {
      const double f = factor * *scale_factor(q);
      if (f != 0) eval_optional(q.get_subquery(0), mask, f, bound);
      return;
    }
    case Q::LEAF_MATCH_NOTHING: return;
    default: {
      if (is_value_range(q.get_type())) return;
      // With `bound`, positional parts count wherever all their parts match (at least as much
      // as where they match with positions): an upper bound. In scores(), Xapian checks them
      // on the mask's documents only.
      DocSet where = within_ && BooleanMatcher::has_positions(q) ? matcher_.match_within(q, mask, deadline_, &exact_)
                                                                 : matcher_.match(bound ? relaxed(q) : q, deadline_, &exact_);
      where &= mask;
      eval(q, where, factor, bound);
    }
  }
}

void SetScorer::add_term(const std::string& term, Xapian::termcount wqf, const DocSet& mask, double factor,
                         bool bound) {
  const Xapian::doccount tf = db_.get_termfreq(term);
  if (tf == 0) return;
  const double tw = termweight(tf, wqf, factor);
  std::vector<double>& out = bound ? bound_ : score_;
  if (tf < matcher_.min_cached()) {  // a few postings: read them again
    for (auto it = db_.postlist_begin(term); it != db_.postlist_end(term); ++it)
      if (mask.contains(*it)) out[*it] += sumpart(tw, it.get_wdf(), length_part_[*it]);
    return;
  }
  const std::shared_ptr<const TermPostings> p = matcher_.postings(term);
  if (p->wdf.empty()) return;  // every wdf is 0 (a boolean term): no weight
  add_common(p->set.words().data(), mask.words().data(), mask.words().size(), p->wdf.data(), p->large, tw,
             length_part_.data(), out.data());
}

std::optional<std::vector<std::pair<Xapian::docid, double>>> page_by_score(const std::vector<Xapian::docid>& docids,
                                                                            const std::vector<double>& scores,
                                                                            std::size_t first, std::size_t count) {
  std::vector<std::pair<Xapian::docid, double>> all;
  all.reserve(docids.size());
  for (std::size_t i = 0; i < docids.size(); ++i) all.emplace_back(docids[i], scores[i]);
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  for (std::size_t i = 1; i < all.size(); ++i)
    if (all[i - 1].second - all[i].second <= rounding_margin(all[i - 1].second)) return std::nullopt;
  if (first >= all.size()) return std::vector<std::pair<Xapian::docid, double>>{};
  all.erase(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(first));
  if (all.size() > count) all.resize(count);
  return all;
}

}  // namespace referat::searcher
