// The brute-force counter: one add() per flit, pixel or step, in the order the SystemC
// modules make them, so a closed form that forgets a case (padding, a partial last row of
// lanes, a first or last partial sum) shows up as a difference.
#include "dataflow_test_util.hpp"

namespace enos::test {
namespace {

// The streamer, array and collector flush per-pass counters that skip zeros; the DMA engine
// and the operation count add even zeros.
void add_nz(spec::ActionCounts& out, const std::string& name, int64_t count, int64_t bits) {
  if (count) out.add(name, count, bits);
}

}  // namespace

void brute_ws_pass(const dataflow::LayerPlan& plan, const dataflow::GlbTile& t,
                   const dataflow::ArrayTile& a, spec::ActionCounts& out) {
  const dataflow::WordBits b = dataflow::word_bits(plan.candidate);
  const int64_t L = plan.lanes;
  int64_t macs = 0;
  for (int row = a.rows_used - 1; row >= 0; --row) {  // preload, deepest row first
    const int64_t lanes = std::min<int64_t>(L, a.j_count - row * L);
    add_nz(out, "glb.read.weight", a.cols_used * lanes, b.weight);
    add_nz(out, "spad.write.weight", a.cols_used * lanes, b.weight);
    add_nz(out, "noc.hop.weight", a.cols_used * lanes * (row + 1), b.weight);
  }
  for (int64_t pixel = 0; pixel < a.stream_len; ++pixel) {
    add_nz(out, "glb.read.input", brute_reads(plan.shape, t.p0, a.j0, a.j_count, pixel, 1), b.input);
    add_nz(out, "noc.hop.input", a.j_count * a.cols_used, b.input);
    for (int c = 0; c < a.cols_used; ++c)
      for (int r = 0; r < a.rows_used; ++r) macs += std::min<int64_t>(L, a.j_count - r * L);
    add_nz(out, "noc.hop.psum", a.cols_used * a.rows_used, b.psum);
    if (!a.first_partial) add_nz(out, "glb.read.psum", a.cols_used, b.psum);
    add_nz(out, a.last_partial ? "glb.write.output" : "glb.write.psum", a.cols_used, b.psum);
  }
  add_nz(out, "spad.read.weight", macs, b.weight);
  out.add("pe.op." + pe::to_string(plan.candidate), macs);
}

// Input-stationary: the inputs of the pass's pixels preloaded row by row (padding zeros
// generated, written into the PEs, never read), one weight vector per output channel.
void brute_is_pass(const dataflow::LayerPlan& plan, const dataflow::GlbTile& t,
                   const dataflow::ArrayTile& a, spec::ActionCounts& out) {
  const dataflow::WordBits b = dataflow::word_bits(plan.candidate);
  const int64_t L = plan.lanes;
  int64_t macs = 0;
  for (int row = a.rows_used - 1; row >= 0; --row) {
    const int64_t lanes = std::min<int64_t>(L, a.j_count - row * L);
    add_nz(out, "glb.read.input", brute_reads(plan.shape, t.p0, a.j0 + row * L, lanes, a.pix0, a.cols_used), b.input);
    add_nz(out, "spad.write.input", a.cols_used * lanes, b.input);
    add_nz(out, "noc.hop.input", a.cols_used * lanes * (row + 1), b.input);
  }
  for (int64_t k = 0; k < a.stream_len; ++k) {
    add_nz(out, "glb.read.weight", a.j_count, b.weight);
    add_nz(out, "noc.hop.weight", a.j_count * a.cols_used, b.weight);
    for (int c = 0; c < a.cols_used; ++c)
      for (int r = 0; r < a.rows_used; ++r) macs += std::min<int64_t>(L, a.j_count - r * L);
    add_nz(out, "noc.hop.psum", a.cols_used * a.rows_used, b.psum);
    if (!a.first_partial) add_nz(out, "glb.read.psum", a.cols_used, b.psum);
    add_nz(out, a.last_partial ? "glb.write.output" : "glb.write.psum", a.cols_used, b.psum);
  }
  add_nz(out, "spad.read.input", macs, b.input);
  out.add("pe.op." + pe::to_string(plan.candidate), macs);
}

void brute_os_pass(const dataflow::LayerPlan& plan, const dataflow::GlbTile& t,
                   const dataflow::ArrayTile& a, spec::ActionCounts& out) {
  const dataflow::WordBits b = dataflow::word_bits(plan.candidate);
  const int64_t L = plan.lanes;
  const bool multicast = plan.topology == spec::NocTopology::MulticastBus;
  int64_t macs = 0;
  for (int64_t step = 0; step < a.stream_len; ++step) {
    const int64_t lanes = std::min<int64_t>(L, a.j_count - step * L);
    add_nz(out, "glb.read.input", brute_reads(plan.shape, t.p0, step * L, lanes, a.pix0, a.rows_used), b.input);
    add_nz(out, "glb.read.weight", a.cols_used * lanes, b.weight);
    add_nz(out, "noc.hop.input", a.rows_used * lanes * a.cols_used, b.input);
    add_nz(out, "noc.hop.weight", a.cols_used * lanes * a.rows_used, b.weight);
    add_nz(out, "spad.read.psum", a.rows_used * a.cols_used, b.psum);
    add_nz(out, "spad.write.psum", a.rows_used * a.cols_used, b.psum);
    macs += a.rows_used * a.cols_used * lanes;
  }
  for (int r = 0; r < a.rows_used; ++r) {
    add_nz(out, "noc.hop.psum", a.cols_used * (multicast ? 1 : a.rows_used - r), b.psum);
    add_nz(out, "glb.write.output", a.cols_used, b.psum);
  }
  out.add("pe.op." + pe::to_string(plan.candidate), macs);
}

spec::ActionCounts brute_counts(const dataflow::LayerPlan& plan) {
  const dataflow::WordBits b = dataflow::word_bits(plan.candidate);
  const spec::Dataflow d = plan.mapping.dataflow;
  spec::ActionCounts out;
  for (const dataflow::GlbTile& t : dataflow::glb_tiles(plan)) {
    if (t.fetch_weights) {
      out.add("dram.read.weight", t.weight_words, b.weight);
      out.add("glb.write.weight", t.weight_words, b.weight);
    }
    if (t.fetch_inputs) {
      out.add("dram.read.input", t.input_words, b.input);
      out.add("glb.write.input", t.input_words, b.input);
    }
    for (const dataflow::ArrayTile& a : dataflow::array_tiles(plan, t))
      d == spec::Dataflow::WeightStationary  ? brute_ws_pass(plan, t, a, out)
      : d == spec::Dataflow::InputStationary ? brute_is_pass(plan, t, a, out)
                                             : brute_os_pass(plan, t, a, out);
    out.add("glb.read.output", t.output_words, b.psum);
    out.add("dram.write.output", t.output_words, b.output);
  }
  return out;
}

}  // namespace enos::test
