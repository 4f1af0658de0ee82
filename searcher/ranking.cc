// Score explanations. Each matching term is re-weighted alone against the same document with the
// same BM25 parameters and collection statistics, so the per-term figures are the ones the
// matcher summed (BM25 is a sum over terms; OP_SCALE_WEIGHT multiplies a term's part).
#include "searcher/ranking.h"

#include <algorithm>
#include <cstdio>

#include "searcher/query_builder.h"

namespace referat::searcher::ranking {

std::string explain(const Xapian::Database& db, Xapian::docid did,
                    const std::vector<std::string>& matching_terms,
                    const std::map<std::string, TermRole>& roles, double score) {
  struct Line {
    double contribution;
    std::string text;
  };
  std::vector<Line> lines;
  double sum = 0;
  Xapian::Enquire enquire(db);
  enquire.set_weighting_scheme(bm25());
  // Restrict each re-weighting to the one document through its unique id term Q<id>.
  std::string id_term;
  {
    Xapian::Document doc = db.get_document(did);
    auto t = doc.termlist_begin();
    t.skip_to("Q");
    if (t != doc.termlist_end() && (*t).rfind("Q", 0) == 0) id_term = *t;
  }
  if (id_term.empty()) return "";
  for (const auto& term : matching_terms) {
    auto it = roles.find(term);
    double scale = it != roles.end() ? it->second.scale : 1.0;
    std::string kind = it != roles.end() ? it->second.kind : "term";  // wildcard expansion, like-terms
    if (kind == "filter") continue;
    enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query(term), Xapian::Query(id_term)));
    Xapian::MSet m = enquire.get_mset(0, 1);
    if (m.empty()) continue;
    double w = m.begin().get_weight() * scale;
    sum += w;
    Xapian::termcount wdf = 0;
    auto pl = db.postlist_begin(term);
    pl.skip_to(did);
    if (pl != db.postlist_end(term) && *pl == did) wdf = pl.get_wdf();
    char buf[256];
    std::snprintf(buf, sizeof buf, "  %8.4f  %-8s %s (wdf %u, in %u items, x%.2f)", w, kind.c_str(),
                  term.c_str(), static_cast<unsigned>(wdf), static_cast<unsigned>(db.get_termfreq(term)),
                  scale);
    lines.push_back({w, buf});
  }
  std::sort(lines.begin(), lines.end(), [](const Line& a, const Line& b) { return a.contribution > b.contribution; });
  char head[128];
  std::snprintf(head, sizeof head, "%.4f = BM25 sum over matching terms:\n", score);
  std::string out = head;
  for (const auto& l : lines) out += l.text + "\n";
  char tail[128];
  std::snprintf(tail, sizeof tail, "  %8.4f  phrase/proximity boost (remainder)", score - sum);
  out += tail;
  return out;
}

}  // namespace referat::searcher::ranking
