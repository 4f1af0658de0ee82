// Incremental and atomic indexing: unchanged runs, edits, deleted items, --prune, kill -9.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <set>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <xapian.h>

#include "indexer/document_builder.h"
#include "indexer/index_writer.h"
#include "indexer/schema.h"
#include "tests/indexer/test_util.h"

namespace referat::indexer::test {
namespace {

using nlohmann::json;

const std::string kFile002 = "002_36e04387dfc35aea.txt";
const std::string kFile004 = "004_1dd16286e56b577e.txt";

std::map<std::string, Xapian::docid> docids_by_id(const Xapian::Database& db) {
  std::map<std::string, Xapian::docid> out;
  for (auto it = db.allterms_begin("Q"); it != db.allterms_end("Q"); ++it)
    out[(*it).substr(1)] = *db.postlist_begin(*it);
  return out;
}

// The corpus is indexed once per suite into a template database; each test restores the corpus
// copy and starts from a copy of the template (the file keys are the same absolute paths).
class Incremental : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    suite_ = new TempDir();
    copy_corpus(suite_->path() / "in");
    IndexOptions opt;
    opt.db_path = (suite_->path() / "template-db").string();
    opt.jobs = 2;
    first_ = new IndexSummary(index_paths({(suite_->path() / "in").string()}, opt));
  }
  static void TearDownTestSuite() {
    delete first_;
    delete suite_;
  }
  void SetUp() override {
    fs::path in = suite_->path() / "in";
    fs::remove_all(in);
    copy_corpus(in);
    fs::path db = suite_->path() / "db";
    fs::remove_all(db);
    fs::copy(suite_->path() / "template-db", db, fs::copy_options::recursive);
    opt_.db_path = db.string();
    opt_.jobs = 2;
    tmp_ = suite_->path();
  }
  IndexSummary run() { return index_paths({(tmp_ / "in").string()}, opt_); }

  static TempDir* suite_;
  static IndexSummary* first_;
  fs::path tmp_;
  IndexOptions opt_;
};
TempDir* Incremental::suite_ = nullptr;
IndexSummary* Incremental::first_ = nullptr;

TEST_F(Incremental, UnchangedRunChangesNothing) {
  ASSERT_EQ(first_->items_added, 66u);
  Xapian::rev before = Xapian::Database(opt_.db_path).get_revision();
  auto ids_before = docids_by_id(Xapian::Database(opt_.db_path));
  IndexSummary s = run();
  EXPECT_EQ(s.files_unchanged, 5u);
  EXPECT_EQ(s.files_indexed, 0u);
  EXPECT_EQ(s.items_added + s.items_replaced + s.items_deleted, 0u);
  Xapian::Database db(opt_.db_path);
  EXPECT_EQ(db.get_revision(), before);  // not even a new (empty) commit
  EXPECT_EQ(docids_by_id(db), ids_before);
}

std::map<std::string, std::string> data_by_id(const Xapian::Database& db) {
  std::map<std::string, std::string> out;
  for (auto it = db.allterms_begin("Q"); it != db.allterms_end("Q"); ++it)
    out[(*it).substr(1)] = db.get_document(*db.postlist_begin(*it)).get_data();
  return out;
}

