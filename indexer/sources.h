// Input discovery: files and folders given on a command line -> the minutes files to read.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "indexer/minutes_parser.h"

namespace referat::indexer {

/// True for a path the indexer reads: a name ending in ".txt" or ".pdf" (any case), but not a
/// sidecar ("*.meta.json") and not a README.
bool is_minutes_file(const std::filesystem::path& p);

/// The minutes files named by `paths`: a file is taken as given (whatever its extension; the
/// user named it), a folder is walked recursively for minutes files (is_minutes_file). The
/// result is sorted and free of duplicates; each path keeps the spelling it was reached by
/// ("corpus/" -> "corpus/000_….txt"). Symbolic links to folders are followed, each real folder
/// once, except links into a given folder (read as itself); a link to a folder read already (a
/// loop) adds a warning. A path that does not exist, a folder (given or linked) that cannot be
/// read completely or holds no minutes file (an unmounted share?) and a broken symbolic link
/// named like a minutes file add an error diagnostic (line 0): any error means that some
/// minutes may exist that were not found.
std::vector<std::filesystem::path> collect_sources(const std::vector<std::string>& paths,
                                                   std::vector<Diagnostic>& diags);

}  // namespace referat::indexer
