// The hit cache: what a page of hits needs from each item's stored document data, parsed once and
// kept per Searcher (as Solr's documentCache keeps stored fields). Reading the data costs a zlib
// inflate and a JSON parse of the whole item, section texts included: about 16% of the server's
// CPU at 64 connections on 100k items before this cache. Internal to the searcher. Tests:
// tests/searcher/hit_cache_test.cc.
#pragma once

#include <cstddef>
#include <list>
#include <memory>
#include <unordered_map>
#include <utility>
#include <vector>

#include <xapian.h>

#include "searcher/searcher.h"
#include "searcher/snippets.h"

namespace referat::searcher {

/// One item's stored fields as the hit loop uses them: the Hit with the fields read from the
/// document data (rank, score, snippet and explanation are per query and left empty) and the
/// texts a snippet is chosen from (the title first, then every section).
struct HitData {
  Hit hit;
  std::vector<SnippetSource> sources;

  /// Roughly the memory held: the strings' sizes plus the objects themselves.
  std::size_t memory_bytes() const;
};

/// A least-recently-used cache of HitData by docid, bounded by bytes (HitData::memory_bytes plus
/// a fixed cost per entry for the list and map nodes). Entries are immutable and shared, so a
/// found entry stays valid while the caller holds it, even if it is evicted meanwhile.
///
/// Contract: a cache describes ONE state of ONE database (docids of another revision, or of a
/// replaced database, may name other items): its owner clears it whenever that state changes.
/// Not thread-safe.
class HitCache {
 public:
  using Ptr = std::shared_ptr<const HitData>;

  /// Holds at most `max_bytes`; 0 keeps nothing.
  explicit HitCache(std::size_t max_bytes) : max_bytes_(max_bytes) {}

  /// The entry for `did` (now the most recently used one), or null.
  Ptr find(Xapian::docid did);

  /// Keeps `data` for `did` as the most recently used entry, evicting the least recently used
  /// ones beyond the budget. An entry larger than the whole budget is not kept; one already
  /// present for `did` is replaced.
  void insert(Xapian::docid did, Ptr data);

  void clear();

  std::size_t size() const { return index_.size(); }
  std::size_t bytes() const { return bytes_; }

 private:
  struct Entry {
    Xapian::docid did;
    Ptr data;
    std::size_t bytes;
  };
  void erase(std::list<Entry>::iterator it);

  std::size_t max_bytes_;
  std::size_t bytes_ = 0;
  std::list<Entry> lru_;  ///< most recently used first
  std::unordered_map<Xapian::docid, std::list<Entry>::iterator> index_;
};

}  // namespace referat::searcher