TEST_F(Incremental, EditingOneFileReplacesOnlyItsItems) {
  auto before = data_by_id(Xapian::Database(opt_.db_path));
  std::string text = read_text(tmp_ / "in" / kFile002);
  // 002 item 3's title line; add a word no other item has.
  std::string anchor = "Punkt 3: ";
  auto at = text.find(anchor);
  ASSERT_NE(at, std::string::npos);
  text.insert(at + anchor.size(), "Blæksprutteudvalg ");
  write_text(tmp_ / "in" / kFile002, text);

  IndexSummary s = run();
  EXPECT_EQ(s.files_indexed, 1u);
  EXPECT_EQ(s.files_unchanged, 4u);
  EXPECT_EQ(s.items_replaced, 15u);  // exactly the items of 002 went through replace_document
  EXPECT_EQ(s.items_added, 0u);
  EXPECT_EQ(s.items_deleted, 0u);

  Xapian::Database db(opt_.db_path);
  EXPECT_EQ(db.get_doccount(), 66u);
  EXPECT_EQ(db.get_termfreq("blæksprutteudvalg"), 1u);
  EXPECT_EQ(db.get_termfreq("Sblæksprutteudvalg"), 1u);
  auto after = data_by_id(db);
  ASSERT_EQ(after.size(), before.size());
  std::size_t changed = 0;
  for (const auto& [id, data] : after) {
    if (data == before[id]) continue;
    ++changed;
    EXPECT_EQ(id, "beskaeftigelses-og-socialudvalget/2021-10-26/3");
    EXPECT_EQ(json::parse(data)["title"].get<std::string>().rfind("Blæksprutteudvalg ", 0), 0u);
  }
  EXPECT_EQ(changed, 1u);
}

TEST_F(Incremental, RemovingAnItemDeletesIt) {
  std::string text = read_text(tmp_ / "in" / kFile004);
  auto at = text.find("Punkt 13:");
  ASSERT_NE(at, std::string::npos);
  write_text(tmp_ / "in" / kFile004, text.substr(0, at));
  Xapian::Database before(opt_.db_path);
  std::set<std::string> ids_before;
  for (const auto& [id, did] : docids_by_id(before)) ids_before.insert(id);

  IndexSummary s = run();
  EXPECT_EQ(s.files_indexed, 1u);
  EXPECT_EQ(s.items_deleted, 1u);
  EXPECT_EQ(s.items_replaced, 12u);
  Xapian::Database db(opt_.db_path);
  EXPECT_EQ(db.get_doccount(), 65u);
  std::set<std::string> ids_after;
  for (const auto& [id, did] : docids_by_id(db)) ids_after.insert(id);
  std::vector<std::string> gone;
  std::set_difference(ids_before.begin(), ids_before.end(), ids_after.begin(), ids_after.end(),
                      std::back_inserter(gone));
  ASSERT_EQ(gone.size(), 1u);
  EXPECT_EQ(gone[0].substr(gone[0].rfind('/')), "/13");
  // The file record lists 12 ids now.
  json rec = json::parse(db.get_metadata(std::string(schema::kFileKeyPrefix) +
                                         file_key(tmp_ / "in" / kFile004)));
  EXPECT_EQ(rec["ids"].size(), 12u);
}

TEST_F(Incremental, PruneRemovesItemsOfVanishedFiles) {
  fs::remove(tmp_ / "in" / kFile004);
  IndexSummary s = run();  // without --prune nothing is deleted
  EXPECT_EQ(s.items_deleted, 0u);
  EXPECT_EQ(Xapian::Database(opt_.db_path).get_doccount(), 66u);
  opt_.prune = true;
  s = run();
  EXPECT_EQ(s.items_deleted, 13u);
  Xapian::Database db(opt_.db_path);
  EXPECT_EQ(db.get_doccount(), 53u);
  EXPECT_TRUE(db.get_metadata(std::string(schema::kFileKeyPrefix) +
                              file_key(tmp_ / "in" / kFile004)).empty());
}

