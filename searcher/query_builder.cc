// QueryBuilder: a small hand-written lexer and recursive-descent parser (grammar in
// query_builder.h) that emits Xapian::Query directly. Written by hand rather than through
// Xapian::QueryParser because QueryParser silently turns unknown fields into text, splits journal
// numbers, has no year ranges and never stems the last word of a phrase (docs/DESIGN.md, traps).
// Tests: tests/searcher/query_builder_test.cc.
#include "searcher/query_builder.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <optional>
#include <regex>
#include <set>

#include "indexer/committees.h"
#include "indexer/minutes_parser.h"
#include "indexer/schema.h"
#include "searcher/field_phrase.h"
#include "searcher/ranking.h"
#include "stemmers/folding.h"

namespace referat::searcher {

namespace {

using stemmers::Token;
using stemmers::TokenKind;
using schema::Field;
using schema::TermKind;
using Q = Xapian::Query;

bool is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

/// Length in bytes of a quote character at `i` (ASCII " or a typographic double quote), or 0.
std::size_t quote_len(std::string_view s, std::size_t i) {
  if (s[i] == '"') return 1;
  static const char* const kQuotes[] = {"\xE2\x80\x9C", "\xE2\x80\x9D", "\xE2\x80\x9E",
                                        "\xC2\xAB", "\xC2\xBB"};
  for (const char* q : kQuotes) {
    std::string_view qv(q);
    if (s.substr(i, qv.size()) == qv) return qv.size();
  }
  return 0;
}

bool is_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

/// Letters only (ASCII letters or any non-ASCII byte, i.e. æ/ø/å and friends).
bool is_field_name(std::string_view s) {
  if (s.size() < 2) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u >= 0x80 || std::isalpha(u);
  });
}

enum class FieldKind { Text, Committee, Journal, Category, Date, Year, Outcome, Id };
struct FieldDef {
  FieldKind kind;
  Field text_field = Field::Body;
};

/// Danish names first, English aliases after. Keys are casefolded.
const std::map<std::string, FieldDef>& field_table() {
  static const std::map<std::string, FieldDef> table = {
      {"udvalg", {FieldKind::Committee}},     {"committee", {FieldKind::Committee}},
      {"titel", {FieldKind::Text, Field::Title}}, {"title", {FieldKind::Text, Field::Title}},
      {"beslutning", {FieldKind::Text, Field::Beslutning}},
      {"decision", {FieldKind::Text, Field::Beslutning}},
      {"resume", {FieldKind::Text, Field::Resume}}, {"resumé", {FieldKind::Text, Field::Resume}},
      {"summary", {FieldKind::Text, Field::Resume}},
      {"indstilling", {FieldKind::Text, Field::Indstilling}},
      {"recommendation", {FieldKind::Text, Field::Indstilling}},
      {"tekst", {FieldKind::Text, Field::Body}}, {"text", {FieldKind::Text, Field::Body}},
      {"journal", {FieldKind::Journal}},      {"kle", {FieldKind::Journal}},
      {"kategori", {FieldKind::Category}},    {"category", {FieldKind::Category}},
      {"dato", {FieldKind::Date}},            {"date", {FieldKind::Date}},
      {"år", {FieldKind::Year}},              {"aar", {FieldKind::Year}},
      {"year", {FieldKind::Year}},
      {"udfald", {FieldKind::Outcome}},       {"outcome", {FieldKind::Outcome}},
      {"id", {FieldKind::Id}},
  };
  return table;
}

const std::regex& journal_re() {
  // KLE emne "27.00.00", handlingsfacet letter (incl. Æ/Ø/Å, any case) + 2 digits, serial, year.
  static const std::regex re(R"(^\d{2}\.\d{2}\.\d{2}-([A-Za-z]|\xC3[\x86\x98\x85\xA6\xB8\xA5])\d{2}-\d+-\d{2}$)");
  return re;
}
/// The journal-number filter for a casefolded number that matched journal_re(). KLE has no
/// handlingsfacet O, so an O stands for Ø typed without it ("00.30.00-O00-2-21"): both match.
Xapian::Query journal_query(const std::string& norm) {
  Xapian::Query q(schema::kJournalPrefix + norm);
  constexpr std::size_t kFacet = 9;  // "27.00.00-" before the facet letter
  if (norm.size() <= kFacet || norm[kFacet] != 'o') return q;
  std::string with_oe = norm;
  with_oe.replace(kFacet, 1, "ø");
  return Xapian::Query(Xapian::Query::OP_OR, q, Xapian::Query(schema::kJournalPrefix + with_oe));
}

const std::regex& kle_re() {
  static const std::regex re(R"(^\d{2}(\.\d{2}){1,2}$)");
  return re;
}

std::string yyyymmdd(int y, int m, int d) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d%02d%02d", y, m, d);
  return buf;
}

int days_in_month(int y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
  return kDays[m - 1];
}

}  // namespace

// ---- public helpers ----------------------------------------------------------------------------

std::string parse_date(std::string_view text, bool end) {
  static const std::regex year_re(R"(^(\d{4})$)");
  static const std::regex month_re(R"(^(\d{4})-(\d{1,2})$)");
  static const std::regex ymd_re(R"(^(\d{4})-(\d{1,2})-(\d{1,2})$)");
  static const std::regex dmy_re(R"(^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$)");
  std::string s(text);
  std::smatch m;
  int y = 0, mo = 0, d = 0;
  if (std::regex_match(s, m, year_re)) {
    y = std::stoi(m[1]);
    return end ? yyyymmdd(y, 12, 31) : yyyymmdd(y, 1, 1);
  }
  if (std::regex_match(s, m, month_re)) {
    y = std::stoi(m[1]);
    mo = std::stoi(m[2]);
    if (mo < 1 || mo > 12) return "";
    return end ? yyyymmdd(y, mo, days_in_month(y, mo)) : yyyymmdd(y, mo, 1);
  }
  if (std::regex_match(s, m, ymd_re)) {
    y = std::stoi(m[1]);
    mo = std::stoi(m[2]);
    d = std::stoi(m[3]);
  } else if (std::regex_match(s, m, dmy_re)) {
    d = std::stoi(m[1]);
    mo = std::stoi(m[2]);
    y = std::stoi(m[3]);
  } else {
    return "";
  }
  if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo)) return "";
  return yyyymmdd(y, mo, d);
}

Xapian::Query date_range_query(const std::string& from, const std::string& to) {
  if (!from.empty() && !to.empty()) return Q(Q::OP_VALUE_RANGE, schema::kSlotDate, from, to);
  if (!from.empty()) return Q(Q::OP_VALUE_GE, schema::kSlotDate, from);
  if (!to.empty()) return Q(Q::OP_VALUE_LE, schema::kSlotDate, to);
  return Q::MatchAll;
}

namespace {
/// A committee name or abbreviation as typed without æ/ø/å: its slug with the digraphs folded
/// to plain letters ("Boern- og Ungeudvalget", "born-og-ungeudvalget" -> "born-og-ungeudvalget";
/// "AEHU", "ÆHU" -> "ahu"; "OU" and "ØU" -> "ou").
std::string loose_committee_key(std::string_view text) {
  std::string slug = indexer::committee_slug(text), out;
  for (std::size_t i = 0; i < slug.size(); ++i) {
    out += slug[i];
    if (i + 1 < slug.size() && ((slug[i] == 'a' && (slug[i + 1] == 'e' || slug[i + 1] == 'a')) ||
                                (slug[i] == 'o' && slug[i + 1] == 'e')))
      ++i;
  }
  return out;
}
}  // namespace

