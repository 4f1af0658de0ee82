// The bundled corpus through index_paths(): counts, ids, and the fields of a few items checked
// against what the minutes say (docs/minutes-format.md has the line references).
#include <algorithm>
#include <cstdlib>
#include <memory>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <xapian.h>

#include "indexer/document_builder.h"
#include "indexer/index_writer.h"
#include "indexer/schema.h"
#include "stemmers/analyzer.h"
#include "stemmers/folding.h"
#include "tests/indexer/test_util.h"

namespace referat::indexer::test {
namespace {

using nlohmann::json;

class CorpusIndex : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new TempDir();
    IndexOptions opt;
    opt.db_path = (tmp_->path() / "db").string();
    opt.jobs = 2;
    summary_ = new IndexSummary(index_paths({corpus_dir().string()}, opt));
    db_ = new Xapian::Database(opt.db_path);
  }
  static void TearDownTestSuite() {
    delete db_;
    delete summary_;
    delete tmp_;
  }

  static Xapian::Document doc(const std::string& id) {
    std::string term = std::string(schema::kIdPrefix) + id;
    Xapian::PostingIterator p = db_->postlist_begin(term);
    if (p == db_->postlist_end(term)) throw std::runtime_error("no item " + id);
    return db_->get_document(*p);
  }
  static json data(const std::string& id) { return json::parse(doc(id).get_data()); }
  static bool has_term(const Xapian::Document& d, const std::string& term) {
    auto it = d.termlist_begin();
    it.skip_to(term);
    return it != d.termlist_end() && *it == term;
  }

  static TempDir* tmp_;
  static IndexSummary* summary_;
  static Xapian::Database* db_;
};
TempDir* CorpusIndex::tmp_ = nullptr;
IndexSummary* CorpusIndex::summary_ = nullptr;
Xapian::Database* CorpusIndex::db_ = nullptr;

constexpr const char* kBsu = "beskaeftigelses-og-socialudvalget";
constexpr const char* kBuu = "boern-og-ungeudvalget";

TEST_F(CorpusIndex, IndexesExactlyThe66Items) {
  EXPECT_EQ(summary_->files_indexed, 5u);
  EXPECT_EQ(summary_->files_rejected, 0u);
  EXPECT_EQ(summary_->items_added, 66u);
  EXPECT_EQ(summary_->items_replaced, 0u);
  EXPECT_EQ(db_->get_doccount(), 66u);
  EXPECT_EQ(db_->get_metadata(schema::kSchemaVersionKey), std::to_string(schema::kSchemaVersion));
  EXPECT_FALSE(db_->get_metadata(schema::kLastCommitKey).empty());
}

TEST_F(CorpusIndex, EveryParsedItemIsFindableByItsId) {
  std::size_t checked = 0;
  for (const auto& file : corpus_files()) {
    ParseResult parsed = parse_minutes_file(file, file.string());
    ASSERT_FALSE(parsed.rejected) << file;
    for (const Item& item : parsed.meeting.items) {
      std::string id = item_id(parsed.meeting, item, file.stem().string());
      json d = data(id);
      EXPECT_EQ(d["title"], item.title) << id;
      EXPECT_EQ(d["item"], item.number) << id;
      EXPECT_EQ(d["first_line"], item.first_line) << id;
      ++checked;
    }
    // Every item of the file carries the file's XS term and the file's metadata record lists them.
    std::string key = file_key(file);
    EXPECT_EQ(db_->get_termfreq(std::string(schema::kSourcePrefix) + key),
              parsed.meeting.items.size());
    json rec = json::parse(db_->get_metadata(std::string(schema::kFileKeyPrefix) + key));
    EXPECT_EQ(rec["ids"].size(), parsed.meeting.items.size());
  }
  EXPECT_EQ(checked, 66u);
}

