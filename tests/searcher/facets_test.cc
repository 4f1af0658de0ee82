// The facet table (searcher/facets.h): its columns equal the value slots document by document,
// and a Searcher's facet counts follow a re-index once it reopens (the table is rebuilt for the
// new revision) while they stay equal to a brute-force count over the value slots.
#include <algorithm>
#include <gtest/gtest.h>

#include <unistd.h>
#include <xapian.h>

#include <filesystem>
#include <map>
#include <set>
#include <string>

#include "indexer/index_writer.h"
#include "indexer/schema.h"
#include "searcher/facets.h"
#include "searcher/searcher.h"
#include "tests/searcher/corpus_fixture.h"

namespace referat::searcher {
namespace {

namespace fs = std::filesystem;
using Counts = std::map<std::string, std::map<std::string, std::size_t>>;

/// What a column says about one document, decoded back to strings.
std::vector<std::string> values_of(const FacetTable::Column& col, Xapian::docid did) {
  std::vector<std::string> out;
  if (col.start.empty()) {
    if (col.code[did] != 0) out.push_back(col.names[col.code[did] - 1]);
  } else {
    for (auto k = col.start[did]; k < col.start[did + 1]; ++k) out.push_back(col.names[col.codes[k] - 1]);
  }
  return out;
}

/// What the value slot(s) say, split as the facet counts them (empty values are no value; a
/// facet with an extra slot has each value of either slot once, in first-seen order).
std::vector<std::string> slot_values(const Xapian::Document& doc, const FacetSpec& spec) {
  std::string v = doc.get_value(spec.slot);
  std::vector<std::string> out;
  if (!spec.list) {
    if (!v.empty()) out.push_back(v);
    return out;
  }
  for (Xapian::valueno slot : {spec.slot, spec.extra_slot}) {
    if (slot == Xapian::BAD_VALUENO) continue;
    for (auto& s : schema::unserialise_list(doc.get_value(slot)))
      if (!s.empty() && std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
  }
  return out;
}

/// Facet counts of every match of `query` (the query language), read slot by slot from each
/// matching document: independent of FacetTable.
Counts brute_force(const std::string& db_path, const std::string& query) {
  Searcher s(db_path);
  SearchRequest req;
  req.query = query;
  req.all = true;
  req.facets = false;
  req.snippet_bytes = 0;
  std::set<std::string> ids;
  for (const auto& h : s.search(req).hits) ids.insert(h.id);
  Xapian::Database db(db_path);
  Counts out;
  for (const auto& id : ids) {
    auto pl = db.postlist_begin(schema::kIdPrefix + id);
    Xapian::Document doc = db.get_document(*pl);
    for (const auto& spec : facet_specs())
      for (const auto& v : slot_values(doc, spec)) ++out[spec.name][v];
  }
  return out;
}

Counts counts(const SearchResult& r) {
  Counts out;
  for (const auto& f : r.facets)
    for (const auto& v : f.values) out[f.name][v.value] = v.count;
  return out;
}

SearchResult faceted(Searcher& s, const std::string& query) {
  SearchRequest req;
  req.query = query;
  req.snippet_bytes = 0;
  return s.search(req);
}

TEST(FacetTable, ColumnsEqualTheValueSlots) {
  Xapian::Database db(test::corpus().db_path);
  FacetTable table(db);
  ASSERT_EQ(table.size(), db.get_lastdocid() + 1);
  ASSERT_EQ(table.columns().size(), facet_specs().size());
  std::size_t with_outcomes = 0;
  for (Xapian::docid did = 1; did <= db.get_lastdocid(); ++did) {
    Xapian::Document doc = db.get_document(did);
    for (std::size_t i = 0; i < facet_specs().size(); ++i)
      EXPECT_EQ(values_of(table.columns()[i], did), slot_values(doc, facet_specs()[i]))
          << "docid " << did << ", facet " << facet_specs()[i].name;
    if (!slot_values(doc, facet_specs()[3]).empty()) ++with_outcomes;
  }
  EXPECT_GT(with_outcomes, 10u);  // the multi-valued column is really exercised
  EXPECT_GT(table.memory_bytes(), 0u);
}

// Date-sorted pages with facets are chosen from the table's dates (searcher.cc); without facets
// Xapian sorts every match. Both must give the same page, also where many items share a date
// (every item of a meeting does) and across page boundaries.
TEST(FacetTable, DateSortedPagesEqualXapiansSort) {
  Searcher& s = test::searcher();
  for (const char* q : {"", "budget", "borgere OR ledighed", "kategori:D", "social indsats"}) {
    for (Sort sort : {Sort::DateDesc, Sort::DateAsc, Sort::Relevance}) {
      for (std::size_t offset : {0u, 3u, 10u, 20u, 60u}) {
        for (std::size_t limit : {1u, 5u, 10u}) {
          SearchRequest req;
          req.query = q;
          req.sort = sort;
          req.offset = offset;
          req.limit = limit;
          req.snippet_bytes = 0;
          SearchRequest plain = req;
          plain.facets = false;
          auto a = s.search(req), b = s.search(plain);
          std::vector<std::string> ida, idb;
          for (const auto& h : a.hits) ida.push_back(h.id);
          for (const auto& h : b.hits) idb.push_back(h.id);
          EXPECT_EQ(ida, idb) << "query '" << q << "', sort " << static_cast<int>(sort) << ", offset " << offset
                              << ", limit " << limit;
        }
      }
    }
  }
}

// Counting happens in the ranking pass for --all and for queries with phrases, in a separate
// BoolWeight pass otherwise (searcher.cc): every mode gives the same exact total and facets, equal
// to the value slots of the matching items.
TEST(FacetTable, OneAndTwoPassCountsAgree) {
  Searcher& s = test::searcher();
  for (const char* q : {"\"negativ social kontrol\"", "\"social kontrol\" borgere", "titel:\"budget 2022\"",
                        "budget", "social indsats", "borgere OR ledighed"}) {
    SearchRequest top;
    top.query = q;
    top.snippet_bytes = 0;
    SearchRequest all = top, count = top;
    all.all = true;
    count.limit = 0;
    auto a = s.search(top), b = s.search(all), c = s.search(count);
    EXPECT_TRUE(a.total_exact && b.total_exact && c.total_exact) << q;
    EXPECT_EQ(a.total, b.hits.size()) << q;
    EXPECT_EQ(c.total, b.hits.size()) << q;
    EXPECT_EQ(counts(a), counts(b)) << q;
    EXPECT_EQ(counts(c), counts(b)) << q;
    EXPECT_EQ(counts(b), brute_force(test::corpus().db_path, q)) << q;
  }
}

TEST(FacetTable, CountsFollowAReindexAfterReopen) {
  // An index of three corpus files, then the other two added and one file replaced by an edited
  // copy (new committee and date: its old items are deleted, leaving docid gaps).
  fs::path dir = fs::temp_directory_path() / ("referat-facets-test-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "src");
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(fs::path(test::source_dir()) / "corpus"))
    if (e.path().extension() == ".txt") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  ASSERT_EQ(files.size(), 5u);
  for (std::size_t i = 0; i < 3; ++i) fs::copy_file(files[i], dir / "src" / files[i].filename());
  indexer::IndexOptions opts;
  opts.db_path = (dir / "db").string();
  opts.jobs = 1;
  indexer::index_paths({(dir / "src").string()}, opts);

  const std::vector<std::string> queries = {"", "budget", "borgere OR ledighed", "udvalg:BSU"};
  Searcher s(opts.db_path);
  Counts before = counts(faceted(s, ""));
  for (const auto& q : queries) EXPECT_EQ(counts(faceted(s, q)), brute_force(opts.db_path, q)) << q;

  for (std::size_t i = 3; i < 5; ++i) fs::copy_file(files[i], dir / "src" / files[i].filename());
  indexer::IndexOptions changed = opts;
  changed.overrides.committee = "Økonomiudvalget";
  changed.overrides.date = "2019-06-04";
  indexer::index_paths({(dir / "src").string()}, opts);
  indexer::index_paths({(dir / "src" / files[0].filename()).string()}, changed);

  // (Without reopen() the old snapshot may be gone: Xapian then throws DatabaseModifiedError.)
  s.reopen();
  Counts after = counts(faceted(s, ""));
  EXPECT_NE(after, before);
  for (const auto& q : queries) EXPECT_EQ(counts(faceted(s, q)), brute_force(opts.db_path, q)) << q;
  Searcher fresh(opts.db_path);
  EXPECT_EQ(after, counts(faceted(fresh, "")));
  fs::remove_all(dir);
}

TEST(FacetTable, FollowAFirstShardedBuildThatKeepsTheRevision) {
  // A Searcher opened on the empty database of a first run; the sharded first build (jobs > 1)
  // swaps in the merged database, which can have the same revision number. The facet table
  // and the matcher's sets must still be rebuilt (they were kept, and a bitset sized for the
  // empty database was written past its end).
  fs::path dir = fs::temp_directory_path() / ("referat-facets-shards-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "src");
  fs::create_directories(dir / "empty");
  for (const auto& e : fs::directory_iterator(fs::path(test::source_dir()) / "corpus"))
    if (e.path().extension() == ".txt") fs::copy_file(e.path(), dir / "src" / e.path().filename());
  indexer::IndexOptions opts;
  opts.db_path = (dir / "db").string();
  opts.jobs = 2;
  opts.shards = true;  // the first build that swaps in a merged database
  indexer::index_paths({(dir / "empty").string()}, opts);  // the target exists, empty
  Searcher s(opts.db_path);
  EXPECT_EQ(faceted(s, "").total, 0u);
  indexer::index_paths({(dir / "src").string()}, opts);
  s.reopen();
  const std::vector<std::string> queries = {"", "budget", "borgere OR ledighed", "udvalg:BSU"};
  for (const auto& q : queries) {
    SearchResult r = faceted(s, q);
    EXPECT_EQ(counts(r), brute_force(opts.db_path, q)) << q;
    if (q.empty()) {
      EXPECT_EQ(r.total, 66u);
    }
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace referat::searcher
