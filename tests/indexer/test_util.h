// Helpers shared by the indexer tests: temporary folders, the corpus, running referat-index in a
// subprocess, drawing a PDF with cairo.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <xapian.h>

namespace referat::indexer::test {

namespace fs = std::filesystem;

/// A fresh folder under $TMPDIR (or /tmp), removed with everything in it at destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }
  fs::path operator/(const std::string& name) const { return path_ / name; }

 private:
  fs::path path_;
};

fs::path corpus_dir();
/// The five sample minutes files, sorted by name.
std::vector<fs::path> corpus_files();
/// Copies the sample minutes (only the .txt files) into `dest` (created).
void copy_corpus(const fs::path& dest);

std::string read_text(const fs::path& p);
void write_text(const fs::path& p, const std::string& text);

struct RunResult {
  int exit_code = -1;
  std::string output;  ///< stdout and stderr together
};
/// Runs referat-index with `args` (and extra environment variables), waits, returns exit code and
/// output.
RunResult run_index(const std::vector<std::string>& args,
                    const std::map<std::string, std::string>& env = {});
/// Starts referat-index in the background; returns its pid (output goes to `log`).
int spawn_index(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
                const fs::path& log);

/// Draws `text` into a PDF, one printed line per input line (blank lines as vertical space,
/// leading spaces as indentation), a new page at every "Punkt N:" line, DejaVu Sans.
void make_pdf(const std::string& text, const fs::path& pdf);

/// All terms of a document that start with `prefix` (prefix included).
std::vector<std::string> terms_with_prefix(const Xapian::Document& doc, const std::string& prefix);

}  // namespace referat::indexer::test
