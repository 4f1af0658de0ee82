#include "stemmers/stopwords.h"

#include <string>
#include <unordered_set>

namespace referat::stemmers {

namespace detail {
// Generated at configure time from stemmers/data/stopwords_da.txt (stopwords_data.cc.in).
extern const char* const kStopwordsDa;
}  // namespace detail

std::string_view stopword_list_text() { return detail::kStopwordsDa; }

namespace {

// Parses the Snowball list format: one word per line, '|' starts a comment.
std::unordered_set<std::string> load() {
  std::unordered_set<std::string> set;
  std::string_view text = stopword_list_text();
  while (!text.empty()) {
    auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    if (auto bar = line.find('|'); bar != std::string_view::npos) line = line.substr(0, bar);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r' || line.back() == '\t'))
      line.remove_suffix(1);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (!line.empty()) set.emplace(line);
  }
  return set;
}

}  // namespace

bool is_snowball_stopword(std::string_view word) {
  static const std::unordered_set<std::string> set = load();
  if (word.size() > 8) return false;  // the longest entry, "bliver"/"hendes"/"sådan", is 7 bytes
  return set.count(std::string(word)) != 0;
}

}  // namespace referat::stemmers
