// The Danish analysis chain shared by indexing and querying.
//
//   text -> NFKC + casefold -> ICU word breaks (UAX #29, locale "da") -> identifiers kept whole
//        -> lemma (hunspell-da, Snowball Danish fallback, override table) -> compound parts
//        -> æ/ø/å-folded spellings -> stop-word flag
//
// Token contract, for each word at position p (all tokens carry p and the word's byte offsets):
//   Word       the casefolded surface, exactly one per position ("kontrollen")
//   Lemma      when the lemma differs ("kontrol"); a compound keeps its modifier
//              ("foranstaltningsbudgettet" → "foranstaltningsbudget"). A verb form that is also
//              a noun or adjective gets all its lemmas, alternatives at one position, its own
//              reading first even when it is the word: "anbefaler" → =anbefaler =anbefale,
//              "udsatte" → =udsætte =udsat (imperatives such as "hav", "borg" are no verb forms)
//   Part       compound parts in lemma form ("foranstaltning", "budget"), split recursively (a
//              part that is a compound is split again), then the sub-compounds of adjacent parts
//              that are words: "sygedagpengeområdet" → syge, dagpenge, område, sygedagpenge,
//              dagpengeområde; for a suspended compound ("Børn- og Ungeudvalget") the hyphenated
//              word also gets the shared head ("udvalg")
//   Folded     index side: the æ/ø/å-free spellings of word and lemma (see folding.h)
//   Identifier instead of a Word for anything holding a digit or a § sign: "27.00.00-a00-6-25"
//              (plus the KLE prefixes "27.00.00", "27.00", "27" at the same position), "§100",
//              "§26a", "2.500.000", "89,0", "lokalplan2000"; "covid-19" plus Parts "covid", "19".
//   stop       set on every token of a Snowball stop word; stop words keep their position.
//
// Compound parts (lemmatizer.cc, compound_lexicon.h): from hunspell-da's compound reading
// ("pa:" in analyze()) and, for compounds the dictionary lists whole ("socialudvalg"), from the
// linking rules of da_DK.dic (-s-, -e-, e→s ...). Only real words become parts: at least three
// letters ("by" and "bo" excepted, before a head of four and five letters: "byplan", "botilbud";
// a three-letter part needs a partner of five or more), no prefix or preposition as modifier
// ("for|ældre", "gennem|snit"), no suffix-like head ("virksom|hed"), only nouns are split, and
// of several cuts the one with the fewest parts and then the longest head wins; a tie is
// refused. A listed word with no such cut may still split, as a last resort and only for itself
// (a longer compound keeps it whole): a noun whose flags give only a linking form standing as is
// ("dag|tilbud", "dag|pleje"), or a prefix before a prefixed word, which leaves the head alone
// ("efter|uddannelse" → uddannelse, but "til|bud", "forud|sætning" stay whole). A word hunspell
// does not know at all is split at the longest noun tail it knows ("frivilligcenter" →
// frivillig, center, lemma frivilligcenter; "dobbeldiagnosebehandlingstilbud" → diagnose,
// behandling, tilbud ...), and that tail's lemma ends the word's lemma instead of Snowball's stem.
// A part is split again by the same rules (its own cached analysis), and
// with three parts or more each run of adjacent parts that hunspell knows as a lower-case word
// split into exactly that run is a part too ("folkeskolereform" → folk, skole, reform,
// folkeskole, skolereform). Measured on tests/stemmers/data/compounds_da.tsv (stemmers_tests
// prints it; a part of a gold part or a run of adjacent ones counts as correct): precision 0.994,
// recall 0.969.
//
// Folding rule (index and query agree; the indexer turns Folded tokens into fold-table entries,
// indexer/schema.h, not terms, so they never mix with exact words):
//   Index: a word with æ/ø/å also yields its digraph (ae/oe/aa) and plain (a/o) spellings, and
//     those of its lemma: "økonomien" → ~oekonomien ~okonomien ~oekonomi ~okonomi.
//   Query: a typed word with æ/ø/å, or one hunspell lists as a word of its own without a digraph
//     ("rod", "band"), is taken as typed: no Folded token, so "rod" never reaches "rød".
//     An ASCII word that hunspell does not know ("okonomi", "oekonomi", "soehus"), knows only
//     capitalised as a name ("born": the surname Born) or accepts only
//     as a compound of other words ("sohus" = so + hus), or one written
//     with a digraph aa/ae/oe ("aarhus"), yields the typed form itself as a Folded token — it
//     meets the index-side folds of "økonomi", "søhus", "århus" — and, as extra Lemma tokens (up
//     to three), the lemmas of its æ/ø/å respellings that hunspell knows ("okonomien" →
//     =økonomi), so the lemma space is reached too. Lemma tokens of one position are
//     alternatives (OR).
//   An unknown query word typed with æ/ø/å yields the same folds as the index side.
//
// An Analyzer is not thread-safe: create one per thread (ICU iterators, the hunspell handle and
// the lemma/split caches are members and are reused for every call).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "stemmers/token.h"

namespace referat::stemmers {

enum class Mode {
  Index,  ///< every word yields its folded spellings
  Query,  ///< a typed word that is itself a Danish word is not widened to look-alikes
};

struct AnalyzerConfig {
  std::string dictionary_dir = "/usr/share/hunspell";  ///< holds da_DK.aff and da_DK.dic
  std::string dictionary = "da_DK";
  bool compounds = true;  ///< emit compound parts
  bool folding = true;    ///< emit æ/ø/å-folded spellings
};

class Analyzer {
 public:
  /// Throws std::runtime_error naming the missing file when the dictionary cannot be opened.
  explicit Analyzer(const AnalyzerConfig& config = {});
  ~Analyzer();
  Analyzer(const Analyzer&) = delete;
  Analyzer& operator=(const Analyzer&) = delete;

  /// Appends the tokens of `text` to `out` (which is not cleared). Never throws on bad input:
  /// invalid UTF-8 is treated as U+FFFD. Offsets are byte offsets into `text`.
  /// Positions continue from `first_pos` (so several fields can share one position space).
  void analyze(std::string_view text, Mode mode, std::vector<Token>& out,
               std::uint32_t first_pos = 1);

  /// Casefold + NFKC only, no lemma or split: for wildcard/prefix terms ("budget*").
  std::string normalize(std::string_view term);

  /// The lemma of one casefolded word (cached).
  std::string lemma(std::string_view word);

  /// True when hunspell-da knows the word as written.
  bool is_known_word(std::string_view word);

  /// True for a Snowball Danish stop word.
  static bool is_stopword(std::string_view word);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace referat::stemmers
