// Lemmas and compound parts of Danish words: hunspell-da first, Snowball Danish as the fallback for
// words hunspell does not know, and an override table for the cases both get wrong.
//
// Not thread-safe (owns a Hunspell handle and caches): one per Analyzer, one Analyzer per thread.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
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
  /// Further lemmas of a word that is both a verb form and something else, all alternatives at
  /// the word's position: the infinitive of each verb reading ("anbefaler" = the noun anbefaler
  /// and the present tense of anbefale; "udsat" = the adjective udsat and the participle of
  /// udsætte), or the non-verb reading when the verb won ("udsatte" → udsætte, udsat). Never
  /// holds `lemma`. Imperatives never count as verb readings ("hav", "borg", "led": the bare
  /// stem is the noun's homograph), nor do participles used as adjectives that are no adjective
  /// entries of their own ("besluttet", "orienterede" have only the verb's lemma).
  std::vector<std::string> alt_lemmas;
  /// Compound parts in lemma form: the finest split in word order (a part that is itself a
  /// compound is split again: "sygedagpengeområde" → syge, dagpenge, område), then the
  /// sub-compounds of adjacent parts that are words ("sygedagpenge", "dagpengeområde"); empty if
  /// none.
  std::vector<std::string> parts;
  /// The finest split: index into `parts` and byte span in the split lemma, in word order.
  /// Empty for a last-resort split (a plain modifier "dag|tilbud", a prefix "efter|uddannelse",
  /// a guessed split of an unknown word): a longer compound keeps such a part whole.
  struct Atom {
    std::uint8_t part = 0;
    std::uint16_t begin = 0, end = 0;
  };
  std::vector<Atom> atoms;
  std::vector<std::string> folds;  ///< æ/ø/å-free spellings of word and lemma (index side)
  bool known = false;              ///< hunspell-da accepts the word (or its capitalised form)
  bool lexical = false;            ///< ... and not only as a compound of other words: "sohus"
                                   ///< (so + hus) is known but not lexical, "rod" is both
  bool proper = false;             ///< known only in its capitalised form ("born" → "Born")
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
  std::size_t cache_size() const { return entries_.size(); }
  void clear_cache() {
    entries_.clear();
    table_.assign(table_.size(), {});
    front_.fill({});
  }
  /// Empties the cache when it holds more than kMaxCacheEntries words (bounded memory). The
  /// Analyzer calls it between texts, never while it holds references from lookup().
  void trim_cache() {
    if (entries_.size() > kMaxCacheEntries) clear_cache();
  }

  static constexpr std::size_t kMinPartChars = 3;  ///< shorter parts are refused ("sø" in "søhus")
  /// A word hunspell lists whole is split into parts shorter than this only when the other part
  /// has five letters or more ("sag|s|behandling" yes, "kul|tur" no).
  static constexpr std::size_t kMinDictionaryPartChars = 4;
  /// ~250 bytes per cached word (word, lemma, parts, folds): 500k words ≈ 125 MB per Analyzer.
  static constexpr std::size_t kMaxCacheEntries = 500'000;

 private:
  struct Analysis;
  std::vector<Analysis> analyses(std::string_view word);
  WordInfo compute(std::string_view word);
  std::string modifier_word(std::string_view surface) const;
  /// A part with its byte span in the split string (linking letters excluded).
  struct Seg {
    std::string word;
    std::size_t begin = 0, end = 0;
  };
  std::vector<Seg> modifier_parts_at(std::string_view modifier, int depth);
  std::vector<Seg> dictionary_split(std::string_view lemma, int depth, bool& weak);
  bool plain_modifier(std::string_view modifier, bool unknown_word) const;
  bool plain_head(std::string_view modifier, std::string_view head) const;
  bool guess_split(std::string_view word, int depth, std::vector<Seg>& segs, std::string& lemma,
                   bool& weak);
  bool prefixed_head(std::string_view modifier, std::string_view head) const;
  void refine_parts(std::string_view word, std::string_view base, std::vector<Seg> top,
                    WordInfo& info, bool weak = false);

  /// The word cache: entries in a deque (stable addresses), found through an open-addressing
  /// table of (hash, entry) with linear probing. Measured: std::unordered_map's bucket and node
  /// chasing was the largest cost of the warm chain on a large vocabulary.
  struct Entry {
    std::string word;
    WordInfo info;
  };
  struct TableSlot {
    std::uint64_t hash = 0;
    Entry* entry = nullptr;  ///< nullptr: empty
  };
  std::deque<Entry> entries_;
  std::vector<TableSlot> table_ = std::vector<TableSlot>(1 << 16);
  void grow_table();

  /// Direct-mapped front cache over the table: frequent words are found with one short hash and
  /// one compare, without walking the hash table's buckets (measured: lookups were the largest
  /// cost of the warm chain after ICU itself).
  struct FrontSlot {
    std::uint32_t tag = 0;    ///< low 32 bits of the hash (the slot index uses the high bits)
    std::uint8_t len = 0;     ///< 0: empty
    char key[19] = {};        ///< the word, when it fits (longer words use the table only)
    const WordInfo* info = nullptr;
  };
  static_assert(sizeof(FrontSlot) == 32);
  static constexpr unsigned kFrontBits = 14;
  static constexpr std::size_t kFrontSlots = std::size_t{1} << kFrontBits;  // 512 KB
  std::array<FrontSlot, kFrontSlots> front_{};

  struct Backend;
  std::unique_ptr<Backend> backend_;
  std::shared_ptr<const class CompoundLexicon> lexicon_;
};

}  // namespace referat::stemmers
