// Tests: tests/searcher/search_test.cc (field phrases against the parsed sections, one database
// and shards).
#include "searcher/field_phrase.h"

#include <algorithm>
#include <limits>

namespace referat::searcher {

namespace {
constexpr const char* kName = "referat::FieldPhrase";
}  // namespace

FieldPhrase::FieldPhrase(std::vector<std::vector<std::string>> slots, Xapian::termcount window, schema::Field field)
    : slots_(std::move(slots)), window_(window), field_(field) {}

Xapian::Query FieldPhrase::query(std::vector<std::vector<std::string>> slots, Xapian::termcount window,
                                 schema::Field field) {
  return Xapian::Query((new FieldPhrase(std::move(slots), window, field))->release());
}

bool FieldPhrase::is(const Xapian::Query& q) {
  // Xapian 1.4 has no accessor for a query's source; its description starts with the source's.
  static const std::string start = std::string("Query(PostingSource(") + kName + "(";
  return q.get_type() == Xapian::Query::LEAF_POSTING_SOURCE && q.get_description().starts_with(start);
}

FieldPhrase* FieldPhrase::clone() const { return new FieldPhrase(slots_, window_, field_); }

std::string FieldPhrase::name() const { return kName; }

std::string FieldPhrase::serialise() const {
  // Only ever read back as a cache key (BooleanMatcher): unique per field, window and slots.
  std::string out;
  out += static_cast<char>(field_);
  schema::detail::put_varint(out, window_);
  schema::detail::put_varint(out, static_cast<std::uint32_t>(slots_.size()));
  for (const auto& slot : slots_) {
    schema::detail::put_varint(out, static_cast<std::uint32_t>(slot.size()));
    for (const std::string& t : slot) {
      schema::detail::put_varint(out, static_cast<std::uint32_t>(t.size()));
      out += t;
    }
  }
  return out;
}

std::string FieldPhrase::get_description() const {
  std::string d = std::string(kName) + "(" + std::string(schema::field_prefix(field_)) + ", window " +
                  std::to_string(window_);
  for (const auto& slot : slots_) {
    d += ", ";
    for (std::size_t i = 0; i < slot.size(); ++i) d += (i ? "|" : "") + slot[i];
  }
  return d + ")";
}

void FieldPhrase::init(const Xapian::Database& db) {
  set_maxweight(0);
  did_ = 0;
  positioned_ = false;
  at_end_ = slots_.empty();
  in_field_.assign(slots_.size(), {});
  postings_.assign(slots_.size(), {});
  positions_.assign(slots_.size(), {});
  // A candidate has every slot's word in the field: each body term's field copy (the same term
  // under the field's prefix, without positions) says so from short posting lists, before any
  // body position is read.
  const std::string prefix(schema::field_prefix(field_));
  std::size_t fewest = std::numeric_limits<std::size_t>::max();
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    std::size_t n = 0;
    for (const std::string& t : slots_[i]) {
      const Xapian::doccount tf = db.get_termfreq(prefix + t);
      if (tf == 0) continue;
      n += tf;
      in_field_[i].push_back(db.postlist_begin(prefix + t));
      postings_[i].push_back(db.postlist_begin(t));
    }
    if (n < fewest) {
      fewest = n;
      lead_ = i;
    }
  }
  if (fewest == 0) at_end_ = true;  // a slot no document has in the field
  estimate_ = static_cast<Xapian::doccount>(std::min<std::size_t>(fewest, db.get_doccount()));
  spans_ = db.valuestream_begin(schema::kSlotFieldSpans);
}

void FieldPhrase::next(double min_wt) { skip_to(did_ + 1, min_wt); }

void FieldPhrase::skip_to(Xapian::docid target, double /*min_wt*/) {
  if (at_end_ || (positioned_ && target <= did_)) return;
  for (;;) {
    // The lead slot's next document at or after target: a candidate.
    Xapian::docid candidate = 0;
    for (Xapian::PostingIterator& it : in_field_[lead_]) {
      it.skip_to(target);
      if (it != Xapian::PostingIterator() && (candidate == 0 || *it < candidate)) candidate = *it;
    }
    if (candidate == 0) {
      at_end_ = true;
      return;
    }
    if (accept(candidate)) {
      did_ = candidate;
      positioned_ = true;
      return;
    }
    target = candidate + 1;
  }
}

bool FieldPhrase::check(Xapian::docid did, double /*min_wt*/) {
  if (at_end_) return true;
  did_ = did;
  positioned_ = accept(did);
  // false: an indeterminate position, from which next() moves on past did.
  return positioned_;
}

bool FieldPhrase::accept(Xapian::docid did) {
  // Which of each slot's terms the field has at did; their body terms' positions are read below.
  for (std::size_t i = 0; i < in_field_.size(); ++i) {
    bool any = false;
    for (Xapian::PostingIterator& it : in_field_[i]) {
      it.skip_to(did);
      any = any || (it != Xapian::PostingIterator() && *it == did);
    }
    if (!any) return false;
  }
  spans_.skip_to(did);
  if (spans_ == Xapian::ValueIterator() || spans_.get_docid() != did) return false;
  schema::unserialise_spans(*spans_, all_spans_);
  spans_of_field_.clear();
  for (const schema::FieldSpan& s : all_spans_)
    if (s.field == field_) spans_of_field_.push_back(s);
  if (spans_of_field_.empty()) return false;
  auto span_of = [&](Xapian::termpos p) -> const schema::FieldSpan* {
    for (const schema::FieldSpan& s : spans_of_field_)
      if (p >= s.first && p <= s.last) return &s;
    return nullptr;
  };
  // Each slot's positions inside the field, from the postings of its terms at did.
  for (std::size_t i = 0; i < postings_.size(); ++i) {
    std::vector<Xapian::termpos>& pos = positions_[i];
    pos.clear();
    for (std::size_t j = 0; j < postings_[i].size(); ++j) {
      if (in_field_[i][j] == Xapian::PostingIterator() || *in_field_[i][j] != did) continue;
      Xapian::PostingIterator& it = postings_[i][j];
      it.skip_to(did);
      if (it == Xapian::PostingIterator() || *it != did) continue;
      for (auto p = it.positionlist_begin(); p != it.positionlist_end(); ++p)
        if (span_of(*p) != nullptr) pos.push_back(*p);
    }
    if (pos.empty()) return false;
    std::sort(pos.begin(), pos.end());
  }
  // For each start, the earliest position of each next slot after the previous one: if any
  // sequence fits the window inside the start's span, this one does.
  for (Xapian::termpos start : positions_[0]) {
    const schema::FieldSpan* span = span_of(start);
    Xapian::termpos at = start;
    bool ok = true;
    for (std::size_t i = 1; i < positions_.size() && ok; ++i) {
      auto it = std::upper_bound(positions_[i].begin(), positions_[i].end(), at);
      ok = it != positions_[i].end() && *it - start < window_ && *it <= span->last;
      if (ok) at = *it;
    }
    if (ok) return true;
  }
  return false;
}

}  // namespace referat::searcher
