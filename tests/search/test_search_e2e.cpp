// `enos search` end to end on a tiny run: synthetic Fashion-MNIST files, a LUT over the
// model's own workload, one epoch; the export loads in the replay; bad inputs exit 2.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "energy/lut.hpp"
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
    datasets::write_idx_pair(dir.file("train-images-idx3-ubyte.gz"), dir.file("train-labels-idx1-ubyte.gz"),
                           mt::synthetic_images(48, 1, 28, 28, 10, 3), true);
    datasets::write_idx_pair(dir.file("t10k-images-idx3-ubyte.gz"), dir.file("t10k-labels-idx1-ubyte.gz"),
                           mt::synthetic_images(16, 1, 28, 28, 10, 4), true);
    characterize(dir);
  }
  std::string search(const std::string& extra, const std::string& out) const {
    return "search --lut " + dir.file("lut.json") + " --model shufflenetv2_x0.5 --dataset fashion-mnist:" + dir.path() +
           " --epochs 1 --finetune-epochs 1 --batch 16 --threads 1 --out " + dir.file(out) + " " + extra;
  }
  // A float checkpoint of the model for this data, made by `enos train` (the start of a warm search).
  std::string float_checkpoint() const {
    const et::CommandResult r = et::run_enos("train --model shufflenetv2_x0.5 --dataset fashion-mnist:" + dir.path() +
                                             " --epochs 1 --batch 16 --threads 1 --out " + dir.file("float"));
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    return dir.file("float/model.pt");
  }
};