std::string resolve_committee(std::string_view text) {
  if (auto c = indexer::canonical_committee(text)) return *c;
  // Typed without æ/ø/å, or as the slug of the item ids: compare loosely with every known
  // name and abbreviation (the loose keys of the known committees do not collide).
  const std::string key = loose_committee_key(text);
  if (key.empty()) return {};
  for (const std::string& name : indexer::known_committees())
    if (loose_committee_key(name) == key) return name;
  for (const auto& [abbr, name] : indexer::committee_abbreviations())
    if (loose_committee_key(abbr) == key) return name;
  return {};
}

namespace {

/// The category term's letter for a casefolded "d" or "d-sag" ('a'..'e'), or 0.
char category_letter(std::string_view normalized) {
  if (normalized.size() == 5 && normalized.substr(1) == "-sag") normalized = normalized.substr(0, 1);
  return normalized.size() == 1 && normalized[0] >= 'a' && normalized[0] <= 'e' ? normalized[0] : 0;
}

std::string resolve_outcome(std::string_view text, stemmers::Analyzer& analyzer) {
  std::string n = analyzer.normalize(text);
  std::replace(n.begin(), n.end(), ' ', '_');
  for (const std::string& o : indexer::decision_outcomes())
    if (n == o || n == stemmers::fold_digraph(o) || n == stemmers::fold_plain(o)) return o;
  return {};
}

}  // namespace

// ---- lexer -------------------------------------------------------------------------------------

namespace {

struct Lexeme {
  enum Kind { End, LParen, RParen, Phrase, Word, FieldName, And, Or, Not, Minus, Plus } kind = End;
  std::string text;        ///< word / phrase content / field name as typed
  std::size_t offset = 0;  ///< byte offset of the lexeme (of its content for phrases)
  std::size_t end = 0;     ///< one past its last byte
  bool attached = false;   ///< directly follows "field:" with no space
};

/// True when `name` (as typed, any case: "År", "Resume") is one of field_table()'s names.
bool is_known_field(std::string_view name, stemmers::Analyzer& analyzer) {
  return field_table().count(analyzer.normalize(name)) > 0;
}

/// Splits the query into lexemes. Never throws: an unterminated phrase runs to the end.
std::vector<Lexeme> lex(std::string_view s, stemmers::Analyzer& analyzer) {
  std::vector<Lexeme> out;
  std::size_t i = 0;
  bool attach_next = false;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (is_space(c)) {
      attach_next = false;
      ++i;
      continue;
    }
    Lexeme lx;
    lx.offset = i;
    lx.attached = attach_next;
    attach_next = false;
    if (c == '(' || c == ')') {
      lx.kind = c == '(' ? Lexeme::LParen : Lexeme::RParen;
      lx.end = ++i;
      out.push_back(lx);
      continue;
    }
    if (std::size_t q = quote_len(s, i)) {
      std::size_t start = i + q, j = start;
      while (j < s.size() && quote_len(s, j) == 0) ++j;
      lx.kind = Lexeme::Phrase;
      lx.text = std::string(s.substr(start, j - start));
      lx.offset = start;
      lx.end = j;
      i = j < s.size() ? j + quote_len(s, j) : j;
      out.push_back(lx);
      continue;
    }
    if ((c == '-' || c == '+') && !lx.attached && i + 1 < s.size() &&
        !is_space(static_cast<unsigned char>(s[i + 1])) &&
        (out.empty() || out.back().end < i || out.back().kind == Lexeme::LParen)) {
      lx.kind = c == '-' ? Lexeme::Minus : Lexeme::Plus;
      lx.end = ++i;
      out.push_back(lx);
      continue;
    }
    std::size_t j = i;
    while (j < s.size() && !is_space(static_cast<unsigned char>(s[j])) && s[j] != '(' &&
           s[j] != ')' && quote_len(s, j) == 0)
      ++j;
    // "§ 100" is one identifier, as the index has it ("§100"): glue the sign to its number.
    if ((s.substr(i, j - i) == "\xC2\xA7" || s.substr(i, j - i) == "\xC2\xA7\xC2\xA7") && j + 1 < s.size() &&
        s[j] == ' ' && std::isdigit(static_cast<unsigned char>(s[j + 1]))) {
      j += 1;
      while (j < s.size() && !is_space(static_cast<unsigned char>(s[j])) && s[j] != '(' && s[j] != ')' &&
             quote_len(s, j) == 0)
        ++j;
    }
    std::string_view chunk = s.substr(i, j - i);
    std::size_t colon = chunk.find(':');
    // "http://…" pasted into the box is text, not a field.
    const bool url = colon != std::string_view::npos && chunk.substr(colon, 3) == "://";
    if (colon != std::string_view::npos && !url && is_field_name(chunk.substr(0, colon))) {
      // "titel:" at the very end has no value: a FieldName, so that the parser says so.
      const bool at_end = colon + 1 == chunk.size() &&
                          s.find_first_not_of(" \t\n\r\f\v", j) == std::string_view::npos;
      // "titel: budget", "Resume: …": a known field name followed by a space takes the next word.
      const bool known_then_space = colon + 1 == chunk.size() && is_known_field(chunk.substr(0, colon), analyzer);
      bool value_follows = colon + 1 < chunk.size() || at_end || known_then_space ||
                           (j < s.size() && (s[j] == '(' || quote_len(s, j) > 0));
      if (value_follows) {
        lx.kind = Lexeme::FieldName;
        lx.text = std::string(chunk.substr(0, colon));
        lx.end = i + colon + 1;
        out.push_back(lx);
        if (colon + 1 < chunk.size()) {
          Lexeme v;
          v.kind = Lexeme::Word;
          v.text = std::string(chunk.substr(colon + 1));
          v.offset = i + colon + 1;
          v.end = j;
          v.attached = true;
          out.push_back(v);
        } else {
          attach_next = true;
        }
        i = j;
        continue;
      }
    }
    lx.kind = Lexeme::Word;
    lx.text = std::string(chunk);
    lx.end = j;
    if (chunk == "AND" || chunk == "OG") lx.kind = Lexeme::And;
    if (chunk == "OR" || chunk == "ELLER") lx.kind = Lexeme::Or;
    if (chunk == "NOT" || chunk == "IKKE") lx.kind = Lexeme::Not;
    out.push_back(lx);
    i = j;
  }
  Lexeme end;
  end.offset = end.end = s.size();
  out.push_back(end);
  return out;
}

/// One parsed unit and how it combines: ranked text, a boolean filter, a lone stop word (kept
/// only when the query has nothing else), or nothing (punctuation).
struct Part {
  enum Kind { Empty, Text, Bool, Stop } kind = Empty;
  Xapian::Query q;
  /// For a plain body word: its unscaled variants, usable inside a proximity OP_PHRASE.
  std::optional<Xapian::Query> near;
};

}  // namespace

// ---- parser ------------------------------------------------------------------------------------

