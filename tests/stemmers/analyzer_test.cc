// Tests of the Danish analysis chain (issue 3): one row per case, compared through describe().
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <stdexcept>

#include "stemmers/analyzer.h"
#include "stemmers/folding.h"
#include "stemmers/stopwords.h"

namespace referat::stemmers {
namespace {

/// One Analyzer for the whole suite: loading hunspell-da takes a noticeable fraction of a second.
Analyzer& analyzer() {
  static Analyzer a;
  return a;
}

std::vector<Token> run(std::string_view text, Mode mode = Mode::Index) {
  std::vector<Token> out;
  analyzer().analyze(text, mode, out);
  return out;
}

std::string desc(std::string_view text, Mode mode = Mode::Index) { return describe(run(text, mode)); }

/// The texts of the tokens of one kind, space-separated, in emission order.
std::string texts(const std::vector<Token>& tokens, TokenKind kind) {
  std::string s;
  for (const Token& t : tokens)
    if (t.kind == kind) s += (s.empty() ? "" : " ") + t.text;
  return s;
}

/// The lemmas of a single word: its Lemma tokens (alternatives: "borger" → borger, borge), or
/// the word itself when it is its own only lemma.
std::set<std::string> lemmas(std::string_view word) {
  const auto tokens = run(word);
  std::set<std::string> out;
  for (const Token& t : tokens)
    if (t.kind == TokenKind::Lemma) out.insert(t.text);
  if (out.empty()) out.insert(texts(tokens, TokenKind::Word));
  return out;
}

std::string joined(const std::set<std::string>& s) {
  std::string out;
  for (const auto& x : s) out += (out.empty() ? "" : " ") + x;
  return out;
}

/// A readable gtest name for a table row: the row's text with æ/ø/å spelled out, other
/// characters dropped, and the row index appended (names must be unique identifiers).
std::string row_name(std::string_view text, std::size_t index) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      out += static_cast<char>(c);
    } else if (c == 0xC3 && i + 1 < text.size()) {
      const unsigned char d = static_cast<unsigned char>(text[i + 1]);
      if (d == 0xA6 || d == 0x86) out += "ae";
      else if (d == 0xB8 || d == 0x98) out += "oe";
      else if (d == 0xA5 || d == 0x85) out += "aa";
      ++i;
    } else if (c == ' ' || c == '-') {
      out += '_';
    }
    if (out.size() > 40) break;
  }
  return out + "_" + std::to_string(index);
}

// ---- conflated: every inflection meets its lemma ----------------------------------------------
struct LemmaRow { const char* word; const char* lemma; };
void PrintTo(const LemmaRow& r, std::ostream* os) { *os << r.word << " -> " << r.lemma; }
class Conflated : public ::testing::TestWithParam<LemmaRow> {};
TEST_P(Conflated, SameLemma) {
  const auto l = lemmas(GetParam().word);
  EXPECT_EQ(l.count(GetParam().lemma), 1u) << "lemmas: " << joined(l);
}
INSTANTIATE_TEST_SUITE_P(Issue3, Conflated, ::testing::Values(
    LemmaRow{"budget", "budget"}, LemmaRow{"budgettet", "budget"},
    LemmaRow{"budgetterne", "budget"}, LemmaRow{"budgetter", "budget"},
    LemmaRow{"krisecenter", "krisecenter"}, LemmaRow{"krisecentret", "krisecenter"},
    LemmaRow{"krisecentre", "krisecenter"},
    LemmaRow{"negativ", "negativ"}, LemmaRow{"negative", "negativ"}, LemmaRow{"negativt", "negativ"},
    LemmaRow{"kontrol", "kontrol"}, LemmaRow{"kontrollen", "kontrol"},
    LemmaRow{"kontroller", "kontrol"},
    LemmaRow{"anbringelse", "anbringelse"}, LemmaRow{"anbringelser", "anbringelse"},
    LemmaRow{"anbringelsen", "anbringelse"},
    LemmaRow{"borger", "borger"}, LemmaRow{"borgere", "borger"}, LemmaRow{"borgerne", "borger"},
    LemmaRow{"akademiker", "akademiker"}, LemmaRow{"akademikere", "akademiker"},
    LemmaRow{"ledighed", "ledighed"}, LemmaRow{"ledigheden", "ledighed"},
    // a compound's lemma keeps its modifier
    LemmaRow{"foranstaltningsbudgettet", "foranstaltningsbudget"},
    // verb forms, participles included, meet the infinitive
    LemmaRow{"orienterede", "orientere"}, LemmaRow{"orienteret", "orientere"},
    LemmaRow{"besluttet", "beslutte"}, LemmaRow{"godkendt", "godkende"},
    // present tense, past tense, participle and passive meet the infinitive also where the form
    // is a noun or an adjective of its own (both are lemmas: "anbefaler" the noun, "udsat" and
    // "udsatte" the adjective "vulnerable", "lægge" the plural of "læg")
    LemmaRow{"anbefaler", "anbefale"}, LemmaRow{"anbefalede", "anbefale"},
    LemmaRow{"anbefalet", "anbefale"}, LemmaRow{"anbefales", "anbefale"},
    LemmaRow{"udsætter", "udsætte"}, LemmaRow{"udsatte", "udsætte"},
    LemmaRow{"udsat", "udsætte"}, LemmaRow{"udsættes", "udsætte"},
    LemmaRow{"udsatte", "udsat"}, LemmaRow{"udsat", "udsat"},
    LemmaRow{"behandler", "behandle"}, LemmaRow{"bruger", "bruge"}, LemmaRow{"bruger", "bruger"},
    LemmaRow{"leder", "lede"}, LemmaRow{"ledte", "lede"},
    LemmaRow{"lægger", "lægge"}, LemmaRow{"lægge", "lægge"}, LemmaRow{"lægges", "lægge"},
    LemmaRow{"forbundet", "forbinde"}, LemmaRow{"berørt", "berøre"}, LemmaRow{"havde", "have"},
    // a word of its own that is also a listed irregular form keeps both lemmas ("gode" the
    // noun and god's plural; "lange" the verb and lang's plural); "børn" is barn's plural
    LemmaRow{"gode", "god"}, LemmaRow{"gode", "gode"}, LemmaRow{"godt", "god"},
    LemmaRow{"lange", "lang"},
    LemmaRow{"var", "være"}, LemmaRow{"børn", "barn"}, LemmaRow{"børnene", "barn"}, LemmaRow{"barnet", "barn"},
    // capitals and NFKC do not matter
    LemmaRow{"KONTROLLEN", "kontrol"}, LemmaRow{"Budgettet", "budget"}),
    [](const auto& row) { return row_name(row.param.word, row.index); });

