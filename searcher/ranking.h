// Ranking parameters: BM25 settings and the relative weights of the term variants a typed word
// expands to. Internal to the searcher (includes Xapian).
//
// Score of an item = Xapian BM25 (Robertson & Zaragoza, "The Probabilistic Relevance Framework:
// BM25 and Beyond", 2009; Xapian's BM25Weight with k1, b below) summed over the matching terms,
// each multiplied by the weight of its variant kind, plus the phrase/proximity boosts. The title
// counts above the body because the indexer gives title words a higher wdf (schema.h).
#pragma once

#include <string>

#include <xapian.h>

namespace referat::searcher::ranking {

// Variant weights, in the order the issue asks for: exact > lemma > compound part > folded.
inline constexpr double kExact = 1.0;
inline constexpr double kLemma = 0.75;
inline constexpr double kPart = 0.45;
inline constexpr double kFolded = 0.35;
/// A typed word that is also a committee abbreviation (BSU): weight of its text expansion.
inline constexpr double kSynonym = 0.6;

/// Extra weight for the exact-form phrase on top of the all-variants phrase.
inline constexpr double kExactPhrase = 1.0;
/// Weight of the proximity boost (all words of an implicit-AND query within a small window).
inline constexpr double kProximity = 0.5;
/// The proximity window is the number of words plus this slack.
inline constexpr unsigned kProximitySlack = 2;
/// The proximity boost re-ranks this many candidates beyond the requested page (searcher.cc).
inline constexpr unsigned kRerankDepth = 40;
/// No proximity boost above this many words (cost grows, benefit shrinks).
inline constexpr unsigned kProximityMaxWords = 6;

/// Xapian BM25 parameters (Xapian's defaults except b: council minutes vary from two-line
/// agenda approvals to 20-page reports, so length normalisation is softened).
inline constexpr double kBm25K1 = 1.2;
inline constexpr double kBm25K2 = 0;
inline constexpr double kBm25K3 = 1;
inline constexpr double kBm25B = 0.5;
inline constexpr double kBm25MinNormlen = 0.5;
inline Xapian::BM25Weight bm25() { return Xapian::BM25Weight(kBm25K1, kBm25K2, kBm25K3, kBm25B, kBm25MinNormlen); }

}  // namespace referat::searcher::ranking

#include <map>
#include <vector>

namespace referat::searcher {
struct TermRole;
}

namespace referat::searcher::ranking {

/// "--explain": the score of document `did` broken into one line per matching term (its BM25
/// weight in this document times its variant scale), plus the remainder that the phrase and
/// proximity boosts contributed. `roles` maps terms to how the query used them.
std::string explain(const Xapian::Database& db, Xapian::docid did,
                    const std::vector<std::string>& matching_terms,
                    const std::map<std::string, TermRole>& roles, double score);

}  // namespace referat::searcher::ranking
