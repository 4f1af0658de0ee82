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
#include <cstring>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include "stemmers/compound_lexicon.h"
#include "stemmers/folding.h"
#include "stemmers/stopwords.h"

namespace referat::stemmers {

namespace {

/// Known bad cases of the lemma choice below, word → lemma.
/// "have" (to have) would otherwise become the plural of "hav" (sea), conflating have/hav;
/// "unge" (young people, a key term in council minutes) would become the adjective "ung".
const std::unordered_map<std::string_view, std::string_view>& overrides() {
  static const std::unordered_map<std::string_view, std::string_view> table = {
      // hunspell-da lists "børn" as a word of its own, not as barn's plural.
      {"børn", "barn"},
      {"børnene", "barn"},
      {"børns", "barn"},
      {"børnenes", "barn"},
      {"børne", "barn"},  // as a compound's modifier: "børnefamilie" → barn + familie
      {"have", "have"},
      {"var", "være"},  // hunspell-da reads it as a word of its own only
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

std::size_t common_prefix(std::string_view a, std::string_view b) {
  std::size_t n = 0;
  while (n < a.size() && n < b.size() && a[n] == b[n]) ++n;
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
/// A verb form other than the imperative (present, past, participle, passive).
bool is_verb_flag(std::string_view f) {
  return f == "+NUTID" || f == "+DATID" || f == "+PERF_PART" || f == "+PASSIV" || f == "+PR";
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
  bool proper = false;  ///< found only through the capitalised form (a proper noun)
  /// a present, past, participle or passive form of the verb `stem` (flagged "+NUTID" etc., or
  /// one of an irregular verb's listed forms: "udsat st:udsætte"); imperatives are not
  bool verb_form = false;
  bool flagged = false;  ///< the reading carries a flag or field ("+GENITIV"): not a listed form
};

Lemmatizer::Lemmatizer(const std::string& dir, const std::string& dictionary) {
  const std::string aff = dir + "/" + dictionary + ".aff";
  const std::string dic = dir + "/" + dictionary + ".dic";
  for (const std::string& f : {aff, dic}) {
    std::ifstream probe(f);
    if (!probe) throw std::runtime_error("cannot open hunspell dictionary file " + f);
  }
  backend_ = std::make_unique<Backend>(aff, dic);
  lexicon_ = CompoundLexicon::load(dic);
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
    a.proper = capitalised;
    bool infl = false, verb = false, imperative = false, other = false, flagged = false;
    std::size_t i = 0;
    while (i < line.size()) {
      while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
      std::size_t j = i;
      while (j < line.size() && line[j] != ' ' && line[j] != '\t') ++j;
      std::string_view field(line.data() + i, j - i);
      if (field.starts_with("pa:")) a.head = capitalised ? decapitalise(field.substr(3)) : std::string(field.substr(3));
      else if (field.starts_with("st:")) a.stem = capitalised ? decapitalise(field.substr(3)) : std::string(field.substr(3));
      else if (field.starts_with("fl:")) flagged = true;
      else if (field.starts_with("+")) {
        flagged = true;
        if (is_inflection_flag(field)) infl = true;
        else if (is_verb_flag(field)) verb = true;
        else if (field == "+IMPERATIV") imperative = true;
        else if (field != "+ORD_SIDST" && field != "+KONSONANT_FORDOBLING") other = true;
      }
      i = j;
    }
    if (a.stem.empty()) continue;
    a.flagged = flagged;
    if (!a.head.empty() && ends_with(word, a.head) && a.head.size() < word.size()) {
      a.lemma = std::string(word.substr(0, word.size() - a.head.size())) + a.stem;
    } else {
      a.head.clear();
      a.lemma = a.stem;
    }
    if (a.lemma == word) a.score = other ? 2 : 3;
    else if (verb || imperative) a.score = 1;
    else if (infl) a.score = 4;
    else a.score = 2;
    // A listed form of an irregular verb carries no flag at all ("udsatte st:udsætte", "havde
    // st:have"); the stem's entry tells it from an irregular noun or adjective form ("børn
    // st:barn", "mindre st:lille"). A form and its verb begin alike ("har"/"have", "gik"/"gå"):
    // da_DK.dic lists "lægge" among the forms of "kortlægge".
    if (a.lemma != word && a.head.empty() && !capitalised) {
      const bool listed = !flagged && (lexicon_->flags(a.stem) & CompoundLexicon::kVerbEntry);
      if (listed && a.stem[0] != word[0] && flat.size() > 1) continue;
      a.verb_form = verb || (listed && !lexicon_->is_irregular_homograph(word, a.stem));
    }
    out.push_back(std::move(a));
  }
  // A participle, as such or used as adjective ("besluttet", "orienterede" = orienteret +
  // PLUR_BEK), loses to the verb it comes from ("orientere" + DATID), so all verb forms meet
  // their infinitive.
  for (Analysis& a : out) {
    if ((a.score != 4 && a.score != 3) || !a.head.empty()) continue;
    for (const Analysis& v : out) {
      if (v.score != 1 || !v.head.empty() || v.stem.empty()) continue;
      const std::string participle_et = v.stem.substr(0, v.stem.size() - 1) + "et";
      if (a.stem == participle_et || a.stem == v.stem + "t") {
        a.score = 0;
        break;
      }
    }
  }
  // Among inflections of other words the shortest lemma strips the most ("kontrollerne":
  // kontrol before kontroller).
  std::stable_sort(out.begin(), out.end(), [](const Analysis& x, const Analysis& y) {
    if (x.score != y.score) return x.score > y.score;
    return x.score == 4 && x.lemma.size() < y.lemma.size();
  });
  return out;
}

// analyze() rather than spell(): measured on the corpus vocabulary, hunspell-da's spell() costs
// ~170 µs per word against ~35 µs for analyze(), and a word has readings exactly when it is
// accepted. Results are cached with the word.
bool Lemmatizer::known(std::string_view word) {
  if (word.empty()) return false;
  return lookup(word).known;
}

namespace {
// Heads that are (also) derivational suffixes: "virksom|hed", "fælles|skab", "ung|dom",
// "orient|ering" must not split.
bool blocked_head(std::string_view h) {
  static const std::unordered_map<std::string_view, int> set = {
      {"hed", 0}, {"heden", 0}, {"skab", 0}, {"dom", 0}, {"else", 0}, {"ning", 0}, {"sel", 0},
      {"lig", 0}, {"ende", 0}, {"inde", 0}, {"ske", 0}, {"ens", 0}, {"ion", 0}, {"isme", 0},
      {"ere", 0}, {"ist", 0}, {"ant", 0}, {"ent", 0}, {"tion", 0}, {"ighed", 0}, {"agtig", 0},
      {"ring", 0}, {"løshed", 0}, {"løs", 0}, {"fuld", 0}, {"mæssig", 0}, {"telse", 0},
      {"ise", 0}, {"vis", 0}, {"vise", 0}, {"lighed", 0}, {"list", 0},
      // endings that are words too: "person|ale", "mel|lem", "fri|villighed" (frivillig-hed)
      {"ale", 0}, {"lem", 0}, {"villighed", 0}};
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
      {"bi", 0}, {"post", 0}, {"anti", 0}, {"selv", 0}, {"gen", 0}, {"fort", 0}, {"forst", 0},
      {"forud", 0}, {"demo", 0}, {"præ", 0}, {"plat", 0}, {"mani", 0}};
  return set.count(m) != 0 || is_snowball_stopword(m);
}

// Listed words that look like compounds of real words but are not used as such: "vej|ledning"
// (guidance, not a road's cable), "borg|mester", "for|behold" (a reservation, common in minutes:
// "med forbehold for"; not "behold"), and words the last-resort cuts of dictionary_split() read
// wrongly ("lab|oratorium", "kast|ration", "dag|ligtøj"). Their compounds still split around
// them ("uddannelsesvejledning" → uddannelse, vejledning).
bool lexicalised(std::string_view w) {
  static const std::unordered_map<std::string_view, int> set = {
      {"vejledning", 0}, {"vejleder", 0},     {"borgmester", 0}, {"forbehold", 0},
      {"laboratorium", 0}, {"kastration", 0}, {"dagligtøj", 0}};
  return set.count(w) != 0;
}

// The two-letter words common enough as modifiers in council Danish to allow as parts: "by"
// (town: byudvikling, byfornyelse, byplan) and "bo" (dwelling: botilbud, bostøtte, boform);
// "sø" in "søhus" and the like are refused.
bool short_part(std::string_view w) { return w == "by" || w == "bo"; }

bool part_long_enough(std::string_view w) {
  return utf8_chars(w) >= Lemmatizer::kMinPartChars || short_part(w);
}

// Verbal prefixes that begin a derived word of their own: "ud|dannelse", "be|handling",
// "op|træning", "an|vendelse" (see prefixed_head()).
bool verbal_prefix(std::string_view p) {
  static const std::unordered_map<std::string_view, int> set = {
      {"af", 0}, {"an", 0}, {"be", 0}, {"for", 0}, {"fore", 0}, {"frem", 0}, {"gen", 0},
      {"ind", 0}, {"mis", 0}, {"med", 0}, {"mod", 0}, {"ned", 0}, {"om", 0}, {"op", 0},
      {"over", 0}, {"sam", 0}, {"til", 0}, {"ud", 0}, {"under", 0}, {"efter", 0}};
  return set.count(p) != 0;
}
}  // namespace

// The word that stands as modifier surface `p` under hunspell-da's linking rules
// (compound_lexicon.h), or "" when there is none. Preference: the word as is (not a verb), then
// -s-, e→s, -e-, dropped e, -er-, doubled consonant + e, and last a verb as is ("hjælpe-" is
// "hjælp" + e before it is the verb "hjælpe").
std::string Lemmatizer::modifier_word(std::string_view p) const {
  using L = CompoundLexicon;
  auto has = [&](std::string_view w, std::uint16_t flag) {
    return part_long_enough(w) && !blocked_modifier(w) && (lexicon_->flags(w) & flag) != 0;
  };
  if (has(p, L::kAsIs)) return std::string(p);
  if (ends_with(p, "s")) {
    const std::string_view q = p.substr(0, p.size() - 1);
    if (has(q, L::kLinkS)) return std::string(q);
    std::string qe(q);
    qe += 'e';
    if (has(qe, L::kEtoS)) return qe;
  }
  if (ends_with(p, "e")) {
    const std::string_view q = p.substr(0, p.size() - 1);
    if (has(q, L::kLinkE)) return std::string(q);
    if (q.size() >= 2 && q[q.size() - 1] == q[q.size() - 2] && has(q.substr(0, q.size() - 1), L::kDoubleE))
      return std::string(q.substr(0, q.size() - 1));
  }
  {
    std::string pe(p);
    pe += 'e';
    if (has(pe, L::kDropE)) return pe;
  }
  if (ends_with(p, "er")) {
    const std::string_view q = p.substr(0, p.size() - 2);
    if (has(q, L::kLinkEr)) return std::string(q);
  }
  if (has(p, L::kAsIsVerb)) return std::string(p);
  return {};
}

std::vector<std::string> Lemmatizer::modifier_parts(std::string_view p) {
  std::vector<std::string> out;
  for (Seg& s : modifier_parts_at(p, 0)) out.push_back(std::move(s.word));
  return out;
}

// A modifier is one word in a linking form, or several: "akademikerledigheds" =
// "akademiker" + "ledighed-s". Of several readings the fewest parts win, then the longest last
// part; a tie is ambiguous and refused. Spans are byte offsets in `p` of the word without its
// linking letters ("arbejd" of "arbejds" for "arbejde").
std::vector<Lemmatizer::Seg> Lemmatizer::modifier_parts_at(std::string_view p, int depth) {
  if (auto it = overrides().find(p); it != overrides().end())
    return {Seg{std::string(it->second), 0, common_prefix(it->second, p)}};
  std::string single = modifier_word(p);
  if (!single.empty()) {
    const std::size_t e = common_prefix(single, p);
    return {Seg{std::move(single), 0, e}};
  }
  std::vector<Seg> best;
  // a prefix is not made of words either: "mellem" ↛ mel|lem
  if (depth >= 3 || blocked_modifier(p)) return best;
  bool tie = false;
  std::size_t best_last = 0;
  for (std::size_t k = 1; k + 1 < p.size(); ++k) {
    if ((static_cast<unsigned char>(p[k]) & 0xC0) == 0x80) continue;  // not a char boundary
    const std::string_view left = p.substr(0, k), right = p.substr(k);
    if (!part_long_enough(left) || !part_long_enough(right)) continue;
    std::string last = modifier_word(right);
    if (last.empty()) continue;
    std::vector<Seg> parts = modifier_parts_at(left, depth + 1);
    if (parts.empty()) continue;
    const std::size_t e = k + common_prefix(last, right);
    parts.push_back(Seg{std::move(last), k, e});
    const std::size_t rc = utf8_chars(right);
    if (best.empty() || parts.size() < best.size() || (parts.size() == best.size() && rc > best_last)) {
      best = std::move(parts);
      best_last = rc;
      tie = false;
    } else if (parts.size() == best.size() && rc == best_last) {
      tie = true;
    }
  }
  if (tie) best.clear();
  return best;
}

// A modifier standing as is before the head where hunspell-da's flags give it only a linking
// form: "dag" has only "dags-", but the dictionary lists "dagtilbud" and "dagpleje". For a word
// the dictionary lists whole, only a noun that the flags let begin compounds in some form
// (-s-, -e-, ...) counts; for a word hunspell-da refuses (guess_split()) any listed noun or
// adjective ("frivillig|center": "frivillig" has no compound form at all).
bool Lemmatizer::plain_modifier(std::string_view m, bool unknown_word) const {
  using L = CompoundLexicon;
  if (!part_long_enough(m) || blocked_modifier(m)) return false;
  const std::uint16_t f = lexicon_->flags(m);
  if (unknown_word) return (f & (L::kNominal | L::kAsIs)) != 0;
  return (f & L::kNominal) && !(f & (L::kAdjective | L::kVerb)) &&
         (f & (L::kLinkS | L::kLinkE | L::kEtoS | L::kDropE | L::kLinkEr | L::kDoubleE));
}

// A head after a plain modifier (plain_modifier()) that is no derivation of the whole nor the
// modifier's linking form plus a shorter word: "ret|færdighed" is retfærdig-hed, "barndom|sår"
// is barndom-s-år, "prins|esse" is prins-esse.
bool Lemmatizer::plain_head(std::string_view mod, std::string_view head) const {
  using L = CompoundLexicon;
  if (utf8_chars(head) < 5 || ends_with(head, "hed") || ends_with(head, "skab")) return false;
  const std::uint16_t f = lexicon_->flags(mod);
  if (head[0] == 's' && (f & (L::kLinkS | L::kEtoS))) return false;
  if (head[0] == 'e' && (f & (L::kLinkE | L::kDoubleE))) return false;
  return true;
}

// "efter|uddannelse", "gen|optræning", "for|undersøgelse": a prefix before a word that is itself
// a prefix plus a listed word is a compound of that word (a prefix before a plain word is one
// lexicalised word: "til|bud", "ud|valg", "under|visning"). Not when the two prefixes make one
// ("for|ud|sætning": forud).
bool Lemmatizer::prefixed_head(std::string_view mod, std::string_view head) const {
  if (!blocked_modifier(mod) || is_snowball_stopword(head) ||
      !(lexicon_->flags(head) & CompoundLexicon::kEnd))
    return false;
  for (std::size_t k = 2; k + 4 <= head.size() && k <= 5; ++k) {
    const std::string_view pre = head.substr(0, k), rest = head.substr(k);
    if (!verbal_prefix(pre) || utf8_chars(rest) < kMinDictionaryPartChars) continue;
    const std::string both = std::string(mod).append(pre);
    if (blocked_modifier(both) || lexicon_->flags(both)) continue;
    if (!blocked_head(rest) && (lexicon_->flags(rest) & CompoundLexicon::kEnd)) return true;
  }
  return false;
}

// A word hunspell-da lists whole ("socialudvalg", "krisecenter", "kontanthjælp") is split where a
// cut gives a head that may end a compound and a modifier that resolves into real words. Of
// several cuts the one with the fewest parts wins ("udvalg|s|medlem" over "udvalg|s|smed|lem"),
// then the longest head ("bolig|selskab" over "bolig|s|elskab", "bo|tilbud" over "bot|ilbud");
// a tie is ambiguous and refused. Without such a cut, and only then (`weak` is set: the split is
// not used inside longer compounds, whose listed parts stay whole: "sygedagpenge" keeps
// "dagpenge"):
//  - a modifier the flags give only a linking form, standing as is: "dag|tilbud",
//    "dag|pleje" (plain_modifier(); the longest head);
//  - a prefix before a prefixed word: "efter|uddannelse" (prefixed_head()), the head alone.
std::vector<Lemmatizer::Seg> Lemmatizer::dictionary_split(std::string_view lemma, int depth,
                                                          bool& weak) {
  std::vector<Seg> chosen;
  weak = false;
  if (depth > 2 || utf8_chars(lemma) < 6) return chosen;
  // past participles of -ere verbs are listed as words of their own: "orienteret" ↛ orient|ret
  if (ends_with(lemma, "eret")) return chosen;
  if (lexicalised(lemma)) return chosen;
  bool tie = false;
  std::size_t chosen_head = 0;
  std::size_t plain_cut = 0;   // the longest head after a plain modifier
  std::size_t prefix_cut = 0;  // the longest head after a prefix, prefixed_head()
  for (std::size_t k = 1; k + 1 < lemma.size(); ++k) {
    if ((static_cast<unsigned char>(lemma[k]) & 0xC0) == 0x80) continue;  // not a char boundary
    const std::string_view mod = lemma.substr(0, k), head = lemma.substr(k);
    // a three-letter side needs a long other side: "sag|s|behandling", "kultur|hus", but not
    // "kul|tur", "pro|cent", "gam|mel"; a two-letter modifier ("by|plan", "bo|tilbud") a head of
    // four letters or more
    const std::size_t hc = utf8_chars(head), mc = utf8_chars(mod);
    if (hc < kMinPartChars) break;
    if (!part_long_enough(mod)) {
      if (!prefix_cut && hc >= 6 && prefixed_head(mod, head)) prefix_cut = k;
      continue;
    }
    if (short_part(mod) ? hc < kMinDictionaryPartChars
                        : std::min(hc, mc) < kMinDictionaryPartChars && std::max(hc, mc) < 5)
      continue;
    if (blocked_head(head) || !(lexicon_->flags(head) & CompoundLexicon::kEnd)) continue;
    // the linking s must not be the start of a suffix: "land|s|kab" is land-skab
    if (mod.back() == 's' && blocked_head(std::string("s").append(head))) continue;
    std::vector<Seg> mods = modifier_parts_at(mod, depth + 1);
    // "bo" (no compound flag in hunspell-da) only as the whole modifier, before five letters
    if (mods.empty() && short_part(mod) && hc >= 5) mods.push_back(Seg{std::string(mod), 0, k});
    if (mods.empty()) {
      if (plain_modifier(mod, false) && plain_head(mod, head)) {
        if (!plain_cut) plain_cut = k;  // k rises: the first is the longest head
      } else if (!prefix_cut && hc >= 6 && prefixed_head(mod, head)) {
        prefix_cut = k;
      }
      continue;
    }
    mods.push_back(Seg{std::string(head), k, lemma.size()});
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
  if (!chosen.empty() || tie) return chosen;
  weak = true;
  if (plain_cut) {
    chosen.push_back(Seg{std::string(lemma.substr(0, plain_cut)), 0, plain_cut});
    chosen.push_back(Seg{std::string(lemma.substr(plain_cut)), plain_cut, lemma.size()});
  } else if (prefix_cut) {
    chosen.push_back(Seg{std::string(lemma.substr(prefix_cut)), prefix_cut, lemma.size()});
  }
  return chosen;
}

// A word hunspell-da does not know at all is often a compound its flags refuse: "frivillig" may
// not begin one ("frivilligcenter"), or the modifier is no word ("dobbeldiagnose" in
// "dobbeldiagnosebehandlingstilbud"). The head is a tail that hunspell knows as a word of its own
// (not only as a compound or a name) and that may end a compound; its lemma after the modifier is
// the word's lemma ("frivilligcentret" → frivilligcenter, not Snowball's "frivilligcent"). In
// order of preference, each time the longest such head:
//  1. a modifier that resolves into real words (modifier_parts_at());
//  2. one listed noun or adjective as is (plain_modifier());
//  3. a head of six letters or more after a modifier of four or more that is no word: the head
//     alone, with what the modifier itself yields this way ("dobbeldiagnose" → diagnose).
// Only a noun is a head ("riisingsparken" is park, not the verb sparke).
// Sides must be as long as in dictionary_split(). `segs` are spans in `lemma`; `weak` as there
// (set for 2 and 3).
bool Lemmatizer::guess_split(std::string_view word, int depth, std::vector<Seg>& segs,
                             std::string& lemma, bool& weak) {
  if (depth > 2 || utf8_chars(word) < 7) return false;
  struct Cut {
    std::size_t k = 0;
    std::string head;  // the head's lemma
  };
  Cut plain, partial;
  for (std::size_t k = 1; k + 1 < word.size(); ++k) {
    if ((static_cast<unsigned char>(word[k]) & 0xC0) == 0x80) continue;  // not a char boundary
    const std::string_view mod = word.substr(0, k), head = word.substr(k);
    const std::size_t hc = utf8_chars(head), mc = utf8_chars(mod);
    if (hc < kMinDictionaryPartChars) break;
    if (!part_long_enough(mod)) continue;
    if (short_part(mod) ? hc < kMinDictionaryPartChars
                        : std::min(hc, mc) < kMinDictionaryPartChars && std::max(hc, mc) < 5)
      continue;
    if (blocked_head(head) || is_snowball_stopword(head)) continue;
    if (mod.back() == 's' && blocked_head(std::string("s").append(head))) continue;
    // cheap filter before asking hunspell: the head begins with a listed word that may end a
    // compound, at most four letters of inflection short of it ("tilbud|dene", "cent|ret")
    bool listed = false;
    for (std::size_t j = head.size(); !listed && j + 4 >= head.size() && j >= 3; --j)
      listed = (lexicon_->flags(head.substr(0, j)) & CompoundLexicon::kEnd) != 0;
    if (!listed) continue;
    const std::vector<Analysis> ha = analyses(head);
    if (ha.empty() || !ha.front().head.empty() || ha.front().proper) continue;
    // only a noun heads a guessed compound, as only nouns are split in compute()
    const std::string& hl = ha.front().lemma;
    const std::uint16_t hf = lexicon_->flags(hl);
    if (blocked_head(hl) || !(hf & CompoundLexicon::kEnd) ||
        (hf & (CompoundLexicon::kNominal | CompoundLexicon::kVerb | CompoundLexicon::kAdjective)) !=
            CompoundLexicon::kNominal)
      continue;
    std::vector<Seg> mods = modifier_parts_at(mod, 1);
    if (mods.empty() && short_part(mod) && hc >= 5) mods.push_back(Seg{std::string(mod), 0, k});
    if (mods.empty()) {
      if (!plain.k && plain_modifier(mod, true) && plain_head(mod, head)) plain = {k, hl};
      else if (!partial.k && hc >= 6 && mc >= 4) partial = {k, hl};
      continue;
    }
    weak = false;
    lemma = std::string(mod) + hl;
    segs = std::move(mods);
    segs.push_back(Seg{hl, k, lemma.size()});
    return true;
  }
  weak = true;
  if (plain.k) {
    lemma = std::string(word.substr(0, plain.k)) + plain.head;
    segs = {Seg{std::string(word.substr(0, plain.k)), 0, plain.k},
            Seg{plain.head, plain.k, lemma.size()}};
    return true;
  }
  if (!partial.k) return false;
  const std::string_view mod = word.substr(0, partial.k);
  lemma = std::string(mod) + partial.head;
  segs.clear();
  std::string mod_lemma;
  bool mod_weak = false;
  if (guess_split(mod, depth + 1, segs, mod_lemma, mod_weak)) {
    for (Seg& s : segs) {
      s.begin = std::min(s.begin, mod.size());
      s.end = std::min(s.end, mod.size());
    }
  }
  segs.push_back(Seg{partial.head, partial.k, lemma.size()});
  return true;
}

// From the parts of one split of `base` (the word's lemma, or a compound reading's) to
// WordInfo::parts and atoms:
//  1. a part that is itself a compound is replaced by its own finest split, found through its
//     cached lookup (so by the same rules as the word on its own): "sygedagpengeområde" = syge +
//     dagpengeområde → syge, dagpenge, område;
//  2. with three parts or more, every run of adjacent parts (not the whole) that is a word
//     hunspell-da knows, lower-case, and whose own split is that run (or none: a listed word) is
//     a part too: "sygedagpenge", "dagpengeområde"; "folkeskolereform" → "skolereform".
// The word's lemma and the word itself are never parts. A `weak` split (a last resort of
// dictionary_split() or guess_split()) records no atoms, so a longer compound does not split the
// word further ("sygedagpenge" keeps "dagpenge" whole).
void Lemmatizer::refine_parts(std::string_view word, std::string_view base, std::vector<Seg> top,
                              WordInfo& info, bool weak) {
  std::erase_if(top, [&](const Seg& s) { return s.word == info.lemma || s.word == word; });
  if (top.empty()) return;
  std::vector<Seg> atoms;
  std::vector<Seg> subs;  // sub-compounds: the compound parts of `top`
  for (const Seg& s : top) {
    const WordInfo* si = s.word.size() < word.size() ? &lookup(s.word) : nullptr;
    if (!si || si->atoms.size() < 2) {
      atoms.push_back(s);
      continue;
    }
    subs.push_back(s);
    for (const WordInfo::Atom& a : si->atoms) {
      Seg x{si->parts[a.part], std::min(s.begin + a.begin, s.end), std::min(s.begin + a.end, s.end)};
      atoms.push_back(std::move(x));
    }
    atoms.back().end = s.end;
  }
  if (atoms.size() >= 3) {
    for (std::size_t i = 0; i < atoms.size(); ++i) {
      for (std::size_t j = i + 1; j < atoms.size(); ++j) {
        if (i == 0 && j + 1 == atoms.size()) continue;  // the whole word
        if (atoms[j].end > base.size() || atoms[i].begin >= atoms[j].end) continue;
        const std::string_view span = base.substr(atoms[i].begin, atoms[j].end - atoms[i].begin);
        if (span.size() >= word.size()) continue;
        const WordInfo& ci = lookup(span);
        if (!ci.known || ci.proper || ci.stop) continue;
        bool same = ci.atoms.empty() ? ci.lexical : ci.atoms.size() == j - i + 1;
        for (std::size_t k = 0; same && k < ci.atoms.size(); ++k)
          same = ci.parts[ci.atoms[k].part] == atoms[i + k].word;
        if (same) subs.push_back(Seg{ci.lemma, atoms[i].begin, atoms[j].end});
      }
    }
  }
  std::stable_sort(subs.begin(), subs.end(), [](const Seg& x, const Seg& y) {
    return x.begin != y.begin ? x.begin < y.begin : x.end < y.end;
  });
  auto add = [&](const std::string& part) -> int {
    // The override table applies to parts too ("folkeskolebørn" → barn, like "børn").
    const auto o = overrides().find(part);
    const std::string p = o != overrides().end() ? std::string(o->second) : part;
    if (p == info.lemma || p == word) return -1;
    auto it = std::find(info.parts.begin(), info.parts.end(), p);
    if (it != info.parts.end()) return static_cast<int>(it - info.parts.begin());
    info.parts.push_back(p);
    return static_cast<int>(info.parts.size() - 1);
  };
  bool atoms_ok = atoms.size() >= 2 && atoms.size() < 255;
  for (const Seg& a : atoms) {
    const int k = add(a.word);
    if (k < 0 || k > 255 || a.end > 0xFFFF) atoms_ok = false;
    else if (atoms_ok)
      info.atoms.push_back({static_cast<std::uint8_t>(k), static_cast<std::uint16_t>(a.begin),
                            static_cast<std::uint16_t>(a.end)});
  }
  if (!atoms_ok || weak) info.atoms.clear();
  for (const Seg& s : subs) add(s.word);
}

WordInfo Lemmatizer::compute(std::string_view word) {
  WordInfo info;
  info.stop = is_snowball_stopword(word);
  std::vector<Analysis> readings = analyses(word);
  info.known = !readings.empty();
  info.proper = info.known && readings.front().proper;
  info.lexical = std::any_of(readings.begin(), readings.end(),
                             [](const Analysis& a) { return a.head.empty(); });
  if (auto it = overrides().find(word); it != overrides().end()) {
    info.lemma = it->second;
  } else if (!readings.empty()) {
    info.lemma = readings.front().lemma;
    // A verb form that is also a noun or adjective keeps both readings as alternatives: the
    // best non-verb reading ("udsatte" → the adjective udsat beside the verb udsætte; a
    // participle adjective the verb beat, score 0, is not one) and every verb's infinitive
    // ("anbefaler" → anbefale beside the noun anbefaler, "udsat" → udsætte beside udsat).
    // An infinitive that lost to a noun's inflection keeps its own reading too ("lægge" →
    // læg, lægge; "sikre" → sikker, sikre), so it meets its other forms.
    const bool any_verb = std::any_of(readings.begin(), readings.end(),
                                      [](const Analysis& a) { return a.verb_form; });
    const bool own_verb =
        info.lemma != word && (lexicon_->flags(word) & CompoundLexicon::kVerbEntry) &&
        std::any_of(readings.begin(), readings.end(), [&](const Analysis& a) {
          return a.lemma == word && a.head.empty() && !a.proper;
        });
    auto add = [&](const std::string& l) {
      // a stop word is no useful alternative ("vis" → vi, "os" → vi)
      if (l != info.lemma && !is_snowball_stopword(l) && std::find(info.alt_lemmas.begin(), info.alt_lemmas.end(), l) ==
                                 info.alt_lemmas.end())
        info.alt_lemmas.push_back(l);
    };
    if (any_verb || own_verb) {
      for (const Analysis& a : readings) {
        if (a.verb_form || !a.head.empty() || a.proper || a.score <= 1) continue;
        add(a.lemma);
        break;
      }
      for (const Analysis& a : readings)
        if (a.verb_form) add(a.lemma);
      if (own_verb) add(std::string(word));
    }
    // A word that is its own entry and also a listed irregular form of another word, which
    // hunspell-da gives as an unflagged reading ("gode": st:gode, and st:god from god's
    // al:gode; "godt", "lange"), keeps that word's lemma as an alternative too,
    // so the forms of god meet: the own reading alone left "god" and "gode" apart.
    // Not for stop words, nor towards a verb ("indsats" is no form of indsætte), nor for a
    // flagged reading ("indsats": st:indsat +GENITIV, the inmate's).
    if (info.lemma == word && info.alt_lemmas.empty() && !info.stop) {
      for (const Analysis& a : readings) {
        if (a.score != 2 || a.flagged || a.lemma == word || a.verb_form || !a.head.empty() || a.proper) continue;
        if (lexicon_->flags(a.stem) & CompoundLexicon::kVerbEntry) continue;
        // Only a form that starts with its lemma (gode, godt, lange): a suppletive comparative
        // or plural ("bedre" → god, "mindre" → lidt, "små" → lille) would widen a search for
        // "lidt" to every "mindre".
        if (!word.starts_with(a.lemma)) continue;
        if (info.alt_lemmas.size() >= 3) break;
        add(a.lemma);
      }
    }
  } else {
    // Snowball Danish for words hunspell does not know (names, new coinages, typos).
    info.lemma = backend_->snowball(std::string(word));
    if (info.lemma.empty()) info.lemma = word;
  }
  // Compound parts from the preferred compound reading. The final part must be long enough and
  // the modifier must resolve into real words; otherwise the split is refused as a whole.
  bool split = false;
  for (const Analysis& a : readings) {
    if (a.score < readings.front().score) break;
    if (a.head.empty()) continue;
    if (utf8_chars(a.head) < kMinPartChars || blocked_head(a.stem)) continue;
    const std::string_view mod = word.substr(0, word.size() - a.head.size());
    std::vector<Seg> parts = modifier_parts_at(mod, 0);
    if (parts.empty()) continue;
    parts.push_back(Seg{a.stem, mod.size(), mod.size() + a.stem.size()});
    refine_parts(word, a.lemma, std::move(parts), info);
    split = true;
    break;
  }
  // Words the dictionary lists whole: only nouns are split (the lemma is an entry with the
  // genitive flag and no verb or adjective entry). A verb or adjective lemma
  // ("begrunde" ↛ beg|runde, "alternativ" ↛ alter|nativ) and a proper noun ("Balboa") stay whole.
  if ((!split || info.parts.empty()) && !readings.empty() && readings.front().head.empty() &&
      (lexicon_->flags(info.lemma) & (CompoundLexicon::kNominal | CompoundLexicon::kVerb |
                                      CompoundLexicon::kAdjective)) == CompoundLexicon::kNominal &&
      !readings.front().proper) {
    bool weak = false;
    std::vector<Seg> top = dictionary_split(info.lemma, 0, weak);
    refine_parts(word, info.lemma, std::move(top), info, weak);
  }
  // a word hunspell-da does not know: a compound its flags refuse (guess_split())
  if (readings.empty() && !info.stop) {
    std::vector<Seg> segs;
    std::string lemma;
    bool weak = false;
    if (guess_split(word, 0, segs, lemma, weak)) {
      info.lemma = lemma;
      refine_parts(word, info.lemma, std::move(segs), info, weak);
    }
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
  for (const std::string& l : info.alt_lemmas) {
    if (l == word || !has_danish_letters(l)) continue;
    add_fold(fold_digraph(l));
    add_fold(fold_plain(l));
  }
  return info;
}

namespace {
/// 64-bit hash of a whole word, 8 bytes per step (multiply-xorshift; not for untrusted-key
/// adversaries, which a local indexer does not face).
std::uint64_t word_hash(std::string_view w) {
  std::uint64_t h = 0x9E3779B97F4A7C15ull ^ (w.size() * 0xFF51AFD7ED558CCDull);
  std::size_t i = 0;
  for (; i + 8 <= w.size(); i += 8) {
    std::uint64_t c;
    std::memcpy(&c, w.data() + i, 8);
    h = (h ^ c) * 0xBF58476D1CE4E5B9ull;
    h ^= h >> 29;
  }
  if (i < w.size()) {
    std::uint64_t c = 0;
    std::memcpy(&c, w.data() + i, w.size() - i);
    h = (h ^ c) * 0x94D049BB133111EBull;
  }
  h ^= h >> 32;
  h *= 0xD6E8FEB86659FD93ull;
  h ^= h >> 29;
  return h;
}
}  // namespace

void Lemmatizer::grow_table() {
  std::vector<TableSlot> bigger(table_.size() * 2);
  const std::size_t mask = bigger.size() - 1;
  for (const TableSlot& s : table_) {
    if (!s.entry) continue;
    std::size_t i = s.hash & mask;
    while (bigger[i].entry) i = (i + 1) & mask;
    bigger[i] = s;
  }
  table_.swap(bigger);
}

const WordInfo& Lemmatizer::lookup(std::string_view word) {
  const std::uint64_t h = word_hash(word);
  // front cache: the slot keeps part of the hash and the word inline, so a hit costs one cache
  // line and one compare
  const bool fits = word.size() <= sizeof(FrontSlot::key) && !word.empty();
  FrontSlot* slot = fits ? &front_[h >> (64 - kFrontBits)] : nullptr;
  if (slot && slot->tag == static_cast<std::uint32_t>(h) && slot->len == word.size() &&
      std::memcmp(slot->key, word.data(), word.size()) == 0)
    return *slot->info;

  const std::size_t mask = table_.size() - 1;
  std::size_t i = h & mask;
  Entry* found = nullptr;
  for (; table_[i].entry; i = (i + 1) & mask) {
    if (table_[i].hash == h && table_[i].entry->word == word) {
      found = table_[i].entry;
      break;
    }
  }
  if (!found) {
    WordInfo info = compute(word);  // may itself call lookup(): find the free slot afterwards
    entries_.push_back(Entry{std::string(word), std::move(info)});
    found = &entries_.back();
    if ((entries_.size() + 1) * 2 > table_.size()) grow_table();
    const std::size_t m = table_.size() - 1;
    std::size_t j = h & m;
    while (table_[j].entry) j = (j + 1) & m;
    table_[j] = {h, found};
  }
  if (slot) {
    slot->tag = static_cast<std::uint32_t>(h);
    slot->len = static_cast<std::uint8_t>(word.size());
    std::memcpy(slot->key, word.data(), word.size());
    slot->info = &found->info;  // deque: addresses stay valid while entries are appended
  }
  return found->info;
}

}  // namespace referat::stemmers
