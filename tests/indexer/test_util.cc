#include "tests/indexer/test_util.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <cairo-pdf.h>
#include <cairo.h>

namespace referat::indexer::test {

TempDir::TempDir() {
  const char* tmp = std::getenv("TMPDIR");
  std::string tmpl = std::string(tmp && *tmp ? tmp : "/tmp") + "/referat-indexer-test-XXXXXX";
  if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

fs::path corpus_dir() { return fs::path(REFERAT_SOURCE_DIR) / "corpus"; }

std::vector<fs::path> corpus_files() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(corpus_dir()))
    if (e.path().extension() == ".txt") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

void copy_corpus(const fs::path& dest) {
  fs::create_directories(dest);
  for (const auto& f : corpus_files()) fs::copy_file(f, dest / f.filename());
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_text(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << text;
}

namespace {

[[noreturn]] void exec_index(const std::vector<std::string>& args,
                             const std::map<std::string, std::string>& env) {
  for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
  std::vector<char*> argv;
  std::string bin = REFERAT_INDEX_BIN;
  argv.push_back(bin.data());
  std::vector<std::string> copy = args;
  for (auto& a : copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  execv(bin.c_str(), argv.data());
  _exit(127);
}

}  // namespace

int spawn_index(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
                const fs::path& log) {
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
      close(fd);
    }
    exec_index(args, env);
  }
  return pid;
}

RunResult run_index(const std::vector<std::string>& args,
                    const std::map<std::string, std::string>& env) {
  TempDir tmp;
  fs::path log = tmp / "output.log";
  int pid = spawn_index(args, env, log);
  int status = 0;
  waitpid(pid, &status, 0);
  RunResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.output = read_text(log);
  return r;
}

void make_pdf(const std::string& text, const fs::path& pdf) {
  constexpr double kFont = 8, kPitch = 11, kMargin = 36, kWidth = 900;
  // Split into lines, and lines into pages (a new page at each "Punkt N:" line).
  std::vector<std::vector<std::string>> pages(1);
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    std::string stripped = line.substr(std::min(line.find_first_not_of(" \t"), line.size()));
    if (stripped.rfind("Punkt ", 0) == 0 && !pages.back().empty()) pages.emplace_back();
    pages.back().push_back(line);
    start = end + 1;
  }
  cairo_surface_t* surface = cairo_pdf_surface_create(pdf.c_str(), kWidth, 100);
  cairo_t* cr = cairo_create(surface);
  cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, kFont);
  for (const auto& page : pages) {
    cairo_pdf_surface_set_size(surface, kWidth,
                               2 * kMargin + kPitch * static_cast<double>(page.size() + 1));
    double y = kMargin + kPitch;
    for (std::string line : page) {
      std::replace(line.begin(), line.end(), '\t', ' ');
      if (line.find_first_not_of(' ') != std::string::npos) {
        cairo_move_to(cr, kMargin, y);
        cairo_show_text(cr, line.c_str());  // leading spaces advance x: indentation
      }
      y += kPitch;
    }
    cairo_show_page(cr);
  }
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  cairo_status_t st = cairo_surface_status(surface);
  cairo_surface_destroy(surface);
  if (st != CAIRO_STATUS_SUCCESS) throw std::runtime_error("cairo could not write " + pdf.string());
}

std::vector<std::string> terms_with_prefix(const Xapian::Document& doc, const std::string& prefix) {
  std::vector<std::string> out;
  auto it = doc.termlist_begin();
  it.skip_to(prefix);
  for (; it != doc.termlist_end(); ++it) {
    std::string t = *it;
    if (t.compare(0, prefix.size(), prefix) != 0) break;
    out.push_back(t);
  }
  return out;
}

}  // namespace referat::indexer::test
