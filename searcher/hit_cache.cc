#include "searcher/hit_cache.h"

#include <optional>
#include <string>

namespace referat::searcher {

namespace {

std::size_t opt_bytes(const std::optional<std::string>& s) { return s ? s->size() : 0; }

/// A list node, a hash-map node and its bucket, the shared_ptr control block: a rough guess,
/// so that many small entries are not counted as free.
constexpr std::size_t kEntryOverhead = 128;

/// States remembered before the table of names starts over, entries and all. A server sees one
/// state per commit of the indexer, so this is reached only after thousands.
constexpr std::size_t kMaxStates = 4096;

}  // namespace

std::size_t HitData::memory_bytes() const {
  std::size_t n = kEntryOverhead + sizeof(HitData) + hit.id.size() + hit.file.size() + hit.title.size() +
                  hit.committee.size() + opt_bytes(hit.date) + opt_bytes(hit.journal) + opt_bytes(hit.category) +
                  opt_bytes(hit.decision);
  for (const auto& o : hit.outcomes) n += sizeof(std::string) + o.size();
  for (const auto& s : sources) n += sizeof(SnippetSource) + s.name.size() + s.text.size() + s.lower.size();
  return n;
}

std::uint32_t SearchCache::Impl::state(const std::string& name) {
  std::lock_guard lock(mutex_);
  if (auto it = states_.find(name); it != states_.end()) return it->second;
  if (states_.size() >= kMaxStates) {
    // Numbers are never reused (a Searcher may still hold an old one, and must not find another
    // state's entries under it): a state named again gets a new number.
    states_.clear();
    hits.clear();
    postings->clear();
  }
  return states_[name] = next_state_++;
}

SearchCache::SearchCache(std::size_t hit_bytes, std::size_t postings_bytes)
    : impl_(std::make_shared<Impl>(hit_bytes, postings_bytes)) {}

std::size_t SearchCache::hit_bytes() const { return impl_->hits.bytes(); }
std::size_t SearchCache::postings_bytes() const { return impl_->postings->bytes(); }

}  // namespace referat::searcher
