// referat-search: search a referat index from the terminal.
//
// Exit codes: 0 = at least one hit, 1 = ran fine but nothing matched, 2 = could not run (bad
// query or option, no index, wrong schema version). A bad query prints the message, the query
// and a caret line under the offending fragment.
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <iostream>
#include <string_view>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "searcher/render/csv.h"
#include "searcher/render/json.h"
#include "searcher/render/text.h"
#include "searcher/searcher.h"

namespace rs = referat::searcher;

namespace {

/// Reorders the command line so that query words come last, after "--". A query word may start
/// with '-' (`ledighed -akademikere`, `-(budget OR økonomi)`): an argument that starts with '-'
/// but names none of our options, and is not the value of the option before it, is a query
/// word, not an unknown option. Options and their values keep their order.
std::vector<std::string> query_words_last(const CLI::App& app, int argc, char** argv) {
  std::vector<std::string> options, words;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--") {
      for (++i; i < argc; ++i) words.emplace_back(argv[i]);
      break;
    }
    if (a.size() < 2 || a[0] != '-') {
      words.push_back(a);
      continue;
    }
    bool is_long = a[1] == '-';
    std::string name = is_long ? a.substr(0, a.find('=')) : a.substr(0, 2);
    const CLI::Option* opt = app.get_option_no_throw(name);
    if (opt == nullptr && !is_long && a.size() == 2 && a[1] == 'h') opt = app.get_help_ptr();
    // A flag (--all, --no-facets) takes no value: CLI11 gives it expected_max 0 (its type size
    // is 1, like an option's).
    const bool takes_value = opt != nullptr && opt->get_expected_max() != 0;
    // A short option with text attached is an option only with a value attached ("-n5");
    // "-nedlæggelse" and "-hjemløse" are query words.
    if (opt != nullptr && !is_long && a.size() > 2) {
      auto c = static_cast<unsigned char>(a[2]);
      if (!takes_value || c >= 0x80 || std::isalpha(c)) opt = nullptr;
    }
    if (opt == nullptr) {
      if (is_long) throw CLI::ExtrasError(name + " is not an option (see --help)", CLI::ExitCodes::ExtrasError);
      words.push_back(a);  // "-akademikere": NOT in the query language
      continue;
    }
    options.push_back(a);
    bool attached = is_long ? a.find('=') != std::string::npos : a.size() > 2;
    if (takes_value && !attached && i + 1 < argc) options.emplace_back(argv[++i]);
  }
  std::vector<std::string> out{argv[0]};
  out.insert(out.end(), options.begin(), options.end());
  if (!words.empty()) out.emplace_back("--");
  out.insert(out.end(), words.begin(), words.end());
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Search Danish council minutes indexed by referat-index.\n"
               "Query language: words (all must match), \"phrases\", OR, -word / NOT word, word*,\n"
               "fields udvalg: titel: beslutning: resume: indstilling: journal: kategori: dato: aar:\n"
               "(see README.md, \"Query language\")",
               "referat-search"};
  app.get_formatter()->column_width(34);

  std::string db = rs::default_db_path();
  std::vector<std::string> words;
  rs::SearchRequest req;
  std::string from, to, sort = "relevance", format = "text", like, color = "auto";
  bool no_facets = false;
  app.add_option("--db", db,
                 "Index directory (default: $REFERAT_DB or ./referat-db); several shards: DIR1,DIR2");
  // Filter options take one value per occurrence (repeat the option for several), so that
  // `--udvalg BSU budget` searches for "budget" in BSU's items.
  app.add_option("--udvalg,--committee", req.committees,
                 "Only items of this committee (name or abbreviation, e.g. BSU); repeatable")
      ->allow_extra_args(false);
  app.add_option("--fra,--from", from, "From date, inclusive (YYYY-MM-DD, D.M.YYYY or YYYY)");
  app.add_option("--til,--to", to, "To date, inclusive (YYYY-MM-DD, D.M.YYYY or YYYY)");
  app.add_option("--kategori,--category", req.categories, "Only this category (B..E); repeatable")
      ->allow_extra_args(false);
  app.add_option("--udfald,--outcome", req.outcomes, "Only this decision outcome (e.g. godkendt); repeatable")
      ->allow_extra_args(false);
  const CLI::Validator non_negative(
      [](std::string& v) { return !v.empty() && v[0] == '-' ? "must be 0 or more, not " + v : std::string(); }, "N>=0");
  app.add_option("-n,--limit", req.limit, "Number of hits to show")->default_val(10)->check(non_negative);
  app.add_option("--offset", req.offset, "Skip this many hits")->default_val(0)->check(non_negative);
  app.add_flag("--all", req.all, "Return every match (exact total)");
  app.add_option("--sort", sort, "relevance, date (oldest first) or -date (newest first)")
      ->check(CLI::IsMember({"relevance", "date", "-date"}));
  app.add_flag("--no-facets", no_facets, "Do not compute or print facet counts");
  bool facets_flag = false;
  app.add_flag("--facets", facets_flag, "Print facet counts (the default)");
  app.add_option("--format", format, "text, json or csv")->check(CLI::IsMember({"text", "json", "csv"}));
  app.add_flag("--explain", req.explain, "Show each hit's score broken into its parts");
  app.add_option("--like", like, "Items most similar to the item with this id");
  app.add_option("--snippet-bytes", req.snippet_bytes, "Target snippet length in bytes (0 = none)")
      ->check(non_negative);
  app.add_option("--color", color, "Bold highlights: auto (on a terminal), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  app.add_option("query", words, "Query words");

  try {
    std::vector<std::string> args = query_words_last(app, argc, argv);
    std::vector<char*> cargs;
    for (auto& a : args) cargs.push_back(a.data());
    app.parse(static_cast<int>(cargs.size()), cargs.data());
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }

  for (std::size_t i = 0; i < words.size(); ++i) req.query += (i ? " " : "") + words[i];
  if (!from.empty()) req.from = from;
  if (!to.empty()) req.to = to;
  req.like_id = like;
  req.facets = !no_facets;
  req.sort = sort == "date" ? rs::Sort::DateAsc : sort == "-date" ? rs::Sort::DateDesc : rs::Sort::Relevance;

  try {
    rs::Searcher searcher(db);
    rs::SearchResult result = searcher.search(req);
    if (format == "json") {
      std::cout << rs::render::json(result, 2) << "\n";
    } else if (format == "csv") {
      std::cout << rs::render::csv(result);
    } else {
      rs::render::TextOptions opts;
      opts.color = color == "always" || (color == "auto" && isatty(STDOUT_FILENO));
      opts.facets = req.facets;
      opts.explain = req.explain;
      opts.offset = req.offset;
      std::cout << rs::render::text(result, opts);
    }
    return result.total > 0 ? 0 : 1;
  } catch (const rs::QueryError& e) {
    std::cerr << "referat-search: " << e.what() << "\n";
    if (!req.query.empty() && e.offset < req.query.size() && !e.fragment.empty() &&
        req.query.compare(e.offset, e.fragment.size(), e.fragment) == 0) {
      // Columns are characters, not bytes: count UTF-8 lead bytes.
      auto columns = [](std::string_view s) {
        std::size_t n = 0;
        for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
        return n;
      };
      std::cerr << "  " << req.query << "\n  " << std::string(columns(std::string_view(req.query).substr(0, e.offset)), ' ')
                << std::string(std::max<std::size_t>(1, columns(e.fragment)), '^') << "\n";
    }
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "referat-search: " << e.what() << "\n";
    return 2;
  }
}
