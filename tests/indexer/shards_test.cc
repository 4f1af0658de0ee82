// The shard-parallel first build (IndexOptions::shards) against the single writer: the same
// database content, the same summary, no temporary folder left, and a killed build that a re-run
// completes.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <xapian.h>

#include "indexer/index_writer.h"
#include "indexer/schema.h"
#include "tests/indexer/test_util.h"

namespace referat::indexer::test {
namespace {

// Everything a database holds apart from docids and the commit time, as "section key: value"
// lines sorted by item id: each item's data, terms (wdf, positions) and values; user metadata;
// synonyms; spelling words with their frequencies.
std::vector<std::string> content(const Xapian::Database& db) {
  std::vector<std::string> out;
  for (auto q = db.allterms_begin(schema::kIdPrefix); q != db.allterms_end(schema::kIdPrefix); ++q) {
    out.push_back("item " + *q + " in " + std::to_string(q.get_termfreq()) + " documents");
    Xapian::Document doc = db.get_document(*db.postlist_begin(*q));
    out.push_back("data " + *q + ": " + doc.get_data());
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
      std::ostringstream line;
      line << "term " << *q << ": " << *t << " wdf " << t.get_wdf() << " pos";
      for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p) line << ' ' << *p;
      out.push_back(line.str());
    }
    for (auto v = doc.values_begin(); v != doc.values_end(); ++v)
      out.push_back("value " + *q + ": " + std::to_string(v.get_valueno()) + " " + *v);
  }
  for (auto k = db.metadata_keys_begin(); k != db.metadata_keys_end(); ++k)
    if (*k != schema::kLastCommitKey) out.push_back("metadata " + *k + ": " + db.get_metadata(*k));
  for (auto k = db.synonym_keys_begin(); k != db.synonym_keys_end(); ++k)
    for (auto s = db.synonyms_begin(*k); s != db.synonyms_end(*k); ++s)
      out.push_back("synonym " + *k + ": " + *s);
  for (auto w = db.spellings_begin(); w != db.spellings_end(); ++w)
    out.push_back("spelling " + *w + ": " + std::to_string(w.get_termfreq()));
  return out;
}

// The first line where the two contents differ (empty when equal), for a readable failure.
std::string first_difference(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  for (std::size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
    std::string x = i < a.size() ? a[i] : "(end)", y = i < b.size() ? b[i] : "(end)";
    if (x != y) return "line " + std::to_string(i) + ":\n  single writer: " + x + "\n  sharded:       " + y;
  }
  return "";
}

std::map<std::string, Xapian::docid> docids_by_id(const Xapian::Database& db) {
  std::map<std::string, Xapian::docid> out;
  for (auto it = db.allterms_begin(schema::kIdPrefix); it != db.allterms_end(schema::kIdPrefix); ++it)
    out[(*it).substr(1)] = *db.postlist_begin(*it);
  return out;
}

// Names in `dir` other than the databases themselves: what a build left behind.
std::vector<std::string> leftovers(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    std::string name = e.path().filename().string();
    if (name.find(".shard-") != std::string::npos || name.find("-tmp") != std::string::npos ||
        name.find("-old") != std::string::npos)
      out.push_back(name);
  }
  return out;
}

class Shards : public ::testing::Test {
 protected:
  void SetUp() override {
    copy_corpus(tmp_ / "in");
    write_text(tmp_ / "synonyms.txt", "ledighed = arbejdsløshed, jobløshed\n");
  }
  // Indexes tmp_/in into tmp_/dbs/<name>.
  IndexSummary build(const std::string& name, bool shards, unsigned jobs) {
    fs::create_directories(tmp_ / "dbs");
    IndexOptions opt;
    opt.db_path = (tmp_ / "dbs" / name).string();
    opt.jobs = jobs;
    opt.shards = shards;
    opt.synonyms_file = (tmp_ / "synonyms.txt").string();
    opt.flush_bytes = 64 << 10;  // several commits per shard
    return index_paths({(tmp_ / "in").string()}, opt);
  }
  // Builds with the single writer and with `jobs` shards; expects equal content and summaries.
  void expect_same_as_single_writer(unsigned jobs) {
    IndexSummary one = build("single", false, jobs);
    IndexSummary many = build("sharded", true, jobs);
    EXPECT_EQ(many.files_indexed, one.files_indexed);
    EXPECT_EQ(many.files_rejected, one.files_rejected);
    EXPECT_EQ(many.items_added, one.items_added);
    EXPECT_EQ(many.items_replaced, one.items_replaced);
    EXPECT_EQ(many.items_deleted, one.items_deleted);
    EXPECT_EQ(many.items_conflicting, one.items_conflicting);
    EXPECT_EQ(many.shards, jobs) << "built in shards";
    EXPECT_EQ(one.shards, 0u);
    EXPECT_EQ(many.diagnostics.size(), one.diagnostics.size());
    Xapian::Database a((tmp_ / "dbs" / "single").string()), b((tmp_ / "dbs" / "sharded").string());
    EXPECT_EQ(b.get_doccount(), a.get_doccount());
    std::vector<std::string> ca = content(a), cb = content(b);
    EXPECT_GT(ca.size(), 1000u);
    EXPECT_EQ(first_difference(ca, cb), "");
    EXPECT_EQ(leftovers(tmp_ / "dbs"), std::vector<std::string>{});
  }