class QueryParserImpl {
 public:
  QueryParserImpl(QueryBuilder& b, std::string_view text) : b_(b), text_(text), lx_(lex(text, b.analyzer_)) {}

  Xapian::Query run() {
    Part p = and_expr(0);
    if (peek().kind == Lexeme::RParen)
      fail("unmatched ')'", "der er en ')' uden en '(' foran", peek().offset, peek().end);
    // An empty query browses everything (with filters: everything they let through); text that
    // holds no searchable word at all ("???", invalid bytes) finds nothing, not everything.
    if (p.kind == Part::Empty)
      return text_.find_first_not_of(" \t\n\r\f\v") == std::string_view::npos ? Q(Q::MatchAll) : Q();
    if (p.kind == Part::Text) b_.has_text_ = true;
    return p.q;
  }

 private:
  const Lexeme& peek() const { return lx_[pos_]; }
  const Lexeme& next() { return lx_[pos_ < lx_.size() - 1 ? pos_++ : pos_]; }

  /// Throws a QueryError: `message` in English (terminal), `danish` for the web page.
  [[noreturn]] void fail(const std::string& message, const std::string& danish, std::size_t begin,
                         std::size_t end) const {
    begin = std::min(begin, text_.size());
    end = std::clamp(end, begin, text_.size());
    std::string fragment(text_.substr(begin, end - begin));
    throw QueryError(message + ": \"" + fragment + "\" at offset " + std::to_string(begin), begin,
                     fragment, danish);
  }

  Part and_expr(int depth) {
    std::vector<Part> text, stops, filters, negs;
    bool after_unit = false;  // an AND needs a unit on either side, as OR does
    for (;;) {
      const Lexeme& lx = peek();
      if (lx.kind == Lexeme::End || lx.kind == Lexeme::RParen) break;
      if (lx.kind == Lexeme::And || lx.kind == Lexeme::Plus) {
        const Lexeme& op = next();
        if (op.kind == Lexeme::And && !after_unit)
          fail("AND needs a word before it", "der skal stå et ord før " + op.text, op.offset, op.end);
        const Lexeme::Kind la = peek().kind;
        if (op.kind == Lexeme::And && (la == Lexeme::End || la == Lexeme::RParen || la == Lexeme::And || la == Lexeme::Or))
          fail("AND needs a word after it", "der skal stå et ord efter " + op.text, op.offset, op.end);
        after_unit = false;
        continue;
      }
      after_unit = true;
      if (lx.kind == Lexeme::Or) fail("OR needs a word before it", "der skal stå et ord før OR", lx.offset, lx.end);
      if (lx.kind == Lexeme::Not || lx.kind == Lexeme::Minus) {
        const Lexeme& op = next();
        if (peek().kind == Lexeme::End || peek().kind == Lexeme::RParen)
          fail("nothing to exclude after '" + std::string(text_.substr(op.offset, op.end - op.offset)) + "'",
               "der skal stå et ord efter '" + std::string(text_.substr(op.offset, op.end - op.offset)) +
                   "' (det, der skal udelades)",
               op.offset, op.end);
        Part n = or_expr(depth);
        if (n.kind != Part::Empty) negs.push_back(std::move(n));
        continue;
      }
      Part p = or_expr(depth);
      switch (p.kind) {
        case Part::Text: text.push_back(std::move(p)); break;
        case Part::Bool: filters.push_back(std::move(p)); break;
        case Part::Stop: stops.push_back(std::move(p)); break;
        case Part::Empty: break;
      }
    }
    // Stop words count only when the query has nothing else ("og" alone still searches).
    if (text.empty() && filters.empty()) text = std::move(stops);

    Part out;
    if (!text.empty()) {
      out.kind = Part::Text;
      if (text.size() == 1) {
        out.q = text[0].q;
        out.near = text[0].near;
      } else {
        std::vector<Q> qs;
        for (auto& t : text) qs.push_back(t.q);
        out.q = Q(Q::OP_AND, qs.begin(), qs.end());
        // Proximity boost: all plain words close together, in order.
        std::vector<Q> near;
        for (auto& t : text)
          if (t.near) near.push_back(*t.near);
        if (near.size() == text.size() && near.size() <= ranking::kProximityMaxWords) b_.has_proximity_ = true;
        if (b_.proximity_ && near.size() == text.size() && near.size() <= ranking::kProximityMaxWords) {
          Q phrase(Q::OP_PHRASE, near.begin(), near.end(),
                   static_cast<Xapian::termcount>(near.size() + ranking::kProximitySlack));
          out.q = Q(Q::OP_AND_MAYBE, out.q, Q(Q::OP_SCALE_WEIGHT, phrase, ranking::kProximity));
        }
      }
    }
    if (!filters.empty()) {
      std::vector<Q> qs;
      for (auto& f : filters) qs.push_back(f.q);
      Q filter = qs.size() == 1 ? qs[0] : Q(Q::OP_AND, qs.begin(), qs.end());
      if (out.kind == Part::Text) {
        out.q = Q(Q::OP_FILTER, out.q, filter);
      } else {
        out.kind = Part::Bool;
        out.q = filter;
      }
    }
    if (!negs.empty()) {
      std::vector<Q> qs;
      for (auto& n : negs) qs.push_back(n.q);
      Q neg = qs.size() == 1 ? qs[0] : Q(Q::OP_OR, qs.begin(), qs.end());
      if (out.kind == Part::Empty) {
        out.kind = Part::Bool;
        out.q = Q::MatchAll;
      }
      out.q = Q(Q::OP_AND_NOT, out.q, neg);
      out.near.reset();
    }
    (void)depth;
    return out;
  }

  Part or_expr(int depth) {
    Part left = primary(depth);
    if (peek().kind != Lexeme::Or) return left;
    std::vector<Part> parts{std::move(left)};
    while (peek().kind == Lexeme::Or) {
      const Lexeme& op = next();
      const Lexeme& la = peek();
      if (la.kind == Lexeme::End || la.kind == Lexeme::RParen || la.kind == Lexeme::Or ||
          la.kind == Lexeme::And)
        fail("OR needs a word after it", "der skal stå et ord efter OR", op.offset, op.end);
      if (la.kind == Lexeme::Not || la.kind == Lexeme::Minus)
        fail("cannot exclude inside OR; use parentheses",
             "man kan ikke udelade et ord inde i OR; brug parenteser", la.offset, la.end);
      parts.push_back(primary(depth));
    }
    Part out;
    std::vector<Q> qs;
    bool any_text = false;
    for (auto& p : parts) {
      if (p.kind == Part::Empty) continue;
      if (p.kind == Part::Text || p.kind == Part::Stop) any_text = true;
      qs.push_back(p.q);
    }
    if (qs.empty()) return out;
    out.kind = any_text ? Part::Text : Part::Bool;
    out.q = qs.size() == 1 ? qs[0] : Q(Q::OP_OR, qs.begin(), qs.end());
    return out;
  }

