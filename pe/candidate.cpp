#include "pe/candidate.hpp"

#include <cctype>
#include <stdexcept>
#include <tuple>

namespace enos::pe {
namespace {

constexpr const char* kFormat = "expected <kind>:w<bits>a<bits>, e.g. int:w8a8";

// Bit counts longer than this are out of every range; checking the length first keeps the
// conversion below from overflowing on hostile input.
constexpr std::size_t kMaxDigits = 4;

[[noreturn]] void fail(const std::string& reason) { throw std::invalid_argument(reason); }

std::string quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

bool is_digit(char ch) { return std::isdigit(static_cast<unsigned char>(ch)) != 0; }

void expect_char(std::string_view text, std::size_t& pos, char want, const char* what) {
  if (pos >= text.size() || text[pos] != want) {
    fail(std::string("expected '") + want + "' before the " + what + " bit count in " +
         quoted(text) + " (" + kFormat + ")");
  }
  ++pos;
}

// Reads the decimal bit count starting at `pos`. Only the canonical spelling is accepted (no
// sign, no leading zero) so that parse_candidate(to_string(c)) is the identity and every
// candidate has exactly one spelling.
int read_bits(std::string_view text, std::size_t& pos, const char* what) {
  const std::size_t start = pos;
  while (pos < text.size() && is_digit(text[pos])) ++pos;
  const std::string_view digits = text.substr(start, pos - start);
  if (digits.empty()) {
    fail(std::string("missing ") + what + " bit count in " + quoted(text) + " (" + kFormat + ")");
  }
  if (digits.size() > 1 && digits[0] == '0') {
    fail(std::string(what) + " bit count " + quoted(digits) + " has a leading zero");
  }
  if (digits.size() > kMaxDigits) {
    fail(std::string(what) + " bit count " + quoted(digits) + " is out of range");
  }
  int value = 0;
  for (char ch : digits) value = value * 10 + (ch - '0');
  return value;
}

bool has_whitespace(std::string_view text) {
  for (char ch : text) {
    if (std::isspace(static_cast<unsigned char>(ch)) != 0) return true;
  }
  return false;
}

}  // namespace

BitRange weight_bits_range(OpKind kind) {
  switch (kind) {
    case OpKind::Int: return {2, 16};   // 1 bit would leave only the code 0
    case OpKind::Bin: return {1, 1};    // one bit: the sign
    case OpKind::Mf: return {2, 16};
    case OpKind::Shift: return {2, 8};  // one sign bit plus at least one exponent bit
  }
  throw std::logic_error("weight_bits_range: unhandled OpKind");
}

BitRange act_bits_range() { return {1, 16}; }

std::string to_string(OpKind kind) {
  switch (kind) {
    case OpKind::Int: return "int";
    case OpKind::Bin: return "bin";
    case OpKind::Mf: return "mf";
    case OpKind::Shift: return "shift";
  }
  throw std::logic_error("to_string: unhandled OpKind");
}

OpKind parse_op_kind(std::string_view text) {
  for (OpKind kind : {OpKind::Int, OpKind::Bin, OpKind::Mf, OpKind::Shift}) {
    if (text == to_string(kind)) return kind;
  }
  if (text.empty()) fail("missing operator kind (expected int, bin, mf or shift)");
  fail("unknown operator kind " + quoted(text) + " (expected int, bin, mf or shift)");
}

std::string Candidate::check() const {
  const BitRange w = weight_bits_range(kind);
  if (weight_bits < w.lo || weight_bits > w.hi) {
    const std::string allowed = w.lo == w.hi ? "exactly " + std::to_string(w.lo)
                                             : std::to_string(w.lo) + ".." + std::to_string(w.hi);
    return to_string(kind) + " weights take " + allowed + (w.hi == 1 ? " bit" : " bits") +
           ", got " + std::to_string(weight_bits);
  }
  const BitRange a = act_bits_range();
  if (act_bits < a.lo || act_bits > a.hi) {
    return "activations take " + std::to_string(a.lo) + ".." + std::to_string(a.hi) +
           " bits, got " + std::to_string(act_bits);
  }
  return {};
}

bool Candidate::operator<(const Candidate& o) const {
  return std::tie(kind, weight_bits, act_bits) < std::tie(o.kind, o.weight_bits, o.act_bits);
}

Candidate parse_candidate(std::string_view text) {
  if (text.empty()) fail(std::string("empty operator candidate (") + kFormat + ")");
  if (has_whitespace(text)) {
    fail("whitespace is not allowed in an operator candidate: " + quoted(text));
  }
  const std::size_t colon = text.find(':');
  if (colon == std::string_view::npos) {
    fail("missing ':' after the operator kind in " + quoted(text) + " (" + kFormat + ")");
  }
  Candidate c;
  c.kind = parse_op_kind(text.substr(0, colon));
  std::size_t pos = colon + 1;
  expect_char(text, pos, 'w', "weight");
  c.weight_bits = read_bits(text, pos, "weight");
  expect_char(text, pos, 'a', "activation");
  c.act_bits = read_bits(text, pos, "activation");
  if (pos != text.size()) {
    fail("unexpected trailing text " + quoted(text.substr(pos)) + " in " + quoted(text) + " (" +
         kFormat + ")");
  }
  if (std::string reason = c.check(); !reason.empty()) fail(reason);
  return c;
}

std::string to_string(const Candidate& c) {
  return to_string(c.kind) + ":w" + std::to_string(c.weight_bits) + "a" +
         std::to_string(c.act_bits);
}

std::vector<Candidate> standard_candidates() {
  return {
      {OpKind::Int, 8, 8}, {OpKind::Int, 4, 4}, {OpKind::Int, 2, 2},
      {OpKind::Bin, 1, 8}, {OpKind::Mf, 8, 8},  {OpKind::Shift, 4, 8},
  };
}

Candidate reference_candidate() { return {OpKind::Int, 8, 8}; }

}  // namespace enos::pe
