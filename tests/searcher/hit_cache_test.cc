// The hit cache (searcher/hit_cache.h): the LRU keeps its byte budget and evicts the least
// recently used entry; and through the Searcher, hits are the same with the cache warm, cold,
// off, or too small to hold more than an item, on one database and on shards, and a re-indexed
// item (same docid, new data) shows its new fields after reopen().
#include <gtest/gtest.h>

#include <unistd.h>
#include <xapian.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "indexer/index_writer.h"
#include "indexer/schema.h"
#include "searcher/hit_cache.h"
#include "searcher/searcher.h"
#include "tests/searcher/corpus_fixture.h"

namespace referat::searcher {
namespace {

namespace fs = std::filesystem;
using test::corpus;

/// Every field of a hit, the score to the last bit, as one string (readable in a failure).
std::string show(const Hit& h) {
  std::ostringstream o;
  o.precision(17);
  auto opt = [](const std::optional<std::string>& s) { return s ? "'" + *s + "'" : std::string("-"); };
  o << h.rank << " " << h.id << " score=" << h.score << " file=" << h.file << " item=" << h.item
    << " title='" << h.title << "' committee='" << h.committee << "' date=" << opt(h.date)
    << " journal=" << opt(h.journal) << " category=" << opt(h.category) << " decision=" << opt(h.decision)
    << " lines=" << h.first_line << "-" << h.last_line << " outcomes=";
  for (const auto& s : h.outcomes) o << s << ";";
  o << " snippet[" << h.snippet.section << "]='" << h.snippet.text << "' marks=";
  for (const auto& r : h.snippet.highlights) o << r.begin << "-" << r.end << ";";
  o << " explanation='" << h.explanation << "'";
  return o.str();
}

std::vector<std::string> show(const SearchResult& r) {
  std::vector<std::string> out;
  for (const auto& h : r.hits) out.push_back(show(h));
  return out;
}

/// The hits, the total and every facet count.
std::vector<std::string> show_all(const SearchResult& r) {
  std::vector<std::string> out = show(r);
  out.push_back("total " + std::to_string(r.total) + (r.total_exact ? "" : " (ca.)"));
  for (const auto& f : r.facets)
    for (const auto& v : f.values) out.push_back(f.name + ":" + v.value + "=" + std::to_string(v.count));
  return out;
}

/// Requests that take every path of the hit loop: plain words (query terms mark the snippet),
/// wildcards and --explain (per-hit term lists), phrases, filters only (newest first), date
/// sorts, page 2, no snippets, every match, "more like this".
std::vector<SearchRequest> requests() {
  std::vector<SearchRequest> out;
  auto add = [&](const std::string& q, auto&& change) {
    SearchRequest r;
    r.query = q;
    change(r);
    out.push_back(r);
  };
  auto none = [](SearchRequest&) {};
  add("budget", none);
  add("borgere OR ledighed", none);
  add("\"det specialiserede socialområde\"", none);
  add("budg*", none);
  add("kontrol", [](SearchRequest& r) { r.explain = true; });
  add("rob* skole", [](SearchRequest& r) { r.explain = true; });
  add("udvalg:BSU", none);
  add("", [](SearchRequest& r) { r.limit = 20; });
  add("økonomi", [](SearchRequest& r) { r.sort = Sort::DateDesc; });
  add("økonomi", [](SearchRequest& r) { r.sort = Sort::DateAsc; r.offset = 10; });
  add("udvalg", [](SearchRequest& r) { r.snippet_bytes = 0; });
  add("borger*", [](SearchRequest& r) { r.all = true; r.facets = false; });
  add("", [](SearchRequest& r) { r.like_id = "boern-og-ungeudvalget/2021-04-27/7"; });
  add("dagsorden", [](SearchRequest& r) { r.snippet_bytes = 80; });
  return out;
}

TEST(HitCache, KeepsItsBudgetAndEvictsTheLeastRecentlyUsed) {
  auto data = [](const std::string& text) {
    auto d = std::make_shared<HitData>();
    d->hit.title = "t";
    d->sources.push_back({"resume", text});
    return HitCache::Ptr(d);
  };
  const HitCache::Ptr a = data(std::string(1000, 'a')), b = data(std::string(1000, 'b')),
                      c = data(std::string(1000, 'c'));
  HitCache probe(1u << 20);
  probe.insert(1, a);
  const std::size_t one = probe.bytes();  // an entry's cost, as the cache counts it
  EXPECT_GT(one, a->memory_bytes());
  EXPECT_GE(a->memory_bytes(), 1000u);

  HitCache cache(2 * one);  // room for two
  cache.insert(1, a);
  cache.insert(2, b);
  EXPECT_EQ(cache.find(1), a);  // 1 is now the most recently used: 2 goes first
  cache.insert(3, c);
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_LE(cache.bytes(), 2 * one);
  EXPECT_EQ(cache.find(2), nullptr);
  EXPECT_EQ(cache.find(1), a);
  EXPECT_EQ(cache.find(3), c);

  cache.insert(3, b);  // replaces, counted once
  EXPECT_EQ(cache.find(3), b);
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(cache.bytes(), 2 * one);

  HitCache::Ptr held = cache.find(1);
  cache.clear();
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_EQ(cache.bytes(), 0u);
  EXPECT_EQ(cache.find(1), nullptr);
  EXPECT_EQ(held->sources[0].text, std::string(1000, 'a'));  // a caller's entry outlives eviction

  HitCache small(one - 1);  // an entry larger than the budget is not kept
  small.insert(1, a);
  EXPECT_EQ(small.size(), 0u);
  EXPECT_EQ(small.find(1), nullptr);
  HitCache off(0);
  off.insert(1, a);
  EXPECT_EQ(off.size(), 0u);
}

/// The same hits from `cached` on first and second use and from a Searcher without a cache.
void expect_same_hits(Searcher& cached, const std::string& db_path) {
  Searcher plain(db_path, 0);
  for (int round = 0; round < 2; ++round)
    for (const auto& req : requests()) {
      const std::string what = "query '" + req.query + "' like '" + req.like_id + "' round " + std::to_string(round);
      const auto want = show(plain.search(req));
      EXPECT_FALSE(want.empty()) << what;
      EXPECT_EQ(show(cached.search(req)), want) << what;
    }
}

TEST(HitCache, WarmHitsEqualColdHits) {
  Searcher s(corpus().db_path);
  expect_same_hits(s, corpus().db_path);
}

TEST(HitCache, WarmHitsEqualColdHitsOnShards) {
  // Combined docids of two shards, interleaved by Xapian.
  Searcher s(corpus().sharded_path);
  expect_same_hits(s, corpus().sharded_path);
}

TEST(HitCache, EvictionUnderATinyBudgetKeepsHitsCorrect) {
  // At most a few items: nearly every hit evicts another (the corpus items hold 1.4-30 KB, 8 KB
  // median, as HitData::memory_bytes counts); with 1 byte nothing is kept.
  for (std::size_t budget : {std::size_t{6000}, std::size_t{20000}, std::size_t{1}}) {
    SCOPED_TRACE("budget " + std::to_string(budget));
    Searcher s(corpus().db_path, budget);
    expect_same_hits(s, corpus().db_path);
  }
}

/// The first hit with this id, or null.
const Hit* find_hit(const SearchResult& r, const std::string& id) {
  for (const auto& h : r.hits)
    if (h.id == id) return &h;
  return nullptr;
}

/// Indexes corpus file 001 (and, with `sharded`, file 000 into a first shard, so that file 001's
/// items have interleaved combined docids), warms a Searcher's cache with the hit for item 1, then
/// re-indexes file 001 with item 1's title changed: the item keeps its docid, so a cache that
/// survived the commit would show the old title.
void follow_a_changed_title(bool sharded) {
  fs::path dir = fs::temp_directory_path() /
                 ("referat-hitcache-test-" + std::to_string(getpid()) + (sharded ? "-shards" : ""));
  fs::remove_all(dir);
  fs::create_directories(dir / "src");
  fs::create_directories(dir / "other");
  const fs::path corpus_dir = fs::path(test::source_dir()) / "corpus";
  const fs::path file = dir / "src" / "001_3593c011bb9c2f4b.txt";
  fs::copy_file(corpus_dir / file.filename(), file);
  fs::copy_file(corpus_dir / "000_21410ac8c793ed1d.txt", dir / "other" / "000_21410ac8c793ed1d.txt");
  indexer::IndexOptions opts;
  opts.db_path = (dir / "db").string();
  opts.jobs = 1;
  indexer::index_paths({(dir / "src").string()}, opts);
  std::string path = opts.db_path;
  if (sharded) {
    indexer::IndexOptions first = opts;
    first.db_path = (dir / "db-a").string();
    indexer::index_paths({(dir / "other").string()}, first);
    path = first.db_path + "," + opts.db_path;
  }

  const std::string id = "boern-og-ungeudvalget/2022-11-29/1";
  const std::string old_title = "Godkendelse af dagsorden", new_title = "Godkendelse af den reviderede dagsorden";
  auto docid = [&] {
    Xapian::Database db(opts.db_path);
    return *db.postlist_begin(schema::kIdPrefix + id);
  };
  SearchRequest req;
  req.query = "dagsordenen";  // in the item's resume, unchanged
  req.limit = 50;
  SearchCache shared(8u << 20, 16u << 20);
  Searcher s(path, shared);
  for (int i = 0; i < 2; ++i) {  // the second search shows the cached entry
    const SearchResult r = s.search(req);
    const Hit* h = find_hit(r, id);
    ASSERT_NE(h, nullptr);
    EXPECT_EQ(h->title, old_title);
  }
  const Xapian::docid before = docid();

  std::string text;
  {
    std::ifstream in(file, std::ios::binary);
    text.assign(std::istreambuf_iterator<char>(in), {});
  }
  const std::string line = "Punkt 1: " + old_title + "\n";
  ASSERT_EQ(text.find(line), 1u);
  text.replace(1, line.size(), "Punkt 1: " + new_title + "\n");
  std::ofstream(file, std::ios::binary | std::ios::trunc) << text;
  indexer::index_paths({(dir / "src").string()}, opts);
  ASSERT_EQ(docid(), before) << "the re-indexed item keeps its docid (what makes a stale cache visible)";

  // A Searcher opened now shares the cache, which still holds the old title under the old
  // state: it must not see it.
  Searcher other(path, shared);
  const Hit* o = nullptr;
  const SearchResult first = other.search(req);
  o = find_hit(first, id);
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(o->title, new_title);

  s.reopen();
  const SearchResult r = s.search(req);
  const Hit* h = find_hit(r, id);
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(h->title, new_title);
  Searcher fresh(path, 0);
  EXPECT_EQ(show(r), show(fresh.search(req)));
  EXPECT_EQ(show(first), show(r));
  req.query = "reviderede";  // only in the new title: the snippet comes from it
  const SearchResult t = s.search(req);
  ASSERT_EQ(t.hits.size(), 1u);
  EXPECT_EQ(t.hits[0].snippet.text, new_title);
  fs::remove_all(dir);
}

TEST(HitCache, SearchersOfDifferentDatabasesCanShareOneCache) {
  // The corpus and its sharded copy number the same items differently: a docid cached for one
  // names another item in the other. Each, searching in turn with one cache, sees its own hits.
  {
    Xapian::Database one(corpus().db_path), both;
    std::stringstream paths(corpus().sharded_path);
    for (std::string p; std::getline(paths, p, ',');) both.add_database(Xapian::Database(p));
    ASSERT_EQ(one.get_doccount(), both.get_doccount());
    int differ = 0;
    for (auto it = one.postlist_begin(""); it != one.postlist_end(""); ++it) {
      try {
        differ += one.get_document(*it).get_data() != both.get_document(*it).get_data();
      } catch (const Xapian::DocNotFoundError&) {
        ++differ;  // interleaved: the larger shard's last items come past the other's end
      }
    }
    ASSERT_GT(differ, 10) << "the two must number the items differently for this test to mean much";
  }
  SearchCache shared(8u << 20, 16u << 20);
  Searcher a(corpus().db_path, shared), b(corpus().sharded_path, shared);
  Searcher plain_a(corpus().db_path, 0), plain_b(corpus().sharded_path, 0);
  for (int round = 0; round < 2; ++round)
    for (const auto& req : requests()) {
      SCOPED_TRACE("query '" + req.query + "' round " + std::to_string(round));
      EXPECT_EQ(show_all(a.search(req)), show_all(plain_a.search(req)));
      EXPECT_EQ(show_all(b.search(req)), show_all(plain_b.search(req)));
    }
  EXPECT_GT(shared.hit_bytes(), 0u);
  EXPECT_LE(shared.hit_bytes(), 8u << 20);
  EXPECT_GT(shared.postings_bytes(), 0u);
  EXPECT_LE(shared.postings_bytes(), 16u << 20);
}

TEST(HitCache, ASecondSearcherFindsWhatTheFirstRead) {
  // Two Searchers of one index share its entries: the second's searches add nothing.
  SearchCache shared(64u << 20, 64u << 20);
  Searcher a(corpus().db_path, shared), b(corpus().db_path, shared);
  std::vector<std::vector<std::string>> first;
  for (const auto& req : requests()) first.push_back(show_all(a.search(req)));
  const std::size_t hits = shared.hit_bytes(), postings = shared.postings_bytes();
  ASSERT_GT(hits, 0u);
  ASSERT_GT(postings, 0u);
  std::size_t i = 0;
  for (const auto& req : requests()) EXPECT_EQ(show_all(b.search(req)), first[i++]) << req.query;
  EXPECT_EQ(shared.hit_bytes(), hits);
  EXPECT_EQ(shared.postings_bytes(), postings);
}

TEST(HitCache, SearchersOnThreadsShareOneCache) {
  // Four threads, each with its own Searcher, one cache small enough that they evict each
  // other's entries all the time: every result as without a cache.
  Searcher plain(corpus().db_path, 0);
  std::vector<std::vector<std::string>> want;
  for (const auto& req : requests()) want.push_back(show_all(plain.search(req)));
  SearchCache shared(40000, 200000);
  std::vector<std::vector<std::string>> wrong(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      Searcher s(corpus().db_path, shared);
      const auto reqs = requests();
      for (int round = 0; round < 3; ++round)
        for (std::size_t i = 0; i < reqs.size(); ++i) {
          std::size_t k = (i + t * 3) % reqs.size();  // the threads in different orders
          if (show_all(s.search(reqs[k])) != want[k]) wrong[t].push_back(reqs[k].query);
        }
    });
  for (auto& th : threads) th.join();
  for (int t = 0; t < 4; ++t) EXPECT_TRUE(wrong[t].empty()) << "thread " << t << ": " << wrong[t].size() << " wrong";
  EXPECT_LE(shared.hit_bytes(), 40000u);
}

TEST(HitCache, AReindexedItemShowsItsNewTitleAfterReopen) { follow_a_changed_title(false); }

TEST(HitCache, AReindexedItemShowsItsNewTitleAfterReopenOnShards) { follow_a_changed_title(true); }

}  // namespace
}  // namespace referat::searcher
