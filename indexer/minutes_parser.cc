// MinutesParser. The format, its traps and the line numbers quoted below: docs/minutes-format.md.
//
// Everything here is linear in the input: one pass to validate and split lines, one pass per
// item over its own lines, and string building by appending (never `a = a + b`). No std::regex:
// libstdc++'s regex is recursive and overflows the stack on long lines (a 50 MB line must work).
#include "indexer/minutes_parser.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "indexer/committees.h"

#include "indexer/pdf_text.h"

namespace referat::indexer {

std::string Diagnostic::to_string() const {
  std::string s = file;
  if (line > 0) s += ":" + std::to_string(line);
  s += severity == Severity::Error ? ": error: " : ": warning: ";
  s += message;
  return s;
}

namespace {

// ---- bytes and lines ---------------------------------------------------------------------------

/// Length of a whitespace character at s[i] (ASCII blank, U+00A0, U+2007, U+202F), else 0.
std::size_t space_len(std::string_view s, std::size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f' || c == '\n') return 1;
  if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0) return 2;
  if (c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80) {
    unsigned char d = static_cast<unsigned char>(s[i + 2]);
    if (d == 0x87 || d == 0xAF) return 3;
  }
  return 0;
}

/// Length of a whitespace character ending at s[end-1], else 0.
std::size_t space_len_before(std::string_view s, std::size_t end) {
  if (end == 0) return 0;
  unsigned char c = static_cast<unsigned char>(s[end - 1]);
  if (c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f' || c == '\n') return 1;
  if (c == 0xA0 && end >= 2 && static_cast<unsigned char>(s[end - 2]) == 0xC2) return 2;
  if ((c == 0x87 || c == 0xAF) && end >= 3 && static_cast<unsigned char>(s[end - 2]) == 0x80 &&
      static_cast<unsigned char>(s[end - 3]) == 0xE2)
    return 3;
  return 0;
}

std::string_view strip(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e) {
    std::size_t n = space_len(s, b);
    if (n == 0) break;
    b += n;
  }
  while (e > b) {
    std::size_t n = space_len_before(s, e);
    if (n == 0) break;
    e -= n;
  }
  return s.substr(b, e - b);
}

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool ends_with(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

struct Line {
  std::string_view text;  ///< stripped on both sides
  bool blank = true;
  bool leading_ws = false;  ///< the raw line starts with whitespace (a signal in layout B, §3.3)
};

/// True for UTF-16 text: a UTF-16 byte-order mark, or (no mark) a NUL in every other byte of
/// the first 200, as text of Latin letters has in UTF-16.
bool looks_utf16(std::string_view t) {
  if (t.substr(0, 2) == "\xFF\xFE" || t.substr(0, 2) == "\xFE\xFF") return true;
  const std::size_t n = std::min<std::size_t>(t.size(), 200) & ~std::size_t{1};
  if (n < 8) return false;
  std::size_t even = 0, odd = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (t[i] == '\0') ++(i % 2 ? odd : even);
  return std::max(even, odd) * 10 >= n / 2 * 9;
}

/// True when the invalid UTF-8 at `bad` is a character's first bytes cut off by the end of the
/// text (a truncated copy), not another encoding.
bool cut_inside_character(std::string_view t, std::size_t bad) {
  const auto lead = static_cast<unsigned char>(t[bad]);
  const std::size_t len = lead > 0xF4 ? 0 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 ? 2 : 0;
  if (len == 0 || bad + len <= t.size()) return false;
  for (std::size_t i = bad + 1; i < t.size(); ++i)
    if ((static_cast<unsigned char>(t[i]) & 0xC0) != 0x80) return false;
  return true;
}

/// Position (byte offset) of the first invalid UTF-8 sequence, or npos.
std::size_t invalid_utf8_at(std::string_view s) {
  std::size_t i = 0, n = s.size();
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  while (i < n) {
    unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    unsigned int cp;
    if (c >= 0xC2 && c <= 0xDF) { len = 2; cp = c & 0x1Fu; }
    else if (c >= 0xE0 && c <= 0xEF) { len = 3; cp = c & 0x0Fu; }
    else if (c >= 0xF0 && c <= 0xF4) { len = 4; cp = c & 0x07u; }
    else return i;
    if (i + len > n) return i;
    for (std::size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (p[i + k] & 0x3Fu);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
      return i;
    i += len;
  }
  return std::string_view::npos;
}

int line_of_offset(std::string_view s, std::size_t off) {
  return 1 + static_cast<int>(std::count(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(off), '\n'));
}

// ---- small text predicates -------------------------------------------------------------------

bool is_digit(char c) { return c >= '0' && c <= '9'; }

/// A letter or digit ends just before s[i] (ASCII, or a two-byte Latin-1 letter such as æ ø å).
bool word_char_before(std::string_view s, std::size_t i) {
  if (i == 0) return false;
  unsigned char c = static_cast<unsigned char>(s[i - 1]);
  if (c < 0x80) return std::isalnum(c) != 0;
  return c >= 0x80 && c <= 0xBF && i >= 2 && static_cast<unsigned char>(s[i - 2]) == 0xC3;
}

/// A letter or digit starts at s[i].
bool word_char_at(std::string_view s, std::size_t i) {
  if (i >= s.size()) return false;
  unsigned char c = static_cast<unsigned char>(s[i]);
  return c < 0x80 ? std::isalnum(c) != 0 : c == 0xC3;
}

/// Starts with a lower-case letter (ASCII or æ ø å é).
bool starts_lower(std::string_view s) {
  if (s.empty()) return false;
  unsigned char c = static_cast<unsigned char>(s[0]);
  if (c >= 'a' && c <= 'z') return true;
  if (c == 0xC3 && s.size() > 1) {
    unsigned char d = static_cast<unsigned char>(s[1]);
    return d >= 0xA0 && d <= 0xBF && d != 0xB7;
  }
  return false;
}

/// Starts with an upper-case letter (ASCII or Æ Ø Å É …).
bool starts_upper(std::string_view s) {
  if (s.empty()) return false;
  unsigned char c = static_cast<unsigned char>(s[0]);
  if (c >= 'A' && c <= 'Z') return true;
  if (c == 0xC3 && s.size() > 1) {
    unsigned char d = static_cast<unsigned char>(s[1]);
    return d >= 0x80 && d <= 0x9E && d != 0x97;
  }
  return false;
}

std::string lower_ascii(std::string_view s) {
  std::string r(s);
  for (char& c : r)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  return r;
}

/// §3.4: dd.dd.dd-Xdd-serial-yy where X is A-Z, Æ, Ø or Å.
std::optional<JournalNumber> parse_journal(std::string_view s) {
  if (s.size() < 8 + 1 + 3 + 1 + 1 + 1 + 2 || s.size() > 40) return std::nullopt;
  for (std::size_t i : {0, 1, 3, 4, 6, 7})
    if (!is_digit(s[i])) return std::nullopt;
  if (s[2] != '.' || s[5] != '.' || s[8] != '-') return std::nullopt;
  std::size_t i = 9;
  if (s[i] >= 'A' && s[i] <= 'Z') {
    i += 1;
  } else if (static_cast<unsigned char>(s[i]) == 0xC3 && i + 1 < s.size() &&
             (static_cast<unsigned char>(s[i + 1]) == 0x86 || static_cast<unsigned char>(s[i + 1]) == 0x98 ||
              static_cast<unsigned char>(s[i + 1]) == 0x85)) {
    i += 2;
  } else {
    return std::nullopt;
  }
  if (i + 2 > s.size() || !is_digit(s[i]) || !is_digit(s[i + 1])) return std::nullopt;
  std::size_t facet_end = i + 2;
  if (facet_end >= s.size() || s[facet_end] != '-') return std::nullopt;
  std::size_t j = facet_end + 1, serial_start = j;
  while (j < s.size() && is_digit(s[j])) ++j;
  if (j == serial_start || j - serial_start > 6 || j >= s.size() || s[j] != '-') return std::nullopt;
  std::size_t serial_end = j;
  ++j;
  if (s.size() - j != 2 || !is_digit(s[j]) || !is_digit(s[j + 1])) return std::nullopt;
  JournalNumber jn;
  jn.full = std::string(s);
  jn.kle = std::string(s.substr(0, 8));
  jn.facet = std::string(s.substr(9, facet_end - 9));
  jn.serial = std::stoi(std::string(s.substr(serial_start, serial_end - serial_start)));
  jn.year = (s[j] - '0') * 10 + (s[j + 1] - '0');
  return jn;
}

/// §4.1: canonical section name of an exact heading line, or nullptr.
const char* heading_name(std::string_view t) {
  static const std::array<std::pair<const char*, const char*>, 18> table = {{
      {"Resume", "resume"},
      {"Resumé", "resume"},
      {"Sagsresumé", "resume"},
      {"Sagsresume", "resume"},
      {"Effekt", "effekt"},
      {"Text", "effekt"},
      {"INDSTILLING", "indstilling"},
      {"INDSTILLING:", "indstilling"},
      {"Indstilling", "indstilling"},
      {"Indstilling fra forslagsstiller", "indstilling"},
      {"Beslutning", "beslutning"},
      {"Sagsfremstilling", "sagsfremstilling"},
      {"Økonomi", "økonomi"},
      {"Bilag", "bilag"},
      {"Baggrund", "baggrund"},
      {"Initiativretsforslag", "initiativretsforslag"},
      {"Forvaltningens belysning", "forvaltningens_belysning"},
      {"Høring", "høring"},
  }};
  if (t.size() > 40) return nullptr;
  for (const auto& [h, n] : table)
    if (t == h) return n;
  return nullptr;
}

/// "Punkt N: rest" (§3.1). Returns the number and sets `rest`; -1 when not an item line,
/// -2 when the number is absurdly long.
int parse_punkt(std::string_view t, std::string_view& rest) {
  if (!starts_with(t, "Punkt ")) return -1;
  std::size_t i = 6, b = i;
  while (i < t.size() && is_digit(t[i])) ++i;
  if (i == b || i >= t.size() || t[i] != ':') return -1;
  if (i - b > 6) return -2;
  int n = std::stoi(std::string(t.substr(b, i - b)));
  rest = strip(t.substr(i + 1));
  return n;
}

/// A table-of-contents entry: a dot leader and/or a TAB before a trailing page number.
bool is_toc_entry(std::string_view t) {
  std::size_t e = t.size();
  while (e > 0 && is_digit(t[e - 1])) --e;
  if (e == t.size() || e == 0) return false;
  if (t[e - 1] == '\t') return true;
  std::size_t dots = 0;
  while (e > 0 && (t[e - 1] == '.' || t[e - 1] == ' ')) {
    dots += t[e - 1] == '.' ? 1 : 0;
    --e;
  }
  return dots >= 4;
}

// ---- dates ---------------------------------------------------------------------------------------

int month_number(std::string_view m) {
  static const std::array<const char*, 12> names = {"januar", "februar", "marts",     "april",   "maj",      "juni",
                                                    "juli",   "august",  "september", "oktober", "november", "december"};
  std::string l = lower_ascii(m);
  for (std::size_t i = 0; i < names.size(); ++i)
    if (l == names[i]) return static_cast<int>(i) + 1;
  return 0;
}

bool valid_ymd(int y, int m, int d) {
  if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1) return false;
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int dim = days[m - 1];
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) dim = 29;
  return d <= dim;
}

std::string iso(int y, int m, int d) {
  char buf[40];  // room for any int, so the compiler can prove no truncation
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

/// "D. måned YYYY" starting at s[pos] (single spaces, the forms of §5.6). On success returns
/// the ISO date and sets `end`.
std::optional<std::string> date_at(std::string_view s, std::size_t pos, std::size_t* end = nullptr) {
  std::size_t i = pos, b = i;
  while (i < s.size() && is_digit(s[i]) && i - b < 2) ++i;
  if (i == b || i + 1 >= s.size() || s[i] != '.' || s[i + 1] != ' ') return std::nullopt;
  int d = std::stoi(std::string(s.substr(b, i - b)));
  i += 2;
  std::size_t mb = i;
  while (i < s.size() && (std::isalpha(static_cast<unsigned char>(s[i])) != 0)) ++i;
  int m = month_number(s.substr(mb, i - mb));
  if (m == 0 || i >= s.size() || s[i] != ' ') return std::nullopt;
  ++i;
  std::size_t yb = i;
  while (i < s.size() && is_digit(s[i]) && i - yb < 4) ++i;
  if (i - yb != 4 || (i < s.size() && is_digit(s[i]))) return std::nullopt;
  int y = std::stoi(std::string(s.substr(yb, 4)));
  if (!valid_ymd(y, m, d)) return std::nullopt;
  if (end) *end = i;
  return iso(y, m, d);
}

/// "D/M YYYY" or "D/M-YYYY" starting at s[pos] (§5.6: "1/11 2016" 004:34, zero-padded
/// "08/11 2016" 004:631, "31/8-2021" 002:392); day first, as everywhere in Danish. The
/// look-alikes of §5.6 have no four-digit year right after them: fractions "7/12-dele",
/// "2/12 virkning", "1/4 så mange", "24/7". On success returns the ISO date and sets `end`.
std::optional<std::string> numeric_date_at(std::string_view s, std::size_t pos, std::size_t* end = nullptr) {
  auto number = [&](std::size_t& i, std::size_t max_digits) {
    std::size_t b = i;
    while (i < s.size() && is_digit(s[i]) && i - b < max_digits) ++i;
    return i == b ? -1 : std::stoi(std::string(s.substr(b, i - b)));
  };
  std::size_t i = pos;
  int d = number(i, 2);
  if (d < 0 || i >= s.size() || s[i] != '/') return std::nullopt;
  ++i;
  int m = number(i, 2);
  if (m < 0 || i + 1 >= s.size() || (s[i] != ' ' && s[i] != '-')) return std::nullopt;
  ++i;
  std::size_t yb = i;
  int y = number(i, 4);
  if (i - yb != 4 || (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) != 0 || s[i] == '/'))) return std::nullopt;
  if (!valid_ymd(y, m, d)) return std::nullopt;
  if (end) *end = i;
  return iso(y, m, d);
}

