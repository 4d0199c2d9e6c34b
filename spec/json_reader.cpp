#include "spec/json_reader.hpp"

#include "spec/limits.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace enos::spec {

SpecError::SpecError(std::string file, std::string path, std::string reason)
    : std::runtime_error(file + ": " + path + ": " + reason),
      file_(std::move(file)),
      path_(std::move(path)),
      reason_(std::move(reason)) {}

namespace {

// Short rendering of an offending value for messages; long arrays/objects are cut so one
// bad element does not flood the terminal.
std::string show(const nlohmann::json& v) {
  std::string s = v.dump();
  if (s.size() <= 48) return s;
  // Cut at a character boundary: messages end up in JSON reports, which need valid UTF-8.
  std::size_t cut = 45;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return s.substr(0, cut) + "...";
}

std::string type_phrase(const nlohmann::json& v) {
  if (v.is_null()) return "null";
  if (v.is_object()) return "an object";
  if (v.is_array()) return "an array";
  return show(v);
}

// Levenshtein distance, to suggest the key a user probably meant.
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

std::string format_number(double v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

// Line and column (1-based) of a byte offset; nlohmann reports the offset of the last byte it
// read, which is where the user should look.
std::pair<std::size_t, std::size_t> line_column(const std::string& text, std::size_t byte) {
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i + 1 < byte && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

// nlohmann's message starts with "[json.exception...] parse error at line L, column C: ";
// keep only the part after it, since we print our own position.
std::string strip_parse_prefix(const std::string& what) {
  auto col = what.find("column");
  auto colon = what.find(": ", col == std::string::npos ? 0 : col);
  return colon == std::string::npos ? what : what.substr(colon + 2);
}

// "number 1e999 at line L, column C is beyond a double's range", from nlohmann's
// "... number overflow parsing '1e999'", which has no position: the first occurrence of the
// number's text is where it is.
std::string number_overflow(const std::string& text, const std::string& what) {
  const auto open = what.find('\''), close = what.rfind('\'');
  if (open == std::string::npos || close <= open) return strip_parse_prefix(what);
  const std::string number = what.substr(open + 1, close - open - 1);
  std::string where;
  if (const auto at = text.find(number); at != std::string::npos) {
    const auto [line, column] = line_column(text, at + 1);
    where = " at line " + std::to_string(line) + ", column " + std::to_string(column);
  }
  return "number " + number + where + " is beyond a double's range";
}

// nlohmann keeps the last of duplicate object keys silently; a duplicate in a config is almost
// always a copy-paste mistake, so the parser callback reports it with its JSON path. The
// callback also bounds the nesting (kMaxJsonDepth). Each level keeps only its own key or
// index, so memory grows with the depth, not its square; the path is spelled out only for a
// message.
class DuplicateKeyCheck {
 public:
  DuplicateKeyCheck(std::string file, std::string root) : file_(std::move(file)), root_(std::move(root)) {}

  bool operator()(int, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    using E = nlohmann::json::parse_event_t;
    switch (event) {
      case E::object_start: push(true); break;
      case E::array_start: push(false); break;
      case E::key: on_key(parsed.get<std::string>()); break;
      case E::object_end:
      case E::array_end: frames_.pop_back(); element_done(); break;
      case E::value: element_done(); break;
    }
    return true;
  }

 private:
  struct Frame {
    bool object;
    std::set<std::string> keys;
    std::string key;
    std::size_t index = 0;
  };

  // The path of frame `depth` (frames_[0] is the root value).
  std::string path_of(std::size_t depth) const {
    std::string path = root_;
    for (std::size_t i = 0; i < depth; ++i) {
      const Frame& f = frames_[i];
      path += f.object ? "." + f.key : "[" + std::to_string(f.index) + "]";
    }
    return path;
  }
  void push(bool object) {
    if (frames_.size() >= std::size_t(kMaxJsonDepth))
      throw SpecError(file_, path_of(frames_.size()),
                      "nested deeper than " + std::to_string(kMaxJsonDepth) + " levels (the limit of every JSON input)");
    frames_.push_back({object, {}, {}, 0});
  }
  void element_done() {
    if (!frames_.empty() && !frames_.back().object) ++frames_.back().index;
  }
  void on_key(const std::string& key) {
    Frame& f = frames_.back();
    if (!f.keys.insert(key).second)
      throw SpecError(file_, path_of(frames_.size() - 1), "duplicate key '" + key + "'");
    f.key = key;
  }

  std::string file_, root_;
  std::vector<Frame> frames_;
};

// The whole file, refused beyond kMaxJsonBytes before it is read (a FIFO or a growing file
// is cut off at the limit, not read to the end).
std::string read_text(const std::string& file) {
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec)) throw SpecError(file, "(file)", "is a folder, not a JSON file");
  std::ifstream in(file, std::ios::binary);
  if (!in) throw SpecError(file, "(file)", "cannot open file (missing or unreadable)");
  const std::string too_big = "larger than " + format_bytes(double(kMaxJsonBytes)) + " (the limit of every JSON input)";
  const auto size = std::filesystem::file_size(file, ec);
  if (!ec && size > uint64_t(kMaxJsonBytes)) throw SpecError(file, "(file)", too_big);
  std::string text;
  char chunk[1 << 16];
  while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
    text.append(chunk, std::size_t(in.gcount()));
    if (int64_t(text.size()) > kMaxJsonBytes) throw SpecError(file, "(file)", too_big);
  }
  if (in.bad()) throw SpecError(file, "(file)", "read failed");
  return text;
}

}  // namespace