// Two files of one meeting (a copy, a PDF beside its text, a corrected version): the items keep
// the first file, the second file's items are reported and left out (it used to replace them
// silently, and pruning it then deleted the first file's items for good), and the second file
// is read again on each run, so its items come in once the first file is gone.
TEST_F(Incremental, AnItemIdHeldByAnotherFileIsReportedAndKept) {
  const fs::path copy = tmp_ / "in" / ("zz_copy_of_" + kFile002);
  fs::copy_file(tmp_ / "in" / kFile002, copy);
  const auto before = docids_by_id(Xapian::Database(opt_.db_path));
  IndexSummary s = run();
  EXPECT_EQ(s.files_indexed, 1u);
  EXPECT_EQ(s.items_added + s.items_replaced, 0u);
  EXPECT_EQ(s.items_conflicting, 15u);
  std::size_t errors = 0;
  for (const auto& d : s.diagnostics)
    if (d.severity == Diagnostic::Severity::Error) {
      ++errors;
      EXPECT_EQ(d.file, copy.string());
      EXPECT_GT(d.line, 0) << "the line of its \"Punkt N:\"";
      EXPECT_NE(d.message.find("already taken by " + (tmp_ / "in" / kFile002).string()), std::string::npos) << d.message;
    }
  EXPECT_EQ(errors, 15u);
  EXPECT_EQ(docids_by_id(Xapian::Database(opt_.db_path)), before) << "nothing replaced";
  // Still clashing: read again and reported again, nothing else moves.
  s = run();
  EXPECT_EQ(s.files_indexed, 1u);
  EXPECT_EQ(s.files_unchanged, 5u);
  EXPECT_EQ(s.items_conflicting, 15u);
  // Removing the copy and pruning keeps the original's items.
  fs::remove(copy);
  opt_.prune = true;
  s = run();
  EXPECT_EQ(s.items_deleted, 0u);
  EXPECT_EQ(Xapian::Database(opt_.db_path).get_doccount(), 66u);
  // The other way round: the original goes, the copy (read again) takes its items.
  fs::copy_file(tmp_ / "in" / kFile002, copy);
  run();
  fs::remove(tmp_ / "in" / kFile002);
  s = run();
  EXPECT_EQ(s.items_conflicting, 0u);
  EXPECT_EQ(s.items_deleted + s.items_replaced, 15u);
  Xapian::Database db(opt_.db_path);
  EXPECT_EQ(db.get_doccount(), 66u);
  EXPECT_EQ(db.get_termfreq(std::string(schema::kSourcePrefix) + file_key(copy)), 15u);
}

// An item that moves from one file of a meeting to another (the meeting in two files, items
// renumbered) is written once the file holding it has given it up in the same run: it used to be
// refused, and missing until the next run.
TEST(Clashes, AnItemMovingBetweenTwoFilesOfAMeetingIsNotLost) {
  TempDir tmp;
  auto items = [](int from, int to) {
    std::string t;
    for (int n = from; n <= to; ++n)
      t += "Punkt " + std::to_string(n) + ": Sag nummer " + std::to_string(n) + "\n\nResume\nTekst om sag " +
           std::to_string(n) + ".\n\n";
    return t;
  };
  fs::create_directories(tmp / "in");
  write_text(tmp / "in" / "a.txt", items(1, 3));
  write_text(tmp / "in" / "b.txt", items(4, 6));
  IndexOptions opt;
  opt.db_path = (tmp / "db").string();
  opt.jobs = 1;
  opt.overrides.committee = "BSU";
  opt.overrides.date = "2016-10-11";
  IndexSummary s = index_paths({(tmp / "in").string()}, opt);
  ASSERT_EQ(s.items_added, 6u);
  write_text(tmp / "in" / "a.txt", items(1, 4));
  write_text(tmp / "in" / "b.txt", items(5, 6));
  s = index_paths({(tmp / "in").string()}, opt);
  EXPECT_EQ(s.items_conflicting, 0u);
  for (const auto& d : s.diagnostics) EXPECT_NE(d.severity, Diagnostic::Severity::Error) << d.to_string();
  Xapian::Database db(opt.db_path);
  EXPECT_EQ(db.get_doccount(), 6u);
  const std::string id4 = "Qbeskaeftigelses-og-socialudvalget/2016-10-11/4";
  ASSERT_TRUE(db.term_exists(id4));
  Xapian::Document d4 = db.get_document(*db.postlist_begin(id4));
  EXPECT_NE(d4.get_data().find("a.txt"), std::string::npos) << "item 4 is a.txt's now";
  // And nothing is left to read again.
  s = index_paths({(tmp / "in").string()}, opt);
  EXPECT_EQ(s.files_unchanged, 2u);
}

