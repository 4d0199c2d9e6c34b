#include "characterize/lut_cache.hpp"

#include <signal.h>
#include <unistd.h>

#include <cerrno>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "spec/json_reader.hpp"

namespace enos::characterize {
namespace {

namespace fs = std::filesystem;

// A zombie (killed, not yet reaped) still answers kill(pid, 0) but will never write again.
bool process_alive(pid_t pid) {
  if (kill(pid, 0) != 0 && errno == ESRCH) return false;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string pid_field, name, state;
  if (!(stat >> pid_field >> name >> state)) return true;  // cannot tell: keep the file
  return state != "Z" && state != "X";
}

std::string checksum(const std::string& key, const nlohmann::json& value) {
  return spec::json_hash(nlohmann::json{{"key", key}, {"value", value}});
}

}  // namespace

LutCache::LutCache(std::string dir) : dir_(std::move(dir)) {
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) throw spec::SpecError("--cache", dir_, "cannot create the cache folder: " + ec.message());
  remove_orphaned_temporaries();
}

// A writer killed between writing and renaming leaves "<entry>.tmp.<pid>"; once that process
// is gone the file can never become an entry.
void LutCache::remove_orphaned_temporaries() {
  std::error_code ec;
  for (const fs::directory_entry& f : fs::directory_iterator(dir_, ec)) {
    const std::string name = f.path().filename().string();
    const std::size_t at = name.find(".tmp.");
    if (at == std::string::npos) continue;
    const pid_t pid = pid_t(std::atol(name.c_str() + at + 5));
    if (pid > 0 && !process_alive(pid)) fs::remove(f.path(), ec);
  }
}

std::string LutCache::path_for(const std::string& key) const {
  return dir_ + "/" + spec::json_hash(nlohmann::json(key)) + ".json";
}

std::optional<nlohmann::json> LutCache::get(const std::string& key) {
  const std::string path = path_for(key);
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  const nlohmann::json doc = nlohmann::json::parse(text.str(), nullptr, false);
  const bool valid = !doc.is_discarded() && doc.is_object() && doc.contains("key") &&
                     doc.contains("value") && doc.contains("checksum") &&
                     doc["key"] == key && doc["checksum"] == checksum(key, doc["value"]);
  if (valid) return doc["value"];
  ++corrupt_;
  std::error_code ec;
  fs::remove(path, ec);
  return std::nullopt;
}

void LutCache::put(const std::string& key, const nlohmann::json& value) {
  const std::string path = path_for(key);
  const std::string tmp = path + ".tmp." + std::to_string(getpid());
  {
    std::ofstream out(tmp);
    out << nlohmann::json{{"key", key}, {"value", value}, {"checksum", checksum(key, value)}}.dump();
    if (!out) throw spec::SpecError(tmp, "(cache)", "cannot write a cache entry");
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);  // atomic on one file system: readers see all or nothing
  if (ec) throw spec::SpecError(path, "(cache)", "cannot store a cache entry: " + ec.message());
}

std::string default_cache_dir() {
  if (const char* d = std::getenv("ENOS_CACHE_DIR")) return d;
  if (const char* x = std::getenv("XDG_CACHE_HOME")) return std::string(x) + "/enos/lut";
  if (const char* h = std::getenv("HOME")) return std::string(h) + "/.cache/enos/lut";
  return ".enos-cache/lut";
}

}  // namespace enos::characterize
