// Relevance quality as a checked-in number (STYLE practice 15): nDCG@10 and recall (with --all)
// over relevance/qrels.tsv, compared with relevance/expected_metrics.txt. A ranking change that
// moves the figures must update the expected file. A query that finds nothing is evaluated through
// its "Mente du" suggestion, as a user would follow it.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "tests/searcher/corpus_fixture.h"

namespace referat::searcher {
namespace {

std::string item_ref(const Hit& h) {
  return std::filesystem::path(h.file).filename().string().substr(0, 3) + ":" + std::to_string(h.item);
}

std::map<std::string, std::map<std::string, int>> load_qrels() {
  std::ifstream in(test::source_dir() + "/tests/searcher/relevance/qrels.tsv");
  std::map<std::string, std::map<std::string, int>> q;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream ls(line);
    std::string query, item, grade;
    std::getline(ls, query, '\t');
    std::getline(ls, item, '\t');
    std::getline(ls, grade, '\t');
    q[query][item] = std::stoi(grade);
  }
  return q;
}

std::map<std::string, double> load_expected() {
  std::ifstream in(test::source_dir() + "/tests/searcher/relevance/expected_metrics.txt");
  std::map<std::string, double> m;
  std::string key;
  double v;
  while (in >> key >> v) m[key] = v;
  return m;
}

SearchResult run(std::string query, bool all) {
  SearchRequest r;
  r.query = query;
  r.facets = false;
  r.snippet_bytes = 0;
  r.all = all;
  SearchResult res = test::searcher().search(r);
  if (res.total == 0 && res.suggestion) {
    r.query = *res.suggestion;
    res = test::searcher().search(r);
  }
  return res;
}

TEST(Relevance, NdcgAndRecallDoNotDrop) {
  auto qrels = load_qrels();
  ASSERT_GE(qrels.size(), 30u);
  double ndcg_sum = 0, recall_sum = 0;
  std::printf("%-40s %7s %7s\n", "query", "nDCG@10", "recall");
  for (const auto& [query, judged] : qrels) {
    SearchResult top = run(query, false);
    double dcg = 0;
    for (std::size_t k = 0; k < top.hits.size() && k < 10; ++k) {
      auto it = judged.find(item_ref(top.hits[k]));
      if (it != judged.end()) dcg += (std::pow(2.0, it->second) - 1) / std::log2(static_cast<double>(k) + 2);
    }
    std::vector<int> grades;
    for (const auto& [item, g] : judged) grades.push_back(g);
    std::sort(grades.rbegin(), grades.rend());
    double idcg = 0;
    for (std::size_t k = 0; k < grades.size() && k < 10; ++k)
      idcg += (std::pow(2.0, grades[k]) - 1) / std::log2(static_cast<double>(k) + 2);
    double ndcg = idcg > 0 ? dcg / idcg : 0;

    SearchResult all = run(query, true);
    std::size_t found = 0;
    for (const auto& h : all.hits) found += judged.count(item_ref(h));
    double recall = static_cast<double>(found) / static_cast<double>(judged.size());
    std::printf("%-40s %7.3f %7.3f\n", query.c_str(), ndcg, recall);
    ndcg_sum += ndcg;
    recall_sum += recall;
  }
  double n = static_cast<double>(qrels.size());
  double ndcg = ndcg_sum / n, recall = recall_sum / n;
  std::printf("mean over %zu queries: nDCG@10 %.4f, recall %.4f\n", qrels.size(), ndcg, recall);
  auto expected = load_expected();
  ASSERT_TRUE(expected.count("ndcg@10") && expected.count("recall")) << "expected_metrics.txt incomplete";
  EXPECT_GE(ndcg, expected["ndcg@10"] - 0.005) << "nDCG@10 dropped";
  EXPECT_GE(recall, expected["recall"] - 0.005) << "recall dropped";
}

}  // namespace
}  // namespace referat::searcher