// ---- kept apart --------------------------------------------------------------------------------
struct ApartRow { const char* a; const char* b; };
void PrintTo(const ApartRow& r, std::ostream* os) { *os << r.a << " vs " << r.b; }
class KeptApart : public ::testing::TestWithParam<ApartRow> {};
TEST_P(KeptApart, DifferentLemmas) {
  const auto a = lemmas(GetParam().a), b = lemmas(GetParam().b);
  for (const auto& l : a) EXPECT_EQ(b.count(l), 0u) << "shared lemma " << l;
}
INSTANTIATE_TEST_SUITE_P(Issue3, KeptApart, ::testing::Values(
    ApartRow{"ledighed", "led"}, ApartRow{"ledighed", "leder"}, ApartRow{"led", "leder"},
    ApartRow{"borger", "borg"}, ApartRow{"borgere", "borg"}, ApartRow{"have", "hav"},
    ApartRow{"rød", "rod"}, ApartRow{"bånd", "band"},
    // an imperative is the bare stem, mostly a noun's homograph: "hav" (have), "tal" (tale),
    // "mål" (måle); nor is a listed genitive a verb form ("indsats" effort, not the
    // genitive of "indsat"); "lægge" is wrongly listed among the forms of "kortlægge"
    ApartRow{"mål", "måle"}, ApartRow{"tal", "tale"}, ApartRow{"indsats", "indsætte"},
    ApartRow{"lægges", "kortlægge"},
    // deliberate overrides: "unge" (the young) and "ældre" (the elderly) are nouns of their own
    ApartRow{"unge", "ung"}, ApartRow{"ældre", "gammel"},
    // suppletive comparatives are words of their own: "lidt" must not find every "mindre"
    ApartRow{"mindre", "lidt"}, ApartRow{"bedre", "god"}),
    [](const auto& row) {
      return row_name(std::string(row.param.a) + " " + row.param.b, row.index);
    });

