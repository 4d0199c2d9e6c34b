#pragma once
// The search's measurement of a provisional export (search::PipelineOptions::replay_energy):
// `enos validate` on a few test images, run as a child process of the `enos` beside this
// binary (the replay is SystemC, which enos-nn does not link; one elaboration per process).
#include <string>

#include "search/replay_fit.hpp"

namespace enos::tools {

struct ReplayEnergyOptions {
  std::string lut_file;  // its architecture and energy table are the replay's
  std::string dataset;   // NAME[:DIR], as the search was given it
  int images = 4;        // counts barely depend on the image (zeros the array gates)
  std::string enos = "";  // the enos executable; empty: the one beside this binary
};

// Replays the export in `export_dir` and returns its energy per inference. std::runtime_error
// (with the replay's messages) when the replay fails or its outputs differ from the reference.
search::ReplayedEnergy replay_energy(const ReplayEnergyOptions& o, const std::string& export_dir);

}  // namespace enos::tools
