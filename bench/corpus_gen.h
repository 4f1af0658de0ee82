// A deterministic generator of minutes files in the format of the sample corpus
// (docs/minutes-format.md): same item structure, headings, journal numbers, categories and
// decision statements, with text drawn from a Zipfian vocabulary that keeps growing with size.
//
// Vocabulary: 98% of the words are drawn from the words of the sample minutes with their observed
// frequencies (a real Zipfian head: "og", "at", "i" ... "kontrol"); 2% come from an open tail of
// new compound words made from two sample words (Danish compounds: "budget" + "opfølgning"),
// whose ranks are drawn log-uniformly (P(rank r) ~ 1/r, Zipf s = 1) from 1..10^6, so the number
// of distinct words keeps growing with the corpus (Heaps' law) instead of saturating.
// Determinism: splitmix64, no <random> distributions (their output differs between libraries).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

namespace referat::bench {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : s_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (s_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  double uniform() { return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0); }
  int range(int lo, int hi) {  // inclusive
    return lo + static_cast<int>(next() % static_cast<std::uint64_t>(hi - lo + 1));
  }
  template <class T>
  const T& pick(const std::vector<T>& v) { return v[next() % v.size()]; }

 private:
  std::uint64_t s_;
};

struct GenStats {
  std::size_t files = 0;
  std::size_t items = 0;
  std::uintmax_t bytes = 0;
};

class CorpusGenerator {
 public:
  /// `sample_dir`: the bundled corpus/ folder (its words seed the vocabulary).
  explicit CorpusGenerator(const std::filesystem::path& sample_dir) {
    std::unordered_map<std::string, std::size_t> freq;
    for (const auto& e : std::filesystem::directory_iterator(sample_dir)) {
      if (e.path().extension() != ".txt") continue;
      std::ifstream in(e.path(), std::ios::binary);
      std::string w;
      char c;
      auto flush = [&] {
        if (w.size() >= 2) ++freq[w];
        w.clear();
      };
      while (in.get(c)) {
        auto u = static_cast<unsigned char>(c);
        if ((u >= 'a' && u <= 'z') || u >= 0x80) {
          w += c;
        } else if (u >= 'A' && u <= 'Z') {
          w += static_cast<char>(u - 'A' + 'a');
        } else {
          flush();
        }
      }
      flush();
    }
    std::vector<std::pair<std::string, std::size_t>> v(freq.begin(), freq.end());
    std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
      return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    for (auto& [w, n] : v) {
      // Keep only clean lower-case words (the generator writes valid UTF-8 only).
      bool ok = true;
      for (std::size_t i = 0; i < w.size(); ++i) {
        auto u = static_cast<unsigned char>(w[i]);
        if (u >= 0x80) {
          if (u != 0xC3 || i + 1 >= w.size()) { ok = false; break; }
          auto u1 = static_cast<unsigned char>(w[i + 1]);
          if (u1 != 0xA6 && u1 != 0xB8 && u1 != 0xA5 && u1 != 0xA9) { ok = false; break; }
          ++i;
        }
      }
      if (ok) {
        vocab_.push_back(w);
        cumulative_.push_back((cumulative_.empty() ? 0 : cumulative_.back()) + n);
      }
    }
    for (const auto& w : vocab_)
      if (w.size() >= 4 && w.size() <= 9) stems_.push_back(w);
  }

  std::size_t base_vocabulary() const { return vocab_.size(); }

