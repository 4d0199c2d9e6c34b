// `enos search` end to end on a tiny run: synthetic Fashion-MNIST files, a LUT over the
// model's own workload, one epoch; the export loads in the replay; bad inputs exit 2.
#include <algorithm>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "replay/export.hpp"
#include "pe/candidate.hpp"
#include "tests/tools/run_command.hpp"
#include "tests/models/models_test_util.hpp"

namespace mt = enos::models::test;
namespace et = enos::test;
using Catch::Contains;

namespace enos::search {
namespace {

// A LUT of shufflenetv2_x0.5 on 28×28×1 from `enos characterize` (four candidates, its own
// cache folder); `skip_layer` is then removed from it to make a LUT that lacks a layer.
void characterize(const mt::ScratchDir& dir) {
  const et::CommandResult r = et::run_enos("characterize --model shufflenetv2_x0.5 --input 28x28x1 --candidates "
                                           "int:w8a8,int:w4a4,int:w2a2,bin:w1a8 --jobs 2 --cache " +
                                           dir.file("cache") + " --out " + dir.file("lut.json"));
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
}

void write_partial_lut(const mt::ScratchDir& dir, const std::string& skip_layer) {
  std::ifstream in(dir.file("lut.json"));
  nlohmann::json lut = nlohmann::json::parse(in);
  auto& layers = lut.at("layers");
  for (auto it = layers.begin(); it != layers.end(); ++it)
    if (it->at("name") == skip_layer) {
      layers.erase(it);
      break;
    }
  std::ofstream(dir.file("partial.json")) << lut.dump(1);
}

struct Fixture {
  mt::ScratchDir dir;
  Fixture() {
    models::write_idx_pair(dir.file("train-images-idx3-ubyte.gz"), dir.file("train-labels-idx1-ubyte.gz"),
                           mt::synthetic_images(48, 1, 28, 28, 10, 3), true);
    models::write_idx_pair(dir.file("t10k-images-idx3-ubyte.gz"), dir.file("t10k-labels-idx1-ubyte.gz"),
                           mt::synthetic_images(16, 1, 28, 28, 10, 4), true);
    characterize(dir);
  }
  std::string search(const std::string& extra, const std::string& out) const {
    return "search --lut " + dir.file("lut.json") + " --model shufflenetv2_x0.5 --dataset fashion-mnist:" + dir.path() +
           " --epochs 1 --finetune-epochs 1 --batch 16 --threads 1 --out " + dir.file(out) + " " + extra;
  }
};

std::string slurp(const std::string& file) {
  std::ifstream in(file);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST_CASE("enos search runs a tiny search, meets the budget, exports, and is deterministic", "[search][e2e]") {
  const Fixture f;
  const et::CommandResult r = et::run_enos(f.search("--mode stochastic --budget-frac 0.5 --seed 3", "a"));
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  REQUIRE_THAT(r.output, Contains("first/last layers pinned to int:w8a8"));
  const replay::Export e = replay::load_export(f.dir.file("a/mapping.json"));
  REQUIRE(e.mode == "stochastic");
  REQUIRE(e.budget_uj.has_value());
  REQUIRE(e.total_energy_pj <= *e.budget_uj * 1e6 + 1e-6);
  REQUIRE(e.mapped.front().candidate == pe::parse_candidate("int:w8a8"));
  REQUIRE(e.mapped.front().pinned);
  REQUIRE(e.reference.size() == 16);
  const std::string log = slurp(f.dir.file("a/log.csv"));
  REQUIRE(std::count(log.begin(), log.end(), '\n') == 2);  // header + one epoch

  const et::CommandResult again = et::run_enos(f.search("--mode stochastic --budget-frac 0.5 --seed 3", "b"));
  REQUIRE(again.exit_code == 0);
  REQUIRE(slurp(f.dir.file("b/network.json")) == slurp(f.dir.file("a/network.json")));
  REQUIRE(slurp(f.dir.file("b/weights.bin")) == slurp(f.dir.file("a/weights.bin")));
}

TEST_CASE("enos search refuses a LUT without a model layer and an unreachable budget", "[search][e2e]") {
  const Fixture f;
  write_partial_lut(f.dir, "stage2.0.branch1.0");
  et::CommandResult r = et::run_enos("search --lut " + f.dir.file("partial.json") +
                                     " --model shufflenetv2_x0.5 --dataset fashion-mnist:" + f.dir.path() +
                                     " --budget-frac 0.5 --epochs 1 --out " + f.dir.file("x"));
  INFO(r.output);
  REQUIRE(r.exit_code == 2);
  REQUIRE_THAT(r.output, Contains("partial.json") && Contains("stage2.0.branch1.0"));
  r = et::run_enos(f.search("--budget-frac 0.05", "y"));
  REQUIRE(r.exit_code == 2);
  REQUIRE_THAT(r.output, Contains("unreachable") && Contains("cheapest"));
}

}  // namespace
}  // namespace enos::search
