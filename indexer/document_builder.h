// DocumentBuilder: one parsed agenda Item (+ its Meeting) -> Xapian::Document per indexer/schema.h.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <xapian.h>

#include "indexer/meeting.h"
#include "stemmers/analyzer.h"
#include "stemmers/token.h"

namespace referat::indexer {

/// Where an item comes from.
struct SourceInfo {
  std::string file;  ///< the path as the user gave it (stored in document data for display)
  std::string key;   ///< file_key() of the file: the XS term and the metadata record key
  std::string stem;  ///< file name without extension: the id's middle part when the date is unknown
};

/// A built document and what the writer needs besides it.
struct BuiltDocument {
  std::string id;                     ///< unique id without the Q prefix
  int item = 0;                       ///< the item's number ("Punkt N")
  int first_line = 0;                 ///< line of "Punkt N:" in the source file
  Xapian::Document document;
  std::vector<std::string> spelling;  ///< distinct body words for add_spelling (see is_spelling_word)
  /// Distinct fold-table and form-table entries (schema.h), (key with its prefix, synonym):
  /// ("XFokonomi", "økonomi"), ("XFokonomi", "Zøkonomi"), ("XLkontrol", "kontrollen").
  std::vector<std::pair<std::string, std::string>> synonyms;
  std::size_t text_bytes = 0;         ///< bytes of text analysed (title + sections)
};

/// Weight of the title inside the unprefixed body terms (wdf increment per title token).
inline constexpr Xapian::termcount kTitleWdf = 3;
/// Position gap between fields, so a phrase never spans the end of one section and the start of
/// the next.
inline constexpr Xapian::termpos kFieldGap = 100;

/// The stable unique id: "<committee-slug>/<YYYY-MM-DD>/<item>"; when the date is unknown
/// "<committee-slug>/<file stem>/<item>"; "ukendt-udvalg" stands for an unknown committee.
std::string item_id(const Meeting& meeting, const Item& item, std::string_view file_stem);

/// The key of a source file: its absolute, lexically normal path (so the same file reached
/// through different relative paths is one file). Paths over 200 bytes are shortened to
/// 150 bytes + "#" + a hash, to stay inside Xapian's term and metadata key length limits.
std::string file_key(const std::filesystem::path& path);

/// True for an unprefixed term that goes into the spelling dictionary: 2-40 bytes, letters only
/// (no digits or punctuation), not a stop word. The writer applies the same test to an old
/// document's terms when it replaces or deletes it, so spelling frequencies stay consistent
/// (each document adds 1 per distinct word).
bool is_spelling_word(std::string_view term);

/// Builds documents. Not thread-safe (it uses the Analyzer); one per thread.
class DocumentBuilder {
 public:
  explicit DocumentBuilder(stemmers::Analyzer& analyzer) : analyzer_(analyzer) {}

  /// Text terms: every token of the title and of every section goes into the body (unprefixed
  /// family; title tokens with wdf kTitleWdf), and title/resume/indstilling/beslutning tokens also
  /// under their field prefix. Token kinds map Word/Identifier -> Exact, Lemma -> Lemma,
  /// Part -> Part; Folded tokens become no terms: the words and lemmas with æ/ø/å give the
  /// fold-table entries instead, and each lemma its form-table entry (BuiltDocument::synonyms).
  /// Only Exact terms carry positions (schema::has_positions). Stop words are indexed (exact form only,
  /// with positions, so phrases keep working); their lemma/part variants are skipped to save space.
  /// Boolean terms, values and data: see indexer/schema.h.
  BuiltDocument build(const Meeting& meeting, const Item& item, const SourceInfo& source);

 private:
  stemmers::Analyzer& analyzer_;
  std::vector<stemmers::Token> tokens_;  // reused for every field
};

}  // namespace referat::indexer
