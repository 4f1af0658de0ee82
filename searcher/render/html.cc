#include "searcher/render/html.h"

#include <algorithm>
#include <cstdio>

#include "searcher/query_builder.h"

namespace referat::searcher::render {
namespace {

using http::PageQuery;

constexpr const char* kMonths[] = {"januar", "februar", "marts",     "april",   "maj",      "juni",
                                   "juli",   "august",  "september", "oktober", "november", "december"};

/// A date as typed ("31.1.2021", "2021", "2021-01-31") in the YYYY-MM-DD form that an
/// <input type="date"> keeps: a browser empties any other value, and the next submit would drop
/// the filter. A year or month becomes its first day (`end` = false) or last day (true), as the
/// search reads it; a date that does not parse is returned as typed (the page reports it).
std::string date_input_value(const std::string& typed, bool end) {
  const std::string d = parse_date(typed, end);
  if (d.size() != 8) return typed;
  return d.substr(0, 4) + "-" + d.substr(4, 2) + "-" + d.substr(6, 2);
}

bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

/// Search time in Danish: "7 ms" under a second (most searches: "0,00 sek." said nothing),
/// else "1,25 sek.".
std::string fmt_duration(double ms) {
  char buf[32];
  if (ms < 1000.0) {
    std::snprintf(buf, sizeof buf, "%.0f ms", std::max(1.0, ms));
    return buf;
  }
  std::snprintf(buf, sizeof buf, "%.2f", ms / 1000.0);
  std::string s = buf;
  std::replace(s.begin(), s.end(), '.', ',');
  return s + " sek.";
}

std::string head(const std::string& title, const char* body_class) {
  std::string o;
  o += "<!doctype html>\n<html lang=\"da\">\n<head>\n<meta charset=\"utf-8\">\n";
  o += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  o += "<title>" + escape(title) + "</title>\n";
  o += "<link rel=\"stylesheet\" href=\"/static/style.css\">\n";
  o += "<link rel=\"icon\" href=\"/static/favicon.svg\" type=\"image/svg+xml\">\n";
  o += "<script src=\"/static/app.js\" defer></script>\n";
  o += "</head>\n<body class=\"";
  o += body_class;
  o += "\">\n<a class=\"skip\" href=\"#indhold\">Spring til indholdet</a>\n";
  o += "<header class=\"top\"><div class=\"wrap\"><a class=\"brand\" href=\"/\">"
       "<span class=\"logo\" aria-hidden=\"true\">R</span><span class=\"name\">Referatsøgning</span>"
       "<span class=\"tagline\">Udvalgenes referater og beslutninger</span></a></div></header>\n";
  return o;
}

std::string foot() {
  return "<footer class=\"bottom\"><div class=\"wrap\"><p>Referatsøgning søger i de referater, "
         "der er indekseret på denne server. Søgetips: <code>\"negativ social kontrol\"</code> "
         "søger efter frasen, <code>budget OR økonomi</code> efter et af ordene, "
         "<code>-akademikere</code> udelader et ord, <code>udvalg:BSU</code> og "
         "<code>dato:2024-01-01..2024-12-31</code> afgrænser.</p></div></footer>\n"
         "</body>\n</html>\n";
}

std::string search_form(const PageQuery& p) {
  std::string o;
  o += "<form class=\"search\" role=\"search\" action=\"/\" method=\"get\">\n";
  o += "<label class=\"search-label\" for=\"q\">Søg i referater</label>\n";
  o += "<div class=\"search-row\"><input id=\"q\" name=\"q\" type=\"search\" value=\"" + escape(p.q) +
       "\" list=\"forslag\" autocomplete=\"off\" maxlength=\"1000\" "
       "placeholder=\"F.eks. negativ social kontrol\" aria-describedby=\"sogehjaelp\">"
       "<button type=\"submit\">Søg</button></div>\n";
  o += "<datalist id=\"forslag\"></datalist>\n";
  o += "<p id=\"sogehjaelp\" class=\"hint\">Alle ord skal forekomme. Brug anførselstegn for en "
       "frase og OR for enten-eller.</p>\n";
  for (const auto& v : p.udvalg)
    o += "<input type=\"hidden\" name=\"udvalg\" value=\"" + escape(v) + "\">\n";
  for (const auto& v : p.kategori)
    o += "<input type=\"hidden\" name=\"kategori\" value=\"" + escape(v) + "\">\n";
  for (const auto& v : p.udfald)
    o += "<input type=\"hidden\" name=\"udfald\" value=\"" + escape(v) + "\">\n";
  o += "<div class=\"refine\">\n";
  o += "<div class=\"field\"><label for=\"fra\">Fra dato</label><input id=\"fra\" name=\"fra\" "
       "type=\"date\" value=\"" + escape(date_input_value(p.fra, false)) + "\"></div>\n";
  o += "<div class=\"field\"><label for=\"til\">Til dato</label><input id=\"til\" name=\"til\" "
       "type=\"date\" value=\"" + escape(date_input_value(p.til, true)) + "\"></div>\n";
  o += "<div class=\"field\"><label for=\"sort\">Sortering</label><select id=\"sort\" name=\"sort\">";
  for (Sort s : {Sort::Relevance, Sort::DateDesc, Sort::DateAsc}) {
    const char* label = s == Sort::Relevance ? "Relevans" : s == Sort::DateDesc ? "Nyeste først"
                                                                                 : "Ældste først";
    o += "<option value=\"" + std::string(http::sort_name(s)) + "\"";
    if (s == p.sort) o += " selected";
    o += ">";
    o += label;
    o += "</option>";
  }
  o += "</select></div>\n";
  if (p.antal != 10)
    o += "<input type=\"hidden\" name=\"antal\" value=\"" + std::to_string(p.antal) + "\">\n";
  o += "<div class=\"field\"><button type=\"submit\" class=\"secondary\">Opdatér</button></div>\n";
  o += "</div>\n</form>\n";
  return o;
}

// ---- facets -------------------------------------------------------------------------------------

bool contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

void toggle(std::vector<std::string>& v, const std::string& x) {
  auto it = std::find(v.begin(), v.end(), x);
  if (it == v.end())
    v.push_back(x);
  else
    v.erase(it);
}

std::string year_from(const std::string& y) { return y + "-01-01"; }
std::string year_to(const std::string& y) { return y + "-12-31"; }

// The page a click on a facet value leads to, and whether that value is already selected
// (then the link removes it).
std::pair<PageQuery, bool> facet_target(const PageQuery& current, const std::string& facet,
                                        const std::string& value) {
  PageQuery p = current;
  p.side = 1;
  p.offset = 0;
  bool selected = false;
  if (facet == "committee") {
    selected = contains(p.udvalg, value);
    toggle(p.udvalg, value);
  } else if (facet == "category") {
    selected = contains(p.kategori, value);
    toggle(p.kategori, value);
  } else if (facet == "outcome") {
    selected = contains(p.udfald, value);
    toggle(p.udfald, value);
  } else if (facet == "year") {
    selected = p.fra == year_from(value) && p.til == year_to(value);
    p.fra = selected ? "" : year_from(value);
    p.til = selected ? "" : year_to(value);
  } else if (facet == "kle") {
    std::string term = "journal:" + value;
    auto pos = p.q.find(term);
    selected = pos != std::string::npos;
    if (selected) {
      p.q.erase(pos, term.size());
      while (!p.q.empty() && p.q.back() == ' ') p.q.pop_back();
      while (!p.q.empty() && p.q.front() == ' ') p.q.erase(0, 1);
    } else {
      p.q = p.q.empty() ? term : p.q + " " + term;
    }
  }
  return {p, selected};
}

bool facet_clickable(const std::string& name) {
  return name == "committee" || name == "category" || name == "outcome" || name == "year" ||
         name == "kle";
}

std::string outcome_label(std::string v);

std::string facet_value_label(const std::string& facet, const std::string& value) {
  if (facet == "category") return value + "-sag";
  if (facet == "kle") return "KLE " + value;
  if (facet == "outcome") return outcome_label(value);
  return value;
}

std::string facets_html(const PageQuery& page, const SearchResult& r) {
  std::string o;
  o += "<aside class=\"facets\" aria-labelledby=\"facet-title\">\n";
  o += "<h2 id=\"facet-title\" class=\"facets-title\">Afgræns resultaterne</h2>\n";
  bool any = false;
  for (const auto& f : r.facets) {
    if (f.values.empty()) continue;
    any = true;
    std::string label = facet_label(f.name);
    o += "<section class=\"facet\" data-facet=\"" + escape(f.name) + "\"><h3>" + escape(label) +
         "</h3>\n<ul>\n";
    constexpr std::size_t kShown = 8;
    for (std::size_t i = 0; i < f.values.size(); ++i) {
      const auto& v = f.values[i];
      if (i == kShown)
        o += "</ul>\n<details class=\"more\"><summary>Vis " + std::to_string(f.values.size() - kShown) +
             " flere</summary>\n<ul>\n";
      std::string text = escape(facet_value_label(f.name, v.value));
      std::string count = "<span class=\"count\">" + danish_count(v.count) + "</span>";
      if (facet_clickable(f.name)) {
        auto [target, selected] = facet_target(page, f.name, v.value);
        o += "<li><a href=\"/" + escape(http::to_query_string(target)) + "\"";
        if (selected) o += " class=\"selected\" aria-current=\"true\"";
        o += "><span class=\"value\">" + text + "</span>";
        if (selected) o += "<span class=\"visually-hidden\"> (valgt, klik for at fjerne)</span>";
        o += count + "</a></li>\n";
      } else {
        o += "<li><span class=\"static\"><span class=\"value\">" + text + "</span>" + count +
             "</span></li>\n";
      }
    }
    if (f.values.size() > kShown) o += "</ul>\n</details>\n";
    else o += "</ul>\n";
    o += "</section>\n";
  }
  if (!any) o += "<p class=\"muted\">Ingen afgrænsninger.</p>\n";
  o += "</aside>\n";
  return o;
}

// Active filters as removable chips.
std::string chips_html(const PageQuery& page) {
  std::vector<std::pair<std::string, PageQuery>> chips;
  auto reset = [](PageQuery p) {
    p.side = 1;
    p.offset = 0;
    return p;
  };
  for (const auto& v : page.udvalg) {
    PageQuery p = reset(page);
    toggle(p.udvalg, v);
    chips.emplace_back("Udvalg: " + v, p);
  }
  for (const auto& v : page.kategori) {
    PageQuery p = reset(page);
    toggle(p.kategori, v);
    chips.emplace_back("Kategori: " + v, p);
  }
  for (const auto& v : page.udfald) {
    PageQuery p = reset(page);
    toggle(p.udfald, v);
    chips.emplace_back("Beslutning: " + outcome_label(v), p);
  }
  if (!page.fra.empty()) {
    PageQuery p = reset(page);
    p.fra.clear();
    chips.emplace_back("Fra " + danish_date(date_input_value(page.fra, false)), p);
  }
  if (!page.til.empty()) {
    PageQuery p = reset(page);
    p.til.clear();
    chips.emplace_back("Til " + danish_date(date_input_value(page.til, true)), p);
  }
  if (chips.empty()) return {};
  std::string o = "<ul class=\"chips\" aria-label=\"Valgte afgrænsninger\">\n";
  for (const auto& [label, target] : chips)
    o += "<li><a href=\"/" + escape(http::to_query_string(target)) + "\">" + escape(label) +
         " <span aria-hidden=\"true\">×</span><span class=\"visually-hidden\"> (fjern)</span></a></li>\n";
  o += "</ul>\n";
  return o;
}

std::string meta_html(const Hit& h) {
  std::string o = "<p class=\"meta\">";
  o += "<span class=\"committee\">" + escape(h.committee) + "</span>";
  if (h.date)
    o += "<span><time datetime=\"" + escape(*h.date) + "\">" + escape(danish_date(*h.date)) +
         "</time></span>";
  if (h.item > 0) o += "<span>Punkt " + std::to_string(h.item) + "</span>";
  if (h.category) o += "<span>" + escape(*h.category) + "-sag</span>";
  if (h.journal) o += "<span>J.nr. " + escape(*h.journal) + "</span>";
  o += "</p>\n";
  return o;
}

// Outcomes are normalised slugs ("taget_til_efterretning"); shown as words.
std::string outcome_label(std::string v) {
  std::replace(v.begin(), v.end(), '_', ' ');
  return v;
}

std::string outcomes_html(const std::vector<std::string>& outcomes) {
  std::string o;
  for (const auto& v : outcomes) o += "<span class=\"badge\">" + escape(outcome_label(v)) + "</span>";
  return o;
}

// The source file's name without the server's directories (they are nobody's business).
std::string base_name(const std::string& path) {
  auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string truncate_utf8(const std::string& s, std::size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  std::size_t cut = max_bytes;
  while (cut > 0 && is_continuation(static_cast<unsigned char>(s[cut]))) --cut;
  std::size_t space = s.rfind(' ', cut);
  if (space != std::string::npos && space > max_bytes / 2) cut = space;
  return s.substr(0, cut) + " …";
}

std::string hit_html(const Hit& h) {
  std::string o = "<li class=\"hit\">\n";
  o += "<h3><a href=\"/punkt/" + escape(http::encode_id_path(h.id)) + "\">" + escape(h.title) +
       "</a></h3>\n";
  o += meta_html(h);
  if (!h.snippet.text.empty()) o += "<p class=\"snippet\">" + highlight(h.snippet) + "</p>\n";
  if (h.decision || !h.outcomes.empty()) {
    o += "<p class=\"decision\"><strong>Beslutning:</strong> " + outcomes_html(h.outcomes);
    if (h.decision) o += " " + escape(truncate_utf8(*h.decision, 300));
    o += "</p>\n";
  }
  o += "</li>\n";
  return o;
}

std::string pager_html(const PageQuery& page, std::size_t total) {
  if (total <= page.antal) return {};
  std::size_t pages = (total + page.antal - 1) / page.antal;
  std::size_t current = page.side;
  if (current > pages) return {};  // past the end: search_page links to the last page instead
  auto link = [&](std::size_t n) {
    PageQuery p = page;
    p.side = n;
    p.offset = (n - 1) * p.antal;
    return "/" + escape(http::to_query_string(p));
  };
  std::string o = "<nav class=\"pager\" aria-label=\"Sider\"><ul>\n";
  if (current > 1)
    o += "<li><a rel=\"prev\" href=\"" + link(current - 1) + "\">← Forrige</a></li>\n";
  std::size_t first = current > 3 ? current - 2 : 1;
  std::size_t last = std::min(pages, first + 4);
  if (first > 1) o += "<li><a href=\"" + link(1) + "\">1</a></li>" + (first > 2 ? "<li class=\"gap\">…</li>" : "");
  for (std::size_t n = first; n <= last; ++n) {
    if (n == current)
      o += "<li><span class=\"current\" aria-current=\"page\">" + std::to_string(n) + "</span></li>\n";
    else
      o += "<li><a href=\"" + link(n) + "\">" + std::to_string(n) + "</a></li>\n";
  }
  if (current < pages)
    o += "<li><a rel=\"next\" href=\"" + link(current + 1) + "\">Næste →</a></li>\n";
  o += "</ul></nav>\n";
  return o;
}

std::string paragraphs(const std::string& text) {
  // Sections keep their paragraphs as "\n\n"-separated text; single newlines are line breaks
  // inside a paragraph (lists, table rows).
  std::string o;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find("\n\n", start);
    std::string para = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    while (!para.empty() && (para.front() == '\n' || para.front() == ' ')) para.erase(0, 1);
    if (!para.empty()) {
      std::string esc = escape(para);
      std::string withbr;
      for (char c : esc) {
        if (c == '\n') withbr += "<br>\n";
        else if (c == '\t') withbr += "  ";
        else withbr += c;
      }
      o += "<p>" + withbr + "</p>\n";
    }
    if (end == std::string::npos) break;
    start = end + 2;
  }
  return o;
}

}  // namespace

std::string danish_count(std::size_t n) {
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += '.';
    out += digits[i];
  }
  return out;
}