// ---- compound parts ----------------------------------------------------------------------------
struct PartsRow { const char* word; const char* parts; };
void PrintTo(const PartsRow& r, std::ostream* os) { *os << r.word << " -> [" << r.parts << "]"; }
class Parts : public ::testing::TestWithParam<PartsRow> {};
TEST_P(Parts, LemmaFormsInWordOrder) {
  EXPECT_EQ(texts(run(GetParam().word), TokenKind::Part), GetParam().parts);
}
INSTANTIATE_TEST_SUITE_P(Issue3, Parts, ::testing::Values(
    PartsRow{"foranstaltningsbudgettet", "foranstaltning budget"},
    PartsRow{"ungestrategien", "unge strategi"},
    PartsRow{"børneområdet", "barn område"}, PartsRow{"skolebørn", "skole barn"},
    PartsRow{"bandesituation", "bande situation"},
    PartsRow{"akademikerledighed", "akademiker ledighed"},
    PartsRow{"skolefravær", "skole fravær"},
    PartsRow{"kontrolindsats", "kontrol indsats"},
    PartsRow{"whistleblowerordning", "whistleblower ordning"},
    PartsRow{"økonomiopfølgning", "økonomi opfølgning"},
    PartsRow{"stofbehandling", "stof behandling"},
    // a part that is a compound is split again, and the adjacent parts that make a word are
    // parts too (after the finest split, in word order)
    PartsRow{"akademikerledighedsindsatsen",
             "akademiker ledighed indsats akademikerledighed ledighedsindsats"},
    PartsRow{"sygedagpengeområdet", "syge dagpenge område sygedagpenge dagpengeområde"},
    PartsRow{"folkeskolereformen", "folk skole reform folkeskole skolereform"},
    PartsRow{"erhvervsskolereformen", "erhverv skole reform erhvervsskole skolereform"},
    PartsRow{"døgnbehandlingstilbud", "døgn behandling tilbud døgnbehandling behandlingstilbud"},
    PartsRow{"plejehjemspladser", "pleje hjem plads plejehjem"},
    // ... by the same rules: no prefix split into words ("mellem" ↛ mel|lem), no listed word
    // that only looks like a compound ("vejledning" ↛ vej|ledning, "personale" ↛ person|ale)
    PartsRow{"mellemtrinnet", ""}, PartsRow{"uddannelsesvejledning", "uddannelse vejledning"},
    PartsRow{"personalepolitik", "personale politik"},
    // no parts: lexicalised words, and splits into short or accidental words
    PartsRow{"forældre", ""}, PartsRow{"ordning", ""}, PartsRow{"situation", ""},
    PartsRow{"kontrol", ""}, PartsRow{"søhus", ""}),
    [](const auto& row) { return row_name(row.param.word, row.index); });

TEST(Parts, ShareThePositionAndOffsetsOfTheWord) {
  const auto tokens = run("om foranstaltningsbudgettet");
  int parts = 0;
  for (const Token& t : tokens) {
    if (t.kind != TokenKind::Part) continue;
    ++parts;
    EXPECT_EQ(t.pos, 2u) << t.text;
    EXPECT_EQ(t.begin, 3u) << t.text;
    EXPECT_EQ(t.end, 27u) << t.text;
  }
  EXPECT_EQ(parts, 2);
}

// ---- compound defects found by a user test ------------------------------------------------------
// Words the dictionary lists whole with a modifier its flags give only a linking form ("dag" has
// "dags-" only), a two-letter modifier ("by", "bo"), a prefix before a prefixed word, a bogus
// listed head ("ilbud"), and words hunspell-da does not know at all ("frivilligcenter": Snowball
// made it "frivilligcent").
struct CompoundRow { const char* word; const char* lemmas; const char* parts; };
void PrintTo(const CompoundRow& r, std::ostream* os) {
  *os << r.word << " -> =" << r.lemmas << " [" << r.parts << "]";
}
class CompoundDefects : public ::testing::TestWithParam<CompoundRow> {};
TEST_P(CompoundDefects, LemmaAndParts) {
  EXPECT_EQ(joined(lemmas(GetParam().word)), GetParam().lemmas);
  EXPECT_EQ(texts(run(GetParam().word), TokenKind::Part), GetParam().parts);
}
INSTANTIATE_TEST_SUITE_P(UserTest, CompoundDefects, ::testing::Values(
    // listed whole, "dag" as is (hunspell-da: only "dags-")
    CompoundRow{"dagtilbud", "dagtilbud", "dag tilbud"},
    CompoundRow{"dagtilbuddene", "dagtilbud", "dag tilbud"},
    CompoundRow{"dagplejen", "dagpleje", "dag pleje"},
    // a prefix before a prefixed word: the head alone
    CompoundRow{"efteruddannelse", "efteruddannelse", "uddannelse"},
    CompoundRow{"genoptræningen", "genoptræning", "optræning"},
    // "by" before a four-letter head, "bo" before a five-letter one; never "bot" + "ilbud"
    CompoundRow{"byplan", "byplan", "by plan"},
    CompoundRow{"botilbud", "botilbud", "bo tilbud"},
    CompoundRow{"botilbuddet", "botilbud", "bo tilbud"},
    CompoundRow{"bostøtte", "bostøtte", "bo støtte"},
    // unknown to hunspell-da: the head's lemma after the modifier, not Snowball's stem
    CompoundRow{"frivilligcenter", "frivilligcenter", "frivillig center"},
    CompoundRow{"frivilligcentret", "frivilligcenter", "frivillig center"},
    CompoundRow{"dobbeldiagnosebehandlingstilbud", "dobbeldiagnosebehandlingstilbud",
                "diagnose behandling tilbud diagnosebehandling behandlingstilbud"},
    // unchanged
    CompoundRow{"fritidstilbud", "fritidstilbud", "fritid tilbud"},
    CompoundRow{"døgntilbuddene", "døgntilbud", "døgn tilbud"},
    CompoundRow{"kontrolgruppen", "kontrolgruppe", "kontrol gruppe"},
    CompoundRow{"foranstaltningsbudgettet", "foranstaltningsbudget", "foranstaltning budget"},
    CompoundRow{"sygedagpengeområde", "sygedagpengeområde",
                "syge dagpenge område sygedagpenge dagpengeområde"},
    CompoundRow{"folkeskolereform", "folkeskolereform", "folk skole reform folkeskole skolereform"},
    // prefixes before plain words stay whole; two prefixes that make one ("forud") too
    CompoundRow{"tilbud", "tilbud", ""}, CompoundRow{"uddannelse", "uddannelse", ""},
    CompoundRow{"forudsætning", "forudsætning", ""},
    // lexicalised: "med forbehold for" is no "behold"; wrong last-resort cuts of listed words
    CompoundRow{"forbehold", "forbehold", ""}, CompoundRow{"forbeholdet", "forbehold", ""},
    CompoundRow{"laboratorium", "laboratorium", ""}, CompoundRow{"kastration", "kastration", ""},
    CompoundRow{"dagligtøj", "dagligtøj", ""},
    // a plain modifier is no linking form of a shorter head ("barndom|sår" is barndom-s-år),
    // a guessed head is a noun ("riisingsparken": park, not the verb sparke)
    CompoundRow{"barndomsår", "barndomsår", ""},
    CompoundRow{"riisingsparken", "riisingspark", "park"}),
    [](const auto& row) { return row_name(row.param.word, row.index); });

