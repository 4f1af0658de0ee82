// JSON and CSV bodies of the HTTP API that searcher/render/ does not provide: pure functions of
// the searcher's structs. Search results themselves are rendered by searcher/render/json.h (the
// model of `referat-search --format json`); an item uses the same field names as a hit there.
// The CSV download is the server's own: spreadsheet-friendly for case workers (UTF-8 BOM, Danish
// column names, the decision text, formula-injection guard), unlike the plain CSV of referat-search.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "searcher/searcher.h"

namespace referat::searcher::http {

nlohmann::json hit_json(const Hit& hit);
nlohmann::json item_json(const ItemDetail& item);
nlohmann::json stats_json(const IndexStats& stats);

/// RFC 4180 CSV with a header row, one row per hit, UTF-8 with a BOM so that spreadsheet
/// programs show æ/ø/å correctly. Columns: rank, id, udvalg, dato, punkt, titel, kategori,
/// journalnummer, udfald, beslutning, fil, linjer. When the hits are fewer than the matches
/// (the download's cap of `max_rows`, or the time limit), a last line says so in Danish: "Kun de
/// første 10.000 af 12.345 punkter er med …".
std::string result_csv(const SearchResult& result, std::size_t max_rows);

/// The user's message for a query the searcher cannot understand: "Søgningen kan ikke forstås: "
/// + QueryError::danish (what(), the English, only when danish is empty) + " (ved »fragment«)"
/// (unless the Danish message quotes the fragment itself).
std::string query_error_message(const QueryError& error);

/// `{"error": message}` plus any extra fields.
std::string error_json(const std::string& message, const nlohmann::json& extra = nullptr);

}  // namespace referat::searcher::http
