// Lemmas and compound parts of Danish words: hunspell-da first, Snowball Danish as the fallback for
// words hunspell does not know, and an override table for the cases both get wrong.
//
// Not thread-safe (owns a Hunspell handle and caches): one per Analyzer, one Analyzer per thread.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace referat::stemmers {

struct AnalyzerConfig;

/// What the chain knows about one distinct casefolded word. Computed once, then cached.
struct WordInfo {
  std::string lemma;               ///< lemma; equal to the word when it is its own lemma
  std::vector<std::string> parts;  ///< compound parts in lemma form, in word order; empty if none
  std::vector<std::string> folds;  ///< æ/ø/å-free spellings of word and lemma (index side)
  bool known = false;              ///< hunspell-da accepts the word (or its capitalised form)
  bool stop = false;               ///< on the Snowball Danish stop list
};

class Lemmatizer {
 public:
  /// Throws std::runtime_error naming the missing .aff/.dic file.
  Lemmatizer(const std::string& dictionary_dir, const std::string& dictionary);
  ~Lemmatizer();
  Lemmatizer(const Lemmatizer&) = delete;
  Lemmatizer& operator=(const Lemmatizer&) = delete;

  /// Cached information about `word` (NFKC-casefolded, no digits). The reference stays valid
  /// until the next trim_cache() or clear_cache().
  const WordInfo& lookup(std::string_view word);

  /// hunspell-da accepts `word` as written or capitalised (proper nouns: "aarhus" → "Aarhus").
  bool known(std::string_view word);

  /// The parts of a compound modifier as it stands before the head ("foranstaltnings" →
  /// {"foranstaltning"}, "akademikerledigheds" → {"akademiker", "ledighed"}); empty when it is
  /// not made of real words of at least kMinPartChars letters. A modifier that is itself a
  /// compound is split into its words too ("døgnbehandlings" → {"døgn", "behandling"}).
  std::vector<std::string> modifier_parts(std::string_view modifier);

  /// Number of cached words (for tests and benchmarks).
  std::size_t cache_size() const { return cache_.size(); }
  void clear_cache() {
    cache_.clear();
    front_.fill({});
  }
  /// Empties the cache when it holds more than kMaxCacheEntries words (bounded memory). The
  /// Analyzer calls it between texts, never while it holds references from lookup().
  void trim_cache() {
    if (cache_.size() > kMaxCacheEntries) clear_cache();
  }

  static constexpr std::size_t kMinPartChars = 3;  ///< shorter parts are refused ("sø" in "søhus")
  /// A word hunspell lists whole is split only into parts of at least this many letters.
  static constexpr std::size_t kMinDictionaryPartChars = 4;
  static constexpr std::size_t kMaxCacheEntries = 2'000'000;

 private:
  struct Analysis;
  std::vector<Analysis> analyses(std::string_view word);
  WordInfo compute(std::string_view word);
  std::string modifier_word(std::string_view surface) const;
  std::vector<std::string> modifier_parts_at(std::string_view modifier, int depth);
  std::vector<std::string> dictionary_split(std::string_view lemma, int depth);

  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
      return std::hash<std::string_view>{}(s);
    }
  };
  struct Eq {
    using is_transparent = void;
    bool operator()(std::string_view a, std::string_view b) const noexcept { return a == b; }
  };

  /// Direct-mapped front cache over cache_: frequent words are found with one short hash and
  /// one compare, without walking the hash table's buckets (measured: lookups were the largest
  /// cost of the warm chain after ICU itself).
  struct FrontSlot {
    std::uint64_t hash = 0;
    const WordInfo* info = nullptr;
    std::uint8_t len = 0;     ///< 0: empty
    char key[23] = {};        ///< the word, when it fits (longer words go to cache_ directly)
  };
  static constexpr std::size_t kFrontSlots = 4096;  // 192 KB: stays in L2
  std::array<FrontSlot, kFrontSlots> front_{};

  struct Backend;
  std::unique_ptr<Backend> backend_;
  std::unordered_map<std::string, WordInfo, Hash, Eq> cache_;
  std::shared_ptr<const class CompoundLexicon> lexicon_;
};

}  // namespace referat::stemmers