// ---- folding -----------------------------------------------------------------------------------
struct DescRow { const char* text; Mode mode; const char* expected; };
void PrintTo(const DescRow& r, std::ostream* os) {
  *os << (r.mode == Mode::Query ? "query " : "index ") << r.text << " -> " << r.expected;
}
class Describe : public ::testing::TestWithParam<DescRow> {};
TEST_P(Describe, Tokens) { EXPECT_EQ(desc(GetParam().text, GetParam().mode), GetParam().expected); }

INSTANTIATE_TEST_SUITE_P(Folding, Describe, ::testing::Values(
    DescRow{"Økonomiopfølgning", Mode::Index,
            "økonomiopfølgning[1] +økonomi +opfølgning ~oekonomiopfoelgning ~okonomiopfolgning"},
    DescRow{"Søhus", Mode::Index, "søhus[1] ~soehus ~sohus"},
    DescRow{"Århus", Mode::Index, "århus[1] ~aarhus ~arhus"},
    DescRow{"Aarhus", Mode::Index, "aarhus[1]"},
    DescRow{"økonomien", Mode::Index,
            "økonomien[1] =økonomi ~oekonomien ~okonomien ~oekonomi ~okonomi"},
    // query side: typed æ/ø/å or a known word is taken as typed
    DescRow{"økonomi", Mode::Query, "økonomi[1]"},
    DescRow{"rod", Mode::Query, "rod[1]"},
    DescRow{"band", Mode::Query, "band[1]"},
    // query side: an unknown ASCII word, or a digraph spelling, is widened
    DescRow{"okonomi", Mode::Query, "okonomi[1] =økonomi ~okonomi"},
    DescRow{"oekonomi", Mode::Query, "oekonomi[1] =økonomi ~oekonomi"},
    DescRow{"soehus", Mode::Query, "soehus[1] =søhus ~soehus"},
    DescRow{"sohus", Mode::Query, "sohus[1] =søhus ~sohus"},
    DescRow{"Aarhus", Mode::Query, "aarhus[1] =århus ~aarhus"},
    // hunspell knows "born" only as the name "Born": typed in lower case it is "børn" too (lemma barn)
    DescRow{"born", Mode::Query, "born[1] =barn ~born"},
    DescRow{"mol", Mode::Query, "mol[1]"}),
    [](const auto& row) {
      return row_name(std::string(row.param.mode == Mode::Query ? "query " : "index ") +
                          row.param.text, row.index);
    });

// A verb form that is also a noun or an adjective: all lemmas at the word's position, the word's
// own reading first, on both sides.
INSTANTIATE_TEST_SUITE_P(VerbForms, Describe, ::testing::Values(
    DescRow{"udvalget anbefaler", Mode::Index, "udvalget[1] =udvalg anbefaler[2] =anbefaler =anbefale"},
    DescRow{"anbefaler", Mode::Query, "anbefaler[1] =anbefaler =anbefale"},
    DescRow{"udsatte drøftelsen", Mode::Index,
            "udsatte[1] =udsætte =udsat ~udsaette drøftelsen[2] =drøftelse ~droeftelsen "
            "~droftelsen ~droeftelse ~droftelse"},
    DescRow{"udsat", Mode::Query, "udsat[1] =udsat =udsætte"},
    DescRow{"borger", Mode::Index, "borger[1] =borger =borge"},
    DescRow{"hav", Mode::Index, "hav[1]"}, DescRow{"indsats", Mode::Index, "indsats[1]"}),
    [](const auto& row) {
      return row_name(std::string(row.param.mode == Mode::Query ? "query " : "index ") +
                          row.param.text, row.index);
    });

