// The Danish analysis chain (see analyzer.h for the token contract).
//
// Steps per call:
//  1. NFKC_Casefold the whole input with ICU, recording the edits so every normalised byte offset
//     maps back to the original input.
//  2. ICU word BreakIterator (UAX #29 word boundaries, locale "da") over the normalised UTF-8
//     through a UText, so boundaries are byte offsets without a UTF-16 copy.
//  3. Identifiers are re-assembled from the UAX #29 pieces: journal numbers + KLE prefixes,
//     "§ 100", "covid-19"; anything with a digit stays whole and is never lemmatised or folded.
//  4. Words go through the Lemmatizer cache (one hunspell call per distinct word).
#include "stemmers/analyzer.h"

#include <unicode/brkiter.h>
#include <unicode/bytestream.h>
#include <unicode/edits.h>
#include <unicode/normalizer2.h>
#include <unicode/utext.h>

#include <algorithm>
#include <stdexcept>
#include <unordered_map>

#include "stemmers/folding.h"
#include "stemmers/lemmatizer.h"
#include "stemmers/stopwords.h"

namespace referat::stemmers {

namespace {

struct Segment {
  std::uint32_t b, e;  // byte offsets into the normalised text
  int32_t status;      // ICU rule status: UBRK_WORD_NUMBER, UBRK_WORD_LETTER, ... or NONE
};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool has_digit(std::string_view s) {
  for (char c : s)
    if (c >= '0' && c <= '9') return true;
  return false;
}

bool all_digits(std::string_view s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return !s.empty();
}

/// Matches a journal number at `i`: dd.dd.dd-Xdd-n-n where X is one letter (ASCII or æ/ø/å after
/// casefolding: "00.30.00-ø00-2-21"). Returns the end offset, or 0 when there is none.
std::size_t match_journal(std::string_view s, std::size_t i) {
  auto digits = [&](std::size_t n) {
    for (std::size_t k = 0; k < n; ++k, ++i)
      if (i >= s.size() || !is_digit(s[i])) return false;
    return true;
  };
  auto lit = [&](char c) {
    if (i < s.size() && s[i] == c) { ++i; return true; }
    return false;
  };
  auto some_digits = [&] {
    std::size_t start = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    return i > start;
  };
  if (!(digits(2) && lit('.') && digits(2) && lit('.') && digits(2) && lit('-'))) return 0;
  if (i < s.size() && s[i] >= 'a' && s[i] <= 'z') ++i;
  else if (i + 1 < s.size() && s[i] == '\xC3') i += 2;
  else return 0;
  if (!(digits(2) && lit('-') && some_digits() && lit('-') && some_digits())) return 0;
  if (i < s.size() && (is_digit(s[i]) || (s[i] >= 'a' && s[i] <= 'z'))) return 0;
  return i;
}

/// NFKC_Casefold for the common case, without ICU: text made only of ASCII, Latin-1 letters and
/// a few punctuation marks that NFKC leaves alone. Every such character folds to a character of
/// the same byte length (A→a, Æ→æ, Ø→ø, Å→å, É→é), so byte offsets need no mapping. Returns
/// false, leaving `out` unspecified, as soon as anything else appears (ß → ss, NBSP, ligatures,
/// soft hyphen, malformed UTF-8 ...); the caller then runs ICU's normalizer with edits.
/// Measured: the ICU normalizer plus the offset mapping were ~8% of the warm chain.
bool fold_latin_fast(std::string_view in, std::string& out) {
  out.resize(in.size());
  char* o = out.data();
  const std::size_t n = in.size();
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(in[i]);
    if (c < 0x80) {
      o[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : static_cast<char>(c);
      continue;
    }
    if (i + 1 >= n) return false;
    const auto d = static_cast<unsigned char>(in[i + 1]);
    if (c == 0xC3) {
      // À..Þ except × (0x97) and ß (0x9F) fold by +0x20; à..ÿ stay (÷ 0xB7 too)
      if (d >= 0x80 && d <= 0x9E && d != 0x97) {
        o[i] = in[i];
        o[i + 1] = static_cast<char>(d + 0x20);
      } else if (d >= 0xA0 && d <= 0xBF) {
        o[i] = in[i];
        o[i + 1] = in[i + 1];
      } else if (d == 0x97) {
        o[i] = in[i];
        o[i + 1] = in[i + 1];
      } else {
        return false;
      }
      ++i;
      continue;
    }
    if (c == 0xC2) {
      // § « » ° ± · © ® ¬ £ ¡ ¿ ¦: no decomposition, no case
      switch (d) {
        case 0xA7: case 0xAB: case 0xBB: case 0xB0: case 0xB1: case 0xB7: case 0xA9: case 0xAE:
        case 0xAC: case 0xA3: case 0xA1: case 0xBF: case 0xA6:
          o[i] = in[i];
          o[i + 1] = in[i + 1];
          ++i;
          continue;
        default:
          return false;
      }
    }
    if (c == 0xE2 && i + 2 < n) {
      const auto e = static_cast<unsigned char>(in[i + 2]);
      // – — ‘ ’ “ ” • and €: no decomposition, no case
      const bool punct = d == 0x80 && (e == 0x93 || e == 0x94 || e == 0x98 || e == 0x99 ||
                                       e == 0x9C || e == 0x9D || e == 0xA2);
      const bool euro = d == 0x82 && e == 0xAC;
      if (punct || euro) {
        o[i] = in[i];
        o[i + 1] = in[i + 1];
        o[i + 2] = in[i + 2];
        i += 2;
        continue;
      }
    }
    return false;
  }
  return true;
}

/// The apostrophes people type inside a word, as ASCII ': "KL’s" (U+2019, what word processors
/// put in), "KL‘s" (U+2018), "KLʼs" (U+02BC) are "kl's". ICU breaks all of them like ' (MidNumLet,
/// or a letter for U+02BC), so only the term text changes, never the word boundaries or offsets.
std::string_view ascii_apostrophes(std::string_view w, std::string& buf) {
  if (w.find("\xE2\x80\x99") == std::string_view::npos && w.find("\xE2\x80\x98") == std::string_view::npos &&
      w.find("\xCA\xBC") == std::string_view::npos)
    return w;
  buf.clear();
  for (std::size_t i = 0; i < w.size(); ++i) {
    if (i + 2 < w.size() && w[i] == '\xE2' && w[i + 1] == '\x80' && (w[i + 2] == '\x99' || w[i + 2] == '\x98')) {
      buf += '\'';
      i += 2;
    } else if (i + 1 < w.size() && w[i] == '\xCA' && w[i + 1] == '\xBC') {
      buf += '\'';
      i += 1;
    } else {
      buf += w[i];
    }
  }
  return buf;
}

/// An acute accent typed as an apostrophe between letters ("KL´s", the key next to backspace on a
/// Danish keyboard) would become a space and a combining accent under NFKC and split the word;
/// it is replaced by U+02BC (also two bytes, so offsets stay) before normalisation. Returns false
/// when `text` has none.
bool acute_as_apostrophe(std::string_view text, std::string& out) {
  if (text.find("\xC2\xB4") == std::string_view::npos) return false;
  auto letter_before = [&](std::size_t i) {
    if (i == 0) return false;
    const auto c = static_cast<unsigned char>(text[i - 1]);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
    return c >= 0x80 && c <= 0xBF && i >= 2 && static_cast<unsigned char>(text[i - 2]) == 0xC3;
  };
  auto letter_after = [&](std::size_t i) {
    if (i >= text.size()) return false;
    const auto c = static_cast<unsigned char>(text[i]);
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == 0xC3;
  };
  out.assign(text);
  bool any = false;
  for (std::size_t i = 0; i + 1 < out.size(); ++i) {
    if (out[i] == '\xC2' && out[i + 1] == '\xB4' && letter_before(i) && letter_after(i + 2)) {
      out[i] = '\xCA';
      out[i + 1] = '\xBC';
      any = true;
    }
  }
  return any;
}

bool is_conjunction(std::string_view w) {
  return w == "og" || w == "eller" || w == "samt" || w == "el";
}

}  // namespace

struct QueryInfo {
  bool widen = false;                    ///< emit the typed form as a Folded token
  std::vector<std::string> lemmas;       ///< lemmas of known æ/ø/å respellings
  std::vector<std::string> parts;        ///< parts of the first known respelling
};

struct Analyzer::Impl {
  AnalyzerConfig config;
  Lemmatizer lemmatizer;
  const icu::Normalizer2* nfkc_cf = nullptr;
  std::unique_ptr<icu::BreakIterator> words;
  UText* utext = nullptr;
  icu::Edits edits;
  std::string norm;
  std::string acute_text;  ///< the input with "´" between letters as U+02BC
  std::string word_buf;    ///< a word with ASCII apostrophes
  std::vector<Segment> segments;
  std::unordered_map<std::string, QueryInfo> query_cache;
  std::unordered_map<std::string, std::vector<std::string>> suspended_cache;  ///< modifier parts