// --prune deletes what it does not find: a folder that is missing or empty (an unmounted share),
// given or reached through a link, stops it, and the run says so.
TEST_F(Incremental, PruneIsNotDoneWhenAFolderIsEmptyOrMissing) {
  // Copies of the undated file 004 under other names: other ids (the name stands in for the date).
  const fs::path share = tmp_ / "share", mount = tmp_ / "mount";
  const std::string in_share = "s" + kFile004, in_mount = "m" + kFile004;
  fs::create_directories(share);
  fs::create_directories(mount);
  fs::copy_file(tmp_ / "in" / kFile004, share / in_share);
  fs::copy_file(tmp_ / "in" / kFile004, mount / in_mount);
  fs::create_directory_symlink(mount, tmp_ / "in" / "linked-share");
  IndexSummary s = index_paths({(tmp_ / "in").string(), share.string()}, opt_);
  ASSERT_EQ(s.files_rejected, 0u);
  ASSERT_EQ(s.items_conflicting, 0u);
  ASSERT_EQ(Xapian::Database(opt_.db_path).get_doccount(), 66u + 2 * 13u);
  opt_.prune = true;
  auto expect_nothing_pruned = [&](const std::string& what) {
    IndexSummary r = index_paths({(tmp_ / "in").string(), share.string()}, opt_);
    EXPECT_EQ(r.items_deleted, 0u) << what;
    EXPECT_GT(r.files_rejected, 0u) << what;
    bool said = false;
    for (const auto& d : r.diagnostics) said |= d.message.find("--prune not done") != std::string::npos;
    EXPECT_TRUE(said) << what;
    EXPECT_EQ(Xapian::Database(opt_.db_path).get_doccount(), 66u + 2 * 13u) << what;
  };
  // The given share "unmounted": its folder is empty.
  fs::rename(share / in_share, tmp_ / in_share);
  expect_nothing_pruned("empty given folder");
  fs::rename(tmp_ / in_share, share / in_share);
  // The linked share unmounted.
  fs::rename(mount / in_mount, tmp_ / in_mount);
  expect_nothing_pruned("empty linked folder");
  fs::rename(tmp_ / in_mount, mount / in_mount);
  // The given share gone altogether.
  fs::rename(share, tmp_ / "share-away");
  expect_nothing_pruned("missing folder");
  // Everything back, and one file really removed: pruned as before.
  fs::rename(tmp_ / "share-away", share);
  fs::rename(share / in_share, share / ("t" + kFile004));
  IndexSummary r = index_paths({(tmp_ / "in").string(), share.string()}, opt_);
  EXPECT_EQ(r.items_added, 13u);
  EXPECT_EQ(r.items_deleted, 13u);
}

// A file indexed under one spelling and later reached under another (its folder given through a
// link) is the same file: it takes its items over, with no clash, and the old record goes.
TEST_F(Incremental, OneFileUnderTwoSpellingsIsOneFile) {
  fs::create_directory_symlink(tmp_ / "in", tmp_ / "in-link");
  IndexSummary s = index_paths({(tmp_ / "in-link").string()}, opt_);
  EXPECT_EQ(s.items_conflicting, 0u);
  EXPECT_EQ(s.items_replaced, 66u);
  EXPECT_EQ(s.files_indexed, 5u);
  // Edited: re-read under the new spelling; an item removed from it is deleted.
  const fs::path f = tmp_ / "in" / kFile002;
  std::string text = read_text(f);
  text = text.substr(0, text.rfind("Punkt 15:"));
  write_text(f, text);
  s = index_paths({(tmp_ / "in-link").string()}, opt_);
  EXPECT_EQ(s.files_indexed, 1u);
  EXPECT_EQ(s.items_deleted, 1u);
  EXPECT_EQ(s.items_conflicting, 0u);
  Xapian::Database db(opt_.db_path);
  EXPECT_EQ(db.get_doccount(), 65u);
  std::size_t records = 0;
  for (auto k = db.metadata_keys_begin(schema::kFileKeyPrefix); k != db.metadata_keys_end(schema::kFileKeyPrefix); ++k)
    if (!db.get_metadata(*k).empty()) ++records;
  EXPECT_EQ(records, 5u) << "the old spelling's records are gone";
}

