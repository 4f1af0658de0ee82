// IndexWriter: the pipeline behind index_paths().
//
//   collect files -> [N worker threads: hash, skip if unchanged, parse, analyse, build documents]
//                 -> [this thread, in file order: one Xapian transaction per file, commit by bytes]
//
// Atomicity: every file's changes (its documents, deletions and its metadata record) are one
// unflushed transaction, and commit() is only called between transactions, so every committed
// revision holds whole files only. A reader (searcher) sees the last committed revision.
#include "indexer/index_writer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include <nlohmann/json.hpp>
#include <xapian.h>

#include "indexer/document_builder.h"
#include "indexer/schema.h"
#include "indexer/sources.h"
#include "stemmers/analyzer.h"

namespace referat::indexer {
namespace detail {
extern const char* const kAbbreviationsDa;  // abbreviations_data.cc (generated)
}
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Bump when the documents built from the same input change, so unchanged files get re-indexed.
// 2: lemmas of listed irregular forms, børn -> barn, var -> være, stop words' form entries.
// 3: compound parts of words hunspell-da lists whole or does not know (dag|tilbud, bo|tilbud,
//    frivillig|center), a prefix before a prefixed word (efter|uddannelse).
constexpr const char* kBuildFormat = "referat-build-3";
/// The content hash recorded for a file with an item that another file's item kept out
/// (IndexSummary::items_conflicting): no real hash equals it, so the file is read again.
constexpr const char* kClashHash = "clash";
/// Metadata: the keys of the user's synonym file (last run with --synonyms) and of the built-in
/// abbreviations as last written, JSON arrays (so that rules no longer wanted can be cleared).
constexpr const char* kUserSynonymsKey = "referat:user_synonyms";
constexpr const char* kBuiltinSynonymsKey = "referat:builtin_synonyms";

/// Synonym rules, one per line: "term = synonym, synonym"; '#' starts a comment. Terms and
/// synonyms are casefolded by the analyzer. Throws naming `label` and the line when a line has
/// no "term =".
std::map<std::string, std::vector<std::string>> parse_synonyms(const std::string& text, const std::string& label,
                                                               stemmers::Analyzer& analyzer) {
  std::map<std::string, std::vector<std::string>> out;
  auto trim = [](std::string s) {
    auto b = s.find_first_not_of(" \t\r");
    if (b == std::string::npos) return std::string();
    return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
  };
  std::stringstream in(text);
  std::string line;
  int lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    std::string t = trim(line);
    if (t.empty() || t[0] == '#') continue;
    auto eq = t.find('=');
    std::string term = eq == std::string::npos ? "" : analyzer.normalize(trim(t.substr(0, eq)));
    if (term.empty())
      throw std::runtime_error(label + ":" + std::to_string(lineno) + ": expected \"term = synonym, synonym\"");
    std::stringstream rest(t.substr(eq + 1));
    std::string syn;
    while (std::getline(rest, syn, ',')) {
      syn = analyzer.normalize(trim(syn));
      if (!syn.empty() && syn != term) out[term].push_back(syn);
    }
  }
  return out;
}

struct SourceFile {
  fs::path path;
  std::string label;  // as the user would recognise it (given path joined with the relative part)
  std::string key;    // file_key()
  std::uintmax_t size = 0;
};

// The metadata record of one indexed file (kFileKeyPrefix + file key -> JSON).
struct FileRecord {
  std::string hash;
  std::string file;  // the label (path as given)
  std::string path;  // absolute path, for --prune (the key may be shortened)
  std::vector<std::string> ids;
};

struct FileJob {
  enum class Status { Unchanged, Indexed, Rejected } status = Status::Rejected;
  std::string hash;
  std::vector<Diagnostic> diagnostics;
  std::vector<BuiltDocument> docs;
  std::vector<std::pair<std::string, int>> spelling;  // word -> number of items using it
  std::set<std::pair<std::string, std::string>> synonyms;  // fold- and form-table entries of its items
};

Diagnostic error_diag(const std::string& file, const std::string& message) {
  Diagnostic d;
  d.severity = Diagnostic::Severity::Error;
  d.file = file;
  d.message = message;
  return d;
}

// The files to read (indexer/sources.h decides which), with their keys and sizes. Missing paths,
// unreadable or empty folders and broken links are counted as rejected (collect_sources reports
// them); `all_paths_read` is false after any of them (some minutes may not have been found).
std::vector<SourceFile> collect(const std::vector<std::string>& paths, IndexSummary& summary,
                                bool& all_paths_read) {
  std::vector<Diagnostic> diags;
  std::vector<fs::path> found = collect_sources(paths, diags);
  all_paths_read = true;
  for (auto& d : diags) {
    if (d.severity == Diagnostic::Severity::Error) {
      ++summary.files_rejected;
      all_paths_read = false;
    }
    summary.diagnostics.push_back(std::move(d));
  }
  std::vector<SourceFile> out;
  std::set<std::string> seen, seen_real;
  for (const fs::path& p : found) {
    std::string key = file_key(p);
    std::error_code ec;
    const fs::path real = fs::canonical(p, ec);
    // one file reached through two spellings (a given link and its folder, "a/../a"): the first
    if (!seen.insert(key).second || (!ec && !seen_real.insert(real).second)) continue;
    std::uintmax_t size = fs::file_size(p, ec);
    out.push_back({p, p.string(), std::move(key), ec ? 0 : size});
  }
  return out;
}

std::uint64_t fnv1a(std::uint64_t h, std::string_view s) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

bool read_file(const fs::path& p, std::string& out) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = std::move(ss).str();
  return !in.bad();
}

// Content hash of everything that determines the documents of one file: its bytes, its sidecar,
// the command-line overrides and the build format.
std::string content_hash(const std::string& bytes, const fs::path& path,
                         const MeetingOverrides& ov) {
  std::uint64_t h = 1469598103934665603ull;
  h = fnv1a(h, bytes);
  std::string sidecar;
  fs::path side = path;
  side += ".meta.json";
  if (read_file(side, sidecar)) h = fnv1a(fnv1a(h, "\x01" "sidecar"), sidecar);
  h = fnv1a(h, "\x01" "committee");
  h = fnv1a(h, ov.committee.value_or(""));
  h = fnv1a(h, "\x01" "date");
  h = fnv1a(h, ov.date.value_or(""));
  h = fnv1a(h, kBuildFormat);
  h = fnv1a(h, std::to_string(schema::kSchemaVersion));
  char hex[32];
  std::snprintf(hex, sizeof hex, "%016llx-%zx", static_cast<unsigned long long>(h), bytes.size());
  return hex;
}

