// bench_analyzer: throughput of the whole Danish analysis chain (referat::stemmers::Analyzer,
// index mode) next to a bare ICU word-break pass (UAX #29, locale da) over the same text.
//
// Texts: the bundled corpus (corpus/*.txt), and a larger generated text (8 MB) made of corpus
// words plus new compounds built from them, so the caches meet many distinct words. Both are cut
// into ~4 KB chunks at line ends, about the size of an agenda-item section the indexer analyses.
// The chain is measured after one warm-up pass (lemma and split caches filled), and once cold.
#include <benchmark/benchmark.h>
#include <unicode/brkiter.h>
#include <unicode/utext.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

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

std::string generate(const std::string& corpus, std::size_t bytes) {
  std::vector<std::string> words;
  std::istringstream in(corpus);
  for (std::string w; in >> w;) words.push_back(w);
  std::mt19937 rng(42);
  std::uniform_int_distribution<std::size_t> pick(0, words.size() - 1);
  std::uniform_int_distribution<int> percent(0, 99);
  std::string out;
  out.reserve(bytes + 100);
  int col = 0;
  while (out.size() < bytes) {
    const int p = percent(rng);
    if (p < 88) {
      out += words[pick(rng)];
    } else if (p < 97) {  // a new compound: modifier (+ linking s) + head
      std::string a = words[pick(rng)], b = words[pick(rng)];
      for (char& c : b) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      out += a;
      if (percent(rng) < 50) out += 's';
      out += b;
    } else {
      out += std::to_string(percent(rng) * 1237) + "," + std::to_string(percent(rng) % 10);
    }
    out += (++col % 14 == 0) ? '\n' : ' ';
  }
  return out;
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
  static const std::string t = generate(corpus_text(), 8u << 20);
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

// range(0): 0 = bundled corpus, 1 = generated 8 MB text
BENCHMARK(BM_IcuWordBreak)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AnalyzerChain)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AnalyzerChainCold)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->Iterations(1);

BENCHMARK_MAIN();
