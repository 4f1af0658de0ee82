#include "stemmers/compound_lexicon.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <mutex>
#include <stdexcept>
#include <vector>

namespace referat::stemmers {

namespace {

std::uint16_t entry_flags(std::string_view flag_list, std::string_view morph) {
  bool has[100] = {};
  std::size_t i = 0;
  while (i < flag_list.size()) {
    int n = 0;
    bool digits = false;
    while (i < flag_list.size() && flag_list[i] >= '0' && flag_list[i] <= '9') {
      n = n * 10 + (flag_list[i] - '0');
      digits = true;
      ++i;
    }
    if (digits && n < 100) has[n] = true;
    ++i;  // the comma
  }
  // A verb entry: conjugation flags (1, 21), or an irregular verb listed with its forms (al:)
  // and no genitive flag (10) that nouns and adjectives carry.
  const bool verb = has[1] || has[21] || (morph.find("al:") != std::string_view::npos && !has[10]);
  std::uint16_t f = 0;
  if (has[39]) f |= CompoundLexicon::kEnd;
  if (has[31]) f |= verb ? CompoundLexicon::kAsIsVerb : CompoundLexicon::kAsIs;
  if (has[29]) f |= CompoundLexicon::kLinkS;
  if (has[30]) f |= CompoundLexicon::kLinkE;
  if (has[56]) f |= CompoundLexicon::kEtoS;
  if (has[55]) f |= CompoundLexicon::kDropE;
  if (has[60]) f |= CompoundLexicon::kLinkEr;
  if (has[61]) f |= CompoundLexicon::kDoubleE;
  if (verb) f |= CompoundLexicon::kVerb;
  if (has[1] || has[21]) f |= CompoundLexicon::kVerbEntry;
  if (has[24] || has[49]) f |= CompoundLexicon::kAdjective;
  if (has[10]) f |= CompoundLexicon::kNominal;
  return f;
}

}  // namespace

std::shared_ptr<const CompoundLexicon> CompoundLexicon::load(const std::string& dic_path) {
  static std::mutex mutex;
  static std::map<std::string, std::weak_ptr<const CompoundLexicon>> loaded;
  std::lock_guard<std::mutex> lock(mutex);
  if (auto existing = loaded[dic_path].lock()) return existing;

  std::ifstream in(dic_path);
  if (!in) throw std::runtime_error("cannot open hunspell dictionary file " + dic_path);
  auto lex = std::make_shared<CompoundLexicon>();
  lex->flags_.reserve(200'000);
  std::string line;
  std::getline(in, line);  // the entry count
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    // word[/flags][<whitespace>morphological fields]
    const std::size_t ws = line.find_first_of(" \t");
    const std::string_view head = std::string_view(line).substr(0, ws);
    const std::string_view morph =
        ws == std::string::npos ? std::string_view{} : std::string_view(line).substr(ws);
    const std::size_t slash = head.find('/');
    const std::string_view word = head.substr(0, slash);
    const std::string_view flag_list =
        slash == std::string_view::npos ? std::string_view{} : head.substr(slash + 1);
    if (word.empty()) continue;
    const std::uint16_t f = entry_flags(flag_list, morph);
    lex->flags_[std::string(word)] |= f;
    // An irregular verb lists its forms as al: fields, the present participle (-ende) among
    // them and the imperative last; a genitive follows the form it is made from.
    if ((f & kVerb) && (f & kNominal) == 0 && morph.find("al:") != std::string_view::npos) {
      std::vector<std::string_view> forms;
      for (std::size_t p = morph.find("al:"); p != std::string_view::npos; p = morph.find("al:", p)) {
        p += 3;
        std::string_view form = morph.substr(p);
        form = form.substr(0, form.find_first_of(" \t"));
        if (!form.empty()) forms.push_back(form);
      }
      const bool participle = std::any_of(forms.begin(), forms.end(), [](std::string_view x) {
        return x.size() > 4 && x.substr(x.size() - 3) == "nde";
      });
      if (participle) {
        lex->flags_[std::string(word)] |= kVerbEntry;
        auto add = [&](std::string_view form) {
          std::string& infs = lex->homographs_[std::string(form)];
          if (!infs.empty()) infs += '\t';
          infs += word;
        };
        add(forms.back());
        for (std::size_t k = 1; k < forms.size(); ++k)
          if (forms[k].size() == forms[k - 1].size() + 1 && forms[k].back() == 's' &&
              forms[k].substr(0, forms[k - 1].size()) == forms[k - 1])
            add(forms[k]);
      }
    }
  }
  loaded[dic_path] = lex;
  return lex;
}

std::uint16_t CompoundLexicon::flags(std::string_view word) const {
  if (auto it = flags_.find(word); it != flags_.end()) return it->second;
  return 0;
}

bool CompoundLexicon::is_irregular_homograph(std::string_view form,
                                             std::string_view infinitive) const {
  const auto it = homographs_.find(form);
  if (it == homographs_.end()) return false;
  std::string_view infs = it->second;
  while (!infs.empty()) {
    const std::size_t tab = infs.find('\t');
    if (infs.substr(0, tab) == infinitive) return true;
    if (tab == std::string_view::npos) break;
    infs.remove_prefix(tab + 1);
  }
  return false;
}

}  // namespace referat::stemmers
