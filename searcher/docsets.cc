// Boolean matching over document sets. Tests: tests/searcher/docsets_test.cc (the same matches
// as Xapian's matcher for every query shape the query builder makes, on the bundled corpus).
#include "searcher/docsets.h"

#include <algorithm>
#include <iterator>
#include <stdexcept>

#include "searcher/field_phrase.h"

namespace referat::searcher {

using Q = Xapian::Query;

DocSet& DocSet::operator|=(const DocSet& o) {
  for (std::size_t i = 0; i < bits_.size(); ++i) bits_[i] |= o.bits_[i];
  return *this;
}

DocSet& DocSet::operator&=(const DocSet& o) {
  for (std::size_t i = 0; i < bits_.size(); ++i) bits_[i] &= o.bits_[i];
  return *this;
}

DocSet& DocSet::operator^=(const DocSet& o) {
  for (std::size_t i = 0; i < bits_.size(); ++i) bits_[i] ^= o.bits_[i];
  return *this;
}

DocSet& DocSet::subtract(const DocSet& o) {
  for (std::size_t i = 0; i < bits_.size(); ++i) bits_[i] &= ~o.bits_[i];
  return *this;
}

std::size_t DocSet::count() const {
  std::size_t n = 0;
  for (std::uint64_t w : bits_) n += static_cast<std::size_t>(__builtin_popcountll(w));
  return n;
}

std::vector<Xapian::docid> DocSet::docids() const {
  std::vector<Xapian::docid> out;
  out.reserve(count());
  for_each([&](Xapian::docid d) { out.push_back(d); });
  return out;
}

namespace {

/// Matches the given docids, with weight 0 (docid_query).
class DocidSource : public Xapian::PostingSource {
 public:
  explicit DocidSource(std::vector<Xapian::docid> ids) : ids_(std::move(ids)) {}
  Xapian::doccount get_termfreq_min() const override { return static_cast<Xapian::doccount>(ids_.size()); }
  Xapian::doccount get_termfreq_est() const override { return static_cast<Xapian::doccount>(ids_.size()); }
  Xapian::doccount get_termfreq_max() const override { return static_cast<Xapian::doccount>(ids_.size()); }
  void init(const Xapian::Database&) override { at_ = kBeforeStart; }
  void next(double) override { at_ = at_ == kBeforeStart ? 0 : at_ + 1; }
  void skip_to(Xapian::docid did, double) override {
    std::size_t from = at_ == kBeforeStart ? 0 : at_;
    at_ = static_cast<std::size_t>(std::lower_bound(ids_.begin() + from, ids_.end(), did) - ids_.begin());
  }
  bool at_end() const override { return at_ != kBeforeStart && at_ >= ids_.size(); }
  Xapian::docid get_docid() const override { return ids_[at_]; }
  Xapian::PostingSource* clone() const override { return new DocidSource(ids_); }
  std::string name() const override { return "referat::DocidSource"; }

 private:
  static constexpr std::size_t kBeforeStart = static_cast<std::size_t>(-1);
  std::vector<Xapian::docid> ids_;
  std::size_t at_ = kBeforeStart;
};

/// Adds every match Xapian shows it to a DocSet.
class SetSpy : public Xapian::MatchSpy {
 public:
  explicit SetSpy(DocSet& out) : out_(out) {}
  void operator()(const Xapian::Document& doc, double) override { out_.add(doc.get_docid()); }

