// The shared end-to-end fixture of the searcher tests: corpus/ indexed once per test process
// (indexer::index_paths into a temporary folder) and the same files parsed into Items for the
// brute-force reference matcher (STYLE practice 14).
#pragma once

#include <set>
#include <string>
#include <vector>

#include "indexer/meeting.h"
#include "searcher/searcher.h"
#include "stemmers/analyzer.h"

namespace referat::searcher::test {

/// One parsed item with what the reference matcher needs.
struct RefItem {
  std::string id;
  std::string file;             ///< corpus file name
  const indexer::Meeting* meeting = nullptr;
  const indexer::Item* item = nullptr;
  std::string text;             ///< title + every section, joined by "\n\n"
  std::set<std::string> words;  ///< every analysed token text of `text` (all kinds, Index mode)
  std::set<std::string> committees;  ///< meeting + deciding committees
  std::set<std::string> outcomes;
  std::string year, kle, category;
};

struct Corpus {
  std::string db_path;
  std::string sharded_path;  ///< "shard-a,shard-b": the same items in two databases
  std::vector<indexer::Meeting> meetings;
  std::vector<RefItem> items;
  const RefItem* find(const std::string& id) const;
};

/// Built on first use; the index is cached per test binary under the temp directory.
const Corpus& corpus();

/// A Searcher over the corpus index (one per test process).
Searcher& searcher();

/// One Analyzer for tests (Mode::Query look-ups).
stemmers::Analyzer& analyzer();

/// Ids of every match (SearchRequest::all, no facets or snippets).
std::set<std::string> match_ids(const std::string& query, SearchRequest request = {});

std::string source_dir();

}  // namespace referat::searcher::test