/// A date in running text: "D. måned YYYY" or "D/M YYYY" (date_at, numeric_date_at).
std::optional<std::string> text_date_at(std::string_view s, std::size_t pos, std::size_t* end = nullptr) {
  if (auto d = date_at(s, pos, end)) return d;
  return numeric_date_at(s, pos, end);
}

std::string period_of(const std::string& iso_date) {
  int y = std::stoi(iso_date.substr(0, 4));
  int start = y - ((y - 2002) % 4 + 4) % 4;  // byrådsperioder: 2014-2017, 2018-2021, 2022-2025
  return std::to_string(start) + "-" + std::to_string(start + 3);
}

// ---- line cleaning and joining (§2.3, §7) ------------------------------------------------------

/// Markdown table separator rows ("------\t------", "|-----|--|", "- | | |") carry no text.
bool is_separator_row(std::string_view t) {
  int dashes = 0;
  bool pipe = false;
  for (char c : t) {
    if (c == '-') ++dashes;
    else if (c == '|') pipe = true;
    else if (c != ' ' && c != '\t' && c != ':') return false;
  }
  return dashes >= 3 || (pipe && dashes >= 1);
}

/// Removes the markdown/HTML artefacts of §2.3 and turns TAB-separated cells into " | ".
std::string clean_line(std::string_view t) {
  std::string out;
  out.reserve(t.size());
  if (!t.empty() && t.front() == '|') {  // pipe table row: drop the outer pipes
    t.remove_prefix(1);
    if (!t.empty() && t.back() == '|') t.remove_suffix(1);
    t = strip(t);
  }
  // Pairs of single '*' around text ("*At undersøge … voksenområde*") are italics; a lone '*'
  // (footnote "advis*." / "* I forventet …") stays.
  std::size_t italic_open = std::string_view::npos, italic_close = std::string_view::npos;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i] != '*' || (i + 1 < t.size() && t[i + 1] == '*') || (i > 0 && t[i - 1] == '*')) continue;
    bool after_text = i + 1 < t.size() && t[i + 1] != ' ';
    bool before_text = i > 0 && t[i - 1] != ' ';
    if (italic_open == std::string_view::npos) {
      if (after_text && (i == 0 || !before_text || t[i - 1] == '"' || static_cast<unsigned char>(t[i - 1]) == 0x9D))
        italic_open = i;
    } else if (before_text) {
      italic_close = i;
      break;
    }
  }
  if (italic_close == std::string_view::npos) italic_open = std::string_view::npos;
  bool in_tabs = false;
  for (std::size_t i = 0; i < t.size(); ++i) {
    char c = t[i];
    if (i == italic_open || i == italic_close) continue;
    if (c == '\t') {
      if (!in_tabs) out += " | ";
      in_tabs = true;
      continue;
    }
    in_tabs = false;
    if (c == '*' && i + 1 < t.size() && t[i + 1] == '*') {  // **bold**
      ++i;
      continue;
    }
    if (c == '<') {  // <p>, </p>, <i>, </i>, <br/>, <b>, <em> …
      std::size_t j = i + 1;
      if (j < t.size() && t[j] == '/') ++j;
      std::size_t nb = j;
      while (j < t.size() && j - nb < 10 && std::isalpha(static_cast<unsigned char>(t[j]))) ++j;
      if (j > nb && j < t.size() && t[j] == '/') ++j;
      if (j > nb && j < t.size() && t[j] == '>') {
        i = j;
        if (!out.empty() && out.back() != ' ') out += ' ';
        continue;
      }
    }
    if (c == ']' && i + 2 < t.size() && t[i + 1] == '(' && t[i + 2] == '#') {  // [text](#…)
      std::size_t close = t.find(')', i);
      std::size_t open = out.rfind('[');
      if (close != std::string_view::npos && close - i < 200 && open != std::string::npos) {
        out.erase(open, 1);
        i = close;
        continue;
      }
    }
    out += c;
  }
  // collapse runs of spaces left by removed tags
  std::string r;
  r.reserve(out.size());
  for (char c : out) {
    if (c == ' ' && (r.empty() || r.back() == ' ')) continue;
    r += c;
  }
  while (!r.empty() && r.back() == ' ') r.pop_back();
  return r;
}