std::string record_key(const std::string& file_key) { return schema::kFileKeyPrefix + file_key; }

std::string encode_record(const FileRecord& r) {
  nlohmann::json j{{"hash", r.hash}, {"file", r.file}, {"path", r.path}, {"ids", r.ids}};
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::optional<FileRecord> decode_record(const std::string& s) {
  try {
    auto j = nlohmann::json::parse(s);
    FileRecord r;
    r.hash = j.value("hash", "");
    r.file = j.value("file", "");
    r.path = j.value("path", "");
    r.ids = j.value("ids", std::vector<std::string>{});
    return r;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::string now_iso() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string format_duration(double s) {
  if (!(s >= 0) || s > 99 * 3600) return "--:--";
  long t = std::lround(s);
  char buf[32];
  if (t >= 3600)
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", t / 3600, (t / 60) % 60, t % 60);
  else
    std::snprintf(buf, sizeof buf, "%ld:%02ld", t / 60, t % 60);
  return buf;
}

// ---- the writer side ---------------------------------------------------------------------------

class Writer {
 public:
  /// Opens (or creates) the database at `path` with Xapian `open_flags`; commits a batch when it
  /// holds about `flush_bytes` of text. The target database is opened with DB_CREATE_OR_OPEN, a
  /// temporary shard with DB_CREATE_OR_OVERWRITE.
  Writer(const std::string& path, int open_flags, std::size_t flush_bytes,
         const IndexOptions& options, IndexSummary& summary)
      : options_(options), summary_(summary), flush_bytes_(flush_bytes) {
    try {
      db_ = Xapian::WritableDatabase(path, open_flags);
    } catch (const Xapian::DatabaseLockError& e) {
      throw std::runtime_error(path + ": the database is being written by another process (" +
                               e.get_msg() + ")");
    } catch (const Xapian::Error& e) {
      throw std::runtime_error(path + ": cannot open or create the database: " +
                               e.get_description());
    }
    std::string version = db_.get_metadata(schema::kSchemaVersionKey);
    std::string mine = std::to_string(schema::kSchemaVersion);
    if (version.empty()) {
      if (db_.get_doccount() > 0)
        throw std::runtime_error(path +
                                 ": not a referat database (no schema version in its metadata)");
      db_.set_metadata(schema::kSchemaVersionKey, mine);
      dirty_ = true;
    } else if (version != mine) {
      throw std::runtime_error(path + ": the database has schema version " + version +
                               ", but this referat-index writes schema version " + mine +
                               "; index into a new database (or delete this one and re-index)");
    }
    for (auto it = db_.metadata_keys_begin(schema::kFileKeyPrefix);
         it != db_.metadata_keys_end(schema::kFileKeyPrefix); ++it) {
      std::string key = (*it).substr(std::string(schema::kFileKeyPrefix).size());
      if (auto r = decode_record(db_.get_metadata(*it))) records_.emplace(key, std::move(*r));
    }
    if (const char* slow = std::getenv("REFERAT_TEST_SLOW_COMMIT_MS")) slow_ms_ = std::atoi(slow);
  }

  /// The content hash of every file recorded when the run started.
  std::map<std::string, std::string> recorded_hashes() const {
    std::map<std::string, std::string> out;
    for (const auto& [key, rec] : records_) out.emplace(key, rec.hash);
    return out;
  }
  Xapian::WritableDatabase& db() { return db_; }

  /// True when the database holds no item and no file record, so that nothing indexed now can
  /// replace or delete anything stored before (what a shard-parallel build requires).
  bool empty() const { return db_.get_doccount() == 0 && records_.empty(); }

  /// Takes the item `id` out again because an earlier file, written into another shard, holds
  /// the same id (`holder`: that file's label): as write_file() would have done had it seen
  /// that file first. The item's file is recorded with kClashHash and loses the id.
  void yield_item(const std::string& id, const std::string& holder) {
    std::string term = schema::kIdPrefix + id;
    Xapian::PostingIterator p = db_.postlist_begin(term);
    if (p == db_.postlist_end(term)) return;
    const Xapian::docid did = *p;
    const StoredItem old = stored_item(did);
    auto rec = records_.find(old.source);
    if (rec == records_.end()) return;
    const std::string key = old.source;
    BuiltDocument b;
    b.id = id;
    try {
      const auto j = nlohmann::json::parse(db_.get_document(did).get_data());
      b.item = j.value(schema::data::kItem, 0);
      b.first_line = j.value(schema::data::kFirstLine, 0);
    } catch (const std::exception&) {
    }
    clash_diagnostic(rec->second.file, b, holder);
    forget_spelling(old.spelling);
    db_.delete_document(did);
    --summary_.items_added;
    auto& ids = rec->second.ids;
    ids.erase(std::remove(ids.begin(), ids.end(), id), ids.end());
    rec->second.hash = kClashHash;
    db_.set_metadata(record_key(key), encode_record(rec->second));
    dirty_ = true;
  }

  /// The label of the file that wrote each item id, over every recorded file.
  std::map<std::string, std::string> holders() const {
    std::map<std::string, std::string> out;
    for (const auto& [key, rec] : records_)
      for (const std::string& id : rec.ids) out.emplace(id, rec.file);
    return out;
  }

  // Adds `syn` to `key` unless it is there already (so an unchanged run writes nothing).
  void ensure_synonym(const std::string& key, const std::string& syn) {
    for (auto it = db_.synonyms_begin(key); it != db_.synonyms_end(key); ++it)
      if (*it == syn) return;
    db_.add_synonym(key, syn);
    dirty_ = true;
  }

  void write_synonyms(stemmers::Analyzer& analyzer) {
    for (const auto& [abbr, name] : committee_abbreviations()) {
      std::string a = analyzer.normalize(abbr);
      ensure_synonym(schema::kCommitteePrefix + a, schema::kCommitteePrefix + committee_slug(name));
      ensure_synonym(a, analyzer.normalize(name));
    }
    // Wanted: the built-in abbreviations, overlaid by the user's rules. The user's file is the
    // truth for the user's rules when given; a run without --synonyms keeps the rules of the
    // last file (as stored). Keys written before and no longer wanted are cleared, so an edited
    // file or an edited built-in list replaces the old rules; only differences are written.
    const auto builtin =
        parse_synonyms(detail::kAbbreviationsDa, "built-in abbreviations (indexer/data/abbreviations_da.txt)", analyzer);
    auto stored_keys = [&](const char* key) {
      std::vector<std::string> keys;
      try {
        keys = nlohmann::json::parse(db_.get_metadata(key)).get<std::vector<std::string>>();
      } catch (const std::exception&) {
      }
      return keys;
    };
    auto synonyms_of = [&](const std::string& k) {
      return std::set<std::string>(db_.synonyms_begin(k), db_.synonyms_end(k));
    };
    const std::vector<std::string> old_user = stored_keys(kUserSynonymsKey);
    const std::vector<std::string> old_builtin = stored_keys(kBuiltinSynonymsKey);
    std::map<std::string, std::set<std::string>> want;
    for (const auto& [k, syns] : builtin) want[k].insert(syns.begin(), syns.end());
    std::vector<std::string> user_keys;
    if (!options_.synonyms_file.empty()) {
      std::ifstream in(options_.synonyms_file);
      if (!in) throw std::runtime_error(options_.synonyms_file + ": cannot read the synonym file");
      std::stringstream text;
      text << in.rdbuf();
      for (const auto& [k, syns] : parse_synonyms(text.str(), options_.synonyms_file, analyzer)) {
        want[k] = std::set<std::string>(syns.begin(), syns.end());
        user_keys.push_back(k);
      }
    } else {
      user_keys = old_user;
      for (const auto& k : old_user) want[k] = synonyms_of(k);
    }
    std::set<std::string> managed(old_user.begin(), old_user.end());
    managed.insert(old_builtin.begin(), old_builtin.end());
    for (const auto& [k, syns] : want) managed.insert(k);
    for (const auto& k : managed) {
      const std::set<std::string> have = synonyms_of(k);
      auto w = want.find(k);
      const std::set<std::string> none;
      const std::set<std::string>& target = w == want.end() ? none : w->second;
      if (have == target) continue;
      if (!have.empty()) db_.clear_synonyms(k);
      for (const auto& syn : target) db_.add_synonym(k, syn);
      dirty_ = true;
    }
    std::vector<std::string> builtin_keys;
    for (const auto& [k, syns] : builtin) builtin_keys.push_back(k);
    for (const auto& [key, keys] : {std::pair{kUserSynonymsKey, user_keys}, std::pair{kBuiltinSynonymsKey, builtin_keys}}) {
      std::string encoded = nlohmann::json(keys).dump();
      if (db_.get_metadata(key) != encoded) {
        db_.set_metadata(key, encoded);
        dirty_ = true;
      }
    }
  }

  // Writes one file's result; the caller has already counted unchanged/rejected files.
  // An item whose id another existing file holds is not written (see IndexSummary::
  // items_conflicting): the file's record then carries kClashHash, so that the next run reads
  // it again and its item comes in once the other file is gone. When that file is one of
  // `wait_for` (files this run has still to write), nothing is written and false is returned:
  // the caller writes this file after them.
  bool write_file(const SourceFile& src, FileJob& job, const std::set<std::string>& wait_for = {}) {
    // What is stored under each id, read once, before anything is written.
    std::vector<std::optional<StoredItem>> stored(job.docs.size());
    for (std::size_t i = 0; i < job.docs.size(); ++i) {
      const std::string term = schema::kIdPrefix + job.docs[i].id;
      Xapian::PostingIterator p = db_.postlist_begin(term);
      if (p == db_.postlist_end(term)) continue;
      stored[i] = stored_item(*p);
      if (wait_for.count(stored[i]->source)) return false;
    }
    db_.begin_transaction(false);
    try {
      std::vector<std::string> ids;
      bool clash = false;
      std::set<std::string> aliases;  // records of this same file under another spelling
      std::map<std::string, std::size_t> here;  // id -> its item written just now (an id twice)
      for (std::size_t i = 0; i < job.docs.size(); ++i) {
        BuiltDocument& b = job.docs[i];
        const std::string term = schema::kIdPrefix + b.id;
        if (auto first = here.find(b.id); first != here.end()) {
          forget_spelling(job.docs[first->second].document);  // replaces this file's own item
          ++summary_.items_replaced;
        } else if (stored[i]) {
          const StoredItem& old = *stored[i];
          if (old.source != src.key) {
            switch (const Holder h = holder(old.source, src.path); h.kind) {
              case Holder::Other:
                clash_diagnostic(src.label, b, h.record->file);
                forget_spelling(b.document);  // job.spelling counted it
                clash = true;
                continue;
              case Holder::Alias: aliases.insert(old.source); break;
              case Holder::Gone: break;
            }
          }
          forget_spelling(old.spelling);
          ++summary_.items_replaced;
        } else {
          ++summary_.items_added;
        }
        db_.replace_document(term, b.document);
        ids.push_back(b.id);
        here[b.id] = i;
      }
      for (const auto& [w, n] : job.spelling) spelling_[w] += n;
      add_synonyms(job.synonyms);
      std::set<std::string> now(ids.begin(), ids.end());
      if (auto old = records_.find(src.key); old != records_.end())
        for (const std::string& id : old->second.ids)
          if (!now.count(id) && delete_own(id, src.key)) ++summary_.items_deleted;
      // This file recorded under another spelling (a folder now reached through a link): its
      // items are this file's, those it no longer has go, and the old record with them.
      for (const std::string& alias : aliases) {
        for (const std::string& id : records_[alias].ids)
          if (!now.count(id) && delete_own(id, alias)) ++summary_.items_deleted;
        db_.set_metadata(record_key(alias), "");
        records_.erase(alias);
      }
      std::error_code ec;
      fs::path abs = fs::absolute(src.path, ec).lexically_normal();
      FileRecord rec{clash ? kClashHash : job.hash, src.label, ec ? src.key : abs.string(), std::move(ids)};
      db_.set_metadata(record_key(src.key), encode_record(rec));
      records_[src.key] = std::move(rec);
      db_.commit_transaction();
    } catch (...) {
      db_.cancel_transaction();
      throw;
    }
    dirty_ = true;
    pending_bytes_ += src.size;
    if (pending_bytes_ >= flush_bytes_) commit();
    if (slow_ms_ > 0) std::this_thread::sleep_for(std::chrono::milliseconds(slow_ms_));
    return true;
  }

  // --prune: the items of recorded files that no longer exist.
  void prune() {
    std::vector<std::string> gone;
    for (const auto& [key, rec] : records_) {
      std::error_code ec;
      fs::path p = rec.path.empty() ? fs::path(key) : fs::path(rec.path);
      bool exists = fs::exists(p, ec);
      if (!exists && !ec) gone.push_back(key);  // an unreadable parent (ec) is not "gone"
    }
    for (const std::string& key : gone) {
      db_.begin_transaction(false);
      for (const std::string& id : records_[key].ids)
        if (delete_own(id, key)) ++summary_.items_deleted;
      db_.set_metadata(record_key(key), "");
      db_.commit_transaction();
      records_.erase(key);
      dirty_ = true;
    }
  }

  void commit() {
    if (!dirty_) return;
    for (const auto& [w, n] : spelling_) {
      if (n > 0) db_.add_spelling(w, static_cast<Xapian::termcount>(n));
      else if (n < 0) db_.remove_spelling(w, static_cast<Xapian::termcount>(-n));
    }
    spelling_.clear();
    // In key order: Xapian's synonym table buffers one key at a time.
    for (const auto& [key, value] : synonyms_pending_) db_.add_synonym(key, value);
    synonyms_pending_.clear();
    db_.set_metadata(schema::kLastCommitKey, now_iso());
    db_.commit();
    dirty_ = false;
    pending_bytes_ = 0;
  }

 private:
  // Deletes the item `id` if it still belongs to the file `key` (another file may have taken the
  // same id since, after the file that held it was removed). True when deleted.
  bool delete_own(const std::string& id, const std::string& key) {
    std::string term = schema::kIdPrefix + id;
    Xapian::PostingIterator p = db_.postlist_begin(term);
    if (p == db_.postlist_end(term)) return false;
    Xapian::docid did = *p;
    StoredItem old = stored_item(did);
    if (old.source != key) return false;
    forget_spelling(old.spelling);
    db_.delete_document(did);
    return true;
  }

  // What the writer needs of a stored item, read in one pass over its terms: its file key (the
  // XS term; "" if none) and its spelling words.
  struct StoredItem {
    std::string source;
    std::vector<std::string> spelling;
  };
  StoredItem stored_item(Xapian::docid did) {
    StoredItem out;
    const Xapian::Document doc = db_.get_document(did);
    const std::string_view xs = schema::kSourcePrefix;
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
      const std::string& term = *t;
      if (term.empty()) continue;
      if (term[0] >= 'A' && term[0] <= 'Z') {
        if (term.compare(0, xs.size(), xs) == 0) out.source = term.substr(xs.size());
      } else if (is_spelling_word(term)) {
        out.spelling.push_back(term);
      }
    }
    return out;
  }

  // Who holds an item stored for the file key `owner`, seen from the file at `path` that has an
  // item of the same id: another file that still exists (Other), this same file recorded under
  // another spelling (Alias), or nobody any more (Gone: removed or renamed without --prune).
  struct Holder {
    enum Kind { Other, Alias, Gone } kind = Gone;
    const FileRecord* record = nullptr;
  };
  Holder holder(const std::string& owner, const fs::path& path) {
    auto rec = records_.find(owner);
    if (owner.empty() || rec == records_.end()) return {};
    std::error_code ec;
    const fs::path held = rec->second.path.empty() ? fs::path(owner) : fs::path(rec->second.path);
    if (!fs::exists(held, ec)) return ec ? Holder{Holder::Other, &rec->second} : Holder{};
    if (fs::equivalent(held, path, ec)) return {Holder::Alias, &rec->second};
    return {Holder::Other, &rec->second};
  }

  // The error for an item of `file` whose id the file `holder` already holds.
  void clash_diagnostic(const std::string& file, const BuiltDocument& b, const std::string& holder) {
    summary_.diagnostics.push_back(
        {Diagnostic::Severity::Error, file, b.first_line,
         "item " + std::to_string(b.item) + " not indexed: its id " + b.id + " (committee, date, item) is " +
             "already taken by " + holder + " (the same meeting twice? remove one file, or give " +
             "this one --committee/--date)"});
    ++summary_.items_conflicting;
  }

  // Queues the fold- and form-table entries not written by this writer before (for the next commit; they
  // are only ever added, so they need not be part of the file's transaction). What was written
  // is remembered as 64-bit hashes (a collision, ~1e-8 at the bound, would leave one entry
  // out), at most kMaxRemembered (~20 MB); when full it is forgotten and entries are written again.
  void add_synonyms(const std::set<std::pair<std::string, std::string>>& entries) {
    constexpr std::size_t kMaxRemembered = 1u << 19;
    for (const auto& entry : entries) {
      const std::uint64_t h = std::hash<std::string>{}(entry.first + '\0' + entry.second);
      if (synonyms_written_.count(h)) continue;
      if (synonyms_written_.size() >= kMaxRemembered) synonyms_written_.clear();
      synonyms_written_.insert(h);
      synonyms_pending_.insert(entry);
    }
  }

  // Undoes the spelling contribution of a document (1 per distinct spelling word).
  void forget_spelling(const std::vector<std::string>& words) {
    for (const std::string& w : words) --spelling_[w];
  }
  void forget_spelling(const Xapian::Document& doc) {
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
      const std::string& term = *t;
      if (term.empty() || (term[0] >= 'A' && term[0] <= 'Z')) continue;  // prefixed
      if (is_spelling_word(term)) --spelling_[term];
    }
  }

  const IndexOptions& options_;
  IndexSummary& summary_;
  Xapian::WritableDatabase db_;
  std::map<std::string, FileRecord> records_;
  std::unordered_map<std::string, long> spelling_;
  std::unordered_set<std::uint64_t> synonyms_written_;              // hashes of "key\0value"
  std::set<std::pair<std::string, std::string>> synonyms_pending_;  // to add at the next commit
  std::size_t flush_bytes_;
  std::size_t pending_bytes_ = 0;
  bool dirty_ = false;
  int slow_ms_ = 0;
};

// ---- the worker side ---------------------------------------------------------------------------

void process_file(const SourceFile& src, const IndexOptions& options,
                  const std::map<std::string, std::string>& hashes, DocumentBuilder& builder,
                  FileJob& job) {
  std::string bytes;
  if (!read_file(src.path, bytes)) {
    job.diagnostics.push_back(error_diag(src.label, "cannot read the file"));
    return;
  }
  job.hash = content_hash(bytes, src.path, options.overrides);
  bytes.clear();
  bytes.shrink_to_fit();
  if (auto r = hashes.find(src.key); r != hashes.end() && r->second == job.hash) {
    job.status = FileJob::Status::Unchanged;
    return;
  }
  ParseResult parsed = parse_minutes_file(src.path, src.label, options.overrides);
  job.diagnostics = std::move(parsed.diagnostics);
  if (parsed.rejected) return;
  if (parsed.meeting.items.empty()) {
    job.diagnostics.push_back(error_diag(src.label, "no agenda items (\"Punkt N:\") found"));
    return;
  }
  SourceInfo info{src.label, src.key, src.path.stem().string()};
  std::unordered_map<std::string, int> spelling;
  for (const Item& item : parsed.meeting.items) {
    job.docs.push_back(builder.build(parsed.meeting, item, info));
    for (auto& w : job.docs.back().spelling) ++spelling[w];
    job.docs.back().spelling.clear();
    for (auto& f : job.docs.back().synonyms) job.synonyms.insert(std::move(f));
    job.docs.back().synonyms.clear();
  }
  job.spelling.assign(spelling.begin(), spelling.end());
  job.status = FileJob::Status::Indexed;
}

class Progress {
 public:
  Progress(bool enabled, std::size_t files, std::uintmax_t bytes)
      : enabled_(enabled), files_(files), total_bytes_(bytes), start_(Clock::now()) {}

  void update(std::size_t files_done, std::size_t items, std::uintmax_t bytes_done, bool last) {
    if (!enabled_) return;
    auto now = Clock::now();
    if (!last && now - last_draw_ < std::chrono::milliseconds(100)) return;
    last_draw_ = now;
    double secs = std::chrono::duration<double>(now - start_).count();
    double mbs = secs > 0 ? static_cast<double>(bytes_done) / 1e6 / secs : 0;
    double frac = total_bytes_ ? static_cast<double>(bytes_done) / static_cast<double>(total_bytes_)
                               : (files_ ? static_cast<double>(files_done) / static_cast<double>(files_) : 1);
    frac = std::clamp(frac, 0.0, 1.0);
    double eta = frac > 0 ? secs / frac - secs : -1;
    constexpr int kWidth = 24;
    int filled = static_cast<int>(frac * kWidth);
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.append(static_cast<std::size_t>(kWidth - filled), '.');
    std::fprintf(stderr, "\r[%s] %zu/%zu files  %zu items  %.1f MB/s  ETA %s  ", bar.c_str(),
                 files_done, files_, items, mbs, format_duration(eta).c_str());
    if (last) std::fputc('\n', stderr);
    std::fflush(stderr);
  }

 private:
  bool enabled_;
  std::size_t files_;
  std::uintmax_t total_bytes_;
  Clock::time_point start_, last_draw_{};
};

// The database folder as a path without a trailing separator ("db/" -> "db"); an existing folder
// reached through symlinks is its real location, so that the temporary siblings and a swap are
// made where the database really is (and a symlink to it stays a symlink).
fs::path db_dir(const std::string& path) {
  fs::path dir = fs::path(path).lexically_normal();
  if (dir.filename().empty()) dir = dir.parent_path();
  std::error_code ec;
  fs::path real = fs::canonical(dir, ec);
  return ec ? dir : real;
}

constexpr const char* kCompactTmpSuffix = ".compact-tmp";
constexpr const char* kCompactOldSuffix = ".compact-old";

// A sibling of the database folder: "<db><suffix>".
fs::path sibling(const fs::path& dir, const std::string& suffix) {
  fs::path p = dir;
  p += suffix;
  return p;
}

// Whether `dir` (from db_dir) can be replaced by a sibling folder: a real directory on the same
// file system as its parent, in a parent we may write. Not a mount point or bind mount (a rename
// cannot move it) and not a Xapian stub file (a regular file naming the database elsewhere).
bool can_swap(const fs::path& dir) {
  struct stat self {}, up {};
  fs::path parent = dir.parent_path().empty() ? fs::path(".") : dir.parent_path();
  if (!fs::is_directory(dir) || ::stat(dir.c_str(), &self) != 0 || ::stat(parent.c_str(), &up) != 0 ||
      self.st_dev != up.st_dev || ::access(parent.c_str(), W_OK) != 0)
    return false;
  // A bind mount of a folder of the same file system has the parent's st_dev.
  struct statx sx {};
  if (::statx(AT_FDCWD, dir.c_str(), 0, STATX_BASIC_STATS, &sx) == 0 &&
      (sx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) && (sx.stx_attributes & STATX_ATTR_MOUNT_ROOT))
    return false;
  return true;
}

// Replaces the folder `dir` by the folder `fresh`, which must be a sibling (can_swap(dir)).
// One atomic exchange (renameat2 RENAME_EXCHANGE): a reader or a kill sees the old folder or
// the new one, never none; the old content is then removed from `fresh`'s name. Call it while
// holding the target's write lock, so no other writer can commit to the old folder meanwhile
// (the lock stays with the old folder: after the exchange another writer may open the new one,
// so the caller writes and removes nothing of its own after this call).
// A file system without exchange support gets two renames (a kill between them leaves `dir`
// missing and "<dir>.compact-old" holding the previous state).
void swap_in(const fs::path& dir, const fs::path& fresh) {
  std::error_code ec;
  if (::renameat2(AT_FDCWD, fresh.c_str(), AT_FDCWD, dir.c_str(), RENAME_EXCHANGE) == 0) {
    fs::remove_all(fresh, ec);  // the old content; a leftover is removed by the next run
    return;
  }
  const int err = errno;
  if (err != EINVAL && err != ENOSYS)
    throw std::runtime_error(dir.string() + ": cannot swap in the rewritten database from " +
                             fresh.string() + ": " + std::strerror(err) +
                             " (index with --single-writer, or without --compact)");
  fs::path old = sibling(dir, kCompactOldSuffix);
  fs::remove_all(old);
  fs::rename(dir, old);
  fs::rename(fresh, dir);
  fs::remove_all(old, ec);
}

// Compacts the database `dir` into a sibling folder and swaps it in. The caller holds the write
// lock (an open WritableDatabase with nothing uncommitted), so nothing changes meanwhile.
void compact_database(const fs::path& dir) {
  fs::path tmp = sibling(dir, kCompactTmpSuffix);
  fs::remove_all(tmp);
  {
    Xapian::Database src(dir.string());
    src.compact(tmp.string(), Xapian::DBCOMPACT_NO_RENUMBER);
  }
  swap_in(dir, tmp);
}

// ---- the serial path: N workers, one writer in file order ---------------------------------------

// Workers parse and analyse; this thread writes every file's result in file order.
void write_in_order(const std::vector<SourceFile>& files, const IndexOptions& options,
                    std::vector<std::unique_ptr<DocumentBuilder>>& builders, Writer& writer,
                    IndexSummary& summary) {
  const unsigned jobs = static_cast<unsigned>(builders.size());
  // Ordered hand-over: workers fill results[i]; the writer consumes them in file order. Workers
  // stay at most `window` files ahead of the writer, which bounds memory whatever the corpus size.
  // Workers read this snapshot, never the writer's records (which it updates as it goes).
  const std::map<std::string, std::string> hashes = writer.recorded_hashes();
  const std::size_t n = files.size();
  const std::size_t window = 4 * jobs;
  std::vector<std::unique_ptr<FileJob>> results(n);
  std::mutex mu;
  std::condition_variable work_cv, done_cv;
  std::size_t next = 0, consumed = 0;
  bool stop = false;

  auto worker = [&](unsigned w) {
    for (;;) {
      std::size_t i;
      {
        std::unique_lock lock(mu);
        work_cv.wait(lock, [&] { return stop || next >= n || next < consumed + window; });
        if (stop || next >= n) return;
        i = next++;
      }
      auto job = std::make_unique<FileJob>();
      try {
        process_file(files[i], options, hashes, *builders[w], *job);
      } catch (const std::exception& e) {
        job->status = FileJob::Status::Rejected;
        job->docs.clear();
        job->diagnostics.push_back(error_diag(files[i].label, e.what()));
      }
      {
        std::lock_guard lock(mu);
        results[i] = std::move(job);
      }
      done_cv.notify_all();
    }
  };
  std::vector<std::thread> threads;
  for (unsigned w = 0; w < jobs; ++w) threads.emplace_back(worker, w);

  std::uintmax_t total_bytes = 0, done_bytes = 0;
  for (const auto& f : files) total_bytes += f.size;
  Progress progress(options.progress, n, total_bytes);
  std::set<std::string> later;  // keys of the files not written yet
  for (const auto& f : files) later.insert(f.key);
  std::vector<std::pair<std::size_t, std::unique_ptr<FileJob>>> deferred;
  std::uintmax_t deferred_bytes = 0;
  std::size_t items = 0;
  try {
    for (std::size_t i = 0; i < n; ++i) {
      std::unique_ptr<FileJob> job;
      {
        std::unique_lock lock(mu);
        done_cv.wait(lock, [&] { return results[i] != nullptr; });
        job = std::move(results[i]);
        consumed = i + 1;
      }
      work_cv.notify_all();
      later.erase(files[i].key);
      for (auto& d : job->diagnostics) summary.diagnostics.push_back(std::move(d));
      switch (job->status) {
        case FileJob::Status::Unchanged: ++summary.files_unchanged; break;
        case FileJob::Status::Rejected: ++summary.files_rejected; break;
        case FileJob::Status::Indexed:
          // An item whose id a file later in this run holds waits for that file, which may give
          // it up (the item moved between two files of one meeting, or the other file was
          // corrected): written now it would be refused and missing until the next run. At most
          // `flush_bytes` of such files wait (a copied folder could be all of them).
          if (deferred_bytes + files[i].size <= options.flush_bytes) {
            if (!writer.write_file(files[i], *job, later)) {
              deferred_bytes += files[i].size;
              deferred.emplace_back(i, std::move(job));
              break;
            }
          } else {
            writer.write_file(files[i], *job);
          }
          ++summary.files_indexed;
          items += job->docs.size();
          break;
      }
      done_bytes += files[i].size;
      progress.update(i + 1, items, done_bytes, false);
    }
    for (auto& [i, job] : deferred) {
      writer.write_file(files[i], *job);
      ++summary.files_indexed;
      items += job->docs.size();
    }
  } catch (...) {
    {
      std::lock_guard lock(mu);
      stop = true;
    }
    work_cv.notify_all();
    for (auto& t : threads) t.join();
    throw;
  }
  for (auto& t : threads) t.join();
  if (options.prune) writer.prune();
  writer.commit();
  progress.update(n, items, done_bytes, true);
}

// ---- the parallel path: one shard per job, merged by Xapian compact -----------------------------
//
// Only for a target that holds nothing (Writer::empty): then no file of this run replaces or
// deletes anything stored before, and the single writer's result depends only on the files of
// this run in file order. Each job takes a contiguous run of files (split by bytes), parses,
// analyses and writes them in file order into its own temporary database "<db>.shard-N.tmp";
// an item id written by several shards is kept only in the last one (the single writer would
// have replaced the earlier item by the later one). Then the target (its schema version and
// synonyms) and the shards are compacted into "<db>.merge-tmp", which replaces the target.
// A kill before the swap leaves the target as it was (empty, valid); the next run removes the
// temporary folders and builds again.

constexpr const char* kShardSuffix = ".shard-";
constexpr const char* kShardEnd = ".tmp";
constexpr const char* kMergeSuffix = ".merge-tmp";

fs::path shard_path(const fs::path& dir, unsigned n) {
  return sibling(dir, kShardSuffix + std::to_string(n) + kShardEnd);
}

// Removes the temporary folders an interrupted run left next to the target. Call only while
// holding the target's write lock, so no running build owns them.
void remove_stale_temporaries(const std::string& db_path) {
  fs::path dir = db_dir(db_path);
  fs::path parent = dir.parent_path().empty() ? fs::path(".") : dir.parent_path();
  const std::string shard_prefix = dir.filename().string() + kShardSuffix;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(parent, ec)) {
    const std::string name = e.path().filename().string();
    if (name.starts_with(shard_prefix) && name.ends_with(kShardEnd)) fs::remove_all(e.path());
  }
  fs::remove_all(sibling(dir, kMergeSuffix));
  fs::remove_all(sibling(dir, kCompactTmpSuffix));
  fs::remove_all(sibling(dir, kCompactOldSuffix));  // the target exists (we hold its lock)
}