std::string slurp(const std::string& file) {
  std::ifstream in(file);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Field `column` (by the header's name) of data row `row` (1: the first after the header).
std::string log_field(const std::string& file, int row, const std::string& column) {
  std::istringstream csv(slurp(file));
  auto split = [](const std::string& line) {
    std::vector<std::string> fields;
    std::istringstream s(line);
    for (std::string field; std::getline(s, field, ',');) fields.push_back(field);
    if (!line.empty() && line.back() == ',') fields.emplace_back();
    return fields;
  };
  std::string line;
  std::getline(csv, line);
  const std::vector<std::string> header = split(line);
  for (int i = 0; i < row; ++i) std::getline(csv, line);
  const std::vector<std::string> fields = split(line);
  const auto at = std::find(header.begin(), header.end(), column);
  REQUIRE(at != header.end());
  REQUIRE(fields.size() == header.size());
  return fields[std::size_t(at - header.begin())];
}

TEST_CASE("enos search runs a tiny search, meets the budget, exports, and is deterministic", "[search][e2e]") {
  const Fixture f;
  const et::CommandResult r = et::run_enos(f.search("--mode stochastic --budget-frac 0.5 --seed 3 --init none", "a"));
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  REQUIRE_THAT(r.output, Contains("first/last layers pinned to int:w8a8"));
  const replay::Export e = replay::load_export(f.dir.file("a/mapping.json"));
  REQUIRE(e.mode == "stochastic");
  REQUIRE(e.budget_uj.has_value());
  // The LUT's estimate may exceed the budget by what the replay finds it overestimates (its
  // entries assume the widest network's buffer plan); the replay below is what must fit.
  REQUIRE(e.total_energy_pj <= 1.1 * *e.budget_uj * 1e6);
  REQUIRE(e.mapped.front().candidate == pe::parse_candidate("int:w8a8"));
  REQUIRE(e.mapped.front().pinned);
  REQUIRE(e.reference.size() == 16);
  const std::string log = slurp(f.dir.file("a/log.csv"));
  REQUIRE(std::count(log.begin(), log.end(), '\n') == 2);  // header + one epoch
  CHECK_FALSE(log_field(f.dir.file("a/log.csv"), 1, "test_acc").empty());  // enos search shows it every epoch
  // The budget is met by replay (PE array and post-processing), not only by the LUT, and the
  // provisional exports that measured it are gone.
  REQUIRE_THAT(r.output, Contains("budget fitted by replay"));
  CHECK_FALSE(std::filesystem::exists(f.dir.file("a/replay-fit")));
  const et::CommandResult v = et::run_enos("validate --mapping " + f.dir.file("a/mapping.json") + " --images 2 --out " +
                                           f.dir.file("a-report"));
  INFO(v.output);
  CHECK(v.exit_code == 0);
  CHECK_THAT(v.output, Contains("verdict: within_budget"));

  const et::CommandResult again = et::run_enos(f.search("--mode stochastic --budget-frac 0.5 --seed 3 --init none", "b"));
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
  r = et::run_enos(f.search("--budget-frac 0.05 --init none", "y"));
  REQUIRE(r.exit_code == 2);
  REQUIRE_THAT(r.output, Contains("unreachable") && Contains("cheapest"));
}

TEST_CASE("enos search starts from a checkpoint, calibrates, and refuses one of another network", "[search][e2e][warm]") {
  const Fixture f;
  const std::string checkpoint = f.float_checkpoint();
  et::CommandResult r = et::run_enos(f.search("--mode single --budget-frac 0.5 --init " + checkpoint, "warm"));
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  REQUIRE_THAT(r.output, Contains("start: " + checkpoint) && Contains("clips calibrated, mse"));
  const replay::Export e = replay::load_export(f.dir.file("warm/mapping.json"));
  REQUIRE(e.total_energy_pj <= 1.1 * *e.budget_uj * 1e6);  // the LUT's estimate; the replay fit the budget
  // --budget-fit reserve: the LUT alone, within the PE array's share.
  r = et::run_enos(f.search("--mode single --budget-frac 0.5 --budget-fit reserve --init " + checkpoint, "reserve"));
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.output, !Contains("budget fitted by replay"));
  const replay::Export by_lut = replay::load_export(f.dir.file("reserve/mapping.json"));
  CHECK(by_lut.total_energy_pj <= 0.9 * *by_lut.budget_uj * 1e6 + 1e-6);
  CHECK(et::run_enos(f.search("--budget-frac 0.5 --budget-fit banana", "banana")).exit_code == 2);
  // squeezenet1_1's checkpoint cannot start a shufflenetv2_x0.5 search.
  r = et::run_enos("train --model squeezenet1_1 --dataset fashion-mnist:" + f.dir.path() +
                   " --epochs 1 --batch 16 --threads 1 --train-limit 16 --out " + f.dir.file("squeeze"));
  REQUIRE(r.exit_code == 0);
  r = et::run_enos(f.search("--budget-frac 0.5 --init " + f.dir.file("squeeze/model.pt"), "bad"));
  REQUIRE(r.exit_code == 2);
  REQUIRE_THAT(r.output, Contains("holds squeezenet1_1") && Contains("needs shufflenetv2_x0.5"));
  r = et::run_enos(f.search("--budget-frac 0.5 --init " + f.dir.file("nothing.pt"), "bad2"));
  REQUIRE(r.exit_code == 2);
  REQUIRE_THAT(r.output, Contains("nothing.pt"));
}

// The budget fraction halfway between the cheapest network of the int-only search and the
// cheapest of ENOS (which may use bin:w1a8), for the PE array's 90 % share: int-only cannot fit
// it, ENOS can. First and last layers pinned to int:w8a8, as compare does by default.
double fraction_only_enos_fits(const std::string& lut_file) {
  const energy::Lut lut = energy::load_lut(lut_file);
  double cheapest_int = 0, cheapest_any = 0;
  for (std::size_t i = 0; i < lut.layers.size(); ++i) {
    double w8a8 = 0, min_int = 1e300, min_any = 1e300;
    for (const energy::LutEntry& e : lut.layers[i].entries) {
      if (e.candidate == "int:w8a8") w8a8 = e.energy_pj;
      if (e.candidate.rfind("int:", 0) == 0) min_int = std::min(min_int, e.energy_pj);
      min_any = std::min(min_any, e.energy_pj);
    }
    const bool pinned = i == 0 || i + 1 == lut.layers.size();
    cheapest_int += pinned ? w8a8 : min_int, cheapest_any += pinned ? w8a8 : min_any;
  }
  REQUIRE(cheapest_any < cheapest_int);
  return (cheapest_any + cheapest_int) / 2 / (0.9 * lut.total_energy_pj("int:w8a8"));  // 0.9: 1 − the default reserve
}

// Regression: compare stopped the whole table at a method whose cheapest network could not fit
// (int-only on CIFAR-100 at 0.5), so ENOS never ran; now that row says so and the table goes on.
TEST_CASE("enos compare records a search that cannot reach the budget and runs the others", "[search][e2e][compare]") {
  const Fixture f;
  const double fraction = fraction_only_enos_fits(f.dir.file("lut.json"));
  const et::CommandResult r = et::run_enos(
      "compare --lut " + f.dir.file("lut.json") + " --model shufflenetv2_x0.5 --dataset fashion-mnist:" + f.dir.path() +
      " --budget-frac " + std::to_string(fraction) + " --epochs 1 --finetune-epochs 0 --batch 16 --threads 1 --init none" +
      " --methods int-only,single --out " + f.dir.file("cmp"));
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  const std::string md = slurp(f.dir.file("cmp/compare.md"));
  CHECK_THAT(md, Contains("| mixed precision (int only) | single | does not fit the budget |"));
  const std::string csv = slurp(f.dir.file("cmp/compare.csv"));
  CHECK_THAT(csv, Contains("\nENOS,single,1,"));
  CHECK(std::filesystem::exists(f.dir.file("cmp/enos_single/seed1/mapping.json")));
  // The test set is measured once, at the end: a search epoch's row leaves test_acc empty.
  CHECK(log_field(f.dir.file("cmp/enos_single/seed1/log.csv"), 1, "test_acc").empty());
}

// The first `n` comma-separated fields of a CSV line, with their commas.
std::string first_fields(const std::string& line, int n) {
  std::size_t at = 0;
  for (int i = 0; i < n && at != std::string::npos; ++i) at = line.find(',', at) + 1;
  return line.substr(0, at);
}

// The run folder of a reference or uni-operator row ("uni-operator int:w2a4" → uniform_int_w2a4).
std::string run_folder(const std::string& method) {
  if (method == "reference int:w8a8") return "reference_int_w8a8";
  const std::string c = method.substr(method.find(' ') + 1);
  return "uniform_" + c.substr(0, c.find(':')) + "_" + c.substr(c.find(':') + 1);
}

// Sweeping budgets trained the same reference and uni-operator networks once per budget (a
// uni-operator network does not depend on the budget): --reuse reads them from another budget's
// folder, judges them against this budget, and trains only what searches.
TEST_CASE("enos compare --reuse reads another budget's budget-independent runs and judges them against its own",
          "[search][e2e][compare]") {
  const Fixture f;
  const auto compare = [&](const std::string& options, const std::string& out) {
    const et::CommandResult r = et::run_enos(
        "compare --lut " + f.dir.file("lut.json") + " --model shufflenetv2_x0.5 --dataset fashion-mnist:" + f.dir.path() +
        " --epochs 1 --finetune-epochs 0 --batch 16 --threads 1 --init none --out " + f.dir.file(out) + " " + options);
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    return r.output;
  };
  compare("--budget-frac 0.6 --methods reference,uniform,single", "wide");
  const std::string narrow =
      compare("--budget-frac 0.4 --methods reference,uniform,single --reuse " + f.dir.file("wide"), "narrow");
  const std::string wide_csv = slurp(f.dir.file("wide/compare.csv")), narrow_csv = slurp(f.dir.file("narrow/compare.csv"));
  int lent = 0;
  std::istringstream rows(narrow_csv);
  for (std::string line; std::getline(rows, line);) {
    const bool budget_independent = line.rfind("uni-operator", 0) == 0 || line.rfind("reference", 0) == 0;
    if (!budget_independent || line.back() == 'o') continue;  // ",no": does not fit 0.4
    INFO(line);
    ++lent;
    const std::string dir = run_folder(line.substr(0, line.find(',')));
    // The lender's method, seed, accuracy and energy (the fraction of budget is this one's), and
    // nothing trained here: no export of its own.
    CHECK_THAT(wide_csv, Contains("\n" + first_fields(line, 5)));
    CHECK_FALSE(std::filesystem::exists(f.dir.file("narrow/" + dir + "/seed1/mapping.json")));
    CHECK_THAT(narrow, Contains("(read from " + f.dir.file("wide/" + dir + "/seed1") + ")"));
  }
  CHECK(lent >= 3);  // the reference and the cheapest uni-operator networks
  // A uni-operator network that fit 0.6 but not 0.4 is refused here, as training it would be.
  CHECK_THAT(wide_csv, Contains("uni-operator int:w4a4,uniform,1,"));
  CHECK_THAT(narrow_csv, Contains("uni-operator int:w4a4,uniform,,,,,,,no"));
  // ENOS searches at this budget: trained here.
  CHECK(std::filesystem::exists(f.dir.file("narrow/enos_single/seed1/mapping.json")));
  CHECK_THAT(slurp(f.dir.file("narrow/compare.md")), Contains("Runs read from another comparison with the same recipe"));
  // Another recipe lends nothing.
  const std::string other = compare("--budget-frac 0.4 --lr 0.02 --methods reference --reuse " + f.dir.file("wide"), "other");
  CHECK_THAT(other, !Contains("read from"));
  // A folder that is not there is a mistake, not an empty loan.
  const et::CommandResult missing = et::run_enos(
      "compare --lut " + f.dir.file("lut.json") + " --model shufflenetv2_x0.5 --dataset fashion-mnist:" + f.dir.path() +
      " --budget-frac 0.4 --epochs 1 --methods reference --reuse " + f.dir.file("nowhere") + " --out " + f.dir.file("x"));
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.output, Contains("--reuse " + f.dir.file("nowhere") + ": no such folder"));
  CHECK_FALSE(std::filesystem::exists(f.dir.file("x")));
}