// --committee/--date are part of what a file's documents depend on: changing them re-indexes the
// file under the new ids and deletes the old ones.
TEST(Overrides, ChangingTheDateReindexesUnderNewIds) {
  TempDir tmp;
  fs::path file = corpus_dir() / kFile004;
  std::string db = (tmp / "db").string();
  RunResult r = run_index({"--db", db, "--committee", "BSU", "--date", "2016-10-11", file.string()});
  ASSERT_EQ(r.exit_code, kExitOk) << r.output;
  {
    Xapian::Database d(db);
    EXPECT_EQ(d.get_doccount(), 13u);
    EXPECT_TRUE(d.term_exists("Qbeskaeftigelses-og-socialudvalget/2016-10-11/1"));
    EXPECT_EQ(d.get_termfreq("D20161011"), 13u);
  }
  r = run_index({"--db", db, "--committee", "BSU", "--date", "2016-10-12", file.string()});
  ASSERT_EQ(r.exit_code, kExitOk) << r.output;
  EXPECT_NE(r.output.find("13 added, 0 replaced, 13 deleted"), std::string::npos) << r.output;
  Xapian::Database d(db);
  EXPECT_EQ(d.get_doccount(), 13u);
  EXPECT_FALSE(d.term_exists("Qbeskaeftigelses-og-socialudvalget/2016-10-11/1"));
  EXPECT_TRUE(d.term_exists("Qbeskaeftigelses-og-socialudvalget/2016-10-12/1"));
  EXPECT_EQ(d.get_termfreq("D20161011"), 0u);
}

TEST_F(Incremental, UserSynonymFile) {
  write_text(tmp_ / "syn.txt", "# comment\nledighed = arbejdsløshed, Jobløshed\n\n");
  opt_.synonyms_file = (tmp_ / "syn.txt").string();
  run();
  {
    Xapian::Database db(opt_.db_path);
    std::vector<std::string> syn(db.synonyms_begin("ledighed"), db.synonyms_end("ledighed"));
    EXPECT_EQ(syn, (std::vector<std::string>{"arbejdsløshed", "jobløshed"}));
  }
  write_text(tmp_ / "syn.txt", "ledighed = arbejdsløshed\n");
  run();
  Xapian::Database db(opt_.db_path);
  std::vector<std::string> syn(db.synonyms_begin("ledighed"), db.synonyms_end("ledighed"));
  EXPECT_EQ(syn, std::vector<std::string>{"arbejdsløshed"});

  // The built-in abbreviations are there; a line of the user's file replaces one of them.
  std::vector<std::string> kco(db.synonyms_begin("kco"), db.synonyms_end("kco"));
  EXPECT_EQ(kco, std::vector<std::string>{"krisecenter odense"});
  write_text(tmp_ / "syn.txt", "KCO = Krisecentret i Odense\nbostøtte = boligstøtte\n");
  run();
  auto syns = [&](const std::string& k) {
    Xapian::Database d(opt_.db_path);
    return std::vector<std::string>(d.synonyms_begin(k), d.synonyms_end(k));
  };
  EXPECT_EQ(syns("kco"), std::vector<std::string>{"krisecentret i odense"});
  EXPECT_TRUE(syns("ledighed").empty()) << "removed from the file";
  // A later run without --synonyms keeps the user's rules (and their override of a built-in).
  opt_.synonyms_file.clear();
  run();
  EXPECT_EQ(syns("bostøtte"), std::vector<std::string>{"boligstøtte"});
  EXPECT_EQ(syns("kco"), std::vector<std::string>{"krisecentret i odense"});
  // A file without the override brings the built-in line back.
  opt_.synonyms_file = (tmp_ / "syn.txt").string();
  write_text(tmp_ / "syn.txt", "bostøtte = boligstøtte\n");
  run();
  EXPECT_EQ(syns("kco"), std::vector<std::string>{"krisecenter odense"});

  write_text(tmp_ / "bad.txt", "ledighed arbejdsløshed\n");
  opt_.synonyms_file = (tmp_ / "bad.txt").string();
  EXPECT_THROW(run(), std::runtime_error);
}