  /// Writes `items` agenda items into `out_dir` (created) as minutes files of 6-18 items each.
  /// Two thirds are layout A (header + TOC, one paragraph per line), one third layout B
  /// (hard-wrapped, no header, with a `.meta.json` sidecar giving committee and date).
  GenStats generate(const std::filesystem::path& out_dir, std::size_t items, std::uint64_t seed) {
    std::filesystem::create_directories(out_dir);
    Rng rng(seed);
    GenStats st;
    int day = 0;
    while (st.items < items) {
      int n = std::min<int>(rng.range(6, 18), static_cast<int>(items - st.items));
      bool layout_a = rng.range(0, 2) != 0;
      const auto& committee = rng.pick(committees_);
      day += rng.range(1, 3);
      // A 12 x 28-day calendar that never wraps, so (committee, date) and thus item ids are unique.
      int y = 2007 + day / 336, m = 1 + (day / 28) % 12, d = 1 + day % 28;
      char name[64], date[16];
      std::snprintf(name, sizeof name, "%06zu_%s.txt", st.files, committee.second.c_str());
      std::snprintf(date, sizeof date, "%04d-%02d-%02d", y, m, d);
      std::string text = layout_a ? meeting_a(rng, committee.first, y, m, d, n)
                                  : meeting_b(rng, committee.first, n);
      std::ofstream(out_dir / name, std::ios::binary) << text;
      if (!layout_a) {
        std::ofstream(out_dir / (std::string(name) + ".meta.json"), std::ios::binary)
            << "{\"committee\": \"" << committee.first << "\", \"date\": \"" << date << "\"}";
      }
      st.bytes += text.size();
      st.items += static_cast<std::size_t>(n);
      ++st.files;
    }
    return st;
  }

