// JSON and CSV bodies of the HTTP API: pure functions of the searcher's result structs.
//
// The JSON result model is the one of `referat-search --format json`: the field names of
// searcher.h's structs, snake_case, absent optionals as null. These functions are the server's
// own (the searcher's renderers did not exist when the server was written); keep the two in step.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "searcher/searcher.h"

namespace referat::searcher::http {

nlohmann::json hit_json(const Hit& hit);
nlohmann::json result_json(const SearchResult& result);
nlohmann::json item_json(const ItemDetail& item);
nlohmann::json stats_json(const IndexStats& stats);

/// RFC 4180 CSV with a header row, one row per hit, UTF-8 with a BOM so that spreadsheet
/// programs show æ/ø/å correctly. Columns: rank, id, udvalg, dato, punkt, titel, kategori,
/// journalnummer, udfald, beslutning, fil, linjer.
std::string result_csv(const SearchResult& result);

/// `{"error": message}` plus any extra fields.
std::string error_json(const std::string& message, const nlohmann::json& extra = nullptr);

}  // namespace referat::searcher::http
