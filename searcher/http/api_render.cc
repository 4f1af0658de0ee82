#include "searcher/http/api_render.h"

#include "searcher/render/html.h"

namespace referat::searcher::http {
namespace {

template <class T>
nlohmann::json opt(const std::optional<T>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

std::string csv_field(const std::string& s) {
  // Quote every field that needs it; a leading = + - @ is defused against spreadsheet formula
  // injection (minutes text is not trusted to be harmless in Excel).
  std::string v = s;
  if (!v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@')) v = "'" + v;  // (not insert(0, ...): GCC 12 warns -Wrestrict there, a false positive)
  if (v.find_first_of(";,\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i) out += sep;
    out += v[i];
  }
  return out;
}

}  // namespace

nlohmann::json hit_json(const Hit& h) {
  nlohmann::json highlights = nlohmann::json::array();
  for (const auto& r : h.snippet.highlights) highlights.push_back({r.begin, r.end});
  nlohmann::json j = {
      {"id", h.id},
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
      {"snippet",
       {{"section", h.snippet.section}, {"text", h.snippet.text}, {"highlights", highlights}}},
  };
  if (!h.explanation.empty()) j["explanation"] = h.explanation;
  return j;
}

nlohmann::json item_json(const ItemDetail& d) {
  nlohmann::json j = hit_json(d.summary);
  j.erase("snippet");
  j.erase("rank");
  j.erase("score");
  j["deciding_committees"] = d.deciding_committees;
  j["absent"] = d.absent;
  nlohmann::json sections = nlohmann::json::array();
  for (const auto& s : d.sections)
    sections.push_back({{"name", s.name}, {"heading", s.heading}, {"text", s.text}});
  j["sections"] = sections;
  j["attachments"] = d.attachments;
  return j;
}

nlohmann::json stats_json(const IndexStats& s) {
  return {{"status", "ok"},
          {"db", s.path},
          {"documents", s.documents},
          {"last_commit", s.last_commit.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.last_commit)},
          {"schema_version", s.schema_version}};
}

std::string result_csv(const SearchResult& r, std::size_t max_rows) {
  std::string out = "\xEF\xBB\xBF";
  // Semicolons: Excel with Danish regional settings splits a double-clicked CSV at ';' (its list
  // separator), and puts a comma-separated file into one column. The BOM makes it read UTF-8.
  out += "placering;id;udvalg;dato;punkt;titel;kategori;journalnummer;udfald;beslutning;fil;linjer\r\n";
  for (const auto& h : r.hits) {
    const std::string fields[] = {
        std::to_string(h.rank),
        h.id,
        h.committee,
        h.date.value_or(""),
        std::to_string(h.item),
        h.title,
        h.category.value_or(""),
        h.journal.value_or(""),
        join(h.outcomes, "; "),
        h.decision.value_or(""),
        h.file,
        std::to_string(h.first_line) + "-" + std::to_string(h.last_line),
    };
    bool first = true;
    for (const auto& f : fields) {
      if (!first) out += ';';
      first = false;
      out += csv_field(f);
    }
    out += "\r\n";
  }
  if (r.hits.size() < r.total || !r.total_exact) {
    std::string why = r.hits.size() >= max_rows
                          ? " (en download har højst " + render::danish_count(max_rows) + " rækker)"
                          : " (søgningen nåede sin tidsgrænse)";
    out += csv_field("Kun de første " + render::danish_count(r.hits.size()) + " af " +
                     (r.total_exact ? "" : "cirka ") + render::danish_count(r.total) + " punkter er med" +
                     why + ". Afgræns søgningen for at få resten.");
    out += "\r\n";
  }
  return out;
}

std::string query_error_message(const QueryError& e) {
  std::string reason = e.danish.empty() ? std::string(e.what()) : e.danish;
  // "… (ved »x«)." rather than "…. (ved »x«)"
  bool full_stop = !reason.empty() && reason.back() == '.';
  if (full_stop) reason.pop_back();
  std::string msg = "Søgningen kan ikke forstås: " + reason;
  // The quote, unless the Danish message quotes it already ("fra-datoen 'xyz' kan ikke læses").
  if (!e.fragment.empty() && reason.find("'" + e.fragment + "'") == std::string::npos &&
      reason.find("»" + e.fragment + "«") == std::string::npos)
    msg += " (ved »" + e.fragment + "«)";
  if (full_stop) msg += '.';
  return msg;
}

std::string error_json(const std::string& message, const nlohmann::json& extra) {
  nlohmann::json j = {{"error", message}};
  if (extra.is_object())
    for (auto it = extra.begin(); it != extra.end(); ++it) j[it.key()] = it.value();
  // Invalid UTF-8 from a query string must not make dump() throw.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace referat::searcher::http
