// The default database location, in one place for every tool (referat-index, referat-search,
// referat-serve, the searcher library). Header-only and dependency-free on purpose, so that any
// component can include it without linking the indexer.
#pragma once

#include <cstdlib>
#include <string>

namespace referat {

/// Environment variable that names the database directory.
inline constexpr const char* kDbEnvVar = "REFERAT_DB";
/// Used when $REFERAT_DB is unset or empty: a folder in the current directory.
inline constexpr const char* kDefaultDbDir = "./referat-db";

/// The database every tool uses when not told otherwise: $REFERAT_DB if set and non-empty,
/// else "./referat-db".
inline std::string default_db_path() {
  const char* env = std::getenv(kDbEnvVar);
  if (env != nullptr && *env != '\0') return env;
  return kDefaultDbDir;
}

}  // namespace referat
