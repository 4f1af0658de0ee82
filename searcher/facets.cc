// Facet counting. Tests: tests/searcher/searcher_test.cc (facets equal brute-force counts).
#include "searcher/facets.h"

#include <algorithm>

#include "indexer/schema.h"

namespace referat::searcher {

const std::vector<FacetSpec>& facet_specs() {
  static const std::vector<FacetSpec> specs = {
      {"committee", schema::kSlotCommittee, false},
      {"year", schema::kSlotYear, false},
      {"category", schema::kSlotCategory, false},
      {"outcome", schema::kSlotOutcomes, true},
      {"kle", schema::kSlotKle, false},
  };
  return specs;
}

FacetCollector::FacetCollector() : counts_(facet_specs().size()) {
  for (std::size_t i = 0; i < facet_specs().size(); ++i) {
    auto slot = facet_specs()[i].slot;
    if (index_of_slot_.size() <= slot) index_of_slot_.resize(slot + 1, -1);
    index_of_slot_[slot] = static_cast<int>(i);
  }
}

void FacetCollector::operator()(const Xapian::Document& doc, double) {
  // Slot by slot with get_value(): Document::values_begin() on the matcher's lazily loaded
  // documents kept returning the first document's values (Xapian 1.4.22), so it is not used.
  const auto& specs = facet_specs();
  for (std::size_t i = 0; i < specs.size(); ++i) {
    std::string v = doc.get_value(specs[i].slot);
    if (v.empty()) continue;
    if (specs[i].list) {
      for (auto& s : schema::unserialise_list(v))
        if (!s.empty()) ++counts_[i][s];
    } else {
      ++counts_[i][v];
    }
  }
}

std::vector<Facet> FacetCollector::collect() const {
  std::vector<Facet> out;
  for (std::size_t i = 0; i < facet_specs().size(); ++i) {
    Facet f;
    f.name = facet_specs()[i].name;
    for (const auto& [value, count] : counts_[i]) f.values.push_back({value, count});
    std::sort(f.values.begin(), f.values.end(), [](const FacetValue& a, const FacetValue& b) {
      return a.count != b.count ? a.count > b.count : a.value < b.value;
    });
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace referat::searcher
