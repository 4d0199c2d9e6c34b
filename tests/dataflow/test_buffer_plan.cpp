// The network's buffer plan (dataflow/buffer_plan): what it keeps on chip, that every layer
// still has room for its tiles beside it, and what it must leave in DRAM.
#include <catch2/catch.hpp>

#include <string>

#include "dataflow/buffer_plan.hpp"
#include "dataflow/mapper.hpp"
#include "spec/arch.hpp"
#include "spec/workload.hpp"

using namespace enos;

namespace {

const std::string kConfigs = ENOS_CONFIG_DIR;

struct Network {
  spec::ArchSpec arch;
  spec::Workload workload;
  pe::Candidate candidate = pe::parse_candidate("int:w8a8");
  dataflow::BufferPlan plan() const {
    return dataflow::plan_buffers(
        workload, arch, [&](std::size_t) { return candidate; }, [](std::size_t) { return spec::PinnedMapping{}; });
  }
};

Network shufflenet(const std::string& arch_file = "default_reconfigurable_16x16.json") {
  return {spec::load_arch(kConfigs + "/arch/" + arch_file),
          spec::load_workload(kConfigs + "/workloads/shufflenetv2_x0.5_32x32x3.json")};
}

int64_t resident_bytes(const dataflow::BufferPlan& p) {
  int64_t b = 0;
  for (const auto& t : p.tensors) b += t.resident ? t.bytes : 0;
  return b;
}

// Every MAC layer still maps within the buffer beside what the plan reserves for it.
void check_every_layer_fits(const Network& n, const dataflow::BufferPlan& p) {
  REQUIRE(p.layers.size() == n.workload.layers.size());
  for (std::size_t i = 0; i < n.workload.layers.size(); ++i) {
    const spec::Layer& l = n.workload.layers[i];
    if (!l.is_mac()) continue;
    INFO(l.name << " reserved " << p.layers[i].reserved_bytes);
    CHECK(p.layers[i].reserved_bytes <= n.arch.glb.size_bytes);
    const spec::Mapping m =
        dataflow::choose_mapping(l.conv, n.candidate, n.arch, {}, dataflow::rough_cost_model(), p.layers[i]);
    CHECK(dataflow::make_plan(l.conv, n.candidate, n.arch, m, p.layers[i]).residency == p.layers[i]);
  }
}

}  // namespace

TEST_CASE("the buffer plan keeps ShuffleNetV2's activations on chip and leaves room for every layer",
          "[dataflow][buffer_plan]") {
  const Network n = shufflenet();
  const dataflow::BufferPlan p = n.plan();
  check_every_layer_fits(n, p);
  REQUIRE(!p.tensors.empty());
  // The network's input arrives from off-chip; the logits leave it.
  CHECK(p.tensors.front().producer == "input");
  CHECK(!p.tensors.front().resident);
  CHECK_THAT(p.tensors.front().why_dram, Catch::Contains("network's input"));
  CHECK(!p.tensors.back().resident);
  CHECK_THAT(p.tensors.back().why_dram, Catch::Contains("network's output"));
  // Its largest activation is 24 KiB at 8 bits: every other tensor fits a 128 KiB buffer.
  int kept = 0;
  for (std::size_t t = 1; t + 1 < p.tensors.size(); ++t) {
    INFO(p.tensors[t].producer << ": " << p.tensors[t].why_dram);
    kept += p.tensors[t].resident;
  }
  CHECK(kept == int(p.tensors.size()) - 2);
  // A layer reading a resident tensor reads it in place; its producer wrote it there.
  for (std::size_t i = 1; i < n.workload.layers.size(); ++i)
    if (n.workload.layers[i].is_mac() && n.workload.layers[i].inputs == std::vector<std::string>{n.workload.layers[i - 1].name} &&
        n.workload.layers[i - 1].is_mac())
      CHECK(p.layers[i].inputs == p.layers[i - 1].outputs);
}

TEST_CASE("with residency off, or for independent --layer options, nothing is resident", "[dataflow][buffer_plan]") {
  Network n = shufflenet();
  n.arch.glb.network_residency = false;
  dataflow::BufferPlan p = n.plan();
  CHECK(resident_bytes(p) == 0);
  for (const auto& l : p.layers) CHECK(l == dataflow::Residency{});
  for (const auto& w : p.weights) CHECK(!w.resident);
  CHECK_THAT(p.tensors[1].why_dram, Catch::Contains("residency is off"));

  n = shufflenet();
  n.workload.file = spec::kLayerOptionFile;
  p = n.plan();
  CHECK(resident_bytes(p) == 0);
}

TEST_CASE("a buffer too small for a tensor beside the tiles keeps it in DRAM and says why",
          "[dataflow][buffer_plan]") {
  Network n = shufflenet();
  n.arch.glb.size_bytes = 16 * 1024;
  const dataflow::BufferPlan p = n.plan();
  check_every_layer_fits(n, p);
  bool explained = false;
  for (const auto& t : p.tensors)
    if (!t.resident && t.why_dram.rfind("no room", 0) == 0) explained = true;
  CHECK(explained);
  // The later, smaller maps still fit.
  CHECK(resident_bytes(p) > 0);
}

TEST_CASE("a buffer that holds every weight keeps them all, once per network", "[dataflow][buffer_plan]") {
  Network n = shufflenet();
  n.arch.glb.size_bytes = 1024 * 1024;
  const dataflow::BufferPlan p = n.plan();
  check_every_layer_fits(n, p);
  int64_t weights = 0;
  for (const auto& w : p.weights) {
    CHECK(w.resident);
    weights += w.bytes;
  }
  // 8-bit weights: bytes = parameter count of the MAC layers.
  int64_t params = 0;
  for (const auto& l : n.workload.layers)
    if (l.is_mac()) params += l.conv.weight_count();
  CHECK(weights == params);
  for (std::size_t i = 0; i < p.layers.size(); ++i) CHECK(p.layers[i].reserved_bytes >= weights);
}
