// bench_index: indexes a generated corpus (default 100,000 items) with referat's indexer and, in the
// same run, with a plain Xapian indexer (TermGenerator + Stem("danish"), one document per item, no
// fields), and reports items/s, MB/s, peak memory and index size / raw text for both.
// Each phase runs in a child process so that its peak RSS (wait4) is its own.
//   bench_index [--items N] [--work DIR] [--jobs J] [--flush-mb M] [--no-baseline] [--no-compact]
//               [--single-writer] [--keep]
// The referat run includes --compact (timed); the plain run is one commit, as written. The
// referat run into the fresh database takes the shard-parallel path (IndexOptions::shards) unless
// --single-writer or --jobs 1.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <xapian.h>

#include "bench/corpus_gen.h"
#include "indexer/index_writer.h"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

std::uintmax_t dir_size(const fs::path& p) {
  std::uintmax_t n = 0;
  for (const auto& e : fs::recursive_directory_iterator(p))
    if (e.is_regular_file()) n += e.file_size();
  return n;
}

std::uintmax_t text_bytes(const fs::path& corpus) {
  std::uintmax_t n = 0;
  for (const auto& e : fs::directory_iterator(corpus))
    if (e.path().extension() == ".txt") n += e.file_size();
  return n;
}

struct Phase {
  double seconds = 0;
  double cpu_seconds = 0;  // user + system, all threads
  long peak_kb = 0;
  std::size_t items = 0;
};

// Runs `fn` (returning the number of items) in a child; its wall time, items and peak RSS.
template <class F>
Phase run_child(F fn) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("pipe");
  auto start = Clock::now();
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    std::size_t items = 0;
    try {
      items = fn();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "bench_index: %s\n", e.what());
      _exit(1);
    }
    if (write(fds[1], &items, sizeof items) != sizeof items) _exit(1);
    _exit(0);
  }
  close(fds[1]);
  Phase ph;
  if (read(fds[0], &ph.items, sizeof ph.items) != sizeof ph.items) ph.items = 0;
  close(fds[0]);
  int status = 0;
  struct rusage ru {};
  wait4(pid, &status, 0, &ru);
  ph.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  ph.peak_kb = ru.ru_maxrss;
  ph.cpu_seconds = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                   static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw std::runtime_error("phase failed");
  return ph;
}

// The plain baseline: one document per item (the text from one "Punkt N:" line to the next).
std::size_t plain_xapian(const fs::path& corpus, const fs::path& db_path) {
  Xapian::WritableDatabase db(db_path.string(), Xapian::DB_CREATE_OR_OVERWRITE);
  Xapian::TermGenerator tg;
  tg.set_stemmer(Xapian::Stem("danish"));
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(corpus))
    if (e.path().extension() == ".txt") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  std::size_t items = 0;
  auto add = [&](const std::string& text) {
    if (text.empty()) return;
    Xapian::Document doc;
    tg.set_document(doc);
    tg.index_text(text);
    db.add_document(doc);
    ++items;
  };
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::string line, item;
    while (std::getline(in, line)) {
      std::size_t s = line.find_first_not_of(' ');
      if (s != std::string::npos && line.compare(s, 6, "Punkt ") == 0) {
        add(item);
        item.clear();
      }
      item += line;
      item += '\n';
    }
    add(item);
  }
  db.commit();
  return items;
}

void report(const char* name, const Phase& p, std::uintmax_t raw, std::uintmax_t index) {
  double mb = static_cast<double>(raw) / 1e6;
  std::printf("%-22s %8zu items %8.1f s (cpu %6.1f s) %9.0f items/s %7.2f MB/s  peak %7.0f MB"
              "  index %7.1f MB = %.2f x raw\n",
              name, p.items, p.seconds, p.cpu_seconds, static_cast<double>(p.items) / p.seconds,
              mb / p.seconds,
              static_cast<double>(p.peak_kb) / 1024, static_cast<double>(index) / 1e6,
              static_cast<double>(index) / static_cast<double>(raw));
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"bench_index: referat-index throughput, memory and size vs a plain Xapian indexer"};
  std::size_t items = 100000;
  std::string work = "bench-index-work";
  unsigned jobs = 0;
  double flush_mb = 16;
  bool no_baseline = false, keep = false, no_compact = false, single_writer = false;
  std::uint64_t seed = 1;
  app.add_option("--items", items, "Items in the generated corpus")->capture_default_str();
  app.add_option("--work", work, "Work folder (corpus and databases)")->capture_default_str();
  app.add_option("--jobs", jobs, "referat threads (0 = cores)")->capture_default_str();
  app.add_option("--flush-mb", flush_mb, "referat commit size in MB of text")->capture_default_str();
  app.add_option("--seed", seed, "Corpus seed")->capture_default_str();
  app.add_flag("--no-baseline", no_baseline, "Skip the plain Xapian run");
  app.add_flag("--keep", keep, "Keep the work folder");
  app.add_flag("--no-compact", no_compact, "Do not compact the referat index at the end");
  app.add_flag("--single-writer", single_writer,
               "One writer thread (the incremental path) instead of one shard per job");
  CLI11_PARSE(app, argc, argv);

  fs::path dir(work);
  fs::path corpus = dir / ("corpus-g2-" + std::to_string(items) + "-" + std::to_string(seed));
  if (!fs::exists(corpus / "done")) {
    fs::remove_all(corpus);
    referat::bench::CorpusGenerator gen(fs::path(REFERAT_SOURCE_DIR) / "corpus");
    auto st = gen.generate(corpus, items, seed);
    std::ofstream(corpus / "done") << st.items;
    std::printf("generated %zu files, %zu items, %.1f MB\n", st.files, st.items,
                static_cast<double>(st.bytes) / 1e6);
  }
  std::uintmax_t raw = text_bytes(corpus);
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  std::printf("corpus %s: %.1f MB of minutes text\n", corpus.c_str(), static_cast<double>(raw) / 1e6);

  fs::path ours = dir / "referat-db", plain = dir / "plain-db";
  fs::remove_all(ours);
  fs::remove_all(plain);
  Phase r = run_child([&] {
    referat::indexer::IndexOptions opt;
    opt.db_path = ours.string();
    opt.jobs = jobs;
    opt.flush_bytes = static_cast<std::size_t>(flush_mb * (1 << 20));
    opt.compact = !no_compact;
    opt.shards = !single_writer;
    auto s = referat::indexer::index_paths({corpus.string()}, opt);
    if (s.files_rejected) std::fprintf(stderr, "%zu files rejected\n", s.files_rejected);
    return s.items_added;
  });
  report("referat-index", r, raw, dir_size(ours));
  if (!no_baseline) {
    Phase b = run_child([&] { return plain_xapian(corpus, plain); });
    report("plain Xapian", b, raw, dir_size(plain));
    // Size comparison on equal terms: the plain index compacted too (not timed).
    fs::path plain_c = dir / "plain-db-compact";
    fs::remove_all(plain_c);
    Xapian::Database(plain.string()).compact(plain_c.string());
    std::uintmax_t plain_size = dir_size(plain_c);
    std::printf("plain Xapian compacted: index %.1f MB = %.2f x raw\n",
                static_cast<double>(plain_size) / 1e6,
                static_cast<double>(plain_size) / static_cast<double>(raw));
    std::printf("referat / plain: %.2f x MB/s, %.2f x index size (both compacted)\n",
                b.seconds / r.seconds,
                static_cast<double>(dir_size(ours)) / static_cast<double>(plain_size));
    fs::remove_all(plain_c);
  }
  if (!keep) {
    fs::remove_all(ours);
    fs::remove_all(plain);
  }
  return 0;
}
