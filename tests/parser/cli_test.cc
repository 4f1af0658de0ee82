// The built referat-index: --parse-only over corpus/ and over a batch with a bad file.
#include <sys/wait.h>

#include <cstdlib>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/parser/test_util.h"

namespace referat::indexer {
namespace {

struct CliRun {
  int rc;
  std::string out, err;
};

/// Runs referat-index with `args`; stdout goes to `stdout_to` when given (then `out` is empty).
CliRun run(const std::string& args, const std::string& stdout_to = "") {
  auto dir = testing::temp_dir("cli");
  std::string cmd = std::string("cd '") + REFERAT_SOURCE_DIR + "' && '" + REFERAT_INDEX_BIN + "' " + args + " >'" +
                    (stdout_to.empty() ? (dir / "out").string() : stdout_to) + "' 2>'" + (dir / "err").string() + "'";
  int st = std::system(cmd.c_str());
  CliRun r{WIFEXITED(st) ? WEXITSTATUS(st) : -1, testing::read_file(dir / "out"), testing::read_file(dir / "err")};
  std::filesystem::remove_all(dir);
  return r;
}

std::vector<nlohmann::json> json_lines(const std::string& s) {
  std::vector<nlohmann::json> r;
  std::istringstream in(s);
  std::string line;
  while (std::getline(in, line)) r.push_back(nlohmann::json::parse(line));  // throws on invalid JSON
  return r;
}

TEST(Cli, ParseOnlyCorpusPrints66Items) {
  CliRun r = run("--parse-only --format jsonl corpus/");
  EXPECT_EQ(r.rc, 0) << r.err;
  std::vector<nlohmann::json> items;
  ASSERT_NO_THROW(items = json_lines(r.out));
  ASSERT_EQ(items.size(), 66u);
  for (const auto& j : items)
    for (const char* key : {"file", "item", "title", "category", "journal", "committee", "date", "date_source",
                            "deciding_committees", "outcomes", "decision", "absent", "sections", "first_line", "last_line",
                            "committee_source", "journal_parts", "attachments", "place", "period", "time"})
      EXPECT_TRUE(j.contains(key)) << "missing key " << key << " in " << j["file"] << " item " << j["item"];
  EXPECT_EQ(items.front()["file"], "corpus/000_21410ac8c793ed1d.txt");  // as given + relative path
  EXPECT_EQ(items.front()["item"], 1);
  EXPECT_EQ(items.back()["file"], "corpus/004_1dd16286e56b577e.txt");
  EXPECT_TRUE(items.back()["date"].is_null());
  EXPECT_TRUE(items.back()["date_source"].is_null()) << items.back()["date_source"];  // unknown: null, not ""
  EXPECT_EQ(items.back()["committee_source"], "decision");
  EXPECT_EQ(items.front()["date_source"], "item-text");
  EXPECT_NE(r.err.find("5 files, 66 items, 0 rejected"), std::string::npos) << r.err;
}

TEST(Cli, JsonFormatIsOneArray) {
  CliRun r = run("--parse-only --format json corpus/002_36e04387dfc35aea.txt");
  EXPECT_EQ(r.rc, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  ASSERT_TRUE(j.is_array());
  EXPECT_EQ(j.size(), 15u);
  EXPECT_EQ(j[0]["date"], "2021-10-26");
}

TEST(Cli, BadFileAmongGoodOnesExitsOneAndPrintsTheGood) {
  auto dir = testing::temp_dir("cli_bad");
  testing::write_file(dir / "bad.txt", std::string("\x00\x01\x02", 3));
  CliRun r = run("--parse-only corpus/000_21410ac8c793ed1d.txt '" + (dir / "bad.txt").string() +
              "' corpus/001_3593c011bb9c2f4b.txt");
  EXPECT_EQ(r.rc, 1);
  EXPECT_EQ(json_lines(r.out).size(), 20u);
  EXPECT_NE(r.err.find("bad.txt:1: error: binary file"), std::string::npos) << r.err;
  std::filesystem::remove_all(dir);
}

TEST(Cli, UnknownCommitteeAndDateHaveNullSources) {
  auto dir = testing::temp_dir("cli_null");
  testing::write_file(dir / "x.txt", "Punkt 1: T\n\nResume\nTekst.");
  CliRun r = run("--parse-only '" + (dir / "x.txt").string() + "'");
  EXPECT_EQ(r.rc, 0) << r.err;
  auto items = json_lines(r.out);
  ASSERT_EQ(items.size(), 1u);
  for (const char* key : {"committee", "committee_source", "date", "date_source"}) {
    ASSERT_TRUE(items[0].contains(key)) << key;
    EXPECT_TRUE(items[0][key].is_null()) << key << " = " << items[0][key];
  }
  std::filesystem::remove_all(dir);
}

TEST(Cli, MissingPathCountsAsRejected) {
  CliRun r = run("--parse-only /nonexistent.txt corpus/000_21410ac8c793ed1d.txt");
  EXPECT_EQ(r.rc, 1);
  EXPECT_EQ(json_lines(r.out).size(), 10u);
  EXPECT_EQ(r.err, "/nonexistent.txt: error: no such file or directory\nreferat-index: 2 files, 10 items, 1 rejected\n");
}

TEST(Cli, OverridesAndBadArguments) {
  CliRun r = run("--parse-only corpus/004_1dd16286e56b577e.txt --date 2016-10-11 --committee BSU");
  EXPECT_EQ(r.rc, 0);
  auto items = json_lines(r.out);
  ASSERT_EQ(items.size(), 13u);
  EXPECT_EQ(items[0]["date"], "2016-10-11");
  EXPECT_EQ(items[0]["date_source"], "command-line");
  EXPECT_EQ(items[0]["committee_source"], "command-line");
  EXPECT_EQ(run("--parse-only corpus/ --date 11-10-2016").rc, 2);
  EXPECT_EQ(run("--parse-only --format xml corpus/").rc, 2);
  EXPECT_EQ(run("--parse-only").rc, 2);
}

TEST(Cli, FailedWriteToStdoutIsReportedWithExitTwo) {
  ASSERT_TRUE(std::filesystem::exists("/dev/full"));
  for (const char* format : {"jsonl", "json"}) {
    CliRun r = run(std::string("--parse-only --format ") + format + " corpus/", "/dev/full");
    EXPECT_EQ(r.rc, 2) << format << ": " << r.err;
    EXPECT_EQ(r.err, "referat-index: cannot write output: No space left on device\n") << format;
  }
}

}  // namespace
}  // namespace referat::indexer