 private:
  DocSet& out_;
};

/// Gives `e` the time left until `deadline` (none: no limit); false when none is left.
bool limit_time(Xapian::Enquire& e, BooleanMatcher::Clock::time_point deadline) {
  if (deadline == BooleanMatcher::Clock::time_point::max()) return true;
  const double left = std::chrono::duration<double>(deadline - BooleanMatcher::Clock::now()).count();
  if (left <= 0) return false;
  e.set_time_limit(left);
  return true;
}

/// `a` and `b` (each ascending, disjoint) as one ascending list.
std::vector<Xapian::docid> merged(const std::vector<Xapian::docid>& a, const std::vector<Xapian::docid>& b) {
  std::vector<Xapian::docid> out;
  out.reserve(a.size() + b.size());
  std::merge(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

}  // namespace

Xapian::Query docid_query(std::vector<Xapian::docid> ids) {
  return Xapian::Query((new DocidSource(std::move(ids)))->release());  // the query owns it
}

BooleanMatcher::BooleanMatcher(const Xapian::Database& db, std::size_t cache_bytes, Xapian::doccount min_cached)
    : BooleanMatcher(db, std::make_shared<PostingsCache>(cache_bytes), std::string(), min_cached) {}

BooleanMatcher::BooleanMatcher(const Xapian::Database& db, std::shared_ptr<PostingsCache> cache,
                               std::string state_key, Xapian::doccount min_cached)
    : db_(db),
      size_(static_cast<std::size_t>(db.get_lastdocid()) + 1),
      // Reading the posting list of a term rarer than this costs microseconds (~20 ns a
      // posting): not worth a bitset of size_ bits in the cache.
      min_cached_(min_cached > 0 ? min_cached : std::max<Xapian::doccount>(64, db.get_doccount() / 256)),
      cache_(std::move(cache)),
      key_(std::move(state_key)),
      revision_(db.get_revision()) {}

bool BooleanMatcher::has_positions(const Q& q) {
  switch (q.get_type()) {
    case Q::OP_PHRASE:
    case Q::OP_NEAR: return true;
    case Q::LEAF_POSTING_SOURCE: return FieldPhrase::is(q);
    case Q::OP_AND_MAYBE: return has_positions(q.get_subquery(0));  // the rest only adds weight
    default:
      for (std::size_t i = 0; i < q.get_num_subqueries(); ++i)
        if (has_positions(q.get_subquery(i))) return true;
      return false;
  }
}

void BooleanMatcher::check_size() const {
  // DocSet::add does not check bounds: a database that grew (or was replaced by another with
  // the same revision) needs a new matcher, and silently wrong sets would be worse than an error.
  if (static_cast<std::size_t>(db_.get_lastdocid()) >= size_)
    throw std::logic_error("document sets made for docids below " + std::to_string(size_) + ", the database has " +
                           std::to_string(db_.get_lastdocid()));
}

DocSet BooleanMatcher::match(const Q& q, Clock::time_point deadline, bool* exact, Keep keep) {
  check_size();
  deadline_ = deadline;
  exact_ = true;
  keep_ = keep;
  DocSet out = eval(q);
  if (exact && !exact_) *exact = false;
  return out;
}

DocSet BooleanMatcher::match_within(const Q& q, const DocSet& mask, Clock::time_point deadline, bool* exact) {
  check_size();
  if (mask.words().size() != (size_ + 63) / 64) throw std::logic_error("match_within: a mask of another database size");
  std::string key;
  try {
    key = key_ + "W" + q.serialise();
  } catch (const Xapian::Error&) {
    // not serialisable (a PostingSource without serialise()): checked every time
  }
  const SetPtr known = key.empty() ? nullptr : cache_->find(key);
  std::vector<Xapian::docid> ids;  // the mask's documents not checked before
  mask.for_each([&](Xapian::docid d) {
    if (!known || !std::binary_search(known->checked.begin(), known->checked.end(), d)) ids.push_back(d);
  });
  DocSet found(size_);
  std::vector<Xapian::docid> matching;
  if (!ids.empty()) {
    Xapian::Enquire e(db_);
    const auto n = static_cast<Xapian::doccount>(ids.size());
    e.set_query(Q(Q::OP_FILTER, q, docid_query(ids)));  // the docids drive the AND: few postings read
    e.set_weighting_scheme(Xapian::BoolWeight());
    bool complete = limit_time(e, deadline);  // false: out of time, not matched at all
    if (complete) {
      Xapian::MSet m = e.get_mset(0, n, n);
      for (auto it = m.begin(); it != m.end(); ++it) {
        found.add(*it);
        matching.push_back(*it);
      }
      // Cut short by the time limit, unless every match is in the MSet and the bounds agree.
      complete = m.get_matches_lower_bound() == m.get_matches_upper_bound() && m.size() == m.get_matches_lower_bound();
    }
    if (!complete) {
      if (exact) *exact = false;  // and nothing partial is kept
    } else if (!key.empty() && db_.get_revision() == revision_) {
      std::sort(matching.begin(), matching.end());
      auto entry = std::make_shared<TermPostings>();
      entry->checked = known ? merged(known->checked, ids) : ids;
      entry->matching = known ? merged(known->matching, matching) : std::move(matching);
      cache_->insert(key, std::move(entry));
    }
  }
  if (known)
    for (Xapian::docid d : known->matching)
      if (mask.contains(d)) found.add(d);
  return found;
}

DocSet BooleanMatcher::eval(const Q& q) {
  const std::size_t n = q.get_num_subqueries();
  switch (q.get_type()) {
    case Q::LEAF_TERM: return postings(*q.get_terms_begin())->set;
    case Q::LEAF_MATCH_ALL: return postings(std::string())->set;  // "" is every document
    case Q::LEAF_MATCH_NOTHING: return DocSet(size_);
    case Q::OP_OR:
    case Q::OP_SYNONYM:
    case Q::OP_MAX: {
      DocSet acc(size_);
      add_into(q, acc);
      return acc;
    }
    case Q::OP_AND:
    case Q::OP_FILTER: {
      DocSet acc = eval(q.get_subquery(0));
      for (std::size_t i = 1; i < n; ++i) acc &= eval(q.get_subquery(i));
      return acc;
    }
    case Q::OP_AND_NOT: {
      // Xapian: the first subquery, less any of the others.
      DocSet acc = eval(q.get_subquery(0));
      DocSet rest(size_);
      for (std::size_t i = 1; i < n; ++i) add_into(q.get_subquery(i), rest);
      return acc.subtract(rest);
    }
    case Q::OP_XOR: {
      DocSet acc = eval(q.get_subquery(0));
      for (std::size_t i = 1; i < n; ++i) acc ^= eval(q.get_subquery(i));
      return acc;
    }
    case Q::OP_AND_MAYBE:     // the optional side only adds weight
    case Q::OP_SCALE_WEIGHT:  // weight only
      return eval(q.get_subquery(0));
    default: return xapian_set(q)->set;
  }
}

void BooleanMatcher::add_into(const Q& q, DocSet& acc) {
  switch (q.get_type()) {
    case Q::OP_OR:
    case Q::OP_SYNONYM:
    case Q::OP_MAX:
      for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) add_into(q.get_subquery(i), acc);
      return;
    case Q::OP_SCALE_WEIGHT: add_into(q.get_subquery(0), acc); return;
    case Q::LEAF_TERM: {
      const std::string term = *q.get_terms_begin();
      if (db_.get_termfreq(term) >= min_cached_) {
        acc |= postings(term)->set;
      } else {
        for (auto it = db_.postlist_begin(term); it != db_.postlist_end(term); ++it) acc.add(*it);
      }
      return;
    }
    case Q::LEAF_MATCH_NOTHING: return;
    default: acc |= eval(q);
  }
}

std::shared_ptr<const TermPostings> BooleanMatcher::postings(const std::string& term) {
  // The wdfs are read with the set: the scorer of the ranking pass needs them next (one more
  // virtual call per posting; dropped again for boolean terms, whose wdfs are all 0).
  const std::string key = key_ + "T" + term;
  if (SetPtr hit = cache_->find(key)) return hit;
  auto p = std::make_shared<TermPostings>();
  p->set = DocSet(size_);
  bool weighted = false;
  const bool all_documents = term.empty();  // its "wdf" is no term's
  for (auto it = db_.postlist_begin(term); it != db_.postlist_end(term); ++it) {
    p->set.add(*it);
    if (all_documents) continue;
    const Xapian::termcount wdf = it.get_wdf();
    weighted = weighted || wdf != 0;
    if (wdf >= 255) p->large.emplace_back(static_cast<std::uint32_t>(p->wdf.size()), wdf);
    p->wdf.push_back(static_cast<std::uint8_t>(std::min<Xapian::termcount>(wdf, 255)));
  }
  if (!weighted) std::vector<std::uint8_t>().swap(p->wdf);
  // Not kept once db_ has moved to another revision (a failed reopen can leave a matcher
  // behind): other Searchers share the cache under this state's key.
  if ((term.empty() || db_.get_termfreq(term) >= min_cached_) && db_.get_revision() == revision_)
    cache_->insert(key, p);
  return p;
}

BooleanMatcher::SetPtr BooleanMatcher::xapian_set(const Q& q) {
  std::string key;
  try {
    key = key_ + "Q" + q.serialise();
  } catch (const Xapian::Error&) {
    // e.g. a PostingSource without serialise(): matched every time
  }
  if (!key.empty())
    if (SetPtr hit = cache_->find(key)) return hit;
  auto entry = std::make_shared<TermPostings>();
  entry->set = DocSet(size_);
  DocSet* set = &entry->set;
  Xapian::Enquire e(db_);
  e.set_query(q);
  e.set_weighting_scheme(Xapian::BoolWeight());
  SetSpy spy(*set);
  e.add_matchspy(&spy);
  if (!limit_time(e, deadline_)) {
    exact_ = false;  // out of time: not matched at all
    return entry;
  }
  Xapian::MSet m = e.get_mset(0, 0, db_.get_doccount());  // every match visited, unless timed out
  // Complete only if the spy saw every match: a match set cut short by the time limit can still
  // report equal bounds (from the posting lists' exact term frequencies, e.g. one term).
  if (m.get_matches_lower_bound() != m.get_matches_upper_bound() || set->count() != m.get_matches_lower_bound()) {
    exact_ = false;  // a partial set, not to be cached
    return entry;
  }
  if (!key.empty() && keep_ == Keep::All && db_.get_revision() == revision_) cache_->insert(key, entry);
  return entry;
}

}  // namespace referat::searcher
