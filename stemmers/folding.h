// Danish æ/ø/å folding, written down once (STYLE.md practice 5).
//
// æ, ø and å are letters of the Danish alphabet, not accented a/o: they are never removed from a
// word. Folding only *adds* spellings that a user without a Danish keyboard would type:
//   digraph form: æ→ae, ø→oe, å→aa   ("økonomiopfølgning" → "oekonomiopfoelgning")
//   plain form:   æ→a,  ø→o,  å→a    ("økonomiopfølgning" → "okonomiopfolgning")
// (upper-case forms never occur: folding runs on NFKC-casefolded text.)
// The reverse direction (typed ASCII → candidate Danish spellings) is `unfold_candidates`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace referat::stemmers {

/// True when `word` contains æ, ø or å (UTF-8, lower case).
bool has_danish_letters(std::string_view word);

/// æ→ae, ø→oe, å→aa. Returns the input unchanged when it has none of them.
std::string fold_digraph(std::string_view word);

/// æ→a, ø→o, å→a. Returns the input unchanged when it has none of them.
std::string fold_plain(std::string_view word);

/// Spellings of an ASCII-typed word with æ/ø/å restored: every combination of "aa"→å, "ae"→æ,
/// "oe"→ø, "a"→å|æ, "o"→ø at each site, the word itself excluded. At most `limit` candidates, in
/// order of fewest changes first (digraphs before single letters). Empty when `word` already
/// holds æ/ø/å or has no foldable site.
std::vector<std::string> unfold_candidates(std::string_view word, std::size_t limit = 64);

}  // namespace referat::stemmers