/// Appends `next` to `acc` the way a hard-wrapped line continues (§7.1): a line-final hyphen is
/// never deleted; a spaced dash joins with a space; "X-" + "og/eller/samt/til …" is a suspended
/// compound (space); any other "X-" + text is a hyphenated compound (no space: "HR-opgaver").
void append_joined(std::string& acc, std::string_view next) {
  if (acc.empty()) {
    acc += next;
    return;
  }
  if (next.empty()) return;
  bool hyphen = acc.back() == '-';
  bool en_dash = ends_with(acc, "\xE2\x80\x93");
  if (hyphen || en_dash) {
    std::size_t dash_len = hyphen ? 1 : 3;
    bool spaced = acc.size() == dash_len || acc[acc.size() - dash_len - 1] == ' ';
    if (!spaced && !en_dash) {
      bool suspended = false;
      for (std::string_view w : {"og", "eller", "samt", "til"})
        if (starts_with(next, w) && (next.size() == w.size() || next[w.size()] == ' ' || next[w.size()] == ','))
          suspended = true;
      if (!suspended) {
        acc += next;
        return;
      }
    }
  }
  acc += ' ';
  acc += next;
}

/// A page break or blank line that split a sentence (§2.1, §2.2): the text so far has no final
/// punctuation and the continuation starts with a lower-case letter.
bool continues_sentence(const std::string& acc, std::string_view next) {
  if (acc.empty() || !starts_lower(next)) return false;
  std::string_view a = acc;
  while (!a.empty() && (a.back() == '"' || a.back() == ')' || a.back() == '\'')) a.remove_suffix(1);
  while (ends_with(a, "\xE2\x80\x9D") || ends_with(a, "\xE2\x80\x99")) a.remove_suffix(3);
  if (a.empty()) return false;
  char c = a.back();
  return !(c == '.' || c == '!' || c == '?' || c == ':' || c == ';');
}

/// How a file's lines relate to its paragraphs.
struct Layout {
  bool one_per_line = false;  ///< layout A: each line is a paragraph
  std::size_t short_line = 0; ///< layout B: a line shorter than this (in characters) ends early
};

std::size_t utf8_length(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

/// The width of a file's text: the k-th widest of `widths` (k = max(3, n/100), the narrowest
/// when there are fewer), so that a few stray long lines do not count. Reorders `widths`.
std::size_t robust_width(std::vector<std::size_t>& widths) {
  if (widths.empty()) return 0;
  std::size_t k = std::min(std::max<std::size_t>(3, widths.size() / 100), widths.size());
  std::nth_element(widths.begin(), widths.begin() + static_cast<std::ptrdiff_t>(k - 1), widths.end(), std::greater<>());
  return widths[k - 1];
}

/// Layout B: a short line followed by a line starting with a capital or a bullet is a line of
/// its own (subheading, list item, table cell: 001:38-39, 000:259-262), kept with "\n" inside
/// the paragraph instead of being run into the next line. Never after a hyphen/dash or comma,
/// which continue (000:392 "1/6 2021 -" ⏎ "30/9 2024").
bool keeps_line_break(std::string_view prev, std::string_view next, const Layout& layout) {
  if (prev.empty() || utf8_length(prev) >= layout.short_line) return false;
  char last = prev.back();
  if (last == '-' || last == ',' || ends_with(prev, "\xE2\x80\x93")) return false;
  return starts_upper(next) || starts_with(next, "\xE2\x80\xA2") || starts_with(next, "- ");
}

/// Paragraphs of lines[b, e). Layout A (one paragraph per line): each line is a paragraph.
/// Layout B (hard-wrapped): consecutive lines are joined (§7.1), except a short line before a
/// capitalised one (keeps_line_break). In both, a paragraph split by blank lines mid-sentence is
/// re-joined.
std::vector<std::string> paragraphs(const std::vector<Line>& lines, std::size_t b, std::size_t e, const Layout& layout,
                                    std::size_t skip = std::string_view::npos) {
  std::vector<std::string> out;
  std::string cur, prev_line;
  bool have = false, gap = false;
  for (std::size_t i = b; i < e; ++i) {
    if (i == skip) continue;
    const Line& l = lines[i];
    if (l.blank) {
      gap = gap || have;
      continue;
    }
    if (is_separator_row(l.text)) continue;
    std::string c = clean_line(l.text);
    if (c.empty()) continue;
    if (!have) {
      cur = c;
      have = true;
    } else if (gap || layout.one_per_line) {
      if (continues_sentence(cur, c)) {
        append_joined(cur, c);
      } else {
        out.push_back(std::move(cur));
        cur = c;
      }
    } else if (keeps_line_break(prev_line, c, layout)) {
      cur += '\n';
      cur += c;
    } else {
      append_joined(cur, c);
    }
    prev_line = std::move(c);
    gap = false;
  }
  if (have) out.push_back(std::move(cur));
  return out;
}

std::string join_paragraphs(const std::vector<std::string>& ps) {
  std::string r;
  for (const auto& p : ps) {
    if (!r.empty()) r += "\n\n";
    r += p;
  }
  return r;
}

// ---- decisions (§6) and attendance (§5.5) ------------------------------------------------------

/// Outcome of a statement without a committee, or "" when `s` is no decision statement:
/// "Orientering givet." and the passive forms of the outcome verbs (§6.3), with or without a
/// subject and "blev"/"er": "Indstillingen anbefales.", "Dagsordenen godkendes.", "Sagen tages
/// til efterretning.", "Sagen blev udsat.", "Anbefales.", "Godkendt.". A negated form
/// ("Indstillingen anbefales ikke.") is a statement with outcome "andet".
std::string implied_outcome(std::string_view s) {
  std::string l = lower_ascii(strip(s));
  if (starts_with(l, "orientering givet") || starts_with(l, "orienteringen givet") ||
      starts_with(l, "orienteringen blev givet"))
    return "orientering_givet";
  std::string_view r = l;
  bool amendment = false;
  for (std::string_view subject : {"indstillingen ", "sagen ", "dagsordenen ", "orienteringen ", "punktet ", "forslaget ",
                                   "anbefalingen ", "ændringsforslaget ", "\xC3\x86ndringsforslaget "}) {
    if (!starts_with(r, subject)) continue;
    amendment = subject.find("ndringsforslaget") != std::string_view::npos;
    r.remove_prefix(subject.size());
    break;
  }
  for (std::string_view aux : {"blev ", "er "})
    if (starts_with(r, aux)) r.remove_prefix(aux.size());
  static const std::array<std::pair<const char*, const char*>, 17> verbs = {{
      {"anbefales", "anbefalet"},
      {"anbefalet", "anbefalet"},
      {"godkendes", "godkendt"},
      {"godkendt", "godkendt"},
      {"tiltrædes", "godkendt"},
      {"tiltrådt", "godkendt"},
      {"tages til efterretning", "taget_til_efterretning"},
      {"taget til efterretning", "taget_til_efterretning"},
      {"udsættes", "udsat"},
      {"udsat", "udsat"},
      {"drøftes", "drøftet"},
      {"drøftet", "drøftet"},
      {"forkastes", "forkastet"},
      {"forkastet", "forkastet"},
      {"afvises", "forkastet"},
      {"oversendes", "oversendt"},
      {"oversendt", "oversendt"},
  }};
  for (const auto& [verb, outcome] : verbs) {
    std::string_view v = verb;
    if (!starts_with(r, v) || word_char_at(r, v.size())) continue;  // "udsat", not "udsatte unge"
    std::string_view after = r.substr(v.size());
    if (starts_with(after, " ikke")) return "andet";
    if (amendment && std::string_view(outcome) == "godkendt") return "ændringsforslag_godkendt";
    return outcome;
  }
  return "";
}

/// Outcome of the rest of a statement after its committee name(s): "anbefaler indstillingen"
/// -> anbefalet (§6.3). A label before a colon is skipped and the passive forms are read too
/// ("Børn- og Ungeudvalgets anbefaling: Indstillingen anbefales.").
std::string outcome_of(std::string_view rest) {
  std::string r = lower_ascii(strip(rest));
  if (std::size_t colon = r.find(':'); colon != std::string::npos && colon < 30 &&
                                       strip(std::string_view(r).substr(0, colon)).find(' ') == std::string_view::npos)
    return outcome_of(std::string_view(rest).substr(rest.find(':') + 1));
  auto has = [&](std::string_view w) { return r.find(w) != std::string::npos; };
  auto begins = [&](std::string_view w) { return starts_with(r, w); };
  if (has("godkender ændringsforslag") || has("godkendte ændringsforslag")) return "ændringsforslag_godkendt";
  if (begins("anbefaler ikke") || begins("kan ikke anbefale")) return "andet";
  if (begins("anbefaler") || begins("anbefalede")) return "anbefalet";
  if (begins("godkender") || begins("godkendte") || begins("tiltræder") || begins("vedtog")) return "godkendt";
  if (begins("drøftede") || begins("drøfter")) return "drøftet";
  if ((begins("udsatte") || begins("udsætter")) &&
      (has("drøftelsen") || has("sagen") || has("punktet") || has("behandlingen")))
    return "udsat";
  if (has("til efterretning")) return "taget_til_efterretning";
  if (begins("forkaster") || begins("forkastede") || begins("afviser") || begins("afviste")) return "forkastet";
  if (begins("oversender") || begins("oversendte")) return "oversendt";
  if (auto o = implied_outcome(r); !o.empty()) return o;
  return "andet";
}

/// "Udvalgsmedlem(merne) A, B og C deltog ikke i behandlingen af punktet|udvalgsmødet|mødet."
bool parse_attendance(std::string_view s, std::vector<std::string>& names, std::string& scope) {
  std::string_view rest;
  if (starts_with(s, "Udvalgsmedlemmerne ")) rest = s.substr(19);
  else if (starts_with(s, "Udvalgsmedlem ")) rest = s.substr(14);
  else return false;
  std::size_t k = rest.find(" deltog ikke i ");
  if (k == std::string_view::npos) return false;
  std::string_view who = rest.substr(0, k), what = strip(rest.substr(k + 15));
  if (starts_with(what, "behandlingen af punktet") || starts_with(what, "behandlingen af sagen")) scope = "item";
  else if (starts_with(what, "udvalgsmødet") || starts_with(what, "mødet")) scope = "meeting";
  else return false;
  names.clear();
  std::string cur;
  std::size_t i = 0;
  auto flush = [&] {
    std::string_view n = strip(cur);
    if (!n.empty()) names.emplace_back(n);
    cur.clear();
  };
  while (i < who.size()) {
    if (who.substr(i, 2) == ", ") {
      flush();
      i += 2;
    } else if (who.substr(i, 4) == " og ") {
      flush();
      i += 4;
    } else {
      cur += who[i++];
    }
  }
  flush();
  return !names.empty();
}

int count_quotes(std::string_view s) {
  int n = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '"') ++n;
    else if (s.substr(i, 3) == "\xE2\x80\x9D" || s.substr(i, 3) == "\xE2\x80\x9C") ++n;
  }
  return n;
}

