// Golden files: tests/parser/golden/<name>.expected.json, one per corpus file, written by hand
// from the sample files and docs/minutes-format.md. Compared field by field. After a deliberate
// parser change, REFERAT_UPDATE_GOLDEN=1 rewrites them from the parser (review the diff!).
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/parser/test_util.h"

namespace referat::indexer {
namespace {
using nlohmann::json;
using testing::corpus_file;
using testing::source_dir;

json actual_json(const std::string& file, const ParseResult& r) {
  const Meeting& m = r.meeting;
  json j;
  j["file"] = file;
  j["committee"] = m.committee.value ? json(*m.committee.value) : json(nullptr);
  j["committee_source"] = m.committee.source;
  j["date"] = m.date.value ? json(*m.date.value) : json(nullptr);
  j["date_source"] = m.date.source;
  j["period"] = m.period;
  j["time"] = m.time;
  j["place"] = m.place;
  j["items"] = json::array();
  for (const auto& it : m.items) {
    json i;
    i["number"] = it.number;
    i["title"] = it.title;
    i["category"] = it.category ? json(std::string(1, *it.category)) : json(nullptr);
    i["journal"] = it.journal ? json(it.journal->full) : json(nullptr);
    json secs = json::array();
    for (const auto& s : it.sections) secs.push_back(s.name);
    i["sections"] = secs;
    i["outcomes"] = it.outcomes();
    i["deciding_committees"] = it.deciding_committees();
    json absent = json::array();
    for (const auto& a : it.absent) absent.push_back(a.name);
    i["absent"] = absent;
    i["first_line"] = it.first_line;
    i["last_line"] = it.last_line;
    j["items"].push_back(i);
  }
  return j;
}

class Golden : public ::testing::TestWithParam<std::string> {};

TEST_P(Golden, MatchesFieldByField) {
  const std::string tag = GetParam();
  auto path = corpus_file(tag);
  ASSERT_FALSE(path.empty()) << "corpus file " << tag << " missing";
  std::string file = path.filename().string();
  auto golden_path = source_dir() / "tests/parser/golden" / (path.stem().string() + ".expected.json");
  ParseResult r = parse_minutes_file(path, file);
  ASSERT_FALSE(r.rejected);
  for (const auto& d : r.diagnostics)
    EXPECT_NE(d.severity, Diagnostic::Severity::Error) << d.to_string();
  json actual = actual_json(file, r);
  if (const char* u = std::getenv("REFERAT_UPDATE_GOLDEN"); u && std::string(u) == "1") {
    std::ofstream(golden_path) << actual.dump(2, ' ', false) << '\n';
    GTEST_SKIP() << "rewrote " << golden_path;
  }
  std::ifstream in(golden_path);
  ASSERT_TRUE(in) << "missing golden " << golden_path;
  json expected = json::parse(in);
  for (const char* key : {"committee", "committee_source", "date", "date_source", "period", "time", "place"})
    EXPECT_EQ(actual[key], expected[key]) << tag << ": meeting field '" << key << "'";
  const auto& ei = expected["items"];
  const auto& ai = actual["items"];
  ASSERT_EQ(ai.size(), ei.size()) << tag << ": item count";
  for (std::size_t k = 0; k < ei.size(); ++k) {
    for (const auto& [key, value] : ei[k].items())
      EXPECT_EQ(ai[k][key], value) << tag << " item " << ei[k]["number"] << ": field '" << key << "'\n  expected "
                                   << value.dump() << "\n  actual   " << ai[k][key].dump();
  }
}

INSTANTIATE_TEST_SUITE_P(Corpus, Golden, ::testing::Values("000", "001", "002", "003", "004"));

// One line far wider than the print width (a pasted URL) inserted into a hard-wrapped file
// changes nothing but its own paragraph: the file stays layout B, and the short-line threshold
// follows the typical width, not the widest line (a 241-character line used to make every line
// a paragraph; a 180-character one kept line breaks inside wrapped paragraphs).
struct LongLineCase {
  const char* tag;
  std::size_t after_line;  // 1-based; 0 = at the end
  std::size_t width;       // characters of the inserted line
};
void PrintTo(const LongLineCase& c, std::ostream* os) { *os << c.tag << " +" << c.width; }
class OneLongLine : public ::testing::TestWithParam<LongLineCase> {};
TEST_P(OneLongLine, ChangesOnlyItsOwnParagraph) {
  const auto& c = GetParam();
  const std::string text = testing::read_file(corpus_file(c.tag));
  std::vector<std::string> lines;
  for (std::size_t b = 0;;) {
    std::size_t e = text.find('\n', b);
    lines.push_back(text.substr(b, e == std::string::npos ? std::string::npos : e - b));
    if (e == std::string::npos) break;
    b = e + 1;
  }
  const std::string prefix = "Læs mere: https://www.odense.dk/politik/referater/", suffix = "/bilag.pdf";
  const std::string long_line = prefix + std::string(c.width - prefix.size() + 1 - suffix.size(), 'a') + suffix;  // "æ" is 2 bytes
  std::size_t at = c.after_line == 0 ? lines.size() : c.after_line;
  lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(at), {"", long_line});
  std::string changed;
  for (std::size_t i = 0; i < lines.size(); ++i) changed += (i ? "\n" : "") + lines[i];
  const ParseResult& before = testing::corpus(c.tag);
  ParseResult after = parse_minutes(changed, c.tag);
  ASSERT_FALSE(after.rejected);
  ASSERT_EQ(after.meeting.items.size(), before.meeting.items.size());
  int found = 0;
  for (std::size_t k = 0; k < before.meeting.items.size(); ++k) {
    const Item &b = before.meeting.items[k], &a = after.meeting.items[k];
    ASSERT_EQ(a.sections.size(), b.sections.size()) << c.tag << " item " << b.number;
    EXPECT_EQ(a.outcomes(), b.outcomes()) << c.tag << " item " << b.number;
    for (std::size_t q = 0; q < b.sections.size(); ++q) {
      std::string t = a.sections[q].text;
      for (const char* sep : {"\n\n", "\n"})
        if (std::size_t p = t.find(sep + long_line); p != std::string::npos) {
          t.erase(p, std::strlen(sep) + long_line.size());
          ++found;
          break;
        }
      EXPECT_EQ(t, b.sections[q].text) << c.tag << " item " << b.number << " section " << b.sections[q].name;
    }
  }
  EXPECT_EQ(found, 1) << "the long line is not a paragraph (or attachment) of its own";
}
INSTANTIATE_TEST_SUITE_P(Layout, OneLongLine,
                         ::testing::Values(LongLineCase{"000", 409, 241},  // in the Bilag list of item 2
                                           LongLineCase{"000", 409, 180},
                                           LongLineCase{"001", 0, 241}, LongLineCase{"001", 0, 180},
                                           LongLineCase{"004", 0, 241}, LongLineCase{"004", 0, 180}));

TEST(GoldenTotals, SixtySixItemsFortySevenStatements) {
  // docs/minutes-format.md §0 and §6.2: 66 items, 44 with Beslutning, 47 statements.
  std::size_t items = 0, with_decision = 0, statements = 0;
  for (const char* tag : {"000", "001", "002", "003", "004"}) {
    const auto& m = testing::corpus(tag).meeting;
    items += m.items.size();
    for (const auto& it : m.items) {
      with_decision += it.section("beslutning") ? 1 : 0;
      statements += it.decisions.size();
    }
  }
  EXPECT_EQ(items, 66u);
  EXPECT_EQ(with_decision, 44u);
  EXPECT_EQ(statements, 47u);
}

// The outcome vocabulary the searcher checks `udfald:` against holds every outcome the parser
// gives (the list in decision_outcomes() must follow outcome_of()).
TEST(GoldenTotals, EveryOutcomeIsInTheVocabulary) {
  const auto& names = decision_outcomes();
  std::size_t seen = 0;
  for (const char* tag : {"000", "001", "002", "003", "004"})
    for (const auto& it : testing::corpus(tag).meeting.items)
      for (const auto& d : it.decisions) {
        ++seen;
        EXPECT_NE(std::find(names.begin(), names.end(), d.outcome), names.end()) << d.outcome;
      }
  EXPECT_EQ(seen, 47u);
}

}  // namespace
}  // namespace referat::indexer
