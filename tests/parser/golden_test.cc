// Golden files: tests/parser/golden/<name>.expected.json, one per corpus file, written by hand
// from the sample files and docs/minutes-format.md. Compared field by field. After a deliberate
// parser change, REFERAT_UPDATE_GOLDEN=1 rewrites them from the parser (review the diff!).
#include <cstdlib>
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

}  // namespace
}  // namespace referat::indexer
