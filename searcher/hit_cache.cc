#include "searcher/hit_cache.h"

#include <iterator>
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
  std::size_t n = sizeof(HitData) + hit.id.size() + hit.file.size() + hit.title.size() + hit.committee.size() +
                  opt_bytes(hit.date) + opt_bytes(hit.journal) + opt_bytes(hit.category) + opt_bytes(hit.decision);
  for (const auto& o : hit.outcomes) n += sizeof(std::string) + o.size();
  for (const auto& s : sources) n += sizeof(SnippetSource) + s.name.size() + s.text.size();
  return n;
}

HitCache::Ptr HitCache::find(Xapian::docid did) {
  auto it = index_.find(did);
  if (it == index_.end()) return nullptr;
  lru_.splice(lru_.begin(), lru_, it->second);
  return it->second->data;
}

void HitCache::insert(Xapian::docid did, Ptr data) {
  if (auto old = index_.find(did); old != index_.end()) erase(old->second);
  const std::size_t bytes = data->memory_bytes() + kEntryOverhead;
  if (bytes > max_bytes_) return;
  lru_.push_front({did, std::move(data), bytes});
  index_[did] = lru_.begin();
  bytes_ += bytes;
  while (bytes_ > max_bytes_) erase(std::prev(lru_.end()));
}

void HitCache::clear() {
  lru_.clear();
  index_.clear();
  bytes_ = 0;
}

void HitCache::erase(std::list<Entry>::iterator it) {
  bytes_ -= it->bytes;
  index_.erase(it->did);
  lru_.erase(it);
}

}  // namespace referat::searcher
