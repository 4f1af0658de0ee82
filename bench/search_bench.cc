// bench_search: query latency of the referat searcher on a generated corpus (bench/corpus_gen.h),
// with a plain Xapian baseline in the same run.
//
//   bench_search [--items N] [--work DIR] [--queries Q] [--rounds R] [--unseen] [--index-only]
//                [--write-queries FILE]
//
// Steps (each skipped when its output already exists in --work): generate N items, index them
// with referat (indexer::index_paths), index the same parsed items plainly (TermGenerator +
// Stem("danish"), committee in value slot 0). Then a fixed, deterministic set of realistic
// queries (words drawn from the sample corpus' vocabulary: 1-3 words, phrases, OR, NOT, some with
// filters) is run: one warm-up round, then R measured rounds (with --unseen: one round over the
// generator's next Q queries instead of the warm-up's, so the searcher's caches hold what other
// queries left; the generator repeats only popular one-word queries), reporting p50/p95/p99 per
// mode:
//   referat top10+facets   Searcher::search, limit 10, all five facets exact, snippets
//   referat count+facets   Searcher::search, limit 0: exact total and all facets (--all counting)
//   plain top10+1 facet    QueryParser(AND, STEM_SOME) + ValueCountMatchSpy(committee), exact
// Text-only queries go to both; queries with field filters only to referat.
// --index-only stops after the referat index (bench/serve_bench.sh uses the same cached index);
// --write-queries writes the query set, one per line, for the HTTP benchmark's request mix.
// Also printed: the time and memory of building the facet table (searcher/facets.h) at this size.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <map>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <xapian.h>

#include "bench/corpus_gen.h"
#include "indexer/index_writer.h"
#include "indexer/schema.h"
#include "indexer/minutes_parser.h"
#include "searcher/facets.h"
#include "searcher/searcher.h"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

void plain_index(const fs::path& corpus, const fs::path& db_path) {
  Xapian::WritableDatabase db(db_path.string() + ".tmp", Xapian::DB_CREATE_OR_OVERWRITE);
  Xapian::TermGenerator tg;
  tg.set_stemmer(Xapian::Stem("danish"));
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(corpus))
    if (e.path().extension() == ".txt") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    auto r = referat::indexer::parse_minutes_file(f, f.string());
    for (const auto& item : r.meeting.items) {
      Xapian::Document doc;
      tg.set_document(doc);
      tg.index_text(item.title, 3);
      for (const auto& s : item.sections) {
        tg.increase_termpos(100);
        tg.index_text(s.text);
      }
      doc.add_value(0, r.meeting.committee.value.value_or(""));
      db.add_document(doc);
    }
  }
  db.commit();
  db.close();
  fs::rename(db_path.string() + ".tmp", db_path);
}

/// Words of the sample corpus by frequency (letters only, 4+ bytes, not too common).
std::vector<std::string> vocabulary() {
  std::map<std::string, int> freq;
  for (const auto& e : fs::directory_iterator(fs::path(REFERAT_SOURCE_DIR) / "corpus")) {
    if (e.path().extension() != ".txt") continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::string w;
    char c;
    auto flush = [&] {
      if (w.size() >= 4) ++freq[w];
      w.clear();
    };
    while (in.get(c)) {
      auto u = static_cast<unsigned char>(c);
      if ((u >= 'a' && u <= 'z') || u >= 0x80) w += c;
      else if (u >= 'A' && u <= 'Z') w += static_cast<char>(u + 32);
      else flush();
    }
    flush();
  }
  std::vector<std::pair<int, std::string>> ranked;
  for (auto& [w, n] : freq) ranked.emplace_back(-n, w);
  std::sort(ranked.begin(), ranked.end());
  std::vector<std::string> out;
  for (std::size_t i = 30; i < ranked.size() && out.size() < 1500; ++i) out.push_back(ranked[i].second);
  return out;
}

struct BenchQuery {
  std::string text;
  bool plain;  ///< also run on the baseline
};