  Part primary(int depth) {
    const Field field = field_;
    const Lexeme& lx = next();
    switch (lx.kind) {
      case Lexeme::LParen: {
        Part p = group_body(depth, field);
        return p;
      }
      case Lexeme::RParen:
        fail("unmatched ')'", "der er en ')' uden en '(' foran", lx.offset, lx.end);
      case Lexeme::Phrase:
        return phrase(lx.text, lx.offset, field);
      case Lexeme::FieldName:
        return field_unit(lx, depth);
      case Lexeme::Word:
        return word(lx.text, lx.offset, field);
      case Lexeme::And:
      case Lexeme::Or:
      case Lexeme::Not:
      case Lexeme::Minus:
      case Lexeme::Plus:
        fail("operator where a word was expected", "her mangler et søgeord", lx.offset, lx.end);
      case Lexeme::End:
        break;
    }
    return Part{};
  }

  /// After '(': parses the group in `field` context up to ')'.
  Part group_body(int depth, Field field) {
    std::size_t open = lx_[pos_ - 1].offset;
    if (peek().kind == Lexeme::RParen)
      fail("nothing between '(' and ')'", "der står intet mellem '(' og ')'", open, peek().end);
    Field saved = field_;
    field_ = field;
    Part p = and_expr(depth + 1);
    field_ = saved;
    if (peek().kind != Lexeme::RParen) fail("missing ')'", "der mangler en ')'", open, text_.size());
    next();
    return p;
  }

  Part field_unit(const Lexeme& name_lx, int depth) {
    std::string name = b_.analyzer_.normalize(name_lx.text);
    auto it = field_table().find(name);
    const Lexeme& value = peek();
    std::size_t frag_end = value.kind == Lexeme::Phrase ? std::min(value.end + 1, text_.size()) : value.end;
    if (it == field_table().end()) {
      std::string known;
      for (const auto& [k, v] : field_table()) known += (known.empty() ? "" : ", ") + k;
      fail("unknown field '" + name_lx.text + ":' (known: " + known + ")",
           "feltet '" + name_lx.text + ":' findes ikke (brug udvalg:, titel:, resume:, indstilling:, "
           "beslutning:, journal:, kategori:, dato:, år: eller udfald:)",
           name_lx.offset, frag_end);
    }
    const FieldDef& def = it->second;
    const bool blank_phrase = value.kind == Lexeme::Phrase &&
                              std::all_of(value.text.begin(), value.text.end(),
                                          [](char c) { return is_space(static_cast<unsigned char>(c)); });
    if ((value.kind != Lexeme::Word && value.kind != Lexeme::Phrase && value.kind != Lexeme::LParen) || blank_phrase)
      fail("field '" + name_lx.text + ":' needs a value", "feltet '" + name_lx.text + ":' mangler en værdi",
           name_lx.offset, frag_end);
    if (def.kind == FieldKind::Text) {
      if (value.kind == Lexeme::LParen) {
        next();
        return group_body(depth, def.text_field);
      }
      next();
      if (value.kind == Lexeme::Phrase) return phrase(value.text, value.offset, def.text_field);
      return word(value.text, value.offset, def.text_field);
    }
    if (value.kind == Lexeme::LParen) return filter_group(def.kind, name_lx);
    next();
    return filter_field(def.kind, name_lx, value, frag_end);
  }

  /// `udvalg:(BSU OR BUU)`: a filter field applied to a group of values joined by OR, AND or
  /// nothing (AND), OR binding tighter as elsewhere; the same filters as `udvalg:BSU OR
  /// udvalg:BUU`. Only values and those operators may stand inside.
  Part filter_group(FieldKind kind, const Lexeme& name_lx) {
    const Lexeme& open = next();
    const std::string name = name_lx.text + ":(";
    std::vector<Q> ands, ors;
    auto close_or = [&] {
      if (!ors.empty()) ands.push_back(ors.size() == 1 ? ors[0] : Q(Q::OP_OR, ors.begin(), ors.end()));
      ors.clear();
    };
    bool want_value = true;
    for (;;) {
      const Lexeme& lx = peek();
      if (lx.kind == Lexeme::End)
        fail("missing ')' after '" + name + "'", "der mangler en ')' efter '" + name + "'", open.offset,
             text_.size());
      if (want_value) {
        if (lx.kind != Lexeme::Word && lx.kind != Lexeme::Phrase)
          fail("a value is missing in '" + name + "...)'", "der mangler en værdi i '" + name + "...)'",
               lx.offset, lx.kind == Lexeme::RParen ? lx.end : std::max(lx.end, lx.offset + 1));
        next();
        const std::size_t end = lx.kind == Lexeme::Phrase ? std::min(lx.end + 1, text_.size()) : lx.end;
        ors.push_back(filter_field(kind, name_lx, lx, end).q);
        want_value = false;
        continue;
      }
      switch (lx.kind) {
        case Lexeme::RParen: next(); break;
        case Lexeme::Or: next(); want_value = true; continue;
        case Lexeme::And: next(); close_or(); want_value = true; continue;
        case Lexeme::Word:
        case Lexeme::Phrase: close_or(); want_value = true; continue;
        default:
          fail("only values, OR and AND can stand inside '" + name + "...)'",
               "inde i '" + name + "...)' kan kun stå værdier, OR og AND", lx.offset, lx.end);
      }
      break;
    }
    close_or();
    Part p;
    p.kind = Part::Bool;
    p.q = ands.size() == 1 ? ands[0] : Q(Q::OP_AND, ands.begin(), ands.end());
    return p;
  }

  /// A filter field's value as its boolean query, each of whose terms has the role "filter"
  /// (--explain lists them apart from the weighted terms).
  Part filter_field(FieldKind kind, const Lexeme& name_lx, const Lexeme& value, std::size_t frag_end) {
    Part p = filter_value(kind, name_lx, value, frag_end);
    for (auto t = p.q.get_unique_terms_begin(); t != p.q.get_unique_terms_end(); ++t) role(*t, "filter", 0);
    return p;
  }

