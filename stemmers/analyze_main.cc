// referat-analyze: shows what the Danish analysis chain makes of a text.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "stemmers/analyzer.h"

int main(int argc, char** argv) {
  CLI::App app{"Print the tokens of the Danish analysis chain (term, position, start, end, kind)"};
  std::string mode = "index", format = "text", file, text;
  app.add_option("--mode", mode, "index: as documents are indexed; query: as a search is read")
      ->check(CLI::IsMember({"index", "query"}));
  app.add_option("--format", format, "text (tab-separated) or jsonl (one JSON object per token)")
      ->check(CLI::IsMember({"text", "jsonl"}));
  app.add_option("--file", file, "read the text from this file ('-' for standard input)");
  app.add_option("text", text, "the text to analyse");
  CLI11_PARSE(app, argc, argv);

  if (file.empty() && text.empty()) {
    std::cerr << "referat-analyze: give a TEXT or --file F\n";
    return 2;
  }
  if (!file.empty()) {
    std::ostringstream buf;
    if (file == "-") {
      buf << std::cin.rdbuf();
    } else {
      std::ifstream in(file, std::ios::binary);
      if (!in) {
        std::cerr << "referat-analyze: cannot read " << file << "\n";
        return 1;
      }
      buf << in.rdbuf();
    }
    text = buf.str();
  }
  try {
    using namespace referat::stemmers;
    Analyzer analyzer;
    std::vector<Token> tokens;
    analyzer.analyze(text, mode == "query" ? Mode::Query : Mode::Index, tokens);
    std::string line;
    for (const Token& t : tokens) {
      if (format == "jsonl") {
        nlohmann::json j = {{"term", t.text}, {"pos", t.pos}, {"start", t.begin},
                            {"end", t.end}, {"kind", kind_name(t.kind)}, {"stop", t.stop}};
        std::cout << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
      } else {
        std::cout << t.text << '\t' << t.pos << '\t' << t.begin << '\t' << t.end << '\t'
                  << kind_name(t.kind) << (t.stop ? "\tstop" : "") << '\n';
      }
    }
  } catch (const std::exception& e) {
    std::cerr << "referat-analyze: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