/// Splits a paragraph into sentences at ". " followed by an upper-case letter, so that a
/// statement and the attendance sentence on the next wrapped line (001:497-500) separate.
std::vector<std::string_view> sentences(std::string_view p) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i + 2 < p.size(); ++i) {
    if (p[i] == '.' && (p[i + 1] == ' ' || p[i + 1] == '\n') && starts_upper(p.substr(i + 2))) {
      out.push_back(p.substr(start, i + 1 - start));
      start = i + 2;
    }
  }
  out.push_back(p.substr(start));
  return out;
}

/// Committees named at the start of a statement: "Børn- og Ungeudvalget og Beskæftigelses- og
/// Socialudvalget anbefaler …" names two. `consumed` is the length of the names and joiners.
std::vector<std::string> committees_at_start(std::string_view s, std::size_t& consumed) {
  std::vector<std::string> r;
  consumed = 0;
  std::size_t offset = 0;  // start of `rest` within `s`
  std::string_view rest = s;
  while (auto m = committee_at_start(rest)) {
    r.push_back(m->canonical);
    consumed = offset + m->length;
    std::size_t k = m->length;
    while (k < rest.size() && (rest[k] == ',' || rest[k] == ' ')) ++k;
    std::string_view tail = rest.substr(k);
    std::size_t j = starts_with(tail, "og ") ? 3 : starts_with(tail, "samt ") ? 5 : 0;
    std::string_view next = tail.substr(j);
    if ((j == 0 && (k == m->length || rest[m->length] != ',')) || !committee_at_start(next)) break;
    offset += k + j;
    rest = next;
  }
  return r;
}

void parse_decisions(const std::vector<std::string>& paras, Item& item) {
  std::string preamble;
  bool in_quote = false;
  // Statements [group_begin, decisions.size()) were made together (one sentence naming several
  // committees); they share one text, completed when the next statement starts.
  std::size_t group_begin = 0;
  bool have_cur = false;
  auto close_group = [&] {
    if (!have_cur) return;
    for (std::size_t k = group_begin; k + 1 < item.decisions.size(); ++k) item.decisions[k].text = item.decisions.back().text;
  };
  for (const auto& p : paras) {
    bool first_in_para = true;
    for (std::string_view s : sentences(p)) {
      std::vector<std::string> names;
      std::string scope;
      std::vector<DecisionStatement> started;
      if (!in_quote) {
        if (parse_attendance(s, names, scope)) {
          for (auto& n : names)
            item.absent.push_back(Absence{n, scope, have_cur ? item.decisions.back().committee : std::string()});
          first_in_para = false;
          continue;
        }
        // "Et flertal i <committee> anbefaler …", "Et enigt udvalg …": the majority's
        // statement is the committee's decision (a minority's is not: "Et mindretal …" stays
        // text of the statement before it).
        std::string_view st = s;
        bool majority = false;
        for (std::string_view lead : {"Et flertal i ", "Et enigt ", "Et samlet "})
          if (starts_with(st, lead)) {
            st.remove_prefix(lead.size());
            majority = true;
            break;
          }
        std::size_t consumed = 0;
        auto cs = committees_at_start(st, consumed);
        if (!cs.empty()) {
          std::string outcome = outcome_of(st.substr(consumed));
          for (auto& c : cs) started.push_back(DecisionStatement{c, outcome, ""});
        } else if (starts_with(st, "Udvalget ") || (majority && (starts_with(st, "udvalget ") || starts_with(st, "udvalg ")))) {
          // the meeting committee, unnamed
          started.push_back(DecisionStatement{"", outcome_of(st.substr(st.find(' ') + 1)), ""});
        } else if (auto o = implied_outcome(s); !o.empty()) {
          started.push_back(DecisionStatement{"", o, ""});
        }
      }
      if (!started.empty()) {
        close_group();
        group_begin = item.decisions.size();
        for (auto& d : started) item.decisions.push_back(std::move(d));
        have_cur = true;
        DecisionStatement& cur = item.decisions.back();
        cur.text = std::move(preamble);
        preamble.clear();
        if (!cur.text.empty()) cur.text += "\n\n";
        cur.text += s;
      } else {
        std::string& target = have_cur ? item.decisions.back().text : preamble;
        if (!target.empty()) target += first_in_para ? "\n\n" : " ";
        target += s;
      }
      if (count_quotes(s) % 2 == 1) in_quote = !in_quote;
      first_in_para = false;
    }
  }
  close_group();
  if (!preamble.empty()) {  // text without any recognisable statement
    item.decisions.push_back(DecisionStatement{"", "andet", preamble});
  }
}

// ---- items ---------------------------------------------------------------------------------------

struct ItemScan {
  std::size_t start, end;  // line indices [start, end)
  int number;
  std::string_view rest;
};

/// A title is a line of the agenda, not a paragraph: longer than this (in characters) it is
/// cut, and the rest becomes body text (a file whose "Punkt N:" line runs on for megabytes).
constexpr std::size_t kMaxTitleChars = 1000;

