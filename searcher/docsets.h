// Boolean matching over document sets, for the counting pass (total and facets) of a search.
// Internal to the searcher (includes Xapian).
//
// Why: the counting pass must visit every match, and Xapian's matcher is built for ranking: even
// with BoolWeight it walks an OR tree of iterators per document (on 100k items, 8 ms mean for the
// bench_search queries, 37 % of the items matching on average). Here a query's boolean structure
// is evaluated on bitsets instead, and the sets of frequent terms (and of subqueries only Xapian
// can evaluate, such as value ranges) are kept in an LRU cache for the database revision, the way
// Lucene's query cache keeps filter bitsets: words recur across users' queries, so most of a
// query's postings are then never decoded again.
#pragma once
#include <chrono>
#include <cstdint>
#include <iterator>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include <xapian.h>

namespace referat::searcher {

/// A set of docids of one database, as a bitset over [0, size).
class DocSet {
 public:
  explicit DocSet(std::size_t size = 0) : bits_((size + 63) / 64, 0) {}
  void add(Xapian::docid d) { bits_[d >> 6] |= std::uint64_t{1} << (d & 63); }
  bool contains(Xapian::docid d) const { return d >> 6 < bits_.size() && (bits_[d >> 6] >> (d & 63) & 1) != 0; }
  DocSet& operator|=(const DocSet& o);
  DocSet& operator&=(const DocSet& o);
  DocSet& operator^=(const DocSet& o);
  DocSet& subtract(const DocSet& o);
  std::size_t count() const;
  /// The members, ascending.
  std::vector<Xapian::docid> docids() const;
  std::size_t memory_bytes() const { return bits_.capacity() * sizeof(std::uint64_t); }
  /// The bitset's 64-bit words (bit d % 64 of word d / 64 is docid d).
  const std::vector<std::uint64_t>& words() const { return bits_; }

  /// Calls f(docid) for every member, in docid order.
  template <class F>
  void for_each(F&& f) const {
    for (std::size_t w = 0; w < bits_.size(); ++w)
      for (std::uint64_t b = bits_[w]; b != 0; b &= b - 1)
        f(static_cast<Xapian::docid>(w * 64 + static_cast<unsigned>(__builtin_ctzll(b))));
  }

 private:
  std::vector<std::uint64_t> bits_;
};

/// A map from keys to immutable, shared values, least recently used dropped first, bounded by the
/// values' memory_bytes() plus the keys' own size. A value found stays valid while the caller
/// holds it, even if it is dropped meanwhile. Not thread-safe.
template <class K, class V>
class ByteLru {
 public:
  using Ptr = std::shared_ptr<const V>;
  explicit ByteLru(std::size_t max_bytes) : max_bytes_(max_bytes) {}

  /// The value under `key` (now the most recently used), or nullptr.
  Ptr find(const K& key) {
    auto it = index_.find(key);
    if (it == index_.end()) return nullptr;
    lru_.splice(lru_.begin(), lru_, it->second);
    return it->second->value;
  }
  /// Keeps `value` under `key` (replacing what was there) as the most recently used, dropping
  /// the least recently used beyond the budget. A value alone above the budget is not kept.
  void insert(const K& key, Ptr value) {
    if (auto old = index_.find(key); old != index_.end()) erase(old->second);
    const std::size_t bytes = value->memory_bytes() + key_bytes(key);
    if (bytes > max_bytes_) return;
    lru_.push_front({key, std::move(value), bytes});
    index_[key] = lru_.begin();
    bytes_ += bytes;
    while (bytes_ > max_bytes_) erase(std::prev(lru_.end()));
  }
  void clear() {
    lru_.clear();
    index_.clear();
    bytes_ = 0;
  }
  std::size_t size() const { return index_.size(); }
  std::size_t bytes() const { return bytes_; }

 private:
  struct Entry {
    K key;
    Ptr value;
    std::size_t bytes;
  };
  static std::size_t key_bytes(const std::string& k) { return k.size(); }
  template <class T>
  static std::size_t key_bytes(const T&) { return sizeof(T); }
  void erase(typename std::list<Entry>::iterator it) {
    bytes_ -= it->bytes;
    index_.erase(it->key);
    lru_.erase(it);
  }

  std::size_t max_bytes_;
  std::size_t bytes_ = 0;
  std::list<Entry> lru_;  ///< most recently used first
  std::unordered_map<K, typename std::list<Entry>::iterator> index_;
};

/// A ByteLru under a mutex, for a cache shared by threads: its values are immutable once
/// inserted (shared_ptr<const V>), so a value found stays valid and unchanged after the lock.
template <class K, class V>
class SharedLru {
 public:
  using Ptr = typename ByteLru<K, V>::Ptr;
  explicit SharedLru(std::size_t max_bytes) : lru_(max_bytes) {}
  Ptr find(const K& key) {
    std::lock_guard lock(mutex_);
    return lru_.find(key);
  }
  void insert(const K& key, Ptr value) {
    std::lock_guard lock(mutex_);
    lru_.insert(key, std::move(value));
  }
  void clear() {
    std::lock_guard lock(mutex_);
    lru_.clear();
  }
  std::size_t bytes() {
    std::lock_guard lock(mutex_);
    return lru_.bytes();
  }

