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
  // Built member by member: nlohmann's nested initializer lists copy every value once more and
  // cost ~5x the dump itself (measured: 160 of 190 us for a page with 150 facet values).
  using nlohmann::json;
  json hits = json::array();
  for (const Hit& h : r.hits) {
    json hl = json::array();
    for (const auto& range : h.snippet.highlights) {
      json pair = json::array();
      pair.push_back(range.begin);
      pair.push_back(range.end);
      hl.push_back(std::move(pair));
    }
    json snippet = json::object();
    snippet["section"] = h.snippet.section;
    snippet["text"] = h.snippet.text;
    snippet["highlights"] = std::move(hl);
    json j = json::object();
    j["id"] = h.id;
    j["rank"] = h.rank;
    j["score"] = h.score;
    j["file"] = h.file;
    j["item"] = h.item;
    j["title"] = h.title;
    j["committee"] = h.committee;
    j["date"] = opt(h.date);
    j["journal"] = opt(h.journal);
    j["category"] = opt(h.category);
    j["outcomes"] = h.outcomes;
    j["decision"] = opt(h.decision);
    j["first_line"] = h.first_line;
    j["last_line"] = h.last_line;
    j["snippet"] = std::move(snippet);
    if (!h.explanation.empty()) j["explanation"] = h.explanation;
    hits.push_back(std::move(j));
  }
  json facets = json::object();
  for (const Facet& f : r.facets) {
    json values = json::array();
    for (const auto& v : f.values) {
      json one = json::object();
      one["value"] = v.value;
      one["count"] = v.count;
      values.push_back(std::move(one));
    }
    facets[f.name] = std::move(values);
  }
  json out = json::object();
  out["query"] = r.query;
  out["total"] = r.total;
  out["total_exact"] = r.total_exact;
  out["elapsed_ms"] = r.elapsed_ms;
  out["hits"] = std::move(hits);
  out["facets"] = std::move(facets);
  out["suggestion"] = opt(r.suggestion);
  return out.dump(indent, ' ', false, json::error_handler_t::replace);
}

}  // namespace referat::searcher::render
