// JSON rendering of a SearchResult (referat-search --format json; the HTTP API uses the same
// model). A pure function (STYLE practice 8).
//
// {"query", "total", "total_exact", "elapsed_ms",
//  "hits": [{"id", "rank", "score", "file", "item", "title", "committee", "date", "journal",
//            "category", "outcomes", "decision", "first_line", "last_line",
//            "snippet": {"section", "text", "highlights": [[begin, end], ...]},
//            "explanation" (only when non-empty)}],
//  "facets": {"committee": [{"value", "count"}], "year": [...], "category": [...],
//             "outcome": [...], "kle": [...]},
//  "suggestion": string or null}
// Absent optionals are null; highlight ranges are byte offsets into snippet.text.
#pragma once

#include <string>

#include "searcher/searcher.h"

namespace referat::searcher::render {

/// Compact JSON (one line) or, with `indent` >= 0, pretty-printed.
std::string json(const SearchResult& result, int indent = -1);

}  // namespace referat::searcher::render