std::vector<BenchQuery> make_queries(std::size_t n) {
  auto vocab = vocabulary();
  referat::bench::Rng rng(42);
  auto word = [&] {  // Zipf-ish: mostly frequent words, some rare ones
    double u = rng.uniform();
    auto idx = static_cast<std::size_t>(std::pow(static_cast<double>(vocab.size()), u)) - 1;
    return vocab[std::min(idx, vocab.size() - 1)];
  };
  const char* filters[] = {"udvalg:BSU", "udvalg:BUU", "år:2021..2023", "kategori:D", "dato:2022"};
  std::vector<BenchQuery> out;
  for (std::size_t i = 0; i < n; ++i) {
    switch (i % 10) {
      case 0: case 1: case 2: out.push_back({word(), true}); break;
      case 3: case 4: out.push_back({word() + " " + word(), true}); break;
      case 5: out.push_back({word() + " " + word() + " " + word(), true}); break;
      case 6: out.push_back({"\"" + word() + " " + word() + "\"", true}); break;
      case 7: out.push_back({word() + " OR " + word(), true}); break;
      case 8: out.push_back({word() + " -" + word(), true}); break;
      case 9: out.push_back({word() + " " + filters[rng.next() % 5], false}); break;
    }
  }
  return out;
}

struct Stats {
  std::vector<double> ms;
  void add(double v) { ms.push_back(v); }
  double pct(double p) {
    if (ms.empty()) return 0;
    std::sort(ms.begin(), ms.end());
    return ms[std::min(ms.size() - 1, static_cast<std::size_t>(p * static_cast<double>(ms.size())))];
  }
  double mean() const {
    double s = 0;
    for (double v : ms) s += v;
    return ms.empty() ? 0 : s / static_cast<double>(ms.size());
  }
};