// 003:1120-1192 Punkt 13: D-sag: Orientering om Odense Kommunes arbejde med negativ social
// kontrol; journal 27.00.00-A00-6-25; meeting 20-05-2025 (header); Beslutning "Orientering givet."
TEST_F(CorpusIndex, Item003_13) {
  std::string id = std::string(kBsu) + "/2025-05-20/13";
  Xapian::Document d = doc(id);
  for (const char* t : {"D20250520", "M202505", "Y2025", "XCd", "XOorientering_givet",
                        "XJ27.00.00-a00-6-25", "XK27", "XK27.00", "XK27.00.00"})
    EXPECT_TRUE(has_term(d, t)) << t;
  EXPECT_TRUE(has_term(d, std::string("XU") + kBsu));
  EXPECT_TRUE(has_term(d, std::string("XM") + kBsu));
  EXPECT_EQ(terms_with_prefix(d, "XM").size(), 1u);
  EXPECT_EQ(terms_with_prefix(d, "XC").size(), 1u);

  EXPECT_EQ(d.get_value(schema::kSlotDate), "20250520");
  EXPECT_EQ(d.get_value(schema::kSlotYear), "2025");
  EXPECT_EQ(d.get_value(schema::kSlotCategory), "D");
  EXPECT_EQ(d.get_value(schema::kSlotKle), "27");
  EXPECT_EQ(d.get_value(schema::kSlotCommittee), "Beskæftigelses- og Socialudvalget");
  EXPECT_EQ(Xapian::sortable_unserialise(d.get_value(schema::kSlotItem)), 13.0);
  EXPECT_EQ(schema::unserialise_list(d.get_value(schema::kSlotOutcomes)),
            std::vector<std::string>{"orientering_givet"});

  json j = json::parse(d.get_data());
  EXPECT_EQ(j["id"], id);
  EXPECT_EQ(j["title"], "Orientering om Odense Kommunes arbejde med negativ social kontrol");
  EXPECT_EQ(j["journal"], "27.00.00-A00-6-25");
  EXPECT_EQ(j["category"], "D");
  EXPECT_EQ(j["date"], "2025-05-20");
  EXPECT_EQ(j["decision"], "Orientering givet.");
  EXPECT_EQ(j["first_line"], 1120);
  EXPECT_EQ(j["committee"], "Beskæftigelses- og Socialudvalget");
  std::vector<std::string> names;
  for (const auto& s : j["sections"]) names.push_back(s["name"]);
  EXPECT_EQ(names.front(), "resume");
  EXPECT_NE(std::find(names.begin(), names.end(), "beslutning"), names.end());

  // The title phrase "negativ social kontrol" sits at consecutive body positions inside the
  // title's span (field copies have no positions); the body copy of a title word has the title
  // weight.
  auto pos = [&](const std::string& term) {
    auto it = d.termlist_begin();
    it.skip_to(term);
    std::vector<Xapian::termpos> v;
    if (it != d.termlist_end() && *it == term) v.assign(it.positionlist_begin(), it.positionlist_end());
    return v;
  };
  auto neg = pos("negativ"), soc = pos("social"), kon = pos("kontrol");
  ASSERT_FALSE(neg.empty());
  ASSERT_FALSE(soc.empty());
  ASSERT_FALSE(kon.empty());
  EXPECT_EQ(soc.front(), neg.front() + 1);
  EXPECT_EQ(kon.front(), neg.front() + 2);
  EXPECT_TRUE(pos("Snegativ").empty());
  std::vector<schema::FieldSpan> spans;
  schema::unserialise_spans(d.get_value(schema::kSlotFieldSpans), spans);
  ASSERT_GE(spans.size(), 3u);  // title, resume, ..., beslutning
  EXPECT_EQ(spans.front().field, schema::Field::Title);
  EXPECT_EQ(spans.front().first, 1u);
  EXPECT_LE(kon.front(), spans.front().last) << "the title's words are in the title's span";
  EXPECT_EQ(spans[1].field, schema::Field::Resume);
  EXPECT_GT(spans[1].first, spans.front().last + 1) << "a gap between fields";
  EXPECT_EQ(spans.back().field, schema::Field::Beslutning);
  // "Orientering givet." is the decision: both words inside its span, nowhere else in order.
  auto ori = pos("orientering"), giv = pos("givet");
  bool in_decision = false;
  for (auto p : ori)
    in_decision = in_decision || (p >= spans.back().first && p <= spans.back().last &&
                                  std::find(giv.begin(), giv.end(), p + 1) != giv.end());
  EXPECT_TRUE(in_decision);
  EXPECT_TRUE(has_term(d, "negativ"));
  EXPECT_TRUE(has_term(d, schema::text_term(schema::Field::Beslutning, schema::TermKind::Exact,
                                            "orientering")));
  EXPECT_TRUE(has_term(d, schema::text_term(schema::Field::Resume, schema::TermKind::Exact,
                                            "efterværn")));
  EXPECT_FALSE(has_term(d, schema::text_term(schema::Field::Title, schema::TermKind::Exact,
                                             "efterværn")));
  auto wdf = [&](const std::string& term) {
    auto it = d.termlist_begin();
    it.skip_to(term);
    return it != d.termlist_end() && *it == term ? it.get_wdf() : 0u;
  };
  // "kommunes" appears once in the title (3) plus in the body text.
  EXPECT_GE(wdf("odense"), 3u);
}

