#pragma once
// The search's export (docs/export-format.md): mapping.json, network.json, weights.bin and
// reference.json, read strictly. Every mistake is a spec::SpecError naming the file, the JSON
// path and the reason, as for every other input; nothing here needs LibTorch.
#include <string>
#include <vector>

#include "spec/export_format.hpp"

namespace enos::replay {

// The format's types live in spec/export_format.hpp (the search writes them too); the replay
// names them as its own.
using spec::Combine;
using spec::MappedLayer;
using spec::NetLayer;
using spec::ReferenceImage;
using spec::TensorFormat;

// The four files as the replay reads them: mapping.json's fields, network.json's with the
// codes of weights.bin, and reference.json's images, with where each file is.
struct Export : spec::ExportMapping, spec::ExportNetwork {
  std::string dir;  // where mapping.json lives; every path inside is relative to it
  std::string mapping_file, network_file, weights_file, reference_file;
  std::vector<ReferenceImage> reference;  // empty when reference.json is absent
};

// Reads all four files; `mapping_file` is DIR/mapping.json. Throws spec::SpecError.
Export load_export(const std::string& mapping_file);

// The LUT the search read, when its file is still there (mapping.json's lut.file, as given to
// the search, i.e. relative to where it ran, else relative to the export folder): its hash must
// be mapping.json's lut.hash and its architecture hash `arch_hash`. Returns the file found
// ("" when none: nothing to check); throws spec::SpecError on a mismatch.
std::string check_lut(const Export& e, const std::string& arch_hash, const std::string& arch_file);

// "dir/name" unless name is absolute.
std::string resolve(const std::string& dir, const std::string& name);

}  // namespace enos::replay
