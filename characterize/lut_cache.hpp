#pragma once
// The characterization cache: one file per LUT entry, keyed by everything that determines it
// (tool version, architecture hash, energy-table hash, layer shape, pinned mapping,
// candidate). Entries are written to a temporary file and renamed into place, so a killed
// run never leaves a half-written entry; an entry whose checksum or key does not match is
// treated as missing, deleted and rebuilt.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace enos::characterize {

class LutCache {
 public:
  explicit LutCache(std::string dir);  // creates the folder

  // The stored value, or nothing when absent or corrupt (a corrupt file is removed and
  // counted in corrupt_entries()).
  std::optional<nlohmann::json> get(const std::string& key);
  void put(const std::string& key, const nlohmann::json& value);
  int corrupt_entries() const { return corrupt_; }
  const std::string& dir() const { return dir_; }

 private:
  std::string path_for(const std::string& key) const;
  void remove_orphaned_temporaries();
  std::string dir_;
  int corrupt_ = 0;
};

// Default location: $ENOS_CACHE_DIR, else $XDG_CACHE_HOME/enos/lut, else ~/.cache/enos/lut.
std::string default_cache_dir();

}  // namespace enos::characterize
