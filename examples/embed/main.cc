// referat-embed-example DB QUERY...: searches an index through the installed referat::searcher
// library and prints the total, the best hits and the committee facet. Exit code 1 on a bad
// query, 2 when the database cannot be opened.
#include <iostream>
#include <string>

#include "searcher/searcher.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: referat-embed-example DB QUERY...\n";
    return 2;
  }
  std::string query;
  for (int i = 2; i < argc; ++i) query += (i > 2 ? " " : "") + std::string(argv[i]);
  try {
    referat::searcher::Searcher searcher(argv[1]);
    referat::searcher::SearchRequest request;
    request.query = query;
    request.limit = 3;
    referat::searcher::SearchResult result = searcher.search(request);
    std::cout << "total: " << result.total << "\n";
    for (const auto& hit : result.hits)
      std::cout << hit.rank << ". " << hit.title << " | " << hit.committee << " | "
                << hit.date.value_or("-") << "\n";
    for (const auto& facet : result.facets) {
      if (facet.name != "committee") continue;
      for (const auto& v : facet.values) std::cout << "committee: " << v.value << " (" << v.count << ")\n";
    }
  } catch (const referat::searcher::QueryError& e) {
    std::cerr << "bad query: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 2;
  }
  return 0;
}