// The fold table (schema.h): every word with æ/ø/å of an item is spelled by its digraph and its
// plain folding, and so is every lemma term with æ/ø/å ("Z" + lemma).
TEST_F(CorpusIndex, FoldTableSpellsEveryWordAndLemmaWithDanishLetters) {
  Xapian::Document d = doc(std::string(kBsu) + "/2025-05-20/13");
  auto spelled_by = [&](const std::string& fold, const std::string& value) {
    const std::string key = schema::kFoldPrefix + fold;
    for (auto it = db_->synonyms_begin(key); it != db_->synonyms_end(key); ++it)
      if (*it == value) return true;
    return false;
  };
  std::size_t words = 0, lemmas = 0;
  for (auto t = d.termlist_begin(); t != d.termlist_end(); ++t) {
    const std::string term = *t;
    if (term.empty() || !stemmers::has_danish_letters(term)) continue;
    const bool lemma = term[0] == 'Z' && !(term[1] >= 'A' && term[1] <= 'Z');
    if (!lemma && term[0] >= 'A' && term[0] <= 'Z') continue;  // other prefixes: field copies etc.
    const std::string text = lemma ? term.substr(1) : term;
    if (!lemma && stemmers::Analyzer::is_stopword(text)) continue;
    const std::string value = lemma ? term : text;
    EXPECT_TRUE(spelled_by(stemmers::fold_digraph(text), value)) << term;
    EXPECT_TRUE(spelled_by(stemmers::fold_plain(text), value)) << term;
    ++(lemma ? lemmas : words);
  }
  EXPECT_GT(words, 10u);
  EXPECT_GT(lemmas, 2u);
}

// Which terms carry positions is part of the schema (schema::has_positions); check it on a stored
// document against the terms' prefixes.
TEST_F(CorpusIndex, PositionsFollowTheSchema) {
  Xapian::Document d = doc(std::string(kBsu) + "/2025-05-20/13");
  std::size_t folded = 0, parts = 0, resume_exact = 0, lemmas = 0;
  for (auto t = d.termlist_begin(); t != d.termlist_end(); ++t) {
    const std::string term = *t;
    bool positional = t.positionlist_count() > 0;
    auto lower_after = [&](std::size_t n) {
      return term.size() > n && !(term[n] >= 'A' && term[n] <= 'Z');
    };
    if (term.rfind("XF", 0) == 0) {
      ++folded;  // æ/ø/å-free spellings are in the fold table, not terms
    } else if (term.rfind("XP", 0) == 0) {
      ++parts;
      EXPECT_FALSE(positional) << term;
    } else if (term.rfind("XR", 0) == 0 && lower_after(2)) {
      ++resume_exact;
      EXPECT_FALSE(positional) << term;  // field copies: a field phrase uses the body's positions
    } else if (term.rfind("S", 0) == 0 && lower_after(1)) {
      EXPECT_FALSE(positional) << term;  // title copies, likewise
    } else if (term.rfind("Z", 0) == 0) {
      ++lemmas;
      EXPECT_FALSE(positional) << term;  // lemma terms of every field: phrases use the form table
    } else if (!term.empty() && !(term[0] >= 'A' && term[0] <= 'Z')) {
      EXPECT_TRUE(positional) << term;  // exact body terms
    }
  }
  EXPECT_EQ(folded, 0u);
  EXPECT_GT(parts, 0u);
  EXPECT_GT(resume_exact, 0u);
  EXPECT_GT(lemmas, 0u);
}

// The form table (schema.h): every lemma term of an item (lemma terms have no positions) names a
// form the item is written with (or is written as is), so a phrase can match the lemma through
// that form's positions.
TEST_F(CorpusIndex, FormTableNamesAWrittenFormOfEveryLemma) {
  Xapian::Document d = doc(std::string(kBsu) + "/2025-05-20/13");
  std::size_t by_table = 0;
  for (auto t = d.termlist_begin(); t != d.termlist_end(); ++t) {
    const std::string term = *t;
    if (term.size() < 2 || term[0] != 'Z' || (term[1] >= 'A' && term[1] <= 'Z')) continue;  // body lemmas
    const std::string key = schema::kFormPrefix + term.substr(1);
    // A word that is also its own lemma ("afholdt": =afholdt =afholde) is the form itself.
    bool written = has_term(d, term.substr(1));
    for (auto it = db_->synonyms_begin(key); it != db_->synonyms_end(key); ++it) {
      EXPECT_NE(*it, term.substr(1)) << "a lemma written as is needs no entry: " << key;
      if (has_term(d, *it) && !written) {
        written = true;
        ++by_table;
      }
    }
    EXPECT_TRUE(written) << term;
  }
  EXPECT_GT(by_table, 10u);
}

