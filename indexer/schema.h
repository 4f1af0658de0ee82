// The index schema: the contract between indexer and searcher. Change it here only, and bump
// kSchemaVersion when a change makes old databases unreadable.
//
// Term prefixes follow Xapian Omega's conventions where one exists (Q, S, D, M, Y, Z); our own
// start with X. All term text after a prefix is lower-case (casefolded), so a prefix is never
// ambiguous with the text that follows it (one exception: XS carries the file key as is).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

namespace referat::schema {

/// 2: æ/ø/å-free spellings in the fold table, not as terms; 3: lemma terms without positions
/// (phrases meet inflections through the form table); 4: only body terms carry positions (a
/// field's phrases are checked against its position spans, kSlotFieldSpans).
inline constexpr int kSchemaVersion = 4;
inline constexpr const char* kSchemaVersionKey = "referat:schema_version";
/// Metadata key prefix of the per-source-file record (content hash, item ids).
inline constexpr const char* kFileKeyPrefix = "referat:file:";
/// Metadata key of the last commit time (ISO 8601 UTC).
inline constexpr const char* kLastCommitKey = "referat:last_commit";

// ---- text fields: positional, searched by field name ------------------------------------------
enum class Field { Body, Title, Resume, Indstilling, Beslutning };

/// Field prefix: "" (body: all text incl. title), "S" (title), "XR", "XI", "XB".
inline std::string_view field_prefix(Field f) {
  switch (f) {
    case Field::Body: return "";
    case Field::Title: return "S";
    case Field::Resume: return "XR";
    case Field::Indstilling: return "XI";
    case Field::Beslutning: return "XB";
  }
  return "";
}

/// How a text term relates to what was written. Weighted at query time in this order.
enum class TermKind {
  Exact,   ///< word as written (casefolded)        prefix: field            e.g. "kontrollen"
  Lemma,   ///< lemma                               prefix: "Z" + field      e.g. "Zkontrol"
  Part,    ///< compound part (lemma form)          prefix: "XP" + field     e.g. "XPbudget"
};
// (æ/ø/å-free spellings are no terms: see "the fold table" below.)

/// The one way to spell a text term. Which terms exist and which carry positions is decided by
/// has_field_copy() and has_positions() below.
inline std::string text_term(Field f, TermKind k, std::string_view text) {
  // Built by one append per piece into reserved space (assigning a literal first made GCC 12
  // warn -Wrestrict, falsely, in Release builds).
  const std::string_view kind = k == TermKind::Lemma ? "Z" : k == TermKind::Part ? "XP" : "";
  const std::string_view field = field_prefix(f);
  std::string t;
  t.reserve(kind.size() + field.size() + text.size());
  t.append(kind).append(field).append(text);
  return t;
}

/// Whether a field-prefixed copy of a term of this kind exists. The body (unprefixed family) has
/// every kind; the title (S) has every kind; resume/indstilling/beslutning (XR/XI/XB) have only
/// Exact and Lemma terms (a `resume:` search matches words as written and their lemmas).
inline bool has_field_copy(Field f, TermKind k) {
  if (f == Field::Body || f == Field::Title) return true;
  return k == TermKind::Exact || k == TermKind::Lemma;
}

/// Whether terms of this field and kind carry positions (phrases, proximity): only Exact terms of
/// the body (the unprefixed family, which holds every field's words). Lemma and Part terms carry
/// only a wdf: positions for every kind tripled the position table (measured on the corpus:
/// index 8.6x the raw text), and lemma positions alone were a quarter of it (10k generated
/// items: 204 -> 172 MB compacted). A phrase still matches across inflections: the searcher puts
/// each lemma's indexed forms (the form table below) into the phrase, so `"negativ social
/// kontrol"` matches "negative sociale kontrol" through the positions of the words as written.
/// A field's own copies (S, XR, XI, XB) have no positions either (a further 12 % of the index):
/// a field phrase (`resume:"..."`) is the body phrase at positions inside the field's spans
/// (kSlotFieldSpans), which every field's text occupies in the body's position space.
inline bool has_positions(Field f, TermKind k) { return f == Field::Body && k == TermKind::Exact; }

// ---- boolean filter terms (no positions, wdf 0) ------------------------------------------------
inline constexpr const char* kIdPrefix = "Q";          ///< Q<committee-slug>/<YYYY-MM-DD>/<item>
inline constexpr const char* kDatePrefix = "D";        ///< D20240131
inline constexpr const char* kMonthPrefix = "M";       ///< M202401
inline constexpr const char* kYearPrefix = "Y";        ///< Y2024
inline constexpr const char* kCommitteePrefix = "XU";  ///< XU<committee-slug>, meeting + deciding
inline constexpr const char* kMeetingCommitteePrefix = "XM";  ///< XM<committee-slug>, meeting only
inline constexpr const char* kJournalPrefix = "XJ";    ///< XJ27.00.00-a00-6-25 (lower-cased)
inline constexpr const char* kKlePrefix = "XK";        ///< XK27, XK27.00, XK27.00.00
inline constexpr const char* kCategoryPrefix = "XC";   ///< XCd (lower-case letter)
inline constexpr const char* kOutcomePrefix = "XO";    ///< XOgodkendt
inline constexpr const char* kAbsentPrefix = "XA";     ///< XA<lower-cased full name>
inline constexpr const char* kSourcePrefix = "XS";     ///< XS<source file key>: items of one file
                                                       ///< (key = absolute path, case kept)

// ---- synonyms (Xapian::Database::synonyms_begin) ----------------------------------------------
// Committee abbreviations: key "XU" + lower-case abbreviation ("XUbsu") -> "XU" + committee slug
// ("XUbeskaeftigelses-og-socialudvalget"), so `udvalg:BSU` expands to the committee's filter
// term. The plain lower-case abbreviation ("bsu") -> the casefolded canonical committee name
// ("beskæftigelses- og socialudvalget"), text the searcher may analyse as a phrase.
// User synonyms (referat-index --synonyms FILE, lines "term = syn1, syn2"): key = the term
// casefolded, synonyms = the casefolded right-hand sides, all unprefixed text.

// ---- the fold table (synonyms) -----------------------------------------------------------------
// A word or lemma written with æ/ø/å is findable by its æ/ø/å-free spellings (stemmers/folding.h:
// "økonomien" by "oekonomien", "okonomien", and through its lemma by "okonomi") without terms of
// their own: the synonym table maps each such spelling to what it spells. Key kFoldPrefix + the
// spelling ("XFokonomi"); synonyms: a word as written ("økonomi": the exact terms of every field)
// or "Z" + a lemma ("Zøkonomi": its lemma terms, and its exact terms where it is written as is).
// The searcher turns a folded query word into those terms. Entries are only ever added: an entry
// whose word left the index names terms that match nothing.
inline constexpr const char* kFoldPrefix = "XF";

// ---- the form table (synonyms) -----------------------------------------------------------------
// The indexed forms of a lemma, for phrases (lemma terms have no positions): key kFormPrefix +
// lemma ("XLkontrol"), synonyms: each word as written whose lemma it is and that differs from it
// ("kontrollen", "kontroller"). A lemma that is written as is needs no entry: its exact term is
// the form. Like the fold table, entries are only ever added.
inline constexpr const char* kFormPrefix = "XL";

/// What a fold-table synonym names: a word as written, or a lemma ("Z" + lemma).
struct FoldTarget {
  bool lemma = false;
  std::string text;
};

inline std::string fold_value(const FoldTarget& t) { return t.lemma ? "Z" + t.text : t.text; }

inline FoldTarget parse_fold_value(std::string_view v) {
  if (v.size() > 1 && v[0] == 'Z') return {true, std::string(v.substr(1))};
  return {false, std::string(v)};
}

// ---- value slots ------------------------------------------------------------------------------
enum Slot : Xapian::valueno {
  kSlotDate = 0,        ///< "YYYYMMDD" (string-sortable; empty when unknown)
  kSlotCommittee = 1,   ///< meeting committee, canonical display name (facet)
  kSlotYear = 2,        ///< "YYYY" (facet)
  kSlotCategory = 3,    ///< "B".."E" (facet; empty when none)
  kSlotOutcomes = 4,    ///< serialise_list() of outcomes (multi-valued facet)
  kSlotKle = 5,         ///< KLE hovedgruppe "27" (facet)
  kSlotItem = 6,        ///< item number, Xapian::sortable_serialise
  kSlotDeciding = 7,    ///< serialise_list() of deciding committees (multi-valued facet)
  kSlotFieldSpans = 8,  ///< serialise_spans(): where each field's text lies in the body positions
};

/// The body positions [first, last] of one field's text (the title, or one resume, indstilling
/// or beslutning section; a field may have several). Body sections have none: the body is all.
struct FieldSpan {
  Field field = Field::Body;
  Xapian::termpos first = 0, last = 0;
};

namespace detail {
inline void put_varint(std::string& out, std::uint32_t v) {
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7F) | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
}
/// False at the end of `in` or on a truncated number.
inline bool get_varint(std::string_view in, std::size_t& i, std::uint32_t& v) {
  v = 0;
  for (int shift = 0; i < in.size() && shift < 35; shift += 7) {
    const auto b = static_cast<unsigned char>(in[i++]);
    v |= static_cast<std::uint32_t>(b & 0x7F) << shift;
    if (!(b & 0x80)) return true;
  }
  return false;
}
}  // namespace detail