/// Byte offset of the `n`-th UTF-8 character of `s` (s.size() when shorter).
std::size_t utf8_offset(std::string_view s, std::size_t n) {
  for (std::size_t i = 0; i < s.size(); ++i)
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && n-- == 0) return i;
  return s.size();
}

/// Parses one item. `title_chars` is set to the title's length in characters when it was longer
/// than kMaxTitleChars and cut (at the last space in its last fifth, else at a character
/// boundary); the cut-off rest opens the body section, so no text is lost. Else 0.
Item parse_item(const std::vector<Line>& lines, const ItemScan& sc, const Layout& layout, std::size_t& title_chars) {
  Item item;
  item.number = sc.number;
  item.first_line = static_cast<int>(sc.start) + 1;
  item.last_line = item.first_line;
  for (std::size_t i = sc.start; i < sc.end; ++i)
    if (!lines[i].blank) item.last_line = static_cast<int>(i) + 1;

  // Title (§3.3): the rest of the Punkt line plus following lines up to the first blank line,
  // stopping before a line that begins with whitespace, is a heading or a journal number.
  std::string title = clean_line(sc.rest);
  std::size_t i = sc.start + 1;
  while (i < sc.end && !lines[i].blank && !lines[i].leading_ws && heading_name(lines[i].text) == nullptr &&
         !parse_journal(lines[i].text)) {
    append_joined(title, clean_line(lines[i].text));
    ++i;
  }
  // Category (§3.2): "B-sag:" / "D-Sag:".
  if (title.size() >= 6 && title[0] >= 'A' && title[0] <= 'E' && title[1] == '-' && (title[2] == 's' || title[2] == 'S') &&
      title.substr(3, 3) == "ag:") {
    item.category = title[0];
    std::size_t k = 6;
    while (k < title.size() && title[k] == ' ') ++k;
    title.erase(0, k);
  }
  std::string title_rest;
  title_chars = 0;
  if (title.size() > kMaxTitleChars && utf8_length(title) > kMaxTitleChars) {
    title_chars = utf8_length(title);
    std::size_t cut = utf8_offset(title, kMaxTitleChars);
    std::size_t sp = title.rfind(' ', cut);
    if (sp != std::string::npos && utf8_length(std::string_view(title).substr(0, sp)) >= kMaxTitleChars * 4 / 5) cut = sp;
    title_rest = std::string(strip(std::string_view(title).substr(cut)));
    title.resize(cut);
    title = std::string(strip(title));
  }
  const int title_last_line = static_cast<int>(i);  // 1-based line of the title's last line
  item.title = std::move(title);

  // Journal number: the first journal-pattern line before the first heading.
  std::size_t journal_line = std::string_view::npos;
  for (std::size_t j = i; j < sc.end; ++j) {
    if (lines[j].blank) continue;
    if (heading_name(lines[j].text) != nullptr) break;
    if (auto jn = parse_journal(lines[j].text)) {
      item.journal = std::move(*jn);
      journal_line = j;
      break;
    }
  }

  // Headings (§4.2).
  std::size_t last_okonomi = std::string_view::npos;
  for (std::size_t j = i; j < sc.end; ++j)
    if (!lines[j].blank && lines[j].text == "Økonomi") last_okonomi = j;
  struct H {
    std::size_t line;
    std::string name;
  };
  std::vector<H> heads;
  auto seen = [&](std::string_view n) {
    return std::any_of(heads.begin(), heads.end(), [&](const H& h) { return h.name == n; });
  };
  for (std::size_t j = i; j < sc.end; ++j) {
    if (lines[j].blank) continue;
    const char* n = heading_name(lines[j].text);
    if (n == nullptr) continue;
    std::string name = n;
    if (name == "høring") continue;                                    // always a subheading (§4.3)
    if (name == "økonomi" && j != last_okonomi) continue;              // pejlemærke 000:1043
    if (name == "effekt" && lines[j].text == "Effekt" && seen("indstilling")) continue;  // 000:1007
    if (name == "baggrund" && !heads.empty()) continue;                // subheading except 000:1098
    if (seen(name)) continue;
    if (seen("bilag")) continue;  // attachment names run to the end of the item
    heads.push_back({j, name});
  }

  // Body before the first heading (000#7, 000#8 have no heading at all).
  std::size_t first_head = heads.empty() ? sc.end : heads.front().line;
  {
    auto ps = paragraphs(lines, i, first_head, layout, journal_line);
    if (!ps.empty()) {
      Section s;
      s.name = "body";
      std::size_t fl = i;
      while (fl < first_head && (lines[fl].blank || fl == journal_line)) ++fl;
      s.first_line = static_cast<int>(fl) + 1;
      s.last_line = s.first_line;
      for (std::size_t j = fl; j < first_head; ++j)
        if (!lines[j].blank && j != journal_line) s.last_line = static_cast<int>(j) + 1;
      s.text = join_paragraphs(ps);
      item.sections.push_back(std::move(s));
    }
    if (!title_rest.empty()) {  // the cut-off end of a long title opens the body (the only section yet)
      if (item.sections.empty()) {
        Section s;
        s.name = "body";
        s.last_line = title_last_line;
        item.sections.push_back(std::move(s));
      } else {
        title_rest += "\n\n";
      }
      Section& body = item.sections.front();
      body.text.insert(0, title_rest);
      body.first_line = item.first_line;
    }
  }
  for (std::size_t h = 0; h < heads.size(); ++h) {
    std::size_t b = heads[h].line + 1, e = h + 1 < heads.size() ? heads[h + 1].line : sc.end;
    Section s;
    s.name = heads[h].name;
    s.heading = std::string(lines[heads[h].line].text);
    s.first_line = static_cast<int>(heads[h].line) + 1;
    s.last_line = s.first_line;
    for (std::size_t j = b; j < e; ++j)
      if (!lines[j].blank) s.last_line = static_cast<int>(j) + 1;
    if (s.name == "bilag") {
      for (std::size_t j = b; j < e; ++j) {
        if (lines[j].blank) continue;
        std::string a = clean_line(lines[j].text);
        if (!a.empty()) item.attachments.push_back(std::move(a));
      }
      for (const auto& a : item.attachments) {
        if (!s.text.empty()) s.text += "\n";
        s.text += a;
      }
    } else {
      auto ps = paragraphs(lines, b, e, layout);
      s.text = join_paragraphs(ps);
      if (s.name == "beslutning") parse_decisions(ps, item);
    }
    item.sections.push_back(std::move(s));
  }
  return item;
}

// ---- meeting metadata (§5) -----------------------------------------------------------------------

struct Header {
  bool found = false;
  std::string committee, period, date, time, place, weekday;
  int committee_line = 0;
};

Header parse_header(const std::vector<Line>& lines, std::size_t end, const std::string& file,
                    std::vector<Diagnostic>& diags) {
  Header h;
  for (std::size_t i = 0; i < end; ++i) {
    std::string_view t = lines[i].text;
    if (starts_with(t, "REFERAT ")) {
      h.found = true;
      std::string_view r = t.substr(8);
      std::size_t d = r.rfind(" d. ");
      std::string impossible;  // a date in the right form that is no date (31-02-2025, 1850)
      if (d != std::string_view::npos) {
        std::string_view ds = strip(r.substr(d + 4));
        if (ds.size() == 10 && ds[2] == '-' && ds[5] == '-') {
          int dd = std::atoi(std::string(ds.substr(0, 2)).c_str()), mm = std::atoi(std::string(ds.substr(3, 2)).c_str()),
              yy = std::atoi(std::string(ds.substr(6, 4)).c_str());
          if (valid_ymd(yy, mm, dd)) h.date = iso(yy, mm, dd);
          else impossible = std::string(ds);
        }
        r = r.substr(0, d);
      }
      std::size_t sp = r.rfind(' ');
      if (sp != std::string_view::npos) {
        std::string_view per = r.substr(sp + 1);
        if (per.size() == 9 && per[4] == '-' && is_digit(per[0]) && is_digit(per[8])) {
          h.period = std::string(per);
          r = r.substr(0, sp);
        }
      }
      h.committee = std::string(strip(r));
      h.committee_line = static_cast<int>(i) + 1;
      if (!impossible.empty())
        diags.push_back({Diagnostic::Severity::Warning, file, static_cast<int>(i) + 1,
                         "REFERAT line with an impossible date '" + impossible +
                             "' (not a day of 1900-2200); the date is taken from elsewhere, if anywhere"});
      else if (h.date.empty())
        diags.push_back({Diagnostic::Severity::Warning, file, static_cast<int>(i) + 1, "REFERAT line without a date 'd. DD-MM-YYYY'"});
    } else if (starts_with(t, "Mødedato ")) {
      std::string_view r = t.substr(10);  // "Mødedato " is 10 bytes (ø is two)
      std::size_t sp = r.find(' ');
      if (sp != std::string_view::npos) h.weekday = std::string(r.substr(0, sp));
      std::size_t kl = r.rfind(" kl. ");
      if (kl != std::string_view::npos) h.time = std::string(strip(r.substr(kl + 5)));
      std::size_t dpos = r.find("d. ");
      if (dpos != std::string_view::npos) {
        if (auto d = date_at(r, dpos + 3)) {
          if (h.date.empty()) h.date = *d;
          else if (*d != h.date)
            diags.push_back({Diagnostic::Severity::Warning, file, static_cast<int>(i) + 1,
                             "Mødedato " + *d + " differs from the REFERAT line's date " + h.date});
        }
      }
    } else if (starts_with(t, "Mødested ")) {
      std::string place(strip(t.substr(10)));
      for (std::size_t j = i + 1; j < end && !lines[j].blank; ++j) {
        place += ' ';
        place += lines[j].text;
      }
      h.place = std::move(place);
    }
  }
  return h;
}

