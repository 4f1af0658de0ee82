// Committee canonicalisation (docs/minutes-format.md §5.3, §7.3).
#include <gtest/gtest.h>

#include "indexer/committees.h"

namespace referat::indexer {
namespace {

struct Row {
  const char* written;
  const char* canonical;  // nullptr: not a committee
};

void PrintTo(const Row& r, std::ostream* os) { *os << '"' << r.written << '"'; }

class Canonical : public ::testing::TestWithParam<Row> {};
TEST_P(Canonical, Maps) {
  auto r = canonical_committee(GetParam().written);
  if (GetParam().canonical == nullptr) {
    EXPECT_FALSE(r.has_value()) << GetParam().written << " -> " << r.value_or("");
  } else {
    EXPECT_EQ(r.value_or("<none>"), GetParam().canonical) << GetParam().written;
  }
}
INSTANTIATE_TEST_SUITE_P(
    Table, Canonical,
    ::testing::Values(Row{"Børn- og Ungeudvalget", "Børn- og Ungeudvalget"},
                      Row{"Børn- og Ungeudvalgets", "Børn- og Ungeudvalget"},               // genitive 001:6
                      Row{"Børne- og Ungeudvalget", "Børn- og Ungeudvalget"},               // 004:290
                      Row{"Børn – og Ungeudvalget", "Børn- og Ungeudvalget"},               // en dash 001:357 style
                      Row{"BUU", "Børn- og Ungeudvalget"}, Row{"buu", "Børn- og Ungeudvalget"},
                      Row{"Beskæftigelses og\nSocialudvalget", "Beskæftigelses- og Socialudvalget"},  // 004:158-159
                      Row{"Beskæftigelses– og Socialudvalget", "Beskæftigelses- og Socialudvalget"},  // 004:533 style
                      Row{"Beskæftigelses -og Socialudvalget", "Beskæftigelses- og Socialudvalget"},  // 004:653 style
                      Row{"Beskæftigelses- og\n Socialudvalget", "Beskæftigelses- og Socialudvalget"},  // split line
                      Row{"BSU", "Beskæftigelses- og Socialudvalget"},
                      Row{"ÆHU", "Ældre- og Handicapudvalget"}, Row{"æhu", "Ældre- og Handicapudvalget"},
                      Row{"BKU", "By- og Kulturudvalget"}, Row{"ØU", "Økonomiudvalget"}, Row{"ØKU", "Økonomiudvalget"},
                      Row{"Økonomiudvalgets", "Økonomiudvalget"}, Row{"Sundhedsudvalget", "Sundhedsudvalget"},
                      Row{"Klima- og Miljøudvalget", "Klima- og Miljøudvalget"},
                      Row{"Børn- og Ungeforvaltningen", nullptr},  // administration
                      Row{"Forvaltningsudvalget", nullptr},        // MED body
                      Row{"byrådet", nullptr}, Row{"Hovedudvalget", nullptr}, Row{"", nullptr}));

TEST(Committees, Slug) {
  EXPECT_EQ(committee_slug("Børn- og Ungeudvalget"), "boern-og-ungeudvalget");
  EXPECT_EQ(committee_slug("Beskæftigelses- og Socialudvalget"), "beskaeftigelses-og-socialudvalget");
  EXPECT_EQ(committee_slug("Ældre- og Handicapudvalget"), "aeldre-og-handicapudvalget");
  EXPECT_EQ(committee_slug("Økonomiudvalget"), "oekonomiudvalget");
}

TEST(Committees, Abbreviations) {
  const auto& a = committee_abbreviations();
  auto find = [&](const std::string& ab) {
    for (const auto& [k, v] : a)
      if (k == ab) return v;
    return std::string();
  };
  EXPECT_EQ(find("BUU"), "Børn- og Ungeudvalget");
  EXPECT_EQ(find("BSU"), "Beskæftigelses- og Socialudvalget");
  EXPECT_EQ(find("ÆHU"), "Ældre- og Handicapudvalget");
  EXPECT_EQ(find("BKU"), "By- og Kulturudvalget");
  EXPECT_EQ(find("ØU"), "Økonomiudvalget");
  EXPECT_EQ(find("ØKU"), "Økonomiudvalget");
}

TEST(Committees, AtStartOfStatement) {
  auto m = committee_at_start("Beskæftigelses- og Socialudvalget samt Ældre- og Handicapudvalget godkender");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->canonical, "Beskæftigelses- og Socialudvalget");
  EXPECT_EQ(m->length, std::string("Beskæftigelses- og Socialudvalget").size());
  EXPECT_FALSE(committee_at_start("Rådmand Claus Houden (V) og udvalgsmedlemmerne").has_value());
  EXPECT_TRUE(mentions_committee("Sagen behandles i både Børn- og Ungeudvalget, Beskæftigelses- og\nSocialudvalget",
                                 "Beskæftigelses- og Socialudvalget"));
}

}  // namespace
}  // namespace referat::indexer