/// The spans' value: per span the field (one byte), `first` and `last - first` as LEB128
/// varints. A few bytes per item.
inline std::string serialise_spans(const std::vector<FieldSpan>& spans) {
  std::string out;
  for (const FieldSpan& s : spans) {
    out += static_cast<char>(s.field);
    detail::put_varint(out, s.first);
    detail::put_varint(out, s.last - s.first);
  }
  return out;
}

/// The spans of `value`, into `out` (cleared first); stops at a malformed end.
inline void unserialise_spans(std::string_view value, std::vector<FieldSpan>& out) {
  out.clear();
  std::size_t i = 0;
  while (i < value.size()) {
    FieldSpan s;
    s.field = static_cast<Field>(static_cast<unsigned char>(value[i++]));
    std::uint32_t first = 0, length = 0;
    if (!detail::get_varint(value, i, first) || !detail::get_varint(value, i, length)) return;
    s.first = first;
    s.last = first + length;
    out.push_back(s);
  }
}

/// Multi-valued slots (Xapian 1.4 has no StringListSerialiser): the values joined by the ASCII
/// unit separator 0x1F, no trailing separator; empty list = empty string.
inline constexpr char kListSeparator = '\x1f';

inline std::string serialise_list(const std::vector<std::string>& values) {
  std::string out;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += kListSeparator;
    out += values[i];
  }
  return out;
}