// Length of the valid UTF-8 sequence at s[i] (1-4), or 0 when the byte there does not start one.
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return 1;
  std::size_t len = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
  if (len == 0 || i + len > s.size()) return 0;
  for (std::size_t k = 1; k < len; ++k)
    if (!is_continuation(static_cast<unsigned char>(s[i + k]))) return 0;
  const auto c1 = static_cast<unsigned char>(s[i + 1]);
  if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 > 0x9F) || (c == 0xF0 && c1 < 0x90) ||
      (c == 0xF4 && c1 > 0x8F))
    return 0;  // overlong, surrogate or beyond U+10FFFF
  return len;
}

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (static_cast<unsigned char>(c) >= 0x80) {
      // Bytes that are not UTF-8 (a query like %FF%FE) are shown as U+FFFD, so that the page
      // is valid UTF-8 whatever the URL held.
      std::size_t len = utf8_sequence(text, i);
      if (len == 0) {
        out += "\xEF\xBF\xBD";
      } else {
        out.append(text.substr(i, len));
        i += len - 1;
      }
      continue;
    }
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      case '\0': break;  // never meaningful in minutes text
      default: out += c;
    }
  }
  return out;
}

std::string highlight(const Snippet& snippet) {
  const std::string& t = snippet.text;
  std::vector<ByteRange> ranges;
  for (ByteRange r : snippet.highlights) {
    r.begin = std::min(r.begin, t.size());
    r.end = std::min(r.end, t.size());
    while (r.begin > 0 && r.begin < t.size() && is_continuation(static_cast<unsigned char>(t[r.begin])))
      --r.begin;
    while (r.end < t.size() && is_continuation(static_cast<unsigned char>(t[r.end]))) ++r.end;
    if (r.begin < r.end) ranges.push_back(r);
  }
  std::sort(ranges.begin(), ranges.end(),
            [](const ByteRange& a, const ByteRange& b) { return a.begin < b.begin; });
  std::vector<ByteRange> merged;
  for (const auto& r : ranges) {
    if (!merged.empty() && r.begin <= merged.back().end)
      merged.back().end = std::max(merged.back().end, r.end);
    else
      merged.push_back(r);
  }
  std::string out;
  std::size_t pos = 0;
  for (const auto& r : merged) {
    out += escape(std::string_view(t).substr(pos, r.begin - pos));
    out += "<mark>";
    out += escape(std::string_view(t).substr(r.begin, r.end - r.begin));
    out += "</mark>";
    pos = r.end;
  }
  out += escape(std::string_view(t).substr(pos));
  return out;
}