TEST_CASE("enos compare: reference and float rows, one start for every method, mean ± std over seeds",
          "[search][e2e][compare]") {
  const Fixture f;
  const std::string checkpoint = f.float_checkpoint();
  const et::CommandResult r = et::run_enos(
      "compare --lut " + f.dir.file("lut.json") + " --model shufflenetv2_x0.5 --dataset fashion-mnist:" + f.dir.path() +
      " --budget-frac 0.5 --epochs 1 --finetune-epochs 1 --batch 16 --threads 1 --seeds 2 --init " + checkpoint +
      " --methods reference,int-only,stochastic --out " + f.dir.file("cmp"));
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  const std::string md = slurp(f.dir.file("cmp/compare.md"));
  CHECK_THAT(md, Contains("| float (the start checkpoint) |") && Contains("| reference int:w8a8 | uniform |") &&
                     Contains("| mixed precision (int only) | single |") && Contains("| ENOS | stochastic |") &&
                     Contains(" ± "));
  const std::string csv = slurp(f.dir.file("cmp/compare.csv"));
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 1 + 1 + 3 * 2);  // header, float start, 3 methods × 2 seeds
  CHECK_THAT(csv, Contains("\nfloat,float,,"));
  CHECK_THAT(csv, Contains("ENOS,stochastic,1,") && Contains("ENOS,stochastic,2,"));
  CHECK(std::filesystem::exists(f.dir.file("cmp/enos_stochastic/seed2/mapping.json")));

  // Resumes: the same command with a third seed trains only the new runs; the finished ones keep
  // their figures (compare_run.json). Other options retrain.
  const std::string again_cmd =
      "compare --lut " + f.dir.file("lut.json") + " --model shufflenetv2_x0.5 --dataset fashion-mnist:" + f.dir.path() +
      " --budget-frac 0.5 --epochs 1 --finetune-epochs 1 --batch 16 --threads 1 --seeds 3 --init " + checkpoint +
      " --methods int-only,stochastic --out " + f.dir.file("cmp");
  const et::CommandResult again = et::run_enos(again_cmd);
  INFO(again.output);
  REQUIRE(again.exit_code == 0);
  const std::string marker = "(finished before)";
  std::size_t reused = 0;
  for (std::size_t at = again.output.find(marker); at != std::string::npos; at = again.output.find(marker, at + 1)) ++reused;
  CHECK(reused == 4);  // int-only and stochastic, seeds 1 and 2
  const std::string csv3 = slurp(f.dir.file("cmp/compare.csv"));
  const std::string seed1 = csv.substr(csv.find("ENOS,stochastic,1,"));
  CHECK_THAT(csv3, Contains(seed1.substr(0, seed1.find('\n'))) && Contains("ENOS,stochastic,3,"));
  const et::CommandResult other = et::run_enos("compare --lut " + f.dir.file("lut.json") +
                                               " --model shufflenetv2_x0.5 --dataset fashion-mnist:" + f.dir.path() +
                                               " --budget-frac 0.45 --epochs 1 --finetune-epochs 1 --batch 16 --threads 1"
                                               " --init " + checkpoint + " --methods stochastic --out " + f.dir.file("cmp"));
  CHECK(other.exit_code == 0);
  CHECK(other.output.find(marker) == std::string::npos);

  const et::CommandResult bad = et::run_enos("compare --lut " + f.dir.file("lut.json") +
                                             " --model shufflenetv2_x0.5 --dataset fashion-mnist:" + f.dir.path() +
                                             " --budget-frac 0.5 --epochs 1 --methods nonsense --out " + f.dir.file("x"));
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.output, Contains("unknown method 'nonsense'"));
}

}  // namespace
}  // namespace enos::search

