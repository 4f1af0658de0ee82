// Searcher: a counting pass over every match yields the exact total and the exact facet counts
// (from a FacetTable per shard, facets.h), a ranking pass yields the page; snippets, spelling and
// explanations are computed for the page only, from each hit's stored data parsed once per
// database state (hit_cache.h). Tests: tests/searcher/search_test.cc (end-to-end over an index of
// corpus/), tests/searcher/facets_test.cc, tests/searcher/hit_cache_test.cc.
#include "searcher/searcher.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include <nlohmann/json.hpp>
#include <xapian.h>

#include "indexer/default_db.h"
#include "indexer/schema.h"
#include "searcher/docsets.h"
#include "searcher/facets.h"
#include "searcher/hit_cache.h"
#include "searcher/query_builder.h"
#include "searcher/ranking.h"
#include "searcher/scorer.h"
#include "searcher/snippets.h"
#include "stemmers/analyzer.h"

namespace referat::searcher {

namespace {

using json = nlohmann::json;
using Q = Xapian::Query;

/// Sorts `e` by date, then relevance; items without a date come last either way (Xapian sorts an
/// empty value first when ascending: it stands in as the greatest date then).
void sort_by_date(Xapian::Enquire& e, bool newest_first) {
  if (newest_first) {
    e.set_sort_by_value_then_relevance(schema::kSlotDate, true);
    return;
  }
  auto* key = new Xapian::MultiValueKeyMaker();
  key->add_value(schema::kSlotDate, false, "99999999");
  e.set_sort_by_key_then_relevance(key->release(), false);
}

std::string str(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return {};
  if (it->is_string()) return it->get<std::string>();
  if (it->is_object() && it->contains("full") && (*it)["full"].is_string()) return (*it)["full"].get<std::string>();
  return it->dump();
}

std::optional<std::string> opt_str(const json& j, const char* key) {
  std::string s = str(j, key);
  if (s.empty()) return std::nullopt;
  return s;
}

int integer(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number()) return 0;
  return it->get<int>();
}

std::vector<std::string> strings(const json& j, const char* key) {
  std::vector<std::string> out;
  auto it = j.find(key);
  if (it == j.end() || !it->is_array()) return out;
  for (const auto& v : *it)
    if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

json parse_data(const std::string& data) {
  json j = json::parse(data, nullptr, false);
  return j.is_object() ? j : json::object();
}

Hit hit_from_data(const json& j) {
  Hit h;
  h.id = str(j, schema::data::kId);
  h.file = str(j, schema::data::kFile);
  h.item = integer(j, schema::data::kItem);
  h.title = str(j, schema::data::kTitle);
  h.committee = str(j, schema::data::kCommittee);
  h.date = opt_str(j, schema::data::kDate);
  h.journal = opt_str(j, schema::data::kJournal);
  h.category = opt_str(j, schema::data::kCategory);
  h.outcomes = strings(j, schema::data::kOutcomes);
  h.decision = opt_str(j, schema::data::kDecision);
  h.first_line = integer(j, schema::data::kFirstLine);
  h.last_line = integer(j, schema::data::kLastLine);
  return h;
}

std::vector<SnippetSource> snippet_sources(const json& j) {
  std::vector<SnippetSource> out;
  out.push_back({"title", str(j, schema::data::kTitle)});
  auto it = j.find(schema::data::kSections);
  if (it != j.end() && it->is_array())
    for (const auto& s : *it)
      if (s.is_object()) out.push_back({str(s, "name"), str(s, "text")});
  return out;
}

/// What the hit loop needs from stored document data (hit_cache.h).
HitCache::Ptr hit_data(const json& j) {
  auto d = std::make_shared<HitData>();
  d->hit = hit_from_data(j);
  d->sources = snippet_sources(j);
  for (auto& s : d->sources) s.lower = lower_same_length(s.text);  // once per item, not per search
  return d;
}

/// Accepts only plain body terms for "more like this": unprefixed (lower-case or digit first
/// byte), at least 3 bytes, not all digits, not a stop word, and used at least twice in the
/// item (a single mention of a rare word is noise, and the expansion weight favours rare words).
struct LikeDecider : Xapian::ExpandDecider {
  std::set<std::string> repeated;
  explicit LikeDecider(const Xapian::Document& doc) {
    for (auto it = doc.termlist_begin(); it != doc.termlist_end(); ++it)
      if (it.get_wdf() >= 2) repeated.insert(*it);
  }
  bool operator()(const std::string& term) const override {
    if (term.size() < 3 || repeated.count(term) == 0) return false;
    auto c = static_cast<unsigned char>(term[0]);
    if (c >= 'A' && c <= 'Z') return false;
    if (std::all_of(term.begin(), term.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) return false;
    return !stemmers::Analyzer::is_stopword(term);
  }
};

/// The query terms that index `doc`, found by skipping through the document's term list in
/// sorted order: cheaper than Enquire::get_matching_terms, which walks every term of the item.
std::vector<std::string> matching_terms(const Xapian::Document& doc, const std::vector<std::string>& sorted_terms,
                                        const std::vector<std::string>& wildcard_prefixes) {
  std::vector<std::string> out;
  auto end = doc.termlist_end();
  auto it = doc.termlist_begin();
  for (const auto& t : sorted_terms) {
    it.skip_to(t);  // forward only: the terms are sorted
    if (it == end) break;
    if (*it == t) out.push_back(t);
  }
  for (const auto& prefix : wildcard_prefixes) {
    it = doc.termlist_begin();
    for (it.skip_to(prefix); it != end && (*it).rfind(prefix, 0) == 0; ++it) out.push_back(*it);
  }
  return out;
}

/// Memory for the cached term postings (sets and wdfs, BooleanMatcher) and subquery sets, over
/// all shards, of a Searcher that keeps its own SearchCache: a set of 100k items is 12.5 KB,
/// and a term's wdfs a byte per posting (~90 KB for a term in 80 % of 100k items), so some
/// 1,000-3,000 entries.
constexpr std::size_t kMatchCacheBytes = 64u << 20;
/// Memory for the parsed stored data of recently shown hits, of a Searcher that keeps its own
/// SearchCache: about 1,600 items of the benchmark corpus (~5 KB each, section texts
/// included). Reading and parsing an item's data was ~16% of the server's CPU at 64
/// connections; popular queries and pages show the same items again.
constexpr std::size_t kHitCacheBytes = 8u << 20;

/// No state known (while opening, or after a failure): the hit cache is not used.
constexpr std::uint32_t kNoState = UINT32_MAX;

/// A shard's revision, UUID and last docid: a database replaced by another one (the indexer's
/// first sharded build swaps in the merged database) can have the same revision number.
using ShardState = std::tuple<Xapian::rev, std::string, Xapian::docid>;

/// The name of a shard's state in the SearchCache: with its path, because a copied database
/// directory keeps its UUID (and the copies' next commits can have the same revision and last
/// docid, with other contents).
std::string state_name(const std::string& path, const ShardState& s) {
  return path + "\n" + std::get<1>(s) + ":" + std::to_string(std::get<0>(s)) + ":" + std::to_string(std::get<2>(s));
}

}  // namespace

struct Searcher::Impl {
  std::string path;
  Xapian::Database db;  ///< all shards as one database
  /// Each shard alone (they share their internals with `db`, so db.reopen() reopens them too),
  /// its facet table and boolean matcher (with its cache), and the state they describe.
  struct Shard {
    std::string path;  ///< absolute
    Xapian::Database db;
    std::unique_ptr<const FacetTable> facets;
    std::unique_ptr<BooleanMatcher> matcher;
    std::unique_ptr<SetScorer> scorer;  ///< on a single database only (null with shards)
    ShardState state;
  };
  std::vector<Shard> shards;
  /// Parsed stored data by (state, docid of `db`: combined docids with several shards) and the
  /// shards' postings (their matchers'), perhaps shared with other Searchers. `state` names the
  /// state of all shards together, kNoState while it is not known.
  SearchCache cache;
  std::uint32_t state = kNoState;
  stemmers::Analyzer analyzer;
  WordAnalyses snippet_words{analyzer};  ///< words of hits' text, analysed once (snippets.h)

  Impl(const std::string& p, SearchCache c) : path(p), cache(std::move(c)) { open(); }

  /// Rebuilds the facet table and the matcher of every shard whose state changed since they
  /// were made (after open, and after a reopen that saw a commit by the indexer), and names the
  /// new state in the SearchCache then.
  void refresh_facets() {
    try {
      bool changed = state == kNoState;
      for (auto& s : shards) {
        ShardState now{s.db.get_revision(), s.db.get_uuid(), s.db.get_lastdocid()};
        if (s.facets && now == s.state) continue;
        // Never count with a table or cached sets of another revision, even if building fails,
        // nor show a hit's data of another revision (a re-indexed item keeps its docid).
        state = kNoState;
        changed = true;
        s.scorer.reset();
        s.facets.reset();
        s.matcher.reset();
        s.facets = std::make_unique<const FacetTable>(s.db);
        // The postings are the shard's own: keyed by its state alone.
        s.matcher = std::make_unique<BooleanMatcher>(s.db, cache.impl_->postings,
                                                     std::to_string(cache.impl_->state(state_name(s.path, now))) + ":");
        if (shards.size() == 1) s.scorer = std::make_unique<SetScorer>(s.db, *s.matcher);
        s.state = std::move(now);
      }
      if (changed) {
        std::string name;
        for (const auto& s : shards) name += state_name(s.path, s.state) + ",";
        state = cache.impl_->state(name);
      }
    } catch (...) {
      state = kNoState;  // the state of some shard is unknown
      throw;
    }
  }

  /// Opens `path`, or several shards "DIR1,DIR2" (or Xapian stub files) as one database: results,
  /// counts and facets are then over all of them.
  void open() {
    state = kNoState;  // first: reopen() comes here when `db` may already show another state
    Xapian::Database all;
    std::vector<Shard> opened;
    std::size_t start = 0;
    for (;;) {
      std::size_t comma = path.find(',', start);
      std::string one = path.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      Xapian::Database shard;
      try {
        shard = Xapian::Database(one);
      } catch (const Xapian::DatabaseOpeningError& e) {
        throw IndexOpenError("cannot open the index at '" + one + "': " + e.get_msg() +
                             " (build it with referat-index, or point --db/$REFERAT_DB at it)");
      } catch (const Xapian::Error& e) {
        throw IndexOpenError("cannot open the index at '" + one + "': " + e.get_description());
      }
      std::string v = shard.get_metadata(schema::kSchemaVersionKey);
      bool fresh = v.empty() && shard.get_doccount() == 0;  // created, nothing indexed yet
      if (!fresh && v != std::to_string(schema::kSchemaVersion))
        throw IndexVersionError("the index at '" + one + "' has schema version " +
                                (v.empty() ? std::string("(none)") : v) + ", this referat-search reads version " +
                                std::to_string(schema::kSchemaVersion) + "; rebuild it with referat-index");
      all.add_database(shard);
      std::error_code ec;
      std::string absolute = std::filesystem::absolute(one, ec).lexically_normal().string();
      opened.push_back({ec ? one : absolute, shard, nullptr, nullptr, nullptr, {}});
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    db = all;
    shards = std::move(opened);
    refresh_facets();
  }

  /// Re-opens at the latest commit; facet tables follow. A database replaced by another one
  /// (a new UUID: the indexer's first sharded build swaps in the merged database, possibly with
  /// the same revision number) is opened afresh: Xapian's reopen() does not see the change then,
  /// and the old handle keeps stale statistics (its value streams read as empty).
  void reopen() {
    try {
      db.reopen();
      for (const auto& s : shards)
        if (s.db.get_uuid() != std::get<1>(s.state)) {
          open();
          return;
        }
    } catch (const Xapian::Error&) {
      open();
      return;
    }
    refresh_facets();
  }

  std::optional<Xapian::docid> find(const std::string& id) {
    std::string term = schema::kIdPrefix + id;
    auto it = db.postlist_begin(term);
    if (it == db.postlist_end(term)) return std::nullopt;
    return *it;
  }

  /// Counts the matches of `query` (exactly; or, when `deadline` passes first, `*exact` becomes
  /// false and the count is partial). `keep` as in BooleanMatcher::match().
  std::size_t count(const Q& query, BooleanMatcher::Clock::time_point deadline = BooleanMatcher::Clock::time_point::max(),
                    bool* exact = nullptr, BooleanMatcher::Keep keep = BooleanMatcher::Keep::All) {
    std::size_t n = 0;
    for (auto& shard : shards) n += shard.matcher->match(query, deadline, exact, keep).count();
    return n;
  }

  std::optional<std::string> spelling(QueryBuilder& qb, const SearchRequest& req, const Q& filter,
                                      std::size_t total) {
    std::string corrected = req.query;
    bool changed = false;
    auto words = qb.typed_words();
    std::sort(words.begin(), words.end(), [](const TypedWord& a, const TypedWord& b) { return a.offset > b.offset; });
    for (const auto& w : words) {
      // A word that matches as written, as a lemma or as a compound part is not misspelt
      // ("bande" finds "bandesituation").
      if (w.text.size() < 3 || db.get_termfreq(w.text) > 0 || db.get_termfreq(schema::text_term(schema::Field::Body, schema::TermKind::Lemma, w.text)) > 0 ||
          db.get_termfreq(schema::text_term(schema::Field::Body, schema::TermKind::Part, w.text)) > 0)
        continue;
      std::string s = db.get_spelling_suggestion(w.text, w.text.size() <= 4 ? 1 : 2);
      if (s.empty() || s == w.text) continue;
      if (w.offset + w.length > corrected.size()) continue;
      corrected.replace(w.offset, w.length, s);
      changed = true;
    }
    if (!changed) return std::nullopt;
    try {
      QueryBuilder qb2(analyzer, &db);
      Q q = qb2.parse(corrected);
      if (!filter.empty()) q = Q(Q::OP_FILTER, q, filter);
      if (count(q) <= total) return std::nullopt;
    } catch (const QueryError&) {
      return std::nullopt;
    }
    return corrected;
  }

  SearchResult search(const SearchRequest& req) {
    const auto t0 = std::chrono::steady_clock::now();
    // The time limit is for the whole search: every Xapian pass and subquery gets what is left.
    const auto deadline = req.time_limit_seconds > 0
                              ? t0 + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                         std::chrono::duration<double>(req.time_limit_seconds))
                              : std::chrono::steady_clock::time_point::max();
    const auto time_left = [&] {  // seconds, at least 1 ms (Xapian: 0 would mean no limit)
      return std::max(0.001, std::chrono::duration<double>(deadline - std::chrono::steady_clock::now()).count());
    };
    // A refresh that failed (after a reopen) leaves shards without tables: build them now, or
    // throw its error again, rather than count with none.
    if (state == kNoState) refresh_facets();
    SearchResult result;
    result.query = req.query;
    QueryBuilder qb(analyzer, &db);
    Q query, boosted;
    bool query_has_boost = false;  // `query` is the boosted one (parsed with proximity on)
    bool ranked = true;
    Q filter = qb.filters(req);
    std::string exclude_id;
    if (!req.like_id.empty()) {
      auto did = find(req.like_id);
      if (!did) throw QueryError("unknown item id: \"" + req.like_id + "\"", 0, req.like_id,
                                 "punktet '" + req.like_id + "' findes ikke");
      Xapian::Enquire e(db);
      Xapian::RSet rset;
      rset.add_document(*did);
      LikeDecider decider(db.get_document(*did));
      Xapian::ESet eset = e.get_eset(30, rset, &decider);
      // Each expansion term weighted by its expansion weight relative to the best one, so the
      // item's most characteristic words dominate the similarity.
      std::vector<Q> terms;
      double top_weight = eset.empty() ? 1.0 : eset.begin().get_weight();
      for (auto it = eset.begin(); it != eset.end(); ++it)
        terms.push_back(Q(Q::OP_SCALE_WEIGHT, Q(*it), it.get_weight() / top_weight));
      query = Q(Q::OP_OR, terms.begin(), terms.end());
      query = Q(Q::OP_AND_NOT, query, Q(schema::kIdPrefix + req.like_id));
      if (!req.query.empty()) query = Q(Q::OP_FILTER, query, qb.parse(req.query));
    } else {
      // The proximity boost (positional checks) is the costliest part of a multi-word query;
      // over every match it doubled the time of a faceted top-10 search (bench_search). So the
      // pass that counts and collects facets runs without it, and the boost re-ranks only the
      // top candidates of that pass (kRerankDepth beyond the page), where it is cheap. --all and
      // date sorts rank every match with the full query instead.
      qb.set_proximity(false);
      query = qb.parse(req.query);
      ranked = qb.has_text();
      if (qb.has_proximity()) {
        QueryBuilder with_boost(analyzer, &db);
        boosted = with_boost.parse(req.query);
        if (req.all || req.sort != Sort::Relevance) {
          query = boosted;
          boosted = Q();
          query_has_boost = true;
        }
      }
    }
    if (!filter.empty()) query = Q(Q::OP_FILTER, query, filter);
    const bool rerank = !boosted.empty() && req.limit > 0;

    const Xapian::doccount doccount = db.get_doccount();
    const auto first = static_cast<Xapian::doccount>(req.offset);
    const auto max_items = static_cast<Xapian::doccount>(req.all ? doccount : req.limit);

    // A date-sorted page (also the newest-first order of a query without words) on one database
    // is decided from pass 1's matches and the table's dates: only the candidates that can reach
    // the page (every match dated after the page's last date, and every match on that date) are
    // sorted by Xapian, instead of reading the date value of every match.
    const bool by_date = req.sort != Sort::Relevance || !ranked;
    const bool newest_first = req.sort == Sort::DateDesc || (req.sort == Sort::Relevance && !ranked);
    const bool dates_from_table = by_date && req.facets && !req.all && req.limit > 0 && shards.size() == 1 &&
                                  !shards[0].facets->dates().empty();
    std::vector<Xapian::docid> matches;  // pass 1's docids, when dates_from_table
    FacetCounter facets;
    facets.collect_docids(dates_from_table ? &matches : nullptr);

    // --all ranks every match anyway, so it counts and collects facets in the same pass. One
    // database only (docids).
    const bool one_pass = req.facets && shards.size() == 1 && req.all;

    // Pass 1, exact total and facets: every match must be visited (DESIGN.md, known traps), but
    // none needs a weight. The query's boolean structure is evaluated on document sets
    // (docsets.h: cached sets of frequent terms and of phrases; no per-document iterator tree),
    // and the facet values come from the shards' FacetTables. Docids are shard-local (as a
    // match spy's view in Xapian 1.4), so each shard is counted alone with its own table and
    // matcher. (Wildcards expand per shard here, to at most 500 terms each: identical to the
    // combined expansion unless a pattern has more.)
    bool exact = true;
    std::optional<DocSet> matched;  // pass 1's matches on a single database, for the ranking pass
    std::optional<std::vector<Xapian::docid>> rerank_set;  // the scorer's exact re-ranking candidates
    if (req.facets && !one_pass) {
      std::size_t total = 0;
      for (auto& shard : shards) {
        DocSet set = shard.matcher->match(query, deadline, &exact);
        const std::vector<Xapian::docid> dids = set.docids();
        facets.count_with(*shard.facets);
        facets.add_all(dids);
        total += dids.size();
        if (shards.size() == 1) matched = std::move(set);
      }
      result.total = total;
      result.total_exact = exact;
    }

    // Pass 2, the page: ranked (or sorted) hits only. With the total known, the matcher may stop
    // early and skip documents that cannot reach the page (BM25 max-weight pruning), which is
    // exact for the top k. In one-pass mode it also counts every match and the facets.
    Xapian::MSet mset;
    // The page as (docid, weight): from `mset`, or straight from the scorer (below).
    std::optional<std::vector<std::pair<Xapian::docid, double>>> page;
    std::optional<Xapian::Enquire> second;
    if (dates_from_table && result.total_exact) {
      const auto& dates = shards[0].facets->dates();
      const std::size_t need = first + max_items;
      if (matches.size() > need) {
        // The need-th date in page order; every match at or beyond it (in that order) may be on
        // the page, ties at it included, because Xapian orders equal dates by relevance.
        // Oldest first puts the undated (0) last, as sort_by_date() does.
        auto date = [&](Xapian::docid d) { return newest_first || dates[d] != 0 ? dates[d] : UINT32_MAX; };
        auto before = [&](Xapian::docid a, Xapian::docid b) {
          return newest_first ? date(a) > date(b) : date(a) < date(b);
        };
        std::vector<Xapian::docid> order = matches;
        std::nth_element(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(need - 1), order.end(), before);
        const std::uint32_t last = date(order[need - 1]);
        std::erase_if(matches, [&](Xapian::docid d) {
          return newest_first ? date(d) < last : date(d) > last;
        });
      }
      std::sort(matches.begin(), matches.end());
      second.emplace(db);
      second->set_query(Q(Q::OP_FILTER, query, docid_query(std::move(matches))));
      second->set_weighting_scheme(ranking::bm25());
      sort_by_date(*second, newest_first);
      if (req.time_limit_seconds > 0) second->set_time_limit(time_left());
      mset = second->get_mset(first, max_items);
    } else if (req.all || req.limit > 0 || !req.facets) {
      // A relevance page on one database: BM25 on pass 1's matches picks the few that can be on
      // the page (scorer.h; exact up to rounding, with a margin), and Xapian ranks only those.
      // Same page, same weights; Xapian's pass over every match was half the server's CPU. When
      // they are no more than the re-ranking needs, they are exactly Xapian's best (the
      // candidates always contain those): the re-ranking pass below takes them as they are.
      std::optional<std::vector<Xapian::docid>> candidates;
      if (matched && exact && req.sort == Sort::Relevance && ranked && req.like_id.empty() && max_items > 0 &&
          shards[0].scorer) {
        const std::size_t need = std::size_t{first} + max_items + (rerank ? ranking::kRerankDepth : 0);
        SetScorer::Scores scores;
        candidates = shards[0].scorer->candidates(query, *matched, need, deadline, &scores);
        if (candidates && rerank && candidates->size() <= need) {
          rerank_set = std::move(*candidates);
          candidates.reset();
        } else if (candidates && !rerank && !scores.bounded && candidates->size() <= need &&
                   (page = page_by_score(*candidates, scores.exact, first, max_items))) {
          // Exactly the best `need`, every score exact and no two close: the page and its
          // weights are the scorer's, equal to Xapian's up to the order of summation, and
          // Xapian's pass would only read their postings again (a tenth of the server's CPU).
          candidates.reset();
        } else if (candidates && candidates->size() >= matched->count()) {
          candidates.reset();  // no fewer than the matches: nothing to restrict
        }
      }
      if (!rerank_set && !page) {
        // The ranking pass does not check a typed phrase's positions on every candidate: on one
        // database the phrase is replaced by the AND of its parts filtered to the phrase's
        // documents, which pass 1 has just found (cached in the matcher); only the exact-spelling
        // boost is checked, on those documents. Same matches and weights; on 100k items the phrase
        // queries were the slowest by far (30 ms mean, positions checked for every candidate).
        Q ranking_query = query;
        if (shards.size() == 1 && !one_pass && req.like_id.empty() && BooleanMatcher::has_positions(query)) {
          QueryBuilder resolving(analyzer, &db);
          resolving.set_proximity(query_has_boost);
          BooleanMatcher& matcher = *shards[0].matcher;
          resolving.set_phrase_resolver([&](const Q& phrase) {
            return docid_query(matcher.match(phrase, deadline, &exact).docids());
          });
          ranking_query = resolving.parse(req.query);
          if (!filter.empty()) ranking_query = Q(Q::OP_FILTER, ranking_query, filter);
          if (result.total_exact && !exact) result.total_exact = false;
        }
        if (candidates) ranking_query = Q(Q::OP_FILTER, ranking_query, docid_query(std::move(*candidates)));
        Xapian::Enquire enquire(db);
        enquire.set_query(ranking_query);
        enquire.set_weighting_scheme(ranking::bm25());
        switch (req.sort) {
          case Sort::DateDesc: sort_by_date(enquire, true); break;
          case Sort::DateAsc: sort_by_date(enquire, false); break;
          case Sort::Relevance:
            // Nothing to rank by (a filter-only or empty query): newest first.
            if (!ranked) sort_by_date(enquire, true);
            break;
        }
        if (req.time_limit_seconds > 0) enquire.set_time_limit(time_left());
        // Without pass 1 (no facets asked for) every match is still checked: the total is exact
        // either way (Xapian's estimate can exceed what is possible: "10 (ca.)" for 4 matches).
        Xapian::doccount check = req.all || one_pass || !req.facets ? doccount : 0;
        if (one_pass) {
          facets.count_with(*shards[0].facets);
          enquire.add_matchspy(&facets);
        }
        mset = rerank ? enquire.get_mset(0, first + max_items + ranking::kRerankDepth, check)
                      : enquire.get_mset(first, max_items, check);
        if (!req.facets || one_pass) {
          result.total = mset.get_matches_estimated();
          result.total_exact = exact && mset.get_matches_lower_bound() == mset.get_matches_upper_bound();
        }
      }
    }
    if (rerank && rerank_set && !rerank_set->empty()) {
      // The scorer's candidates re-ranked by the scorer: their boosted scores are its exact sums
      // with the boosts' positions checked on these few documents (by Xapian), so Xapian's
      // re-ranking pass below, which read every boost term twice (in the query and in its
      // phrase) and weighed it again, is needed only when two scores are too close to order.
      if (auto boosted_scores = shards[0].scorer->scores(boosted, *rerank_set, deadline))
        page = page_by_score(*rerank_set, *boosted_scores, first, max_items);
    }
    if (rerank && !page && (rerank_set ? !rerank_set->empty() : !mset.empty())) {
      // Re-rank the candidates with the boosted query, restricted to them: by docid on one
      // database (cheap), by their id terms on shards (docids there are per shard; reading the
      // id means decoding each candidate's term list).
      Q candidates;
      if (rerank_set) {
        candidates = docid_query(std::move(*rerank_set));  // ascending
      } else if (shards.size() == 1) {
        std::vector<Xapian::docid> dids(mset.begin(), mset.end());
        std::sort(dids.begin(), dids.end());
        candidates = docid_query(std::move(dids));
      } else {
        std::vector<Q> ids;
        for (auto it = mset.begin(); it != mset.end(); ++it) {
          Xapian::Document doc = it.get_document();
          auto t = doc.termlist_begin();
          t.skip_to(schema::kIdPrefix);
          if (t != doc.termlist_end() && (*t).rfind(schema::kIdPrefix, 0) == 0) ids.emplace_back(*t);
        }
        candidates = Q(Q::OP_OR, ids.begin(), ids.end());
      }
      second.emplace(db);
      second->set_query(Q(Q::OP_FILTER, boosted, candidates));
      second->set_weighting_scheme(ranking::bm25());
      mset = second->get_mset(first, max_items);
    }

    const auto& roles = qb.term_roles();
    // Query terms, sorted, and wildcard prefixes: for matching_terms() below.
    const Q& used = rerank ? boosted : query;
    std::vector<std::string> query_terms(used.get_unique_terms_begin(), used.get_unique_terms_end());
    std::sort(query_terms.begin(), query_terms.end());
    std::vector<std::string> wildcards;
    for (const auto& [term, role] : roles)
      if (role.kind == "wildcard") wildcards.push_back(term.substr(0, term.size() - 1));
    // Snippets mark the words whose terms are query terms. Without wildcards that needs no
    // per-hit term list: a word of the item's stored text whose term is in the query is a term
    // the item was indexed with (the same analysis), so the marks are the same as with the
    // item's matching terms. Wildcard expansions (and --explain) need the item's own terms.
    const bool per_hit_terms = req.explain || !wildcards.empty();
    const std::set<std::string> query_term_set(query_terms.begin(), query_terms.end());
    if (!page) {
      page.emplace();
      for (auto it = mset.begin(); it != mset.end(); ++it) page->emplace_back(*it, it.get_weight());
    }
    std::size_t rank = req.offset;
    for (const auto& [did, weight] : *page) {
      // The document is read only for what the cache lacks: its data on a miss, its term list
      // for per-hit terms. (get_document() with DOC_ASSUME_VALID opens it lazily, reading
      // nothing yet.)
      std::optional<Xapian::Document> doc;
      auto document = [&]() -> const Xapian::Document& {
        if (!doc) doc = db.get_document(did, Xapian::DOC_ASSUME_VALID);
        return *doc;
      };
      const auto key = SearchCache::Impl::key(state, did);
      HitCache::Ptr data = state == kNoState ? nullptr : cache.impl_->hits.find(key);
      if (!data) {
        data = hit_data(parse_data(document().get_data()));
        if (state != kNoState) cache.impl_->hits.insert(key, data);
      }
      Hit h = data->hit;
      h.rank = ++rank;
      h.score = weight;
      std::vector<std::string> matching;
      if (per_hit_terms && (req.snippet_bytes > 0 || req.explain))
        matching = matching_terms(document(), query_terms, wildcards);
      if (req.snippet_bytes > 0) {
        if (per_hit_terms) {
          std::set<std::string> terms(matching.begin(), matching.end());
          h.snippet = best_snippet(data->sources, terms, snippet_words, req.snippet_bytes);
        } else {
          h.snippet = best_snippet(data->sources, query_term_set, snippet_words, req.snippet_bytes);
        }
      }
      if (req.explain) h.explanation = ranking::explain(db, did, matching, roles, h.score);
      result.hits.push_back(std::move(h));
    }
    if (req.facets) result.facets = facets.collect();
    if (ranked && req.like_id.empty() && result.total < 3 && !req.query.empty())
      result.suggestion = spelling(qb, req, filter, result.total);
    result.elapsed_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    return result;
  }

  std::optional<ItemDetail> item(const std::string& id) {
    auto did = find(id);
    if (!did) return std::nullopt;
    Xapian::Document doc = db.get_document(*did);
    ItemDetail d;
    d.json = doc.get_data();
    json j = parse_data(d.json);
    d.summary = hit_from_data(j);
    d.deciding_committees = strings(j, schema::data::kDeciding);
    d.absent = strings(j, schema::data::kAbsent);
    d.attachments = strings(j, schema::data::kAttachments);
    auto it = j.find(schema::data::kSections);
    if (it != j.end() && it->is_array())
      for (const auto& s : *it)
        if (s.is_object()) d.sections.push_back({str(s, "name"), str(s, "heading"), str(s, "text")});
    return d;
  }

  std::vector<std::string> suggest(const std::string& prefix, std::size_t limit, std::chrono::milliseconds budget) {
    using Clock = BooleanMatcher::Clock;
    const auto deadline = Clock::now() + budget;
    std::vector<std::string> out;
    std::size_t cut = prefix.find_last_of(" \t(\"");
    std::string head = cut == std::string::npos ? "" : prefix.substr(0, cut + 1);
    std::string last = cut == std::string::npos ? prefix : prefix.substr(cut + 1);
    std::string norm = analyzer.normalize(last);
    if (norm.empty() || limit == 0) return out;
    auto c = static_cast<unsigned char>(norm[0]);
    if (c >= 'A' && c <= 'Z') return out;  // would run into prefixed terms
    // Candidates: the words as written that start with it, and, typed without æ/ø/å, the words
    // the fold table spells so ("okon" -> økonomi), each with its number of items. Each fold
    // key costs a synonym look-up: as for a wildcard's folded side (QueryBuilder), two ASCII
    // letters at least and the first 1000 keys.
    std::map<std::string, Xapian::doccount> words;
    constexpr std::size_t kScanTerms = 5000, kScanFoldKeys = 1000;
    std::size_t scanned = 0;
    for (auto it = db.allterms_begin(norm); it != db.allterms_end(norm) && scanned < kScanTerms; ++it, ++scanned)
      words.emplace(*it, it.get_termfreq());
    const bool ascii = std::all_of(norm.begin(), norm.end(), [](char ch) { return static_cast<unsigned char>(ch) < 0x80; });
    if (ascii && norm.size() >= 2) {
      const std::string fold = schema::kFoldPrefix + norm;
      scanned = 0;
      for (auto k = db.synonym_keys_begin(fold); k != db.synonym_keys_end(fold) && scanned < kScanFoldKeys;
           ++k, ++scanned)
        for (auto it = db.synonyms_begin(*k); it != db.synonyms_end(*k); ++it) {
          const schema::FoldTarget t = schema::parse_fold_value(*it);
          if (t.lemma || words.count(t.text)) continue;
          if (Xapian::doccount tf = db.get_termfreq(t.text); tf > 0) words.emplace(t.text, tf);
        }
    }
    std::vector<std::pair<Xapian::doccount, std::string>> found;
    for (const auto& [w, tf] : words) found.emplace_back(tf, w);
    auto by_count = [](const auto& a, const auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; };
    std::sort(found.begin(), found.end(), by_count);
    // One form per lemma: "udv" offered udvalg, udvalgene, udvalgenes, udvalget ..., which
    // all find the same items. Words with the same lemmas are one candidate, shown as the lemma
    // itself when it is indexed as written ("social", not the more frequent "sociale"), else
    // as the most frequent form, at the group's best frequency. Only as many as can be shown or
    // counted (`want`) are kept and analysed (a word not seen before costs a hunspell look-up).
    {
      const std::size_t want = std::max<std::size_t>(3 * limit, 24);
      std::vector<std::pair<Xapian::doccount, std::string>> distinct;
      std::map<std::string, std::size_t> group;  // lemmas -> index in distinct
      std::vector<stemmers::Token> tokens;
      for (auto& f : found) {
        tokens.clear();
        analyzer.analyze(f.second, stemmers::Mode::Query, tokens);
        std::set<std::string> lemmas;
        for (const auto& t : tokens)
          if (t.kind == stemmers::TokenKind::Lemma) lemmas.insert(t.text);
        if (lemmas.empty()) lemmas.insert(f.second);  // its own lemma
        std::string key;
        for (const auto& l : lemmas) key += l + '|';
        if (auto g = group.find(key); g != group.end()) {
          if (lemmas.size() == 1 && *lemmas.begin() == f.second) distinct[g->second].second = f.second;
          continue;
        }
        if (distinct.size() >= want) break;
        group.emplace(key, distinct.size());
        distinct.push_back(std::move(f));
      }
      found = std::move(distinct);
    }
    // A completion is ranked by what it would find: the items of the whole query with it
    // ("okon" -> "økonomi", which finds its inflections too, before "økonomiudvalget";
    // "negativ soc" -> "negativ social", not the more frequent "socialudvalget" that no item has
    // with "negativ"; inside a phrase, the phrase continued). The most frequent candidates are
    // counted so, within the budget, and those that would find nothing dropped. The sets Xapian
    // makes for them (phrases, wildcards) are not cached: each keystroke makes new ones, and
    // they would push out the sets searches reuse.
    {
      if (state == kNoState) refresh_facets();  // as in search()
      // An open phrase or parenthesis is closed after the completion ("(budget OR øk" is
      // counted as "(budget OR økonomi)").
      const std::string close = closing(head);
      QueryBuilder qb(analyzer, &db);  // parse() starts afresh each time
      std::size_t counted = 0;         // found[0, counted) hold counts, the rest frequencies
      for (; counted < found.size(); ++counted) {
        auto& [n, w] = found[counted];
        Q q;
        try {
          q = qb.parse(head + w + close);
        } catch (const QueryError&) {
          n = 0;  // head + w does not parse ("budget AND AND "): it would find nothing
          continue;
        }
        if (Clock::now() >= deadline) break;
        bool exact = true;
        const auto items = count(q, deadline, &exact, BooleanMatcher::Keep::TermSets);
        if (!exact) break;
        n = static_cast<Xapian::doccount>(items);
      }
      // Equal counts keep the candidates' order: by frequency.
      std::stable_sort(found.begin(), found.begin() + static_cast<std::ptrdiff_t>(counted),
                       [](const auto& a, const auto& b) { return a.first > b.first; });
      const auto zero = std::find_if(found.begin(), found.begin() + static_cast<std::ptrdiff_t>(counted),
                                     [](const auto& f) { return f.first == 0; });
      found.erase(zero, found.begin() + static_cast<std::ptrdiff_t>(counted));
    }
    for (const auto& f : found) {
      if (out.size() >= limit) break;
      out.push_back(head + f.second);
    }
    return out;
  }

  /// What closes the phrase and parentheses left open at the end of `head`: '"' if a phrase
  /// is open, then one ')' for each '(' not closed outside phrases.
  static std::string closing(const std::string& head) {
    bool phrase = false;
    std::size_t open = 0;
    for (char ch : head) {
      if (ch == '"') phrase = !phrase;
      else if (!phrase && ch == '(') ++open;
      else if (!phrase && ch == ')' && open > 0) --open;
    }
    return std::string(phrase ? "\"" : "") + std::string(open, ')');
  }
};

Searcher::Searcher(const std::string& db_path) : Searcher(db_path, kHitCacheBytes) {}
Searcher::Searcher(const std::string& db_path, std::size_t hit_cache_bytes)
    : Searcher(db_path, SearchCache(hit_cache_bytes, kMatchCacheBytes)) {}
Searcher::Searcher(const std::string& db_path, SearchCache cache)
    : impl_(std::make_unique<Impl>(db_path, std::move(cache))) {}
Searcher::~Searcher() = default;
Searcher::Searcher(Searcher&&) noexcept = default;
Searcher& Searcher::operator=(Searcher&&) noexcept = default;

SearchResult Searcher::search(const SearchRequest& request) { return impl_->search(request); }

std::optional<ItemDetail> Searcher::item(const std::string& id) { return impl_->item(id); }

std::vector<std::string> Searcher::suggest(const std::string& prefix, std::size_t limit,
                                           std::chrono::milliseconds budget) {
  return impl_->suggest(prefix, limit, budget);
}

void Searcher::reopen() { impl_->reopen(); }

IndexStats Searcher::stats() {
  IndexStats s;
  s.path = impl_->path;
  s.documents = impl_->db.get_doccount();
  s.last_commit = impl_->db.get_metadata(schema::kLastCommitKey);
  std::string v = impl_->db.get_metadata(schema::kSchemaVersionKey);
  s.schema_version = v.empty() ? 0 : std::atoi(v.c_str());
  return s;
}

std::string default_db_path() { return referat::default_db_path(); }

}  // namespace referat::searcher
