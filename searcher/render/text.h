// Terminal rendering of a SearchResult: a pure function (STYLE practice 8).
#pragma once

#include <cstddef>
#include <string>

#include "searcher/searcher.h"

namespace referat::searcher::render {

struct TextOptions {
  bool color = false;    ///< ANSI bold for highlights and titles (only on a terminal)
  bool facets = true;    ///< print the facet counts after the hits
  bool explain = false;  ///< print each hit's score explanation
  std::size_t offset = 0;  ///< the request's offset: a page that starts past the last match says so
};

/// Per hit: rank, date, committee, item number and title; journal number, category and decision
/// outcomes; the snippet naming its section; the item id and source lines. Then the spelling
/// suggestion ("Mente du: …"), the facet counts and the total.
std::string text(const SearchResult& result, const TextOptions& options = {});

/// The snippet text with highlights wrapped in `open`/`close` (e.g. ANSI bold or "**").
/// Ranges are clamped and overlapping ranges merged, so any range list is safe.
std::string mark(const Snippet& snippet, const std::string& open, const std::string& close);

}  // namespace referat::searcher::render