// 000:1-35: Punkt 1, journal 00.30.00-Ø00-2-21 (non-ASCII facet letter), Marlene Ambo-Rasmussen
// did not take part in the item.
TEST_F(CorpusIndex, Item000_1AbsentMemberAndNonAsciiJournal) {
  Xapian::Document d = doc(std::string(kBuu) + "/2021-04-27/1");
  EXPECT_TRUE(has_term(d, "XJ00.30.00-ø00-2-21"));
  EXPECT_TRUE(has_term(d, "XK00.30.00"));
  EXPECT_TRUE(has_term(d, "XAmarlene ambo-rasmussen"));
  json j = json::parse(d.get_data());
  EXPECT_EQ(j["absent"], json::array({"Marlene Ambo-Rasmussen"}));
  EXPECT_EQ(j["journal"], "00.30.00-Ø00-2-21");
}

// 000:1158 Punkt 7 has no journal number and no headings.
TEST_F(CorpusIndex, Item000_7HasNoJournal) {
  Xapian::Document d = doc(std::string(kBuu) + "/2021-04-27/7");
  EXPECT_TRUE(terms_with_prefix(d, "XJ").empty());
  EXPECT_TRUE(terms_with_prefix(d, "XK").empty());
  EXPECT_TRUE(json::parse(d.get_data())["journal"].is_null());
  EXPECT_TRUE(has_term(d, "robotskole"));
}

TEST_F(CorpusIndex, TermSearchFindsItems) {
  // "negativ social kontrol" as a phrase over exact body terms.
  Xapian::Enquire enquire(*db_);
  std::vector<Xapian::Query> words{Xapian::Query("negativ"), Xapian::Query("social"),
                                   Xapian::Query("kontrol")};
  enquire.set_query(Xapian::Query(Xapian::Query::OP_PHRASE, words.begin(), words.end()));
  Xapian::MSet m = enquire.get_mset(0, 100);
  EXPECT_GE(m.size(), 1u);
  bool found = false;
  for (auto it = m.begin(); it != m.end(); ++it)
    found |= json::parse(it.get_document().get_data())["id"] == std::string(kBsu) + "/2025-05-20/13";
  EXPECT_TRUE(found);
  // Filters: items of BUU.
  EXPECT_EQ(db_->get_termfreq(std::string("XM") + kBuu), 20u);
  EXPECT_EQ(db_->get_termfreq(std::string("XM") + kBsu), 46u);
}

TEST_F(CorpusIndex, SynonymsAndSpelling) {
  std::vector<std::string> syn(db_->synonyms_begin("XUbsu"), db_->synonyms_end("XUbsu"));
  EXPECT_EQ(syn, std::vector<std::string>{std::string("XU") + kBsu});
  std::vector<std::string> text(db_->synonyms_begin("buu"), db_->synonyms_end("buu"));
  EXPECT_EQ(text, std::vector<std::string>{"børn- og ungeudvalget"});
  EXPECT_EQ(db_->get_spelling_suggestion("negatv"), "negativ");
  auto spelling_freq = [&](const std::string& w) -> Xapian::doccount {
    auto it = db_->spellings_begin();
    it.skip_to(w);
    return it != db_->spellings_end() && *it == w ? it.get_termfreq() : 0;
  };
  EXPECT_GT(spelling_freq("kontrol"), 0u);
  EXPECT_EQ(spelling_freq("og"), 0u);  // a stop word
  // Every word as written, whichever section holds it, is in the spelling data with the number
  // of items it occurs in ("ressourceteamet" is only in a Sagsfremstilling).
  EXPECT_EQ(spelling_freq("ressourceteamet"), 1u);
  std::size_t words = 0;
  for (auto t = db_->allterms_begin(); t != db_->allterms_end(); ++t) {
    const std::string& term = *t;
    if (term[0] >= 'A' && term[0] <= 'Z') continue;  // prefixed
    if (!referat::indexer::is_spelling_word(term)) continue;
    ++words;
    ASSERT_EQ(spelling_freq(term), t.get_termfreq()) << term;
  }
  EXPECT_GT(words, 3000u);
}

TEST_F(CorpusIndex, XapianCheckPasses) {
  std::string cmd = "xapian-check '" + (tmp_->path() / "db").string() + "' > /dev/null 2>&1";
  EXPECT_EQ(std::system(cmd.c_str()), 0);
}

