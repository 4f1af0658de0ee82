// The parsed form of one minutes file: a Meeting with its agenda Items.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace referat::indexer {

/// A KLE-based journal number, e.g. "27.00.00-A00-6-25".
struct JournalNumber {
  std::string full;    ///< "27.00.00-A00-6-25" exactly as written
  std::string kle;     ///< KLE subject number "27.00.00" (hovedgruppe.gruppe.emne)
  std::string facet;   ///< handlingsfacet "A00" (capital letter, may be Æ/Ø/Å, + two digits)
  int serial = 0;      ///< running serial number (6)
  int year = 0;        ///< two-digit year the case was opened (25)
};

/// One section of an item under its canonical name.
struct Section {
  std::string name;     ///< canonical: resume, effekt, indstilling, beslutning, sagsfremstilling,
                        ///< økonomi, bilag, baggrund, initiativretsforslag,
                        ///< forvaltningens_belysning, body (text before any heading)
  std::string heading;  ///< the heading as written ("Sagsresumé", "INDSTILLING:"), empty for body
  std::string text;     ///< paragraphs re-joined from wrapped lines, separated by "\n\n"
  int first_line = 0;   ///< 1-based line of the heading (or first text line for body)
  int last_line = 0;    ///< 1-based last non-blank line
};

/// One statement of the Beslutning section.
struct DecisionStatement {
  std::string committee;  ///< canonical committee name; the meeting committee when implied
  std::string outcome;    ///< godkendt, anbefalet, drøftet, orientering_givet, udsat,
                          ///< ændringsforslag_godkendt, taget_til_efterretning, forkastet,
                          ///< oversendt, or "andet" (a statement no rule recognises)
  std::string text;       ///< the statement as written (joined)
};

/// A member recorded as absent.
struct Absence {
  std::string name;       ///< "Marlene Ambo-Rasmussen"
  std::string scope;      ///< "item" (behandlingen af punktet) or "meeting" (mødet/udvalgsmødet)
  std::string committee;  ///< the committee whose statement the sentence follows
};

struct Item {
  int number = 0;
  std::string title;                       ///< joined, category prefix removed
  std::optional<char> category;            ///< 'B'..'E' (A-sag allowed), from "D-sag:"
  std::optional<JournalNumber> journal;
  std::vector<Section> sections;           ///< in document order
  std::vector<std::string> attachments;    ///< Bilag lines
  std::vector<DecisionStatement> decisions;
  std::vector<Absence> absent;
  int first_line = 0;                      ///< line of "Punkt N:"
  int last_line = 0;                       ///< last non-blank line of the item

  /// Distinct committees of `decisions`, in order of first appearance (empty committee skipped).
  std::vector<std::string> deciding_committees() const {
    std::vector<std::string> r;
    for (const auto& d : decisions) {
      if (d.committee.empty()) continue;
      bool seen = false;
      for (const auto& x : r) seen = seen || x == d.committee;
      if (!seen) r.push_back(d.committee);
    }
    return r;
  }

  /// Distinct outcomes of `decisions`, in order of first appearance.
  std::vector<std::string> outcomes() const {
    std::vector<std::string> r;
    for (const auto& d : decisions) {
      bool seen = false;
      for (const auto& x : r) seen = seen || x == d.outcome;
      if (!seen) r.push_back(d.outcome);
    }
    return r;
  }

  /// The section with this canonical name, or nullptr.
  const Section* section(const std::string& name) const {
    for (const auto& s : sections)
      if (s.name == name) return &s;
    return nullptr;
  }
};

/// A value with where it came from ("header", "agenda-approval", "decision", "item-text",
/// "sidecar", "command-line", "" when unknown).
struct Sourced {
  std::optional<std::string> value;
  std::string source;
};

struct Meeting {
  Sourced committee;          ///< canonical name, e.g. "Børn- og Ungeudvalget"
  Sourced date;               ///< "YYYY-MM-DD" or no value when the text does not support one
  std::string period;         ///< "2018-2021" (header) or derived from the date, else empty
  std::string time;           ///< "08:30" (header only)
  std::string place;          ///< Mødested (header only)
  std::string municipality;   ///< from the sidecar, else "Odense" is NOT assumed: empty
  std::string source_url;     ///< from the sidecar
  std::vector<Item> items;
};

}  // namespace referat::indexer
