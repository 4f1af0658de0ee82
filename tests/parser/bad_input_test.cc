// Bad input (issue 2, item 7): each case gives a clear "file:line: error|warning: reason" and
// never stops a batch.
#include <algorithm>
#include <chrono>
#include <random>
#include <fstream>
#include <map>
#include <sstream>

#include <gtest/gtest.h>

#include "indexer/index_writer.h"
#include "indexer/minutes_parser.h"
#include "indexer/parse_output.h"
#include "indexer/sources.h"
#include "tests/parser/test_util.h"

namespace referat::indexer {
namespace {

const std::string kGood = "Punkt 1: Første\n\n00.01.00-A00-1-21\n\nResume\nTekst.\n\nPunkt 2: Anden\n\nResume\nMere tekst.";

std::string first_error(const ParseResult& r) {
  for (const auto& d : r.diagnostics)
    if (d.severity == Diagnostic::Severity::Error) return d.to_string();
  return "";
}

TEST(BadInput, EmptyFile) {
  auto r = parse_minutes("", "empty.txt");
  EXPECT_TRUE(r.rejected);
  EXPECT_EQ(first_error(r), "empty.txt: error: empty file");
  EXPECT_TRUE(r.meeting.items.empty());
}

TEST(BadInput, WhitespaceOnlyFile) {
  auto r = parse_minutes(" \n\t\n  ", "ws.txt");
  EXPECT_TRUE(r.rejected);
  EXPECT_EQ(first_error(r), "ws.txt: error: file contains only whitespace");
}

TEST(BadInput, BinaryFile) {
  std::string bin = "Punkt 1: x\nabc\n\x89PNG\r\n";
  bin += '\0';
  bin += "\x01\x02";
  auto r = parse_minutes(bin, "img.txt");
  EXPECT_TRUE(r.rejected);
  EXPECT_EQ(first_error(r), "img.txt:4: error: binary file (NUL byte), not minutes text");
}

// A header date in the right form that is no date was reported as missing ("REFERAT line without
// a date") next to the very date.
TEST(BadInput, ImpossibleHeaderDateIsNamed) {
  for (const char* bad : {"31-02-2025", "20-05-1850"}) {
    std::ifstream in(testing::corpus_file("003"));
    std::stringstream text;
    text << in.rdbuf();
    std::string s = text.str();
    const std::size_t at = s.find("d. 20-05-2025");
    ASSERT_NE(at, std::string::npos);
    s.replace(at + 3, 10, bad);
    auto r = parse_minutes(s, "x.txt");
    bool named = false;
    for (const auto& d : r.diagnostics) {
      EXPECT_EQ(d.message.find("without a date"), std::string::npos) << d.to_string();
      named |= d.line == 3 && d.message.find(std::string("impossible date '") + bad + "'") != std::string::npos;
    }
    EXPECT_TRUE(named) << bad;
  }
}

TEST(BadInput, InvalidUtf8) {
  auto r = parse_minutes("Punkt 1: x\n\nResume\nK\xf8" "benhavn", "latin1.txt");  // Latin-1 ø
  EXPECT_TRUE(r.rejected);
  EXPECT_EQ(first_error(r), "latin1.txt:4: error: invalid UTF-8 (byte 0xF8 at column 2); convert the file to UTF-8");
}

// A copy cut off inside "ø" is not "another encoding": the advice to convert it was wrong.
TEST(BadInput, CutInsideACharacterIsNamed) {
  auto r = parse_minutes("Punkt 1: x\n\nResume\nK\xc3", "cut.txt");
  EXPECT_TRUE(r.rejected);
  EXPECT_EQ(first_error(r), "cut.txt:4: error: the file ends inside a character (byte 0xC3 at column 2): it was cut off; copy it again");
}

// A Latin-1 file whose only non-ASCII letter is its last ("ø" = 0xF8) is not cut off.
TEST(BadInput, Latin1ByteAtTheEndIsAnEncodingError) {
  auto r = parse_minutes("Punkt 1: x\n\nResume\nK\xf8", "latin1-end.txt");
  EXPECT_TRUE(r.rejected);
  EXPECT_EQ(first_error(r), "latin1-end.txt:4: error: invalid UTF-8 (byte 0xF8 at column 2); convert the file to UTF-8");
}

// UTF-16 (Windows' "Unicode") was called a binary file.
TEST(BadInput, Utf16IsNamed) {
  std::string le = "\xFF\xFE", be = "\xFE\xFF", bare;
  for (char c : kGood.substr(0, 40)) {
    le += c, le += '\0';
    be += '\0', be += c;
    bare += c, bare += '\0';
  }
  for (const std::string& t : {le, be, bare}) {
    auto r = parse_minutes(t, "u16.txt");
    EXPECT_TRUE(r.rejected);
    EXPECT_EQ(first_error(r), "u16.txt: error: UTF-16 text, not UTF-8; convert the file to UTF-8 (e.g. iconv -f UTF-16 -t UTF-8)");
  }
}

TEST(BadInput, Utf8BomIsAccepted) {
  auto plain = parse_minutes(kGood, "a.txt");
  auto bom = parse_minutes("\xEF\xBB\xBF" + kGood, "a.txt");
  ASSERT_FALSE(bom.rejected);
  ASSERT_EQ(bom.meeting.items.size(), 2u);
  EXPECT_EQ(bom.meeting.items[0].title, "Første");
  EXPECT_EQ(bom.meeting.items[0].first_line, 1);
  EXPECT_EQ(bom.meeting.items[1].first_line, plain.meeting.items[1].first_line);
  EXPECT_TRUE(bom.diagnostics.empty() || bom.diagnostics[0].severity == Diagnostic::Severity::Warning);
}

TEST(BadInput, CrlfIsAccepted) {
  std::string crlf;
  for (char c : kGood) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  auto r = parse_minutes(crlf, "dos.txt");
  ASSERT_FALSE(r.rejected);
  ASSERT_EQ(r.meeting.items.size(), 2u);
  EXPECT_EQ(r.meeting.items[0].title, "Første");
  EXPECT_EQ(r.meeting.items[0].journal->full, "00.01.00-A00-1-21");
  EXPECT_EQ(r.meeting.items[1].sections.at(0).text, "Mere tekst.");
  EXPECT_EQ(r.meeting.items[1].first_line, 8);
  // the whole corpus file with CRLF gives the same items as with LF
  auto lf = testing::corpus("003");
  std::string text = testing::read_file(testing::corpus_file("003")), dos;
  for (char c : text) {
    if (c == '\n') dos += '\r';
    dos += c;
  }
  auto r2 = parse_minutes(dos, "003");
  ASSERT_EQ(r2.meeting.items.size(), lf.meeting.items.size());
  for (std::size_t i = 0; i < lf.meeting.items.size(); ++i) {
    EXPECT_EQ(r2.meeting.items[i].title, lf.meeting.items[i].title);
    EXPECT_EQ(r2.meeting.items[i].outcomes(), lf.meeting.items[i].outcomes());
  }
  EXPECT_EQ(r2.meeting.place, lf.meeting.place);
}

TEST(BadInput, CrOnlyLineEnds) {
  std::string mac = kGood;
  std::replace(mac.begin(), mac.end(), '\n', '\r');
  auto r = parse_minutes(mac, "mac.txt");
  ASSERT_FALSE(r.rejected);
  EXPECT_EQ(r.meeting.items.size(), 2u);
  EXPECT_EQ(r.meeting.items[1].first_line, 8);
  EXPECT_EQ(r.diagnostics.at(0).to_string(), "mac.txt: warning: line ends are CR only (classic Mac); read as line breaks");
}

TEST(BadInput, PunktLinesInATableOfContentsAreNotItems) {
  auto r = parse_minutes("Indholdsfortegnelse\n\nPunkt 1: A.....\t3\nPunkt 2: B\t4\n\nPunkt 1: A\n\nResume\nx\n\nPunkt 2: B\n\nResume\ny",
                         "toc.txt");
  ASSERT_FALSE(r.rejected) << first_error(r);
  ASSERT_EQ(r.meeting.items.size(), 2u);
  EXPECT_EQ(r.meeting.items[0].first_line, 6);
}

TEST(BadInput, NoPunktLine) {
  auto r = parse_minutes("Referat\n\nIngen punkter her.\n", "none.txt");
  EXPECT_TRUE(r.rejected);
  EXPECT_EQ(first_error(r), "none.txt: error: no agenda item found (no line starting with 'Punkt N:'); 4 lines read");
}

TEST(BadInput, FiftyMegabyteSingleLineIsFastAndRejected) {
  std::string big(50u << 20, 'a');
  for (std::size_t i = 7; i < big.size(); i += 8) big[i] = ' ';
  auto t0 = std::chrono::steady_clock::now();
  auto r = parse_minutes(big, "big.txt");
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_TRUE(r.rejected);
  EXPECT_EQ(first_error(r),
            "big.txt: error: no agenda item found (no line starting with 'Punkt N:'); 1 line read (line 1 is 52428799 bytes long)");
  EXPECT_LT(s, 5.0) << "parsing 50 MB took " << s << " s: not linear?";
  auto two = parse_minutes("Overskrift\n" + std::string((2u << 20) + 1, 'x'), "two.txt");
  EXPECT_EQ(first_error(two),
            "two.txt: error: no agenda item found (no line starting with 'Punkt N:'); 2 lines read (line 2 is 2097153 bytes long)");
  // an ordinary file says nothing about line lengths
  EXPECT_EQ(first_error(parse_minutes("Referat\n\nIngen punkter her.\n", "none.txt")),
            "none.txt: error: no agenda item found (no line starting with 'Punkt N:'); 4 lines read");
}

TEST(BadInput, FiftyMegabyteLineInsideAnItemIsParsedLinearly) {
  std::string big = "Punkt 1: Stor\n\nResume\n";
  std::string line(50u << 20, 'x');
  for (std::size_t i = 5; i < line.size(); i += 6) line[i] = (i % 60 == 5) ? '-' : ' ';
  big += line;
  big += "\n\nBeslutning\nBSU godkender indstillingen.";
  auto t0 = std::chrono::steady_clock::now();
  auto r = parse_minutes(big, "big.txt");
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_FALSE(r.rejected);
  EXPECT_EQ(r.meeting.items[0].section("resume")->text.size(), line.size());
  EXPECT_EQ(r.meeting.items[0].outcomes(), std::vector<std::string>{"godkendt"});
  EXPECT_LT(s, 10.0) << "parsing a 50 MB line took " << s << " s: not linear?";
  ASSERT_EQ(r.diagnostics.size(), 1u);  // BSU decides: the committee is known
  EXPECT_EQ(r.diagnostics[0].to_string(), "big.txt:4: warning: line is 52428800 bytes long (over 1 MB); indexed anyway");
  // exactly 1 MB is still an ordinary (if long) line
  auto mb = parse_minutes("Punkt 1: T\n\nResume\n" + std::string(1u << 20, 'x') + "\n\nBeslutning\nBSU godkender indstillingen.", "mb.txt");
  EXPECT_TRUE(mb.diagnostics.empty()) << mb.diagnostics.at(0).to_string();
}

// A "Punkt N:" line that runs on: the title is cut to 1,000 characters (at a space in its last
// fifth, else at a character boundary) and the rest opens the body, so nothing is lost.
struct LongTitle {
  std::string rest;       // after "Punkt 1: "
  std::string title;      // expected
  std::string body;       // expected start of the body section ("" = no body section)
  std::string warning;    // expected warning about the title ("" = none)
};
void PrintTo(const LongTitle& c, std::ostream* os) { *os << c.rest.size() << " bytes: " << c.rest.substr(0, 12); }
class LongTitles : public ::testing::TestWithParam<LongTitle> {};
TEST_P(LongTitles, AreCutAndTheRestIsBody) {
  const auto& c = GetParam();
  auto r = parse_minutes("Punkt 1: " + c.rest + "\n\nResume\nTekst.\n\nBeslutning\nBSU godkender indstillingen.", "t.txt");
  ASSERT_FALSE(r.rejected);
  const Item& it = r.meeting.items.at(0);
  EXPECT_EQ(it.title, c.title);
  ASSERT_FALSE(it.sections.empty());
  if (c.body.empty()) {
    EXPECT_EQ(it.sections[0].name, "resume");
  } else {
    EXPECT_EQ(it.sections[0].name, "body");
    EXPECT_EQ(it.sections[0].text.substr(0, c.body.size()), c.body);
    EXPECT_EQ(it.sections[0].first_line, 1);
    const std::string whole = c.rest.substr(0, c.rest.find_last_not_of(' ') + 1);  // nothing lost:
    EXPECT_TRUE(whole == it.title + " " + it.sections[0].text || whole == it.title + it.sections[0].text)
        << it.title.size() << " + " << it.sections[0].text.size() << " bytes vs " << whole.size();
  }
  std::string warnings;
  for (const auto& d : r.diagnostics)
    if (d.message.rfind("title", 0) == 0) warnings += d.to_string();
  EXPECT_EQ(warnings, c.warning);
}
std::string repeat(const std::string& s, std::size_t n) {
  std::string r;
  for (std::size_t i = 0; i < n; ++i) r += s;
  return r;
}
INSTANTIATE_TEST_SUITE_P(
    Titles, LongTitles,
    ::testing::Values(
        LongTitle{repeat("titel ", 400), repeat("titel ", 165) + "titel", "titel titel",
                  "t.txt:1: warning: title of item 1 is 2399 characters long; cut to 995 (the rest is indexed as body text)"},
        LongTitle{repeat("titel ", 400000), repeat("titel ", 165) + "titel", "titel titel",  // a 2.4 MB line
                  "t.txt:1: warning: title of item 1 is 2399999 characters long; cut to 995 (the rest is indexed as body text)"},
        LongTitle{repeat("æ", 1500), repeat("æ", 1000), repeat("æ", 500),  // two-byte characters: never split
                  "t.txt:1: warning: title of item 1 is 1500 characters long; cut to 1000 (the rest is indexed as body text)"},
        LongTitle{"kort " + repeat("x", 2000), "kort " + repeat("x", 995), repeat("x", 1005),  // no space near the end
                  "t.txt:1: warning: title of item 1 is 2005 characters long; cut to 1000 (the rest is indexed as body text)"},
        LongTitle{repeat("ø", 1000), repeat("ø", 1000), "", ""}));  // exactly 1,000 characters: kept


TEST(BadInput, NumberingGapIsAWarning) {
  auto r = parse_minutes("Punkt 1: A\n\nResume\nx\n\nPunkt 3: C\n\nResume\ny", "gap.txt");
  EXPECT_FALSE(r.rejected);
  EXPECT_EQ(r.meeting.items.size(), 2u);
  ASSERT_FALSE(r.diagnostics.empty());
  EXPECT_EQ(r.diagnostics[0].to_string(), "gap.txt:6: warning: item numbering skips from 1 to 3 (item 2 missing)");
}

TEST(BadInput, NumberingNotStartingAtOne) {
  auto r = parse_minutes("Punkt 4: A\n\nResume\nx", "late.txt");
  EXPECT_FALSE(r.rejected);
  EXPECT_EQ(r.diagnostics.at(0).to_string(), "late.txt:1: warning: item numbering starts at 4, not 1");
}

TEST(BadInput, NumberingRepeatRejects) {
  auto r = parse_minutes("Punkt 1: A\n\nResume\nx\n\nPunkt 2: B\n\nPunkt 2: B igen\n", "rep.txt");
  EXPECT_TRUE(r.rejected);
  EXPECT_EQ(first_error(r), "rep.txt:8: error: item number 2 repeats (already at line 6); is this two files in one?");
}

TEST(BadInput, NumberingBackwardsRejects) {
  auto r = parse_minutes("Punkt 1: A\n\nPunkt 2: B\n\nPunkt 1: A\n", "back.txt");
  EXPECT_TRUE(r.rejected);
  EXPECT_EQ(first_error(r), "back.txt:5: error: item number 1 goes backwards (already at line 1); is this two files in one?");
}

TEST(BadInput, AbsurdItemNumber) {
  auto r = parse_minutes("Punkt 99999999999: A\n", "num.txt");
  EXPECT_TRUE(r.rejected);
  EXPECT_EQ(first_error(r), "num.txt:1: error: item number too large in 'Punkt 99999999999: A'");
}

TEST(BadInput, ItemWithoutTitle) {
  auto r = parse_minutes("Punkt 1:\n\nResume\nx", "t.txt");
  EXPECT_FALSE(r.rejected);
  ASSERT_FALSE(r.diagnostics.empty());
  EXPECT_EQ(r.diagnostics[0].to_string(), "t.txt:1: warning: item 1 has no title");
}

TEST(BadInput, HeaderInconsistencies) {
  auto r = parse_minutes(
      "\n\nREFERAT Beskæftigelses- og Socialudvalget 2022-2025 d. 20-05-2025\n\n"
      "Mødedato Tirsdag d. 21. maj 2025 kl. 08:30\n\nIndholdsfortegnelse\n\nA.....\t3\nB.....\t4\n\n"
      "Punkt 1: Godkendelse af dagsorden\n\nSagsresumé\n\n"
      "Godkendelse af dagsordenen til Beskæftigelses- og Socialudvalgets møde den 27. maj 2025.",
      "h.txt");
  ASSERT_FALSE(r.rejected);
  EXPECT_EQ(r.meeting.date.value, "2025-05-20");  // the REFERAT line wins
  EXPECT_EQ(r.meeting.date.source, "header");
  std::string all;
  for (const auto& d : r.diagnostics) all += d.to_string() + "\n";
  EXPECT_NE(all.find("h.txt:5: warning: Mødedato 2025-05-21 differs from the REFERAT line's date 2025-05-20"), std::string::npos) << all;
  EXPECT_NE(all.find("h.txt: warning: table of contents lists 2 items, the text has 1"), std::string::npos) << all;
  EXPECT_NE(all.find("h.txt:3: warning: header date 2025-05-20 differs from the agenda-approval date 2025-05-27"), std::string::npos) << all;
}

TEST(BadInput, NotAPdf) {
  auto dir = testing::temp_dir("pdf");
  testing::write_file(dir / "fake.pdf", "Punkt 1: not a pdf");
  auto r = parse_minutes_file(dir / "fake.pdf", "fake.pdf");
  EXPECT_TRUE(r.rejected);
  EXPECT_EQ(first_error(r).rfind("fake.pdf: error: cannot read PDF: ", 0), 0u) << first_error(r);
  std::filesystem::remove_all(dir);
}

TEST(BadInput, MissingFile) {
  auto r = parse_minutes_file("/nonexistent/x.txt", "x.txt");
  EXPECT_TRUE(r.rejected);
  EXPECT_EQ(first_error(r), "x.txt: error: cannot read file: no such file");
}

TEST(BadInput, BadFilesDoNotStopABatch) {
  auto dir = testing::temp_dir("batch");
  testing::write_file(dir / "a_good.txt", kGood);
  testing::write_file(dir / "b_empty.txt", "");
  testing::write_file(dir / "c_latin1.txt", "Punkt 1: K\xf8" "ge\n");
  testing::write_file(dir / "d_good.txt", kGood);
  testing::write_file(dir / "d_good.txt.meta.json", R"({"committee": "BSU"})");
  testing::write_file(dir / "README.md", "not minutes");
  std::ostringstream out, err;
  int rc = run_parse_only({dir.string(), (dir / "missing.txt").string()}, {}, "jsonl", out, err);
  EXPECT_EQ(rc, kExitSomeRejected);
  std::istringstream lines(out.str());
  std::string line;
  int n = 0;
  while (std::getline(lines, line)) ++n;
  EXPECT_EQ(n, 4);  // 2 items from each good file
  EXPECT_NE(err.str().find("b_empty.txt: error: empty file"), std::string::npos) << err.str();
  EXPECT_NE(err.str().find("c_latin1.txt:1: error: invalid UTF-8"), std::string::npos) << err.str();
  EXPECT_NE(err.str().find("missing.txt: error: no such file or directory"), std::string::npos) << err.str();
  EXPECT_NE(err.str().find("referat-index: 5 files, 4 items, 3 rejected\n"), std::string::npos) << err.str();  // missing.txt too
  std::filesystem::remove_all(dir);
}

// Random damage to a real file (lines dropped, duplicated, truncated, bytes replaced) never
// throws and always yields consistent line spans.
TEST(BadInput, RandomDamageNeverThrowsAndSpansStayConsistent) {
  const std::string base = testing::read_file(testing::corpus_file("001"));
  std::vector<std::string> lines;
  for (std::size_t b = 0;;) {
    std::size_t e = base.find('\n', b);
    lines.push_back(base.substr(b, e == std::string::npos ? std::string::npos : e - b));
    if (e == std::string::npos) break;
    b = e + 1;
  }
  std::mt19937 rng(20261123);
  int parsed = 0;
  for (int round = 0; round < 150; ++round) {
    std::vector<std::string> l = lines;
    int edits = 1 + static_cast<int>(rng() % 40);
    for (int k = 0; k < edits && !l.empty(); ++k) {
      std::size_t i = rng() % l.size();
      unsigned op = static_cast<unsigned>(rng() % 40);  // a new "Punkt" line only now and then
      switch (op < 4 ? op : op == 4 ? 4u : op % 4) {
        case 0: l.erase(l.begin() + static_cast<std::ptrdiff_t>(i)); break;
        case 1: l.insert(l.begin() + static_cast<std::ptrdiff_t>(i), l[rng() % l.size()]); break;
        case 2: l[i] = l[i].substr(0, l[i].empty() ? 0 : rng() % l[i].size()); break;
        case 3: if (!l[i].empty()) l[i][rng() % l[i].size()] = static_cast<char>(32 + rng() % 95); break;
        case 4: l[i] = (rng() % 2 ? " " : "") + std::string("Punkt ") + std::to_string(rng() % 12) + ": X"; break;
      }
    }
    std::string text;
    for (std::size_t i = 0; i < l.size(); ++i) text += (i ? "\n" : "") + l[i];
    ParseResult r;
    ASSERT_NO_THROW(r = parse_minutes(text, "fuzz.txt")) << "round " << round;
    if (r.rejected) {
      EXPECT_FALSE(first_error(r).empty());
      continue;
    }
    ++parsed;
    int prev_number = 0, prev_last = 0;
    for (const auto& it : r.meeting.items) {
      EXPECT_GT(it.number, prev_number);
      EXPECT_LE(it.first_line, it.last_line);
      EXPECT_GT(it.first_line, prev_last);
      for (const auto& s : it.sections) {
        EXPECT_GE(s.first_line, it.first_line);
        EXPECT_LE(s.last_line, it.last_line);
      }
      prev_number = it.number;
      prev_last = it.last_line;
    }
  }
  EXPECT_GT(parsed, 50) << "too few damaged files were parsed to check anything";
}

TEST(Sources, CollectsTxtAndPdfRecursivelySorted) {
  auto dir = testing::temp_dir("sources");
  std::filesystem::create_directories(dir / "sub");
  testing::write_file(dir / "b.txt", "x");
  testing::write_file(dir / "sub" / "a.PDF", "x");
  testing::write_file(dir / "b.txt.meta.json", "{}");
  testing::write_file(dir / "README.md", "x");
  testing::write_file(dir / "notes.doc", "x");
  std::vector<Diagnostic> diags;
  auto files = collect_sources({dir.string(), (dir / "b.txt").string(), (dir / "nope").string()}, diags);
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0], dir / "b.txt");
  EXPECT_EQ(files[1], dir / "sub" / "a.PDF");
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].to_string(), (dir / "nope").string() + ": error: no such file or directory");
  std::filesystem::remove_all(dir);
}

