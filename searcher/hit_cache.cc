#include "searcher/hit_cache.h"

#include <optional>
#include <string>

namespace referat::searcher {

namespace {

std::size_t opt_bytes(const std::optional<std::string>& s) { return s ? s->size() : 0; }

/// A list node, a hash-map node and its bucket, the shared_ptr control block: a rough guess,
/// so that many small entries are not counted as free.
constexpr std::size_t kEntryOverhead = 128;

}  // namespace

std::size_t HitData::memory_bytes() const {
  std::size_t n = kEntryOverhead + sizeof(HitData) + hit.id.size() + hit.file.size() + hit.title.size() +
                  hit.committee.size() + opt_bytes(hit.date) + opt_bytes(hit.journal) + opt_bytes(hit.category) +
                  opt_bytes(hit.decision);
  for (const auto& o : hit.outcomes) n += sizeof(std::string) + o.size();
  for (const auto& s : sources) n += sizeof(SnippetSource) + s.name.size() + s.text.size();
  return n;
}

}  // namespace referat::searcher
