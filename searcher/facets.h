// Facets: exact value counts over every matching item, collected in the same Enquire pass as the
// top hits (STYLE practice 9). Internal to the searcher (includes Xapian).
//
// Exactness: a MatchSpy only sees the documents the matcher looks at, so the searcher passes
// checkatleast = db.get_doccount() to get_mset(); then every match is visited and counted.
#pragma once

#include <map>
#include <memory>
#include <unordered_map>
#include <string>
#include <vector>

#include <xapian.h>

#include "searcher/searcher.h"

namespace referat::searcher {

/// The facets the searcher computes: name, slot and whether the slot holds a list.
struct FacetSpec {
  const char* name;
  Xapian::valueno slot;
  bool list;
};
const std::vector<FacetSpec>& facet_specs();

/// One match spy for all facets (one virtual call per match instead of five, hash maps instead of
/// ValueCountMatchSpy's ordered map); list-valued slots are split (schema::unserialise_list).
class FacetCollector : public Xapian::MatchSpy {
 public:
  FacetCollector();
  void operator()(const Xapian::Document& doc, double wt) override;
  Xapian::MatchSpy* clone() const override { return new FacetCollector(); }
  std::string name() const override { return "referat::FacetCollector"; }

  /// Adds this spy to `enquire` (it must outlive the get_mset call).
  void attach(Xapian::Enquire& enquire) { enquire.add_matchspy(this); }
  /// Facets in facet_specs() order, values by count descending then value ascending; empty
  /// values (unknown category, no outcome) are left out.
  std::vector<Facet> collect() const;

 private:
  std::vector<int> index_of_slot_;  // slot -> index into facet_specs(), or -1
  std::vector<std::unordered_map<std::string, Xapian::doccount>> counts_;
};

}  // namespace referat::searcher