/// All text of the file, paragraph by paragraph, for metadata inference.
std::vector<std::string_view> all_paragraphs(const Meeting& m) {
  std::vector<std::string_view> r;
  for (const auto& it : m.items)
    for (const auto& s : it.sections) {
      std::string_view t = s.text;
      std::size_t b = 0;
      while (b <= t.size()) {
        std::size_t e = t.find("\n\n", b);
        if (e == std::string_view::npos) e = t.size();
        r.push_back(t.substr(b, e - b));
        b = e + 2;
      }
    }
  return r;
}

/// §5.2 (1): "Godkendelse af dagsordenen til X-udvalgets møde den D. måned YYYY".
void infer_from_agenda(const Meeting& m, std::optional<std::string>& committee, std::optional<std::string>& date) {
  static const std::string_view key = "odkendelse af dagsordenen til ";
  for (std::string_view p : all_paragraphs(m)) {
    std::size_t k = p.find(key);
    if (k == std::string_view::npos) continue;
    std::string_view rest = p.substr(k + key.size());
    std::size_t mo = rest.find(" møde den ");
    if (mo == std::string_view::npos || mo > 120) continue;
    auto c = canonical_committee(rest.substr(0, mo));
    auto d = date_at(rest, mo + std::strlen(" møde den "));
    if (c && d) {
      committee = c;
      date = d;
      return;
    }
  }
}

/// §5.2 (2): the committee that opens most items' Beslutning statements.
std::optional<std::string> infer_committee_from_decisions(const Meeting& m) {
  std::map<std::string, int> votes;
  std::vector<std::string> order;
  for (const auto& it : m.items) {
    for (const auto& d : it.decisions) {
      if (d.committee.empty()) continue;
      if (votes[d.committee]++ == 0) order.push_back(d.committee);
      break;  // first explicit statement of the item only
    }
  }
  std::optional<std::string> best;
  int n = 0;
  for (const auto& c : order)
    if (votes[c] > n) {
      n = votes[c];
      best = c;
    }
  return best;
}

/// §5.2 (4): "… orientering til X" / "… gives hermed til X".
std::optional<std::string> infer_committee_from_addressee(const Meeting& m) {
  for (std::string_view p : all_paragraphs(m)) {
    for (std::string_view key : {"orientering til ", "gives hermed til "}) {
      std::size_t k = p.find(key);
      if (k == std::string_view::npos) continue;
      if (auto c = committee_at_start(p.substr(k + key.size()))) return c->canonical;
    }
  }
  return std::nullopt;
}

/// `w` (lower case; may contain a space: "på ny") occurs in `lower` as whole words.
bool has_word(std::string_view lower, std::string_view w) {
  for (std::size_t k = lower.find(w); k != std::string_view::npos; k = lower.find(w, k + 1))
    if (!word_char_before(lower, k) && !word_char_at(lower, k + w.size())) return true;
  return false;
}

/// The first word of `s` after leading spaces and commas, lower-cased (ASCII letters only).
std::string first_word(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == ',' || s[i] == '\n')) ++i;
  std::size_t b = i;
  while (word_char_at(s, i)) i += static_cast<unsigned char>(s[i]) == 0xC3 ? 2 : 1;
  return lower_ascii(s.substr(b, i - b));
}

/// A Danish finite verb in the present tense (the -r/-s forms and the modals), as the first word
/// of a main clause: "behandles", "sendes", "forventes", "vil", "skal". "har" is the perfect.
bool present_finite_verb(const std::string& w) {
  if (w == "har" || w == "var") return false;
  if (w == "vil" || w == "skal" || w == "kan" || w == "må" || w == "bør") return true;
  return w.size() >= 4 && (w.back() == 'r' || w.back() == 's');
}

/// §5.2 (3): "Sagen behandles i (…) <committee> (…) den D. måned YYYY", "Efter behandlingen i
/// de to fagudvalg den …", "<committee> (…) behandler sagen den …"; "d." for "den" and
/// "D/M YYYY" for the date as well (the 2016 template, §5.6). Only present/future forms
/// (past "behandlet/behandlede" refers to earlier meetings). The date must follow the verb in
/// the same sentence, and the meeting committee (or "fagudvalg") must be named between verb and
/// date, or before the verb in the same sentence. The most frequent candidate wins.
///
/// A sentence that is about another meeting gives no candidate (unknown beats wrong):
/// * a later one: "igen", "atter", "på ny", "næste gang", "næstkommende", "senere" before the
///   date ("Sagen behandles igen i Børn- og Ungeudvalget den 14. juni 2022, når …");
/// * an earlier one: "har", "havde" or "blev" after the date ("Efter behandlingen i … den
///   2. marts 2021 har forvaltningen udarbejdet …");
/// * "behandlingen" is a noun: the tense is in the main clause, so it counts only fronted
///   ("Efter/Ved/Inden behandlingen i … den D. måned YYYY") with a present-tense verb right
///   after the date (000:60 "…, behandles sagen i Økonomiudvalget");
/// * the infinitive "behandle" after a past or perfect auxiliary ("skulle behandle", "har
///   besluttet at behandle").
std::optional<std::string> infer_date_from_text(const Meeting& m, const std::string& committee) {
  std::map<std::string, int> votes;
  std::vector<std::string> order;
  for (std::string_view p : all_paragraphs(m)) {
    std::size_t pos = 0;
    while ((pos = p.find("ehandl", pos)) != std::string_view::npos) {
      std::size_t wb = pos;
      pos += 6;
      if (wb == 0 || (p[wb - 1] != 'b' && p[wb - 1] != 'B')) continue;
      --wb;
      if (wb > 0 && std::isalpha(static_cast<unsigned char>(p[wb - 1]))) continue;  // "sagsbehandling"
      std::size_t we = pos;
      while (we < p.size() && std::isalpha(static_cast<unsigned char>(p[we]))) ++we;
      std::string_view word = p.substr(wb, we - wb);
      std::string w = lower_ascii(word);
      if (w != "behandles" && w != "behandler" && w != "behandle" && w != "behandlingen") continue;
      // sentence bounds
      std::size_t sb = 0;
      for (std::size_t k = wb; k >= 2; --k)
        if (p[k - 2] == '.' && (p[k - 1] == ' ' || p[k - 1] == '\n') && starts_upper(p.substr(k))) {
          sb = k;
          break;
        }
      std::size_t se = p.size();
      for (std::size_t k = we; k + 2 < p.size(); ++k)
        if (p[k] == '.' && (p[k + 1] == ' ' || p[k + 1] == '\n') && starts_upper(p.substr(k + 2))) {
          se = k;
          break;
        }
      std::string_view after = p.substr(we, se - we);
      // The first "den|d. <date>" after the verb (§5.6: "den 27. april 2021", "d. 11. oktober
      // 2016", "den 11/10 2016").
      std::optional<std::string> date;
      std::size_t date_pos = 0, date_end = 0;
      for (std::size_t dk = 0; !date && dk + 2 < after.size(); ++dk) {
        if (word_char_before(after, dk)) continue;
        std::size_t len = starts_with(after.substr(dk), "den ") ? 4 : starts_with(after.substr(dk), "d. ") ? 3 : 0;
        if (len == 0) continue;
        if ((date = text_date_at(after, dk + len, &date_end))) date_pos = dk;
      }
      if (!date) continue;
      std::string_view between = after.substr(0, date_pos);
      std::string_view before = p.substr(sb, wb - sb);
      bool ok = mentions_committee(between, committee) || between.find("fagudvalg") != std::string_view::npos ||
                (mentions_committee(before, committee) && lower_ascii(before).find("byråd") == std::string::npos);
      if (!ok) continue;
      // Another meeting than this one (see above).
      std::string lead = lower_ascii(p.substr(sb, we + date_pos - sb)), tail = lower_ascii(after.substr(date_end));
      bool later = false, earlier = false;
      for (std::string_view k : {"igen", "atter", "på ny", "næste gang", "næstkommende", "senere"}) later = later || has_word(lead, k);
      for (std::string_view k : {"har", "havde", "blev"}) earlier = earlier || has_word(tail, k);
      if (w == "behandlingen") {
        std::string_view b = strip(before);
        bool fronted = b.find(' ') == std::string_view::npos || b == "Forud for";  // "Efter", "Ved", "Inden"
        earlier = earlier || !fronted || !present_finite_verb(first_word(tail));
      }
      if (w == "behandle") {
        std::string l = lower_ascii(before);
        for (std::string_view k : {"skulle", "ville", "kunne", "har", "havde", "blev", "var"}) earlier = earlier || has_word(l, k);
      }
      if (later || earlier) continue;
      if (votes[*date]++ == 0) order.push_back(*date);
    }
  }
  std::optional<std::string> best;
  int n = 0;
  for (const auto& d : order)
    if (votes[d] > n) {
      n = votes[d];
      best = d;
    }
  return best;
}

