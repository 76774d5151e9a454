#include "contracts/recording/har_reader.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "spec/ascii.h"
#include "spec/media_type.h"

namespace pbxmock::contracts::recording {
namespace {

using nlohmann::json;

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;
  if (c == '/' || c == '_') return 63;
  return -1;
}

// "http://host:port/path?q#f" -> origin and target; an error names what is wrong.
Result<std::pair<std::string, std::string>, std::string> split_url(const std::string& url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return Err{"not an absolute URL: '" + url + "'"};
  const std::string scheme = spec::ascii::lower(url.substr(0, scheme_end));
  if (scheme != "http" && scheme != "https") return Err{"not an http(s) URL: '" + url + "'"};
  const auto path_start = url.find_first_of("/?#", scheme_end + 3);
  std::string origin = url.substr(0, path_start);
  std::string target = path_start == std::string::npos ? "/" : url.substr(path_start);
  if (const auto hash = target.find('#'); hash != std::string::npos) target.erase(hash);
  if (target.empty() || target[0] != '/') target.insert(0, "/");
  return std::pair{std::move(origin), std::move(target)};
}

// The HAR's member of the given type, or an error naming where it should have been.
Result<const json*, std::string> member(const json& object, const std::string& pointer, const char* key,
                                        json::value_t type) {
  const auto it = object.find(key);
  const std::string where = pointer + "/" + key;
  if (it == object.end()) return Err{where + ": missing"};
  const bool number_ok = type == json::value_t::number_integer && it->is_number_integer();
  if (it->type() != type && !number_ok) return Err{where + ": expected a " + std::string(json(type).type_name())};
  return &*it;
}

Result<std::vector<NameValue>, std::string> read_headers(const json& owner, const std::string& pointer) {
  std::vector<NameValue> out;
  const auto it = owner.find("headers");
  if (it == owner.end()) return out;
  if (!it->is_array()) return Err{pointer + "/headers: expected an array"};
  for (std::size_t i = 0; i < it->size(); ++i) {
    const json& h = (*it)[i];
    const std::string at = pointer + "/headers/" + std::to_string(i);
    if (!h.is_object() || !h.contains("name") || !h["name"].is_string() || !h.contains("value") || !h["value"].is_string()) {
      return Err{at + ": expected {name, value} strings"};
    }
    std::string name = h["name"].get<std::string>();
    if (!name.empty() && name[0] == ':') continue;
    out.emplace_back(std::move(name), h["value"].get<std::string>());
  }
  return out;
}

Result<HarEntry, std::string> read_entry(const json& entry, const std::string& pointer) {
  if (!entry.is_object()) return Err{pointer + ": expected an object"};
  auto request = member(entry, pointer, "request", json::value_t::object);
  if (!request) return Err{request.error()};
  auto response = member(entry, pointer, "response", json::value_t::object);
  if (!response) return Err{response.error()};
  const std::string rq = pointer + "/request";
  const std::string rs = pointer + "/response";
  auto method = member(**request, rq, "method", json::value_t::string);
  if (!method) return Err{method.error()};
  auto url = member(**request, rq, "url", json::value_t::string);
  if (!url) return Err{url.error()};
  auto status = member(**response, rs, "status", json::value_t::number_integer);
  if (!status) return Err{status.error()};

  HarEntry out;
  out.url = (*url)->get<std::string>();
  auto split = split_url(out.url);
  if (!split) return Err{rq + "/url: " + split.error()};
  out.origin = std::move(split->first);
  Exchange& e = out.exchange;
  e.request.method = spec::ascii::upper((*method)->get<std::string>());
  // A contract, and the HTTP line it stands for, can only name a method that is a token.
  if (!spec::is_token(e.request.method)) return Err{rq + "/method: not an HTTP method: '" + e.request.method + "'"};
  e.request.target = std::move(split->second);
  auto request_headers = read_headers(**request, rq);
  if (!request_headers) return Err{request_headers.error()};
  e.request.headers = std::move(request_headers.value());
  if (const auto post = (*request)->find("postData"); post != (*request)->end() && post->is_object()) {
    const auto text = post->find("text");
    if (text != post->end() && text->is_string()) e.request.body = text->get<std::string>();
  }

  e.response.status = (*status)->get<int>();
  auto response_headers = read_headers(**response, rs);
  if (!response_headers) return Err{response_headers.error()};
  e.response.headers = std::move(response_headers.value());
  if (const auto content = (*response)->find("content"); content != (*response)->end() && content->is_object()) {
    const auto text = content->find("text");
    if (text != content->end() && text->is_string()) {
      e.response.body = text->get<std::string>();
      const auto encoding = content->find("encoding");
      if (encoding != content->end() && encoding->is_string() && encoding->get<std::string>() == "base64") {
        auto decoded = decode_base64(e.response.body);
        if (!decoded) return Err{rs + "/content/text: not valid base64"};
        e.response.body = std::move(*decoded);
      }
    } else {
      const auto size = content->find("size");
      e.response.body_captured = size != content->end() && size->is_number() && size->get<double>() == 0;
    }
  } else {
    e.response.body_captured = false;
  }
  return out;
}

}  // namespace

