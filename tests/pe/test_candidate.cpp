// Operator candidates: the one parser and printer, their round trip and their refusals.
#include <catch2/catch.hpp>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "pe/candidate.hpp"

using namespace enos::pe;

namespace {

const OpKind kKinds[] = {OpKind::Int, OpKind::Bin, OpKind::Mf, OpKind::Shift};

// The validity rule restated independently of weight_bits_range(), from the brief.
bool expected_valid(OpKind kind, int w, int a) {
  const bool act_ok = a >= 1 && a <= 16;
  switch (kind) {
    case OpKind::Int: return act_ok && w >= 2 && w <= 16;
    case OpKind::Bin: return act_ok && w == 1;
    case OpKind::Mf: return act_ok && w >= 2 && w <= 16;
    case OpKind::Shift: return act_ok && w >= 2 && w <= 8;
  }
  return false;
}

std::string parse_error(const std::string& text) {
  try {
    parse_candidate(text);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "<accepted>";
}

}  // namespace

TEST_CASE("the standard candidates are the six of the design brief", "[pe][candidate]") {
  std::vector<std::string> spelled;
  for (const Candidate& c : standard_candidates()) spelled.push_back(to_string(c));
  CHECK(spelled == std::vector<std::string>{"int:w8a8", "int:w4a4", "int:w2a2", "bin:w1a8",
                                            "mf:w8a8", "shift:w4a8"});
  for (const std::string& s : spelled) CHECK(to_string(parse_candidate(s)) == s);
}

TEST_CASE("every valid candidate round-trips through print and parse", "[pe][candidate]") {
  int valid = 0;
  for (OpKind kind : kKinds) {
    for (int w = 0; w <= 20; ++w) {
      for (int a = 0; a <= 20; ++a) {
        const Candidate c{kind, w, a};
        const std::string text = to_string(c);
        INFO(text);
        REQUIRE(c.check().empty() == expected_valid(kind, w, a));
        if (expected_valid(kind, w, a)) {
          ++valid;
          CHECK(parse_candidate(text) == c);
          CHECK(to_string(parse_candidate(text)) == text);
        } else {
          CHECK_THROWS_AS(parse_candidate(text), std::invalid_argument);
        }
      }
    }
  }
  // (15 int + 1 bin + 15 mf + 7 shift weight widths) x 16 activation widths.
  CHECK(valid == (15 + 1 + 15 + 7) * 16);
}

TEST_CASE("malformed candidates are rejected with a reason", "[pe][candidate]") {
  // Each string with a fragment its message must contain.
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "empty operator candidate"},
      {"int", "missing ':'"},
      {"w8a8", "missing ':'"},
      {":w8a8", "missing operator kind"},
      {"int:", "expected 'w'"},
      {"int:8a8", "expected 'w'"},
      {"int:W8A8", "expected 'w'"},
      {"int:a8w8", "expected 'w'"},
      {"int:wa8", "missing weight bit count"},
      {"int:w8", "expected 'a'"},
      {"int:w8a", "missing activation bit count"},
      {"int:w8a8x", "unexpected trailing text 'x'"},
      {"int:w8a8:", "unexpected trailing text ':'"},
      {"int::w8a8", "expected 'w'"},
      {"int: w8a8", "whitespace"},
      {" int:w8a8", "whitespace"},
      {"int:w8a8 ", "whitespace"},
      {"\tint:w8a8", "whitespace"},
      {"int:w8\na8", "whitespace"},
      {"INT:w8a8", "unknown operator kind 'INT'"},
      {"float:w8a8", "unknown operator kind 'float'"},
      {"int:w08a8", "leading zero"},
      {"int:w8a00", "leading zero"},
      {"int:w+8a8", "missing weight bit count"},
      {"int:w-8a8", "missing weight bit count"},
      {"int:w99999a8", "out of range"},
      {"int:w1a8", "int weights take 2..16 bits, got 1"},
      {"int:w17a8", "int weights take 2..16 bits, got 17"},
      {"bin:w2a8", "bin weights take exactly 1 bit, got 2"},
      {"mf:w1a8", "mf weights take 2..16 bits, got 1"},
      {"shift:w9a8", "shift weights take 2..8 bits, got 9"},
      {"shift:w1a8", "shift weights take 2..8 bits, got 1"},
      {"int:w8a0", "activations take 1..16 bits, got 0"},
      {"int:w8a17", "activations take 1..16 bits, got 17"},
  };
  for (const auto& [text, fragment] : cases) {
    INFO("input: '" << text << "'");
    CHECK_THAT(parse_error(text), Catch::Contains(fragment));
  }
}

TEST_CASE("the unknown-kind message is the reason only", "[pe][candidate]") {
  CHECK(parse_error("foo:w8a8") == "unknown operator kind 'foo' (expected int, bin, mf or shift)");
}

TEST_CASE("operator kinds parse and print by name", "[pe][candidate]") {
  for (OpKind kind : kKinds) CHECK(parse_op_kind(to_string(kind)) == kind);
  CHECK_THROWS_WITH(parse_op_kind("Int"), Catch::Contains("unknown operator kind 'Int'"));
  CHECK_THROWS_AS(parse_op_kind(""), std::invalid_argument);
}

TEST_CASE("candidates order by kind, then weight bits, then activation bits", "[pe][candidate]") {
  std::vector<Candidate> cs = standard_candidates();
  std::sort(cs.begin(), cs.end());
  std::vector<std::string> sorted;
  for (const Candidate& c : cs) sorted.push_back(to_string(c));
  CHECK(sorted == std::vector<std::string>{"int:w2a2", "int:w4a4", "int:w8a8", "bin:w1a8",
                                           "mf:w8a8", "shift:w4a8"});
  const Candidate a = parse_candidate("int:w4a8"), b = parse_candidate("int:w4a4");
  CHECK(b < a);
  CHECK_FALSE(a < b);
  CHECK_FALSE(a < a);  // irreflexive: equal candidates are not less
  CHECK(parse_candidate("int:w16a16") < parse_candidate("bin:w1a1"));
}