  Part filter_value(FieldKind kind, const Lexeme& name_lx, const Lexeme& value, std::size_t frag_end) {
    auto bad = [&](const std::string& what, const std::string& danish) {
      fail(what + " in '" + name_lx.text + ":'", danish, name_lx.offset, frag_end);
    };
    Part p;
    p.kind = Part::Bool;
    const std::string& v = value.text;
    switch (kind) {
      case FieldKind::Committee: {
        std::string term = b_.committee_term(v);
        if (term.empty()) bad("unknown committee '" + v + "'", "udvalget '" + v + "' kendes ikke");
        p.q = Q(term);
        return p;
      }
      case FieldKind::Journal: {
        std::string norm = b_.analyzer_.normalize(v);
        if (std::regex_match(v, journal_re()))
          p.q = journal_query(norm);
        else if (std::regex_match(v, kle_re()) || (v.size() == 2 && std::isdigit(static_cast<unsigned char>(v[0])) &&
                                                   std::isdigit(static_cast<unsigned char>(v[1]))))
          p.q = Q(schema::kKlePrefix + v);
        else
          bad("malformed journal number '" + v + "' (expected e.g. 27.00.00-A00-6-25 or a KLE prefix 27.00)",
              "journalnummeret '" + v + "' kan ikke læses (skriv f.eks. 27.00.00-A00-6-25 eller et KLE-nummer som 27.00)");
        return p;
      }
      case FieldKind::Category: {
        const char c = category_letter(b_.analyzer_.normalize(v));
        if (c == 0) bad("category must be A-E, not '" + v + "'", "kategorien skal være A-E, ikke '" + v + "'");
        p.q = Q(schema::kCategoryPrefix + std::string(1, c));
        return p;
      }
      case FieldKind::Date: {
        auto dots = v.find("..");
        if (dots == std::string::npos) {
          std::string d = parse_date(v, false);
          if (d.empty())
            bad("malformed date '" + v + "'", "datoen '" + v + "' kan ikke læses (skriv f.eks. 2024-05-20 eller 20.5.2024)");
          std::string digits;
          for (char ch : v)
            if (std::isdigit(static_cast<unsigned char>(ch))) digits += ch;
          if (v.size() == 4)
            p.q = Q(schema::kYearPrefix + d.substr(0, 4));
          else if (v.find('-') == 4 && v.find('-', 5) == std::string::npos)
            p.q = Q(schema::kMonthPrefix + d.substr(0, 6));
          else
            p.q = Q(schema::kDatePrefix + d);
          return p;
        }
        std::string a = v.substr(0, dots), z = v.substr(dots + 2);
        std::string from = a.empty() ? "" : parse_date(a, false);
        std::string to = z.empty() ? "" : parse_date(z, true);
        if ((a.empty() && z.empty()) || (!a.empty() && from.empty()) || (!z.empty() && to.empty()))
          bad("malformed date range '" + v + "'",
              "datointervallet '" + v + "' kan ikke læses (skriv f.eks. 1.1.2024..31.12.2024)");
        if (!from.empty() && !to.empty() && from > to)
          bad("empty date range '" + v + "'", "datointervallet '" + v + "' er tomt: startdatoen ligger efter slutdatoen");
        p.q = date_range_query(from, to);
        return p;
      }
      case FieldKind::Year: {
        static const std::regex year_re(R"(^\d{4}$)");
        auto dots = v.find("..");
        if (dots == std::string::npos) {
          if (!std::regex_match(v, year_re)) bad("malformed year '" + v + "'", "året '" + v + "' kan ikke læses (skriv f.eks. 2024)");
          p.q = Q(schema::kYearPrefix + v);
          return p;
        }
        std::string a = v.substr(0, dots), z = v.substr(dots + 2);
        if ((a.empty() && z.empty()) || (!a.empty() && !std::regex_match(a, year_re)) ||
            (!z.empty() && !std::regex_match(z, year_re)))
          bad("malformed year range '" + v + "'", "årsintervallet '" + v + "' kan ikke læses (skriv f.eks. 2021..2023)");
        if (!a.empty() && !z.empty() && a > z)
          bad("empty year range '" + v + "'", "årsintervallet '" + v + "' er tomt: startåret ligger efter slutåret");
        p.q = date_range_query(a.empty() ? "" : a + "0101", z.empty() ? "" : z + "1231");
        return p;
      }
      case FieldKind::Outcome: {
        std::string o = resolve_outcome(v, b_.analyzer_);
        if (o.empty()) {
          std::string known;
          for (const auto& n : indexer::decision_outcomes()) known += (known.empty() ? "" : ", ") + n;
          bad("unknown outcome '" + v + "' (known: " + known + ")",
              "udfaldet '" + v + "' kendes ikke (brug " + known + ")");
        }
        p.q = Q(schema::kOutcomePrefix + o);
        return p;
      }
      case FieldKind::Id:
        p.q = Q(schema::kIdPrefix + v);
        return p;
      case FieldKind::Text:
        break;
    }
    return p;
  }

  // ---- words -----------------------------------------------------------------------------------

  void role(const std::string& term, const char* kind, double scale) {
    auto [it, inserted] = b_.roles_.try_emplace(term, TermRole{kind, scale});
    if (!inserted && scale > it->second.scale) it->second = TermRole{kind, scale};
  }

  /// A word's variant terms -> (weight, role kind).
  using Variants = std::map<std::string, std::pair<double, const char*>>;

  /// The weighted variants of one word (all tokens at one position).
  Variants variants(
      const std::vector<const Token*>& at, Field field) {
    Variants terms;
    auto add = [&](TermKind k, const std::string& t, double w, const char* kind) {
      if (t.empty()) return;
      std::string term = schema::text_term(field, k, t);
      auto [it, ins] = terms.try_emplace(term, w, kind);
      if (!ins && w > it->second.first) it->second = {w, kind};
    };
    bool folded = false, identifier = false;
    std::string word;
    for (const Token* t : at) {
      switch (t->kind) {
        case TokenKind::Identifier:
          // The first identifier is the whole code ("27.00.00-a00-6-25"); the ones after it are
          // its hierarchy ("27.00", "27"), which would widen the query far beyond what was typed.
          if (!identifier) add(TermKind::Exact, t->text, ranking::kExact, "exact");
          identifier = true;
          break;
        case TokenKind::Word:
          word = t->text;
          add(TermKind::Exact, t->text, ranking::kExact, "exact");
          add(TermKind::Lemma, t->text, ranking::kLemma, "lemma");
          add(TermKind::Part, t->text, ranking::kPart, "part");
          break;
        case TokenKind::Lemma:
          add(TermKind::Lemma, t->text, ranking::kLemma, "lemma");
          add(TermKind::Exact, t->text, ranking::kLemma, "lemma");
          add(TermKind::Part, t->text, ranking::kPart, "part");
          break;
        case TokenKind::Folded:
          folded = true;
          add_unfolded(t->text, add);
          break;
        case TokenKind::Part:
          break;  // parts of a typed compound: the compound itself is what was asked for
      }
    }
    // A typed æ/ø/å-free word that is not itself Danish may be a folded spelling ("okonomi").
    if (!folded && !word.empty() && is_ascii(word) && !b_.analyzer_.is_known_word(word))
      add_unfolded(word, add);
    return terms;
  }

  /// The terms an æ/ø/å-free spelling stands for, from the database's fold table (schema.h):
  /// the exact terms of the words so spelled, the lemma and exact terms of the lemmas so spelled,
  /// all weighted as folded. Nothing without a database.
  template <class Add>
  void add_unfolded(const std::string& fold, Add& add) {
    if (b_.db_ == nullptr) return;
    const std::string key = schema::kFoldPrefix + fold;
    // Entries are never removed, so a word that left the index is skipped by its term frequency;
    // a lemma's exact form is not asked for when it is a stop word (the index folds none).
    auto add_if_indexed = [&](TermKind k, const std::string& text) {
      if (b_.db_->get_termfreq(schema::text_term(Field::Body, k, text)) > 0)
        add(k, text, ranking::kFolded, "folded");
    };
    for (auto it = b_.db_->synonyms_begin(key); it != b_.db_->synonyms_end(key); ++it) {
      const schema::FoldTarget t = schema::parse_fold_value(*it);
      if (t.lemma) add_if_indexed(TermKind::Lemma, t.text);
      if (!t.lemma || !stemmers::Analyzer::is_stopword(t.text)) add_if_indexed(TermKind::Exact, t.text);
    }
  }

  Q scaled_or(const Variants& terms) {
    std::vector<Q> qs;
    for (const auto& [term, wk] : terms) {
      role(term, wk.second, wk.first);
      qs.push_back(wk.first == 1.0 ? Q(term) : Q(Q::OP_SCALE_WEIGHT, Q(term), wk.first));
    }
    return qs.size() == 1 ? qs[0] : Q(Q::OP_OR, qs.begin(), qs.end());
  }