TEST(Folding, Functions) {
  EXPECT_EQ(fold_digraph("økonomiopfølgning"), "oekonomiopfoelgning");
  EXPECT_EQ(fold_plain("økonomiopfølgning"), "okonomiopfolgning");
  EXPECT_EQ(fold_digraph("blåbærgrød"), "blaabaergroed");
  EXPECT_EQ(fold_plain("blåbærgrød"), "blabargrod");
  EXPECT_FALSE(has_danish_letters("aarhus"));
  const auto c = unfold_candidates("aarhus");
  EXPECT_NE(std::find(c.begin(), c.end(), "århus"), c.end());
  EXPECT_TRUE(unfold_candidates("århus").empty());
}

// Index and query agree: a typed spelling finds the indexed word through some shared term space
// (exact, lemma, fold), and a Danish word typed as such does not reach its look-alikes.
struct AgreeRow { const char* indexed; const char* typed; bool found; };
void PrintTo(const AgreeRow& r, std::ostream* os) {
  *os << "indexed " << r.indexed << ", typed " << r.typed << (r.found ? ": found" : ": not found");
}
class IndexQueryAgree : public ::testing::TestWithParam<AgreeRow> {};
TEST_P(IndexQueryAgree, SharedTerm) {
  std::set<std::string> index_terms;
  const auto idx = run(GetParam().indexed, Mode::Index);
  const bool idx_has_lemma = std::any_of(idx.begin(), idx.end(),
                                         [](const Token& t) { return t.kind == TokenKind::Lemma; });
  for (const Token& t : idx) {
    switch (t.kind) {
      case TokenKind::Word: index_terms.insert("W" + t.text);
        if (!idx_has_lemma) index_terms.insert("L" + t.text);
        break;
      case TokenKind::Identifier: index_terms.insert("W" + t.text); break;
      case TokenKind::Lemma: index_terms.insert("L" + t.text); break;
      case TokenKind::Part: index_terms.insert("P" + t.text); break;
      case TokenKind::Folded: index_terms.insert("F" + t.text); break;
    }
  }
  // as searcher/query_builder.cc reads a typed word: a Word or Lemma token is looked up as an
  // exact word, a lemma and a compound part; a Folded token among the folds
  bool found = false;
  for (const Token& t : run(GetParam().typed, Mode::Query)) {
    switch (t.kind) {
      case TokenKind::Word:
      case TokenKind::Lemma:
        for (const char* space : {"W", "L", "P"}) found |= index_terms.count(space + t.text) > 0;
        break;
      case TokenKind::Identifier: found |= index_terms.count("W" + t.text) > 0; break;
      case TokenKind::Folded: found |= index_terms.count("F" + t.text) > 0; break;
      case TokenKind::Part: break;  // the query builder does not search a typed word's parts
    }
  }
  EXPECT_EQ(found, GetParam().found);
}
INSTANTIATE_TEST_SUITE_P(Issue3, IndexQueryAgree, ::testing::Values(
    AgreeRow{"økonomi", "okonomi", true}, AgreeRow{"økonomi", "oekonomi", true},
    AgreeRow{"økonomien", "okonomi", true}, AgreeRow{"økonomi", "okonomien", true},
    AgreeRow{"Søhus", "soehus", true},
    // hunspell accepts "sohus" only as a compound (so + hus): widened like an unknown word
    AgreeRow{"Søhus", "sohus", true},
    AgreeRow{"Århus", "Aarhus", true}, AgreeRow{"Aarhus", "Aarhus", true},
    AgreeRow{"kontrollen", "kontroller", true},
    // verb forms that are also nouns or adjectives meet the other forms of the verb
    AgreeRow{"udvalget anbefaler indstillingen", "anbefale", true},
    AgreeRow{"anbefale", "anbefaler", true}, AgreeRow{"anbefalede", "anbefaler", true},
    AgreeRow{"udsatte drøftelsen", "udsat", true}, AgreeRow{"udsat", "udsætte", true},
    AgreeRow{"udsætte", "udsat", true}, AgreeRow{"udsatte børn", "udsat", true},
    // a part in the middle of a compound, and a sub-compound, find the compound
    AgreeRow{"sygedagpengeområdet", "sygedagpenge", true},
    AgreeRow{"sygedagpengeområdet", "dagpenge", true},
    AgreeRow{"folkeskolereformen", "skolereform", true},
    AgreeRow{"erhvervsskolereformen", "skolereform", true},
    AgreeRow{"erhvervsskolereformen", "reform", true},
    AgreeRow{"rød", "rod", false}, AgreeRow{"bånd", "band", false},
    AgreeRow{"børn", "born", true}, AgreeRow{"Børnene", "born", true},
    AgreeRow{"Born", "born", true},
    AgreeRow{"rod", "rød", false}, AgreeRow{"band", "bånd", false}),
    [](const auto& row) {
      return row_name(std::string(row.param.indexed) + " " + row.param.typed, row.index);
    });

