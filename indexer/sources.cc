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
// links to folders are not descended into here but queued in `links`, to be walked as folders of
// their own once the walk is done (so that a real folder is always read as itself first).
void walk(const fs::path& dir, std::vector<fs::path>& out, std::vector<fs::path>& links,
          std::set<fs::path>& walked, std::vector<Diagnostic>& diags) {
  const std::string label = dir.string();
  const std::size_t before = out.size(), first_link = links.size();
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
  // In name order, not the directory's: of two links to one folder the same one is followed.
  std::sort(links.begin() + static_cast<std::ptrdiff_t>(first_link), links.end());
  // increment(ec) ends the loop on an error: a walk cut short is reported, not taken as whole.
  if (ec)
    diags.push_back({Diagnostic::Severity::Error, label, 0, "error while reading directory: " + ec.message()});
  else if (out.size() == before)
    diags.push_back({Diagnostic::Severity::Error, label, 0,
                     "no minutes files (.txt, .pdf) in this folder (is the share mounted?)"});
}
}  // namespace

std::vector<std::filesystem::path> collect_sources(const std::vector<std::string>& paths,
                                                   std::vector<Diagnostic>& diags) {
  std::vector<fs::path> out;
  // The given folders, as real paths: a link into one of them is not followed (the folder is read
  // as itself, so a file keeps one spelling and one key). Other linked folders are read once.
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
    std::vector<fs::path> links;
    walk(p, out, links, walked, diags);
    for (std::size_t i = 0; i < links.size(); ++i) {  // walk() may queue more
      const fs::path real = fs::canonical(links[i], ec);
      if (ec) continue;
      if (std::any_of(roots.begin(), roots.end(), [&](const fs::path& r) { return inside(real, r); }))
        continue;  // read as itself
      if (!walked.insert(real).second) {
        diags.push_back({Diagnostic::Severity::Warning, links[i].string(), 0,
                         "not followed: it links to " + real.string() + ", which is read already"});
        continue;
      }
      walk(links[i], out, links, walked, diags);
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace referat::indexer