void apply_value(Sourced& target, const std::optional<std::string>& v, const char* source) {
  if (v) {
    target.value = v;
    target.source = source;
  }
}

}  // namespace

const std::vector<std::string>& decision_outcomes() {
  // What outcome_of() and implied_outcome() return; keep the three in step.
  static const std::vector<std::string> names = {
      "godkendt", "anbefalet", "drøftet", "orientering_givet", "taget_til_efterretning", "udsat",
      "ændringsforslag_godkendt", "forkastet", "oversendt", "andet"};
  return names;
}

bool is_iso_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!is_digit(s[i])) return false;
  return valid_ymd(std::stoi(std::string(s.substr(0, 4))), std::stoi(std::string(s.substr(5, 2))),
                   std::stoi(std::string(s.substr(8, 2))));
}

ParseResult parse_minutes(std::string_view text, const std::string& file, const MeetingOverrides& overrides) {
  return parse_minutes(text, file, overrides, nullptr);
}

ParseResult parse_minutes(std::string_view text, const std::string& file, const MeetingOverrides& overrides,
                          const SidecarMeta* sidecar) {
  ParseResult res;
  auto error = [&](int line, std::string msg) {
    res.diagnostics.push_back({Diagnostic::Severity::Error, file, line, std::move(msg)});
  };
  auto warning = [&](int line, std::string msg) {
    res.diagnostics.push_back({Diagnostic::Severity::Warning, file, line, std::move(msg)});
  };
  auto reject = [&](int line, std::string msg) {
    error(line, std::move(msg));
    res.rejected = true;
    res.meeting = Meeting{};
    return res;
  };

  // Bytes (§1).
  if (starts_with(text, "\xEF\xBB\xBF")) text.remove_prefix(3);  // UTF-8 BOM: accepted
  if (strip(text).empty()) return reject(0, text.empty() ? "empty file" : "file contains only whitespace");
  if (looks_utf16(text))
    return reject(0, "UTF-16 text, not UTF-8; convert the file to UTF-8 (e.g. iconv -f UTF-16 -t UTF-8)");
  if (std::size_t nul = text.find('\0'); nul != std::string_view::npos)
    return reject(line_of_offset(text, nul), "binary file (NUL byte), not minutes text");
  if (std::size_t bad = invalid_utf8_at(text); bad != std::string_view::npos) {
    int line = line_of_offset(text, bad);
    std::size_t line_start = text.rfind('\n', bad);
    line_start = line_start == std::string_view::npos ? 0 : line_start + 1;
    char buf[8];
    std::snprintf(buf, sizeof buf, "0x%02X", static_cast<unsigned char>(text[bad]));
    if (cut_inside_character(text, bad))
      return reject(line, std::string("the file ends inside a character (byte ") + buf + " at column " +
                              std::to_string(bad - line_start + 1) + "): it was cut off; copy it again");
    return reject(line, std::string("invalid UTF-8 (byte ") + buf + " at column " + std::to_string(bad - line_start + 1) +
                            "); convert the file to UTF-8");
  }

  // Classic-Mac CR-only line ends: read CR as the line end.
  std::string cr_copy;
  if (text.find('\n') == std::string_view::npos && text.find('\r') != std::string_view::npos) {
    cr_copy.assign(text);
    std::replace(cr_copy.begin(), cr_copy.end(), '\r', '\n');
    text = cr_copy;
    warning(0, "line ends are CR only (classic Mac); read as line breaks");
  }

  // Lines: split on '\n', keep the unterminated last line, strip (CR included).
  std::vector<Line> lines;
  lines.reserve(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1);
  std::vector<std::size_t> widths;  // characters, non-blank lines: for the layout decision
  // Lines over 1 MB are no text layout the parser knows (a whole document without line breaks,
  // a data dump): still indexed, but each is named in a warning so that it can be looked at.
  constexpr std::size_t kHugeLine = std::size_t{1} << 20;
  std::vector<std::size_t> huge;                  // their indices
  std::pair<std::size_t, std::size_t> longest{};  // index and length in bytes of the longest line
  for (std::size_t b = 0;;) {
    std::size_t e = text.find('\n', b);
    std::string_view raw = text.substr(b, e == std::string_view::npos ? std::string_view::npos : e - b);
    Line l;
    l.text = strip(raw);
    l.blank = l.text.empty();
    l.leading_ws = !raw.empty() && space_len(raw, 0) > 0 && !l.blank;
    if (!l.blank) widths.push_back(utf8_length(l.text));
    if (l.text.size() > longest.second) longest = {lines.size(), l.text.size()};
    if (l.text.size() > kHugeLine) huge.push_back(lines.size());
    lines.push_back(l);
    if (e == std::string_view::npos) break;
    b = e + 1;
  }

  // Items (§3.1).
  std::vector<ItemScan> scans;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].blank) continue;
    std::string_view rest;
    int n = parse_punkt(lines[i].text, rest);
    if (n == -2) return reject(static_cast<int>(i) + 1, "item number too large in '" + std::string(lines[i].text.substr(0, 40)) + "'");
    if (n < 0) continue;
    if (is_toc_entry(lines[i].text)) continue;  // "Punkt 3: Titel.....<TAB>12" in a table of contents
    if (!scans.empty()) scans.back().end = i;
    scans.push_back({i, lines.size(), n, rest});
  }
  if (scans.empty())
    return reject(0, "no agenda item found (no line starting with 'Punkt N:'); " + std::to_string(lines.size()) +
                         (lines.size() == 1 ? " line" : " lines") + " read" +
                         (longest.second > kHugeLine ? " (line " + std::to_string(longest.first + 1) + " is " +
                                                           std::to_string(longest.second) + " bytes long)"
                                                     : std::string()));
  if (scans.front().number != 1)
    warning(static_cast<int>(scans.front().start) + 1,
            "item numbering starts at " + std::to_string(scans.front().number) + ", not 1");
  for (std::size_t k = 1; k < scans.size(); ++k) {
    int prev = scans[k - 1].number, n = scans[k].number;
    int line = static_cast<int>(scans[k].start) + 1;
    if (n <= prev) {
      int first = 0;
      for (std::size_t q = 0; q < k; ++q)
        if (scans[q].number == n) first = static_cast<int>(scans[q].start) + 1;
      return reject(line, "item number " + std::to_string(n) + (n == prev ? " repeats" : " goes backwards") +
                              (first ? " (already at line " + std::to_string(first) + ")" : " (after item " + std::to_string(prev) + ")") +
                              "; is this two files in one?");
    }
    if (n != prev + 1)
      warning(line, "item numbering skips from " + std::to_string(prev) + " to " + std::to_string(n) +
                        (n == prev + 2 ? " (item " + std::to_string(prev + 1) + " missing)" : ""));
  }

  for (std::size_t k : huge)
    warning(static_cast<int>(k) + 1, "line is " + std::to_string(lines[k].text.size()) + " bytes long (over 1 MB); indexed anyway");

  Meeting& m = res.meeting;
  Header h = parse_header(lines, scans.front().start, file, res.diagnostics);
  // Layout A (header, one paragraph per line) vs B (hard-wrapped PDF text); a file without
  // header whose lines are far longer than a printed line is read as one-paragraph-per-line too.
  // A printed line is ~115-135 characters wide (§2.2); in layout B a line under 73% of the
  // file's width ends early (keeps_line_break). The width is the k-th widest non-blank line,
  // k = max(3, n/100), not the widest: one long line (a pasted URL or paragraph) must neither
  // turn a hard-wrapped file into one-paragraph-per-line nor raise the short-line threshold so
  // that wrapped paragraphs stop being re-joined. 73% of it is about 70% of the widest line of
  // the corpus files (000: 125 vs 129 characters) and reads them exactly as the widest did.
  const std::size_t width = robust_width(widths);
  Layout layout;
  layout.one_per_line = h.found || width > 200;
  layout.short_line = std::clamp<std::size_t>(width, 60, 200) * 73 / 100;

  for (const auto& sc : scans) {
    std::size_t title_chars = 0;
    m.items.push_back(parse_item(lines, sc, layout, title_chars));
    if (m.items.back().title.empty()) warning(static_cast<int>(sc.start) + 1, "item " + std::to_string(sc.number) + " has no title");
    if (title_chars > 0)
      warning(static_cast<int>(sc.start) + 1, "title of item " + std::to_string(sc.number) + " is " + std::to_string(title_chars) +
                                                  " characters long; cut to " + std::to_string(utf8_length(m.items.back().title)) +
                                                  " (the rest is indexed as body text)");
  }

  if (h.found) {
    if (auto c = canonical_committee(h.committee)) {
      m.committee = {*c, "header"};
    } else if (!h.committee.empty()) {
      m.committee = {h.committee, "header"};
      warning(h.committee_line, "unknown committee '" + h.committee + "' in the header, used as written");
    }
    if (!h.date.empty()) m.date = {h.date, "header"};
    m.period = h.period;
    m.time = h.time;
    m.place = h.place;
    // TOC cross-check (§2.1): one entry per item.
    std::size_t toc = 0;
    bool in_toc = false;
    for (std::size_t i = 0; i < scans.front().start; ++i) {
      if (lines[i].text == "Indholdsfortegnelse") in_toc = true;
      else if (in_toc && !lines[i].blank) ++toc;
    }
    if (in_toc && toc != scans.size())
      warning(0, "table of contents lists " + std::to_string(toc) + " items, the text has " + std::to_string(scans.size()));
  }
  // Inference for what the header did not give (§5.2), in order of reliability. With a header,
  // the agenda-approval sentence is a cross-check (003:36).
  {
    std::optional<std::string> ac, ad;
    infer_from_agenda(m, ac, ad);
    if (h.found && ad && m.date.value && *ad != *m.date.value)
      warning(h.committee_line, "header date " + *m.date.value + " differs from the agenda-approval date " + *ad);
    if (h.found && ac && m.committee.value && *ac != *m.committee.value)
      warning(h.committee_line, "header committee '" + *m.committee.value + "' differs from the agenda-approval committee '" + *ac + "'");
    if (!m.committee.value) apply_value(m.committee, ac, "agenda-approval");
    if (!m.date.value) apply_value(m.date, ad, "agenda-approval");
  }
  if (!m.committee.value) apply_value(m.committee, infer_committee_from_decisions(m), "decision");
  if (!m.committee.value) apply_value(m.committee, infer_committee_from_addressee(m), "item-text");
  if (!m.date.value && m.committee.value) apply_value(m.date, infer_date_from_text(m, *m.committee.value), "item-text");

  // Sidecar, then command line.
  auto apply_override = [&](const std::optional<std::string>& committee, const std::optional<std::string>& date,
                            const char* source) {
    if (committee) {
      auto c = canonical_committee(*committee);
      if (!c) warning(0, std::string("unknown committee '") + *committee + "' from the " + source + ", used as written");
      m.committee = {c ? *c : std::string(strip(*committee)), source};
    }
    if (date) {
      if (is_iso_date(*date)) m.date = {*date, source};
      else error(0, std::string("invalid date '") + *date + "' from the " + source + " (expected YYYY-MM-DD); ignored");
    }
  };
  if (sidecar) {
    apply_override(sidecar->committee, sidecar->date, "sidecar");
    if (sidecar->municipality) m.municipality = *sidecar->municipality;
    if (sidecar->source_url) m.source_url = *sidecar->source_url;
  }
  apply_override(overrides.committee, overrides.date, "command-line");
  if (m.period.empty() && m.date.value) m.period = period_of(*m.date.value);

  // Implied committees: "Orientering givet." and attendance sentences before any statement.
  const std::string meeting_committee = m.committee.value.value_or("");
  for (auto& it : m.items) {
    for (auto& d : it.decisions)
      if (d.committee.empty()) d.committee = meeting_committee;
    for (auto& a : it.absent)
      if (a.committee.empty()) a.committee = meeting_committee;
  }
  if (!m.committee.value) warning(0, "meeting committee not stated and not inferable; left unknown");
  return res;
}

