// Server-rendered Danish HTML for referat-serve: pure functions of the searcher's result structs
// and the URL state. All escaping lives here: every string that came from the index, the query
// or the URL goes through escape() (text and attribute context alike) before it reaches the page.
//
// The pages work without JavaScript; /static/app.js only adds search-box suggestions.
// Assets referenced: /static/style.css, /static/app.js, /static/favicon.svg (same origin, so the
// server's Content-Security-Policy can stay at 'self').
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "searcher/http/page_query.h"
#include "searcher/searcher.h"

namespace referat::searcher::render {

/// Escapes & < > " ' for HTML text and double- or single-quoted attribute values; bytes that
/// are not valid UTF-8 become U+FFFD.
std::string escape(std::string_view text);

/// A count with the Danish thousands separator: 100000 -> "100.000".
std::string danish_count(std::size_t n);

/// The snippet text, escaped, with each highlight range wrapped in <mark>…</mark>. Ranges are
/// clamped to the text, widened to whole UTF-8 characters, sorted, and overlaps are merged, so a
/// bad range can never cut a character or an entity in half.
std::string highlight(const Snippet& snippet);

/// "2021-04-27" -> "27. april 2021"; anything else is returned unchanged.
std::string danish_date(std::string_view iso_date);

/// Danish display name of a facet ("committee" -> "Udvalg").
std::string facet_label(std::string_view facet_name);

/// The search page. `result` is null on the start page (nothing asked yet) and when `error` is
/// set (a message shown in place of the results, e.g. a bad query quoting its fault). The CSV
/// link says when the download holds only the first `max_csv_rows` matches.
std::string search_page(const http::PageQuery& page, const SearchResult* result,
                        const std::string& error = {},
                        std::size_t max_csv_rows = http::Limits{}.max_csv_rows);

/// The page of one item: every field and section, the decision, and "Lignende punkter".
std::string item_page(const ItemDetail& item, const std::vector<Hit>& similar);

/// A page that only says something (404, 503, …): Danish title and message.
std::string message_page(const std::string& title, const std::string& message);

}  // namespace referat::searcher::render