// A linked folder is read like a folder (it was skipped without a word), each real folder once:
// a link into a given folder is not followed (the folder is read as itself, so a file keeps one
// spelling), a second link to the same folder is a warning. A broken link named like minutes, a
// folder without minutes (an unmounted share), given or linked, are errors.
TEST(Sources, FollowsFolderLinksOnceAndReportsBrokenLinksAndEmptyFolders) {
  namespace fs = std::filesystem;
  auto dir = testing::temp_dir("sources-links");
  fs::create_directories(dir / "elsewhere" / "2024");
  fs::create_directories(dir / "in" / "sub");
  fs::create_directories(dir / "empty");
  fs::create_directories(dir / "unmounted");
  testing::write_file(dir / "elsewhere" / "2024" / "m.txt", "x");
  testing::write_file(dir / "in" / "sub" / "a.txt", "x");
  fs::create_directory_symlink(dir / "elsewhere", dir / "in" / "linked");
  fs::create_directory_symlink(dir / "elsewhere", dir / "in" / "linked-again");
  fs::create_directory_symlink(dir / "in", dir / "in" / "loop");
  fs::create_directory_symlink(dir / "in" / "sub", dir / "in" / "shortcut");
  fs::create_directory_symlink(dir / "unmounted", dir / "in" / "share");
  fs::create_symlink(dir / "gone.txt", dir / "in" / "dangling.txt");
  std::vector<Diagnostic> diags;
  auto files = collect_sources({(dir / "in").string(), (dir / "empty").string()}, diags);
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0], dir / "in" / "linked" / "2024" / "m.txt");
  EXPECT_EQ(files[1], dir / "in" / "sub" / "a.txt");
  std::map<std::string, std::string> by_file;
  for (const auto& d : diags) by_file[d.file] = d.to_string();
  EXPECT_EQ(diags.size(), 4u);
  EXPECT_NE(by_file[(dir / "in" / "linked-again").string()].find("warning: not followed"), std::string::npos);
  EXPECT_NE(by_file[(dir / "in" / "dangling.txt").string()].find("error: broken symbolic link"), std::string::npos);
  EXPECT_NE(by_file[(dir / "empty").string()].find("error: no minutes files"), std::string::npos);
  EXPECT_NE(by_file[(dir / "in" / "share").string()].find("error: no minutes files"), std::string::npos);
  // A folder whose minutes all lie behind links is not empty.
  diags.clear();
  fs::create_directories(dir / "archive");
  fs::create_directory_symlink(dir / "elsewhere", dir / "archive" / "2024");
  EXPECT_EQ(collect_sources({(dir / "archive").string()}, diags),
            std::vector<fs::path>{dir / "archive" / "2024" / "2024" / "m.txt"});
  EXPECT_TRUE(diags.empty()) << diags.front().to_string();
  // The same folder given twice, or through a link to it, is read once.
  diags.clear();
  fs::create_directory_symlink(dir / "in", dir / "in-link");
  EXPECT_EQ(collect_sources({(dir / "in").string(), (dir / "in-link").string()}, diags), files);
  fs::remove_all(dir);
}

