#include "searcher/render/json.h"

#include <nlohmann/json.hpp>

namespace referat::searcher::render {

namespace {

template <typename T>
nlohmann::json opt(const std::optional<T>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

}  // namespace

std::string json(const SearchResult& r, int indent) {
  using nlohmann::json;
  json hits = json::array();
  for (const Hit& h : r.hits) {
    json hl = json::array();
    for (const auto& range : h.snippet.highlights) hl.push_back({range.begin, range.end});
    json j = {{"id", h.id},
              {"rank", h.rank},
              {"score", h.score},
              {"file", h.file},
              {"item", h.item},
              {"title", h.title},
              {"committee", h.committee},
              {"date", opt(h.date)},
              {"journal", opt(h.journal)},
              {"category", opt(h.category)},
              {"outcomes", h.outcomes},
              {"decision", opt(h.decision)},
              {"first_line", h.first_line},
              {"last_line", h.last_line},
              {"snippet", {{"section", h.snippet.section}, {"text", h.snippet.text}, {"highlights", hl}}}};
    if (!h.explanation.empty()) j["explanation"] = h.explanation;
    hits.push_back(std::move(j));
  }
  json facets = json::object();
  for (const Facet& f : r.facets) {
    json values = json::array();
    for (const auto& v : f.values) values.push_back({{"value", v.value}, {"count", v.count}});
    facets[f.name] = std::move(values);
  }
  json out = {{"query", r.query},     {"total", r.total},   {"total_exact", r.total_exact},
              {"elapsed_ms", r.elapsed_ms}, {"hits", hits}, {"facets", facets},
              {"suggestion", opt(r.suggestion)}};
  return out.dump(indent, ' ', false, json::error_handler_t::replace);
}

}  // namespace referat::searcher::render
