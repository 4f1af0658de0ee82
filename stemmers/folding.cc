#include "stemmers/folding.h"

#include <algorithm>

namespace referat::stemmers {

namespace {
// UTF-8 of the lower-case Danish letters: æ C3 A6, ø C3 B8, å C3 A5.
constexpr char kLead = '\xC3';
constexpr char kAe = '\xA6', kOe = '\xB8', kAa = '\xA5';

template <bool Digraph>
std::string fold(std::string_view w) {
  std::string out;
  out.reserve(w.size() + 4);
  for (std::size_t i = 0; i < w.size(); ++i) {
    if (w[i] == kLead && i + 1 < w.size()) {
      const char c = w[i + 1];
      if (c == kAe) { out += Digraph ? "ae" : "a"; ++i; continue; }
      if (c == kOe) { out += Digraph ? "oe" : "o"; ++i; continue; }
      if (c == kAa) { out += Digraph ? "aa" : "a"; ++i; continue; }
    }
    out += w[i];
  }
  return out;
}
}  // namespace

bool has_danish_letters(std::string_view w) {
  for (std::size_t i = 0; i + 1 < w.size(); ++i)
    if (w[i] == kLead && (w[i + 1] == kAe || w[i + 1] == kOe || w[i + 1] == kAa)) return true;
  return false;
}

std::string fold_digraph(std::string_view w) { return fold<true>(w); }
std::string fold_plain(std::string_view w) { return fold<false>(w); }

std::vector<std::string> unfold_candidates(std::string_view word, std::size_t limit) {
  std::vector<std::string> out;
  if (has_danish_letters(word) || word.size() > 40) return out;
  // Sites: (offset, length consumed, replacements). A digraph site and the single-letter sites
  // inside it overlap; the search below takes one alternative per byte.
  struct Alt { std::size_t len; const char* with; int cost; };
  // Depth-first over the word, generating at most `budget` strings; sorted by cost afterwards.
  std::vector<std::pair<int, std::string>> found;
  std::string cur;
  const std::size_t budget = limit * 8;
  auto rec = [&](auto&& self, std::size_t i, int cost, int changes) -> void {
    if (found.size() >= budget) return;
    if (i == word.size()) {
      if (changes > 0) found.emplace_back(cost, cur);
      return;
    }
    const std::size_t mark = cur.size();
    Alt alts[4];
    int n = 0;
    const char c = word[i];
    const char d = i + 1 < word.size() ? word[i + 1] : '\0';
    if (c == 'a' && d == 'a') alts[n++] = {2, "\xC3\xA5", 1};
    if (c == 'a' && d == 'e') alts[n++] = {2, "\xC3\xA6", 1};
    if (c == 'o' && d == 'e') alts[n++] = {2, "\xC3\xB8", 1};
    if (c == 'o') alts[n++] = {1, "\xC3\xB8", 2};
    if (c == 'a') { alts[n++] = {1, "\xC3\xA5", 2}; alts[n++] = {1, "\xC3\xA6", 3}; }
    // unchanged first keeps the search near the typed word
    cur += c;
    self(self, i + 1, cost, changes);
    cur.resize(mark);
    if (changes >= 3) return;  // more than three restored letters is not a typo pattern
    for (int k = 0; k < n; ++k) {
      cur += alts[k].with;
      self(self, i + alts[k].len, cost + alts[k].cost, changes + 1);
      cur.resize(mark);
    }
  };
  rec(rec, 0, 0, 0);
  std::stable_sort(found.begin(), found.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& f : found) {
    if (out.size() >= limit) break;
    if (std::find(out.begin(), out.end(), f.second) == out.end()) out.push_back(std::move(f.second));
  }
  return out;
}

}  // namespace referat::stemmers
