#pragma once
// Reads a tile's operands from the global buffer and injects them into the array's edges, one
// flit per array step, pass after pass without waiting for the array: weight- and
// input-stationary first the preloaded operand row by row (deepest row first) through the
// north edge, then the streamed one, one vector per item, through the west edge;
// output-stationary one input and one weight vector per reduction step. Zero padding is
// generated here and never read from the buffer.
#include <utility>
#include <vector>

#include <systemc>

#include "sim/edge_port.hpp"
#include "sim/global_buffer.hpp"
#include "sim/handoff.hpp"
#include "sim/tally.hpp"
#include "sim/tile_context.hpp"
#include "spec/actions.hpp"

namespace enos::sim {

class Streamer : public sc_core::sc_module {
 public:
  // `west` carries the streamed operand (inputs, weights under input-stationary), `north`
  // the preloaded one (weights under output-stationary).
  Streamer(sc_core::sc_module_name name, GlobalBuffer& glb, EdgePort& west, EdgePort& north);

  void start(const TileWork& work) { inbox_.give(work); }
  bool waiting_on_glb() const { return waiting_on_glb_; }
  spec::ActionCounts& actions() { return actions_; }

 private:
  void run();
  void stream_preloaded();  // weight- and input-stationary
  void stream_output_stationary();
  // Books the buffer reads, then pushes the flit (the push may block on a full link).
  void send(EdgePort& port, DataFlit&& flit, int64_t glb_bits, int flit_bits);

  DataFlit weight_row(int row) const;                      // WS preload
  DataFlit input_row(int row, int64_t& buffer_reads) const;  // IS preload
  DataFlit pixel_inputs(int pixel, int64_t& buffer_reads) const;  // WS stream
  DataFlit channel_weights(int64_t item) const;             // IS stream
  DataFlit os_inputs(int64_t step, int64_t& buffer_reads) const;
  DataFlit os_weights(int64_t step) const;
  // Top-left input coordinate of a tile pixel's receptive field (may lie in the padding).
  std::pair<int, int> window_origin(int pixel) const;
  // Activation at reduction index j of the window at (h0, w0); false in the zero padding.
  bool input_at(int64_t j, int h0, int w0, int32_t& value) const;
  // Weight j of output channel k (counted from the global-buffer tile's first).
  int32_t weight_at(int64_t j, int64_t k) const;

  GlobalBuffer& glb_;
  EdgePort& west_;
  EdgePort& north_;
  TileWork work_;
  TileContext tile_;
  // Where reduction element j of a window lies: its kernel offset (r, s) and its word in the
  // tile's input slot relative to the window's origin, (c·in_rows + r)·W + s. Made per tile.
  struct Tap {
    int r, s;
    int64_t offset;
  };
  std::vector<Tap> taps_;
  std::vector<std::pair<int, int>> window_origins_;  // output-stationary: of each used row
  Handoff<TileWork> inbox_;
  bool waiting_on_glb_ = false;
  spec::ActionCounts actions_;
  Tally tally_;
  int read_weight_, read_input_;
};

}  // namespace enos::sim
