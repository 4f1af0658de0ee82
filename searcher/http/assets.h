// The web page's static files (searcher/web/*), embedded into the binary at build time by
// searcher/http/embed_assets.cmake so that referat-serve runs from any directory.
#pragma once

#include <string_view>

namespace referat::searcher::http {

struct Asset {
  std::string_view name;          ///< file name, e.g. "style.css"
  std::string_view content_type;  ///< e.g. "text/css; charset=utf-8"
  std::string_view body;
};

/// The asset with exactly this file name, or nullptr. Names are compared byte for byte against a
/// fixed table: no path is ever built from the request, so "../" cannot reach the file system.
const Asset* find_asset(std::string_view name);

}  // namespace referat::searcher::http
