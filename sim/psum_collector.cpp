#include "sim/psum_collector.hpp"

namespace enos::sim {

PsumCollector::PsumCollector(sc_core::sc_module_name name, GlobalBuffer& glb,
                             noc::Link<PsumFlit>& in)
    : sc_core::sc_module(name), glb_(glb), in_(in) {
  read_psum_ = tally_.action(spec::action::kGlbReadPsum);
  write_psum_ = tally_.action(spec::action::kGlbWritePsum);
  write_output_ = tally_.action(spec::action::kGlbWriteOutput);
  SC_HAS_PROCESS(PsumCollector);
  SC_THREAD(run);
}

void PsumCollector::run() {
  for (;;) {
    work_ = inbox_.take();
    for (std::size_t i = 0; i < work_.size(); ++i) {
      tile_ = work_.pass(i);
      // One flit per streamed item (WS, IS) or per array row (OS).
      const int64_t expected = tile_.output_stationary() ? tile_.array->rows_used : tile_.array->stream_len;
      for (int64_t n = 0; n < expected; ++n) store(in_.pop());
      tally_.flush_into(actions_);
    }
    done_event_.notify(sc_core::SC_ZERO_TIME);
  }
}

void PsumCollector::store(const PsumFlit& flit) {
  const dataflow::ArrayTile& a = *tile_.array;
  const dataflow::GlbTile& g = *tile_.glb;
  const int psum_bits = dataflow::word_bits(tile_.plan->candidate).psum;
  const int64_t words = int64_t(flit.values.size());
  const bool os = tile_.output_stationary();
  const bool accumulate = !os && !a.first_partial;
  const bool final_value = os || a.last_partial;
  waiting_on_glb_ = true;
  sc_core::wait(glb_.ports().book(words * psum_bits * (accumulate ? 2 : 1)));
  waiting_on_glb_ = false;

  const int64_t pixels = int64_t(g.p_count) * tile_.plan->shape.Q();
  // The flit's index is the array row (OS), the pixel (WS) or the output channel (IS); its
  // values run along the columns: output channels (OS, WS) or pixels (IS).
  const bool is = tile_.inputs_preloaded();
  const int64_t k0 = a.k0 - g.k0 + (is ? flit.index : 0);
  const int64_t pixel0 = is ? a.pix0 : os ? a.pix0 + flit.index : flit.index;
  std::vector<pe::Psum>& slot = glb_.slot(tile_.psum_slot).psums;
  for (int64_t c = 0; c < words; ++c) {
    const int64_t k = is ? k0 : k0 + c, pixel = is ? pixel0 + c : pixel0;
    pe::Psum& dst = slot[std::size_t(k * pixels + pixel)];
    const pe::Psum& v = flit.values[std::size_t(c)];
    if (accumulate) {
      dst.main = pe::wrap_add(dst.main, v.main);
      dst.aux = pe::wrap_add(dst.aux, v.aux);
    } else {
      dst = v;
    }
  }
  if (accumulate) tally_.add(read_psum_, words, psum_bits);
  tally_.add(final_value ? write_output_ : write_psum_, words, psum_bits);
}

}  // namespace enos::sim
