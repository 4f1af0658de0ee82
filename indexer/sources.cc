// Input discovery. See sources.h.
#include "indexer/sources.h"

#include <algorithm>
#include <set>
#include <system_error>

namespace referat::indexer {
namespace {
std::string lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  return s;
}
}  // namespace

bool is_minutes_file(const std::filesystem::path& p) {
  std::string name = lower(p.filename().string());
  if (name.empty() || name[0] == '.') return false;
  if (name.size() >= 10 && name.compare(name.size() - 10, 10, ".meta.json") == 0) return false;
  if (name.rfind("readme", 0) == 0) return false;
  std::string ext = lower(p.extension().string());
  return ext == ".txt" || ext == ".pdf";
}

namespace {
namespace fs = std::filesystem;

// True when `real` is `root` or lies inside it (both canonical).
bool inside(const fs::path& real, const fs::path& root) {
  auto r = root.begin(), p = real.begin();
  for (; r != root.end(); ++r, ++p)
    if (p == real.end() || *p != *r) return false;
  return true;
}

// Walks one folder (a given one, or one reached through a link) for minutes files. Symbolic
// links to folders are followed after the folder's own tree (so that a real folder is read as
// itself first), in name order, each real folder once (`walked`), links into a given folder
// (`roots`) not at all. A folder that yields no minutes file, through its links included, is an
// error, as is a walk cut short.
void walk(const fs::path& dir, const std::vector<fs::path>& roots, std::vector<fs::path>& out,
          std::set<fs::path>& walked, std::vector<Diagnostic>& diags) {
  const std::string label = dir.string();
  const std::size_t before = out.size();
  std::vector<fs::path> links;
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
  if (ec) {
    diags.push_back({Diagnostic::Severity::Error, label, 0, "cannot read directory: " + ec.message()});
    return;
  }
  for (const fs::recursive_directory_iterator end; it != end; it.increment(ec)) {
    const fs::directory_entry& e = *it;
    std::error_code ec2;
    if (e.is_symlink(ec2)) {
      if (e.is_directory(ec2)) links.push_back(e.path());
      else if (e.is_regular_file(ec2)) {
        if (is_minutes_file(e.path())) out.push_back(e.path());
      } else if (is_minutes_file(e.path())) {
        diags.push_back({Diagnostic::Severity::Error, e.path().string(), 0,
                         "broken symbolic link (its target does not exist)"});
      }
    } else if (e.is_directory(ec2)) {
      walked.insert(fs::canonical(e.path(), ec2));
    } else if (e.is_regular_file(ec2) && is_minutes_file(e.path())) {
      out.push_back(e.path());
    }
  }
  // increment(ec) ends the loop on an error: a walk cut short is reported, not taken as whole.
  if (ec) {
    diags.push_back({Diagnostic::Severity::Error, label, 0, "error while reading directory: " + ec.message()});
    return;
  }
  std::sort(links.begin(), links.end());  // not the directory's order: the same link wins each run
  for (const fs::path& link : links) {
    std::error_code ec2;
    const fs::path real = fs::canonical(link, ec2);
    if (ec2) continue;
    if (std::any_of(roots.begin(), roots.end(), [&](const fs::path& r) { return inside(real, r); }))
      continue;  // read as itself
    if (!walked.insert(real).second) {
      diags.push_back({Diagnostic::Severity::Warning, link.string(), 0,
                       "not followed: it links to " + real.string() + ", which is read already"});
      continue;
    }
    walk(link, roots, out, walked, diags);
  }
  if (out.size() == before)
    diags.push_back({Diagnostic::Severity::Error, label, 0,
                     "no minutes files (.txt, .pdf) in this folder (is the share mounted?)"});
}
}  // namespace

std::vector<std::filesystem::path> collect_sources(const std::vector<std::string>& paths,
                                                   std::vector<Diagnostic>& diags) {
  std::vector<fs::path> out;
  // The given folders, as real paths: a link into one of them is not followed (the folder is read
  // as itself, so a file keeps one spelling and one key).
  std::vector<fs::path> roots;
  for (const auto& given : paths) {
    std::error_code ec;
    if (fs::is_directory(given, ec)) roots.push_back(fs::canonical(given, ec));
  }
  std::set<fs::path> walked;
  for (const auto& given : paths) {
    fs::path p(given);
    std::error_code ec;
    fs::file_status st = fs::status(p, ec);
    if (ec || !fs::exists(st)) {
      diags.push_back({Diagnostic::Severity::Error, given, 0, "no such file or directory"});
      continue;
    }
    if (!fs::is_directory(st)) {
      out.push_back(p);
      continue;
    }
    if (!walked.insert(fs::canonical(p, ec)).second) continue;  // given twice
    walk(p, roots, out, walked, diags);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace referat::indexer