inline std::vector<std::string> unserialise_list(std::string_view value) {
  std::vector<std::string> out;
  if (value.empty()) return out;
  std::size_t start = 0;
  for (;;) {
    std::size_t end = value.find(kListSeparator, start);
    out.emplace_back(value.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

// ---- document data: JSON object with these keys ------------------------------------------------
// id, file, item, title, category ("B".."E" or null), journal (full number or null), committee,
// date ("YYYY-MM-DD" or null), date_source, deciding_committees [names], outcomes [names],
// decision (text of the Beslutning section or null), decisions [{committee, outcome, text}],
// absent [names], absences [{name, scope, committee}], sections [{name, heading, text}],
// attachments [lines], first_line, last_line (1-based lines of the item in `file`), place, period,
// time, municipality, source_url. `file` is the path as given to referat-index.
namespace data {
inline constexpr const char* kId = "id";
inline constexpr const char* kFile = "file";
inline constexpr const char* kItem = "item";
inline constexpr const char* kTitle = "title";
inline constexpr const char* kCategory = "category";
inline constexpr const char* kJournal = "journal";
inline constexpr const char* kCommittee = "committee";
inline constexpr const char* kDate = "date";
inline constexpr const char* kDateSource = "date_source";
inline constexpr const char* kDeciding = "deciding_committees";
inline constexpr const char* kOutcomes = "outcomes";
inline constexpr const char* kDecision = "decision";
inline constexpr const char* kAbsent = "absent";
inline constexpr const char* kSections = "sections";
inline constexpr const char* kAttachments = "attachments";
inline constexpr const char* kFirstLine = "first_line";
inline constexpr const char* kLastLine = "last_line";
inline constexpr const char* kDecisions = "decisions";
inline constexpr const char* kAbsences = "absences";
inline constexpr const char* kPlace = "place";
inline constexpr const char* kPeriod = "period";
}  // namespace data

}  // namespace referat::schema