nlohmann::json load_json_file(const std::string& file) { return load_json_file(file, "(document)"); }

nlohmann::json load_json_file(const std::string& file, const std::string& root) {
  return parse_json_text(read_text(file), file, root);
}

nlohmann::json parse_json_text(const std::string& text, const std::string& file, const std::string& root) {
  if (int64_t(text.size()) > kMaxJsonBytes)
    throw SpecError(file, "(file)", "larger than " + format_bytes(double(kMaxJsonBytes)) + " (the limit of every JSON input)");
  try {
    return nlohmann::json::parse(text, DuplicateKeyCheck(file, root));
  } catch (const nlohmann::json::parse_error& e) {
    auto [line, column] = line_column(text, e.byte);
    throw SpecError(file, "(document)",
                    "invalid JSON at line " + std::to_string(line) + ", column " +
                        std::to_string(column) + ": " + strip_parse_prefix(e.what()));
  } catch (const nlohmann::json::out_of_range& e) {
    // A number beyond a double (1e999): nlohmann reports it without a position (found by
    // fuzz_arch; it was an internal error, exit 4).
    throw SpecError(file, "(document)", "invalid JSON: " + number_overflow(text, e.what()));
  }
}

JsonNode::JsonNode(const nlohmann::json& value, std::string file, std::string path)
    : value_(&value), file_(std::move(file)), path_(std::move(path)) {}

void JsonNode::fail(const std::string& reason) const { throw SpecError(file_, path_, reason); }

void JsonNode::expect_object() const {
  if (!value_->is_object()) fail("expected an object, got " + type_phrase(*value_));
}

void JsonNode::expect_array() const {
  if (!value_->is_array()) fail("expected an array, got " + type_phrase(*value_));
}

bool JsonNode::has(const std::string& key) const {
  return value_->is_object() && value_->contains(key);
}

JsonNode JsonNode::at(const std::string& key) const {
  expect_object();
  std::string child = path_ + "." + key;
  auto it = value_->find(key);
  if (it == value_->end()) throw SpecError(file_, child, "required key is missing");
  return JsonNode(*it, file_, child);
}

JsonNode JsonNode::at(std::size_t index) const {
  expect_array();
  if (index >= value_->size())
    fail("index " + std::to_string(index) + " out of range (size " + std::to_string(value_->size()) + ")");
  return JsonNode((*value_)[index], file_, path_ + "[" + std::to_string(index) + "]");
}

std::size_t JsonNode::size() const {
  expect_array();
  return value_->size();
}

