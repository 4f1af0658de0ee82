// bench_analyzer: throughput of the whole Danish analysis chain (referat::stemmers::Analyzer,
// index mode) next to a bare ICU word-break pass (UAX #29, locale da) over the same text.
//
// Texts: the bundled corpus (corpus/*.txt), and a larger generated text (2000 agenda items from
// bench/corpus_gen.h, about 9 MB) whose vocabulary keeps growing, so the caches meet many distinct
// words. Both are cut
// into ~4 KB chunks at line ends, about the size of an agenda-item section the indexer analyses.
// The chain is measured after one warm-up pass (lemma and split caches filled), and once cold.
#include <benchmark/benchmark.h>
#include <unicode/brkiter.h>
#include <unicode/utext.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "bench/corpus_gen.h"
#include "stemmers/analyzer.h"

namespace {

using referat::stemmers::Analyzer;
using referat::stemmers::Mode;
using referat::stemmers::Token;

std::string read_corpus() {
  std::string all;
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(REFERAT_SOURCE_DIR "/corpus"))
    if (e.path().extension() == ".txt") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    all += s.str();
    all += '\n';
  }
  return all;
}

// The larger text: minutes written by the shared benchmark generator (bench/corpus_gen.h, also
// used by bench_index): Zipfian corpus vocabulary plus an open tail of new compounds.
std::string generate(std::size_t items) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("referat_bench_analyzer_" + std::to_string(::getpid()));
  referat::bench::CorpusGenerator gen(REFERAT_SOURCE_DIR "/corpus");
  gen.generate(dir, items, 20240131);
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().extension() == ".txt") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  std::string all;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    all += s.str();
    all += '\n';
  }
  std::filesystem::remove_all(dir);
  return all;
}

std::vector<std::string_view> chunks(const std::string& text) {
  std::vector<std::string_view> out;
  std::size_t b = 0;
  while (b < text.size()) {
    std::size_t e = std::min(text.size(), b + 4096);
    if (e < text.size()) {
      const std::size_t nl = text.find('\n', e);
      e = nl == std::string::npos ? text.size() : nl + 1;
    }
    out.emplace_back(text.data() + b, e - b);
    b = e;
  }
  return out;
}

const std::string& corpus_text() {
  static const std::string t = read_corpus();
  return t;
}
const std::string& generated_text() {
  static const std::string t = generate(2000);
  return t;
}
const std::string& text_for(int which) { return which == 0 ? corpus_text() : generated_text(); }

void report(benchmark::State& state, std::size_t bytes, std::size_t tokens) {
  state.SetBytesProcessed(static_cast<int64_t>(bytes) * state.iterations());
  state.counters["tokens/s"] =
      benchmark::Counter(static_cast<double>(tokens), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["MB/s"] = benchmark::Counter(static_cast<double>(bytes) / 1e6,
                                              benchmark::Counter::kIsIterationInvariantRate);
}

// Bare ICU: word boundaries over the raw UTF-8 text, counting word segments.
void BM_IcuWordBreak(benchmark::State& state) {
  const std::string& text = text_for(static_cast<int>(state.range(0)));
  const auto parts = chunks(text);
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> bi(
      icu::BreakIterator::createWordInstance(icu::Locale("da"), status));
  UText* ut = nullptr;
  std::size_t words = 0;
  for (auto _ : state) {
    words = 0;
    for (std::string_view c : parts) {
      ut = utext_openUTF8(ut, c.data(), static_cast<int64_t>(c.size()), &status);
      bi->setText(ut, status);
      for (int32_t e = bi->next(); e != icu::BreakIterator::DONE; e = bi->next())
        if (bi->getRuleStatus() >= UBRK_WORD_NONE_LIMIT) ++words;
    }
    benchmark::DoNotOptimize(words);
  }
  utext_close(ut);
  report(state, text.size(), words);
}

// The whole chain after a warm-up pass.
void BM_AnalyzerChain(benchmark::State& state) {
  const std::string& text = text_for(static_cast<int>(state.range(0)));
  const auto parts = chunks(text);
  Analyzer analyzer;
  std::vector<Token> out;
  for (std::string_view c : parts) {  // warm-up: fill the caches
    out.clear();
    analyzer.analyze(c, Mode::Index, out);
  }
  std::size_t tokens = 0;
  for (auto _ : state) {
    tokens = 0;
    for (std::string_view c : parts) {
      out.clear();
      analyzer.analyze(c, Mode::Index, out);
      tokens += out.size();
    }
    benchmark::DoNotOptimize(out.data());
  }
  report(state, text.size(), tokens);
}

// The whole chain from empty caches (a fresh Analyzer; its construction is not timed).
void BM_AnalyzerChainCold(benchmark::State& state) {
  const std::string& text = text_for(static_cast<int>(state.range(0)));
  const auto parts = chunks(text);
  std::vector<Token> out;
  std::size_t tokens = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto analyzer = std::make_unique<Analyzer>();
    state.ResumeTiming();
    tokens = 0;
    for (std::string_view c : parts) {
      out.clear();
      analyzer->analyze(c, Mode::Index, out);
      tokens += out.size();
    }
    benchmark::DoNotOptimize(out.data());
    state.PauseTiming();
    analyzer.reset();
    state.ResumeTiming();
  }
  report(state, text.size(), tokens);
}

}  // namespace

// range(0): 0 = bundled corpus, 1 = generated text
// The machine is shared, so run with --benchmark_repetitions=N and compare the "min" rows: the
// least-disturbed run of each.
double min_of(const std::vector<double>& v) { return *std::min_element(v.begin(), v.end()); }
BENCHMARK(BM_IcuWordBreak)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->ComputeStatistics("min", min_of);
BENCHMARK(BM_AnalyzerChain)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->ComputeStatistics("min", min_of);
BENCHMARK(BM_AnalyzerChainCold)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->Iterations(1);

BENCHMARK_MAIN();
