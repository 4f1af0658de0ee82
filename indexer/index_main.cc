// referat-index: parse minutes files and (indexing mode: see the indexer's part) build the index.
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "indexer/index_writer.h"
#include "indexer/parse_output.h"

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
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? kExitOk : kExitFailed;
  }
  MeetingOverrides overrides;
  if (!committee.empty()) overrides.committee = committee;
  if (!date.empty()) overrides.date = date;
  try {
    if (parse_only) return run_parse_only(paths, overrides, format, std::cout, std::cerr);
    std::cerr << "referat-index: error: indexing mode is not available yet; use --parse-only\n";
    return kExitFailed;
  } catch (const std::exception& e) {
    std::cerr << "referat-index: error: " << e.what() << '\n';
    return kExitFailed;
  }
}