TEST(IndexWriter, CompactKeepsEverything) {
  TempDir tmp;
  std::string path = (tmp / "db").string();
  RunResult r = run_index({"--db", path, "--compact", "--flush-mb", "0", corpus_dir().string()});
  ASSERT_EQ(r.exit_code, kExitOk) << r.output;
  EXPECT_NE(r.output.find("66 added"), std::string::npos) << r.output;
  Xapian::Database db(path);
  EXPECT_EQ(db.get_doccount(), 66u);
  EXPECT_EQ(db.get_metadata(schema::kSchemaVersionKey), std::to_string(schema::kSchemaVersion));
  EXPECT_TRUE(fs::exists(tmp / "db")) << "compacted folder swapped in";
  EXPECT_FALSE(fs::exists(tmp / "db.compact-tmp"));
  EXPECT_FALSE(fs::exists(tmp / "db.compact-old"));
  std::string check = "xapian-check '" + path + "' > /dev/null 2>&1";
  EXPECT_EQ(std::system(check.c_str()), 0);
  // Still incremental afterwards.
  r = run_index({"--db", path, corpus_dir().string()});
  EXPECT_EQ(r.exit_code, kExitOk);
  EXPECT_NE(r.output.find("5 unchanged"), std::string::npos) << r.output;
}

TEST(IndexWriter, RefusesAnotherSchemaVersion) {
  TempDir tmp;
  std::string path = (tmp / "db").string();
  {
    Xapian::WritableDatabase db(path, Xapian::DB_CREATE_OR_OPEN);
    db.set_metadata(schema::kSchemaVersionKey, "999");
    db.commit();
  }
  IndexOptions opt;
  opt.db_path = path;
  try {
    index_paths({corpus_files().front().string()}, opt);
    FAIL() << "expected a schema version error";
  } catch (const std::runtime_error& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("schema version 999"), std::string::npos) << msg;
    EXPECT_NE(msg.find("schema version " + std::to_string(schema::kSchemaVersion)),
              std::string::npos)
        << msg;
  }
  EXPECT_EQ(Xapian::Database(path).get_doccount(), 0u);
  // The command line says the same and exits with 2.
  RunResult r = run_index({"--db", path, corpus_files().front().string()});
  EXPECT_EQ(r.exit_code, kExitFailed);
  EXPECT_NE(r.output.find("schema version 999"), std::string::npos) << r.output;
}

// A negative --flush-mb printed a range ending in a 309-digit number.
TEST(IndexCli, NegativeFlushSizeIsRefusedPlainly) {
  TempDir tmp;
  RunResult r = run_index({"--db", (tmp / "db").string(), "--flush-mb", "-1", corpus_files().front().string()});
  EXPECT_EQ(r.exit_code, kExitFailed);
  EXPECT_NE(r.output.find("--flush-mb: must be a number from 0 to 1000000, not -1"), std::string::npos) << r.output;
  EXPECT_LT(r.output.size(), 300u) << r.output;
  for (const char* v : {"inf", "1e300", "nan", "12x"}) {  // inf reached a size_t cast (UB)
    r = run_index({"--db", (tmp / "db").string(), "--flush-mb", v, corpus_files().front().string()});
    EXPECT_EQ(r.exit_code, kExitFailed) << v;
  }
}

TEST(IndexWriter, BadFilesAreReportedAndSkipped) {
  TempDir tmp;
  copy_corpus(tmp / "in");
  write_text(tmp / "in" / "empty.txt", "");
  write_text(tmp / "in" / "notes.txt", "Indkøbsliste\n\nmælk, brød\n");
  write_text(tmp / "in" / "broken.pdf", "%PDF-1.4 this is not really a pdf");
  IndexOptions opt;
  opt.db_path = (tmp / "db").string();
  IndexSummary s = index_paths({(tmp / "in").string()}, opt);
  EXPECT_EQ(s.files_indexed, 5u);
  EXPECT_EQ(s.files_rejected, 3u);
  EXPECT_EQ(s.items_added, 66u);
  for (const char* name : {"empty.txt", "notes.txt", "broken.pdf"}) {
    bool reported = false;
    for (const auto& d : s.diagnostics)
      reported |= d.severity == Diagnostic::Severity::Error &&
                  d.file.find(name) != std::string::npos;
    EXPECT_TRUE(reported) << name;
  }
  EXPECT_EQ(Xapian::Database(opt.db_path).get_doccount(), 66u);

  RunResult r = run_index({"--db", (tmp / "db2").string(), (tmp / "in").string()});
  EXPECT_EQ(r.exit_code, kExitSomeRejected) << r.output;
  EXPECT_NE(r.output.find("broken.pdf"), std::string::npos) << r.output;
  EXPECT_EQ(Xapian::Database((tmp / "db2").string()).get_doccount(), 66u);
}

}  // namespace
}  // namespace referat::indexer::test