std::string danish_date(std::string_view d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return std::string(d);
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (d[i] < '0' || d[i] > '9') return std::string(d);
  int month = (d[5] - '0') * 10 + (d[6] - '0');
  int day = (d[8] - '0') * 10 + (d[9] - '0');
  if (month < 1 || month > 12 || day < 1 || day > 31) return std::string(d);
  return std::to_string(day) + ". " + kMonths[month - 1] + " " + std::string(d.substr(0, 4));
}

std::string facet_label(std::string_view name) {
  if (name == "committee") return "Udvalg";
  if (name == "year") return "År";
  if (name == "category") return "Kategori";
  if (name == "outcome") return "Beslutning";
  if (name == "kle") return "KLE-emne";
  if (name == "deciding") return "Besluttende udvalg";
  return std::string(name);
}

std::string search_page(const PageQuery& page, const SearchResult* r, const std::string& error,
                        std::size_t max_csv_rows) {
  std::string title = page.q.empty() ? "Referatsøgning" : page.q + " – Referatsøgning";
  std::string o = head(title, "search-page");
  o += "<main id=\"indhold\" class=\"wrap\">\n";
  o += search_form(page);
  if (!error.empty()) {
    o += chips_html(page);
    o += "<div class=\"error\" role=\"alert\"><h2>Søgningen kunne ikke gennemføres</h2><p>" +
         escape(error) + "</p></div>\n";
  } else if (!r) {
    o += "<section class=\"intro\">\n<h2>Find sager, beslutninger og begrundelser</h2>\n"
         "<p>Søg i udvalgenes referater på tværs af år. Ord findes også i bøjede former og "
         "sammensætninger (<em>kontrol</em> finder også <em>kontrollen</em> og "
         "<em>kontrolindsats</em>).</p>\n<p>Prøv for eksempel: ";
    const char* examples[] = {"negativ social kontrol", "ungdomsuddannelse", "budget OR økonomi",
                              "beslutning:godkendt"};
    bool first = true;
    for (const char* ex : examples) {
      PageQuery p;
      p.q = ex;
      if (!first) o += ", ";
      first = false;
      o += "<a href=\"/" + escape(http::to_query_string(p)) + "\">" + escape(ex) + "</a>";
    }
    o += ".</p>\n</section>\n";
  } else {
    o += "<div class=\"layout\">\n";
    o += "<section class=\"results\" aria-labelledby=\"result-title\">\n";
    o += "<div class=\"result-head\"><h2 id=\"result-title\" class=\"summary\">";
    if (r->total == 0) {
      o += "Ingen punkter fundet";
    } else {
      o += (r->total_exact ? "" : "Cirka ") + danish_count(r->total) +
           (r->total == 1 ? " punkt fundet" : " punkter fundet");
    }
    if (!page.q.empty()) o += " for <q>" + escape(page.q) + "</q>";
    o += "</h2>\n<p class=\"actions\"><span class=\"muted\">" + fmt_duration(r->elapsed_ms) + "</span>";
    if (r->total > 0) {
      PageQuery all = page;
      all.side = 1;
      all.offset = 0;
      all.antal = 10;
      o += " <a class=\"csv\" href=\"/api/search.csv" + escape(http::to_query_string(all)) +
           "\" download>";
      if (r->total <= max_csv_rows)
        o += "Hent alle " + danish_count(r->total) + " som CSV</a>";
      else
        o += "Hent de første " + danish_count(max_csv_rows) + " af " + danish_count(r->total) +
             " som CSV</a><span class=\"muted\">(højst " + danish_count(max_csv_rows) +
             " rækker pr. download)</span>";
    }
    if (page.facets) o += "<a class=\"to-facets\" href=\"#facet-title\">Afgræns</a>";
    o += "</p></div>\n";
    o += chips_html(page);
    if (r->suggestion) {
      PageQuery s = page;
      s.q = *r->suggestion;
      s.side = 1;
      s.offset = 0;
      o += "<p class=\"suggestion\">Mente du: <a href=\"/" + escape(http::to_query_string(s)) +
           "\">" + escape(*r->suggestion) + "</a>?</p>\n";
    }
    if (r->hits.empty() && r->total > 0 && page.offset >= r->total) {
      // Paged past the end (an old link, or a hand-edited side=): say so, and offer the last page.
      PageQuery last = page;
      last.side = (r->total + page.antal - 1) / page.antal;
      last.offset = (last.side - 1) * page.antal;
      o += "<p class=\"empty\">Der er ikke flere resultater. <a href=\"/" +
           escape(http::to_query_string(last)) + "\">Gå til sidste side (side " +
           std::to_string(last.side) + ")</a></p>\n";
    } else if (r->hits.empty()) {
      o += "<p class=\"empty\">Prøv færre eller andre ord, eller fjern en afgrænsning.</p>\n";
    } else {
      o += "<ol class=\"hits\" start=\"" + std::to_string(page.offset + 1) + "\">\n";
      for (const auto& h : r->hits) o += hit_html(h);
      o += "</ol>\n";
    }
    o += pager_html(page, r->total);
    o += "</section>\n";
    if (page.facets) o += facets_html(page, *r);
    o += "</div>\n";
  }
  o += "</main>\n";
  o += foot();
  return o;
}