std::vector<std::string> JsonNode::keys() const {
  expect_object();
  std::vector<std::string> out;
  for (auto it = value_->begin(); it != value_->end(); ++it) out.push_back(it.key());
  return out;
}

void JsonNode::reject_unknown_keys(std::initializer_list<const char*> allowed) const {
  expect_object();
  for (const std::string& key : keys()) {
    std::string list, suggestion;
    bool known = false;
    for (const char* a : allowed) {
      known = known || key == a;
      list += (list.empty() ? "" : ", ") + std::string(a);
      if (suggestion.empty() && edit_distance(key, a) <= 2) suggestion = a;
    }
    if (known) continue;
    std::string reason = "unknown key '" + key + "' (allowed: " + list + ")";
    if (!suggestion.empty()) reason += "; did you mean '" + suggestion + "'?";
    fail(reason);
  }
}

std::string JsonNode::as_string() const {
  if (!value_->is_string()) fail("expected a string, got " + type_phrase(*value_));
  return value_->get<std::string>();
}

bool JsonNode::as_bool() const {
  if (!value_->is_boolean()) fail("expected true or false, got " + type_phrase(*value_));
  return value_->get<bool>();
}

int64_t JsonNode::as_int(int64_t lo, int64_t hi) const {
  const nlohmann::json& v = *value_;
  // Exporters (Python's json, spreadsheets) often write 16 as 16.0; accept integral floats.
  bool integral_float = v.is_number_float() && std::isfinite(v.get<double>()) &&
                        std::floor(v.get<double>()) == v.get<double>();
  if (!v.is_number_integer() && !v.is_number_unsigned() && !integral_float)
    fail("expected an integer, got " + type_phrase(v));
  if (v.is_number_unsigned() && v.get<uint64_t>() > uint64_t(INT64_MAX))
    fail("must be ≤ " + std::to_string(hi) + ", got " + v.dump());
  if (integral_float && std::fabs(v.get<double>()) > 9e18)
    fail("must be within [" + std::to_string(lo) + ", " + std::to_string(hi) + "], got " + v.dump());
  int64_t x = integral_float ? int64_t(v.get<double>()) : v.get<int64_t>();
  if (x < lo) fail("must be ≥ " + std::to_string(lo) + ", got " + std::to_string(x));
  if (x > hi) fail("must be ≤ " + std::to_string(hi) + ", got " + std::to_string(x));
  return x;
}

double JsonNode::as_number(double lo, double hi) const {
  if (!value_->is_number()) fail("expected a number, got " + type_phrase(*value_));
  double x = value_->get<double>();
  if (!std::isfinite(x)) fail("must be finite, got " + value_->dump());
  if (x < lo) fail("must be ≥ " + format_number(lo) + ", got " + format_number(x));
  if (x > hi) fail("must be ≤ " + format_number(hi) + ", got " + format_number(x));
  return x;
}

std::string JsonNode::as_enum(std::initializer_list<const char*> choices) const {
  std::string s = as_string();
  std::string list;
  for (const char* c : choices) {
    if (s == c) return s;
    list += (list.empty() ? "" : ", ") + std::string(c);
  }
  fail("must be one of " + list + ", got \"" + s + "\"");
}

int64_t JsonNode::get_int(const std::string& key, int64_t lo, int64_t hi, std::optional<int64_t> dflt) const {
  if (!has(key) && dflt) return *dflt;
  return at(key).as_int(lo, hi);
}

double JsonNode::get_number(const std::string& key, double lo, double hi, std::optional<double> dflt) const {
  if (!has(key) && dflt) return *dflt;
  return at(key).as_number(lo, hi);
}

std::string JsonNode::get_string(const std::string& key, std::optional<std::string> dflt) const {
  if (!has(key) && dflt) return *dflt;
  return at(key).as_string();
}

std::string json_hash(const nlohmann::json& value) {
  // FNV-1a 64: tiny, dependency-free and stable across platforms; nlohmann's dump() of an
  // object is canonical (keys sorted), so equal documents hash equally whatever their layout.
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : value.dump()) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace enos::spec
