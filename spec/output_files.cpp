#include "spec/output_files.hpp"

#include <filesystem>
#include <stdexcept>
#include <system_error>

#include "spec/json_reader.hpp"

namespace enos::spec {
namespace fs = std::filesystem;

namespace {

void refuse_folder(const std::string& path, const std::string& option) {
  std::error_code ec;
  if (fs::is_directory(path, ec))
    throw SpecError(option, path, "is a folder; give the name of the file to write");
}

}  // namespace

OutputFolder::OutputFolder(std::string path, std::string option) : path_(std::move(path)) {
  std::error_code ec;
  if (fs::exists(path_, ec) && !fs::is_directory(path_, ec))
    throw SpecError(option, path_, "exists and is not a folder");
  // The folders this creates, innermost first, so a failed command can take them back.
  for (fs::path p = fs::path(path_).lexically_normal(); !p.empty() && !fs::exists(p, ec); p = p.parent_path()) {
    if (p.has_filename()) created_.push_back(p.string());
    if (p == p.parent_path()) break;
  }
  fs::create_directories(path_, ec);
  if (ec) {
    created_.clear();
    throw SpecError(option, path_, "cannot create the folder: " + ec.message());
  }
}

OutputFolder::~OutputFolder() {
  if (keep_) return;
  for (const std::string& dir : created_) {  // innermost first; stops at the first one in use
    std::error_code ec;
    if (!fs::is_empty(dir, ec) || ec || !fs::remove(dir, ec)) return;
  }
}

OutputFiles::Pending* OutputFiles::find(const std::string& path) {
  for (Pending& p : pending_)
    if (p.path == path) return &p;
  return nullptr;
}

void OutputFiles::check(const std::string& path, const std::string& option) {
  refuse_folder(path, option);
  std::error_code ec;
  const std::string normal = fs::absolute(path, ec).lexically_normal().string();
  for (const auto& [other, other_option] : checked_paths_)
    if (other == normal) throw SpecError(option, path, "is also where " + other_option + " writes: give each output its own file");
  checked_paths_.emplace_back(normal, option);
  auto temp = std::make_unique<TempTarget>(path);
  try {
    temp->create_empty();
  } catch (const SpecError& e) {
    throw SpecError(option, path, "cannot write there: " + e.reason());
  }
  checked_.push_back(std::move(temp));
}

void OutputFiles::add(const std::string& path, std::string content) {
  if (find(path)) throw std::logic_error("internal error: " + path + " is written twice by one command");
  Pending p;
  p.path = path;
  p.content = std::move(content);
  pending_.push_back(std::move(p));
}

void OutputFiles::add_written(TempTarget& target) {
  if (find(target.path())) throw std::logic_error("internal error: " + target.path() + " is written twice by one command");
  Pending p;
  p.path = target.path();
  p.written = &target;
  pending_.push_back(std::move(p));
}

void OutputFiles::publish() {
  // Phase 1: everything whole on disk under temporary names. A failure here changes nothing
  // the user sees: the temporary files go with their TempTargets.
  for (Pending& p : pending_) {
    if (p.written) continue;
    std::error_code ec;
    if (fs::is_directory(p.path, ec)) throw SpecError(p.path, "(file)", "is a folder; no output was written");
    p.own = std::make_unique<TempTarget>(p.path);
    p.own->write(p.content);
    p.content.clear();
    p.content.shrink_to_fit();
  }
  // Phase 2: renames, each atomic.
  std::string published;
  for (Pending& p : pending_) {
    try {
      (p.written ? *p.written : *p.own).commit();
    } catch (const SpecError& e) {
      throw SpecError(e.file(), e.path(),
                      e.reason() + (published.empty() ? "; no output was written"
                                                      : "; already written: " + published + " (the others were not)"));
    }
    published += (published.empty() ? "" : ", ") + p.path;
  }
  checked_.clear();
}

std::vector<std::string> OutputFiles::paths() const {
  std::vector<std::string> out;
  for (const Pending& p : pending_) out.push_back(p.path);
  return out;
}

}  // namespace enos::spec
