// PDF text extraction through poppler-cpp's word boxes (page::text_list). We rebuild lines and
// blank lines from the word geometry ourselves because page::text() drops vertical gaps, and the
// minutes parser needs blank lines (title ends at the first blank line, page break = 3 blanks).
#include "indexer/pdf_text.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <mutex>
#include <vector>

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-page.h>

namespace referat::indexer {
namespace {

struct Word {
  std::string text;
  double x0, x1, top, bottom;
  bool space_after;
};

struct Line {
  std::vector<Word> words;
  double top = 0, bottom = 0, x0 = 0;
  double baseline() const { return bottom; }
  double height() const { return bottom - top; }
};

std::string utf8(const poppler::ustring& s) {
  poppler::byte_array bytes = s.to_utf8();
  return std::string(bytes.begin(), bytes.end());
}

// Groups word boxes into lines: words whose vertical centre lies inside a line's band belong to
// it. Boxes come roughly in reading order; we sort by vertical centre first, then by x.
std::vector<Line> build_lines(std::vector<Word> words) {
  std::stable_sort(words.begin(), words.end(), [](const Word& a, const Word& b) {
    return (a.top + a.bottom) < (b.top + b.bottom);
  });
  std::vector<Line> lines;
  for (auto& w : words) {
    double mid = (w.top + w.bottom) / 2;
    if (!lines.empty() && mid > lines.back().top && mid < lines.back().bottom) {
      Line& l = lines.back();
      l.top = std::min(l.top, w.top);
      l.bottom = std::max(l.bottom, w.bottom);
      l.words.push_back(std::move(w));
    } else {
      Line l;
      l.top = w.top;
      l.bottom = w.bottom;
      l.words.push_back(std::move(w));
      lines.push_back(std::move(l));
    }
  }
  for (auto& l : lines) {
    std::stable_sort(l.words.begin(), l.words.end(),
                     [](const Word& a, const Word& b) { return a.x0 < b.x0; });
    l.x0 = l.words.front().x0;
  }
  return lines;
}

double median(std::vector<double> v, double fallback) {
  if (v.empty()) return fallback;
  std::nth_element(v.begin(), v.begin() + static_cast<long>(v.size() / 2), v.end());
  return v[v.size() / 2];
}

}  // namespace

std::string read_pdf_text(const std::filesystem::path& path) {
  // poppler prints its own diagnostics on stderr; our PdfError carries the reason instead.
  static const bool silenced = [] {
    poppler::set_debug_error_function([](const std::string&, void*) {}, nullptr);
    return true;
  }();
  (void)silenced;
  // poppler keeps process-wide state (GlobalParams, font caches); the indexer's worker threads
  // read PDFs one at a time rather than rely on its thread safety.
  static std::mutex poppler_mutex;
  std::lock_guard lock(poppler_mutex);
  std::unique_ptr<poppler::document> doc(poppler::document::load_from_file(path.string()));
  if (!doc) throw PdfError(path.string() + ": cannot open as PDF (missing, damaged or not a PDF)");
  if (doc->is_locked()) throw PdfError(path.string() + ": the PDF is encrypted");

  std::string out;
  for (int p = 0; p < doc->pages(); ++p) {
    std::unique_ptr<poppler::page> page(doc->create_page(p));
    if (!page) continue;
    std::vector<Word> words;
    for (const poppler::text_box& box : page->text_list()) {
      poppler::rectf r = box.bbox();
      std::string t = utf8(box.text());
      if (t.empty()) continue;
      words.push_back({std::move(t), r.left(), r.right(), r.top(), r.bottom(),
                       box.has_space_after()});
    }
    if (p > 0) out += "\n\n\n\n";  // page break: three blank lines
    if (words.empty()) continue;
    std::vector<Line> lines = build_lines(std::move(words));

    // The line pitch (baseline to baseline of consecutive lines) and the left margin of the page.
    std::vector<double> pitches, heights;
    double margin = lines.front().x0;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      heights.push_back(lines[i].height());
      margin = std::min(margin, lines[i].x0);
      if (i > 0) pitches.push_back(lines[i].baseline() - lines[i - 1].baseline());
    }
    double height = median(heights, 10.0);
    // The smallest common pitch is the single-spaced one; a paragraph gap adds a multiple of it.
    std::sort(pitches.begin(), pitches.end());
    double pitch = pitches.empty() ? height * 1.2 : pitches[pitches.size() / 4];
    if (pitch <= 0) pitch = height * 1.2;
    double space_width = height * 0.3;

    for (std::size_t i = 0; i < lines.size(); ++i) {
      const Line& l = lines[i];
      if (i > 0) {
        double gap = l.baseline() - lines[i - 1].baseline();
        long blanks = std::lround(gap / pitch) - 1;
        out += '\n';
        for (long b = 0; b < std::clamp(blanks, 0L, 3L); ++b) out += '\n';
      }
      long indent = std::lround((l.x0 - margin) / space_width);
      if (indent > 0) out.append(static_cast<std::size_t>(std::min(indent, 40L)), ' ');
      for (std::size_t w = 0; w < l.words.size(); ++w) {
        out += l.words[w].text;
        if (w + 1 < l.words.size()) {
          const Word& a = l.words[w];
          const Word& b = l.words[w + 1];
          // poppler marks inter-word spaces; a visible gap also counts (table cells).
          if (a.space_after || b.x0 - a.x1 > space_width * 0.5) out += ' ';
        }
      }
    }
  }
  return out;
}

}  // namespace referat::indexer
