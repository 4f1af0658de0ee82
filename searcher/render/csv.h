// CSV rendering of a SearchResult (RFC 4180: comma-separated, CRLF line ends, fields with
// comma, quote or line break quoted, quotes doubled). A pure function (STYLE practice 8).
// Header: rank,score,id,date,committee,item,title,journal,category,outcomes,file,first_line,
// last_line,section,snippet  (outcomes joined by ";").
#pragma once

#include <string>

#include "searcher/searcher.h"

namespace referat::searcher::render {

std::string csv(const SearchResult& result);

/// One field, quoted when needed.
std::string csv_field(const std::string& value);

}  // namespace referat::searcher::render
