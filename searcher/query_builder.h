// QueryBuilder: the referat query language -> Xapian::Query (internal; includes Xapian).
//
// Grammar (documented for users in README.md "Query language"):
//
//   query    := and_expr EOF
//   and_expr := unit_neg ( ["AND"|"OG"] unit_neg )*          implicit AND between units
//   unit_neg := ("NOT"|"IKKE"|"-") or_expr | ["+"] or_expr
//   or_expr  := primary ( ("OR"|"ELLER") primary )*          OR binds tighter than AND
//   primary  := "(" and_expr ")" | PHRASE | field ":" value | WORD | WORD"*"
//   value    := WORD | PHRASE | "(" and_expr ")"             (groups only for text fields)
//
// Operators are recognised only in upper case; lower-case "or"/"og" are ordinary words.
// Every text word goes through the same stemmers::Analyzer as indexing (Mode::Query) and matches
// its exact form, its lemma, the compounds it is part of and its æ/ø/å-folded spellings, as an
// OP_OR of OP_SCALE_WEIGHT'ed terms (weights in searcher/ranking.h). Phrases are built here, not
// by Xapian::QueryParser (which never stems the last word of a phrase): OP_PHRASE over OP_OR of
// each word's variants, with the exact-form phrase as an extra boost.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

#include "searcher/searcher.h"
#include "stemmers/analyzer.h"

namespace referat::searcher {

/// A text word as typed in the query (for spelling suggestions).
struct TypedWord {
  std::string text;        ///< casefolded
  std::size_t offset = 0;  ///< byte offset in the query
  std::size_t length = 0;  ///< bytes as typed
};

/// How a term entered the query; used by --explain and snippets.
struct TermRole {
  std::string kind;   ///< exact, lemma, part, folded, wildcard, filter, form (a lemma's form in a phrase: matches, weighs nothing)
  double scale = 1.0; ///< OP_SCALE_WEIGHT factor
};

class QueryBuilder {
 public:
  /// `db` (optional) supplies synonyms and wildcard expansion limits; it must outlive the builder.
  explicit QueryBuilder(stemmers::Analyzer& analyzer, const Xapian::Database* db = nullptr);

  /// Parses the query language. An empty or all-blank query yields Xapian::Query::MatchAll.
  /// Throws QueryError (message, byte offset, quoted fragment) for unknown fields, malformed
  /// ranges or values, unbalanced parentheses and similar.
  Xapian::Query parse(std::string_view text);

  /// The boolean filter for the request's filter fields (committees, from/to, categories,
  /// outcomes), or an empty Query when there is none. Throws QueryError naming the option.
  Xapian::Query filters(const SearchRequest& request);

  /// The committee filter term ("XU<slug>") for a committee typed in any spelling: a known
  /// committee (resolve_committee), or, with a database, a committee the index holds although the
  /// built-in table does not know it (other municipalities' committees, --committee overrides),
  /// matched by its slug with or without æ/ø/å. Empty when there is no such committee.
  std::string committee_term(std::string_view text) const;

  /// Text words of the last parse(), in order.
  const std::vector<TypedWord>& typed_words() const { return words_; }

  /// Every term the last parse() put into the query, with its role (highest scale wins).
  const std::map<std::string, TermRole>& term_roles() const { return roles_; }

  /// True when the last parse() contained any text (ranked) part.
  bool has_text() const { return has_text_; }

  /// Whether parse() adds the proximity boost (all words of an implicit AND close together).
  /// The searcher turns it off for its counting/facet pass and applies it when re-ranking the
  /// top candidates, where positional checks are cheap.
  void set_proximity(bool on) { proximity_ = on; }
  /// True when the last parse() added (or, with proximity off, would have added) the boost.
  bool has_proximity() const { return has_proximity_; }

  /// Given a resolver, parse() builds every phrase the user typed as FILTER(AND of the phrase's
  /// parts, resolver(the OP_PHRASE query)) instead of the OP_PHRASE itself, where the resolver
  /// returns a weightless query that matches exactly the phrase's documents (e.g. from sets the
  /// counting pass already found). Same matches, same weights, and a ranking pass that checks
  /// positions only where they add weight (the exact-spelling phrase boost, on the resolved
  /// phrase's documents only; the proximity boost is not affected). Null: plain OP_PHRASE.
  using PhraseResolver = std::function<Xapian::Query(const Xapian::Query& phrase)>;
  void set_phrase_resolver(PhraseResolver r) { phrase_resolver_ = std::move(r); }

 private:
  friend class QueryParserImpl;

  stemmers::Analyzer& analyzer_;
  const Xapian::Database* db_;
  std::vector<TypedWord> words_;
  std::map<std::string, TermRole> roles_;
  bool has_text_ = false;
  bool proximity_ = true;
  bool has_proximity_ = false;
  PhraseResolver phrase_resolver_;
};

// ---- helpers shared with the searcher and tests ------------------------------------------------

/// Parses one date: YYYY-MM-DD, YYYY-M-D, D.M.YYYY, D/M/YYYY, D-M-YYYY, YYYY-MM or YYYY.
/// Returns "YYYYMMDD"; a partial date becomes the first day (end=false) or the last day
/// (end=true) of its month or year. Returns "" when malformed or impossible (31.2.2024).
std::string parse_date(std::string_view text, bool end);

/// A date range over the date value slot. Either bound may be "" (open end).
Xapian::Query date_range_query(const std::string& from_yyyymmdd, const std::string& to_yyyymmdd);

/// The canonical committee name for a user spelling (full name, genitive, abbreviation), or "".
std::string resolve_committee(std::string_view text);

}  // namespace referat::searcher
