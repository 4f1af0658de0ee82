// The Snowball Danish stop-word list (stemmers/data/stopwords_da.txt, embedded at build time so an
// installed binary needs no data file).
#pragma once

#include <string_view>

namespace referat::stemmers {

/// True when `word` (NFKC-casefolded) is on the Snowball Danish stop list. Thread-safe.
bool is_snowball_stopword(std::string_view word);

/// The embedded list file as written (comment lines start with '|').
std::string_view stopword_list_text();

}  // namespace referat::stemmers
