// Facet counting. Tests: tests/searcher/searcher_test.cc (facets equal brute-force counts).
#include "searcher/facets.h"

#include <algorithm>

#include "indexer/schema.h"

namespace referat::searcher {

void ListValueCountMatchSpy::operator()(const Xapian::Document& doc, double) {
  std::string v = doc.get_value(slot_);
  if (v.empty()) return;
  for (auto& s : schema::unserialise_list(v))
    if (!s.empty()) ++counts_[s];
}

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

void FacetCollector::attach(Xapian::Enquire& enquire) {
  single_.clear();
  list_.clear();
  for (const auto& spec : facet_specs()) {
    if (spec.list) {
      list_.push_back(std::make_unique<ListValueCountMatchSpy>(spec.slot));
      enquire.add_matchspy(list_.back().get());
    } else {
      single_.push_back(std::make_unique<Xapian::ValueCountMatchSpy>(spec.slot));
      enquire.add_matchspy(single_.back().get());
    }
  }
}

std::vector<Facet> FacetCollector::collect() const {
  std::vector<Facet> out;
  std::size_t si = 0, li = 0;
  for (const auto& spec : facet_specs()) {
    Facet f;
    f.name = spec.name;
    if (spec.list) {
      if (li >= list_.size()) break;
      for (const auto& [value, count] : list_[li++]->counts()) f.values.push_back({value, count});
    } else {
      if (si >= single_.size()) break;
      const auto& spy = *single_[si++];
      for (auto it = spy.values_begin(); it != spy.values_end(); ++it)
        if (!(*it).empty()) f.values.push_back({*it, it.get_termfreq()});
    }
    std::sort(f.values.begin(), f.values.end(), [](const FacetValue& a, const FacetValue& b) {
      return a.count != b.count ? a.count > b.count : a.value < b.value;
    });
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace referat::searcher
