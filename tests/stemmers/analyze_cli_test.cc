// referat-analyze as a user runs it: arguments, output formats, exit codes.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdio>
#include <string>

namespace {

struct Result {
  int code = -1;
  std::string out;
};

Result run(const std::string& args) {
  Result r;
  const std::string cmd = std::string(REFERAT_ANALYZE_BIN) + " " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return r;
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  const int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

TEST(AnalyzeCli, TextFormatIsTermPositionOffsetsKind) {
  const Result r = run("'Budgettet og § 100'");
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out,
            "budgettet\t1\t0\t9\tword\n"
            "budget\t1\t0\t9\tlemma\n"
            "og\t2\t10\t12\tword\tstop\n"
            "§100\t3\t13\t19\tidentifier\n");
}

TEST(AnalyzeCli, JsonlAndQueryMode) {
  const Result r = run("--mode query --format jsonl okonomi");
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find(R"({"end":7,"kind":"word","pos":1,"start":0,"stop":false,"term":"okonomi"})"),
            std::string::npos) << r.out;
  EXPECT_NE(r.out.find(R"("kind":"lemma","pos":1,"start":0,"stop":false,"term":"økonomi")"),
            std::string::npos) << r.out;
  EXPECT_NE(r.out.find(R"("kind":"folded","pos":1,"start":0,"stop":false,"term":"okonomi")"),
            std::string::npos) << r.out;
}

TEST(AnalyzeCli, ReadsAFile) {
  const Result r =
      run("--file " REFERAT_SOURCE_DIR "/corpus/000_21410ac8c793ed1d.txt --format jsonl");
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find(R"("term":"00.30.00-ø00-2-21")"), std::string::npos);
}

TEST(AnalyzeCli, Errors) {
  Result r = run("");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("give a TEXT or --file F"), std::string::npos) << r.out;
  r = run("--file /nonexistent/minutes.txt");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("cannot read /nonexistent/minutes.txt"), std::string::npos) << r.out;
  r = run("--mode search x");
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.out.find("--mode"), std::string::npos) << r.out;
}

}  // namespace