namespace enos::search {
namespace {

// ShuffleNet v1 (signed residual sums, pooled shortcuts) through the whole chain on the tiny
// data: characterize, search, export, and a bit-exact replay of the export.
TEST_CASE("ShuffleNet v1 is searched, exported and replayed bit-exactly", "[search][e2e][v1]") {
  mt::ScratchDir dir;
  datasets::write_idx_pair(dir.file("train-images-idx3-ubyte.gz"), dir.file("train-labels-idx1-ubyte.gz"),
                           mt::synthetic_images(32, 1, 28, 28, 10, 5), true);
  datasets::write_idx_pair(dir.file("t10k-images-idx3-ubyte.gz"), dir.file("t10k-labels-idx1-ubyte.gz"),
                           mt::synthetic_images(8, 1, 28, 28, 10, 6), true);
  et::CommandResult r = et::run_enos("characterize --model shufflenetv1_g3 --input 28x28x1 --candidates int:w8a8,int:w4a4 "
                                     "--jobs 2 --cache " + dir.file("cache") + " --out " + dir.file("lut.json"));
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  r = et::run_enos("search --lut " + dir.file("lut.json") + " --model shufflenetv1_g3 --dataset fashion-mnist:" + dir.path() +
                   " --epochs 1 --finetune-epochs 1 --batch 16 --threads 1 --init none --budget-frac 0.8 --out " +
                   dir.file("s"));
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  const std::string network = slurp(dir.file("s/network.json"));
  CHECK_THAT(network, Contains("\"signed\": true"));
  r = et::run_enos("validate --mapping " + dir.file("s/mapping.json") + " --images 2 --out " + dir.file("v"));
  INFO(r.output);
  // Its post-processing (16-bit residual sums through the PPU) costs more than the 10 % the
  // search reserves: the replay fit must still bring it within the budget.
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.output, Contains("bit-exact: yes"));
  const nlohmann::json report = nlohmann::json::parse(slurp(dir.file("v/report.json")));
  CHECK(report.at("bit_exact").at("ok").get<bool>());
  CHECK(report.at("bit_exact").at("mismatches").get<int64_t>() == 0);
  int relu_clamps = 0;
  for (const auto& l : report.at("layers"))
    if (l.at("type") == "relu" && l.at("unit") == "ppu") ++relu_clamps;
  CHECK(relu_clamps == 16);  // one per unit: the ReLU after each signed sum clamps on the stream
}

}  // namespace
}  // namespace enos::search