  TempDir tmp_;
};

TEST_F(Shards, SameContentAndDocidsAsTheSingleWriter) {
  expect_same_as_single_writer(2);
  // Without an item id in two files, docids follow file order in both.
  EXPECT_EQ(docids_by_id(Xapian::Database((tmp_ / "dbs" / "sharded").string())),
            docids_by_id(Xapian::Database((tmp_ / "dbs" / "single").string())));
}

TEST_F(Shards, AnItemIdInTwoShardsStaysWithTheFirstFileAsWithTheSingleWriter) {
  // A copy of the first file, sorted last: its items' ids are the first file's, in another
  // shard. As the single writer does, the merge keeps the first file's items and reports the
  // copy's (spelling counted once, the copy's record marked to be read again).
  fs::copy_file(corpus_files().front(), tmp_ / "in" / "zzz_copy.txt");
  expect_same_as_single_writer(2);
  IndexSummary again = build("three", true, 3);
  EXPECT_EQ(again.shards, 3u);
  EXPECT_EQ(again.items_conflicting, 10u);
  EXPECT_EQ(again.items_added, 66u);
  EXPECT_EQ(first_difference(content(Xapian::Database((tmp_ / "dbs" / "single").string())),
                             content(Xapian::Database((tmp_ / "dbs" / "three").string()))),
            "");
  // The next run reads the copy again (and reports it again); nothing else changes.
  IndexSummary next = build("three", true, 3);
  EXPECT_EQ(next.shards, 0u) << "an incremental run";
  EXPECT_EQ(next.files_indexed, 1u);
  EXPECT_EQ(next.files_unchanged, 5u);
  EXPECT_EQ(next.items_conflicting, 10u);
  EXPECT_EQ(next.items_added + next.items_replaced + next.items_deleted, 0u);
}

TEST_F(Shards, OnlyAnEmptyTargetIsBuiltInShards) {
  IndexSummary first = build("db", true, 2);
  EXPECT_EQ(first.items_added, 66u);
  // An incremental run (an edited file) goes through the single writer: the other files' items
  // keep their docids, which a merge would have renumbered away from the gap left behind.
  auto before = docids_by_id(Xapian::Database((tmp_ / "dbs" / "db").string()));
  fs::path f = tmp_ / "in" / corpus_files().front().filename();
  write_text(f, read_text(f) + "\n");
  IndexSummary second = build("db", true, 2);
  EXPECT_EQ(second.files_indexed, 1u);
  EXPECT_EQ(second.files_unchanged, 4u);
  EXPECT_EQ(second.items_added, 0u);
  EXPECT_GT(second.items_replaced, 0u);
  Xapian::Database db((tmp_ / "dbs" / "db").string());
  EXPECT_EQ(db.get_doccount(), 66u);
  EXPECT_EQ(docids_by_id(db), before);
}

// A database folder reached through a symlink: the merged build is swapped in at the real
// folder, and the symlink stays a symlink to it (a swap of the link itself would have replaced
// it by a folder).
TEST_F(Shards, ThroughASymlinkTheRealFolderIsReplacedAndTheLinkStays) {
  fs::copy_file(corpus_files().front(), tmp_ / "in" / "zzz_copy.txt");
  build("single", false, 2);
  fs::create_directories(tmp_ / "dbs" / "real");
  fs::create_directory_symlink("real", tmp_ / "dbs" / "link");
  IndexSummary s = build("link", true, 2);
  EXPECT_EQ(s.files_indexed, 6u);
  EXPECT_TRUE(fs::is_symlink(tmp_ / "dbs" / "link"));
  Xapian::Database real((tmp_ / "dbs" / "real").string());
  EXPECT_EQ(real.get_doccount(), 66u);
  EXPECT_EQ(s.shards, 2u);
  EXPECT_EQ(first_difference(content(Xapian::Database((tmp_ / "dbs" / "single").string())), content(real)), "");
  // --compact through the link: the same.
  IndexOptions opt;
  opt.db_path = (tmp_ / "dbs" / "link").string();
  opt.compact = true;
  IndexSummary again = index_paths({(tmp_ / "in").string()}, opt);
  EXPECT_EQ(again.files_unchanged, 5u);  // the copy, whose items clash, is read again
  EXPECT_TRUE(fs::is_symlink(tmp_ / "dbs" / "link"));
  EXPECT_EQ(Xapian::Database((tmp_ / "dbs" / "real").string()).get_doccount(), 66u);
  EXPECT_EQ(leftovers(tmp_ / "dbs"), std::vector<std::string>{});
}

