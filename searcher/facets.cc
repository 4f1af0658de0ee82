// Facet tables and counting. Tests: tests/searcher/search_test.cc (facets equal brute-force
// counts, also on shards and after a re-index).
#include "searcher/facets.h"

#include <algorithm>
#include <map>
#include <stdexcept>
#include <unordered_map>

#include "indexer/schema.h"

namespace referat::searcher {

const std::vector<FacetSpec>& facet_specs() {
  static const std::vector<FacetSpec> specs = {
      {"committee", schema::kSlotCommittee, true, schema::kSlotDeciding},
      {"year", schema::kSlotYear, false},
      {"category", schema::kSlotCategory, false},
      {"outcome", schema::kSlotOutcomes, true},
      {"kle", schema::kSlotKle, false},
  };
  return specs;
}

FacetTable::FacetTable(const Xapian::Database& db) : size_(static_cast<std::size_t>(db.get_lastdocid()) + 1) {
  for (const auto& spec : facet_specs()) {
    Column col;
    std::unordered_map<std::string, std::uint32_t> code_of;
    auto intern = [&](const std::string& v) {
      auto [it, added] = code_of.try_emplace(v, static_cast<std::uint32_t>(col.names.size() + 1));
      if (added) col.names.push_back(v);
      return it->second;
    };
    if (!spec.list) {
      col.code.assign(size_, 0);
      for (auto it = db.valuestream_begin(spec.slot); it != db.valuestream_end(spec.slot); ++it)
        if (!(*it).empty()) col.code[it.get_docid()] = intern(*it);
    } else {
      // (docid, code) pairs of the slot(s), each stream in docid order; merged per docid below.
      std::vector<std::pair<Xapian::docid, std::uint32_t>> pairs;
      for (Xapian::valueno slot : {spec.slot, spec.extra_slot}) {
        if (slot == Xapian::BAD_VALUENO) continue;
        for (auto it = db.valuestream_begin(slot); it != db.valuestream_end(slot); ++it)
          for (const auto& v : schema::unserialise_list(*it))
            if (!v.empty()) pairs.emplace_back(it.get_docid(), intern(v));
      }
      if (spec.extra_slot != Xapian::BAD_VALUENO) std::stable_sort(pairs.begin(), pairs.end());
      col.start.assign(size_ + 1, 0);
      Xapian::docid next = 0;  // start[] is filled up to and including `next`
      for (std::size_t k = 0; k < pairs.size(); ++k) {
        const auto [did, code] = pairs[k];
        const auto here = static_cast<std::uint32_t>(col.codes.size());
        while (next <= did) col.start[next++] = here;
        // A value once per item, even when both slots hold it.
        bool seen = false;
        for (std::uint32_t j = col.start[did]; j < here; ++j) seen = seen || col.codes[j] == code;
        if (!seen) col.codes.push_back(code);
      }
      const auto end = static_cast<std::uint32_t>(col.codes.size());
      while (next <= size_) col.start[next++] = end;
    }
    columns_.push_back(std::move(col));
  }
  dates_.assign(size_, 0);
  for (auto it = db.valuestream_begin(schema::kSlotDate); it != db.valuestream_end(schema::kSlotDate); ++it) {
    const std::string& v = *it;
    if (v.size() != 8 || !std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      dates_.clear();  // not comparable as numbers: date sorts are left to Xapian
      break;
    }
    dates_[it.get_docid()] = static_cast<std::uint32_t>(std::stoul(v));
  }
}

std::size_t FacetTable::memory_bytes() const {
  std::size_t n = sizeof(*this) + dates_.capacity() * sizeof(std::uint32_t);
  for (const auto& c : columns_) {
    n += (c.code.capacity() + c.start.capacity() + c.codes.capacity()) * sizeof(std::uint32_t);
    for (const auto& s : c.names) n += sizeof(s) + s.capacity();
  }
  return n;
}

FacetCounter::FacetCounter() : counts_(facet_specs().size()), by_value_(facet_specs().size()) {}

Xapian::MatchSpy* FacetCounter::clone() const {
  // Xapian clones a spy only for remote databases, which referat does not use.
  throw std::logic_error("referat::FacetCounter cannot be cloned");
}

void FacetCounter::count_with(const FacetTable& table) {
  flush();
  table_ = &table;
  for (std::size_t i = 0; i < counts_.size(); ++i) counts_[i].assign(table.columns()[i].names.size() + 1, 0);
}

void FacetCounter::operator()(const Xapian::Document& doc, double) {
  // The table was built from the same database revision as the one being searched, so every
  // match has a row; anything else is a bug, and silently wrong counts would be worse.
  const Xapian::docid did = doc.get_docid();
  if (!table_ || did >= table_->size()) throw std::logic_error("facet table does not cover docid " + std::to_string(did));
  seen_.push_back(did);
}

void FacetCounter::add_all(const std::vector<Xapian::docid>& dids) {
  if (dids.empty()) return;
  if (!table_ || dids.back() >= table_->size())
    throw std::logic_error("facet table does not cover docid " + std::to_string(dids.back()));
  if (docids_) docids_->insert(docids_->end(), dids.begin(), dids.end());
  const auto& cols = table_->columns();
  for (std::size_t i = 0; i < cols.size(); ++i) {
    const auto& col = cols[i];
    Xapian::doccount* counts = counts_[i].data();
    if (col.start.empty()) {
      // Four histograms, summed at the end: consecutive documents often have the same value
      // (a few committees, categories, years), and one histogram would make every increment
      // wait for the previous one to the same counter.
      const std::uint32_t* code = col.code.data();
      const std::size_t n = counts_[i].size();
      lanes_.assign(4 * n, 0);
      Xapian::doccount* lane = lanes_.data();
      std::size_t j = 0;
      for (; j + 4 <= dids.size(); j += 4) {
        ++lane[code[dids[j]]];
        ++lane[n + code[dids[j + 1]]];
        ++lane[2 * n + code[dids[j + 2]]];
        ++lane[3 * n + code[dids[j + 3]]];
      }
      for (; j < dids.size(); ++j) ++lane[code[dids[j]]];
      for (std::size_t c = 0; c < n; ++c) counts[c] += lane[c] + lane[n + c] + lane[2 * n + c] + lane[3 * n + c];
    } else {
      const std::uint32_t* start = col.start.data();
      const std::uint32_t* codes = col.codes.data();
      for (Xapian::docid did : dids)
        for (std::uint32_t k = start[did]; k < start[did + 1]; ++k) ++counts[codes[k]];
    }
  }
}

void FacetCounter::flush() {
  if (!table_) return;
  if (!seen_.empty()) {
    std::vector<Xapian::docid> seen;
    seen.swap(seen_);
    add_all(seen);
  }
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    const auto& names = table_->columns()[i].names;
    for (std::size_t c = 1; c < counts_[i].size(); ++c)
      if (counts_[i][c] > 0) by_value_[i].emplace_back(names[c - 1], counts_[i][c]);
    counts_[i].clear();
  }
  table_ = nullptr;
}

std::vector<Facet> FacetCounter::collect() {
  flush();
  std::vector<Facet> out;
  for (std::size_t i = 0; i < facet_specs().size(); ++i) {
    std::map<std::string, std::size_t> merged;  // one entry per value, also across shards
    for (const auto& [value, count] : by_value_[i]) merged[value] += count;
    Facet f;
    f.name = facet_specs()[i].name;
    for (const auto& [value, count] : merged) f.values.push_back({value, count});
    std::stable_sort(f.values.begin(), f.values.end(),
                     [](const FacetValue& a, const FacetValue& b) { return a.count > b.count; });
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace referat::searcher