  Q plain_or(const Variants& terms) {
    std::vector<Q> qs;
    for (const auto& [term, wk] : terms) {
      role(term, wk.second, wk.first);
      qs.emplace_back(term);
    }
    return qs.size() == 1 ? qs[0] : Q(Q::OP_OR, qs.begin(), qs.end());
  }

  /// The variants without compound parts: what a phrase's word is weighed by.
  static Variants without_parts(Variants terms, Field field) {
    const std::string part = schema::text_term(field, TermKind::Part, "");
    std::erase_if(terms, [&](const auto& kv) { return kv.first.starts_with(part); });
    return terms;
  }

  /// The variants as terms that carry positions (schema::has_positions: exact terms only), for
  /// OP_PHRASE subqueries: the exact terms, and for each lemma term the lemma as written and its
  /// other forms from the database's form table (those the index holds in `field`). The forms
  /// only match (a phrase is weighed by the words' variants, phrase_node): role "form", scale 0,
  /// which never outranks a role the same term has as a variant. Compound parts drop out.
  Variants positional(const Variants& terms, Field field) {
    const std::string lemma_prefix = schema::text_term(field, TermKind::Lemma, "");
    const std::string part_prefix = schema::text_term(field, TermKind::Part, "");
    Variants out;
    auto add = [&](const std::string& term, const std::pair<double, const char*>& wk) {
      auto [it, ins] = out.try_emplace(term, wk);
      if (!ins && wk.first > it->second.first) it->second = wk;
    };
    for (const auto& [term, wk] : terms) {
      if (term.starts_with(part_prefix)) continue;
      if (!term.starts_with(lemma_prefix)) {
        add(term, wk);
        continue;
      }
      const std::string lemma = term.substr(lemma_prefix.size());
      add(schema::text_term(field, TermKind::Exact, lemma), wk);
      if (b_.db_ == nullptr) continue;
      // At most kMaxForms forms a lemma (a safety valve: a word has a handful; a Snowball
      // lemma of unknown words could gather many).
      constexpr std::size_t kMaxForms = 64;
      const std::string key = schema::kFormPrefix + lemma;
      std::size_t n = 0;
      for (auto it = b_.db_->synonyms_begin(key); it != b_.db_->synonyms_end(key) && n < kMaxForms; ++it, ++n) {
        std::string form = schema::text_term(field, TermKind::Exact, *it);
        if (b_.db_->get_termfreq(form) > 0) add(form, {0.0, "form"});
      }
    }
    return out;
  }

  /// What a phrase word is weighed by: its variants `weighed` (no compound parts), OR'ed with
  /// the rest of its positional `forms` at weight 0, so that the weight query matches wherever
  /// the phrase does (a stop-word form such as "har" for "haft" has no lemma term to match).
  Q phrase_weight(const Variants& weighed, const Variants& forms) {
    Variants rest;
    for (const auto& kv : forms)
      if (!weighed.count(kv.first)) rest.insert(kv);
    Q w = plain_or(weighed);
    if (rest.empty()) return w;
    return Q(Q::OP_OR, w, Q(Q::OP_SCALE_WEIGHT, plain_or(rest), 0.0));
  }

  /// Groups tokens by position (analyzer output is ordered by position).
  static std::vector<std::vector<const Token*>> by_position(const std::vector<Token>& tokens) {
    std::vector<std::vector<const Token*>> out;
    std::uint32_t last = 0;
    for (const Token& t : tokens) {
      if (out.empty() || t.pos != last) out.emplace_back();
      out.back().push_back(&t);
      last = t.pos;
    }
    return out;
  }

  static bool all_stop(const std::vector<const Token*>& at) {
    return std::all_of(at.begin(), at.end(), [](const Token* t) { return t->stop; });
  }

  void record_words(const std::vector<std::vector<const Token*>>& groups, std::size_t base) {
    for (const auto& g : groups)
      for (const Token* t : g)
        if (t->kind == TokenKind::Word) {
          b_.words_.push_back({t->text, base + t->begin, t->end - t->begin});
          break;
        }
  }

  /// The phrase whose words are `forms` (positional terms) weighed as the AND of `weights` (the
  /// same words' variants, slot by slot, with the other forms at weight 0: phrase_weight(), so
  /// every document with the phrase matches each of them):
  /// FILTER(AND(weights), OP_PHRASE(forms)), or with a phrase resolver FILTER(AND(weights),
  /// resolver(the OP_PHRASE)). Xapian weighs a phrase as the AND of its subqueries, so when
  /// `weights` is `forms` this is OP_PHRASE(forms) itself (tests/searcher/docsets_test.cc).
  /// In a field other than the body the OP_PHRASE is a FieldPhrase over the forms' body terms.
  Q phrase_node(const std::vector<Q>& forms, const std::vector<Q>& weights, Xapian::termcount window, Field field) {
    Q phrase = positional_phrase(forms, window, field);
    if (b_.phrase_resolver_) phrase = b_.phrase_resolver_(phrase);
    else if (&forms == &weights && field == Field::Body) return phrase;
    return Q(Q::OP_FILTER, Q(Q::OP_AND, weights.begin(), weights.end()), phrase);
  }

  /// OP_PHRASE(forms) in the body; in another field, whose terms carry no positions
  /// (schema::has_positions), the FieldPhrase of the same words as body terms.
  static Q positional_phrase(const std::vector<Q>& forms, Xapian::termcount window, Field field) {
    if (field == Field::Body) return Q(Q::OP_PHRASE, forms.begin(), forms.end(), window);
    const std::string_view prefix = schema::field_prefix(field);
    std::vector<std::vector<std::string>> slots;
    for (const Q& f : forms) {
      std::vector<std::string>& slot = slots.emplace_back();
      for (auto t = f.get_terms_begin(); t != f.get_terms_end(); ++t)
        if ((*t).starts_with(prefix)) slot.push_back((*t).substr(prefix.size()));  // always: positional()
    }
    return FieldPhrase::query(std::move(slots), window, field);
  }

