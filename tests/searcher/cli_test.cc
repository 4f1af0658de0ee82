// referat-search as a user runs it: formats, exit codes, error messages.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "tests/searcher/corpus_fixture.h"

namespace referat::searcher {
namespace {

struct CliRun {
  int code = -1;
  std::string out;
};

std::string quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

CliRun run(const std::vector<std::string>& args, bool with_stderr = false) {
  std::string cmd = quote(REFERAT_SEARCH_BIN) + " --db " + quote(test::corpus().db_path);
  for (const auto& a : args) cmd += " " + quote(a);
  cmd += with_stderr ? " 2>&1" : " 2>/dev/null";
  CliRun r;
  FILE* p = popen(cmd.c_str(), "r");
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

TEST(Cli, JsonParsesAndCountsAreExact) {
  CliRun r = run({"--format", "json", "negativ", "social", "kontrol"});
  ASSERT_EQ(r.code, 0) << r.out;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["query"], "negativ social kontrol");
  EXPECT_TRUE(j["total_exact"].get<bool>());
  EXPECT_GE(j["total"].get<int>(), 3);
  EXPECT_EQ(j["hits"][0]["id"], "beskaeftigelses-og-socialudvalget/2025-05-20/13");
  EXPECT_EQ(j["hits"][0]["item"], 13);
  EXPECT_FALSE(j["hits"][0]["snippet"]["highlights"].empty());
  std::size_t sum = 0;
  for (const auto& v : j["facets"]["committee"]) sum += v["count"].get<std::size_t>();
  EXPECT_GE(sum, j["total"].get<std::size_t>()) << "every item has a meeting committee";
}

TEST(Cli, CsvAllHasHeaderAndOneRowPerMatch) {
  CliRun r = run({"--format", "csv", "--all", "udvalg:BUU"});
  ASSERT_EQ(r.code, 0);
  EXPECT_EQ(r.out.rfind("rank,score,id,date,committee,item,title,", 0), 0u);
  std::size_t lines = 0;
  for (char c : r.out) lines += c == '\n';
  EXPECT_EQ(lines - 1, test::match_ids("udvalg:BUU").size());
}

TEST(Cli, TextShowsHitsFacetsAndTotal) {
  CliRun r = run({"--udvalg", "BSU", "--fra", "2025-01-01", "kontrol"});
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("Orientering om Odense Kommunes arbejde med negativ social kontrol"), std::string::npos);
  EXPECT_NE(r.out.find("Udvalg: Beskæftigelses- og Socialudvalget"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("resultat"), std::string::npos);
  EXPECT_EQ(r.out.find("\033["), std::string::npos) << "no ANSI codes when not on a terminal";
}

// The arguments as a user types them: a filter option takes one value and the words after it
// are the query; a query word may start with '-' (NOT) without "--"; a negative count is refused.
TEST(Cli, OptionsAndQueryWordsMix) {
  auto total = [](const CliRun& r) {
    EXPECT_EQ(r.code, 0) << r.out;
    return r.code == 0 ? nlohmann::json::parse(r.out)["total"].get<int>() : -1;
  };
  const int bsu_budget = total(run({"--format", "json", "budget udvalg:BSU"}));
  EXPECT_GT(bsu_budget, 0);
  EXPECT_EQ(total(run({"--format", "json", "--udvalg", "BSU", "budget"})), bsu_budget);
  EXPECT_EQ(total(run({"--format", "json", "--udvalg=BSU", "budget"})), bsu_budget);
  EXPECT_EQ(total(run({"--format", "json", "budget", "--udfald", "godkendt"})),
            total(run({"--format", "json", "--udfald", "godkendt", "budget"})));
  EXPECT_EQ(total(run({"--format", "json", "--kategori", "D", "budget"})),
            total(run({"--format", "json", "budget kategori:D"})));
  // Two --udvalg: either committee.
  EXPECT_GT(total(run({"--format", "json", "--udvalg", "BSU", "--udvalg", "BUU", "budget"})), bsu_budget);
  const int not_akad = total(run({"--format", "json", "ledighed -akademikere"}));
  EXPECT_EQ(total(run({"--format", "json", "ledighed", "-akademikere"})), not_akad);
  EXPECT_EQ(total(run({"--format", "json", "--", "ledighed", "-akademikere"})), not_akad);
  EXPECT_LT(not_akad, total(run({"--format", "json", "ledighed"})));
  // Words that start like the short options -n and -h are still query words.
  EXPECT_EQ(total(run({"--format", "json", "kommune", "-handleplan"})),
            total(run({"--format", "json", "kommune -handleplan"})));
  EXPECT_EQ(total(run({"--format", "json", "kommune", "-netværk"})),
            total(run({"--format", "json", "kommune -netværk"})));
  EXPECT_EQ(nlohmann::json::parse(run({"--format", "json", "-n1", "kommune"}).out)["hits"].size(), 1u);
  CliRun neg = run({"-n", "-1", "budget"}, true);
  EXPECT_EQ(neg.code, 2);
  EXPECT_NE(neg.out.find("must be 0 or more"), std::string::npos) << neg.out;
  // A negative snippet length was read as a huge one (whole sections printed).
  CliRun neg_snippet = run({"--snippet-bytes", "-5", "budget"}, true);
  EXPECT_EQ(neg_snippet.code, 2);
  EXPECT_NE(neg_snippet.out.find("must be 0 or more"), std::string::npos) << neg_snippet.out;
  CliRun typo = run({"--udvalgg", "BSU", "budget"}, true);
  EXPECT_EQ(typo.code, 2);
  EXPECT_NE(typo.out.find("--udvalgg is not an option"), std::string::npos) << typo.out;
}

// A flag takes no value: the option after it keeps its own (README: options in any order).
TEST(Cli, FlagsAreFollowedByOptions) {
  CliRun csv = run({"--all", "--format", "csv", "negativ social kontrol"}, true);
  ASSERT_EQ(csv.code, 0) << csv.out;
  EXPECT_EQ(csv.out.rfind("rank,score,id,", 0), 0u) << csv.out;
  CliRun limited = run({"--no-facets", "-n", "3", "--format", "json", "budget"}, true);
  ASSERT_EQ(limited.code, 0) << limited.out;
  auto j = nlohmann::json::parse(limited.out);
  EXPECT_EQ(j["hits"].size(), 3u);
  EXPECT_TRUE(j["facets"].empty()) << limited.out;
  CliRun bsu = run({"--explain", "--udvalg", "BSU", "--format", "json", "borger"}, true);
  ASSERT_EQ(bsu.code, 0) << bsu.out;
  EXPECT_EQ(nlohmann::json::parse(bsu.out)["total"].get<int>(),
            nlohmann::json::parse(run({"--format", "json", "borger udvalg:BSU"}).out)["total"].get<int>());
  CliRun last = run({"--format", "json", "borger", "--all"}, true);
  ASSERT_EQ(last.code, 0) << last.out;
  EXPECT_EQ(nlohmann::json::parse(last.out)["query"], "borger");
}

TEST(Cli, ExitCodes) {
  EXPECT_EQ(run({"zzzyyyxxx"}).code, 1) << "no hits";
  CliRun bad = run({"komite:BUU"}, true);
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.out.find("unknown field 'komite:'"), std::string::npos) << bad.out;
  EXPECT_NE(bad.out.find("\"komite:BUU\""), std::string::npos) << bad.out;
  EXPECT_NE(bad.out.find("^^^^^^^^^^"), std::string::npos) << bad.out;
  EXPECT_EQ(run({"--sort", "sideways", "x"}).code, 2);
  std::string cmd = quote(REFERAT_SEARCH_BIN) + " --db /nonexistent/db x 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  char buf[512] = {0};
  std::size_t n = fread(buf, 1, sizeof buf - 1, p);
  int status = pclose(p);
  EXPECT_EQ(WEXITSTATUS(status), 2);
  EXPECT_NE(std::string(buf, n).find("cannot open the index"), std::string::npos);
}

}  // namespace
}  // namespace referat::searcher
