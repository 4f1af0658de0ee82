#include "searcher/render/csv.h"

#include <cstdio>

namespace referat::searcher::render {

std::string csv_field(const std::string& v) {
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string csv(const SearchResult& r) {
  std::string out =
      "rank,score,id,date,committee,item,title,journal,category,outcomes,file,first_line,last_line,"
      "section,snippet\r\n";
  char score[32];
  for (const Hit& h : r.hits) {
    std::snprintf(score, sizeof score, "%.4f", h.score);
    std::string outcomes;
    for (std::size_t i = 0; i < h.outcomes.size(); ++i) outcomes += (i ? ";" : "") + h.outcomes[i];
    const std::string fields[] = {std::to_string(h.rank), score, h.id, h.date.value_or(""), h.committee,
                                  std::to_string(h.item), h.title, h.journal.value_or(""),
                                  h.category.value_or(""), outcomes, h.file, std::to_string(h.first_line),
                                  std::to_string(h.last_line), h.snippet.section, h.snippet.text};
    bool first = true;
    for (const auto& f : fields) {
      if (!first) out += ',';
      out += csv_field(f);
      first = false;
    }
    out += "\r\n";
  }
  return out;
}

}  // namespace referat::searcher::render
