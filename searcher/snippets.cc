// Snippet selection. Tests: tests/searcher/snippets_test.cc and the end-to-end highlight checks.
#include "searcher/snippets.h"

#include <algorithm>
#include <optional>

#include "indexer/schema.h"

namespace referat::searcher {

namespace {

using stemmers::Token;
using stemmers::TokenKind;

/// The field prefix a section's text is also indexed under, besides the body.
std::optional<schema::Field> section_field(const std::string& section) {
  if (section == "title") return schema::Field::Title;
  if (section == "resume") return schema::Field::Resume;
  if (section == "indstilling") return schema::Field::Indstilling;
  if (section == "beslutning") return schema::Field::Beslutning;
  return std::nullopt;
}

/// The term kind of a token; Folded tokens have none (a folded query word is looked up as the
/// exact and lemma terms it spells, which the word's own tokens mark).
std::optional<schema::TermKind> term_kind(TokenKind k) {
  switch (k) {
    case TokenKind::Word:
    case TokenKind::Identifier: return schema::TermKind::Exact;
    case TokenKind::Lemma: return schema::TermKind::Lemma;
    case TokenKind::Part: return schema::TermKind::Part;
    case TokenKind::Folded: return std::nullopt;
  }
  return schema::TermKind::Exact;
}

bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

struct Window {
  std::size_t begin = 0, end = 0;
  int score = -1;
};

}  // namespace

namespace {

/// A highlighted word and the query word it answers (the matched term without its prefix), so
/// that "social", "sociale" and "boligsocial" all count as the one query word "social".
struct Mark {
  ByteRange range;
  std::string key;
};

std::string strip_prefix(const std::string& term) {
  std::size_t i = 0;
  while (i < term.size() && term[i] >= 'A' && term[i] <= 'Z') ++i;
  return term.substr(i);
}

}  // namespace

std::string lower_same_length(const std::string& text) {
  std::string out = text;
  for (std::size_t i = 0; i < out.size(); ++i) {
    auto c = static_cast<unsigned char>(out[i]);
    if (c >= 'A' && c <= 'Z') out[i] = static_cast<char>(c + 32);
    else if (c == 0xC3 && i + 1 < out.size()) {
      auto d = static_cast<unsigned char>(out[i + 1]);
      if (d == 0x86 || d == 0x98 || d == 0x85 || d == 0x89) out[i + 1] = static_cast<char>(d + 0x20);
      ++i;
    }
  }
  return out;
}

namespace {

/// How marks() reads a text: analysed at once; word by word (each word alone, its analysis
/// remembered across hits); or only the words that contain one of the needles, word by word (the
/// cheap pre-filter that keeps snippet cost proportional to the matching words, not the item).
enum class Scan { Whole, EachWord, Needles };

bool is_sep(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '/' || c == '(' || c == ')'; }

/// With Scan::Needles, `lowered` is lower_same_length(text) if known (else empty).
std::vector<Mark> marks(const std::string& text, const std::string& section,
                        const std::set<std::string>& terms, WordAnalyses& words_seen, Scan scan,
                        const std::vector<std::string>& needles = {}, const std::string& lowered = {}) {
  std::vector<Mark> out;
  if (terms.empty() || text.empty()) return out;
  auto field = section_field(section);
  // Marks the tokens (offsets relative to `begin`) whose terms are query terms.
  auto mark = [&](const std::vector<Token>& tokens, std::size_t begin) {
    for (const Token& token : tokens) {
      if (token.stop) continue;  // phrase glue ("med", "og"): never worth a highlight
      auto k = term_kind(token.kind);
      if (!k) continue;
      Token t = token;
      t.begin += static_cast<std::uint32_t>(begin);
      t.end += static_cast<std::uint32_t>(begin);
      std::string term = schema::text_term(schema::Field::Body, *k, t.text);
      bool hit = terms.count(term) > 0;
      if (!hit && field) {
        term = schema::text_term(*field, *k, t.text);
        hit = terms.count(term) > 0;
      }
      if (!hit) continue;
      if (!out.empty() && out.back().range.begin == t.begin) continue;  // same word, already marked
      if (!out.empty() && t.begin < out.back().range.end) {
        out.back().range.end = std::max<std::size_t>(out.back().range.end, t.end);
        continue;
      }
      out.push_back({{t.begin, t.end}, strip_prefix(term)});
    }
  };
  if (scan == Scan::Whole) {
    std::vector<Token> whole;
    words_seen.analyzer().analyze(text, stemmers::Mode::Index, whole);
    mark(whole, 0);
    return out;
  }
  // Words are analysed each alone (a highlight is a property of one word); with needles only
  // those that contain one, at most kMaxHits occurrences per needle, so the cost per item stays
  // small whatever its length and however rare its words are (hunspell look-ups dominate
  // otherwise).
  std::vector<std::pair<std::size_t, std::size_t>> words;
  if (scan == Scan::EachWord) {
    for (std::size_t b = 0; b < text.size();) {
      while (b < text.size() && is_sep(text[b])) ++b;
      std::size_t e = b;
      while (e < text.size() && !is_sep(text[e])) ++e;
      if (e > b) words.emplace_back(b, e);
      b = e;
    }
  } else {
    constexpr std::size_t kMaxHits = 64;
    std::string made;
    const std::string& lower = lowered.size() == text.size() ? lowered : (made = lower_same_length(text));
    for (const auto& n : needles)
      for (std::size_t at = lower.find(n), k = 0; at != std::string::npos && k < kMaxHits;
           at = lower.find(n, at + n.size()), ++k) {
        std::size_t b = at, e = at + n.size();
        while (b > 0 && !is_sep(text[b - 1])) --b;
        while (e < text.size() && !is_sep(text[e])) ++e;
        words.emplace_back(b, e);
      }
    std::sort(words.begin(), words.end());  // needles overlap: one word may be found twice
    words.erase(std::unique(words.begin(), words.end()), words.end());
  }
  std::vector<Mark> all;
  for (const auto& [b, e] : words) {
    out.clear();
    mark(words_seen.tokens(std::string_view(text).substr(b, e - b)), b);
    all.insert(all.end(), out.begin(), out.end());
  }
  out = std::move(all);
  return out;
}

/// Score of the window [b, e): distinct query words x 100, plus 30 for each pair of adjacent
/// marks answering different words (the query's words standing together), plus the count.
int window_score(const std::string& text, const std::vector<Mark>& ms, std::size_t b, std::size_t e) {
  std::set<std::string> distinct;
  int count = 0, adjacent = 0;
  const Mark* prev = nullptr;
  for (const auto& m : ms) {
    if (m.range.begin < b || m.range.end > e) continue;
    ++count;
    distinct.insert(m.key);
    if (prev != nullptr && prev->key != m.key && m.range.begin >= prev->range.end &&
        m.range.begin - prev->range.end <= 2 &&
        text.find_first_not_of(" \n", prev->range.end) == m.range.begin)
      ++adjacent;
    prev = &m;
  }
  return static_cast<int>(distinct.size()) * 100 + adjacent * 30 + count;
}

}  // namespace

WordAnalyses::WordAnalyses(stemmers::Analyzer& analyzer, std::size_t max_words)
    : analyzer_(analyzer), max_words_(max_words) {}

const std::vector<Token>& WordAnalyses::tokens(std::string_view word) {
  auto it = memo_.find(word);
  if (it != memo_.end()) return it->second;
  if (memo_.size() >= max_words_) memo_.clear();  // bounded; rebuilt from the words in use
  std::vector<Token> tokens;
  analyzer_.analyze(word, stemmers::Mode::Index, tokens);
  return memo_.emplace(std::string(word), std::move(tokens)).first->second;
}

std::vector<ByteRange> highlight_ranges(const std::string& text, const std::string& section,
                                        const std::set<std::string>& terms,
                                        stemmers::Analyzer& analyzer) {
  std::vector<ByteRange> out;
  WordAnalyses words(analyzer, 0);
  for (auto& m : marks(text, section, terms, words, Scan::Whole)) out.push_back(m.range);
  return out;
}

Snippet best_snippet(const std::vector<SnippetSource>& sources, const std::set<std::string>& terms,
                     WordAnalyses& words, std::size_t target) {
  Snippet snip;
  if (sources.empty()) return snip;
  target = std::max<std::size_t>(target, 40);
  const SnippetSource* best_src = nullptr;
  std::vector<ByteRange> best_ranges;
  Window best;
  const SnippetSource* title = nullptr;
  std::vector<ByteRange> title_ranges;

  // Needles for the paragraph pre-filter: the matched terms without their prefixes; when the
  // pre-filter finds nothing at all, every paragraph is analysed.
  static const std::set<std::string> kTextPrefixes = [] {
    std::set<std::string> p;
    for (const char* kind : {"", "Z", "XP"})
      for (const char* field : {"", "S", "XR", "XI", "XB"}) p.insert(std::string(kind) + field);
    return p;
  }();
  std::vector<std::string> needles;
  for (const auto& t : terms) {
    std::string root = strip_prefix(t);
    if (root.size() >= 2 && kTextPrefixes.count(t.substr(0, t.size() - root.size())) &&
        !stemmers::Analyzer::is_stopword(root))
      needles.push_back(root);
  }
  // Pass 0 with the needles; pass 1, when they found nothing, every word.
  const int passes = needles.empty() ? 1 : 2;
  for (int pass = 0; pass < passes && best_src == nullptr && title_ranges.empty(); ++pass)
  for (const auto& src : sources) {
    if (src.text.empty()) continue;
    auto ms = marks(src.text, src.name, terms, words, pass == 0 && !needles.empty() ? Scan::Needles : Scan::EachWord,
                    needles, src.lower);
    if (src.name == "title") {
      title = &src;
      for (auto& m : ms) title_ranges.push_back(m.range);
      continue;
    }
    if (ms.empty()) continue;
    std::size_t lead = std::min<std::size_t>(target / 5, 60);
    for (const auto& anchor : ms) {
      Window w;
      w.begin = anchor.range.begin > lead ? anchor.range.begin - lead : 0;
      w.end = std::min(src.text.size(), w.begin + target);
      w.score = window_score(src.text, ms, w.begin, w.end);
      if (w.score > best.score) {
        best = w;
        best_src = &src;
        best_ranges.clear();
        for (auto& m : ms) best_ranges.push_back(m.range);
      }
    }
  }
  if (best_src == nullptr) {
    if (title != nullptr && !title_ranges.empty()) {
      snip.section = "title";
      snip.text = title->text;
      snip.highlights = title_ranges;
      return snip;
    }
    for (const auto& src : sources)
      if (src.name != "title" && !src.text.empty()) {
        best_src = &src;
        break;
      }
    if (best_src == nullptr) return snip;
    best.begin = 0;
    best.end = std::min(best_src->text.size(), target);
    best_ranges.clear();
  }

  const std::string& text = best_src->text;
  std::size_t b = best.begin, e = best.end;
  // Snap the start forward to a word start and the end back to a word end (never inside a
  // UTF-8 sequence), but never past a highlight.
  std::size_t first_hl = text.size();
  std::size_t last_hl = 0;
  for (const auto& r : best_ranges)
    if (r.begin >= b && r.end <= e) {
      first_hl = std::min(first_hl, r.begin);
      last_hl = std::max(last_hl, r.end);
    }
  if (b > 0) {
    std::size_t sp = text.find_first_of(" \n\t", b > 0 ? b - 1 : 0);
    if (sp != std::string::npos && sp < first_hl && sp < b + 40) b = sp + 1;
    while (b < text.size() && is_continuation(static_cast<unsigned char>(text[b]))) ++b;
  }
  if (e < text.size()) {
    std::size_t sp = text.find_last_of(" \n\t", e);
    if (sp != std::string::npos && sp > b && sp >= last_hl) e = sp;
    while (e > b && e < text.size() && is_continuation(static_cast<unsigned char>(text[e]))) --e;
  }
  while (b < e && (text[b] == ' ' || text[b] == '\n' || text[b] == '\t')) ++b;
  while (e > b && (text[e - 1] == ' ' || text[e - 1] == '\n' || text[e - 1] == '\t')) --e;

  static const std::string kEllipsis = "\xE2\x80\xA6 ";  // "… "
  std::string prefix = b > 0 ? kEllipsis : "";
  snip.section = best_src->name;
  snip.text = prefix + text.substr(b, e - b);
  if (e < text.size()) snip.text += " \xE2\x80\xA6";
  for (char& c : snip.text)
    if (c == '\n' || c == '\t' || c == '\r') c = ' ';
  for (const auto& r : best_ranges)
    if (r.begin >= b && r.end <= e)
      snip.highlights.push_back({r.begin - b + prefix.size(), r.end - b + prefix.size()});
  return snip;
}

}  // namespace referat::searcher
