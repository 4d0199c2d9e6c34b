#include "tools/validate_outputs.hpp"

#include "replay/vcd_probe.hpp"
#include "spec/json_reader.hpp"

namespace enos::tools {

ValidateOutputs::ValidateOutputs(const std::string& out, const std::string& trace, const std::string& vcd)
    : out_(out), trace_(trace), folder_(out, "--out") {
  for (const char* name : {"report.json", "report.md", "report.html"}) files_.check(out_ + "/" + name, "--out");
  if (!trace_.empty()) files_.check(trace_, "--trace");
  if (vcd.empty()) return;
  files_.check(vcd, "--vcd");
  // SystemC opens the VCD itself when the simulation starts, and cannot recover if that fails
  // (it crashed with SIGFPE): its temporary file is made here, where a failure is an error.
  vcd_.emplace(vcd, ".vcd");
  try {
    vcd_->create_empty();
  } catch (const spec::SpecError& e) {
    throw spec::SpecError("--vcd", vcd, "cannot write there: " + e.reason());
  }
}

void ValidateOutputs::add_report(const std::string& name, std::string content) {
  files_.add(out_ + "/" + name, std::move(content));
}

void ValidateOutputs::add_trace(std::string content) { files_.add(trace_, std::move(content)); }

void ValidateOutputs::publish(replay::VcdProbe* probe) {
  if (probe) probe->close();
  if (vcd_) files_.add_written(*vcd_);
  files_.publish();
  folder_.keep();
}

}  // namespace enos::tools