std::optional<std::string> decode_base64(std::string_view text) {
  std::string out;
  unsigned bits = 0;
  int count = 0;
  for (const char c : text) {
    if (c == '=' || c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    const int v = base64_value(c);
    if (v < 0) return std::nullopt;
    bits = (bits << 6) | static_cast<unsigned>(v);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out += static_cast<char>((bits >> count) & 0xFF);
    }
  }
  return out;
}

std::string HarProblem::describe(const std::string& file) const {
  if (line > 0) return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message;
  return file + ": " + (pointer.empty() ? std::string("(root)") : pointer) + ": " + message;
}

// nlohmann's DOM parser, keeping where it failed: json::parse throws a number too large for a
// double (out_of_range 406, "2e888") without a position, and only parse errors were caught.
class PositionedParser : public nlohmann::detail::json_sax_dom_parser<json> {
 public:
  explicit PositionedParser(json& out) : json_sax_dom_parser(out, false) {}
  template <class Exception>
  bool parse_error(std::size_t byte, const std::string& token, const Exception& e) {
    byte_ = byte;
    token_ = token;
    what_ = e.what();
    return false;
  }
  std::size_t byte() const { return byte_; }
  const std::string& what() const { return what_; }
  const std::string& token() const { return token_; }

 private:
  std::size_t byte_ = 0;
  std::string token_;  // the last token read: for a number too large, the number
  std::string what_;
};

Result<std::vector<HarEntry>, HarProblem> read_har(std::string_view text) {
  json har;
  PositionedParser parser(har);
  if (!json::sax_parse(text.begin(), text.end(), &parser)) {
    // nlohmann says where by byte; a person reads lines and columns.
    HarProblem problem;
    const bool syntax = parser.what().find("parse error") != std::string::npos;
    std::size_t at = std::min<std::size_t>(parser.byte() == 0 ? 0 : parser.byte() - 1, text.size());
    // A syntax error is where reading stopped; a number too large, where the number began.
    if (!syntax && !parser.token().empty() && at + 1 >= parser.token().size()) at = at + 1 - parser.token().size();
    problem.line = 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
    const auto line_start = text.rfind('\n', at == 0 ? 0 : at - 1);
    problem.column = at - (line_start == std::string_view::npos || at == 0 ? 0 : line_start + 1) + 1;
    const std::string& what = parser.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 2: syntax error ..." or
    // "[json.exception.out_of_range.406] number overflow parsing '2e888'": the part after the where.
    const auto start = syntax ? what.find(':', what.find("parse error")) + 2 : what.find("] ") + 2;
    problem.message = "not JSON: " + what.substr(std::min(start, what.size()));
    return Err{std::move(problem)};
  }
  const auto fail = [](std::string pointer_and_message) {
    HarProblem problem;
    const auto colon = pointer_and_message.find(": ");
    problem.pointer = pointer_and_message.substr(0, colon);
    problem.message = colon == std::string::npos ? std::string() : pointer_and_message.substr(colon + 2);
    return Err{std::move(problem)};
  };
  if (!har.is_object()) return fail(": expected an object with 'log'");
  auto log = member(har, "", "log", json::value_t::object);
  if (!log) return fail(log.error());
  auto entries = member(**log, "/log", "entries", json::value_t::array);
  if (!entries) return fail(entries.error());
  std::vector<HarEntry> out;
  for (std::size_t i = 0; i < (*entries)->size(); ++i) {
    auto entry = read_entry((**entries)[i], "/log/entries/" + std::to_string(i));
    if (!entry) return fail(entry.error());
    out.push_back(std::move(entry.value()));
  }
  return out;
}

}  // namespace pbxmock::contracts::recording
