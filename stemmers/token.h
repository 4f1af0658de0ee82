// A token of the Danish analysis chain.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace referat::stemmers {

/// What a token stands for. Several tokens may share one position: a word, its lemma, its compound
/// parts and its folded spellings all sit at the word's position and carry the word's offsets.
enum class TokenKind : std::uint8_t {
  Word,        ///< the word as written, NFKC-casefolded ("kontrollen")
  Lemma,       ///< its lemma when it differs from the word ("kontrol")
  Part,        ///< a compound part (lemma form): "budget" from "foranstaltningsbudgettet"
  Folded,      ///< an æ/ø/å-free spelling of the word or lemma: "okonomi", "oekonomi"
  Identifier,  ///< kept whole: journal number, KLE prefix, "§100", "2.500.000", "covid-19"
};

/// Stable lower-case name of a kind: "word", "lemma", "part", "folded", "identifier".
std::string_view kind_name(TokenKind kind);

/// One token. Filters never change offsets: every token derived from a word has the word's
/// `begin`/`end` (byte offsets into the original, un-normalised input) and its `pos`.
struct Token {
  std::string text;        ///< the term text (NFKC-casefolded, no prefix)
  std::uint32_t pos = 0;   ///< 1-based word position; positions never decrease
  std::uint32_t begin = 0; ///< byte offset of the word's first byte in the input
  std::uint32_t end = 0;   ///< byte offset one past the word's last byte
  TokenKind kind = TokenKind::Word;
  bool stop = false;       ///< a stop word (still emitted, so phrases keep their positions)
};

/// Canonical compact form of a token stream, for table-driven tests and debugging
/// (STYLE.md practice 11). Tokens are separated by one space. The first token at a new position
/// carries the position in brackets; tokens that share it are marked by kind:
///   word "kontrollen[3]", stop word "og[4]*", identifier "#2.500.000[5]",
///   lemma "=kontrol", part "+budget", folded "~okonomi".
/// A derived token whose position differs from the previous token also gets "[pos]".
/// Example: "kontrolindsatsen[1] =kontrolindsats +kontrol +indsats".
std::string describe(const std::vector<Token>& tokens);

}  // namespace referat::stemmers
