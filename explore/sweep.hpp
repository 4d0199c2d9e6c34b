#pragma once
// The sweep file of `enos explore` (docs/explore.md): a base architecture, parameters that
// replace keys of it (lists, ranges, or several keys varied together), and the workloads each
// point is judged on. Points are the cartesian product of the parameters, the last one
// varying fastest; point i and its ID are a pure function of the file.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pe/candidate.hpp"
#include "spec/workload.hpp"

namespace enos::explore {

struct SweepParameter {
  std::vector<std::string> keys;                  // dotted paths into the architecture, as written
  std::vector<std::vector<nlohmann::json>> values;  // values[v][k]: one value per key
};

struct SweepWorkload {
  std::string label;  // the workload's name; "<name> (<mapping file as written>)" for a mapped network
  std::string model;  // the shipped model it came from ("model" in the sweep), else empty
  spec::Workload workload;
  std::vector<pe::Candidate> candidates;        // uni-operator networks; empty: every mode of the point
  std::vector<pe::Candidate> layer_candidates;  // a mapped network: one per MAC layer
  bool mapped() const { return !layer_candidates.empty(); }
};

struct Sweep {
  std::string file, name, hash;  // hash: of the sweep and of every file it reads (contents)
  std::string base_file;         // the base architecture, resolved
  nlohmann::json base_doc;
  std::string area_table_file;
  std::vector<SweepParameter> parameters;
  std::vector<SweepWorkload> workloads;
  int64_t points = 1;
  nlohmann::json doc;  // the sweep as written

  std::vector<std::string> parameter_keys() const;  // every swept key, in file order
};

// Every mistake is a SpecError "<file>: sweep.<path>: <reason>" (exit 2).
Sweep load_sweep(const std::string& file);

struct SweepPoint {
  int64_t index = 0;
  std::string id;             // "p0007": zero-padded index
  nlohmann::json arch_doc;    // the base architecture with this point's values
  nlohmann::json params;      // [[key, value], ...] in parameter order
};

SweepPoint make_point(const Sweep& sweep, int64_t index);
std::string point_id(const Sweep& sweep, int64_t index);

}  // namespace enos::explore