  Part phrase_of(const std::vector<std::vector<const Token*>>& groups, Field field) {
    std::vector<Q> subs, weights, exact;  // positional forms, variants, exact words: slot by slot
    const std::vector<const Token*>* only = nullptr;
    std::size_t content = 0;
    for (const auto& g : groups)
      if (!all_stop(g)) ++content;
    for (const auto& g : groups) {
      if (content == 0) break;
      if (all_stop(g)) {
        // The index keeps stop words in their exact form with positions (document_builder.h), so
        // inside a phrase they are matched, in any of their forms ("bliver bedre" meets "blev
        // bedre"; through the form table): "Alle unge skal med" is not just "unge". The typed
        // form weighs; the other forms (their lemma terms are not indexed) only match.
        std::string term = schema::text_term(field, TermKind::Exact, g[0]->text);
        Variants v{{term, {ranking::kExact, "exact"}}};
        for (const Token* t : g)  // the word may be a lemma itself ("blive"), or have lemmas
          if ((t->kind == TokenKind::Lemma || t->kind == TokenKind::Word) && !t->text.empty() &&
              !(t->text[0] >= 'A' && t->text[0] <= 'Z'))  // not "De" (the formal pronoun's lemma)
            v.try_emplace(schema::text_term(field, TermKind::Lemma, t->text), 0.0, "form");  // matches only
        const Variants forms = positional(v, field);
        subs.push_back(plain_or(forms));
        weights.push_back(phrase_weight({{term, {ranking::kExact, "exact"}}}, forms));
        exact.emplace_back(term);
        continue;
      }
      const Variants v = variants(g, field);
      const Variants forms = positional(v, field);
      subs.push_back(plain_or(forms));
      weights.push_back(phrase_weight(without_parts(v, field), forms));
      for (const Token* t : g)
        if (t->kind == TokenKind::Word || t->kind == TokenKind::Identifier) {
          exact.emplace_back(schema::text_term(field, TermKind::Exact, t->text));
          break;
        }
      only = &g;
    }
    const std::uint32_t first = groups.empty() ? 0 : groups.front()[0]->pos;
    const std::uint32_t last = groups.empty() ? 0 : groups.back()[0]->pos;
    Part p;
    if (subs.empty()) {
      if (groups.empty()) return p;  // punctuation only
      // Only stop words: search them as written.
      std::vector<Q> qs;
      for (const auto& g : groups) qs.push_back(plain_or(variants(g, field)));
      p.kind = Part::Stop;
      p.q = qs.size() == 1 ? qs[0] : phrase_node(qs, qs, static_cast<Xapian::termcount>(qs.size()), field);
      return p;
    }
    p.kind = Part::Text;
    if (content == 1 && subs.size() == 1) {
      p.q = scaled_or(variants(*only, field));
      return p;
    }
    auto window = static_cast<Xapian::termcount>(last - first + 1);
    Q all = phrase_node(subs, weights, window, field);
    if (exact.size() == subs.size()) {
      // Not resolved: as AND_MAYBE's optional side it is checked only on `all`'s documents,
      // which are few once `all` is resolved, so a body phrase's positions are cheap to check
      // there. In a field, the words as typed anywhere in it: the phrase (in some spelling) is there
      // already, and checking this one's positions (FieldPhrase reads each position list through
      // a new B-tree cursor, ~5 us a document) made field phrases 7x slower for a small boost.
      Q ex = field == Field::Body ? Q(Q::OP_PHRASE, exact.begin(), exact.end(), window)
                                  : Q(Q::OP_AND, exact.begin(), exact.end());
      p.q = Q(Q::OP_AND_MAYBE, all, Q(Q::OP_SCALE_WEIGHT, ex, ranking::kExactPhrase));
    } else {
      p.q = all;
    }
    return p;
  }

  Part phrase(const std::string& text, std::size_t offset, Field field) {
    // A '*' in a phrase was dropped by the analyser ("negativ soc*" found nothing, silently).
    if (std::size_t star = text.find('*'); star != std::string::npos)
      fail("a wildcard cannot stand inside a phrase",
           "'*' kan ikke bruges inde i en frase; skriv ordene uden anførselstegn (f.eks. negativ soc*)",
           offset + star, offset + star + 1);
    std::vector<Token> tokens;
    b_.analyzer_.analyze(text, stemmers::Mode::Query, tokens);
    auto groups = by_position(tokens);
    record_words(groups, offset);
    return phrase_of(groups, field);
  }

  /// A wildcard's æ/ø/å-free side: the terms of the fold table's keys that start with the typed
  /// ASCII prefix ("okonom*" -> økonomi, økonomisk, Zøkonomi ...), at most the 500 most frequent
  /// (as Xapian's wildcard limit for the exact side), each a term role "folded". Each key costs
  /// a synonym look-up, so a prefix needs two letters and only the first kMaxKeys keys (in
  /// alphabetical order) are read: a broad prefix gets a partial folded side.
  std::vector<Q> unfolded_prefix(const std::string& norm, Field field) {
    std::vector<Q> out;
    if (b_.db_ == nullptr || !is_ascii(norm) || norm.size() < 2) return out;
    constexpr std::size_t kMaxKeys = 1000;
    std::set<std::string> terms;
    const std::string prefix = schema::kFoldPrefix + norm;
    std::size_t keys = 0;
    for (auto k = b_.db_->synonym_keys_begin(prefix); k != b_.db_->synonym_keys_end(prefix) && keys < kMaxKeys; ++k, ++keys)
      for (auto it = b_.db_->synonyms_begin(*k); it != b_.db_->synonyms_end(*k); ++it) {
        const schema::FoldTarget t = schema::parse_fold_value(*it);
        if (t.lemma) terms.insert(schema::text_term(field, TermKind::Lemma, t.text));
        terms.insert(schema::text_term(field, TermKind::Exact, t.text));
      }
    std::vector<std::pair<Xapian::doccount, std::string>> found;
    for (const auto& t : terms)
      if (Xapian::doccount tf = b_.db_->get_termfreq(t); tf > 0) found.emplace_back(tf, t);
    constexpr std::size_t kMaxTerms = 500;
    if (found.size() > kMaxTerms) {
      std::nth_element(found.begin(), found.begin() + kMaxTerms, found.end(), std::greater<>());
      found.resize(kMaxTerms);
    }
    for (const auto& [tf, t] : found) {
      role(t, "folded", ranking::kFolded);
      out.emplace_back(t);
    }
    return out;
  }

