// Lemma choice and compound splitting on top of hunspell-da's morphological analysis.
//
// hunspell's analyze() returns one line per reading, e.g. for "foranstaltningsbudgettet":
//   " pa:budgettet st:budget +KONSONANT_FORDOBLING +BESTEMT_ENTAL"
// pa: is the final part of a compound (hunspell reports only the last one), st: its stem, and the
// +FLAGS are the morphological descriptions of da_DK.aff's suffix rules. hunspell only builds a
// compound reading for a word that is not itself in the dictionary, so lexicalised words
// ("ordning", "forældre", "situation") are never split.
#include "stemmers/lemmatizer.h"

#include <hunspell/hunspell.hxx>
#include <xapian.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include "stemmers/folding.h"
#include "stemmers/stopwords.h"

namespace referat::stemmers {

namespace {

/// Known bad cases of the lemma choice below, word → lemma.
/// "have" (to have) would otherwise become the plural of "hav" (sea), conflating have/hav;
/// "unge" (young people, a key term in council minutes) would become the adjective "ung".
const std::unordered_map<std::string_view, std::string_view>& overrides() {
  static const std::unordered_map<std::string_view, std::string_view> table = {
      {"have", "have"},
      {"unge", "unge"},
      {"ungen", "unge"},
      {"unges", "unge"},
      {"ældre", "ældre"},
  };
  return table;
}

std::size_t utf8_chars(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

/// Upper-cases the first letter (ASCII and æ/ø/å) so proper nouns can be looked up.
std::string capitalise(std::string_view w) {
  std::string s(w);
  if (s.empty()) return s;
  if (s[0] >= 'a' && s[0] <= 'z') {
    s[0] = static_cast<char>(s[0] - 'a' + 'A');
  } else if (s.size() >= 2 && s[0] == '\xC3') {
    const auto c = static_cast<unsigned char>(s[1]);
    if (c >= 0xA0 && c <= 0xBE && c != 0xB7) s[1] = static_cast<char>(c - 0x20);
  }
  return s;
}

std::string decapitalise(std::string_view w) {
  std::string s(w);
  if (s.empty()) return s;
  if (s[0] >= 'A' && s[0] <= 'Z') {
    s[0] = static_cast<char>(s[0] - 'A' + 'a');
  } else if (s.size() >= 2 && s[0] == '\xC3') {
    const auto c = static_cast<unsigned char>(s[1]);
    if (c >= 0x80 && c <= 0x9E && c != 0x97) s[1] = static_cast<char>(c + 0x20);
  }
  return s;
}

bool is_inflection_flag(std::string_view f) {
  return f == "+PLUR_UBEK" || f == "+PLUR_BEK" || f == "+BESTEMT_ENTAL" || f == "+KOMPARATIV" ||
         f == "+SUPERLATIV" || f == "+SUPERLATIV_PLURALIS";
}
bool is_verb_flag(std::string_view f) {
  return f == "+NUTID" || f == "+IMPERATIV" || f == "+DATID" || f == "+PERF_PART" ||
         f == "+PASSIV" || f == "+PR";
}

}  // namespace

struct Lemmatizer::Backend {
  Hunspell hunspell;
  Xapian::Stem snowball{"danish"};
  Backend(const std::string& aff, const std::string& dic) : hunspell(aff.c_str(), dic.c_str()) {}
};

/// One parsed hunspell reading.
struct Lemmatizer::Analysis {
  std::string head;     ///< last pa: field (surface of the compound's final part), or empty
  std::string stem;     ///< st: field (lemma of the word, or of the final part of a compound)
  std::string lemma;    ///< the whole word's lemma: modifier + stem for a compound
  int score = 0;        ///< preference, see analyses()
  bool plural_noun = false;  ///< +PLUR_UBEK: an indefinite plural ("havne" of "havn")
};

Lemmatizer::Lemmatizer(const std::string& dir, const std::string& dictionary) {
  const std::string aff = dir + "/" + dictionary + ".aff";
  const std::string dic = dir + "/" + dictionary + ".dic";
  for (const std::string& f : {aff, dic}) {
    std::ifstream probe(f);
    if (!probe) throw std::runtime_error("cannot open hunspell dictionary file " + f);
  }
  backend_ = std::make_unique<Backend>(aff, dic);
}

Lemmatizer::~Lemmatizer() = default;

// Readings are scored so that the lemma choice is deterministic:
//   4  a noun/adjective inflection of another word   (kontroller → kontrol, budgetter → budget;
//      the shortest such lemma first: kontrollerne → kontrol, not kontroller)
//   3  the word is its own stem                      (borger, leder, led, hav, indsats)
//   2  genitive, linking form or an irregular form without a flag
//   1  a verb form of another word                   (borger → borge is not chosen)
// Ties keep hunspell's order. Known failures of this rule go in overrides().
std::vector<Lemmatizer::Analysis> Lemmatizer::analyses(std::string_view word) {
  std::vector<Analysis> out;
  const std::string w(word);
  std::vector<std::string> lines = backend_->hunspell.analyze(w);
  bool capitalised = false;
  if (lines.empty()) {
    lines = backend_->hunspell.analyze(capitalise(word));
    capitalised = true;
  }
  // A compound line groups the readings of its final part: " pa:hus ( st:hus +X | st:huse +Y )".
  std::vector<std::string> flat;
  for (const std::string& line : lines) {
    const std::size_t open = line.find('(');
    const std::size_t close = line.rfind(')');
    if (open == std::string::npos || close == std::string::npos || close < open) {
      flat.push_back(line);
      continue;
    }
    const std::string common = line.substr(0, open);
    std::size_t k = open + 1;
    while (k <= close) {
      std::size_t bar = line.find('|', k);
      if (bar == std::string::npos || bar > close) bar = close;
      flat.push_back(common + " " + line.substr(k, bar - k));
      k = bar + 1;
    }
  }
  for (const std::string& line : flat) {
    Analysis a;
    bool infl = false, verb = false, other = false;
    std::size_t i = 0;
    while (i < line.size()) {
      while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
      std::size_t j = i;
      while (j < line.size() && line[j] != ' ' && line[j] != '\t') ++j;
      std::string_view field(line.data() + i, j - i);
      if (field.starts_with("pa:")) a.head = capitalised ? decapitalise(field.substr(3)) : std::string(field.substr(3));
      else if (field.starts_with("st:")) a.stem = capitalised ? decapitalise(field.substr(3)) : std::string(field.substr(3));
      else if (field.starts_with("+")) {
        if (is_inflection_flag(field)) infl = true;
        if (field == "+PLUR_UBEK") a.plural_noun = true;
        else if (is_verb_flag(field)) verb = true;
        else if (field != "+ORD_SIDST" && field != "+KONSONANT_FORDOBLING") other = true;
      }
      i = j;
    }
    if (a.stem.empty()) continue;
    if (!a.head.empty() && ends_with(word, a.head) && a.head.size() < word.size()) {
      a.lemma = std::string(word.substr(0, word.size() - a.head.size())) + a.stem;
    } else {
      a.head.clear();
      a.lemma = a.stem;
    }
    if (a.lemma == word) a.score = other ? 2 : 3;
    else if (verb) a.score = 1;
    else if (infl) a.score = 4;
    else a.score = 2;
    out.push_back(std::move(a));
  }
  // Among inflections of other words the shortest lemma strips the most ("kontrollerne":
  // kontrol before kontroller).
  std::stable_sort(out.begin(), out.end(), [](const Analysis& x, const Analysis& y) {
    if (x.score != y.score) return x.score > y.score;
    return x.score == 4 && x.lemma.size() < y.lemma.size();
  });
  return out;
}

bool Lemmatizer::known(std::string_view word) {
  if (word.empty()) return false;
  if (backend_->hunspell.spell(std::string(word))) return true;
  return backend_->hunspell.spell(capitalise(word));
}

/// A dictionary base form: some non-compound reading has the word as its own stem.
bool Lemmatizer::is_base_form(std::string_view word) {
  if (utf8_chars(word) < kMinPartChars && word != "by") return false;
  if (auto it = base_cache_.find(word); it != base_cache_.end()) return it->second;
  bool base = false;
  for (const Analysis& a : analyses(word))
    if (a.head.empty() && a.stem == word) base = true;
  if (base_cache_.size() > kMaxCacheEntries) base_cache_.clear();
  base_cache_.emplace(std::string(word), base);
  return base;
}

namespace {
// Words whose final -s is their own, not a linking element.
bool s_final_word(std::string_view w) {
  static const std::unordered_map<std::string_view, int> set = {
      {"indsats", 0}, {"proces", 0}, {"status", 0}, {"kurs", 0}, {"fokus", 0}, {"virus", 0},
      {"bonus", 0}, {"campus", 0}, {"kaos", 0}, {"plus", 0}, {"minus", 0}, {"bus", 0},
      {"hus", 0}, {"fælles", 0}, {"kompas", 0}, {"tennis", 0}};
  return set.count(w) != 0;
}

// Heads that are (also) derivational suffixes: "virksom|hed", "fælles|skab", "ung|dom",
// "mærk|else" must not split.
bool blocked_head(std::string_view h) {
  static const std::unordered_map<std::string_view, int> set = {
      {"hed", 0}, {"heden", 0}, {"skab", 0}, {"dom", 0}, {"else", 0}, {"ning", 0}, {"sel", 0},
      {"lig", 0}, {"ende", 0}, {"inde", 0}, {"ske", 0}, {"ens", 0}, {"ion", 0}, {"isme", 0},
      {"ere", 0}, {"ist", 0}, {"ant", 0}, {"ent", 0}, {"tion", 0}, {"ighed", 0}, {"agtig", 0},
      {"ring", 0}, {"løshed", 0}, {"løs", 0}, {"fuld", 0}, {"mæssig", 0}, {"ning", 0}};
  return set.count(h) != 0 || is_snowball_stopword(h);
}
// Modifiers that are prefixes or prepositions: "for|ældre", "gennem|snit", "god|kendelse",
// "under|visning" are single words, not compounds.
bool blocked_modifier(std::string_view m) {
  static const std::unordered_map<std::string_view, int> set = {
      {"gennem", 0}, {"mellem", 0}, {"sammen", 0}, {"omkring", 0}, {"blandt", 0}, {"uden", 0},
      {"inden", 0}, {"foran", 0}, {"frem", 0}, {"fore", 0}, {"bag", 0}, {"hen", 0}, {"god", 0},
      {"van", 0}, {"mis", 0}, {"und", 0}, {"sam", 0}, {"for", 0}, {"over", 0}, {"under", 0},
      {"efter", 0}, {"ind", 0}, {"til", 0}, {"fra", 0}, {"med", 0}, {"mod", 0}, {"ved", 0},
      {"ned", 0}, {"op", 0}, {"ud", 0}, {"af", 0}, {"an", 0}, {"be", 0}, {"ge", 0}, {"er", 0},
      {"bi", 0}, {"post", 0}, {"anti", 0}, {"selv", 0}};
  return set.count(m) != 0 || is_snowball_stopword(m);
}
}  // namespace

// A word hunspell-da lists whole ("socialudvalg", "krisecenter", "kontanthjælp") is split where a
// cut gives a base-form head and a modifier that resolves into real words. Of several such cuts
// the one with the fewest parts wins ("udvalg|s|medlem" over "udvalg|s|smed|lem"), then the
// longest head ("bolig|selskab" over "bolig|s|elskab"); two cuts that tie on both are ambiguous
// and refused.
std::vector<std::string> Lemmatizer::dictionary_split(std::string_view lemma, int depth) {
  std::vector<std::string> chosen;
  if (depth > 2 || utf8_chars(lemma) < 6) return chosen;
  bool tie = false;
  std::size_t chosen_head = 0;
  for (std::size_t k = 1; k + 1 < lemma.size(); ++k) {
    if ((static_cast<unsigned char>(lemma[k]) & 0xC0) == 0x80) continue;  // not a char boundary
    const std::string_view mod = lemma.substr(0, k), head = lemma.substr(k);
    // a three-letter side needs a long other side: "sag|s|behandling", "kultur|hus", but not
    // "kul|tur", "pro|cent", "gam|mel"
    const std::size_t hc = utf8_chars(head), mc = utf8_chars(mod);
    if (hc < kMinPartChars) break;
    if (mc < kMinPartChars && mod != "by") continue;
    if (std::min(hc, mc) < kMinDictionaryPartChars && std::max(hc, mc) < 5) continue;
    if (blocked_head(head) || blocked_modifier(mod)) continue;
    if (!is_base_form(head)) continue;
    std::vector<std::string> mods = modifier_parts_at(mod, depth + 1);
    if (mods.empty() || blocked_modifier(mods.front())) continue;
    mods.emplace_back(head);
    if (chosen.empty() || mods.size() < chosen.size() ||
        (mods.size() == chosen.size() && hc > chosen_head)) {
      chosen = std::move(mods);
      chosen_head = hc;
      tie = false;
    } else if (mods.size() == chosen.size() && hc == chosen_head) {
      tie = true;
    }
  }
  if (tie) chosen.clear();
  return chosen;
}

std::vector<std::string> Lemmatizer::modifier_parts(std::string_view p) {
  return modifier_parts_at(p, 0);
}

std::vector<std::string> Lemmatizer::modifier_parts_at(std::string_view p, int depth) {
  std::vector<std::string> parts;
  if (depth > 3) return parts;
  // "by" (town) is the one two-letter modifier common enough in council Danish to allow
  // (byudvikling, byfornyelse); any other part shorter than kMinPartChars is refused.
  if (p == "by") return {std::string(p)};
  if (utf8_chars(p) < kMinPartChars) return parts;
  if (auto it = overrides().find(p); it != overrides().end()) return {std::string(it->second)};
  const std::vector<Analysis> readings = analyses(p);
  // 1. a genitive/linking -s- on a word ("tid-s-", "foranstaltning-s-"), unless the -s belongs to
  //    the word ("indsats", "proces")
  if (ends_with(p, "s") && !s_final_word(p)) {
    std::string_view q = p.substr(0, p.size() - 1);
    if (is_base_form(q)) return {std::string(q)};
  }
  // 2. the modifier is a word as it stands ("bande", "unge", "økonomi", "plads")
  if (is_base_form(p)) return {std::string(p)};
  // 2b. a word whose final -e gives way to the linking -s- ("arbejde" → "arbejds-")
  if (ends_with(p, "s")) {
    std::string qe(p.substr(0, p.size() - 1));
    qe += 'e';
    if (is_base_form(qe)) return {qe};
  }
  // 3. a linking -e- ("børn-e-")
  if (ends_with(p, "e")) {
    std::string_view q = p.substr(0, p.size() - 1);
    if (is_base_form(q)) return {std::string(q)};
  }
  // 4. an inflected form of a word, as a whole ("forældre" → "forælder", "hjemløse" → "hjemløs")
  for (const Analysis& a : readings)
    if (a.head.empty() && utf8_chars(a.stem) >= kMinPartChars && a.score >= 2) return {a.stem};
  // 5. itself a compound, optionally with a linking -s- ("akademikerledighed-s-")
  for (std::string_view q : {p, ends_with(p, "s") ? p.substr(0, p.size() - 1) : std::string_view{}}) {
    if (q.empty()) continue;
    for (const Analysis& a : analyses(q)) {
      if (a.head.empty() || utf8_chars(a.head) < kMinPartChars || blocked_head(a.stem)) continue;
      std::vector<std::string> left =
          modifier_parts_at(q.substr(0, q.size() - a.head.size()), depth + 1);
      if (left.empty() || blocked_modifier(left.front())) continue;
      left.push_back(a.stem);
      return left;
    }
  }
  return parts;
}

WordInfo Lemmatizer::compute(std::string_view word) {
  WordInfo info;
  info.stop = is_snowball_stopword(word);
  info.known = known(word);
  std::vector<Analysis> readings = analyses(word);
  if (auto it = overrides().find(word); it != overrides().end()) {
    info.lemma = it->second;
  } else if (!readings.empty()) {
    info.lemma = readings.front().lemma;
  } else {
    // Snowball Danish for words hunspell does not know (names, new coinages, typos).
    info.lemma = backend_->snowball(std::string(word));
    if (info.lemma.empty()) info.lemma = word;
  }
  // Compound parts from the preferred compound reading. The final part must be long enough and
  // the modifier must resolve into real words; otherwise the split is refused as a whole.
  for (const Analysis& a : readings) {
    if (a.score < readings.front().score) break;
    if (a.head.empty()) continue;
    if (utf8_chars(a.head) < kMinPartChars || blocked_head(a.stem)) continue;
    std::vector<std::string> parts = modifier_parts(word.substr(0, word.size() - a.head.size()));
    if (parts.empty()) continue;
    parts.push_back(a.stem);
    for (const std::string& part : parts) {
      if (part == info.lemma || part == word) continue;
      if (std::find(info.parts.begin(), info.parts.end(), part) == info.parts.end())
        info.parts.push_back(part);
    }
    break;
  }
  if (info.parts.empty() && (readings.empty() || readings.front().head.empty())) {
    for (std::string& part : dictionary_split(info.lemma, 0))
      if (part != info.lemma && std::find(info.parts.begin(), info.parts.end(), part) == info.parts.end())
        info.parts.push_back(std::move(part));
  }
  auto add_fold = [&](std::string f) {
    if (f != word && std::find(info.folds.begin(), info.folds.end(), f) == info.folds.end())
      info.folds.push_back(std::move(f));
  };
  if (has_danish_letters(word)) {
    add_fold(fold_digraph(word));
    add_fold(fold_plain(word));
  }
  if (info.lemma != word && has_danish_letters(info.lemma)) {
    add_fold(fold_digraph(info.lemma));
    add_fold(fold_plain(info.lemma));
  }
  return info;
}

const WordInfo& Lemmatizer::lookup(std::string_view word) {
  if (auto it = cache_.find(word); it != cache_.end()) return it->second;
  return cache_.emplace(std::string(word), compute(word)).first->second;
}

}  // namespace referat::stemmers