 private:
  std::mutex mutex_;
  ByteLru<K, V> lru_;
};

/// The documents of a term (or of a subquery) with, for a term, each posting's wdf in docid
/// order: what both the counting pass (the set) and the ranking pass's scorer (scorer.h: the
/// wdfs) need, so one read of a posting list serves both.
struct TermPostings {
  DocSet set;
  std::vector<std::uint8_t> wdf;  ///< per posting; 255: the wdf is in `large`. Empty: all are 0
  std::vector<std::pair<std::uint32_t, Xapian::termcount>> large;  ///< (posting index, wdf), ascending
  /// For a subquery checked on some documents only (BooleanMatcher::match_within): the
  /// documents checked and those of them that match, ascending (a few: lists, not bitsets, so
  /// that thousands of them do not push term postings out of the cache). `set` is then empty.
  std::vector<Xapian::docid> checked, matching;
  std::size_t memory_bytes() const {
    return set.memory_bytes() + wdf.capacity() + large.capacity() * sizeof(large[0]) +
           (checked.capacity() + matching.capacity()) * sizeof(Xapian::docid);
  }
};

/// A weightless query that matches exactly `ids` (ascending, unique docids of ONE database: a
/// PostingSource sees shard-local docids): restricts a query to known documents without reading
/// their term lists.
Xapian::Query docid_query(std::vector<Xapian::docid> ids);

/// The cache of term postings and subquery sets, which BooleanMatchers of several threads may
/// share: each keys its entries with a prefix that names its database state.
using PostingsCache = SharedLru<std::string, TermPostings>;

/// Finds the documents of ONE database (a shard; docids are its own) that match a query, exactly
/// as Xapian's matcher with BoolWeight would. Not thread-safe (one per thread, though several
/// may share a PostingsCache); describes the revision `db` has when constructed: make a new one
/// after a reopen that saw a commit (or a replaced database: match() throws std::logic_error
/// when the database has grown beyond it).
///
/// Evaluated here: terms, AND, OR, AND_NOT, XOR, FILTER, AND_MAYBE (its left side), SYNONYM, MAX,
/// SCALE_WEIGHT, match-all and match-nothing. Any other subquery (value ranges, wildcards,
/// phrases, posting sources ...) is matched by Xapian itself (BoolWeight, every match visited)
/// and its set cached; phrases are correct that way but slow, so callers keep positional queries
/// on Xapian's own path (has_positions()).
class BooleanMatcher {
 public:
  using Clock = std::chrono::steady_clock;

  /// `cache_bytes` bounds the memory of cached sets. Terms indexing at least `min_cached` items
  /// are cached (0: the default, 1/256 of the items and at least 64; tests use 1).
  BooleanMatcher(const Xapian::Database& db, std::size_t cache_bytes, Xapian::doccount min_cached = 0);
  /// As above, with entries kept in `cache` under keys that start with `state_key`: a string
  /// that names this database's state (revision and UUID) among all that share `cache`.
  BooleanMatcher(const Xapian::Database& db, std::shared_ptr<PostingsCache> cache, std::string state_key,
                 Xapian::doccount min_cached = 0);

  /// What match() keeps in the cache: every set it made, or only terms' sets (for one-off
  /// queries, such as the candidates of an autocompletion, whose phrase or wildcard sets
  /// would only push out the sets that searches reuse).
  enum class Keep { All, TermSets };

  /// The documents that match `q`. Subqueries matched by Xapian get the time left until
  /// `deadline` (Enquire::set_time_limit); one stopped by it, or not started because the
  /// deadline has passed, leaves a partial set: then `*exact` becomes false and nothing partial
  /// is cached. Throws Xapian errors (e.g. DatabaseModifiedError).
  DocSet match(const Xapian::Query& q, Clock::time_point deadline = Clock::time_point::max(), bool* exact = nullptr,
               Keep keep = Keep::All);

  /// The documents of `mask` that match `q`, as match() finds them, but matched by Xapian on the
  /// mask's documents only: for a positional query and a few documents (a re-ranking's
  /// candidates), where matching every document would be slow. What was checked is kept with
  /// the result, per query: a document checked once is not checked again (the next page of a
  /// search, or the same search again, has mostly the same candidates). Time limit and `exact`
  /// as in match().
  DocSet match_within(const Xapian::Query& q, const DocSet& mask, Clock::time_point deadline = Clock::time_point::max(),
                      bool* exact = nullptr);

  /// Whether matching `q` checks positions (a phrase, NEAR or FieldPhrase outside AND_MAYBE's
  /// optional side).
  static bool has_positions(const Xapian::Query& q);

  /// Memory held by the cache (with every matcher that shares it).
  std::size_t cached_bytes() const { return cache_->bytes(); }

  /// The postings of `term` with their wdfs, from the cache (read and kept when absent) for a
  /// term indexing at least min_cached() documents; read afresh and not kept otherwise. ""
  /// is every document (its set only, always kept).
  std::shared_ptr<const TermPostings> postings(const std::string& term);

  /// Terms indexing at least this many documents have their sets cached.
  Xapian::doccount min_cached() const { return min_cached_; }

 private:
  using SetPtr = std::shared_ptr<const TermPostings>;
  void check_size() const;  // throws std::logic_error once the database outgrew the sets
  DocSet eval(const Xapian::Query& q);
  void add_into(const Xapian::Query& q, DocSet& acc);  // acc |= eval(q)
  SetPtr xapian_set(const Xapian::Query& q);

  Xapian::Database db_;
  std::size_t size_;           ///< one past the last docid
  Xapian::doccount min_cached_;  ///< terms indexing fewer documents are cheap to read again
  Clock::time_point deadline_;  ///< of the current match()
  bool exact_ = true;      ///< of the current match()
  Keep keep_ = Keep::All;  ///< of the current match()
  /// key_ + "T" + term, key_ + "Q" + serialised subquery (no wdfs), key_ + "W" + serialised
  /// subquery (match_within: with the documents checked)
  std::shared_ptr<PostingsCache> cache_;
  std::string key_;  ///< names the state of db_ in cache_
  Xapian::rev revision_;  ///< of db_ when constructed: nothing is kept in cache_ once it moved on
};

}  // namespace referat::searcher