// A run of the two-rename fallback of swap_in() killed between its renames left the database in
// "<db>.compact-old" and no "<db>": put it back before the target is opened (and created).
void restore_interrupted_swap(const std::string& db_path) {
  fs::path dir = db_dir(db_path);
  fs::path old = sibling(dir, kCompactOldSuffix);
  std::error_code ec;
  if (!fs::exists(dir, ec) && !ec && fs::is_directory(old, ec)) fs::rename(old, dir);
}

// Splits files [0, n) into `parts` contiguous, non-empty ranges of about equal bytes; returns the
// parts + 1 boundaries. Requires 1 <= parts <= n.
std::vector<std::size_t> split_by_bytes(const std::vector<SourceFile>& files, unsigned parts) {
  std::uintmax_t total = 0;
  for (const auto& f : files) total += f.size;
  std::vector<std::size_t> bounds{0};
  std::uintmax_t acc = 0;
  for (std::size_t i = 0; i < files.size() && bounds.size() < parts; ++i) {
    acc += files[i].size;
    const std::size_t left = files.size() - (i + 1);     // files not yet assigned
    const std::size_t need = parts - bounds.size();      // ranges still to start after this one
    if (left == need || acc * parts >= total * bounds.size()) bounds.push_back(i + 1);
  }
  bounds.push_back(files.size());
  return bounds;
}

