// `--parse-only` output. See parse_output.h.
#include "indexer/parse_output.h"

#include <cerrno>
#include <cstring>

#include "indexer/index_writer.h"  // exit codes
#include "indexer/sources.h"

namespace referat::indexer {
namespace {
nlohmann::json opt(const std::optional<std::string>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); }
/// Where a value came from; null (not "") when there is no value, like the value itself.
nlohmann::json source(const Sourced& s) { return s.value ? nlohmann::json(s.source) : nlohmann::json(nullptr); }

/// Writes `s` to `out`; false when the stream failed (disk full, closed pipe, /dev/full). errno
/// is cleared first, so that what it holds afterwards is the reason of this write's failure.
bool write_out(std::ostream& out, const std::string& s, bool flush) {
  errno = 0;
  out << s;
  if (flush) out.flush();
  return static_cast<bool>(out);
}

/// The message for a failed write; output that silently went nowhere must not exit 0.
int write_failed(std::ostream& err) {
  int e = errno;
  err << "referat-index: cannot write output: " << (e != 0 ? std::strerror(e) : "write error") << '\n';
  return kExitFailed;
}
}  // namespace

nlohmann::json item_to_json(const Meeting& meeting, const Item& item, const std::string& file) {
  using nlohmann::json;
  json j;
  j["file"] = file;
  j["item"] = item.number;
  j["title"] = item.title;
  j["category"] = item.category ? json(std::string(1, *item.category)) : json(nullptr);
  if (item.journal) {
    j["journal"] = item.journal->full;
    j["journal_parts"] = {{"kle", item.journal->kle},
                          {"facet", item.journal->facet},
                          {"serial", item.journal->serial},
                          {"year", item.journal->year}};
  } else {
    j["journal"] = nullptr;
    j["journal_parts"] = nullptr;
  }
  j["committee"] = opt(meeting.committee.value);
  j["committee_source"] = source(meeting.committee);
  j["date"] = opt(meeting.date.value);
  j["date_source"] = source(meeting.date);
  j["period"] = meeting.period;
  j["time"] = meeting.time;
  j["place"] = meeting.place;
  j["municipality"] = meeting.municipality;
  j["source_url"] = meeting.source_url;
  j["deciding_committees"] = item.deciding_committees();
  j["outcomes"] = item.outcomes();
  json decisions = json::array();
  for (const auto& d : item.decisions)
    decisions.push_back({{"committee", d.committee}, {"outcome", d.outcome}, {"text", d.text}});
  j["decisions"] = std::move(decisions);
  const Section* b = item.section("beslutning");
  j["decision"] = b ? json(b->text) : json(nullptr);
  json absent = json::array(), absences = json::array();
  for (const auto& a : item.absent) {
    absent.push_back(a.name);
    absences.push_back({{"name", a.name}, {"scope", a.scope}, {"committee", a.committee}});
  }
  j["absent"] = std::move(absent);
  j["absences"] = std::move(absences);
  json sections = json::array();
  for (const auto& s : item.sections) sections.push_back(s.name);
  j["sections"] = std::move(sections);
  json texts = json::array();
  for (const auto& s : item.sections)
    texts.push_back({{"name", s.name}, {"heading", s.heading}, {"text", s.text}, {"first_line", s.first_line},
                     {"last_line", s.last_line}});
  j["section_texts"] = std::move(texts);
  j["attachments"] = item.attachments;
  j["first_line"] = item.first_line;
  j["last_line"] = item.last_line;
  return j;
}

int run_parse_only(const std::vector<std::string>& paths, const MeetingOverrides& overrides,
                   const std::string& format, std::ostream& out, std::ostream& err) {
  if (format != "jsonl" && format != "json") {
    err << "referat-index: error: unknown --format '" << format << "' (use jsonl or json)\n";
    return kExitFailed;
  }
  if (overrides.date && !is_iso_date(*overrides.date)) {
    err << "referat-index: error: invalid --date '" << *overrides.date << "' (expected YYYY-MM-DD)\n";
    return kExitFailed;
  }
  std::vector<Diagnostic> diags;
  auto files = collect_sources(paths, diags);
  // A path that does not exist or cannot be read counts as a rejected file in the summary (as
  // in index_paths): "2 files, 10 items, 1 rejected", not "0 rejected" next to exit code 1.
  std::size_t failed_paths = 0;
  for (const auto& d : diags) {
    err << d.to_string() << '\n';
    if (d.severity == Diagnostic::Severity::Error) ++failed_paths;
  }
  if (files.empty()) {
    err << "referat-index: error: no minutes files (.txt, .pdf) found\n";
    return kExitFailed;
  }
  std::size_t rejected = 0, items = 0;
  nlohmann::json all = nlohmann::json::array();
  for (const auto& f : files) {
    std::string label = f.string();
    ParseResult r = parse_minutes_file(f, label, overrides);
    for (const auto& d : r.diagnostics) err << d.to_string() << '\n';
    if (r.rejected) {
      ++rejected;
      continue;
    }
    for (const auto& it : r.meeting.items) {
      auto j = item_to_json(r.meeting, it, label);
      ++items;
      if (format == "jsonl") {
        if (!write_out(out, j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + '\n', false))
          return write_failed(err);
      } else {
        all.push_back(std::move(j));
      }
    }
    if (!write_out(out, "", true)) return write_failed(err);
  }
  if (format == "json" && !write_out(out, all.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + '\n', true))
    return write_failed(err);
  rejected += failed_paths;
  const std::size_t total = files.size() + failed_paths;
  err << "referat-index: " << total << (total == 1 ? " file, " : " files, ") << items << " items, " << rejected
      << " rejected\n";
  return rejected > 0 ? kExitSomeRejected : kExitOk;
}

}  // namespace referat::indexer
