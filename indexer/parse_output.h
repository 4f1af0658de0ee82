// `referat-index --parse-only`: what the parser makes of minutes files, as JSON.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "indexer/meeting.h"
#include "indexer/minutes_parser.h"

namespace referat::indexer {

/// One item as a JSON object. Keys: file (as given), item, title, category (letter or null),
/// journal (string or null), journal_parts ({kle, facet, serial, year} or null), committee,
/// committee_source, date (YYYY-MM-DD or null), date_source, period, time, place,
/// municipality, source_url, deciding_committees, outcomes, decisions ([{committee, outcome,
/// text}]), decision (whole Beslutning text or null), absent (names), absences ([{name, scope,
/// committee}]), sections (canonical names in order), section_texts ([{name, heading, text,
/// first_line, last_line}] — exactly the text that gets indexed), attachments, first_line,
/// last_line.
/// Unknown values are null (committee, date and then also committee_source, date_source) or ""
/// (period, time, place).
nlohmann::json item_to_json(const Meeting& meeting, const Item& item, const std::string& file);

/// Parses every minutes file under `paths` (collect_sources) and writes one JSON object per
/// item to `out`: format "jsonl" = one object per line, "json" = one pretty-printed array.
/// Diagnostics go to `err`, one per line ("file:line: error: …"), followed by a summary line
/// ("N files, M items, K rejected"; a missing or unreadable path counts as a rejected file).
/// Returns kExitOk when every file parsed, kExitSomeRejected when a path was missing or a file
/// was rejected (the others are still printed), kExitFailed when it could not run at all
/// (unknown format, invalid --date, no minutes file found) or when writing to `out` failed
/// ("referat-index: cannot write output: <reason>" on `err`; it stops there).
int run_parse_only(const std::vector<std::string>& paths, const MeetingOverrides& overrides,
                   const std::string& format, std::ostream& out, std::ostream& err);

}  // namespace referat::indexer
