// The state of a search, as it travels in a URL: parsing from query parameters (for the JSON API
// and the web page alike), validation against the server's limits, the SearchRequest it becomes,
// and the way back to a query string (permalinks, facet links, pagination).
//
// URL parameters (Danish first, English aliases accepted by the API):
//   q                         query text (the query language of searcher.h)
//   udvalg / committee        committee filter, repeatable
//   fra / from, til / to      inclusive dates (YYYY-MM-DD, D.M.YYYY or YYYY)
//   kategori / category       "B".."E", repeatable
//   udfald / outcome          normalised decision outcome, repeatable
//   sort                      relevans | nyeste | ældste  (relevance | newest | oldest)
//   side / page               1-based page number;  offset: 0-based first hit (wins over side)
//   antal / n / limit         hits per page
//   facetter / facets         0 or 1 (default 1)
//   filtre / filters          several values of one filter: enhver | alle (any | all). The API's
//                             default is enhver (OR: any value matches); the web page always
//                             uses alle (AND), so that a facet click narrows to the count it shows
#pragma once

#include <cstddef>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "searcher/searcher.h"

namespace referat::searcher::http {

/// Query parameters as cpp-httplib delivers them (already percent-decoded).
using Params = std::multimap<std::string, std::string>;

/// Bounds that keep one request from monopolising the server.
struct Limits {
  std::size_t max_query_chars = 1000;   ///< longer q (in characters) is a 400
  std::size_t max_page_size = 100;      ///< antal above this is a 400
  std::size_t max_offset = 10000;       ///< deeper paging is a 400 (use the CSV download)
  std::size_t max_filter_values = 20;   ///< per repeatable filter
  std::size_t max_csv_rows = 10000;     ///< a CSV download holds the first this many matches
  double time_limit_seconds = 2.0;      ///< Xapian's per-query time limit (0 = none)
};

/// A request the server refuses before it reaches the searcher. `message` is Danish and meant
/// for the user; `status` is the HTTP status (400 unless stated).
struct RequestError : std::runtime_error {
  explicit RequestError(const std::string& message, int http_status = 400)
      : std::runtime_error(message), status(http_status) {}
  int status;
};

/// Everything a search page URL says.
struct PageQuery {
  std::string q;
  std::vector<std::string> udvalg;
  std::vector<std::string> kategori;
  std::vector<std::string> udfald;
  std::string fra;
  std::string til;
  Sort sort = Sort::Relevance;
  std::size_t side = 1;          ///< 1-based
  std::size_t antal = 10;
  std::size_t offset = 0;        ///< (side - 1) * antal unless given explicitly
  bool facets = true;
  bool drill_down = false;       ///< filtre=alle: every value of a filter must match

  /// True when some filter has more than one value (then drill_down changes the result).
  bool multi_valued() const;

  /// True when the user asked for anything at all (a query or a filter).
  bool empty() const;
};

/// Parses and validates. Throws RequestError with a Danish message naming the bad parameter.
PageQuery parse_page_query(const Params& params, const Limits& limits);

/// The SearchRequest for one page of results (limits' time limit applied).
SearchRequest to_search_request(const PageQuery& page, const Limits& limits);

/// "?q=...&udvalg=..." (leading '?'; empty string when nothing is set). Only non-default values
/// are written, so permalinks stay short. The page number is written when > 1; filtre=alle when
/// drill_down is set and matters (multi_valued()), so the same string means the same on the API.
std::string to_query_string(const PageQuery& page);

/// Characters (UTF-8 code points; an invalid byte counts as one) in `s`: what the user counts,
/// and what the search box's maxlength counts.
std::size_t utf8_length(std::string_view s);

/// URL-encodes one component (RFC 3986 unreserved characters stay, everything else is %XX).
std::string url_encode(std::string_view s);

/// Percent-encodes an item id for use in a path: slashes stay, everything else as url_encode.
std::string encode_id_path(std::string_view id);

/// "relevans", "nyeste", "ældste".
std::string_view sort_name(Sort sort);

}  // namespace referat::searcher::http