// A Xapian stub file cannot be exchanged for a folder: the first build takes the single writer
// (through the stub, into the database it names), and --compact leaves it alone with a warning.
TEST_F(Shards, AStubFileTargetGetsTheSingleWriterAndIsNotCompacted) {
  fs::copy_file(corpus_files().front(), tmp_ / "in" / "zzz_copy.txt");
  build("single", false, 2);
  Xapian::WritableDatabase((tmp_ / "dbs" / "real").string(), Xapian::DB_CREATE_OR_OPEN).close();
  write_text(tmp_ / "dbs" / "stub", "glass real\n");
  IndexOptions opt;
  opt.db_path = (tmp_ / "dbs" / "stub").string();
  opt.jobs = 2;
  opt.compact = true;
  IndexSummary s = index_paths({(tmp_ / "in").string()}, opt);
  EXPECT_EQ(s.files_indexed, 6u);
  EXPECT_TRUE(fs::is_regular_file(tmp_ / "dbs" / "stub"));
  Xapian::Database real((tmp_ / "dbs" / "real").string());
  EXPECT_EQ(real.get_doccount(), 66u);
  EXPECT_EQ(s.shards, 0u) << "built in shards";
  bool warned = false;
  for (const auto& d : s.diagnostics) warned |= d.message.find("not compacted") != std::string::npos;
  EXPECT_TRUE(warned);
  EXPECT_EQ(leftovers(tmp_ / "dbs"), std::vector<std::string>{});
}

// The two-rename fallback of the swap (file systems without RENAME_EXCHANGE), killed between its
// renames, leaves "<db>.compact-old" and no "<db>": the next run puts it back instead of
// building a new database beside it (which a later swap would delete it for).
TEST_F(Shards, ADatabaseLeftInCompactOldIsPutBack) {
  build("db", true, 2);
  const fs::path db = tmp_ / "dbs" / "db", old = tmp_ / "dbs" / "db.compact-old";
  fs::rename(db, old);
  IndexSummary s = build("db", true, 2);
  EXPECT_EQ(s.files_unchanged, 5u) << "the restored database is used, not a new one";
  EXPECT_EQ(Xapian::Database(db.string()).get_doccount(), 66u);
  EXPECT_FALSE(fs::exists(old));
}

// kill -9 while the shards are being written: the target opens and is empty (valid: a first
// run that has not finished), and a re-run removes the stale shards and completes the build.
TEST(KillDuringShardedBuild, TargetStaysEmptyAndRerunCompletes) {
  TempDir tmp;
  copy_corpus(tmp / "in");
  fs::path db = tmp / "db";
  fs::path shard = tmp / "db.shard-0.tmp";
  int pid = spawn_index({"--db", db.string(), "--flush-mb", "0", "--jobs", "2", (tmp / "in").string()},
                        {{"REFERAT_TEST_SLOW_COMMIT_MS", "700"}}, tmp / "log.txt");
  Xapian::doccount seen = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline && seen == 0) {
    try {
      seen = Xapian::Database(shard.string()).get_doccount();
    } catch (const Xapian::Error&) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_GT(seen, 0u) << read_text(tmp / "log.txt");
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the indexer finished before it was killed";
  {
    Xapian::Database target(db.string());
    EXPECT_EQ(target.get_doccount(), 0u);
    EXPECT_EQ(target.metadata_keys_begin(schema::kFileKeyPrefix),
              target.metadata_keys_end(schema::kFileKeyPrefix));
    EXPECT_EQ(target.get_metadata(schema::kSchemaVersionKey), std::to_string(schema::kSchemaVersion));
  }
  EXPECT_TRUE(fs::exists(shard));
  std::string check = "xapian-check '" + db.string() + "' > /dev/null 2>&1";
  EXPECT_EQ(std::system(check.c_str()), 0);

  RunResult r = run_index({"--db", db.string(), "--jobs", "2", (tmp / "in").string()});
  EXPECT_EQ(r.exit_code, kExitOk) << r.output;
  EXPECT_EQ(Xapian::Database(db.string()).get_doccount(), 66u);
  EXPECT_EQ(leftovers(tmp.path()), std::vector<std::string>{});
}

}  // namespace
}  // namespace referat::indexer::test