// Resolves user metadata that several merged databases set: the schema version (equal in all)
// and the last commit time (ISO 8601 UTC, so the greatest is the latest). File records are
// written by exactly one shard each and synonym bookkeeping by the target only.
class ShardMerger : public Xapian::Compactor {
 public:
  std::string resolve_duplicate_metadata(const std::string&, std::size_t num_tags,
                                         const std::string tags[]) override {
    return *std::max_element(tags, tags + num_tags);
  }
};

// Thread-safe front of Progress for the shard jobs (which finish files in no global order).
class SharedProgress {
 public:
  SharedProgress(bool enabled, const std::vector<SourceFile>& files)
      : files_(files.size()), progress_(enabled, files.size(), total(files)) {}
  void file_done(std::uintmax_t bytes, std::size_t items) {
    std::lock_guard lock(mu_);
    ++done_;
    bytes_ += bytes;
    items_ += items;
    progress_.update(done_, items_, bytes_, false);
  }
  void finish() { progress_.update(files_, items_, bytes_, true); }

 private:
  static std::uintmax_t total(const std::vector<SourceFile>& files) {
    std::uintmax_t n = 0;
    for (const auto& f : files) n += f.size;
    return n;
  }
  std::mutex mu_;
  std::size_t files_, done_ = 0, items_ = 0;
  std::uintmax_t bytes_ = 0;
  Progress progress_;
};