// A search for a head finds the compound; a piece of a bogus split does not
INSTANTIATE_TEST_SUITE_P(UserTest, IndexQueryAgree, ::testing::Values(
    AgreeRow{"dagtilbud", "tilbud", true}, AgreeRow{"dagtilbuddene", "tilbud", true},
    AgreeRow{"efteruddannelse", "uddannelse", true}, AgreeRow{"byplan", "plan", true},
    AgreeRow{"dobbeldiagnosebehandlingstilbud", "tilbud", true},
    AgreeRow{"botilbud", "tilbud", true}, AgreeRow{"botilbud", "bot", false},
    AgreeRow{"frivilligcenter", "center", true}, AgreeRow{"frivilligcentret", "frivilligcenter", true},
    AgreeRow{"frivilligcenter", "frivilligcent", false}),
    [](const auto& row) {
      return row_name(std::string(row.param.indexed) + " " + row.param.typed, row.index);
    });

// ---- identifiers, numbers, § signs, suspended compounds -----------------------------------------
INSTANTIATE_TEST_SUITE_P(Identifiers, Describe, ::testing::Values(
    DescRow{"27.00.00-A00-6-25", Mode::Index,
            "#27.00.00-a00-6-25[1] #27.00.00[1] #27.00[1] #27[1]"},
    DescRow{"sag 00.30.00-Ø00-2-21 godkendt", Mode::Index,
            "sag[1] #00.30.00-ø00-2-21[2] #00.30.00[2] #00.30[2] #00[2] godkendt[3] =godkende"},
    DescRow{"§ 100", Mode::Index, "#§100[1]"},
    DescRow{"§100", Mode::Index, "#§100[1]"},
    DescRow{"jf. §26a", Mode::Index, "jf[1] #§26a[2]"},
    DescRow{"§", Mode::Index, ""},
    DescRow{"89,0 mio.", Mode::Index, "#89,0[1] mio[2]"},
    DescRow{"2.500.000 kr.", Mode::Index, "#2.500.000[1] kr[2]"},
    DescRow{"COVID-19", Mode::Index, "#covid-19[1] +covid +19"},
    DescRow{"lokalplan2000", Mode::Index, "#lokalplan2000[1]"},
    DescRow{"Børn- og Ungeudvalget", Mode::Index,
            "børn[1] =barn ~boern ~born +barn +udvalg og[2]* ungeudvalget[3] =ungeudvalg +unge +udvalg"},
    DescRow{"Beskæftigelses- og Socialudvalget", Mode::Index,
            "beskæftigelses[1] =beskæftigelse ~beskaeftigelses ~beskaftigelses ~beskaeftigelse "
            "~beskaftigelse +beskæftigelse +udvalg og[2]* socialudvalget[3] =socialudvalg +social "
            "+udvalg"},
    DescRow{"Alle skal med", Mode::Index, "alle[1]* skal[2]* med[3]*"},
    // typographic apostrophes, and an acute accent typed for one, are the ASCII apostrophe
    DescRow{"KL's", Mode::Index, "kl's[1]"}, DescRow{"KL\u2019s", Mode::Index, "kl's[1]"},
    DescRow{"KL\u2019s", Mode::Query, "kl's[1]"}, DescRow{"KL\u2018s", Mode::Query, "kl's[1]"},
    DescRow{"KL\u02BCs", Mode::Index, "kl's[1]"}, DescRow{"KL\u00B4s", Mode::Query, "kl's[1]"},
    DescRow{"Kommunens\u2019 \u00B4citat\u00B4", Mode::Index,
            "kommunens[1] =kommune citat[2]"}),
    [](const auto& row) { return row_name(row.param.text, row.index); });

TEST(Offsets, MapBackToTheOriginalBytes) {
  // "Ø" is two bytes, the ligature "ﬁ" (U+FB01) three bytes and becomes "fi" after NFKC.
  const std::string text = "ØKONOMI ﬁnansiering";
  const auto tokens = run(text);
  ASSERT_GE(tokens.size(), 2u);
  EXPECT_EQ(tokens.front().text, "økonomi");
  EXPECT_EQ(tokens.front().begin, 0u);
  EXPECT_EQ(tokens.front().end, 8u);
  const Token& fin = *std::find_if(tokens.begin(), tokens.end(), [](const Token& t) {
    return t.kind == TokenKind::Word && t.pos == 2;
  });
  EXPECT_EQ(fin.text, "finansiering");
  EXPECT_EQ(fin.begin, 9u);
  EXPECT_EQ(fin.end, text.size());
  const auto b = run("Børn- og Ungeudvalget");
  EXPECT_EQ(b.front().begin, 0u);
  EXPECT_EQ(b.front().end, 5u);
  EXPECT_EQ(b.back().begin, 10u);
  EXPECT_EQ(b.back().end, 22u);
}

