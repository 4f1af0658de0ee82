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

std::vector<std::filesystem::path> collect_sources(const std::vector<std::string>& paths,
                                                   std::vector<Diagnostic>& diags) {
  namespace fs = std::filesystem;
  std::vector<fs::path> out;
  std::set<fs::path> walked;  // real folders walked, over all paths: loops and repeats end here
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
    const std::size_t before = out.size();
    walked.insert(fs::canonical(p, ec));
    fs::recursive_directory_iterator it(
        p, fs::directory_options::skip_permission_denied | fs::directory_options::follow_directory_symlink, ec);
    if (ec) {
      diags.push_back({Diagnostic::Severity::Error, given, 0, "cannot read directory: " + ec.message()});
      continue;
    }
    for (const fs::recursive_directory_iterator end; it != end; it.increment(ec)) {
      if (ec) {
        diags.push_back({Diagnostic::Severity::Error, given, 0, "error while reading directory: " + ec.message()});
        break;
      }
      const fs::directory_entry& e = *it;
      std::error_code ec2;
      if (e.is_directory(ec2)) {
        // A symbolic link to a folder is walked like the folder, once.
        fs::path real = fs::canonical(e.path(), ec2);
        if (ec2 || !walked.insert(real).second) {
          it.disable_recursion_pending();
          if (!ec2)
            diags.push_back({Diagnostic::Severity::Warning, e.path().string(), 0,
                             "not followed: a link to the folder " + real.string() + ", which is read already"});
        }
      } else if (e.is_regular_file(ec2)) {
        if (is_minutes_file(e.path())) out.push_back(e.path());
      } else if (e.is_symlink(ec2) && is_minutes_file(e.path())) {
        diags.push_back({Diagnostic::Severity::Error, e.path().string(), 0,
                         "broken symbolic link (its target does not exist)"});
      }
    }
    if (out.size() == before && !ec)
      diags.push_back({Diagnostic::Severity::Error, given, 0,
                       "no minutes files (.txt, .pdf) in this folder (is the share mounted?)"});
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace referat::indexer
