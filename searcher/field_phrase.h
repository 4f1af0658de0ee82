// A phrase inside one field (`resume:"social indsats"`), for an index whose field copies carry
// no positions (schema::has_positions): the body phrase, at positions inside the field's spans
// (schema::kSlotFieldSpans). Internal to the searcher (includes Xapian).
//
// Why: positions on every field's copies were 12 % of the index and 15 % of the indexing CPU
// (10k generated items), for the few queries that ask for a phrase in one field. The body holds
// every field's words at their own positions, so those positions answer the question too.
#pragma once
#include <string>
#include <vector>

#include <xapian.h>

#include "indexer/schema.h"

namespace referat::searcher {

/// Matches the documents where, inside one span of `field`, slot 0 has a term at some position
/// p0 and each next slot a term at a later position, the last below p0 + window (OP_PHRASE's
/// rule). Each slot is a list of body terms (the word's forms, any of which will do). Weighs
/// nothing: it is meant as a filter, FILTER(AND(the words' variants), FieldPhrase).
/// Works on sharded databases (Xapian clones it per shard and init()s it with the shard).
class FieldPhrase : public Xapian::PostingSource {
 public:
  FieldPhrase(std::vector<std::vector<std::string>> slots, Xapian::termcount window, schema::Field field);

  /// The query for it (Xapian owns the source).
  static Xapian::Query query(std::vector<std::vector<std::string>> slots, Xapian::termcount window,
                             schema::Field field);
  /// Whether `q` is a query() leaf (positional, for BooleanMatcher::has_positions).
  static bool is(const Xapian::Query& q);

  Xapian::doccount get_termfreq_min() const override { return 0; }
  Xapian::doccount get_termfreq_est() const override { return estimate_; }
  Xapian::doccount get_termfreq_max() const override { return estimate_; }
  Xapian::docid get_docid() const override { return did_; }
  void next(double min_wt) override;
  void skip_to(Xapian::docid did, double min_wt) override;
  bool check(Xapian::docid did, double min_wt) override;
  bool at_end() const override { return at_end_; }
  FieldPhrase* clone() const override;
  std::string name() const override;
  std::string serialise() const override;
  void init(const Xapian::Database& db) override;
  std::string get_description() const override;

 private:
  /// Whether document `did` has the phrase inside a span of the field.
  bool accept(Xapian::docid did);

  std::vector<std::vector<std::string>> slots_;
  Xapian::termcount window_;
  schema::Field field_;

  // Per slot, per term: the postings of the term's field copy (which documents have it in the
  // field) and of the body term (where: its positions).
  std::vector<std::vector<Xapian::PostingIterator>> in_field_, postings_;
  std::size_t lead_ = 0;  // the slot with the fewest field postings: next() walks it
  Xapian::ValueIterator spans_;
  Xapian::doccount estimate_ = 0;
  Xapian::docid did_ = 0;
  bool positioned_ = false;  // did_ is a match (not after a failed check())
  bool at_end_ = false;
  // Scratch, reused per document.
  std::vector<schema::FieldSpan> all_spans_, spans_of_field_;
  std::vector<std::vector<Xapian::termpos>> positions_;
};

}  // namespace referat::searcher