double cpu_ms() {
  timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

double since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"bench_search: referat search latency vs a plain Xapian baseline"};
  std::size_t items = 100000, nqueries = 240, rounds = 2;
  std::string work = "/tmp/referat-bench-search";
  app.add_option("--items", items, "Generated agenda items")->capture_default_str();
  app.add_option("--work", work, "Work folder (corpus and indexes are reused when present)")->capture_default_str();
  app.add_option("--queries", nqueries, "Number of queries")->capture_default_str();
  app.add_option("--rounds", rounds, "Measured rounds over the query set")->capture_default_str();
  bool index_only = false;
  std::string write_queries;
  app.add_flag("--index-only", index_only, "Only generate and index the corpus (referat index)");
  bool no_plain = false;
  app.add_flag("--no-plain", no_plain, "Skip the plain Xapian baseline (e.g. for profiling)");
  app.add_option("--write-queries", write_queries, "Write the query set to this file and exit");
  bool unseen = false;
  app.add_flag("--unseen", unseen,
               "Warm up on one query set, then measure the generator's next --queries queries once "
               "(new queries, words partly seen before, as in a running server)");
  CLI11_PARSE(app, argc, argv);

  if (!write_queries.empty()) {
    std::ofstream out(write_queries);
    for (const auto& q : make_queries(nqueries)) out << q.text << "\n";
    return 0;
  }
  fs::path dir = fs::path(work) / std::to_string(items);
  fs::path corpus = dir / "corpus", ours = dir / "referat-db", plain = dir / "plain-db";
  fs::create_directories(dir);
  if (!fs::exists(corpus / ".done")) {
    auto t = Clock::now();
    fs::remove_all(corpus);
    referat::bench::CorpusGenerator gen(fs::path(REFERAT_SOURCE_DIR) / "corpus");
    auto st = gen.generate(corpus, items, 1);
    std::ofstream(corpus / ".done") << "ok\n";
    std::printf("generated %zu items (%.1f MB) in %.1f s\n", st.items, static_cast<double>(st.bytes) / 1e6, since(t) / 1e3);
  }
  // The cached index is reused only when written with this schema version.
  const std::string done_mark = "schema " + std::to_string(referat::schema::kSchemaVersion) + "\n";
  auto read_mark = [&] {
    std::ifstream in(ours / ".done");
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  };
  if (read_mark() != done_mark) {
    auto t = Clock::now();
    fs::remove_all(ours);
    referat::indexer::IndexOptions opts;
    opts.db_path = ours.string();
    auto s = referat::indexer::index_paths({corpus.string()}, opts);
    std::ofstream(ours / ".done") << done_mark;
    std::printf("referat index: %zu items in %.1f s\n", s.items_added, since(t) / 1e3);
  }
  if (index_only) return 0;
  if (!no_plain && !fs::exists(plain)) {
    auto t = Clock::now();
    plain_index(corpus, plain);
    std::printf("plain index in %.1f s\n", since(t) / 1e3);
  }

  // The query generator is deterministic, so the first n of 2n queries are make_queries(n).
  const auto generated = make_queries(unseen ? 2 * nqueries : nqueries);
  const std::vector<BenchQuery> warm_up(generated.begin(), generated.begin() + static_cast<std::ptrdiff_t>(nqueries));
  const std::vector<BenchQuery> measured(unseen ? generated.begin() + static_cast<std::ptrdiff_t>(nqueries) : generated.begin(),
                                         generated.end());
  if (unseen) rounds = 1;
  {
    Xapian::Database db(ours.string());
    for (int i = 0; i < 3; ++i) {  // the first pass reads the value streams from disk
      auto t = Clock::now();
      double c = cpu_ms();
      referat::searcher::FacetTable table(db);
      std::printf("facet table: %u documents, %.1f ms wall, %.1f ms CPU, %.2f MB\n", db.get_doccount(), since(t),
                  cpu_ms() - c, static_cast<double>(table.memory_bytes()) / 1e6);
    }
  }
  referat::searcher::Searcher searcher(ours.string());
  Xapian::Database pdb = no_plain ? Xapian::Database() : Xapian::Database(plain.string());
  Xapian::QueryParser qp;
  qp.set_database(pdb);
  qp.set_stemmer(Xapian::Stem("danish"));
  qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  qp.set_default_op(Xapian::Query::OP_AND);

  Stats top, count, base, top_cpu, count_cpu, base_cpu;  // wall and thread CPU time (the machine is shared)
  std::size_t total_hits = 0, plain_hits = 0, errors = 0;
  for (std::size_t round = 0; round <= rounds; ++round) {
    bool measure = round > 0;  // round 0 warms caches
    for (const auto& q : measure ? measured : warm_up) {
      referat::searcher::SearchRequest req;
      req.query = q.text;
      try {
        auto t = Clock::now();
        double c = cpu_ms();
        auto r = searcher.search(req);
        if (measure) {
          top.add(since(t));
          top_cpu.add(cpu_ms() - c);
        }
        if (measure && round == 1) total_hits += r.total;
        req.limit = 0;
        t = Clock::now();
        c = cpu_ms();
        searcher.search(req);
        if (measure) {
          count.add(since(t));
          count_cpu.add(cpu_ms() - c);
        }
      } catch (const std::exception& e) {
        if (round == 0) {
          ++errors;
          std::fprintf(stderr, "query error: %s: %s\n", q.text.c_str(), e.what());
        }
      }
      if (!q.plain || no_plain) continue;
      auto t = Clock::now();
      double c = cpu_ms();
      Xapian::Enquire enq(pdb);
      enq.set_query(qp.parse_query(q.text, Xapian::QueryParser::FLAG_DEFAULT));
      Xapian::ValueCountMatchSpy spy(0);
      enq.add_matchspy(&spy);
      auto m = enq.get_mset(0, 10, pdb.get_doccount());
      if (measure) {
        base.add(since(t));
        base_cpu.add(cpu_ms() - c);
      }
      if (measure && round == 1) plain_hits += m.get_matches_estimated();
    }
  }
  std::printf("%zu items, %zu queries (%zu also on the baseline), %zu measured rounds, %zu errors\n",
              static_cast<std::size_t>(searcher.stats().documents), measured.size(), base.ms.size() / rounds,
              rounds, errors);
  std::printf("mean matches per query: referat %.0f, plain %.0f\n",
              static_cast<double>(total_hits) / static_cast<double>(measured.size()),
              static_cast<double>(plain_hits) / static_cast<double>(std::max<std::size_t>(1, base.ms.size() / rounds)));
  std::printf("%-26s %8s %8s %8s %8s\n", "mode", "p50 ms", "p95 ms", "p99 ms", "mean ms");
  auto row = [](const char* name, Stats& s) {
    std::printf("%-26s %8.2f %8.2f %8.2f %8.2f\n", name, s.pct(0.5), s.pct(0.95), s.pct(0.99), s.mean());
  };
  row("referat top10 + 5 facets", top);
  row("referat count + 5 facets", count);
  row("plain top10 + 1 facet", base);
  row("referat top10, CPU time", top_cpu);
  row("referat count, CPU time", count_cpu);
  row("plain top10, CPU time", base_cpu);
  std::printf("ratio referat/plain: p50 %.2f x, p99 %.2f x (wall); CPU p50 %.2f x, p99 %.2f x\n",
              top.pct(0.5) / base.pct(0.5), top.pct(0.99) / base.pct(0.99), top_cpu.pct(0.5) / base_cpu.pct(0.5),
              top_cpu.pct(0.99) / base_cpu.pct(0.99));
  return 0;
}