struct Shard {
  fs::path path;
  std::size_t begin = 0, end = 0;  // files [begin, end)
  IndexSummary summary;
  std::unique_ptr<Writer> writer;
  std::exception_ptr error;
};

// One job: parse, analyse and write files [begin, end) into the shard, in file order.
void build_shard(const std::vector<SourceFile>& files, const IndexOptions& options,
                 DocumentBuilder& builder, std::size_t flush_bytes, Shard& shard,
                 SharedProgress& progress, const std::atomic<bool>& stop) {
  shard.writer = std::make_unique<Writer>(shard.path.string(), Xapian::DB_CREATE_OR_OVERWRITE,
                                          flush_bytes, options, shard.summary);
  const std::map<std::string, std::string> no_hashes;  // nothing is recorded in an empty target
  for (std::size_t i = shard.begin; i < shard.end && !stop; ++i) {
    FileJob job;
    try {
      process_file(files[i], options, no_hashes, builder, job);
    } catch (const std::exception& e) {
      job.status = FileJob::Status::Rejected;
      job.docs.clear();
      job.diagnostics.push_back(error_diag(files[i].label, e.what()));
    }
    for (auto& d : job.diagnostics) shard.summary.diagnostics.push_back(std::move(d));
    if (job.status == FileJob::Status::Indexed) {
      shard.writer->write_file(files[i], job);
      ++shard.summary.files_indexed;
    } else {
      ++shard.summary.files_rejected;  // nothing is unchanged in an empty target
    }
    progress.file_done(files[i].size, job.docs.size());
  }
}

