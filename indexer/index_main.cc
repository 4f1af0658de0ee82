// referat-index: parse minutes files and build the index (or, with --parse-only, print what the
// parser makes of them).
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "indexer/default_db.h"
#include "indexer/index_writer.h"
#include "indexer/parse_output.h"

namespace {

// The end-of-run summary on stderr: counts, time, then every rejection with its reason and the
// warnings (at most `kMaxWarnings` of them, the rest counted).
void print_summary(const referat::indexer::IndexSummary& s, const std::string& db) {
  using referat::indexer::Diagnostic;
  constexpr std::size_t kMaxWarnings = 20;
  std::size_t warnings = 0;
  for (const auto& d : s.diagnostics) {
    if (d.severity == Diagnostic::Severity::Error) {
      std::cerr << d.to_string() << '\n';
    } else if (++warnings <= kMaxWarnings) {
      std::cerr << d.to_string() << '\n';
    }
  }
  if (warnings > kMaxWarnings)
    std::cerr << "referat-index: " << warnings - kMaxWarnings << " more warnings not shown\n";
  char secs[32];
  std::snprintf(secs, sizeof secs, "%.1f", s.seconds);
  std::cerr << "referat-index: " << db << ": files " << s.files_indexed << " indexed, "
            << s.files_unchanged << " unchanged, " << s.files_rejected << " rejected; items "
            << s.items_added << " added, " << s.items_replaced << " replaced, " << s.items_deleted
            << " deleted";
  if (s.items_conflicting > 0) std::cerr << ", " << s.items_conflicting << " not indexed (id taken)";
  std::cerr << "; " << secs << " s\n";
}

}  // namespace

int main(int argc, char** argv) {
  using namespace referat::indexer;
  CLI::App app{"referat-index: read council minutes (.txt/.pdf) and index them for referat-search"};
  std::vector<std::string> paths;
  bool parse_only = false;
  std::string format = "jsonl";
  std::string committee, date;
  app.add_option("paths", paths, "Minutes files and folders (searched recursively for .txt and .pdf)")->required();
  app.add_flag("--parse-only", parse_only, "Do not index: print what the parser makes of each item (JSON)");
  app.add_option("--format", format, "Output of --parse-only: jsonl (one object per line) or json")
      ->check(CLI::IsMember({"jsonl", "json"}));
  app.add_option("--committee", committee, "Meeting committee of every file (overrides sidecar and text), e.g. BSU");
  app.add_option("--date", date, "Meeting date YYYY-MM-DD of every file (overrides sidecar and text)");
  IndexOptions options;
  options.db_path = referat::default_db_path();
  double flush_mb = static_cast<double>(options.flush_bytes) / (1 << 20);
  app.add_option("--db", options.db_path,
                 "Database folder (created when missing); default $REFERAT_DB, else ./referat-db")
      ->capture_default_str();
  app.add_flag("--prune", options.prune, "Delete the items of indexed files that no longer exist");
  app.add_option("--jobs,-j", options.jobs, "Parse/analyse threads (0 = one per CPU core)")
      ->capture_default_str();
  app.add_option("--synonyms", options.synonyms_file,
                 "Synonym file: lines \"term = synonym, synonym\" ('#' starts a comment)");
  app.add_option("--flush-mb", flush_mb, "Commit after about this many MB of minutes text")
      ->check(CLI::Validator(
          [](std::string& v) {
            char* end = nullptr;
            const double mb = std::strtod(v.c_str(), &end);
            return end != v.c_str() && *end == '\0' && mb >= 0 && mb <= 1e6
                       ? std::string()
                       : "must be a number from 0 to 1000000, not " + v;
          },
          "MB>=0"))
      ->capture_default_str();
  app.add_flag("--compact", options.compact,
               "Rewrite the database compactly afterwards (smaller, faster; readers must reopen)");
  bool single_writer = false;
  app.add_flag("--single-writer", single_writer,
               "One writer thread even for a first build (by default a first build into an empty "
               "database with --jobs > 1 writes one shard per job and merges them)");
  bool quiet = false;
  app.add_flag("--quiet,-q", quiet, "No progress bar");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? kExitOk : kExitFailed;
  }
  options.shards = !single_writer;
  MeetingOverrides overrides;
  if (!committee.empty()) overrides.committee = committee;
  if (!date.empty()) overrides.date = date;
  try {
    if (parse_only) return run_parse_only(paths, overrides, format, std::cout, std::cerr);
    options.overrides = overrides;
    options.flush_bytes = static_cast<std::size_t>(flush_mb * (1 << 20));
    options.progress = !quiet && isatty(STDERR_FILENO);
    IndexSummary summary = index_paths(paths, options);
    print_summary(summary, options.db_path);
    return summary.files_rejected > 0 || summary.items_conflicting > 0 ? kExitSomeRejected : kExitOk;
  } catch (const std::exception& e) {
    std::cerr << "referat-index: error: " << e.what() << '\n';
    return kExitFailed;
  }
}
