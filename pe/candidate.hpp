#pragma once
// Operator candidates `<kind>:w<bits>a<bits>`: the one parser and the one printer.
#include <string>
#include <string_view>
#include <vector>

namespace enos::pe {

enum class OpKind { Int, Bin, Mf, Shift };

struct Candidate {
  OpKind kind = OpKind::Int;
  int weight_bits = 8;  // for shift: bits of the sign+exponent code
  int act_bits = 8;     // activations are unsigned act_bits-bit integers

  bool operator==(const Candidate& o) const {
    return kind == o.kind && weight_bits == o.weight_bits && act_bits == o.act_bits;
  }
  bool operator!=(const Candidate& o) const { return !(*this == o); }
  bool operator<(const Candidate& o) const;  // by kind, then weight bits, then act bits

  // Empty when the bit widths are valid for the kind, otherwise the reason. Lets code that
  // builds a Candidate field by field (e.g. from JSON) apply the parser's rules.
  std::string check() const;
};

// Inclusive range of a bit-width field.
struct BitRange {
  int lo, hi;
};
// Valid weight bits per kind: int 2..16, bin 1..1, mf 2..16, shift 2..8.
BitRange weight_bits_range(OpKind kind);
// Valid activation bits, the same for every kind: 1..16.
BitRange act_bits_range();

// Throws std::invalid_argument whose what() is the reason only (callers add file and path).
Candidate parse_candidate(std::string_view text);
std::string to_string(const Candidate& c);
std::string to_string(OpKind kind);
// "int", "bin", "mf" or "shift"; throws std::invalid_argument (reason only) otherwise.
OpKind parse_op_kind(std::string_view text);

// The six candidates of the design brief, in a fixed order.
std::vector<Candidate> standard_candidates();

// int:w8a8, the reference every other candidate is compared with: the operator of a network's
// first and last layers by default, and of the all-reference network whose energy the reports
// show beside the searched one.
Candidate reference_candidate();

}  // namespace enos::pe
