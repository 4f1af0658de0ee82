// Facets: exact value counts over every matching item (STYLE practice 9). Internal to the
// searcher (includes Xapian).
//
// Exactness: a MatchSpy only sees the documents the matcher looks at, so the searcher passes
// checkatleast = db.get_doccount() to get_mset(); then every match is visited and counted.
//
// Speed: reading five value slots per match through Document::get_value() was most of the cost
// of a faceted search (docs/PERFORMANCE.md "Search"). A FacetTable is a columnar copy of the
// facet slots of one database, made once per database revision: per docid a small integer code
// per single-valued facet and a code list per multi-valued facet, so the match spy only does
// array lookups and increments.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <xapian.h>

#include "searcher/searcher.h"

namespace referat::searcher {

/// The facets the searcher computes: name, slot and whether the slot holds a list. A facet with
/// an `extra_slot` counts the union of both slots' values per item (a list facet): "committee"
/// is the meeting committee and the deciding committees, like the `udvalg:` filter, so that a
/// facet count is the number of items the filter finds.
struct FacetSpec {
  const char* name;
  Xapian::valueno slot;
  bool list;
  Xapian::valueno extra_slot = Xapian::BAD_VALUENO;
};
const std::vector<FacetSpec>& facet_specs();

/// The facet values of every document of ONE database (not a sharded one: a match spy sees
/// shard-local docids in Xapian 1.4, so a sharded search counts each shard with its own table).
/// Immutable after construction; it describes the revision the database handle had when built.
class FacetTable {
 public:
  /// Reads the facet slots of `db` (one value stream per slot). Throws Xapian errors.
  explicit FacetTable(const Xapian::Database& db);

  /// Per facet (facet_specs() order): the distinct values; code c > 0 stands for names[c - 1].
  struct Column {
    std::vector<std::string> names;
    /// Single-valued: code per docid (0 = no value).
    std::vector<std::uint32_t> code;
    /// Multi-valued: docid d's codes are codes[start[d] .. start[d + 1]).
    std::vector<std::uint32_t> start;
    std::vector<std::uint32_t> codes;
  };
  const std::vector<Column>& columns() const { return columns_; }
  /// The date slot as a number per docid: YYYYMMDD, 0 when unknown. Ordered like the slot's
  /// strings (an empty value sorts first), so date sorts can be decided from it. Empty when
  /// some value is not eight digits.
  const std::vector<std::uint32_t>& dates() const { return dates_; }
  /// One past the highest docid covered.
  std::size_t size() const { return size_; }
  std::size_t memory_bytes() const;

 private:
  std::vector<Column> columns_;
  std::vector<std::uint32_t> dates_;
  std::size_t size_ = 0;
};

/// Counts the facet values of every match it is shown, by docid, from a FacetTable of the
/// database being searched. Reusable over several get_mset calls on the same table (counts add
/// up), e.g. one per shard with the shard's own table through count_with().
class FacetCounter : public Xapian::MatchSpy {
 public:
  FacetCounter();
  /// Counts the following matches from `table` (must outlive the counting).
  void count_with(const FacetTable& table);
  /// Also appends the docid of every match to `out` (nullptr: stop doing so); matches shown to
  /// the spy are appended when their table's counting ends (count_with() or collect()).
  void collect_docids(std::vector<Xapian::docid>* out) { docids_ = out; }
  /// Counts every match in `dids` (ascending docids of the current table's database), column by
  /// column, which keeps one column in cache at a time (a third of the time of counting docid by
  /// docid for 37k matches).
  void add_all(const std::vector<Xapian::docid>& dids);
  /// As a match spy: collects the docid, counted with add_all() when the table's counting ends.
  void operator()(const Xapian::Document& doc, double) override;
  Xapian::MatchSpy* clone() const override;
  std::string name() const override { return "referat::FacetCounter"; }

  /// Facets in facet_specs() order, values by count descending then value ascending; empty
  /// values (unknown category, no outcome) are left out. Counts of all tables used are merged
  /// by value.
  std::vector<Facet> collect();

 private:
  void flush();  // moves the per-code counts of the current table into by_value_
  const FacetTable* table_ = nullptr;
  std::vector<Xapian::docid>* docids_ = nullptr;
  std::vector<Xapian::docid> seen_;  // matches shown to the spy, not yet counted
  std::vector<std::vector<Xapian::doccount>> counts_;  // per facet, per code of table_
  std::vector<Xapian::doccount> lanes_;                 // add_all()'s four histograms of one facet
  std::vector<std::vector<std::pair<std::string, Xapian::doccount>>> by_value_;
};

}  // namespace referat::searcher
