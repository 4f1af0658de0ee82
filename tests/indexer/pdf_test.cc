// PDF minutes: the test draws a PDF from a sample minutes file with cairo, and the items that
// come out of the PDF are the items of the text file.
#include <gtest/gtest.h>
#include <xapian.h>

#include "indexer/document_builder.h"
#include "indexer/index_writer.h"
#include "indexer/pdf_text.h"
#include "tests/indexer/test_util.h"

namespace referat::indexer::test {
namespace {

std::string squeeze(const std::string& s) {  // whitespace runs -> one space, trimmed
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

class PdfMinutes : public ::testing::TestWithParam<std::string> {};

TEST_P(PdfMinutes, SameItemsAsTheTextFile) {
  TempDir tmp;
  fs::path txt = corpus_dir() / GetParam();
  fs::path pdf = tmp / (txt.stem().string() + ".pdf");
  make_pdf(read_text(txt), pdf);

  // Danish letters survive the round trip.
  std::string extracted = read_pdf_text(pdf);
  EXPECT_NE(extracted.find("Punkt 1:"), std::string::npos);
  EXPECT_NE(extracted.find("ø"), std::string::npos);
  EXPECT_NE(extracted.find("Beslutning"), std::string::npos);

  ParseResult from_txt = parse_minutes_file(txt, txt.string());
  ParseResult from_pdf = parse_minutes_file(pdf, pdf.string());
  ASSERT_FALSE(from_pdf.rejected);
  EXPECT_EQ(from_pdf.meeting.committee.value, from_txt.meeting.committee.value);
  EXPECT_EQ(from_pdf.meeting.date.value, from_txt.meeting.date.value);
  ASSERT_EQ(from_pdf.meeting.items.size(), from_txt.meeting.items.size());
  for (std::size_t i = 0; i < from_txt.meeting.items.size(); ++i) {
    const Item& a = from_txt.meeting.items[i];
    const Item& b = from_pdf.meeting.items[i];
    SCOPED_TRACE("item " + std::to_string(a.number));
    EXPECT_EQ(b.number, a.number);
    EXPECT_EQ(b.title, a.title);
    EXPECT_EQ(b.category, a.category);
    ASSERT_EQ(b.journal.has_value(), a.journal.has_value());
    if (a.journal) {
      EXPECT_EQ(b.journal->full, a.journal->full);
    }
    ASSERT_EQ(b.sections.size(), a.sections.size());
    for (std::size_t s = 0; s < a.sections.size(); ++s) {
      EXPECT_EQ(b.sections[s].name, a.sections[s].name);
      EXPECT_EQ(squeeze(b.sections[s].text), squeeze(a.sections[s].text));
    }
    ASSERT_EQ(b.decisions.size(), a.decisions.size());
    for (std::size_t d = 0; d < a.decisions.size(); ++d)
      EXPECT_EQ(b.decisions[d].outcome, a.decisions[d].outcome);
    EXPECT_EQ(item_id(from_pdf.meeting, b, "x"), item_id(from_txt.meeting, a, "x"));
  }
}

INSTANTIATE_TEST_SUITE_P(HardWrapped, PdfMinutes,
                         ::testing::Values("004_1dd16286e56b577e.txt", "001_3593c011bb9c2f4b.txt"));

TEST(PdfIndexing, PdfFileIndexesLikeItsTextFile) {
  TempDir tmp;
  fs::path txt = corpus_dir() / "004_1dd16286e56b577e.txt";
  fs::create_directories(tmp / "in");
  make_pdf(read_text(txt), tmp / "in" / "minutes.pdf");
  IndexOptions opt;
  opt.db_path = (tmp / "db").string();
  IndexSummary s = index_paths({(tmp / "in").string()}, opt);
  EXPECT_EQ(s.files_indexed, 1u);
  EXPECT_EQ(s.items_added, 13u);
  ParseResult parsed = parse_minutes_file(txt, txt.string());
  Xapian::Database db(opt.db_path);
  for (const Item& item : parsed.meeting.items) {
    // Ids only use the file stem when the date is unknown; both files share the stem rule.
    std::string id = item_id(parsed.meeting, item, "minutes");
    EXPECT_TRUE(db.term_exists("Q" + id)) << id;
  }
}

TEST(PdfText, MissingOrBrokenPdfThrowsWithThePath) {
  TempDir tmp;
  write_text(tmp / "x.pdf", "not a pdf");
  try {
    read_pdf_text(tmp / "x.pdf");
    FAIL();
  } catch (const PdfError& e) {
    EXPECT_NE(std::string(e.what()).find("x.pdf"), std::string::npos);
  }
  EXPECT_THROW(read_pdf_text(tmp / "missing.pdf"), PdfError);
}

}  // namespace
}  // namespace referat::indexer::test
