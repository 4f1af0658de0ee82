#include "searcher/http/page_query.h"

#include <algorithm>
#include <charconv>
#include <initializer_list>

namespace referat::searcher::http {
namespace {

// The first value of the first parameter name present (Danish names are listed first).
const std::string* first_value(const Params& params, std::initializer_list<const char*> names) {
  for (const char* name : names) {
    auto it = params.find(name);
    if (it != params.end()) return &it->second;
  }
  return nullptr;
}

std::vector<std::string> all_values(const Params& params, std::initializer_list<const char*> names,
                                    const char* shown_name, const Limits& limits) {
  std::vector<std::string> out;
  for (const char* name : names) {
    auto [b, e] = params.equal_range(name);
    for (auto it = b; it != e; ++it) {
      if (it->second.empty()) continue;  // an empty form field means "no filter"
      if (utf8_length(it->second) > limits.max_query_chars)
        throw RequestError(std::string("Værdien af '") + shown_name + "' er for lang.");
      out.push_back(it->second);
    }
  }
  if (out.size() > limits.max_filter_values)
    throw RequestError(std::string("For mange værdier af '") + shown_name + "' (højst " +
                       std::to_string(limits.max_filter_values) + ").");
  return out;
}

std::size_t parse_count(const std::string& text, const char* name) {
  std::size_t v = 0;
  const char* b = text.data();
  const char* e = b + text.size();
  // A negative whole number is a whole number: say what is wrong with it.
  if (text.size() > 1 && text[0] == '-' &&
      std::all_of(text.begin() + 1, text.end(), [](char c) { return c >= '0' && c <= '9'; }))
    throw RequestError(std::string("'") + name + "' kan ikke være negativ" +
                       (std::string_view(name) == "side" ? "; siderne tæller fra 1." : "."));
  auto [p, ec] = std::from_chars(b, e, v);
  if (text.empty() || ec != std::errc() || p != e)
    throw RequestError(std::string("'") + name + "' skal være et helt tal, ikke '" +
                       text.substr(0, 40) + "'.");
  return v;
}

bool is_unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '~';
}

}  // namespace

bool PageQuery::empty() const {
  return q.empty() && udvalg.empty() && kategori.empty() && udfald.empty() && fra.empty() &&
         til.empty();
}

bool PageQuery::multi_valued() const {
  return udvalg.size() > 1 || kategori.size() > 1 || udfald.size() > 1;
}

PageQuery parse_page_query(const Params& params, const Limits& limits) {
  PageQuery page;
  if (const auto* q = first_value(params, {"q"})) {
    if (std::size_t n = utf8_length(*q); n > limits.max_query_chars)
      throw RequestError("Søgningen er for lang (" + std::to_string(n) + " tegn; højst " +
                         std::to_string(limits.max_query_chars) + ").");
    page.q = *q;
  }
  page.udvalg = all_values(params, {"udvalg", "committee"}, "udvalg", limits);
  page.kategori = all_values(params, {"kategori", "category"}, "kategori", limits);
  page.udfald = all_values(params, {"udfald", "outcome"}, "udfald", limits);
  if (const auto* v = first_value(params, {"fra", "from"})) page.fra = *v;
  if (const auto* v = first_value(params, {"til", "to"})) page.til = *v;
  if (page.fra.size() > 40 || page.til.size() > 40)
    throw RequestError("Datoen er for lang; skriv den som ÅÅÅÅ-MM-DD.");

  if (const auto* s = first_value(params, {"sort"})) {
    if (s->empty() || *s == "relevans" || *s == "relevance")
      page.sort = Sort::Relevance;
    else if (*s == "nyeste" || *s == "newest" || *s == "date_desc")
      page.sort = Sort::DateDesc;
    else if (*s == "ældste" || *s == "aeldste" || *s == "oldest" || *s == "date_asc")
      page.sort = Sort::DateAsc;
    else
      throw RequestError("Ukendt sortering '" + s->substr(0, 40) +
                         "'; brug relevans, nyeste eller ældste.");
  }

  if (const auto* v = first_value(params, {"antal", "n", "limit"}); v && !v->empty()) {
    page.antal = parse_count(*v, "antal");
    if (page.antal == 0 || page.antal > limits.max_page_size)
      throw RequestError("'antal' skal være mellem 1 og " + std::to_string(limits.max_page_size) +
                         ".");
  }
  if (const auto* v = first_value(params, {"side", "page"}); v && !v->empty()) {
    page.side = parse_count(*v, "side");
    if (page.side == 0) throw RequestError("'side' tæller fra 1.");
    if (page.side > limits.max_offset)  // guards the multiplication below
      throw RequestError("Så langt kan der ikke bladres; hent alle resultater som CSV.");
  }
  page.offset = (page.side - 1) * page.antal;
  if (const auto* v = first_value(params, {"offset"}); v && !v->empty()) {
    page.offset = parse_count(*v, "offset");
    page.side = page.offset / page.antal + 1;
  }
  if (page.offset > limits.max_offset)
    throw RequestError("Så langt kan der ikke bladres (højst " + std::to_string(limits.max_offset) +
                       " resultater); hent alle resultater som CSV.");

  if (const auto* v = first_value(params, {"facetter", "facets"})) {
    if (*v == "0" || *v == "false" || *v == "nej")
      page.facets = false;
    else if (v->empty() || *v == "1" || *v == "true" || *v == "ja")
      page.facets = true;
    else
      throw RequestError("'facetter' skal være 0 eller 1.");
  }
  if (const auto* v = first_value(params, {"filtre", "filters"})) {
    if (*v == "alle" || *v == "all")
      page.drill_down = true;
    else if (v->empty() || *v == "enhver" || *v == "any")
      page.drill_down = false;
    else
      throw RequestError("'filtre' skal være enhver eller alle.");
  }
  return page;
}

