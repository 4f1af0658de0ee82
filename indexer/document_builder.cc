#include "indexer/document_builder.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <set>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "indexer/minutes_parser.h"
#include "indexer/schema.h"
#include "stemmers/folding.h"

namespace referat::indexer {
namespace {

using schema::Field;
using schema::TermKind;
using stemmers::Token;
using stemmers::TokenKind;

// Xapian refuses terms longer than 245 bytes (glass backend); we stay clear of the limit.
constexpr std::size_t kMaxTermBytes = 240;

TermKind term_kind(TokenKind k) {
  switch (k) {
    case TokenKind::Lemma: return TermKind::Lemma;
    case TokenKind::Part: return TermKind::Part;
    default: return TermKind::Exact;  // Word, Identifier (Folded tokens become no terms)
  }
}

std::uint64_t fnv1a(std::string_view s) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

std::string lower_ascii(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

// Lower-cases ASCII and the Latin-1 capitals Æ Ø Å É etc. (two-byte UTF-8 U+00C0..U+00DE), which
// is all a name or journal facet letter needs; the analysis chain does full casefolding for text.
std::string lower_latin(std::string s) {
  s = lower_ascii(std::move(s));
  for (std::size_t i = 0; i + 1 < s.size(); ++i) {
    auto c0 = static_cast<unsigned char>(s[i]);
    auto c1 = static_cast<unsigned char>(s[i + 1]);
    if (c0 == 0xC3 && c1 >= 0x80 && c1 <= 0x9E && c1 != 0x97) {
      s[i + 1] = static_cast<char>(c1 + 0x20);
      ++i;
    }
  }
  return s;
}

Field section_field(const std::string& name) {
  if (name == "resume") return Field::Resume;
  if (name == "indstilling") return Field::Indstilling;
  if (name == "beslutning") return Field::Beslutning;
  return Field::Body;
}

std::string committee_slug_or_unknown(const std::optional<std::string>& name) {
  if (!name || name->empty()) return "ukendt-udvalg";
  std::string slug = committee_slug(*name);
  return slug.empty() ? "ukendt-udvalg" : slug;
}

template <class T>
void push_unique(std::vector<T>& v, const T& x) {
  if (std::find(v.begin(), v.end(), x) == v.end()) v.push_back(x);
}

}  // namespace

std::string item_id(const Meeting& meeting, const Item& item, std::string_view file_stem) {
  std::string id = committee_slug_or_unknown(meeting.committee.value);
  id += '/';
  if (meeting.date.value && !meeting.date.value->empty())
    id += *meeting.date.value;
  else
    id += file_stem;
  id += '/';
  id += std::to_string(item.number);
  return id;
}

std::string file_key(const std::filesystem::path& path) {
  std::error_code ec;
  std::filesystem::path abs = std::filesystem::absolute(path, ec);
  std::string key = (ec ? path : abs).lexically_normal().string();
  if (key.size() <= 200) return key;
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(fnv1a(key)));
  // Cut on a UTF-8 character boundary.
  std::size_t cut = 150;
  while (cut > 0 && (static_cast<unsigned char>(key[cut]) & 0xC0) == 0x80) --cut;
  return key.substr(0, cut) + "#" + hex;
}

bool is_spelling_word(std::string_view term) {
  if (term.size() < 2 || term.size() > 40) return false;
  for (std::size_t i = 0; i < term.size();) {
    auto c = static_cast<unsigned char>(term[i]);
    if (c >= 'a' && c <= 'z') {
      ++i;
      continue;
    }
    // Two-byte UTF-8 letters of Latin-1 Supplement / Latin Extended-A (æ ø å é ü ...).
    if ((c == 0xC3 || c == 0xC4 || c == 0xC5) && i + 1 < term.size()) {
      auto c1 = static_cast<unsigned char>(term[i + 1]);
      if (c == 0xC3 && (c1 < 0x80 || c1 == 0x97 || c1 == 0xB7)) return false;  // × ÷
      i += 2;
      continue;
    }
    return false;
  }
  return !stemmers::Analyzer::is_stopword(term);
}

BuiltDocument DocumentBuilder::build(const Meeting& meeting, const Item& item,
                                     const SourceInfo& source) {
  BuiltDocument out;
  out.id = item_id(meeting, item, source.stem);
  out.item = item.number;
  out.first_line = item.first_line;
  Xapian::Document& doc = out.document;
  std::unordered_set<std::string> spelling;
  std::set<std::pair<std::string, std::string>> synonyms;
  // The fold-table entries of a word or a lemma (value: schema::fold_value).
  auto add_folds = [&](const std::string& text, const std::string& value) {
    if (!stemmers::has_danish_letters(text)) return;
    for (const std::string& f : {stemmers::fold_digraph(text), stemmers::fold_plain(text)})
      if (f.size() + 2 <= kMaxTermBytes) synonyms.emplace(schema::kFoldPrefix + f, value);
  };

  // ---- positional text ---------------------------------------------------------------------
  Xapian::termpos next_pos = 1;
  std::vector<schema::FieldSpan> spans;  // the non-body fields' positions
  auto index_text = [&](const std::string& text, Field field, Xapian::termcount body_wdf) {
    if (text.empty()) return;
    out.text_bytes += text.size();
    tokens_.clear();
    analyzer_.analyze(text, stemmers::Mode::Index, tokens_, next_pos);
    Xapian::termpos last = next_pos;
    const Token* word = nullptr;  // the Word token at the current position
    for (const Token& tok : tokens_) {
      last = std::max<Xapian::termpos>(last, tok.pos);
      if (tok.kind == TokenKind::Word) word = &tok;
      if (tok.text.empty() || tok.text.size() + 4 > kMaxTermBytes) continue;
      // The form table: this lemma is written so here (phrases find it by the form's positions).
      // Stop words too: their lemmas are no terms, but their forms are ("bliver" -> blive).
      if (tok.kind == TokenKind::Lemma && word != nullptr && word->pos == tok.pos && word->text != tok.text &&
          word->text.size() + 4 <= kMaxTermBytes)
        synonyms.emplace(schema::kFormPrefix + tok.text, word->text);
      if (tok.stop && tok.kind != TokenKind::Word) continue;
      if (tok.kind == TokenKind::Folded) continue;
      if (tok.kind == TokenKind::Word && !tok.stop) add_folds(tok.text, schema::fold_value({false, tok.text}));
      if (tok.kind == TokenKind::Lemma) add_folds(tok.text, schema::fold_value({true, tok.text}));
      TermKind kind = term_kind(tok.kind);
      if (schema::has_positions(Field::Body, kind))
        doc.add_posting(schema::text_term(Field::Body, kind, tok.text), tok.pos, body_wdf);
      else
        doc.add_term(schema::text_term(Field::Body, kind, tok.text), body_wdf);
      // Spelling data holds every word as written, whichever section it is in (IndexWriter's
      // forget_spelling() undoes exactly this set: the unprefixed terms that pass the filter).
      if (tok.kind == TokenKind::Word && is_spelling_word(tok.text)) spelling.insert(tok.text);
      if (field == Field::Body || !schema::has_field_copy(field, kind)) continue;
      if (schema::has_positions(field, kind))
        doc.add_posting(schema::text_term(field, kind, tok.text), tok.pos);
      else
        doc.add_term(schema::text_term(field, kind, tok.text));
    }
    if (field != Field::Body) spans.push_back({field, next_pos, last});
    next_pos = last + kFieldGap;
  };
  index_text(item.title, Field::Title, kTitleWdf);
  for (const Section& s : item.sections) index_text(s.text, section_field(s.name), 1);

  // ---- boolean terms -----------------------------------------------------------------------
  auto add_bool = [&](std::string_view prefix, const std::string& value) {
    if (value.empty()) return;
    std::string t(prefix);
    t += value;
    if (t.size() <= kMaxTermBytes) doc.add_boolean_term(t);
  };
  add_bool(schema::kIdPrefix, out.id);
  const std::optional<std::string>& date = meeting.date.value;
  std::string ymd;  // YYYYMMDD
  if (date && date->size() == 10) {
    ymd = date->substr(0, 4) + date->substr(5, 2) + date->substr(8, 2);
    add_bool(schema::kDatePrefix, ymd);
    add_bool(schema::kMonthPrefix, ymd.substr(0, 6));
    add_bool(schema::kYearPrefix, ymd.substr(0, 4));
  }
  std::string committee = meeting.committee.value.value_or("");
  if (!committee.empty()) {
    add_bool(schema::kMeetingCommitteePrefix, committee_slug(committee));
    add_bool(schema::kCommitteePrefix, committee_slug(committee));
  }
  std::vector<std::string> deciding, outcomes;
  for (const DecisionStatement& d : item.decisions) {
    if (!d.committee.empty()) push_unique(deciding, d.committee);
    if (!d.outcome.empty()) push_unique(outcomes, d.outcome);
  }
  for (const auto& c : deciding) add_bool(schema::kCommitteePrefix, committee_slug(c));
  for (const auto& o : outcomes) add_bool(schema::kOutcomePrefix, lower_latin(o));
  std::string kle_main;
  if (item.journal) {
    add_bool(schema::kJournalPrefix, lower_latin(item.journal->full));
    const std::string& kle = item.journal->kle;  // "27.00.00"
    if (kle.size() >= 2) {
      kle_main = kle.substr(0, 2);
      add_bool(schema::kKlePrefix, kle_main);
      if (kle.size() >= 5) add_bool(schema::kKlePrefix, kle.substr(0, 5));
      add_bool(schema::kKlePrefix, kle);
    }
  }
  std::string category;
  if (item.category) {
    category = std::string(1, *item.category);
    add_bool(schema::kCategoryPrefix, lower_ascii(category));
  }
  std::vector<std::string> absent_names;
  for (const Absence& a : item.absent) {
    push_unique(absent_names, a.name);
    add_bool(schema::kAbsentPrefix, lower_latin(a.name));
  }
  if (!source.key.empty()) {
    std::string t = std::string(schema::kSourcePrefix) + source.key;
    if (t.size() <= kMaxTermBytes) doc.add_boolean_term(t);
  }

  // ---- values ------------------------------------------------------------------------------
  if (!ymd.empty()) {
    doc.add_value(schema::kSlotDate, ymd);
    doc.add_value(schema::kSlotYear, ymd.substr(0, 4));
  }
  if (!committee.empty()) doc.add_value(schema::kSlotCommittee, committee);
  if (!category.empty()) doc.add_value(schema::kSlotCategory, category);
  if (!outcomes.empty()) doc.add_value(schema::kSlotOutcomes, schema::serialise_list(outcomes));
  if (!kle_main.empty()) doc.add_value(schema::kSlotKle, kle_main);
  doc.add_value(schema::kSlotItem, Xapian::sortable_serialise(item.number));
  if (!deciding.empty()) doc.add_value(schema::kSlotDeciding, schema::serialise_list(deciding));
  if (!spans.empty()) doc.add_value(schema::kSlotFieldSpans, schema::serialise_spans(spans));

  // ---- document data -----------------------------------------------------------------------
  namespace k = schema::data;
  using nlohmann::json;
  json j;
  j[k::kId] = out.id;
  j[k::kFile] = source.file;
  j[k::kItem] = item.number;
  j[k::kTitle] = item.title;
  j[k::kCategory] = category.empty() ? json(nullptr) : json(category);
  j[k::kJournal] = item.journal ? json(item.journal->full) : json(nullptr);
  j[k::kCommittee] = committee.empty() ? json(nullptr) : json(committee);
  j[k::kDate] = date ? json(*date) : json(nullptr);
  j[k::kDateSource] = meeting.date.source;
  j[k::kDeciding] = deciding;
  j[k::kOutcomes] = outcomes;
  const Section* decision = item.section("beslutning");
  j[k::kDecision] = decision ? json(decision->text) : json(nullptr);
  json decisions = json::array();
  for (const DecisionStatement& d : item.decisions)
    decisions.push_back({{"committee", d.committee}, {"outcome", d.outcome}, {"text", d.text}});
  j[k::kDecisions] = std::move(decisions);
  j[k::kAbsent] = absent_names;
  json absences = json::array();
  for (const Absence& a : item.absent)
    absences.push_back({{"name", a.name}, {"scope", a.scope}, {"committee", a.committee}});
  j[k::kAbsences] = std::move(absences);
  json sections = json::array();
  for (const Section& s : item.sections)
    sections.push_back({{"name", s.name}, {"heading", s.heading}, {"text", s.text}});
  j[k::kSections] = std::move(sections);
  j[k::kAttachments] = item.attachments;
  j[k::kFirstLine] = item.first_line;
  j[k::kLastLine] = item.last_line;
  j[k::kPlace] = meeting.place;
  j[k::kPeriod] = meeting.period;
  j["time"] = meeting.time;
  j["municipality"] = meeting.municipality;
  j["source_url"] = meeting.source_url;
  // Invalid UTF-8 in the source must not make indexing fail: replace it.
  doc.set_data(j.dump(-1, ' ', false, json::error_handler_t::replace));

  out.synonyms.assign(synonyms.begin(), synonyms.end());
  out.spelling.assign(spelling.begin(), spelling.end());
  std::sort(out.spelling.begin(), out.spelling.end());
  return out;
}

}  // namespace referat::indexer
