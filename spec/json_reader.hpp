#pragma once
// Typed, path-tracking reads of JSON input. Every error names the file, the JSON path and the
// reason: `arch.json: arch.pe_array.rows: must be ≥ 1, got 0`. Unknown keys are errors.
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace enos::spec {

// A mistake in the user's input (exit code 2). what() is "<file>: <path>: <reason>".
class SpecError : public std::runtime_error {
 public:
  SpecError(std::string file, std::string path, std::string reason);
  const std::string& file() const { return file_; }
  const std::string& path() const { return path_; }
  const std::string& reason() const { return reason_; }

 private:
  std::string file_, path_, reason_;
};

// Reads a file and parses it; a missing file or a syntax error is a SpecError naming the
// line and column. Duplicate object keys (which nlohmann would silently collapse) are a
// SpecError naming the object's path below `root` ("arch", "workload"; "(document)" by default).
// Files larger than kMaxJsonBytes and nesting deeper than kMaxJsonDepth (spec/limits.hpp) are
// refused the same way.
nlohmann::json load_json_file(const std::string& file);
nlohmann::json load_json_file(const std::string& file, const std::string& root);
// The same checks on text already in memory; `file` labels the messages.
nlohmann::json parse_json_text(const std::string& text, const std::string& file, const std::string& root);

// A JSON value together with where it came from.
class JsonNode {
 public:
  JsonNode(const nlohmann::json& value, std::string file, std::string path);

  const nlohmann::json& value() const { return *value_; }
  const std::string& file() const { return file_; }
  const std::string& path() const { return path_; }

  bool has(const std::string& key) const;
  JsonNode at(const std::string& key) const;  // required member of an object
  JsonNode at(std::size_t index) const;       // element of an array
  std::size_t size() const;                   // of an array (error if not an array)
  std::vector<std::string> keys() const;      // of an object, sorted (nlohmann::json's order)

  void expect_object() const;
  void expect_array() const;
  // Error on any member not in `allowed`.
  void reject_unknown_keys(std::initializer_list<const char*> allowed) const;

  std::string as_string() const;
  bool as_bool() const;
  int64_t as_int(int64_t lo, int64_t hi) const;  // integral number within [lo, hi]
  double as_number(double lo, double hi) const;  // any finite number within [lo, hi]
  // One of the listed strings.
  std::string as_enum(std::initializer_list<const char*> choices) const;

  // Optional members: default when absent.
  int64_t get_int(const std::string& key, int64_t lo, int64_t hi, std::optional<int64_t> dflt = {}) const;
  double get_number(const std::string& key, double lo, double hi, std::optional<double> dflt = {}) const;
  std::string get_string(const std::string& key, std::optional<std::string> dflt = {}) const;

  [[noreturn]] void fail(const std::string& reason) const;

 private:
  const nlohmann::json* value_;
  std::string file_, path_;
};

// Stable short hash (FNV-1a 64, hex) of a JSON value's canonical dump.
std::string json_hash(const nlohmann::json& value);

}  // namespace enos::spec
