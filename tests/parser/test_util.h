// Helpers shared by the parser tests.
#pragma once

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include <unistd.h>

#include "indexer/minutes_parser.h"

namespace referat::indexer::testing {

inline std::filesystem::path source_dir() { return REFERAT_SOURCE_DIR; }
inline std::filesystem::path corpus_file(const std::string& tag) {
  for (const auto& e : std::filesystem::directory_iterator(source_dir() / "corpus"))
    if (e.path().filename().string().rfind(tag + "_", 0) == 0) return e.path();
  return {};
}
inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
inline void write_file(const std::filesystem::path& p, const std::string& s) {
  std::ofstream out(p, std::ios::binary);
  out << s;
}
/// Parsed corpus file by tag ("000" … "004"), cached.
inline const ParseResult& corpus(const std::string& tag) {
  static std::map<std::string, ParseResult> cache;
  auto it = cache.find(tag);
  if (it == cache.end()) it = cache.emplace(tag, parse_minutes_file(corpus_file(tag), tag)).first;
  return it->second;
}
inline const Item& corpus_item(const std::string& tag, int number) {
  return corpus(tag).meeting.items.at(static_cast<std::size_t>(number - 1));
}
/// All section texts of an item, joined.
inline std::string item_text(const Item& it) {
  std::string r = it.title;
  for (const auto& s : it.sections) r += "\n\n" + s.text;
  return r;
}
/// A fresh empty temporary directory.
inline std::filesystem::path temp_dir(const std::string& name) {
  auto d = std::filesystem::temp_directory_path() / ("referat_parser_test_" + name + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(d);
  std::filesystem::create_directories(d);
  return d;
}

}  // namespace referat::indexer::testing