TEST(RunParseOnly, CouldNotRun) {
  std::ostringstream out, err;
  EXPECT_EQ(run_parse_only({testing::corpus_file("000").string()}, {}, "xml", out, err), kExitFailed);
  MeetingOverrides bad;
  bad.date = "2021-02-30";
  EXPECT_EQ(run_parse_only({testing::corpus_file("000").string()}, bad, "jsonl", out, err), kExitFailed);
  EXPECT_NE(err.str().find("invalid --date '2021-02-30'"), std::string::npos);
  auto dir = testing::temp_dir("emptydir");
  EXPECT_EQ(run_parse_only({dir.string()}, {}, "jsonl", out, err), kExitFailed);
  EXPECT_NE(err.str().find("no minutes files"), std::string::npos);
  std::filesystem::remove_all(dir);
}

// A stream that accepts nothing, like a full disk.
class RefusingBuf : public std::streambuf {
 protected:
  int_type overflow(int_type) override { return traits_type::eof(); }
  std::streamsize xsputn(const char*, std::streamsize) override { return 0; }
};

TEST(RunParseOnly, FailedWriteStopsWithExitTwo) {
  for (const char* format : {"jsonl", "json"}) {
    RefusingBuf buf;
    std::ostream out(&buf);
    std::ostringstream err;
    EXPECT_EQ(run_parse_only({testing::corpus_file("000").string()}, {}, format, out, err), kExitFailed) << format;
    EXPECT_EQ(err.str(), "referat-index: cannot write output: write error\n") << format;
  }
}

}  // namespace
}  // namespace referat::indexer
