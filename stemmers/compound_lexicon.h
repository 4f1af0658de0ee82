// hunspell-da's compound information, read from the .dic file.
//
// da_DK.aff (Stavekontrolden) marks with suffix flags how each word may stand in a compound: as
// the last part (flag 39, "+ORD_SIDST"), and in which form it may come first or in the middle:
//   31 as is ("social-udvalg")      29 plus -s- ("foranstaltning-s-budget")
//   30 plus -e- ("børn-e-have")      56 final -e becomes -s- ("arbejde" → "arbejd-s-miljø")
//   55 final -e dropped              60 plus -er-           61 doubled consonant plus -e- ("skat-te-")
//   53 plus a hyphen
// libhunspell uses these flags to accept compounds but does not expose them, and it never
// analyses a word the dictionary lists whole ("socialudvalg") as a compound. This table lets the
// splitter apply the same rules to such words and to compound modifiers.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

namespace referat::stemmers {

class CompoundLexicon {
 public:
  enum Flag : std::uint16_t {
    kEnd = 1 << 0,           ///< may end a compound (39)
    kAsIs = 1 << 1,          ///< may begin one as is (31), from an entry that is not a verb
    kAsIsVerb = 1 << 2,      ///< may begin one as is (31), only as a verb ("hjælpe-", "havne-")
    kLinkS = 1 << 3,         ///< + s (29)
    kLinkE = 1 << 4,         ///< + e (30)
    kEtoS = 1 << 5,          ///< final e → s (56)
    kDropE = 1 << 6,         ///< final e dropped (55)
    kLinkEr = 1 << 7,        ///< + er (60)
    kDoubleE = 1 << 8,       ///< doubled final consonant + e (61)
    kVerb = 1 << 9,          ///< some entry is a verb (conjugation flags 1/21, or listed forms)
    kAdjective = 1 << 10,    ///< some entry is an adjective (flags 24/49)
    kNominal = 1 << 11,      ///< some entry takes the genitive -s (flag 10): a noun or adjective
    /// some entry is certainly a verb: conjugation flags (1/21), or an irregular verb's listed
    /// forms that include a present participle in -ende ("udsætte al:... al:udsættende ...";
    /// kVerb also counts adjective and pronoun form lists such as "lille al:små al:mindre")
    kVerbEntry = 1 << 12,
  };

  /// Reads `dic_path`; throws std::runtime_error when it cannot be read. Shared and immutable:
  /// every Analyzer of the process that uses the same file gets the same table.
  static std::shared_ptr<const CompoundLexicon> load(const std::string& dic_path);

  /// Flags of a word exactly as the dictionary lists it (all its entries together); 0 if absent.
  std::uint16_t flags(std::string_view word) const;

  std::size_t size() const { return flags_.size(); }

  /// True when `form` is, among the listed forms of the irregular verb `infinitive`, its
  /// imperative (the last one: "hav" of "have", "udsæt" of "udsætte") or a genitive (a form plus
  /// -s right after that form: "udsats", "indsats" after "udsat", "indsat"). hunspell-da
  /// analyses every listed form as "st:udsætte" without a flag; these ones are mostly a noun's
  /// homograph ("hav" sea, "indsats" effort) and must not take the verb's lemma.
  bool is_irregular_homograph(std::string_view form, std::string_view infinitive) const;

 private:
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
  std::unordered_map<std::string, std::uint16_t, Hash, Eq> flags_;
  /// is_irregular_homograph(): form → its infinitives, '\t'-joined
  std::unordered_map<std::string, std::string, Hash, Eq> homographs_;
};

}  // namespace referat::stemmers
