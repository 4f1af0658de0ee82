// One test per trap of docs/minutes-format.md §1-§8 that the parser handles. Line numbers in
// comments refer to corpus files ("000:306" = corpus/000_…txt line 306).
#include <gtest/gtest.h>

#include "indexer/minutes_parser.h"
#include "tests/parser/test_util.h"

namespace referat::indexer {
namespace {
using testing::corpus;
using testing::corpus_item;
using testing::item_text;

bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

std::vector<std::string> names(const Item& it) {
  std::vector<std::string> r;
  for (const auto& s : it.sections) r.push_back(s.name);
  return r;
}

// §7.1: every line of the corpus that ends in a hyphen or dash, and the join that is right.
struct JoinCase {
  const char* file;
  int item;
  const char* joined;  // must occur in the item's text
};
void PrintTo(const JoinCase& c, std::ostream* os) { *os << c.file << "#" << c.item << " \"" << c.joined << '"'; }
class HyphenJoins : public ::testing::TestWithParam<JoinCase> {};
TEST_P(HyphenJoins, NeverDeletesARealHyphen) {
  const auto& c = GetParam();
  EXPECT_TRUE(contains(item_text(corpus_item(c.file, c.item)), c.joined)) << c.file << " item " << c.item << ": '" << c.joined << "'";
}
INSTANTIATE_TEST_SUITE_P(Section7_1, HyphenJoins,
                         ::testing::Values(JoinCase{"000", 2, "fritids- og foreningslivet"},          // 000:306 suspended
                                           JoinCase{"000", 2, "1/6 2021 - 30/9 2024"},                // 000:392 range dash
                                           JoinCase{"001", 2, "”hængeud”-sted"},                      // 001:116 compound
                                           JoinCase{"001", 3, "område – udmøntning af 2. fase"},      // 001:188 title dash
                                           JoinCase{"001", 3, "strategiske HR-opgaver."},             // 001:200
                                           JoinCase{"001", 3, "– i fase 1 – er forbundet"},           // 001:266
                                           JoinCase{"001", 3, "de HR-enheder, der"},                  // 001:371
                                           JoinCase{"001", 4, "ente Ældre- og Handicapforvaltningen"},  // 001:617
                                           JoinCase{"001", 4, "i Børn- og Ungeforvaltningen."},       // 001:775
                                           JoinCase{"001", 5, "til Børn- og Ungeforvaltningen"},      // 001:936 table
                                           JoinCase{"001", 7, "SFO- og fritidstilbud af høj"},        // 001:1102
                                           JoinCase{"001", 7, "\"Stærk fritid - stærke unge\""},      // 001:1179
                                           JoinCase{"001", 7, "Januar - august 2023"},                // 001:1245
                                           JoinCase{"004", 2, "Børn- og Ungeforvaltningen"},          // 004:305
                                           JoinCase{"004", 3, "Ældre- og Handicapforvaltningen"},     // 004:441
                                           JoinCase{"004", 4, "hele ”kan-budgettet” spilles"},        // 004:539
                                           JoinCase{"004", 4, "for Beskæftigelses- og Socialforvaltningen"},  // 004:566
                                           JoinCase{"004", 6, "under 30-årige."}));                   // 004:698

TEST(Traps, MarkdownSeparatorRowDropped) {  // 003:499
  const Item& it = corpus_item("003", 6);
  EXPECT_FALSE(contains(item_text(it), "------"));
}

TEST(Traps, HyphenJoinRulesOnSyntheticText) {
  struct Row {
    const char* a;
    const char* b;
    const char* expected;
  };
  for (const Row& r : {Row{"i Børn-", "og Ungeforvaltningen.", "i Børn- og Ungeforvaltningen."},
                       Row{"de HR-", "opgaver.", "de HR-opgaver."}, Row{"Januar -", "august", "Januar - august"},
                       Row{"område –", "udmøntning", "område – udmøntning"}, Row{"SFO-", "eller fritid", "SFO- eller fritid"},
                       Row{"under 30-", "årige.", "under 30-årige."}}) {
    std::string text = std::string("Punkt 1: T\n\nResume\n") + r.a + "\n" + r.b;
    auto res = parse_minutes(text, "t.txt");
    ASSERT_FALSE(res.rejected);
    EXPECT_EQ(res.meeting.items[0].sections.at(0).text, r.expected) << r.a << " ⏎ " << r.b;
  }
}

TEST(Traps, TitleWrapsOntoFollowingLines) {  // §3.3: 000:1-2, 001:188-189, 004:836-837
  EXPECT_EQ(corpus_item("000", 1).title, "Flytning af budget til foranstaltninger på det specialiserede socialområde");
  EXPECT_EQ(corpus_item("001", 3).title,
            "Standardisering og effektivisering på det administrative område – udmøntning af 2. fase");
  EXPECT_EQ(corpus_item("004", 9).title,
            "Status for 2. og 3. kvartal 2016 i Camp 100 (Pilotprojekt med 100 aktivitetsparate borgere på kontanthjælp)");
  // second title line starting with a heading word is still title (001:967)
  EXPECT_EQ(corpus_item("001", 6).title, "Hvordan skal BUF fremadrettet arbejde med Effektiviseringsstrategien?");
}

TEST(Traps, LeadingSpaceEndsTheTitle) {  // 000:945-947 heading, 000:1158-1159 body
  EXPECT_EQ(corpus_item("000", 5).title, "Drøftelse af leverandørstrategi for det specialiserede socialområde i Odense Kommune");
  EXPECT_EQ(names(corpus_item("000", 5)).front(), "resume");
  const Item& seven = corpus_item("000", 7);
  EXPECT_EQ(seven.title, "Orientering om opgaven med Verdens bedste Robotskole");
  ASSERT_EQ(names(seven), std::vector<std::string>{"body"});
  EXPECT_TRUE(seven.sections[0].text.rfind("Denne sag er en orientering til Børn- og Ungeudvalget", 0) == 0)
      << seven.sections[0].text.substr(0, 80);
  auto r = parse_minutes("Punkt 1: Titel\n Brødtekst her og\nmere tekst.", "t.txt");
  EXPECT_EQ(r.meeting.items[0].title, "Titel");
  EXPECT_EQ(r.meeting.items[0].sections.at(0).text, "Brødtekst her og mere tekst.");
}

TEST(Traps, LastOkonomiIsTheSectionEarlierOnesAreSubheadings) {  // 000:1043 vs 000:1079
  const Item& it = corpus_item("000", 5);
  const Section* o = it.section("økonomi");
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(o->first_line, 1079);
  EXPECT_TRUE(contains(it.section("sagsfremstilling")->text, "Ambition"));
}

TEST(Traps, EffektAfterIndstillingIsASubheading) {  // 000:1007
  const Item& it = corpus_item("000", 5);
  EXPECT_EQ(it.section("effekt"), nullptr);
}

TEST(Traps, TextHeadingAfterSagsfremstillingIsEffekt) {  // 004:135
  const Item& it = corpus_item("004", 1);
  const Section* e = it.section("effekt");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->heading, "Text");
  EXPECT_EQ(e->first_line, 135);
}

TEST(Traps, OkonomiudvalgetLineIsNotAHeading) {  // 000:395, 001:272
  EXPECT_EQ(corpus_item("000", 2).section("økonomi")->first_line, 377);
  EXPECT_EQ(corpus_item("001", 3).section("økonomi")->first_line, 433);
  auto r = parse_minutes("Punkt 1: T\n\nResume\nTekst.\n\nØkonomiudvalget\n\nMere tekst.", "t.txt");
  EXPECT_EQ(names(r.meeting.items[0]), std::vector<std::string>{"resume"});
}

TEST(Traps, BaggrundIsASubheadingUnlessFirst) {  // 000:1098 section; 003:85 subheading
  EXPECT_EQ(names(corpus_item("000", 6)).front(), "baggrund");
  EXPECT_EQ(corpus_item("003", 2).section("baggrund"), nullptr);
}

TEST(Traps, HoringssvarIsASubheading) {  // 001:399, 003:691
  EXPECT_EQ(corpus_item("003", 8).section("høring"), nullptr);
  EXPECT_EQ(names(corpus_item("003", 8)).back(), "økonomi");
}

TEST(Traps, HeadingWithoutBlankLineBeforeText) {  // 001:5-6 "Resume" directly followed by text
  const Item& it = corpus_item("001", 1);
  EXPECT_EQ(it.section("resume")->text, "Godkendelse af dagsordenen til Børn- og Ungeudvalgets møde den 29. november 2022.");
}

TEST(Traps, WordNColonLinesAreNotItems) {  // §3.1 "Model 1:", "Tabel 1:", "Forhold 1:"
  auto r = parse_minutes("Punkt 1: A\n\nResume\nModel 1: Nuværende model\nTabel 1: Tal\n\nPunkt 2: B\n\nResume\nx", "t.txt");
  ASSERT_EQ(r.meeting.items.size(), 2u);
  EXPECT_EQ(corpus("000").meeting.items.size(), 10u);
}

TEST(Traps, CategoryPrefixIncludingCapitalSag) {  // 003:1226 "D-Sag:"
  const Item& it = corpus_item("003", 15);
  EXPECT_EQ(it.category, 'D');
  EXPECT_EQ(it.title, "Orientering om frigivelse af midler til forbedring af arbejdsmiljø");
  // colons inside titles are not prefixes (000:832)
  EXPECT_FALSE(corpus_item("000", 4).category.has_value());
}

TEST(Traps, JournalWithOFacetAndParts) {  // §3.4: Ø facet 000:4
  const Item& it = corpus_item("000", 1);
  ASSERT_TRUE(it.journal.has_value());
  EXPECT_EQ(it.journal->full, "00.30.00-Ø00-2-21");
  EXPECT_EQ(it.journal->kle, "00.30.00");
  EXPECT_EQ(it.journal->facet, "Ø00");
  EXPECT_EQ(it.journal->serial, 2);
  EXPECT_EQ(it.journal->year, 21);
  EXPECT_EQ(corpus_item("001", 4).journal->serial, 4733);
}

TEST(Traps, DSagOrienteringGivetGetsTheMeetingCommittee) {  // 001:1415, 003:943
  const Item& it = corpus_item("003", 10);
  ASSERT_EQ(it.decisions.size(), 1u);
  EXPECT_EQ(it.decisions[0].outcome, "orientering_givet");
  EXPECT_EQ(it.decisions[0].committee, "Beskæftigelses- og Socialudvalget");
  EXPECT_EQ(corpus_item("001", 9).decisions.at(0).committee, "Børn- og Ungeudvalget");
}

TEST(Traps, MultiCommitteeDecisionWithAttendancePerCommittee) {  // 001:495-502
  const Item& it = corpus_item("001", 4);
  ASSERT_EQ(it.decisions.size(), 3u);
  EXPECT_EQ(it.decisions[0].committee, "Børn- og Ungeudvalget");
  EXPECT_EQ(it.decisions[1].committee, "Beskæftigelses- og Socialudvalget");
  EXPECT_EQ(it.decisions[2].committee, "Ældre- og Handicapudvalget");
  for (const auto& d : it.decisions) EXPECT_EQ(d.outcome, "anbefalet");
  ASSERT_EQ(it.absent.size(), 3u);
  EXPECT_EQ(it.absent[2].name, "Marlene Ambo-Rasmussen");
  EXPECT_EQ(it.absent[2].committee, "Beskæftigelses- og Socialudvalget");  // not BUU
  EXPECT_EQ(it.absent[0].committee, "Børn- og Ungeudvalget");
  EXPECT_EQ(it.decisions[0].text, "Børn- og Ungeudvalget anbefaler indstillingen.");
}

TEST(Traps, OneSentenceNamingSeveralCommittees) {
  auto r = parse_minutes(
      "Punkt 1: T\n\nBeslutning\nBørn- og Ungeudvalget og Beskæftigelses- og Socialudvalget anbefaler indstillingen.\n\n"
      "Udvalgsmedlem Anna Berg deltog ikke i mødet.",
      "t.txt");
  const Item& it = r.meeting.items.at(0);
  ASSERT_EQ(it.decisions.size(), 2u);
  EXPECT_EQ(it.deciding_committees(),
            (std::vector<std::string>{"Børn- og Ungeudvalget", "Beskæftigelses- og Socialudvalget"}));
  EXPECT_EQ(it.decisions[0].outcome, "anbefalet");
  EXPECT_EQ(it.decisions[1].outcome, "anbefalet");
  EXPECT_EQ(it.decisions[0].text, it.decisions[1].text);
  ASSERT_EQ(it.absent.size(), 1u);
  EXPECT_EQ(it.absent[0].scope, "meeting");
}

TEST(Traps, UnnamedUdvalgetIsTheMeetingCommittee) {
  MeetingOverrides o;
  o.committee = "BKU";
  auto r = parse_minutes("Punkt 1: T\n\nBeslutning\nUdvalget godkender indstillingen.", "t.txt", o);
  ASSERT_EQ(r.meeting.items[0].decisions.size(), 1u);
  EXPECT_EQ(r.meeting.items[0].decisions[0].committee, "By- og Kulturudvalget");
  EXPECT_EQ(r.meeting.items[0].decisions[0].outcome, "godkendt");
}

// §6.3: outcome of a one-statement Beslutning (meeting committee BUU from the command line).
struct OutcomeCase {
  const char* beslutning;
  const char* committee;
  const char* outcome;
};
void PrintTo(const OutcomeCase& c, std::ostream* os) { *os << '"' << c.beslutning << '"'; }
class Outcomes : public ::testing::TestWithParam<OutcomeCase> {};
TEST_P(Outcomes, Normalised) {
  const auto& c = GetParam();
  MeetingOverrides o;
  o.committee = "BUU";
  auto r = parse_minutes(std::string("Punkt 1: T\n\nBeslutning\n") + c.beslutning, "t.txt", o);
  ASSERT_EQ(r.meeting.items.at(0).decisions.size(), 1u);
  const auto& d = r.meeting.items[0].decisions[0];
  EXPECT_EQ(d.committee, c.committee);
  EXPECT_EQ(d.outcome, c.outcome);
  EXPECT_EQ(d.text, c.beslutning);
}
INSTANTIATE_TEST_SUITE_P(
    Section6_3, Outcomes,
    ::testing::Values(
        OutcomeCase{"Børn- og Ungeudvalget anbefaler indstillingen.", "Børn- og Ungeudvalget", "anbefalet"},
        OutcomeCase{"Beskæftigelses- og Socialudvalget godkender indstillingen.", "Beskæftigelses- og Socialudvalget", "godkendt"},
        // a majority decides; a minority does not
        OutcomeCase{"Et flertal i Beskæftigelses- og Socialudvalget anbefaler indstillingen.", "Beskæftigelses- og Socialudvalget",
                    "anbefalet"},
        OutcomeCase{"Et flertal i udvalget godkender indstillingen.", "Børn- og Ungeudvalget", "godkendt"},
        OutcomeCase{"Et enigt udvalg anbefaler indstillingen.", "Børn- og Ungeudvalget", "anbefalet"},
        OutcomeCase{"Et mindretal i Børn- og Ungeudvalget anbefaler indstillingen.", "Børn- og Ungeudvalget", "andet"},
        // passive forms, with and without a subject
        OutcomeCase{"Indstillingen anbefales.", "Børn- og Ungeudvalget", "anbefalet"},
        OutcomeCase{"Børn- og Ungeudvalgets anbefaling: Indstillingen anbefales.", "Børn- og Ungeudvalget", "anbefalet"},
        OutcomeCase{"Anbefales.", "Børn- og Ungeudvalget", "anbefalet"},
        OutcomeCase{"Indstillingen godkendes.", "Børn- og Ungeudvalget", "godkendt"},
        OutcomeCase{"Dagsordenen godkendes.", "Børn- og Ungeudvalget", "godkendt"},
        OutcomeCase{"Indstillingen tiltrædes.", "Børn- og Ungeudvalget", "godkendt"},
        OutcomeCase{"Godkendt.", "Børn- og Ungeudvalget", "godkendt"},
        OutcomeCase{"Ændringsforslaget godkendes.", "Børn- og Ungeudvalget", "ændringsforslag_godkendt"},
        OutcomeCase{"Sagen tages til efterretning.", "Børn- og Ungeudvalget", "taget_til_efterretning"},
        OutcomeCase{"Orienteringen tages til efterretning.", "Børn- og Ungeudvalget", "taget_til_efterretning"},
        OutcomeCase{"Sagen blev udsat.", "Børn- og Ungeudvalget", "udsat"},
        OutcomeCase{"Sagen oversendes til Økonomiudvalget.", "Børn- og Ungeudvalget", "oversendt"},
        OutcomeCase{"Orientering givet.", "Børn- og Ungeudvalget", "orientering_givet"},
        // negated, and look-alikes
        OutcomeCase{"Indstillingen anbefales ikke.", "Børn- og Ungeudvalget", "andet"},
        OutcomeCase{"Udsatte unge skal have mere hjælp.", "Børn- og Ungeudvalget", "andet"}));

TEST(Traps, AttendanceScope) {  // §5.5
  const Item& a = corpus_item("000", 1);
  ASSERT_EQ(a.absent.size(), 1u);
  EXPECT_EQ(a.absent[0].scope, "item");
  const Item& b = corpus_item("001", 1);
  ASSERT_EQ(b.absent.size(), 2u);
  EXPECT_EQ(b.absent[0].name, "Kristian Guldfeldt");
  EXPECT_EQ(b.absent[1].name, "Anne-Mette Ebensgaard");
  EXPECT_EQ(b.absent[1].scope, "meeting");
  // proposers are not absentees (003:1344)
  EXPECT_TRUE(corpus_item("003", 18).absent.empty());
}

TEST(Traps, UnterminatedLastLineIsTheLastStatement) {  // 003:1348
  const Item& it = corpus_item("003", 18);
  ASSERT_EQ(it.decisions.size(), 1u);
  EXPECT_EQ(it.decisions[0].outcome, "ændringsforslag_godkendt");
  EXPECT_EQ(it.last_line, 1348);
  EXPECT_TRUE(contains(it.decisions[0].text, "stiller følgende ændringsforslag"));
  auto r = parse_minutes("Punkt 1: T\n\nBeslutning\nBSU godkender indstillingen.", "t.txt");
  EXPECT_EQ(r.meeting.items[0].outcomes(), std::vector<std::string>{"godkendt"});
}

TEST(Traps, QuotedDecisionParagraphsStayInOneStatement) {  // 004:564-584
  const Item& it = corpus_item("004", 4);
  ASSERT_EQ(it.decisions.size(), 1u);
  EXPECT_EQ(it.decisions[0].outcome, "drøftet");
  EXPECT_TRUE(contains(it.decisions[0].text, "forudsætter byrådets godkendelse"));
}

TEST(Traps, UdsatOnlyAsDecision) {  // 004:674 vs "udsatte unge"
  EXPECT_EQ(corpus_item("004", 5).outcomes(), std::vector<std::string>{"udsat"});
  auto r = parse_minutes("Punkt 1: T\n\nResume\nUdsatte unge får hjælp.\n\nBeslutning\nBSU drøftede sagen.", "t.txt");
  EXPECT_EQ(r.meeting.items[0].outcomes(), std::vector<std::string>{"drøftet"});
}

TEST(Traps, DecisionLikeSentencesOutsideBeslutningIgnored) {  // 004:11, 001:815
  EXPECT_EQ(corpus_item("004", 1).deciding_committees(), std::vector<std::string>{"Beskæftigelses- og Socialudvalget"});
  EXPECT_EQ(corpus_item("001", 5).deciding_committees(), std::vector<std::string>{"Børn- og Ungeudvalget"});
}

TEST(Traps, WhitespaceOnlyLinesAreBlank) {  // 004 lone-space separators
  const Item& it = corpus_item("004", 12);  // 004:892-900
  EXPECT_EQ(names(it), std::vector<std::string>{"resume"});
  EXPECT_EQ(it.last_line, 900);
}

TEST(Traps, ShortLineBeforeCapitalKeepsItsLineBreak) {  // 001:38-40 subheading, 001:1111 continues
  EXPECT_EQ(corpus_item("001", 2).section("effekt")->text.substr(0, 60),
            "En storby med blandede og velfungerende bydele\nDen lokale af");
  EXPECT_TRUE(contains(item_text(corpus_item("001", 7)), "med til at understrege"));
  EXPECT_FALSE(contains(item_text(corpus_item("001", 7)), "med til at understrege\n"));
}

TEST(Traps, PageBreakMidSentenceIsRejoined) {  // 000:45→49
  EXPECT_TRUE(contains(item_text(corpus_item("000", 1)), "overgangen ved endt grundskole"));
  EXPECT_TRUE(contains(item_text(corpus_item("002", 1)), "igangsætte alternative handlinger."));  // 002:188/190
}

TEST(Traps, HeaderWithWrappedPlace) {  // 002:3-8
  const Meeting& m = corpus("002").meeting;
  EXPECT_EQ(m.place, "Udvalgmødet starter på Rådhuset i lokale 224 og fortsætter i Udvalgsværelset på Skulkenborg");
  EXPECT_EQ(m.time, "08:30");
  EXPECT_EQ(m.period, "2018-2021");
}

TEST(Traps, MarkdownAndHtmlArtefactsStripped) {  // §2.3
  auto r = parse_minutes(
      "Punkt 1: T\n\nResume\n"
      "Socialforvaltningen og **Børn- og Ungeforvaltningen** indstiller.\n\n"
      "Se [Negativ Social Kontrol](#) her.\n\n"
      "<p>Første</p> <p>Anden</p>\n\n"
      "Citat: \"*At undersøge sagen*\".\n\n"
      "------\t------\n\n"
      "manglende behandling af advis*.",
      "t.txt");
  const std::string& t = r.meeting.items[0].sections.at(0).text;
  EXPECT_TRUE(contains(t, "og Børn- og Ungeforvaltningen indstiller")) << t;
  EXPECT_TRUE(contains(t, "Se Negativ Social Kontrol her.")) << t;
  EXPECT_TRUE(contains(t, "Første Anden")) << t;
  EXPECT_TRUE(contains(t, "\"At undersøge sagen\"")) << t;
  EXPECT_TRUE(contains(t, "advis*.")) << t;  // footnote marker kept
  EXPECT_FALSE(contains(t, "---")) << t;
}

TEST(Traps, AttachmentsOnePerLine) {  // §8
  const Item& it = corpus_item("003", 4);  // 003:365-371, out of numeric order
  ASSERT_EQ(it.attachments.size(), 4u);
  EXPECT_EQ(it.attachments.back(), "Bilag 1 Kvalitetsstandard for stofbehandling 2025-2027");
}

// §5.2: committee and date for files without header.
TEST(Metadata, AgendaApprovalGivesCommitteeAndDate) {  // 001:6
  const Meeting& m = corpus("001").meeting;
  EXPECT_EQ(m.committee.value, "Børn- og Ungeudvalget");
  EXPECT_EQ(m.committee.source, "agenda-approval");
  EXPECT_EQ(m.date.value, "2022-11-29");
  EXPECT_EQ(m.date.source, "agenda-approval");
}

TEST(Metadata, DecisionsAndTreatmentSentenceGiveCommitteeAndDate) {  // 000:153-154, 000:60
  const Meeting& m = corpus("000").meeting;
  EXPECT_EQ(m.committee.value, "Børn- og Ungeudvalget");
  EXPECT_EQ(m.committee.source, "decision");
  EXPECT_EQ(m.date.value, "2021-04-27");
  EXPECT_EQ(m.date.source, "item-text");
  EXPECT_EQ(m.period, "2018-2021");
}

TEST(Metadata, NeverGuessADate) {  // 004 states no date
  const Meeting& m = corpus("004").meeting;
  EXPECT_EQ(m.committee.value, "Beskæftigelses- og Socialudvalget");
  EXPECT_FALSE(m.date.value.has_value());
  EXPECT_EQ(m.date.source, "");
  EXPECT_EQ(m.period, "");
}

TEST(Metadata, PastTreatmentAndOtherCommitteesDatesAreNotTheMeetingDate) {
  auto r = parse_minutes(
      "Punkt 1: T\n\nResume\nSagen blev behandlet i Børn- og Ungeudvalget den 13. april 2021. "
      "By- og Kulturudvalget og byrådet vil behandle sagen den 21. maj 2025.\n\n"
      "Beslutning\nBørn- og Ungeudvalget drøftede sagen.",
      "t.txt");
  EXPECT_EQ(r.meeting.committee.value, "Børn- og Ungeudvalget");
  EXPECT_FALSE(r.meeting.date.value.has_value());
}

// §5.2 (3): the meeting date from one "behandles … den …" sentence (no header, no agenda item;
// the committee comes from the decision). nullptr: the sentence must not give a date.
struct DateSentence {
  const char* sentence;
  const char* date;
};
void PrintTo(const DateSentence& c, std::ostream* os) { *os << '"' << c.sentence << '"'; }
class DateFromSentence : public ::testing::TestWithParam<DateSentence> {};
TEST_P(DateFromSentence, OnlyThisMeetingsDate) {
  const auto& c = GetParam();
  auto r = parse_minutes(std::string(" Punkt 1: Ny plan\n\n27.00.00-A00-1-22\n\nResume\n") + c.sentence +
                             "\n\nBeslutning\nBørn- og Ungeudvalget anbefaler indstillingen.",
                         "t.txt");
  ASSERT_FALSE(r.rejected);
  ASSERT_EQ(r.meeting.committee.value, "Børn- og Ungeudvalget");
  if (c.date == nullptr) {
    EXPECT_FALSE(r.meeting.date.value.has_value()) << *r.meeting.date.value;
  } else {
    EXPECT_EQ(r.meeting.date.value.value_or("<none>"), c.date);
    EXPECT_EQ(r.meeting.date.source, "item-text");
  }
}
INSTANTIATE_TEST_SUITE_P(
    Section5_2, DateFromSentence,
    ::testing::Values(
        // the corpus evidence
        DateSentence{"Efter behandlingen i de to fagudvalg den 27. april 2021, behandles sagen i Økonomiudvalget den 12. maj "
                     "2021 og i\nbyrådet den 19. maj 2021.",
                     "2021-04-27"},  // 000:60
        DateSentence{"Sagen behandles i både Børn- og Ungeudvalget, Beskæftigelses- og\nSocialudvalget og By- og "
                     "Kulturudvalget den 27. april 2021.",
                     "2021-04-27"},  // 000:153-154
        DateSentence{"Både Børn- og Ungeudvalget og Beskæftigelses- og Socialudvalget behandler sagen den 20. maj 2025.",
                     "2025-05-20"},  // 003:238
        DateSentence{"Sagen behandles i Børn- og Ungeudvalget den 27.\napril 2021.", "2021-04-27"},  // split date
        DateSentence{"Børn- og Ungeudvalget skal behandle sagen den 27. april 2021.", "2021-04-27"},
        // a later meeting
        DateSentence{"Sagen behandles igen i Børn- og Ungeudvalget den 14. juni 2022, når høringssvarene foreligger.", nullptr},
        DateSentence{"Sagen behandles atter i Børn- og Ungeudvalget den 14. juni 2022.", nullptr},
        DateSentence{"På ny behandles sagen i Børn- og Ungeudvalget den 14. juni 2022.", nullptr},
        DateSentence{"Sagen behandles næste gang i Børn- og Ungeudvalget den 14. juni 2022.", nullptr},
        // an earlier meeting
        DateSentence{"Efter behandlingen i Børn- og Ungeudvalget den 2. marts 2021 har forvaltningen udarbejdet et nyt oplæg.",
                     nullptr},
        DateSentence{"Efter behandlingen i Børn- og Ungeudvalget den 2. marts 2021 udarbejdede forvaltningen et nyt oplæg.",
                     nullptr},
        DateSentence{"Sagen behandles i Børn- og Ungeudvalget den 2. marts 2021, hvorefter den blev sendt i høring.", nullptr},
        DateSentence{"Børn- og Ungeudvalget skulle behandle sagen den 2. marts 2021.", nullptr},
        DateSentence{"Børn- og Ungeudvalget behandlede sagen den 2. marts 2021.", nullptr},
        // other bodies, no year, no real date
        DateSentence{"Sagen behandles i byrådet den 12. maj 2021.", nullptr},
        DateSentence{"Sagen behandles i Økonomiudvalget den 8. december 2022 og herefter i Børn- og Ungeudvalget.", nullptr},
        DateSentence{"På udvalgsmødet den 27. april gennemgås sagen.", nullptr},
        DateSentence{"Sagen behandles i Børn- og Ungeudvalget den 31. april 2021.", nullptr},
        // "d." and D/M YYYY (§5.6)
        DateSentence{"Sagen behandles i Børn- og Ungeudvalget d. 11. oktober 2016.", "2016-10-11"},
        DateSentence{"Sagen behandles i Børn- og Ungeudvalget den 11/10 2016.", "2016-10-11"},
        DateSentence{"Sagen behandles i Børn- og Ungeudvalget d. 08/11 2016.", "2016-11-08"},       // 004:631 style
        DateSentence{"Sagen behandles i Børn- og Ungeudvalget d. 31/10\n2016.", "2016-10-31"},     // 004:64-65 style
        DateSentence{"Sagen behandles i Børn- og Ungeudvalget den 31/8-2021.", "2021-08-31"},       // 002:392 style
        DateSentence{"Sagen behandles i byrådet d. 12/10 2016.", nullptr},                          // 004:599-600
        DateSentence{"Sagen behandles igen i Børn- og Ungeudvalget den 8/11 2016.", nullptr},
        DateSentence{"Sagen behandles i Børn- og Ungeudvalget den 31/4 2016.", nullptr},            // no such day
        // look-alikes of §5.6
        DateSentence{"Sagen behandles i Børn- og Ungeudvalget, og den 7/12-dele af budgettet flyttes.", nullptr},
        DateSentence{"Sagen behandles i Børn- og Ungeudvalget, der holder åbent den 24/7.", nullptr},
        DateSentence{"Sagen behandles i Børn- og Ungeudvalget, der den 2/12 virkning har effekt.", nullptr},
        DateSentence{"Sagen behandles i Børn- og Ungeudvalget den 1/4 så mange gange.", nullptr},
        DateSentence{"Sagen behandles i Børn- og Ungeudvalget den 11/10 20162.", nullptr}));

TEST(Metadata, SidecarAndCommandLineOverride) {
  auto dir = testing::temp_dir("sidecar");
  auto f = dir / "m.txt";
  testing::write_file(f, testing::read_file(testing::corpus_file("004")));
  // no sidecar: inference
  auto r0 = parse_minutes_file(f, "m.txt");
  EXPECT_EQ(r0.meeting.committee.source, "decision");
  testing::write_file(dir / "m.txt.meta.json",
                      R"({"committee": "BUU", "date": "2016-10-11", "municipality": "Odense", "source_url": "https://example.org/x"})");
  auto r1 = parse_minutes_file(f, "m.txt");
  ASSERT_FALSE(r1.rejected);
  EXPECT_EQ(r1.meeting.committee.value, "Børn- og Ungeudvalget");
  EXPECT_EQ(r1.meeting.committee.source, "sidecar");
  EXPECT_EQ(r1.meeting.date.value, "2016-10-11");
  EXPECT_EQ(r1.meeting.date.source, "sidecar");
  EXPECT_EQ(r1.meeting.period, "2014-2017");
  EXPECT_EQ(r1.meeting.municipality, "Odense");
  EXPECT_EQ(r1.meeting.source_url, "https://example.org/x");
  // implied committees follow the overridden meeting committee
  MeetingOverrides o;
  o.date = "2016-10-18";
  auto r2 = parse_minutes_file(f, "m.txt", o);
  EXPECT_EQ(r2.meeting.date.value, "2016-10-18");
  EXPECT_EQ(r2.meeting.date.source, "command-line");
  EXPECT_EQ(r2.meeting.committee.source, "sidecar");
  o.committee = "Beskæftigelses og Socialudvalget";
  auto r3 = parse_minutes_file(f, "m.txt", o);
  EXPECT_EQ(r3.meeting.committee.value, "Beskæftigelses- og Socialudvalget");
  EXPECT_EQ(r3.meeting.committee.source, "command-line");
  // a broken sidecar rejects the file with a message naming the sidecar
  testing::write_file(dir / "m.txt.meta.json", R"({"date": "11/10 2016"})");
  auto r4 = parse_minutes_file(f, "m.txt");
  EXPECT_TRUE(r4.rejected);
  ASSERT_FALSE(r4.diagnostics.empty());
  EXPECT_TRUE(contains(r4.diagnostics[0].to_string(), "m.txt: error: sidecar")) << r4.diagnostics[0].to_string();
  EXPECT_TRUE(contains(r4.diagnostics[0].message, "invalid date '11/10 2016'"));
  std::filesystem::remove_all(dir);
}

TEST(Metadata, UnknownSidecarKeysAreWarnedAbout) {
  auto dir = testing::temp_dir("sidecar_keys");
  auto f = dir / "b.txt";
  testing::write_file(f, "Punkt 1: T\n\nResume\nTekst.\n\nBeslutning\nBørn- og Ungeudvalget godkender indstillingen.");
  const std::string side = (dir / "b.txt.meta.json").string();
  testing::write_file(side, R"({"comittee":"BSU","dato":"2016-10-11"})");
  auto r = parse_minutes_file(f, "b.txt");
  ASSERT_FALSE(r.rejected);
  ASSERT_EQ(r.diagnostics.size(), 2u);
  EXPECT_EQ(r.diagnostics[0].to_string(), "b.txt: warning: sidecar " + side +
                                              ": unknown key \"comittee\" ignored (accepted keys: committee, date, municipality, source_url)");
  EXPECT_EQ(r.diagnostics[1].to_string(), "b.txt: warning: sidecar " + side +
                                              ": unknown key \"dato\" ignored (accepted keys: committee, date, municipality, source_url)");
  EXPECT_EQ(r.meeting.committee.source, "decision");  // the misspelt keys set nothing
  EXPECT_FALSE(r.meeting.date.value.has_value());
  // the accepted keys give no warning
  testing::write_file(side, R"({"committee":"BSU","date":"2016-10-11","municipality":"Odense","source_url":"https://x"})");
  auto ok = parse_minutes_file(f, "b.txt");
  EXPECT_TRUE(ok.diagnostics.empty()) << ok.diagnostics.at(0).to_string();
  EXPECT_EQ(ok.meeting.committee.source, "sidecar");
  std::filesystem::remove_all(dir);
}

TEST(Metadata, ImpliedCommitteeUsesOverride) {
  MeetingOverrides o;
  o.committee = "ÆHU";
  auto r = parse_minutes("Punkt 1: T\n\nBeslutning\nOrientering givet.", "t.txt", o);
  EXPECT_EQ(r.meeting.items[0].decisions.at(0).committee, "Ældre- og Handicapudvalget");
}

}  // namespace
}  // namespace referat::indexer
