// MinutesParser: the text of one minutes file -> Meeting + diagnostics.
// The format and its traps: ../shared/docs/minutes-format.md (copied into docs/ in this repo).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/committees.h"  // canonical_committee, committee_slug, committee_abbreviations
#include "indexer/meeting.h"

namespace referat::indexer {

struct Diagnostic {
  enum class Severity { Warning, Error };
  Severity severity = Severity::Error;
  std::string file;   ///< as given by the caller
  int line = 0;       ///< 1-based; 0 when the problem concerns the whole file
  std::string message;

  /// "file:line: error: message" (the GNU convention).
  std::string to_string() const;
};

/// Values that override what the parser infers (command line > sidecar > text).
struct MeetingOverrides {
  std::optional<std::string> committee;  ///< any spelling; canonicalised
  std::optional<std::string> date;       ///< YYYY-MM-DD
};

/// Metadata from a sidecar file `<minutes file>.meta.json` ({"committee", "date",
/// "municipality", "source_url"}, all optional). Overrides inference; the command line
/// (MeetingOverrides) overrides the sidecar.
struct SidecarMeta {
  std::optional<std::string> committee;
  std::optional<std::string> date;
  std::optional<std::string> municipality;
  std::optional<std::string> source_url;
};

/// Reads a sidecar file. Returns std::nullopt when `path` does not exist; on a file that exists
/// but is not a JSON object with string values, appends an error diagnostic and returns
/// std::nullopt with `*failed` set. Each key other than the four above adds a warning naming
/// the sidecar, the key and the accepted keys (the key is ignored).
std::optional<SidecarMeta> read_sidecar(const std::filesystem::path& path, const std::string& label,
                                        std::vector<Diagnostic>& diags, bool* failed);

/// True for a real calendar date written YYYY-MM-DD.
bool is_iso_date(std::string_view s);

/// Every normalised decision outcome the parser gives (DecisionStatement::outcome), in a stable
/// order: the vocabulary of the outcome facet and of `udfald:`.
const std::vector<std::string>& decision_outcomes();

struct ParseResult {
  Meeting meeting;
  std::vector<Diagnostic> diagnostics;
  bool rejected = false;  ///< true when the file cannot be indexed (then `meeting` is empty)
};

/// Parses the text of one minutes file. `file` is only used in diagnostics.
/// Never throws on bad input: problems become diagnostics, fatal ones set `rejected`.
///
/// Rejected (error): empty or whitespace-only text; a NUL byte ("binary file"); invalid UTF-8
/// (line and column of the first bad byte); no "Punkt N:" line; an item number that repeats or
/// goes backwards (ids would collide); an absurd item number.
/// Accepted silently: a UTF-8 BOM, CRLF line ends, whitespace-only blank lines, a missing final
/// newline. Accepted with a warning: CR-only line ends, numbering that skips or does not start at
/// 1, an item without title, a line over 1 MB (named with its length), a title over 1,000
/// characters (cut at a character boundary, the rest opens the body), an unknown committee name,
/// header/TOC/agenda-approval disagreements, a meeting committee that cannot be inferred.
///
/// Meeting committee and date come from (first that applies): the command line (`overrides`),
/// the sidecar, the REFERAT header, the agenda-approval sentence, the committee opening most
/// Beslutning statements / an addressee sentence, and for the date a present-tense "behandles …
/// den|d. D. måned YYYY|D/M YYYY" sentence naming the meeting committee and no other meeting
/// ("igen", "har …"). Each records its source; a date the text does not support stays unknown
/// (minutes-format.md §5.2).
ParseResult parse_minutes(std::string_view text, const std::string& file,
                          const MeetingOverrides& overrides = {});

/// As above, with sidecar metadata applied between inference and `overrides`.
ParseResult parse_minutes(std::string_view text, const std::string& file,
                          const MeetingOverrides& overrides, const SidecarMeta* sidecar);

/// Reads `path` (UTF-8 text; a BOM and CRLF are accepted), applies the sidecar
/// `<path>.meta.json` when present and then `overrides`, and parses.
/// `.pdf` files are read through indexer/pdf_text.h.
ParseResult parse_minutes_file(const std::filesystem::path& path, const std::string& file_label,
                               const MeetingOverrides& overrides = {});

}  // namespace referat::indexer
