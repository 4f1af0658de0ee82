// Committee names: canonical forms, spelling variants, abbreviations, slugs.
// The table of known committees and their variants: docs/minutes-format.md §5.3 and §7.3.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace referat::indexer {

/// Canonical committee name for any spelling, or std::nullopt when it is not a known committee.
/// Accepted: the canonical name ("Børn- og Ungeudvalget"), the genitive ("Børn- og
/// Ungeudvalgets"), "Børne- og …", en dashes and misplaced/missing hyphens
/// ("Beskæftigelses – og Socialudvalget", "Beskæftigelses -og …", "Beskæftigelses og …"), names
/// split over lines (any whitespace run counts as one space), any letter case, and the
/// abbreviations (BUU, BSU, ÆHU, BKU, ØU, ØKU). Administrations ("…forvaltningen"), byrådet
/// and non-political bodies (Forvaltningsudvalget, Hovedudvalget, …) are not committees.
std::optional<std::string> canonical_committee(std::string_view name);

/// URL/id-safe slug of a committee name: "Børn- og Ungeudvalget" -> "boern-og-ungeudvalget"
/// (lower case; æ->ae, ø->oe, å->aa, é->e; every other run of non-alphanumerics -> one '-').
std::string committee_slug(std::string_view canonical_name);

/// Abbreviations of known committees: {"BUU", "Børn- og Ungeudvalget"}, ... (ØU and ØKU both
/// map to Økonomiudvalget).
const std::vector<std::pair<std::string, std::string>>& committee_abbreviations();

/// The canonical names of all known committees, in a stable order.
const std::vector<std::string>& known_committees();

/// A committee named at the very start of `text` ("Børn- og Ungeudvalget anbefaler …").
/// `length` is the number of bytes of `text` the name occupies (without trailing punctuation).
struct CommitteeMatch {
  std::string canonical;
  std::size_t length = 0;
};
/// The longest known committee name (up to 6 words, any spelling canonical_committee accepts)
/// at the start of `text`, or std::nullopt.
std::optional<CommitteeMatch> committee_at_start(std::string_view text);

/// True when `text` mentions the committee `canonical` anywhere (any accepted spelling except
/// abbreviations). Linear in the size of `text`.
bool mentions_committee(std::string_view text, std::string_view canonical);

}  // namespace referat::indexer
