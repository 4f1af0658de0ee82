// Committee name canonicalisation. See committees.h and docs/minutes-format.md §5.3, §7.3.
#include "indexer/committees.h"

#include <algorithm>
#include <unordered_map>

namespace referat::indexer {
namespace {

struct Known {
  const char* canonical;
  std::vector<const char*> variants;       // extra spellings (besides the canonical one)
  std::vector<const char*> abbreviations;  // upper case
};

const std::vector<Known>& known_table() {
  static const std::vector<Known> table = {
      {"Børn- og Ungeudvalget", {"Børne- og Ungeudvalget"}, {"BUU"}},
      {"Beskæftigelses- og Socialudvalget", {"Beskæftigelse- og Socialudvalget"}, {"BSU"}},
      {"Ældre- og Handicapudvalget", {}, {"ÆHU"}},
      {"By- og Kulturudvalget", {}, {"BKU"}},
      {"Økonomiudvalget", {}, {"ØU", "ØKU"}},
      {"Sundhedsudvalget", {}, {}},
      {"Klima- og Miljøudvalget", {}, {}},
  };
  return table;
}

// Lower-cases ASCII and the Danish capitals Æ Ø Å É (two-byte UTF-8); other bytes unchanged.
void append_lower(std::string& out, std::string_view s, std::size_t& i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) {
    out += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    ++i;
    return;
  }
  if (c == 0xC3 && i + 1 < s.size()) {
    unsigned char d = static_cast<unsigned char>(s[i + 1]);
    if (d >= 0x80 && d <= 0x9E && d != 0x97) d = static_cast<unsigned char>(d + 0x20);
    out += static_cast<char>(c);
    out += static_cast<char>(d);
    i += 2;
    return;
  }
  out += static_cast<char>(c);
  ++i;
}

// The comparison key of a name: lower case, without whitespace, hyphens and dashes, so that
// "Beskæftigelses – og Socialudvalget", "Beskæftigelses -og …", "Beskæftigelses og ⏎ Social…"
// and "Beskæftigelses- og Socialudvalget" all become "beskæftigelsesogsocialudvalget".
std::string name_key(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '-') {
      ++i;
      continue;
    }
    // U+2013 en dash, U+2014 em dash, U+2010/2011 hyphens: E2 80 90..94
    if (c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
        static_cast<unsigned char>(s[i + 2]) >= 0x90 && static_cast<unsigned char>(s[i + 2]) <= 0x94) {
      i += 3;
      continue;
    }
    // U+00A0 no-break space
    if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0) {
      i += 2;
      continue;
    }
    append_lower(out, s, i);
  }
  return out;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

struct Index {
  std::unordered_map<std::string, std::string> by_key;  // key -> canonical
  std::vector<std::pair<std::string, std::string>> abbreviations;
  std::vector<std::string> names;
  std::vector<std::pair<std::string, std::string>> mention_keys;  // key (no "et") -> canonical
};

const Index& index() {
  static const Index idx = [] {
    Index r;
    for (const auto& k : known_table()) {
      r.names.emplace_back(k.canonical);
      std::vector<std::string> spellings{k.canonical};
      for (const char* v : k.variants) spellings.emplace_back(v);
      for (const auto& sp : spellings) {
        std::string key = name_key(sp);
        r.by_key.emplace(key, k.canonical);
        // "…udvalget" without the definite article, for mention search ("udvalg" also
        // matches "udvalget" and "udvalgets").
        if (ends_with(key, "et")) r.mention_keys.emplace_back(key.substr(0, key.size() - 2), k.canonical);
      }
      for (const char* a : k.abbreviations) {
        r.abbreviations.emplace_back(a, k.canonical);
        r.by_key.emplace(name_key(a), k.canonical);
      }
    }
    return r;
  }();
  return idx;
}

bool is_trailing_punct(char c) { return c == ',' || c == '.' || c == ':' || c == ';' || c == ')'; }

}  // namespace

std::optional<std::string> canonical_committee(std::string_view name) {
  std::string key = name_key(name);
  while (!key.empty() && is_trailing_punct(key.back())) key.pop_back();
  if (key.empty()) return std::nullopt;
  const auto& idx = index();
  auto lookup = [&](const std::string& k) -> std::optional<std::string> {
    auto it = idx.by_key.find(k);
    if (it == idx.by_key.end()) return std::nullopt;
    return it->second;
  };
  if (auto r = lookup(key)) return r;
  if (ends_with(key, "udvalgets")) return lookup(key.substr(0, key.size() - 1));  // genitive
  if (ends_with(key, "udvalg")) return lookup(key + "et");                       // indefinite
  return std::nullopt;
}

std::string committee_slug(std::string_view name) {
  std::string out;
  bool dash = false;
  std::size_t i = 0;
  auto push = [&](std::string_view piece) {
    if (dash && !out.empty()) out += '-';
    dash = false;
    out += piece;
  };
  while (i < name.size()) {
    unsigned char c = static_cast<unsigned char>(name[i]);
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      push(std::string(1, static_cast<char>(c)));
      ++i;
    } else if (c >= 'A' && c <= 'Z') {
      push(std::string(1, static_cast<char>(c + 32)));
      ++i;
    } else if (c == 0xC3 && i + 1 < name.size()) {
      unsigned char d = static_cast<unsigned char>(name[i + 1]);
      i += 2;
      switch (d) {
        case 0xA6: case 0x86: push("ae"); break;  // æ Æ
        case 0xB8: case 0x98: push("oe"); break;  // ø Ø
        case 0xA5: case 0x85: push("aa"); break;  // å Å
        case 0xA9: case 0x89: push("e"); break;   // é É
        case 0xA4: case 0x84: push("ae"); break;  // ä Ä
        case 0xB6: case 0x96: push("oe"); break;  // ö Ö
        case 0xBC: case 0x9C: push("ue"); break;  // ü Ü
        default: dash = true; break;
      }
    } else {
      dash = true;
      ++i;
    }
  }
  return out;
}

const std::vector<std::pair<std::string, std::string>>& committee_abbreviations() {
  return index().abbreviations;
}

const std::vector<std::string>& known_committees() { return index().names; }

std::optional<CommitteeMatch> committee_at_start(std::string_view text) {
  // Word ends (byte offsets) of the first six whitespace-separated words.
  std::vector<std::size_t> ends;
  std::size_t i = 0;
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n')) ++i;
  if (i != 0) return std::nullopt;
  while (i < text.size() && ends.size() < 6) {
    while (i < text.size() && text[i] != ' ' && text[i] != '\t' && text[i] != '\n') ++i;
    ends.push_back(i);
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n')) ++i;
  }
  for (std::size_t k = ends.size(); k-- > 0;) {
    std::size_t len = ends[k];
    while (len > 0 && is_trailing_punct(text[len - 1])) --len;
    if (auto c = canonical_committee(text.substr(0, len))) return CommitteeMatch{*c, len};
  }
  return std::nullopt;
}

bool mentions_committee(std::string_view text, std::string_view canonical) {
  std::string key = name_key(text);
  for (const auto& [k, c] : index().mention_keys)
    if (c == canonical && key.find(k) != std::string::npos) return true;
  return false;
}

}  // namespace referat::indexer
