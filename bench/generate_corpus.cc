// bench_generate: writes a deterministic synthetic minutes corpus (see bench/corpus_gen.h).
//   bench_generate OUT_DIR [--items N] [--seed S] [--sample DIR]
#include <cstdio>
#include <string>

#include <CLI/CLI.hpp>

#include "bench/corpus_gen.h"

int main(int argc, char** argv) {
  CLI::App app{"bench_generate: write a synthetic minutes corpus in the sample corpus' format"};
  std::string out, sample = std::string(REFERAT_SOURCE_DIR) + "/corpus";
  std::size_t items = 1000;
  std::uint64_t seed = 1;
  app.add_option("out", out, "Output folder (created)")->required();
  app.add_option("--items", items, "Number of agenda items")->capture_default_str();
  app.add_option("--seed", seed, "Random seed (same seed, same corpus)")->capture_default_str();
  app.add_option("--sample", sample, "Sample minutes folder (vocabulary)")->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  referat::bench::CorpusGenerator gen(sample);
  auto st = gen.generate(out, items, seed);
  std::printf("%zu files, %zu items, %.1f MB in %s\n", st.files, st.items,
              static_cast<double>(st.bytes) / 1e6, out.c_str());
  return 0;
}