std::string item_page(const ItemDetail& d, const std::vector<Hit>& similar) {
  const Hit& h = d.summary;
  std::string o = head(h.title + " – Referatsøgning", "item-page");
  o += "<main id=\"indhold\" class=\"wrap\">\n";
  o += "<nav class=\"crumbs\" aria-label=\"Brødkrumme\"><a href=\"/\">Søgning</a> <span "
       "aria-hidden=\"true\">›</span> ";
  {
    PageQuery p;
    p.udvalg = {h.committee};
    o += "<a href=\"/" + escape(http::to_query_string(p)) + "\">" + escape(h.committee) + "</a>";
  }
  o += "</nav>\n";
  o += "<div class=\"layout item-layout\">\n<article class=\"item\">\n";
  o += "<h1>" + escape(h.title) + "</h1>\n";
  o += meta_html(h);
  o += "<dl class=\"fields\">\n";
  auto field = [&](const char* name, const std::string& value_html) {
    o += "<div><dt>";
    o += name;
    o += "</dt><dd>" + value_html + "</dd></div>\n";
  };
  field("Udvalg", escape(h.committee));
  if (h.date) field("Mødedato", escape(danish_date(*h.date)));
  if (h.item > 0) field("Punkt", std::to_string(h.item));
  if (h.category) field("Kategori", escape(*h.category) + "-sag");
  if (h.journal) field("Journalnummer", escape(*h.journal));
  if (!h.outcomes.empty()) field("Udfald", outcomes_html(h.outcomes));
  if (!d.deciding_committees.empty()) {
    std::string v;
    for (const auto& c : d.deciding_committees) v += (v.empty() ? "" : ", ") + escape(c);
    field("Besluttende udvalg", v);
  }
  if (!d.absent.empty()) {
    std::string v;
    for (const auto& a : d.absent) v += (v.empty() ? "" : ", ") + escape(a);
    field("Fraværende", v);
  }
  if (!h.file.empty())
    field("Kilde", escape(base_name(h.file)) + (h.first_line > 0 ? ", linje " + std::to_string(h.first_line) +
                                                            "–" + std::to_string(h.last_line)
                                                      : std::string()));
  o += "</dl>\n";
  if (h.decision) {
    o += "<section class=\"decision-box\" aria-labelledby=\"beslutning\"><h2 id=\"beslutning\">"
         "Beslutning</h2>\n" +
         paragraphs(*h.decision) + "</section>\n";
  }
  int n = 0;
  for (const auto& s : d.sections) {
    if (s.name == "beslutning" && h.decision) continue;  // already shown above
    std::string heading = s.heading.empty() ? s.name : s.heading;
    std::string anchor = "afsnit-" + std::to_string(++n);
    o += "<section class=\"section\" aria-labelledby=\"" + anchor + "\"><h2 id=\"" + anchor + "\">" +
         escape(heading) + "</h2>\n" + paragraphs(s.text) + "</section>\n";
  }
  if (!d.attachments.empty()) {
    o += "<section class=\"section\"><h2>Bilag</h2><ul>\n";
    for (const auto& a : d.attachments) o += "<li>" + escape(a) + "</li>\n";
    o += "</ul></section>\n";
  }
  o += "</article>\n";
  o += "<aside class=\"similar\" aria-labelledby=\"lignende\"><h2 id=\"lignende\">Lignende "
       "punkter</h2>\n";
  if (similar.empty()) {
    o += "<p class=\"muted\">Ingen lignende punkter fundet.</p>\n";
  } else {
    o += "<ol>\n";
    for (const auto& s : similar) {
      o += "<li><a href=\"/punkt/" + escape(http::encode_id_path(s.id)) + "\">" + escape(s.title) +
           "</a>" + meta_html(s) + "</li>\n";
    }
    o += "</ol>\n";
  }
  o += "</aside>\n</div>\n</main>\n";
  o += foot();
  return o;
}

std::string message_page(const std::string& title, const std::string& message) {
  std::string o = head(title + " – Referatsøgning", "message-page");
  o += "<main id=\"indhold\" class=\"wrap\">\n<div class=\"error\" role=\"alert\"><h1>" +
       escape(title) + "</h1><p>" + escape(message) + "</p><p><a href=\"/\">Til forsiden</a></p></div>\n</main>\n";
  o += foot();
  return o;
}

}  // namespace referat::searcher::render