  explicit Impl(const AnalyzerConfig& c) : config(c), lemmatizer(c.dictionary_dir, c.dictionary) {
    UErrorCode status = U_ZERO_ERROR;
    nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(status);
    if (U_FAILURE(status)) throw std::runtime_error("ICU NFKC_Casefold unavailable");
    words.reset(icu::BreakIterator::createWordInstance(icu::Locale("da"), status));
    if (U_FAILURE(status) || !words) throw std::runtime_error("ICU word break iterator unavailable");
  }
  ~Impl() {
    if (utext) utext_close(utext);
  }

  void normalize_into(std::string_view text, std::string& out, icu::Edits* e) {
    out.clear();
    UErrorCode status = U_ZERO_ERROR;
    icu::StringByteSink<std::string> sink(&out);
    nfkc_cf->normalizeUTF8(0, icu::StringPiece(text.data(), static_cast<int32_t>(text.size())),
                           sink, e, status);
    if (U_FAILURE(status)) {
      out.assign(text);
      if (e) e->reset();
    }
  }

  const QueryInfo& query_info(const std::string& w, const WordInfo& info);
  void run(std::string_view text, Mode mode, std::vector<Token>& out, std::uint32_t first_pos);
};

const QueryInfo& Analyzer::Impl::query_info(const std::string& w, const WordInfo& info) {
  if (auto it = query_cache.find(w); it != query_cache.end()) return it->second;
  if (query_cache.size() > 100'000) query_cache.clear();
  QueryInfo q;
  const bool digraph = w.find("aa") != std::string::npos || w.find("ae") != std::string::npos ||
                       w.find("oe") != std::string::npos;
  const bool ascii_foldable =
      !has_danish_letters(w) && (w.find('a') != std::string::npos || w.find('o') != std::string::npos);
  // The rule (analyzer.h): widen an ASCII word that hunspell does not list as a word of its own
  // (unknown, or accepted only as a compound: "sohus" = so + hus), or one written with a digraph
  // (aa/ae/oe, the pre-1948 spelling of å that names keep: "Aarhus").
  // A word hunspell knows only capitalised, as a name ("born": the surname Born), does not
  // block the widening of a lower-case typed word: "born" is "børn" typed without ø.
  const bool listed = info.lexical && !info.proper;
  q.widen = ascii_foldable && (!listed || digraph);
  if (q.widen) {
    std::vector<std::string> candidates = unfold_candidates(w, 64);
    for (const std::string& c : candidates) {
      if (listed) {
        // a listed word is only re-spelled through its digraphs, never letter by letter
        // ("band" must not become "bånd")
        std::string all = w;
        for (auto [from, to] : {std::pair{"aa", "\xC3\xA5"}, {"ae", "\xC3\xA6"}, {"oe", "\xC3\xB8"}}) {
          for (std::size_t p = all.find(from); p != std::string::npos; p = all.find(from, p))
            all.replace(p, 2, to);
        }
        if (c != all) continue;
      }
      if (!lemmatizer.known(c)) continue;
      const WordInfo& ci = lemmatizer.lookup(c);
      auto add = [&](const std::string& l) {
        if (std::find(q.lemmas.begin(), q.lemmas.end(), l) == q.lemmas.end() &&
            l != info.lemma && l != w)
          q.lemmas.push_back(l);
      };
      add(ci.lemma);
      for (const std::string& l : ci.alt_lemmas) add(l);
      if (q.parts.empty()) q.parts = ci.parts;
      if (q.lemmas.size() >= 3) break;
    }
  }
  return query_cache.emplace(w, std::move(q)).first->second;
}

void Analyzer::Impl::run(std::string_view text, Mode mode, std::vector<Token>& out,
                         std::uint32_t first_pos) {
  lemmatizer.trim_cache();
  if (text.size() > 0x7fffffffu) text = text.substr(0, 0x7fffffffu);
  if (acute_as_apostrophe(text, acute_text)) text = acute_text;
  edits.reset();
  bool mapped = false;
  if (!fold_latin_fast(text, norm)) {
    normalize_into(text, norm, &edits);
    mapped = edits.hasChanges();
  }
  icu::Edits::Iterator edit_it = edits.getFineIterator();
  auto to_source = [&](std::uint32_t d) -> std::uint32_t {
    std::uint32_t s = d;
    if (mapped) {
      UErrorCode st = U_ZERO_ERROR;
      const int32_t r = edit_it.sourceIndexFromDestinationIndex(static_cast<int32_t>(d), st);
      s = U_FAILURE(st) || r < 0 ? 0 : static_cast<std::uint32_t>(r);
    }
    return std::min<std::uint32_t>(s, static_cast<std::uint32_t>(text.size()));
  };

  // word boundaries
  UErrorCode status = U_ZERO_ERROR;
  utext = utext_openUTF8(utext, norm.data(), static_cast<int64_t>(norm.size()), &status);
  if (U_FAILURE(status)) return;
  words->setText(utext, status);
  if (U_FAILURE(status)) return;
  segments.clear();
  for (int32_t b = words->first(), e = words->next(); e != icu::BreakIterator::DONE;
       b = e, e = words->next()) {
    const int32_t rs = words->getRuleStatus();
    const std::string_view piece(norm.data() + b, static_cast<std::size_t>(e - b));
    if (rs >= UBRK_WORD_NONE_LIMIT || piece == "\xC2\xA7" /* § */)
      segments.push_back({static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(e), rs});
  }

  const std::string_view n(norm);
  auto piece = [&](const Segment& s) { return n.substr(s.b, s.e - s.b); };
  std::uint32_t pos = first_pos;
  std::uint32_t begin = 0, end = 0;
  bool stop = false;
  auto emit = [&](std::string_view t, TokenKind kind) {
    Token tok;
    tok.text.assign(t);
    tok.pos = pos;
    tok.begin = begin;
    tok.end = end;
    tok.kind = kind;
    tok.stop = stop;
    out.push_back(std::move(tok));
  };
  auto set_span = [&](std::uint32_t nb, std::uint32_t ne) {
    begin = to_source(nb);
    end = std::max(begin, to_source(ne));
  };

  for (std::size_t i = 0; i < segments.size(); ++i) {
    const Segment& seg = segments[i];
    const std::string_view w = ascii_apostrophes(piece(seg), word_buf);
    stop = false;

    // "§ 100", "§100", "§26a": one identifier
    if (w == "\xC2\xA7") {
      if (i + 1 < segments.size()) {
        const Segment& next = segments[i + 1];
        const std::string_view gap = n.substr(seg.e, next.b - seg.e);
        if (gap.size() <= 2 && std::all_of(gap.begin(), gap.end(), [](char c) { return c == ' '; }) &&
            is_digit(n[next.b])) {
          std::string id = "\xC2\xA7";
          id += piece(next);
          set_span(seg.b, next.e);
          emit(id, TokenKind::Identifier);
          ++pos;
          ++i;
        }
      }
      continue;
    }

    if (is_digit(w.front())) {
      // journal number "27.00.00-a00-6-25" plus its KLE prefixes "27.00.00", "27.00", "27"
      if (const std::size_t m = match_journal(n, seg.b)) {
        set_span(seg.b, static_cast<std::uint32_t>(m));
        emit(n.substr(seg.b, m - seg.b), TokenKind::Identifier);
        emit(n.substr(seg.b, 8), TokenKind::Identifier);
        emit(n.substr(seg.b, 5), TokenKind::Identifier);
        emit(n.substr(seg.b, 2), TokenKind::Identifier);
        ++pos;
        while (i + 1 < segments.size() && segments[i + 1].b < m) ++i;
        continue;
      }
      set_span(seg.b, seg.e);
      emit(w, TokenKind::Identifier);
      ++pos;
      continue;
    }

    // "covid-19": the whole plus its parts
    if (seg.e < n.size() && n[seg.e] == '-' && i + 1 < segments.size() &&
        segments[i + 1].b == seg.e + 1 && all_digits(piece(segments[i + 1])) && !has_digit(w)) {
      const Segment& next = segments[i + 1];
      set_span(seg.b, next.e);
      emit(n.substr(seg.b, next.e - seg.b), TokenKind::Identifier);
      emit(w, TokenKind::Part);
      emit(piece(next), TokenKind::Part);
      ++pos;
      ++i;
      continue;
    }

    if (has_digit(w) || seg.status < UBRK_WORD_NONE_LIMIT) {
      // codes such as "lokalplan2000" stay whole (Snowball would damage them)
      set_span(seg.b, seg.e);
      emit(w, TokenKind::Identifier);
      ++pos;
      continue;
    }

    const WordInfo& info = lemmatizer.lookup(w);
    stop = info.stop;
    set_span(seg.b, seg.e);
    emit(w, TokenKind::Word);

    if (mode == Mode::Query && !info.known && !has_danish_letters(w)) {
      const QueryInfo& q = query_info(std::string(w), info);
      if (!q.lemmas.empty()) {
        for (const std::string& l : q.lemmas) emit(l, TokenKind::Lemma);
      } else if (info.lemma != w) {
        emit(info.lemma, TokenKind::Lemma);
      }
      if (config.compounds)
        for (const std::string& p : q.parts) emit(p, TokenKind::Part);
      if (config.folding && q.widen) emit(w, TokenKind::Folded);
    } else {
      // alternatives (a verb form that is also a noun or adjective) are all emitted, the
      // word's own reading included: "borger" → =borger =borge, "udsatte" → =udsætte =udsat
      if (info.lemma != w || !info.alt_lemmas.empty()) emit(info.lemma, TokenKind::Lemma);
      for (const std::string& l : info.alt_lemmas) emit(l, TokenKind::Lemma);
      if (config.compounds)
        for (const std::string& p : info.parts) emit(p, TokenKind::Part);
      if (config.folding) {
        if (mode == Mode::Index) {
          for (const std::string& f : info.folds) emit(f, TokenKind::Folded);
        } else if (info.known && !has_danish_letters(w)) {
          const QueryInfo& q = query_info(std::string(w), info);
          if (q.widen) {
            for (const std::string& l : q.lemmas) emit(l, TokenKind::Lemma);
            emit(w, TokenKind::Folded);
          }
        } else if (!info.known) {
          // an unknown word typed with æ/ø/å: the same folds the index holds for it
          for (const std::string& f : info.folds) emit(f, TokenKind::Folded);
        }
      }
    }

    // Suspended compound: "Børn- og Ungeudvalget", "Beskæftigelses- og Socialudvalget".
    // The hyphenated word gets its own modifier part and the head of the next compound.
    if (config.compounds && seg.e < n.size() && n[seg.e] == '-' &&
        (seg.e + 1 == n.size() || n[seg.e + 1] == ' ' || n[seg.e + 1] == ',' ||
         n[seg.e + 1] == '\n')) {
      for (std::size_t j = i + 1; j < segments.size() && j <= i + 8; ++j) {
        const std::string_view nw = piece(segments[j]);
        if (is_conjunction(nw)) continue;
        if (has_digit(nw) || segments[j].status < UBRK_WORD_NONE_LIMIT) break;
        const Segment& sj = segments[j];
        if (sj.e < n.size() && n[sj.e] == '-') continue;  // another suspended word
        const WordInfo& head_info = lemmatizer.lookup(nw);
        if (head_info.atoms.size() < 2) break;
        const std::string& head = head_info.parts[head_info.atoms.back().part];
        // the hyphen often stands without the linking element ("Børn-" for "børne-"): fall back
        // to the word's lemma when no linking form matches
        auto cached = suspended_cache.find(std::string(w));
        if (cached == suspended_cache.end()) {
          std::vector<std::string> m = lemmatizer.modifier_parts(w);
          if (m.empty() && info.known) m.push_back(info.lemma);
          if (suspended_cache.size() > 100'000) suspended_cache.clear();
          cached = suspended_cache.emplace(std::string(w), std::move(m)).first;
        }
        const std::vector<std::string>& mod = cached->second;
        // the hyphenated word is a compound modifier: its parts go in the part space like
        // those of a written-out compound ("børneudvalget" → +børn +udvalg)
        for (const std::string& p : mod) emit(p, TokenKind::Part);
        emit(head, TokenKind::Part);
        break;
      }
    }
    ++pos;
  }
}

Analyzer::Analyzer(const AnalyzerConfig& config) : impl_(std::make_unique<Impl>(config)) {}
Analyzer::~Analyzer() = default;

void Analyzer::analyze(std::string_view text, Mode mode, std::vector<Token>& out,
                       std::uint32_t first_pos) {
  impl_->run(text, mode, out, first_pos);
}

std::string Analyzer::normalize(std::string_view term) {
  std::string out, buf;
  impl_->normalize_into(term, out, nullptr);
  const std::string_view a = ascii_apostrophes(out, buf);
  if (a.data() != out.data()) out.assign(a);
  return out;
}

std::string Analyzer::lemma(std::string_view word) {
  const std::string w = normalize(word);
  return impl_->lemmatizer.lookup(w).lemma;
}

bool Analyzer::is_known_word(std::string_view word) {
  return impl_->lemmatizer.known(normalize(word));
}

bool Analyzer::is_stopword(std::string_view word) { return is_snowball_stopword(word); }

}  // namespace referat::stemmers
