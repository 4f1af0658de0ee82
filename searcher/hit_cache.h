// The hit cache: what a page of hits needs from each item's stored document data, parsed once and
// kept per Searcher (as Solr's documentCache keeps stored fields). Reading the data costs a zlib
// inflate and a JSON parse of the whole item, section texts included: about 16% of the server's
// CPU at 64 connections on 100k items before this cache. Internal to the searcher. Tests:
// tests/searcher/hit_cache_test.cc.
#pragma once

#include <cstddef>
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

/// A least-recently-used cache of HitData by docid, bounded by bytes (HitData::memory_bytes).
///
/// Contract: a cache describes ONE state of ONE database (docids of another revision, or of a
/// replaced database, may name other items): its owner clears it whenever that state changes.
/// Not thread-safe.
using HitCache = ByteLru<Xapian::docid, HitData>;

}  // namespace referat::searcher