// Two normalisation paths: a fast one for ASCII/Latin-1 text and ICU's NFKC_Casefold with edits
// for anything else. "ß" (→ "ss") forces the ICU path; the words before it must come out the same.
TEST(Offsets, FastAndIcuNormalisationAgree) {
  const std::string latin = "ÆBLER, Øer og ÅER – «Søhus» § 12 É";
  auto fast = run(latin);
  auto icu = run(latin + " Straße");
  ASSERT_GT(icu.size(), fast.size());
  icu.resize(fast.size());
  EXPECT_EQ(describe(fast), describe(icu));
  for (std::size_t i = 0; i < fast.size(); ++i) {
    EXPECT_EQ(fast[i].begin, icu[i].begin) << i;
    EXPECT_EQ(fast[i].end, icu[i].end) << i;
  }
  EXPECT_EQ(texts(run("Straße"), TokenKind::Word), "strasse");
  // a soft hyphen (U+00AD) is a default ignorable: NFKC_Casefold removes it, offsets still span it
  const std::string shy = "kontrol\xC2\xADindsats";
  const auto t = run(shy);
  ASSERT_FALSE(t.empty());
  EXPECT_EQ(t.front().text, "kontrolindsats");
  EXPECT_EQ(t.front().end, shy.size());
}

TEST(Offsets, TypographicApostrophesKeepTheWordsBytes) {
  const std::string text = "om KL\u2019s og KL\u00B4s";
  const auto tokens = run(text);
  std::vector<const Token*> kl;
  for (const Token& t : tokens)
    if (t.kind == TokenKind::Word && t.text == "kl's") kl.push_back(&t);
  ASSERT_EQ(kl.size(), 2u) << describe(tokens);
  EXPECT_EQ(kl[0]->begin, 3u);
  EXPECT_EQ(kl[0]->end, 9u);   // K L ’(3 bytes) s
  EXPECT_EQ(kl[1]->begin, 13u);
  EXPECT_EQ(kl[1]->end, 18u);  // K L ´(2 bytes) s
  EXPECT_EQ(analyzer().normalize("KL\u2019s"), "kl's");
}

TEST(Positions, ContinueFromFirstPosAndAppend) {
  std::vector<Token> out;
  analyzer().analyze("negativ social", Mode::Index, out, 10);
  analyzer().analyze("kontrol", Mode::Index, out, out.back().pos + 1);
  EXPECT_EQ(describe(out), "negativ[10] social[11] kontrol[12]");
}

TEST(Stopwords, SnowballListIsEmbedded) {
  int n = 0;
  std::istringstream in{std::string(stopword_list_text())};
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && line[0] != '|') ++n;
  EXPECT_EQ(n, 94);
  EXPECT_TRUE(Analyzer::is_stopword("og"));
  EXPECT_TRUE(Analyzer::is_stopword("sådan"));
  EXPECT_FALSE(Analyzer::is_stopword("budget"));
}

TEST(Analyzer, MissingDictionaryIsNamed) {
  AnalyzerConfig c;
  c.dictionary_dir = "/nonexistent";
  try {
    Analyzer a(c);
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/da_DK.aff"), std::string::npos) << e.what();
  }
}

TEST(Analyzer, NormalizeAndLemma) {
  EXPECT_EQ(analyzer().normalize("BUDGET"), "budget");
  EXPECT_EQ(analyzer().normalize("Økonomi"), "økonomi");
  EXPECT_EQ(analyzer().lemma("Krisecentret"), "krisecenter");
  EXPECT_TRUE(analyzer().is_known_word("aarhus"));
  EXPECT_FALSE(analyzer().is_known_word("okonomi"));
}

// ---- random and malformed input ------------------------------------------------------------------
void check_invariants(const std::string& text, std::uint32_t first_pos) {
  for (Mode mode : {Mode::Index, Mode::Query}) {
    std::vector<Token> out;
    ASSERT_NO_THROW(analyzer().analyze(text, mode, out, first_pos));
    std::uint32_t last = first_pos;
    for (const Token& t : out) {
      ASSERT_LE(t.begin, t.end);
      ASSERT_LE(t.end, text.size());
      ASSERT_GE(t.pos, last);
      ASSERT_FALSE(t.text.empty());
      last = t.pos;
    }
  }
}

TEST(Invariants, RandomAndMalformedUtf8) {
  std::mt19937 rng(20240131);
  const std::vector<std::string> pieces = {
      "budget", "Økonomi", "§", " ", "  ", "-", "- og ", "27.00.00-A00-6-25", "2.500.000", ",",
      ".", "COVID-19", "ﬁ", "\xC3", "\xA6", "\xFF", "\xE2\x82", "\xF0\x9F\x98\x80", "\n", "Å",
      "ß", "İ", "\xC2\xA7", "kontrolindsatsen", "aa", "\x00"};
  std::uniform_int_distribution<std::size_t> pick(0, pieces.size() - 1);
  std::uniform_int_distribution<int> byte(0, 255), len(0, 40);
  for (int round = 0; round < 400; ++round) {
    std::string text;
    const int n = len(rng);
    for (int k = 0; k < n; ++k) {
      if (round % 2) text += pieces[pick(rng)];
      else text += static_cast<char>(byte(rng));
    }
    check_invariants(text, 1 + static_cast<std::uint32_t>(round));
  }
  check_invariants(std::string(5000, '\xC3'), 1);
  check_invariants("", 1);
}

