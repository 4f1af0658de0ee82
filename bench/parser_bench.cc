// MinutesParser throughput. Parsing must be linear in the input: the synthetic cases grow the
// input 1x/4x/16x and the time per byte must stay flat.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <benchmark/benchmark.h>

#include "indexer/minutes_parser.h"

namespace {
using referat::indexer::parse_minutes;

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// The items of corpus file 003 repeated `copies` times, renumbered consecutively.
std::string synthetic(int copies) {
  std::string base = read(std::filesystem::path(REFERAT_SOURCE_DIR) / "corpus" / "003_73d400813a1c1cc2.txt");
  std::string body = base.substr(base.find("Punkt 1:"));
  std::string out = base.substr(0, base.find("Punkt 1:"));
  int n = 0;
  for (int c = 0; c < copies; ++c) {
    std::size_t pos = 0;
    while (pos < body.size()) {
      std::size_t next = body.find("\nPunkt ", pos + 1);
      std::string item = body.substr(pos, next == std::string::npos ? std::string::npos : next - pos);
      std::size_t colon = item.find(':');
      std::size_t start = item.find("Punkt ");
      out += item.substr(0, start) + "Punkt " + std::to_string(++n) + item.substr(colon);
      out += "\n\n";
      if (next == std::string::npos) break;
      pos = next + 1;
    }
  }
  return out;
}

void BM_ParseCorpus(benchmark::State& state) {
  // the five files are parsed one by one, as the indexer does
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(std::filesystem::path(REFERAT_SOURCE_DIR) / "corpus"))
    if (e.path().extension() == ".txt") files.push_back(read(e.path()));
  std::size_t bytes = 0, items = 0;
  for (auto _ : state) {
    for (const auto& f : files) {
      auto r = parse_minutes(f, "bench");
      items += r.meeting.items.size();
      bytes += f.size();
      benchmark::DoNotOptimize(r);
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.counters["items/s"] = benchmark::Counter(static_cast<double>(items), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ParseCorpus)->Unit(benchmark::kMillisecond);

void BM_ParseSynthetic(benchmark::State& state) {
  const std::string text = synthetic(static_cast<int>(state.range(0)));
  std::size_t items = 0;
  for (auto _ : state) {
    auto r = parse_minutes(text, "bench");
    items += r.meeting.items.size();
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(text.size()));
  state.counters["items/s"] = benchmark::Counter(static_cast<double>(items), benchmark::Counter::kIsRate);
  state.counters["MB"] = static_cast<double>(text.size()) / 1e6;
}
BENCHMARK(BM_ParseSynthetic)->Arg(10)->Arg(40)->Arg(160)->Unit(benchmark::kMillisecond);

void BM_Parse50MBLine(benchmark::State& state) {
  std::string text = "Punkt 1: Stor\n\nResume\n";
  std::string line(50u << 20, 'x');
  for (std::size_t i = 5; i < line.size(); i += 6) line[i] = ' ';
  text += line;
  for (auto _ : state) {
    auto r = parse_minutes(text, "bench");
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(text.size()));
}
BENCHMARK(BM_Parse50MBLine)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