 private:
  std::string word(Rng& rng) {
    if (rng.range(0, 99) >= 2) {  // the sample's own word distribution
      std::size_t x = rng.next() % cumulative_.back();
      auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), x);
      return vocab_[static_cast<std::size_t>(it - cumulative_.begin())];
    }
    // The open tail: rank 1..10^6, P(r) ~ 1/r.
    auto rank = static_cast<std::size_t>(std::exp(rng.uniform() * std::log(1e6)));
    // A compound made deterministically from the rank: two stems, sometimes with a linking "s".
    std::uint64_t h = rank * 0x9E3779B97F4A7C15ull;
    const std::string& a = stems_[h % stems_.size()];
    const std::string& b = stems_[(h >> 20) % stems_.size()];
    return a + (((h >> 40) & 3) == 0 ? "s" : "") + b;
  }

  std::string sentence(Rng& rng) {
    int n = rng.range(6, 24);
    std::string s;
    for (int i = 0; i < n; ++i) {
      if (i) s += ' ';
      std::string w = word(rng);
      if (i == 0 && !w.empty() && w[0] >= 'a' && w[0] <= 'z') w[0] = static_cast<char>(w[0] - 32);
      s += w;
      int k = rng.range(0, 99);
      if (k < 2) s += " " + std::to_string(rng.range(2, 2030));
      else if (k < 3) s += " § " + std::to_string(rng.range(1, 200));
      else if (k < 8 && i + 1 < n) s += ',';
    }
    return s + '.';
  }

  std::string paragraph(Rng& rng, int min_s, int max_s) {
    int n = rng.range(min_s, max_s);
    std::string p;
    for (int i = 0; i < n; ++i) p += (i ? " " : "") + sentence(rng);
    return p;
  }

  std::string title(Rng& rng) {
    std::string s = sentence(rng);
    s.pop_back();
    if (s.size() > 90) s = s.substr(0, s.rfind(' ', 90));
    return s;
  }

  std::string journal(Rng& rng) {
    char buf[64];
    static const char* facets[] = {"A00", "G01", "S00", "P35", "P20", "Ø00", "P22", "K07"};
    std::snprintf(buf, sizeof buf, "%02d.%02d.%02d-%s-%d-%02d", rng.range(0, 85),
                  rng.range(0, 9) * 2, rng.range(0, 4) * 2, facets[rng.range(0, 7)],
                  rng.range(1, 4733), rng.range(10, 25));
    return buf;
  }

  struct ItemText {
    std::string title;  // with category prefix
    std::vector<std::pair<std::string, std::vector<std::string>>> sections;  // heading, paragraphs
  };

  ItemText item(Rng& rng, const std::string& committee, bool modern) {
    ItemText it;
    int cat = modern ? rng.range(0, 4) : 0;  // 0 none, 1 B, 2 C, 3 D, 4 E->none
    static const char* cats[] = {"", "B-sag: ", "C-sag: ", "D-sag: ", ""};
    it.title = std::string(cats[cat]) + title(rng);
    auto paras = [&](int lo, int hi, int smin, int smax) {
      std::vector<std::string> v;
      int n = rng.range(lo, hi);
      for (int i = 0; i < n; ++i) v.push_back(paragraph(rng, smin, smax));
      return v;
    };
    it.sections.push_back({modern ? "Sagsresumé" : "Resume", paras(1, 2, 2, 5)});
    if (rng.range(0, 3) == 0) it.sections.push_back({"Effekt", paras(1, 1, 1, 3)});
    it.sections.push_back({modern ? "Indstilling" : "INDSTILLING", paras(1, 1, 1, 3)});
    static const std::vector<std::string> decisions = {
        " godkender indstillingen.", " anbefaler indstillingen.", " drøftede sagen.",
        " tager orienteringen til efterretning."};
    std::string dec = cat == 3 ? "Orientering givet." : committee + rng.pick(decisions);
    it.sections.push_back({"Beslutning", {dec}});
    it.sections.push_back({"Sagsfremstilling", paras(3, 8, 2, 7)});
    it.sections.push_back({"Økonomi", paras(1, 1, 1, 3)});
    if (rng.range(0, 2) == 0)
      it.sections.push_back({"Bilag", {"Bilag 1 " + title(rng), "Bilag 2 " + title(rng)}});
    return it;
  }

  static const char* month_name(int m) {
    static const char* names[] = {"januar", "februar", "marts", "april", "maj", "juni", "juli",
                                  "august", "september", "oktober", "november", "december"};
    return names[m - 1];
  }

  std::string meeting_a(Rng& rng, const std::string& committee, int y, int m, int d, int n) {
    std::ostringstream o;
    int p0 = y - (y - 2006) % 4;
    o << "\n\nREFERAT " << committee << ' ' << p0 << '-' << p0 + 3 << " d. ";
    char dd[32];
    std::snprintf(dd, sizeof dd, "%02d-%02d-%04d", d, m, y);
    o << dd << "\n\nMødedato Tirsdag d. " << d << ". " << month_name(m) << ' ' << y
      << " kl. 08:30\n\nMødested Udvalgsværelset, Rådhuset\n\nIndholdsfortegnelse\n\n";
    std::vector<ItemText> items;
    for (int i = 0; i < n; ++i) items.push_back(item(rng, committee, true));
    for (int i = 0; i < n; ++i) o << items[i].title << ".....\t" << 3 + i * 4 << '\n';
    for (int i = 0; i < n; ++i) {
      o << "\nPunkt " << i + 1 << ": " << items[i].title << "\n\n" << journal(rng) << '\n';
      for (const auto& [h, ps] : items[i].sections) {
        o << '\n' << h << '\n';
        for (const auto& p : ps) o << '\n' << p << '\n';
      }
    }
    std::string s = o.str();
    s.pop_back();  // like the sample files: no trailing newline
    return s;
  }

  static void wrap(std::ostringstream& o, const std::string& p, std::size_t width) {
    std::size_t start = 0;
    while (start < p.size()) {
      std::size_t end = start + width;
      if (end >= p.size()) {
        o << p.substr(start) << '\n';
        break;
      }
      std::size_t sp = p.rfind(' ', end);
      if (sp == std::string::npos || sp <= start) sp = p.find(' ', end);
      if (sp == std::string::npos) sp = p.size();
      o << p.substr(start, sp - start) << '\n';
      start = sp + 1;
    }
  }

  std::string meeting_b(Rng& rng, const std::string& committee, int n) {
    std::ostringstream o;
    for (int i = 0; i < n; ++i) {
      ItemText it = item(rng, committee, false);
      if (i) o << "\n\n\n";
      o << (i == 0 ? " " : "") << "Punkt " << i + 1 << ": " << it.title << "\n\n"
        << journal(rng) << "\n\n";
      for (const auto& [h, ps] : it.sections) {
        o << h << '\n';
        for (const auto& p : ps) {
          wrap(o, p, 120);
          o << '\n';
        }
      }
    }
    std::string s = o.str();
    while (!s.empty() && s.back() == '\n') s.pop_back();
    return s + "\n ";
  }

  std::vector<std::string> vocab_, stems_;
  std::vector<std::size_t> cumulative_;  // cumulative frequencies of vocab_
  std::vector<std::pair<std::string, std::string>> committees_ = {
      {"Børn- og Ungeudvalget", "buu"},
      {"Beskæftigelses- og Socialudvalget", "bsu"},
      {"Ældre- og Handicapudvalget", "aehu"},
      {"By- og Kulturudvalget", "bku"},
      {"Økonomiudvalget", "oeu"},
  };
};

}  // namespace referat::bench