TEST_F(Incremental, ReaderKeepsTheLastCommittedState) {
  Xapian::Database reader(opt_.db_path);
  fs::remove(tmp_ / "in" / kFile004);
  opt_.prune = true;
  run();
  // The open reader still answers from the revision it opened...
  EXPECT_EQ(reader.get_doccount(), 66u);
  // ...and sees the new state after reopen().
  reader.reopen();
  EXPECT_EQ(reader.get_doccount(), 53u);
}

// kill -9 in the middle of an incremental run (the single writer; a first build into an empty
// database is sharded, tests/indexer/shards_test.cc): the database must open, hold only whole
// files (each file's record matches the items that carry its XS term), and a re-run must
// complete it.
TEST(KillDuringIndexing, DatabaseHoldsOnlyWholeFilesAndRerunCompletes) {
  TempDir tmp;
  copy_corpus(tmp / "in");
  std::string db_path = (tmp / "db").string();
  // The database already holds the first file, so the run below is incremental.
  RunResult first = run_index({"--db", db_path, (tmp / "in" / corpus_files().front().filename()).string()});
  ASSERT_EQ(first.exit_code, kExitOk) << first.output;
  const Xapian::doccount initial = Xapian::Database(db_path).get_doccount();
  ASSERT_GT(initial, 0u);
  // Commit after every file and sleep after each, so there is time to kill between and during
  // commits.
  int pid = spawn_index({"--db", db_path, "--flush-mb", "0", "--jobs", "2", (tmp / "in").string()},
                        {{"REFERAT_TEST_SLOW_COMMIT_MS", "700"}}, tmp / "log.txt");
  Xapian::doccount seen = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    try {
      seen = Xapian::Database(db_path).get_doccount();
    } catch (const Xapian::Error&) {
    }
    if (seen > initial) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_GT(seen, initial) << read_text(tmp / "log.txt");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the indexer finished before it was killed";

  std::size_t whole_files = 0;
  {
    Xapian::Database db(db_path);
    Xapian::doccount count = db.get_doccount();
    EXPECT_GT(count, initial);
    EXPECT_LT(count, 66u);
    std::size_t recorded = 0;
    for (auto k = db.metadata_keys_begin(schema::kFileKeyPrefix);
         k != db.metadata_keys_end(schema::kFileKeyPrefix); ++k) {
      json rec = json::parse(db.get_metadata(*k));
      std::string key = (*k).substr(std::string(schema::kFileKeyPrefix).size());
      EXPECT_EQ(db.get_termfreq(std::string(schema::kSourcePrefix) + key), rec["ids"].size());
      for (const auto& id : rec["ids"])
        EXPECT_TRUE(db.term_exists(std::string(schema::kIdPrefix).append(id.get<std::string>()))) << id;
      recorded += rec["ids"].size();
      ++whole_files;
    }
    EXPECT_EQ(recorded, count);  // no item without its file's record
  }
  std::string check = "xapian-check '" + db_path + "' > /dev/null 2>&1";
  EXPECT_EQ(std::system(check.c_str()), 0);

  RunResult r = run_index({"--db", db_path, (tmp / "in").string()});
  EXPECT_EQ(r.exit_code, kExitOk) << r.output;
  Xapian::Database db(db_path);
  EXPECT_EQ(db.get_doccount(), 66u);
  IndexOptions opt;
  opt.db_path = db_path;
  IndexSummary again = index_paths({(tmp / "in").string()}, opt);
  EXPECT_EQ(again.files_unchanged, 5u);
  EXPECT_GE(whole_files, 1u);
}

}  // namespace
}  // namespace referat::indexer::test