// An id in several shards stays only in the first of them, as the single writer, reading the
// files in order, would have kept the first file's item and refused the later ones.
void yield_items_taken_by_earlier_shards(std::vector<Shard>& shards) {
  std::map<std::string, std::string> earlier;  // id -> label of the file holding it
  for (auto& s : shards) {
    std::map<std::string, std::string> mine = s.writer->holders();
    for (const auto& [id, file] : mine)
      if (auto e = earlier.find(id); e != earlier.end()) s.writer->yield_item(id, e->second);
    earlier.merge(mine);
  }
}

void add_shard_summary(IndexSummary& into, IndexSummary& shard) {
  into.files_indexed += shard.files_indexed;
  into.files_rejected += shard.files_rejected;
  into.items_added += shard.items_added;
  into.items_replaced += shard.items_replaced;
  into.items_deleted += shard.items_deleted;
  into.items_conflicting += shard.items_conflicting;
  for (auto& d : shard.diagnostics) into.diagnostics.push_back(std::move(d));
}

// Builds one shard per builder and merges them with the target into place. `writer` is the open
// target (holding its lock), empty, with its schema version and synonyms committed.
void write_in_shards(const std::vector<SourceFile>& files, const IndexOptions& options,
                     std::vector<std::unique_ptr<DocumentBuilder>>& builders, Writer& writer,
                     IndexSummary& summary) {
  const unsigned jobs = static_cast<unsigned>(builders.size());
  const fs::path dir = db_dir(options.db_path);
  const std::vector<std::size_t> bounds = split_by_bytes(files, jobs);
  std::vector<Shard> shards(jobs);
  for (unsigned s = 0; s < jobs; ++s) {
    shards[s].path = shard_path(dir, s);
    shards[s].begin = bounds[s];
    shards[s].end = bounds[s + 1];
  }
  // Every shard buffers its own batch: the same total memory as one writer with flush_bytes.
  const std::size_t flush_bytes = options.flush_bytes / jobs;
  SharedProgress progress(options.progress, files);
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  for (unsigned s = 0; s < jobs; ++s)
    threads.emplace_back([&, s] {
      try {
        build_shard(files, options, *builders[s], flush_bytes, shards[s], progress, stop);
        shards[s].writer->commit();
      } catch (...) {
        shards[s].error = std::current_exception();
        stop = true;
      }
    });
  for (auto& t : threads) t.join();
  try {
    for (auto& s : shards)
      if (s.error) std::rethrow_exception(s.error);
    yield_items_taken_by_earlier_shards(shards);
    for (auto& s : shards) {
      s.writer->commit();
      s.writer->db().close();
      add_shard_summary(summary, s.summary);
    }
    const fs::path merged = sibling(dir, kMergeSuffix);
    {
      Xapian::Database all(dir.string());
      for (auto& s : shards) all.add_database(Xapian::Database(s.path.string()));
      ShardMerger merger;
      all.compact(merged.string(), 0, 0, merger);  // docids renumbered: shard after shard
    }
    // Removed while we hold the target's lock (after the exchange another writer may open it).
    std::vector<fs::path> shard_dirs;
    for (auto& s : shards) shard_dirs.push_back(s.path);
    shards.clear();
    for (const auto& p : shard_dirs) fs::remove_all(p);
    swap_in(dir, merged);
    writer.db().close();
  } catch (...) {
    shards.clear();  // close the shards before removing them
    remove_stale_temporaries(options.db_path);
    throw;
  }
  progress.finish();
}