  Part word(const std::string& w, std::size_t offset, Field field) {
    std::size_t end = offset + w.size();
    // Wildcard: casefold only, no lemma or split (STYLE practice 5).
    if (w.size() > 1 && w.back() == '*') {
      std::string stem = w.substr(0, w.find_last_not_of('*') + 1);
      std::string norm = b_.analyzer_.normalize(stem);
      if (norm.empty() || norm.find('*') != std::string::npos)
        fail("a wildcard needs a word before '*'", "'*' skal stå efter begyndelsen af et ord (f.eks. budget*)", offset, end);
      Part p;
      p.kind = Part::Text;
      std::string pattern = schema::text_term(field, TermKind::Exact, norm);
      Q exact(Q::OP_WILDCARD, pattern, 500, Q::WILDCARD_LIMIT_MOST_FREQUENT);
      role(pattern + "*", "wildcard", 1.0);
      std::vector<Q> folded = unfolded_prefix(norm, field);
      p.q = folded.empty() ? exact
                           : Q(Q::OP_OR, exact,
                               Q(Q::OP_SCALE_WEIGHT, Q(Q::OP_OR, folded.begin(), folded.end()), ranking::kFolded));
      return p;
    }
    if (w == "*") fail("a wildcard needs a word before '*'", "'*' skal stå efter begyndelsen af et ord (f.eks. budget*)", offset, end);

    std::vector<Token> tokens;
    b_.analyzer_.analyze(w, stemmers::Mode::Query, tokens);
    auto groups = by_position(tokens);
    record_words(groups, offset);
    Part p = groups.size() == 1 ? single_word(groups[0], field) : phrase_of(groups, field);

    // Journal numbers and KLE prefixes are recognised wherever they are typed.
    std::vector<Q> extra;
    if (std::regex_match(w, journal_re()))
      extra.push_back(journal_query(b_.analyzer_.normalize(w)));
    else if (std::regex_match(w, kle_re()))
      extra.emplace_back(schema::kKlePrefix + w);
    // "D-sag" typed as a word: the category, which the parser takes out of the title.
    if (field == Field::Body && w.size() == 5 && w.compare(1, 4, "-sag") == 0)
      if (const char c = category_letter(b_.analyzer_.normalize(w)))
        extra.emplace_back(schema::kCategoryPrefix + std::string(1, c));
    // Committee abbreviations (BSU, BUU, ØU ...), also typed without æ/ø/å (AEHU, OU): the
    // committee's items, plus the text of every abbreviation of it (ØU finds "ØKU") and, through
    // the synonym table, of what they stand for.
    std::vector<std::string> synonym_keys{b_.analyzer_.normalize(w)};
    if (field == Field::Body && w.size() <= 6) {  // an abbreviation: no committee name is so short
      if (const std::string committee = resolve_committee(w); !committee.empty()) {
        extra.emplace_back(schema::kCommitteePrefix + indexer::committee_slug(committee));
        for (const auto& [abbr, name] : indexer::committee_abbreviations()) {
          std::string a = b_.analyzer_.normalize(abbr);
          if (name != committee || a == synonym_keys.front()) continue;
          synonym_keys.push_back(a);
          std::vector<Token> at;
          b_.analyzer_.analyze(a, stemmers::Mode::Query, at);
          Part ap = phrase_of(by_position(at), field);
          if (ap.kind == Part::Text) extra.push_back(Q(Q::OP_SCALE_WEIGHT, ap.q, ranking::kSynonym));
        }
      }
    }
    // Synonyms stored in the index (built-in abbreviations, referat-index --synonyms).
    if (b_.db_ != nullptr && groups.size() == 1 && p.kind != Part::Empty) {
      std::set<std::string> seen;
      for (const std::string& key : synonym_keys)
        for (auto it = b_.db_->synonyms_begin(key); it != b_.db_->synonyms_end(key); ++it) {
          if (!seen.insert(*it).second) continue;
          std::vector<Token> st;
          b_.analyzer_.analyze(*it, stemmers::Mode::Query, st);
          Part sp = phrase_of(by_position(st), field);
          if (sp.kind == Part::Text) extra.push_back(Q(Q::OP_SCALE_WEIGHT, sp.q, ranking::kSynonym));
        }
    }
    if (!extra.empty()) {
      for (const Q& e : extra)  // journal (OR of O and Ø), KLE, category, committee; not synonyms
        if (e.get_type() == Q::LEAF_TERM || e.get_type() == Q::OP_OR)
          for (auto t = e.get_unique_terms_begin(); t != e.get_unique_terms_end(); ++t) role(*t, "filter", 0);
      extra.insert(extra.begin(), p.q);
      if (p.kind == Part::Empty || p.kind == Part::Stop) extra.erase(extra.begin());
      p.q = extra.size() == 1 ? extra[0] : Q(Q::OP_OR, extra.begin(), extra.end());
      p.kind = Part::Text;
      p.near.reset();
    }
    return p;
  }

  Part single_word(const std::vector<const Token*>& at, Field field) {
    Part p;
    auto terms = variants(at, field);
    if (all_stop(at)) {
      p.kind = Part::Stop;
      p.q = scaled_or(terms);
      return p;
    }
    p.kind = Part::Text;
    p.q = scaled_or(terms);
    if (field == Field::Body)
      if (Variants pv = positional(terms, field); !pv.empty()) p.near = plain_or(pv);
    return p;
  }

  QueryBuilder& b_;
  std::string_view text_;
  std::vector<Lexeme> lx_;
  std::size_t pos_ = 0;
  Field field_ = Field::Body;
};

// ---- QueryBuilder ------------------------------------------------------------------------------

QueryBuilder::QueryBuilder(stemmers::Analyzer& analyzer, const Xapian::Database* db)
    : analyzer_(analyzer), db_(db) {}

Xapian::Query QueryBuilder::parse(std::string_view text) {
  words_.clear();
  roles_.clear();
  has_text_ = false;
  has_proximity_ = false;
  QueryParserImpl parser(*this, text);
  return parser.run();
}

std::string QueryBuilder::committee_term(std::string_view text) const {
  const std::string prefix = schema::kCommitteePrefix;
  std::string canon = resolve_committee(text);
  if (!canon.empty()) return prefix + indexer::committee_slug(canon);
  if (db_ == nullptr) return {};
  const std::string slug = indexer::committee_slug(text);
  if (slug.empty()) return {};
  if (db_->term_exists(prefix + slug)) return prefix + slug;
  const std::string key = loose_committee_key(text);
  for (auto t = db_->allterms_begin(prefix); t != db_->allterms_end(prefix); ++t)
    if (loose_committee_key((*t).substr(prefix.size())) == key) return *t;
  return {};
}

Xapian::Query QueryBuilder::filters(const SearchRequest& r) {
  std::vector<Q> parts;
  // Several values of one filter: any of them, or all of them when drilling down.
  auto values = [&](const std::vector<Q>& qs) {
    return qs.size() == 1 ? qs[0] : Q(r.drill_down ? Q::OP_AND : Q::OP_OR, qs.begin(), qs.end());
  };
  auto bad = [](const std::string& option, const std::string& value, const std::string& why,
                const std::string& danish) {
    throw QueryError(option + ": " + why + ": \"" + value + "\"", 0, value, danish);
  };
  if (!r.committees.empty()) {
    std::vector<Q> qs;
    for (const auto& c : r.committees) {
      std::string term = committee_term(c);
      if (term.empty()) bad("--udvalg", c, "unknown committee", "udvalget '" + c + "' kendes ikke");
      qs.emplace_back(term);
    }
    parts.push_back(values(qs));
  }
  std::string from, to;
  if (r.from) {
    from = parse_date(*r.from, false);
    if (from.empty()) bad("--fra", *r.from, "malformed date", "fra-datoen '" + *r.from + "' kan ikke læses (skriv f.eks. 2024-05-20)");
  }
  if (r.to) {
    to = parse_date(*r.to, true);
    if (to.empty()) bad("--til", *r.to, "malformed date", "til-datoen '" + *r.to + "' kan ikke læses (skriv f.eks. 2024-05-20)");
  }
  if (!from.empty() && !to.empty() && from > to) bad("--fra/--til", *r.from + ".." + *r.to, "empty date range", "fra-datoen ligger efter til-datoen");
  if (!from.empty() || !to.empty()) parts.push_back(date_range_query(from, to));
  if (!r.categories.empty()) {
    std::vector<Q> qs;
    for (const auto& c : r.categories) {
      const char n = category_letter(analyzer_.normalize(c));
      if (n == 0) bad("--kategori", c, "category must be A-E", "kategorien skal være A-E, ikke '" + c + "'");
      qs.emplace_back(schema::kCategoryPrefix + std::string(1, n));
    }
    parts.push_back(values(qs));
  }
  if (!r.outcomes.empty()) {
    std::vector<Q> qs;
    for (const auto& o : r.outcomes) {
      std::string n = resolve_outcome(o, analyzer_);
      if (n.empty()) bad("--udfald", o, "unknown outcome", "udfaldet '" + o + "' kendes ikke");
      qs.emplace_back(schema::kOutcomePrefix + n);
    }
    parts.push_back(values(qs));
  }
  if (parts.empty()) return Q();
  return parts.size() == 1 ? parts[0] : Q(Q::OP_AND, parts.begin(), parts.end());
}

}  // namespace referat::searcher
