// The hit cache: what a page of hits needs from each item's stored document data, parsed once and
// kept (as Solr's documentCache keeps stored fields) in a SearchCache (searcher.h) that the
// Searchers of a process may share. Reading the data costs a zlib inflate and a JSON parse of the
// whole item, section texts included: about 16% of the server's CPU at 64 connections on 100k
// items before this cache. Internal to the searcher. Tests: tests/searcher/hit_cache_test.cc.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include <xapian.h>

#include "searcher/docsets.h"
#include "searcher/searcher.h"
#include "searcher/snippets.h"

namespace referat::searcher {

/// One item's stored fields as the hit loop uses them: the Hit with the fields read from the
/// document data (rank, score, snippet and explanation are per query and left empty) and the
/// texts a snippet is chosen from (the title first, then every section).
struct HitData {
  Hit hit;
  std::vector<SnippetSource> sources;

  /// Roughly the memory held: the strings' sizes plus the objects themselves, and a fixed cost
  /// for the cache's list and map nodes.
  std::size_t memory_bytes() const;
};

/// A least-recently-used cache of HitData by docid, bounded by bytes (HitData::memory_bytes):
/// the single-threaded form, for one database state (tests use it to check the budget and the
/// eviction order). The Searchers use SearchCache::Impl::hits below: the same LRU under a mutex,
/// keyed by (state, docid).
using HitCache = ByteLru<Xapian::docid, HitData>;

/// The shared form: HitData by (database state, docid) and term postings by state and term.
/// A state is named by a string that identifies one committed state of the database(s) a
/// Searcher reads (UUID, revision and last docid); state() turns it into a small number for the
/// keys. Entries of states no Searcher reads any more are never found again and age out.
struct SearchCache::Impl {
  Impl(std::size_t hit_bytes, std::size_t postings_bytes)
      : hits(hit_bytes), postings(std::make_shared<PostingsCache>(postings_bytes)) {}

  /// The number of the state named `name`, the same for every Searcher that asks.
  std::uint32_t state(const std::string& name);
  static std::uint64_t key(std::uint32_t state, Xapian::docid did) {
    static_assert(sizeof(Xapian::docid) == 4, "keys hold a 32-bit docid");
    return std::uint64_t{state} << 32 | did;
  }

  SharedLru<std::uint64_t, HitData> hits;  ///< by key(state, docid)
  std::shared_ptr<PostingsCache> postings;  ///< for BooleanMatchers, keyed by "<state>:..."

 private:
  std::mutex mutex_;
  std::unordered_map<std::string, std::uint32_t> states_;
  std::uint32_t next_state_ = 0;
};

}  // namespace referat::searcher
