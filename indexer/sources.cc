// Input discovery. See sources.h.
#include "indexer/sources.h"

#include <algorithm>
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
  for (const auto& given : paths) {
    fs::path p(given);
    std::error_code ec;
    fs::file_status st = fs::status(p, ec);
    if (ec || !fs::exists(st)) {
      diags.push_back({Diagnostic::Severity::Error, given, 0, "no such file or directory"});
      continue;
    }
    if (fs::is_directory(st)) {
      fs::recursive_directory_iterator it(p, fs::directory_options::skip_permission_denied, ec), end;
      if (ec) {
        diags.push_back({Diagnostic::Severity::Error, given, 0, "cannot read directory: " + ec.message()});
        continue;
      }
      for (; it != end; it.increment(ec)) {
        if (ec) {
          diags.push_back({Diagnostic::Severity::Error, given, 0, "error while reading directory: " + ec.message()});
          break;
        }
        std::error_code ec2;
        if (it->is_regular_file(ec2) && is_minutes_file(it->path())) out.push_back(it->path());
      }
    } else {
      out.push_back(p);
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace referat::indexer
