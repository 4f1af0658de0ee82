#include "tests/searcher/corpus_fixture.h"

#include <cstdlib>
#include <fstream>
#include <functional>
#include <filesystem>
#include <memory>

#include "indexer/committees.h"
#include "indexer/document_builder.h"
#include "indexer/index_writer.h"
#include "indexer/minutes_parser.h"

namespace referat::searcher::test {

namespace fs = std::filesystem;

namespace {

/// The index is built once per test binary (gtest_discover_tests runs every test in its own
/// process): in a folder keyed by the binary's modification time, built under a temporary name
/// and renamed into place, so parallel test processes never see a half-built index.
std::string cached_index(const std::vector<fs::path>& files, const std::string& name) {
  auto exe = fs::read_symlink("/proc/self/exe");
  auto stamp = fs::last_write_time(exe).time_since_epoch().count();
  fs::path dir = fs::temp_directory_path() /
                 ("referat-searcher-test-" + std::to_string(std::hash<std::string>{}(exe.string())) + "-" +
                  std::to_string(stamp));
  fs::path db = dir / name;
  if (fs::exists(db)) return db.string();
  // Indexes of earlier builds of this same binary are stale: remove them.
  std::error_code ec;
  const std::string mine = dir.filename().string();
  const std::string family = mine.substr(0, mine.rfind('-') + 1);
  for (const auto& e : fs::directory_iterator(fs::temp_directory_path(), ec)) {
    std::string entry = e.path().filename().string();
    if (entry != mine && entry.rfind(family, 0) == 0) fs::remove_all(e.path(), ec);
  }
  fs::create_directories(dir);
  std::string tmpl = (dir / "building-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  indexer::IndexOptions opts;
  opts.db_path = tmpl + "/db";
  opts.jobs = 1;
  std::vector<std::string> paths;
  for (const auto& f : files) paths.push_back(f.string());
  indexer::index_paths(paths, opts);
  fs::rename(opts.db_path, db, ec);  // fails harmlessly when another process won the race
  fs::remove_all(tmpl, ec);
  return db.string();
}

std::unique_ptr<Corpus> build() {
  auto c = std::make_unique<Corpus>();
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(fs::path(source_dir()) / "corpus"))
    if (e.path().extension() == ".txt") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  c->db_path = cached_index(files, "db");
  // The same corpus as two shards (files 000-002 and 003-004), searched as one database.
  std::vector<fs::path> first(files.begin(), files.begin() + 3), second(files.begin() + 3, files.end());
  c->sharded_path = cached_index(first, "shard-a") + "," + cached_index(second, "shard-b");

  c->meetings.reserve(files.size());
  stemmers::Analyzer& an = analyzer();
  for (const auto& f : files) {
    auto r = indexer::parse_minutes_file(f, f.string());
    c->meetings.push_back(std::move(r.meeting));
    const indexer::Meeting& m = c->meetings.back();
    for (const auto& item : m.items) {
      RefItem ri;
      ri.id = indexer::item_id(m, item, f.stem().string());
      ri.file = f.filename().string();
      ri.meeting = &m;
      ri.item = &item;
      ri.text = item.title;
      for (const auto& s : item.sections) ri.text += "\n\n" + s.text;
      std::vector<stemmers::Token> tokens;
      an.analyze(item.title, stemmers::Mode::Index, tokens);
      for (const auto& s : item.sections) an.analyze(s.text, stemmers::Mode::Index, tokens);
      for (const auto& t : tokens) ri.words.insert(t.text);
      if (m.committee.value) ri.committees.insert(*m.committee.value);
      for (const auto& d : item.decisions) {
        if (!d.committee.empty()) ri.committees.insert(d.committee);
        if (!d.outcome.empty()) ri.outcomes.insert(d.outcome);
      }
      if (m.date.value) ri.year = m.date.value->substr(0, 4);
      if (item.journal && item.journal->kle.size() >= 2) ri.kle = item.journal->kle.substr(0, 2);
      if (item.category) ri.category = std::string(1, *item.category);
      c->items.push_back(std::move(ri));
    }
  }
  return c;
}

}  // namespace

std::string source_dir() { return REFERAT_SOURCE_DIR; }

const RefItem* Corpus::find(const std::string& id) const {
  for (const auto& i : items)
    if (i.id == id) return &i;
  return nullptr;
}

stemmers::Analyzer& analyzer() {
  static stemmers::Analyzer a;
  return a;
}

const Corpus& corpus() {
  static std::unique_ptr<Corpus> c = build();
  return *c;
}

Searcher& searcher() {
  static Searcher s(corpus().db_path);
  return s;
}

std::set<std::string> match_ids(const std::string& query, SearchRequest request) {
  request.query = query;
  request.all = true;
  request.facets = false;
  request.snippet_bytes = 0;
  std::set<std::string> out;
  for (const auto& h : searcher().search(request).hits) out.insert(h.id);
  return out;
}

}  // namespace referat::searcher::test
