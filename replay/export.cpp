#include "replay/export.hpp"

#include <fstream>

#include "spec/json_reader.hpp"

namespace enos::replay {
namespace {

void read_mapping(Export& e) {
  const nlohmann::json doc = spec::load_json_file(e.mapping_file, "mapping");
  static_cast<spec::ExportMapping&>(e) = spec::parse_export_mapping(doc, e.mapping_file);
  e.network_file = resolve(e.dir, e.network_name);
}

// network.json, then the codes of weights.bin it names, then its agreement with mapping.json.
void read_network(Export& e) {
  const nlohmann::json doc = spec::load_json_file(e.network_file, "network");
  static_cast<spec::ExportNetwork&>(e) = spec::parse_export_network(doc, e.network_file, e.workload);
  e.weights_file = resolve(e.dir, e.weights_name);
  spec::read_export_weights(e.weights_file, doc, e.network_file, e);
  spec::check_export_network(e, e, doc, e.network_file);
}

void read_reference(Export& e) {
  e.reference_file = resolve(e.dir, spec::kExportReferenceFile);
  if (!std::ifstream(e.reference_file)) return;  // optional: predictions are then compared with labels only
  const nlohmann::json doc = spec::load_json_file(e.reference_file, "reference");
  e.reference = spec::parse_export_reference(doc, e.reference_file, e.workload.layers.back().out.C).images;
}

}  // namespace

std::string check_lut(const Export& e, const std::string& arch_hash, const std::string& arch_file) {
  if (e.lut_file.empty()) return "";
  std::string file, mismatch;
  nlohmann::json doc;
  for (const std::string& candidate : {e.lut_file, resolve(e.dir, e.lut_file)}) {
    if (!std::ifstream(candidate)) continue;
    doc = spec::load_json_file(candidate, "lut");
    if (spec::json_hash(doc) == e.lut_hash) {
      file = candidate;
      break;
    }
    mismatch = candidate + " has hash " + spec::json_hash(doc);
  }
  if (file.empty() && mismatch.empty()) return "";
  if (file.empty())
    throw spec::SpecError(e.mapping_file, "mapping.lut.hash",
                          "is " + e.lut_hash + " but the LUT " + mismatch +
                              ": it changed since the search read it (characterize and search again)");
  const std::string lut_arch = doc.value("architecture", nlohmann::json::object()).value("hash", std::string());
  if (lut_arch != arch_hash)
    throw spec::SpecError(arch_file, "arch",
                          "the LUT " + file + " of this export was characterized on an architecture with hash " + lut_arch +
                              ", not this one (" + arch_hash + ")");
  return file;
}

std::string resolve(const std::string& dir, const std::string& name) {
  if (name.empty() || name[0] == '/' || dir.empty()) return name;
  return dir + "/" + name;
}

Export load_export(const std::string& mapping_file) {
  Export e;
  e.mapping_file = mapping_file;
  const auto slash = mapping_file.rfind('/');
  e.dir = slash == std::string::npos ? "." : mapping_file.substr(0, slash);
  read_mapping(e);
  read_network(e);
  read_reference(e);
  return e;
}

}  // namespace enos::replay