std::optional<SidecarMeta> read_sidecar(const std::filesystem::path& path, const std::string& label,
                                        std::vector<Diagnostic>& diags, bool* failed) {
  if (failed) *failed = false;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::nullopt;
  auto fail = [&](const std::string& msg) -> std::optional<SidecarMeta> {
    diags.push_back({Diagnostic::Severity::Error, label, 0, msg});
    if (failed) *failed = true;
    return std::nullopt;
  };
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail("cannot read sidecar " + path.string());
  std::stringstream ss;
  ss << in.rdbuf();
  nlohmann::json j = nlohmann::json::parse(ss.str(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) return fail("sidecar " + path.string() + " is not a JSON object");
  SidecarMeta meta;
  auto get = [&](const char* key, std::optional<std::string>& out) -> bool {
    if (!j.contains(key) || j[key].is_null()) return true;
    if (!j[key].is_string()) return false;
    out = j[key].get<std::string>();
    return true;
  };
  static const std::array<const char*, 4> keys = {"committee", "date", "municipality", "source_url"};
  for (auto [key, out] : {std::pair{keys[0], &meta.committee}, std::pair{keys[1], &meta.date},
                          std::pair{keys[2], &meta.municipality}, std::pair{keys[3], &meta.source_url}})
    if (!get(key, *out)) return fail(std::string("sidecar ") + path.string() + ": \"" + key + "\" must be a string");
  // A misspelt key ("comittee", "dato") would otherwise be ignored without a word, and the
  // value the user meant to set silently replaced by inference.
  for (const auto& [key, value] : j.items()) {
    if (std::find_if(keys.begin(), keys.end(), [&](const char* k) { return key == k; }) != keys.end()) continue;
    diags.push_back({Diagnostic::Severity::Warning, label, 0,
                     "sidecar " + path.string() + ": unknown key \"" + key +
                         "\" ignored (accepted keys: committee, date, municipality, source_url)"});
  }
  if (meta.date && !is_iso_date(*meta.date))
    return fail("sidecar " + path.string() + ": invalid date '" + *meta.date + "' (expected YYYY-MM-DD)");
  return meta;
}

ParseResult parse_minutes_file(const std::filesystem::path& path, const std::string& file_label,
                               const MeetingOverrides& overrides) {
  ParseResult res;
  std::string ext = lower_ascii(path.extension().string());
  std::string text;
  if (ext == ".pdf") {
    try {
      text = read_pdf_text(path);
    } catch (const std::exception& e) {
      res.diagnostics.push_back({Diagnostic::Severity::Error, file_label, 0, std::string("cannot read PDF: ") + e.what()});
      res.rejected = true;
      return res;
    }
  } else {
    std::ifstream in(path, std::ios::binary);
    std::error_code ec;
    if (!in || std::filesystem::is_directory(path, ec)) {
      res.diagnostics.push_back({Diagnostic::Severity::Error, file_label, 0,
                                 std::string("cannot read file: ") + (std::filesystem::exists(path, ec) ? "permission denied or not a regular file" : "no such file")});
      res.rejected = true;
      return res;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    text = std::move(ss).str();
  }
  std::vector<Diagnostic> side_diags;
  bool side_failed = false;
  std::filesystem::path side = path;
  side += ".meta.json";
  auto meta = read_sidecar(side, file_label, side_diags, &side_failed);
  if (side_failed) {
    res.diagnostics = std::move(side_diags);
    res.rejected = true;
    return res;
  }
  res = parse_minutes(text, file_label, overrides, meta ? &*meta : nullptr);
  res.diagnostics.insert(res.diagnostics.begin(), side_diags.begin(), side_diags.end());  // sidecar warnings first
  return res;
}

}  // namespace referat::indexer
