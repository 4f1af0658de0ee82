// Snippets with remembered word analyses (searcher/snippets.h WordAnalyses): the same passage and
// highlights as with fresh analyses, when the words are remembered from earlier hits and when the
// memory is emptied between every word.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "searcher/snippets.h"
#include "tests/searcher/corpus_fixture.h"

namespace referat::searcher {
namespace {

bool same(const Snippet& a, const Snippet& b) {
  if (a.section != b.section || a.text != b.text || a.highlights.size() != b.highlights.size()) return false;
  for (std::size_t i = 0; i < a.highlights.size(); ++i)
    if (a.highlights[i].begin != b.highlights[i].begin || a.highlights[i].end != b.highlights[i].end) return false;
  return true;
}

TEST(Snippets, RememberedWordAnalysesGiveTheSameSnippets) {
  const std::vector<SnippetSource> item = {
      {"title", "Budget 2025: Negativ social kontrol"},
      {"resume", "Udvalget drøfter indsatsen mod negativ social kontrol og budgettet for 2025."},
      {"sagsfremstilling", "Kontrollen af budgetterne viser, at den sociale indsats (kontrol) virker. "
                           "Socialudvalget og Børne- og Ungeudvalget har budgetkontrol."},
  };
  const std::vector<std::set<std::string>> queries = {
      {"budget", "Zbudget", "XPbudget"}, {"kontrol", "Zkontrol", "XPkontrol"}, {"social", "Zsocial"}, {"xyzzy"}};
  WordAnalyses remembered(test::analyzer());  // kept across all calls
  WordAnalyses tiny(test::analyzer(), 1);      // emptied before nearly every word
  std::size_t highlighted = 0;
  for (int round = 0; round < 2; ++round) {
    for (const auto& terms : queries) {
      WordAnalyses fresh(test::analyzer());
      const Snippet expected = best_snippet(item, terms, fresh, 120);
      EXPECT_TRUE(same(best_snippet(item, terms, remembered, 120), expected)) << *terms.begin();
      EXPECT_TRUE(same(best_snippet(item, terms, tiny, 120), expected)) << *terms.begin();
      highlighted += expected.highlights.size();
    }
  }
  EXPECT_GT(highlighted, 6u);  // the snippets do mark words
}

TEST(Snippets, WordByWordMarksWhatTheWholeTextAnalysisMarks) {
  // Words are read one at a time (those holding a needle): the marks must be those of analysing
  // the text at once. The terms are what the folded query "okonomi okonomien okonomisk stotte"
  // looks up (the fold table's words and lemmas), matched in upper and lower case.
  const std::string text =
      "Økonomi: økonomien (og økonomiudvalget) drøfter kommunens økonomi/budget, jf. Økonomi- og "
      "Erhvervsudvalget.\nSærlig økonomisk støtte.";
  const std::set<std::string> terms = {"økonomi", "Zøkonomi", "økonomien", "økonomisk", "Zøkonomisk", "støtte"};
  const std::vector<ByteRange> whole = highlight_ranges(text, "resume", terms, test::analyzer());
  ASSERT_GE(whole.size(), 4u);
  WordAnalyses words(test::analyzer());
  const Snippet s = best_snippet({{"resume", text}}, terms, words, text.size() + 100);
  ASSERT_EQ(s.section, "resume");
  ASSERT_EQ(s.highlights.size(), whole.size()) << s.text;
  for (std::size_t i = 0; i < whole.size(); ++i) {
    EXPECT_EQ(s.highlights[i].begin, whole[i].begin) << i;
    EXPECT_EQ(s.highlights[i].end, whole[i].end) << i;
  }
}

}  // namespace
}  // namespace referat::searcher
