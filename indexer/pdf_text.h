// PDF minutes -> plain text in the hard-wrapped layout (minutes-format.md, layout B).
//
// For the parser: parse_minutes_file() calls read_pdf_text() for a path ending in ".pdf"
// (case-insensitive) and then parses the returned text exactly like a .txt file.
// This header includes no poppler header; indexer/pdf_text.cc is the only file that does.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

namespace referat::indexer {

/// The PDF could not be read (missing, not a PDF, damaged, encrypted).
struct PdfError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// The text of every page of `path`, in reading order, as UTF-8 with '\n' line ends:
///  - one output line per printed line (words of one baseline joined by single spaces);
///  - vertical gaps between lines become blank lines (a gap of about one empty line -> one blank
///    line), so paragraphs and the title/journal-number blank lines survive;
///  - a page break becomes three blank lines, as in the PDF-derived sample files;
///  - a line indented from the page's left margin starts with one space per ~space width, which
///    the parser reads as the "leading space" signal of the sample files.
/// Throws PdfError with the path and the reason.
std::string read_pdf_text(const std::filesystem::path& path);

}  // namespace referat::indexer
