#include "searcher/render/text.h"

#include <algorithm>
#include <cstdio>

namespace referat::searcher::render {

namespace {

const char* facet_title(const std::string& name) {
  if (name == "committee") return "Udvalg";
  if (name == "year") return "År";
  if (name == "category") return "Kategori";
  if (name == "outcome") return "Udfald";
  if (name == "kle") return "KLE-hovedgruppe";
  return nullptr;
}

}  // namespace

std::string mark(const Snippet& s, const std::string& open, const std::string& close) {
  std::vector<ByteRange> ranges = s.highlights;
  std::sort(ranges.begin(), ranges.end(), [](const ByteRange& a, const ByteRange& b) { return a.begin < b.begin; });
  std::string out;
  std::size_t pos = 0;
  for (auto r : ranges) {
    r.end = std::min(r.end, s.text.size());
    r.begin = std::max(r.begin, pos);
    if (r.begin >= r.end) continue;
    out.append(s.text, pos, r.begin - pos);
    out += open;
    out.append(s.text, r.begin, r.end - r.begin);
    out += close;
    pos = r.end;
  }
  out.append(s.text, pos, std::string::npos);
  return out;
}

std::string text(const SearchResult& r, const TextOptions& o) {
  const std::string bold = o.color ? "\033[1m" : "";
  const std::string off = o.color ? "\033[0m" : "";
  std::string out;
  char buf[64];
  for (const Hit& h : r.hits) {
    std::snprintf(buf, sizeof buf, "%3zu. ", h.rank);
    out += buf;
    out += h.date.value_or("(ukendt dato)") + "  " + h.committee + "  punkt " + std::to_string(h.item) + "\n";
    out += "     " + bold + h.title + off + "\n";
    std::string meta;
    if (h.journal) meta += "journal " + *h.journal;
    if (h.category) meta += (meta.empty() ? "" : " · ") + *h.category + "-sag";
    if (!h.outcomes.empty()) {
      meta += (meta.empty() ? "" : " · ") + std::string("udfald: ");
      for (std::size_t i = 0; i < h.outcomes.size(); ++i) {
        std::string label = h.outcomes[i];  // "orientering_givet" reads "orientering givet"
        std::replace(label.begin(), label.end(), '_', ' ');
        meta += (i ? ", " : "") + label;
      }
    }
    if (!meta.empty()) out += "     " + meta + "\n";
    if (!h.snippet.text.empty())
      out += "     [" + h.snippet.section + "] " + mark(h.snippet, bold, off) + "\n";
    std::snprintf(buf, sizeof buf, "  score %.3f", h.score);
    out += "     id " + h.id + "  (" + h.file + ":" + std::to_string(h.first_line) + "-" +
           std::to_string(h.last_line) + ")" + (o.explain ? buf : "") + "\n";
    if (o.explain && !h.explanation.empty()) {
      std::string e = h.explanation;
      std::size_t p = 0;
      while (p < e.size()) {
        std::size_t nl = e.find('\n', p);
        out += "       " + e.substr(p, nl == std::string::npos ? std::string::npos : nl - p) + "\n";
        if (nl == std::string::npos) break;
        p = nl + 1;
      }
    }
    out += "\n";
  }
  if (r.suggestion) out += "Mente du: " + bold + *r.suggestion + off + "\n\n";
  if (o.facets) {
    for (const Facet& f : r.facets) {
      if (f.values.empty()) continue;
      const char* title = facet_title(f.name);
      out += std::string(title ? title : f.name.c_str()) + ": ";
      for (std::size_t i = 0; i < f.values.size(); ++i)
        out += (i ? ", " : "") + f.values[i].value + " (" + std::to_string(f.values[i].count) + ")";
      out += "\n";
    }
  }
  std::size_t shown_from = r.hits.empty() ? 0 : r.hits.front().rank;
  std::size_t shown_to = r.hits.empty() ? 0 : r.hits.back().rank;
  out += std::to_string(r.total) + (r.total_exact ? "" : " (ca.)") +
         (r.total == 1 ? " resultat" : " resultater");
  if (!r.hits.empty() && (shown_from != 1 || shown_to != r.total))
    out += ", viser " + std::to_string(shown_from) + "-" + std::to_string(shown_to);
  else if (r.hits.empty() && r.total > 0 && o.offset >= r.total)  // not: --limit 0
    out += ", ingen på denne side (--offset er efter det sidste)";
  std::snprintf(buf, sizeof buf, " (%.1f ms)", r.elapsed_ms);
  out += buf;
  out += "\n";
  return out;
}

}  // namespace referat::searcher::render
