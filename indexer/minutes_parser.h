// MinutesParser: the text of one minutes file -> Meeting + diagnostics.
// The format and its traps: ../shared/docs/minutes-format.md (copied into docs/ in this repo).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

struct ParseResult {
  Meeting meeting;
  std::vector<Diagnostic> diagnostics;
  bool rejected = false;  ///< true when the file cannot be indexed (then `meeting` is empty)
};

/// Parses the text of one minutes file. `file` is only used in diagnostics.
/// Never throws on bad input: problems become diagnostics, fatal ones set `rejected`.
ParseResult parse_minutes(std::string_view text, const std::string& file,
                          const MeetingOverrides& overrides = {});

/// Reads `path` (UTF-8 text; a BOM and CRLF are accepted), applies the sidecar
/// `<path>.meta.json` when present and then `overrides`, and parses.
/// `.pdf` files are read through indexer/pdf_text.h.
ParseResult parse_minutes_file(const std::filesystem::path& path, const std::string& file_label,
                               const MeetingOverrides& overrides = {});

/// Canonical committee name for any spelling ("Børne- og Ungeudvalgets", "BUU", "buu",
/// "Beskæftigelses og Socialudvalget") or std::nullopt when it is not a known committee.
std::optional<std::string> canonical_committee(std::string_view name);

/// URL/id-safe slug of a committee name: "Børn- og Ungeudvalget" -> "boern-og-ungeudvalget".
std::string committee_slug(std::string_view canonical_name);

/// Abbreviations of known committees: {"BUU", "Børn- og Ungeudvalget"}, ...
const std::vector<std::pair<std::string, std::string>>& committee_abbreviations();

}  // namespace referat::indexer
