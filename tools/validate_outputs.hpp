#pragma once
// The files `enos validate` writes (report.json, .md, .html in --out; --trace; --vcd), checked
// before the replay and published together after it (spec::OutputFiles): a failed validate
// leaves none of them, and no --out folder it made.
#include <optional>
#include <string>

#include "spec/atomic_file.hpp"
#include "spec/output_files.hpp"

namespace enos::replay {
class VcdProbe;
}

namespace enos::tools {

class ValidateOutputs {
 public:
  // Creates --out and makes sure every target can be written: a file where the folder should
  // be, a missing or unwritable folder is refused here (exit 2), before any work.
  ValidateOutputs(const std::string& out, const std::string& trace, const std::string& vcd);

  // Where SystemC writes the waveform until publish() (empty without --vcd).
  std::string vcd_temp() const { return vcd_ ? vcd_->temp() : std::string(); }
  // A report file in --out.
  void add_report(const std::string& name, std::string content);
  void add_trace(std::string content);
  // Closes the probe's file and publishes everything.
  void publish(replay::VcdProbe* probe);

 private:
  std::string out_, trace_;
  spec::OutputFolder folder_;
  spec::OutputFiles files_;
  std::optional<spec::TempTarget> vcd_;
};

}  // namespace enos::tools