IndexSummary run(const std::vector<std::string>& paths, const IndexOptions& options) {
  auto start = Clock::now();
  IndexSummary summary;
  restore_interrupted_swap(options.db_path);
  Writer writer(options.db_path, Xapian::DB_CREATE_OR_OPEN, options.flush_bytes, options, summary);
  remove_stale_temporaries(options.db_path);  // we hold the lock: no other run owns them

  bool all_paths_read = true;
  std::vector<SourceFile> files = collect(paths, summary, all_paths_read);
  // --prune deletes what it does not find: not after a path went missing or came up empty (an
  // unmounted share would empty the index).
  IndexOptions run_options = options;
  if (options.prune && !all_paths_read) {
    run_options.prune = false;
    summary.diagnostics.push_back({Diagnostic::Severity::Error, options.db_path, 0,
                                   "--prune not done: a path, a linked folder or a linked file could "
                                   "not be read or holds no minutes files, so nothing is deleted"});
  }
  unsigned jobs = options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  jobs = std::clamp<unsigned>(jobs, 1, std::max<std::size_t>(1, files.size()));

  // One Analyzer per thread; constructing them here makes a missing dictionary fail the run early.
  std::vector<std::unique_ptr<stemmers::Analyzer>> analyzers;
  std::vector<std::unique_ptr<DocumentBuilder>> builders;
  for (unsigned i = 0; i < jobs; ++i) {
    analyzers.push_back(std::make_unique<stemmers::Analyzer>());
    builders.push_back(std::make_unique<DocumentBuilder>(*analyzers.back()));
  }
  writer.write_synonyms(*analyzers.front());

  const fs::path dir = db_dir(options.db_path);
  const bool swappable = can_swap(dir);
  const bool sharded = options.shards && jobs > 1 && writer.empty() && swappable;
  if (sharded) {
    writer.commit();  // schema version and synonyms: from here the target is a valid empty database
    write_in_shards(files, options, builders, writer, summary);
    summary.shards = jobs;
  } else {
    write_in_order(files, run_options, builders, writer, summary);
    // A merged database is compact already (compact wrote it).
    if (options.compact) {
      if (swappable)
        compact_database(dir);  // under the lock: the writer is still open, all committed
      else
        summary.diagnostics.push_back(
            {Diagnostic::Severity::Warning, dir.string(), 0,
             "not compacted: the database cannot be replaced by a compacted copy (it is a mount "
             "point or a stub file, or its parent folder is not writable)"});
    }
    writer.db().close();
  }
  summary.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return summary;
}

}  // namespace

IndexSummary index_paths(const std::vector<std::string>& paths, const IndexOptions& options) {
  try {
    return run(paths, options);
  } catch (const Xapian::Error& e) {
    throw std::runtime_error(options.db_path + ": " + e.get_description());
  }
}

}  // namespace referat::indexer
