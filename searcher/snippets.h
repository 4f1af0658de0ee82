// Snippets: the best passage of a hit with the matched words marked as byte ranges.
// Internal to the searcher. Rendering (bold, <mark>) is the renderers' job (STYLE practice 8).
#pragma once

#include <cstddef>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "searcher/searcher.h"
#include "stemmers/analyzer.h"

namespace referat::searcher {

/// One stored section of an item, under its canonical name ("title" for the title).
struct SnippetSource {
  std::string name;
  std::string text;
  /// `text` with ASCII and Æ/Ø/Å lower-cased (lower_same_length), for the needle search; the
  /// hit cache keeps it with the text. Empty: made for each search.
  std::string lower = {};
};

/// `text` with ASCII and Æ/Ø/Å lower-cased; the byte length and offsets stay the same.
std::string lower_same_length(const std::string& text);

/// Single-word analyses for best_snippet, kept across the hits and searches of one Searcher (one
/// Analyzer): a word's tokens depend on the word alone, and the same words recur on every page of
/// hits (analysing them again was half the cost of a snippet on 100k items). Bounded: emptied
/// when it holds `max_words`. Not thread-safe.
class WordAnalyses {
 public:
  explicit WordAnalyses(stemmers::Analyzer& analyzer, std::size_t max_words = 1u << 16);
  stemmers::Analyzer& analyzer() { return analyzer_; }
  /// The tokens of `word` (Mode::Index, offsets relative to it); valid until the next call.
  const std::vector<stemmers::Token>& tokens(std::string_view word);

 private:
  /// Hashes a std::string and a string_view alike, so that a look-up copies no word.
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  stemmers::Analyzer& analyzer_;
  std::size_t max_words_;
  std::unordered_map<std::string, std::vector<stemmers::Token>, Hash, std::equal_to<>> memo_;
};

/// Byte ranges of the words in `text` that produce one of `matching_terms` (Xapian terms with
/// their prefixes, as Enquire::get_matching_terms returns them) when analysed as section
/// `section`. Re-analyses with the same Analyzer as indexing, so a lemma, compound-part or
/// folded match highlights the word as written. Sorted, non-overlapping.
std::vector<ByteRange> highlight_ranges(const std::string& text, const std::string& section,
                                        const std::set<std::string>& matching_terms,
                                        stemmers::Analyzer& analyzer);

/// The best passage of about `target_bytes` bytes: from the section whose window holds the most
/// distinct matched words (then the most matches); the title only when nothing else matched;
/// the start of the first section when nothing matched at all. Cut at word boundaries, with
/// "…" marking a cut, line breaks turned into spaces; highlights are relative to the result.
Snippet best_snippet(const std::vector<SnippetSource>& sources,
                     const std::set<std::string>& matching_terms, WordAnalyses& words,
                     std::size_t target_bytes);

}  // namespace referat::searcher
