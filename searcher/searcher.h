// The embeddable searcher: plain request/result structs and a pimpl Searcher.
// This header includes no Xapian, ICU or hunspell headers.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace referat::searcher {

enum class Sort { Relevance, DateDesc, DateAsc };

/// What to search. Filters combine with AND; several values of one filter combine with OR
/// (with `drill_down`: AND, so that each value narrows the result, as a facet click does).
struct SearchRequest {
  std::string query;                    ///< query language: see README.md "Query language"
  std::vector<std::string> committees;  ///< canonical names, any spelling, or abbreviations (BSU)
  std::optional<std::string> from;      ///< inclusive date: YYYY-MM-DD, D.M.YYYY or YYYY
  std::optional<std::string> to;        ///< inclusive date
  std::vector<std::string> categories;  ///< "B".."E"
  std::vector<std::string> outcomes;    ///< normalised outcome names
  bool drill_down = false;              ///< several values of one filter must all match
  std::size_t offset = 0;
  std::size_t limit = 10;
  bool all = false;                     ///< return every match (ignores limit)
  Sort sort = Sort::Relevance;
  bool facets = true;                   ///< compute facet counts (exact)
  bool explain = false;                 ///< fill Hit::explanation
  std::string like_id;                  ///< "more like this": items similar to this item id
  std::size_t snippet_bytes = 240;      ///< target snippet length
  double time_limit_seconds = 0;        ///< 0 = none
};

struct ByteRange {
  std::size_t begin = 0;  ///< byte offset into Snippet::text
  std::size_t end = 0;    ///< one past the last byte
};

struct Snippet {
  std::string section;               ///< canonical section name the passage comes from ("title" too)
  std::string text;                  ///< plain text, no markup
  std::vector<ByteRange> highlights; ///< matched words
};

struct Hit {
  std::string id;                    ///< <committee-slug>/<YYYY-MM-DD>/<item>
  std::size_t rank = 0;              ///< 1-based, counting from the first result overall
  double score = 0;
  std::string file;
  int item = 0;
  std::string title;
  std::string committee;
  std::optional<std::string> date;   ///< YYYY-MM-DD
  std::optional<std::string> journal;
  std::optional<std::string> category;
  std::vector<std::string> outcomes;
  std::optional<std::string> decision;
  int first_line = 0;
  int last_line = 0;
  Snippet snippet;
  std::string explanation;           ///< only with SearchRequest::explain
};

struct FacetValue {
  std::string value;
  std::size_t count = 0;             ///< exact number of matching items with this value
};

struct Facet {
  std::string name;                  ///< committee, year, category, outcome, kle
  std::vector<FacetValue> values;    ///< by count, descending
};

struct SearchResult {
  std::string query;
  std::size_t total = 0;
  bool total_exact = true;
  std::vector<Hit> hits;
  std::vector<Facet> facets;
  std::optional<std::string> suggestion;  ///< "Mente du: …" corrected query
  double elapsed_ms = 0;
};

/// One item with everything stored about it (for an item page).
struct ItemSection {
  std::string name;
  std::string heading;
  std::string text;
};
struct ItemDetail {
  Hit summary;                        ///< fields as in a hit (no snippet)
  std::vector<std::string> deciding_committees;
  std::vector<std::string> absent;
  std::vector<ItemSection> sections;
  std::vector<std::string> attachments;
  std::string json;                   ///< the stored document data as JSON
};

struct IndexStats {
  std::string path;
  std::size_t documents = 0;
  std::string last_commit;            ///< ISO 8601 or empty
  int schema_version = 0;
};

/// A query the searcher cannot understand. what() is the English message (terminal, logs);
/// `danish` says the same for the web page's users, without the quote; `fragment` quotes the
/// offending part, `offset` is its byte offset in the query.
struct QueryError : std::runtime_error {
  QueryError(const std::string& message, std::size_t offset_in_query, std::string quoted,
             std::string danish_message = {})
      : std::runtime_error(message), offset(offset_in_query), fragment(std::move(quoted)),
        danish(std::move(danish_message)) {}
  std::size_t offset;
  std::string fragment;
  std::string danish;
};

/// The database was written with another schema version.
struct IndexVersionError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// The database does not exist or cannot be opened.
struct IndexOpenError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// What Searchers keep between searches, each part bounded by bytes: the parsed stored data of
/// recently shown hits (as Solr's documentCache) and the postings of frequent terms and sets of
/// subqueries (as Lucene's query cache). One cache can serve several Searchers, e.g. a server's
/// pool, so that what one of them read is cheap for all: it is thread-safe, and its entries are
/// kept per database state, so Searchers at different commits (or of different databases) may
/// share it. Copies share the same cache. Results are the same with any cache, or none (0).
class SearchCache {
 public:
  SearchCache(std::size_t hit_bytes, std::size_t postings_bytes);
  /// Memory now held for hits and for postings (roughly: what the entries hold plus a fixed
  /// cost per entry).
  std::size_t hit_bytes() const;
  std::size_t postings_bytes() const;

 private:
  friend class Searcher;
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

/// Searches one referat index. Opening is cheap enough to do per process, not per query.
/// A Searcher is not thread-safe; use one per thread (they may share a database path).
class Searcher {
 public:
  /// Throws IndexOpenError or IndexVersionError. Keeps its own SearchCache (8 MB for hits,
  /// 64 MB for postings).
  explicit Searcher(const std::string& db_path);
  /// As above, with `hit_cache_bytes` for hits (0 keeps none).
  Searcher(const std::string& db_path, std::size_t hit_cache_bytes);
  /// As above, sharing `cache` (e.g. with the other Searchers of a pool).
  Searcher(const std::string& db_path, SearchCache cache);
  ~Searcher();
  Searcher(Searcher&&) noexcept;
  Searcher& operator=(Searcher&&) noexcept;

  /// Throws QueryError for a malformed query or filter.
  SearchResult search(const SearchRequest& request);

  /// The item with this id, or std::nullopt.
  std::optional<ItemDetail> item(const std::string& id);

  /// Up to `limit` completions of the last word of `prefix` from the index vocabulary, each
  /// `prefix` with its last word completed, one written form per lemma (its most frequent: the
  /// forms of a word find the same items). They are ranked by the items the whole query would
  /// find (ties by the word's frequency), and those finding none are dropped, as far as `budget`
  /// allows: completions not counted in time follow in order of their words' frequency (budget
  /// 0: all).
  std::vector<std::string> suggest(const std::string& prefix, std::size_t limit = 8,
                                   std::chrono::milliseconds budget = std::chrono::milliseconds(50));

  /// Re-opens the database at its latest committed state.
  void reopen();

  IndexStats stats();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// The default database location: $REFERAT_DB if set, else "./referat-db".
std::string default_db_path();

}  // namespace referat::searcher