// ---- compound-splitting quality ----------------------------------------------------------------
/// True when `p` is the words `atoms[i..j]` (j > i) joined as a compound: every word but the
/// last as is or in a linking form (+s, +e, +er, final e → s, final e dropped, doubled final
/// consonant + e), the last as is: "skole" + "reform", "behandling" + s + "indsats".
bool is_run(std::string_view p, const std::vector<std::string>& atoms, std::size_t k,
            bool started) {
  if (k >= atoms.size()) return false;
  const std::string& a = atoms[k];
  if (started && p == a) return true;  // the last word of a run of two or more
  std::vector<std::string> forms = {a, a + "s", a + "e", a + "er"};
  if (!a.empty() && a.back() == 'e') {
    forms.push_back(a.substr(0, a.size() - 1) + "s");
    forms.push_back(a.substr(0, a.size() - 1));
  }
  if (!a.empty()) forms.push_back(a + a.back() + "e");
  for (const std::string& f : forms)
    if (p.size() > f.size() && p.substr(0, f.size()) == f && is_run(p.substr(f.size()), atoms, k + 1, true))
      return true;
  return false;
}

TEST(CompoundQuality, PrecisionAndRecallOverHandMadeList) {
  std::ifstream in(REFERAT_SOURCE_DIR "/tests/stemmers/data/compounds_da.tsv");
  ASSERT_TRUE(in) << "missing tests/stemmers/data/compounds_da.tsv";
  std::vector<std::pair<std::string, std::vector<std::string>>> rows_in;
  std::map<std::string, std::vector<std::string>> gold_of;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    const auto tab = line.find('\t');
    ASSERT_NE(tab, std::string::npos) << line;
    std::vector<std::string> gold;
    if (line.substr(tab + 1) != "-") {
      std::istringstream g(line.substr(tab + 1));
      for (std::string p; g >> p;) gold.push_back(p);
    }
    rows_in.emplace_back(line.substr(0, tab), gold);
    gold_of[line.substr(0, tab)] = gold;
  }
  // a gold part's own parts, when it has a row: "folkeskole" → folk, skole
  std::function<void(const std::string&, std::vector<std::string>&, int)> atoms_of =
      [&](const std::string& part, std::vector<std::string>& out, int depth) {
        auto it = gold_of.find(part);
        if (depth > 4 || it == gold_of.end() || it->second.empty()) {
          out.push_back(part);
          return;
        }
        for (const auto& p : it->second) atoms_of(p, out, depth + 1);
      };
  std::size_t rows = 0, compounds = 0, tp = 0, found = 0, predicted = 0, expected = 0, subs = 0;
  std::string misses;
  for (const auto& [word, gold_parts] : rows_in) {
    const std::set<std::string> gold(gold_parts.begin(), gold_parts.end());
    std::vector<std::string> atoms;
    for (const auto& p : gold_parts) atoms_of(p, atoms, 0);
    if (!gold.empty()) ++compounds;
    std::set<std::string> got;
    for (const Token& t : run(word))
      if (t.kind == TokenKind::Part) got.insert(t.text);
    ++rows;
    std::set<std::string> wrong;
    for (const auto& p : got) {
      found += gold.count(p);
      if (gold.count(p)) {
        ++tp;
        continue;
      }
      bool ok = std::find(atoms.begin(), atoms.end(), p) != atoms.end();
      for (std::size_t k = 0; !ok && k + 1 < atoms.size(); ++k) ok = is_run(p, atoms, k, false);
      if (ok) {
        ++tp;
        ++subs;
      } else {
        wrong.insert(p);
      }
    }
    predicted += got.size();
    expected += gold.size();
    bool all_found = true;
    for (const auto& p : gold) all_found &= got.count(p) > 0;
    if (!wrong.empty() || !all_found) {
      std::string g;
      for (const auto& p : got) g += (g.empty() ? "" : " ") + p;
      misses += "  " + word + ": expected [";
      for (std::size_t k = 0; k < gold_parts.size(); ++k) misses += (k ? " " : "") + gold_parts[k];
      misses += "] got [" + g + "]\n";
    }
  }
  const double precision = predicted ? double(tp) / double(predicted) : 0.0;
  const double recall = expected ? double(found) / double(expected) : 0.0;
  std::cout << "compound splitting over " << rows << " words (" << compounds
            << " compounds): precision " << precision << " recall " << recall << " (" << tp
            << " of " << predicted << " predicted parts correct, " << subs
            << " of them parts of gold parts or runs of adjacent ones; " << found << " of "
            << expected << " expected parts found)\n"
            << "rows with a wrong or a missing part:\n" << misses;
  EXPECT_GE(compounds, 200u);
  EXPECT_GE(precision, 0.9);
  EXPECT_GE(recall, 0.9);
}

}  // namespace
}  // namespace referat::stemmers
