// IndexWriter: parsed minutes -> Xapian database, incremental and atomic per source file.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "indexer/minutes_parser.h"

namespace referat::indexer {

struct IndexOptions {
  std::string db_path;                       ///< created when missing
  MeetingOverrides overrides;                ///< --committee / --date
  bool prune = false;                        ///< delete items of files that no longer exist
  unsigned jobs = 0;                         ///< parse/analyse threads; 0 = hardware concurrency
  bool progress = false;                     ///< draw a progress bar on stderr
  std::size_t flush_bytes = 16u << 20;       ///< commit a batch when it holds about this much text
  std::string synonyms_file;                 ///< optional user synonym file (see README)
  /// After indexing, rewrite the database compactly (Xapian compact: full B-tree blocks; an index
  /// built by many commits shrinks by about a third). The copy is swapped in like a sharded
  /// build's (see `shards`), under the write lock; a reader must reopen to see it. A target
  /// that cannot be exchanged (see `shards`) is not compacted (a warning says so).
  bool compact = false;
  /// With jobs > 1 and a target holding no item and no file record (a first run), every job
  /// parses, analyses and writes its share of the files into its own temporary database
  /// ("<db>.shard-N.tmp"), and the shards are merged into the target by one Xapian compact (so
  /// the result is compact whatever `compact` says). The content equals the single writer's;
  /// docids follow file order (an item id already taken in an earlier shard may leave a gap). An
  /// interrupted run leaves the target empty; the next run removes the shards and starts again.
  /// The merged database replaces the target folder by one atomic exchange (renameat2) while
  /// this run still holds the write lock, at the folder's real location (a symlink to it stays).
  /// A target that is a mount point or a Xapian stub file, or whose parent folder is not
  /// writable, cannot be exchanged: it gets the single writer.
  /// false: always one writer thread, committing whole files as it goes.
  bool shards = true;
};

struct IndexSummary {
  std::size_t files_indexed = 0;
  std::size_t files_unchanged = 0;
  std::size_t files_rejected = 0;
  std::size_t items_added = 0;
  std::size_t items_replaced = 0;
  std::size_t items_deleted = 0;
  /// Items not indexed because another file that still exists holds their id (the same
  /// committee, date and item number): the first file keeps it, each such item gets an error
  /// diagnostic, and its file is read again on every run until the clash is gone.
  std::size_t items_conflicting = 0;
  unsigned shards = 0;                       ///< shards a first build was written in (0: one writer)
  std::vector<Diagnostic> diagnostics;       ///< every warning and rejection, with file and line
  double seconds = 0;
};

/// Indexes files and folders (recursively; .txt and .pdf). Throws std::runtime_error when the
/// database cannot be opened or has another schema version (message says which).
IndexSummary index_paths(const std::vector<std::string>& paths, const IndexOptions& options);

/// Exit codes shared by the command-line tools.
inline constexpr int kExitOk = 0;            ///< all fine
inline constexpr int kExitSomeRejected = 1;  ///< ran, but some files or items were rejected
inline constexpr int kExitFailed = 2;        ///< could not run (bad arguments, database error)

}  // namespace referat::indexer
