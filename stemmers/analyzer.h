// The Danish analysis chain shared by indexing and querying.
//
//   text -> NFKC + casefold -> ICU word breaks (UAX #29, locale "da") -> identifiers kept whole
//        -> lemma (hunspell-da, Snowball Danish fallback, override table) -> compound parts
//        -> æ/ø/å-folded spellings -> stop-word flag
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
