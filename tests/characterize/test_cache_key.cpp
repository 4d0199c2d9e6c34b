// The LUT cache key (characterize/plan.cpp, item_key) holds everything an entry depends on,
// each written so that two different values never give one key.
#include <catch2/catch.hpp>

#include <cstdlib>

#include "characterize/plan.hpp"

using namespace enos;

TEST_CASE("the cache key holds the share of zeros exactly", "[characterize][cache]") {
  characterize::CharacterizeInputs in;
  in.arch.hash = "arch";
  in.table.hash = "table";
  spec::Layer layer;
  layer.conv.C = layer.conv.K = 8;
  const pe::Candidate c = pe::parse_candidate("int:w8a8");
  const dataflow::Residency r;
  const auto key = [&](double zeros) { return characterize::item_key(in, layer, c, r, zeros); };
  // Regression: std::to_string wrote both as 0.300000, so they shared one cache entry.
  CHECK(key(0.3) != key(0.3 + 1e-9));
  CHECK(key(0.5) == key(0.5));
  for (const double zeros : {0.0, 0.5, 1.0 / 3.0, 0.3 + 1e-9}) {
    const std::string k = key(zeros);
    const std::size_t at = k.rfind("|zeros ");
    REQUIRE(at != std::string::npos);
    CHECK(std::strtod(k.c_str() + at + 7, nullptr) == zeros);
  }
}