SearchRequest to_search_request(const PageQuery& page, const Limits& limits) {
  SearchRequest r;
  r.query = page.q;
  r.committees = page.udvalg;
  r.categories = page.kategori;
  r.outcomes = page.udfald;
  if (!page.fra.empty()) r.from = page.fra;
  if (!page.til.empty()) r.to = page.til;
  r.sort = page.sort;
  r.offset = page.offset;
  r.limit = page.antal;
  r.facets = page.facets;
  r.drill_down = page.drill_down;
  r.time_limit_seconds = limits.time_limit_seconds;
  return r;
}

std::size_t utf8_length(std::string_view s) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++n) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
    std::size_t k = 1;  // a truncated or malformed sequence counts its lead byte only
    while (k < len && i + k < s.size() && (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80) ++k;
    i += k == len ? len : 1;
  }
  return n;
}

std::string url_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size() * 3);
  for (unsigned char c : s) {
    if (is_unreserved(c)) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string encode_id_path(std::string_view id) {
  std::string out;
  std::size_t start = 0;
  while (true) {
    std::size_t slash = id.find('/', start);
    out += url_encode(id.substr(start, slash == std::string_view::npos ? slash : slash - start));
    if (slash == std::string_view::npos) break;
    out += '/';
    start = slash + 1;
  }
  return out;
}

std::string_view sort_name(Sort sort) {
  switch (sort) {
    case Sort::Relevance: return "relevans";
    case Sort::DateDesc: return "nyeste";
    case Sort::DateAsc: return "ældste";
  }
  return "relevans";
}

std::string to_query_string(const PageQuery& page) {
  std::string out;
  auto add = [&](const char* name, std::string_view value) {
    out += out.empty() ? '?' : '&';
    out += name;
    out += '=';
    out += url_encode(value);
  };
  if (!page.q.empty()) add("q", page.q);
  for (const auto& v : page.udvalg) add("udvalg", v);
  for (const auto& v : page.kategori) add("kategori", v);
  for (const auto& v : page.udfald) add("udfald", v);
  if (!page.fra.empty()) add("fra", page.fra);
  if (!page.til.empty()) add("til", page.til);
  if (page.sort != Sort::Relevance) add("sort", sort_name(page.sort));
  if (page.antal != 10) add("antal", std::to_string(page.antal));
  if (page.side > 1) add("side", std::to_string(page.side));
  if (!page.facets) add("facetter", "0");
  if (page.drill_down && page.multi_valued()) add("filtre", "alle");
  return out;
}

}  // namespace referat::searcher::http
