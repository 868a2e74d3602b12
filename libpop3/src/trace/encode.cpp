#include <stdexcept>

#include "byte_string.hpp"
#include "json_codec.hpp"
#include "pop3/trace/jsonl.hpp"
#include "pop3/trace/timestamp.hpp"

namespace pop3::trace::detail {
namespace {

std::string dir(Direction d) {
  return std::string(direction_name(d));
}
std::string chan(Channel c) {
  return std::string(channel_name(c));
}

Json byte_list(const std::vector<std::string>& items) {
  Json list = Json::array();
  for (const auto& item : items)
    list.push_back(bytes_to_json(item));
  return list;
}

Json optional_bytes(const std::optional<std::string>& value) {
  return value ? bytes_to_json(*value) : Json(nullptr);
}

// The type-specific fields, appended to the envelope in `j`.
struct Fields {
  Json& j;

  void operator()(const HeaderRecord& r) const {
    if (r.version < 1 || r.minor < 0) throw std::invalid_argument("trace header: bad version");
    j["format"] = std::string(kFormatName);
    j["version"] = r.version;
    j["minor"] = r.minor;
    j["producer"] = bytes_to_json(r.producer);
    j["created"] = format_timestamp(r.created);
  }
  void operator()(const SessionStartRecord& r) const {
    j["role"] = std::string(role_name(r.role));
    j["peer"] = bytes_to_json(r.peer);
    j["label"] = bytes_to_json(r.label);
    j["channel"] = chan(r.channel);
  }
  void operator()(const AppBytesRecord& r) const {
    j["dir"] = dir(r.direction);
    j["offset"] = r.offset;
    j["bytes"] = bytes_to_json(r.bytes);
    j["redacted"] = r.redacted;
  }
  void operator()(const WireBytesRecord& r) const {
    j["dir"] = dir(r.direction);
    j["channel"] = chan(r.channel);
    j["offset"] = r.offset;
    j["bytes"] = bytes_to_json(r.bytes);
    j["redacted"] = r.redacted;
  }
  void operator()(const CommandRecord& r) const {
    j["verb"] = bytes_to_json(r.verb);
    j["args"] = byte_list(r.args);
    j["redacted"] = r.redacted;
  }
  void operator()(const ReplyRecord& r) const {
    j["verb"] = optional_bytes(r.verb);
    j["greeting"] = r.greeting;
    j["status"] = std::string(status_token(r.status));
    j["code"] = optional_bytes(r.code);
    j["text"] = bytes_to_json(r.text);
    j["multiline"] = r.multiline;
    j["body_lines"] = r.body_lines;
    j["body_octets"] = r.body_octets;
    if (r.lines) j["lines"] = byte_list(*r.lines);
  }
  void operator()(const StateChangeRecord& r) const {
    j["from"] = bytes_to_json(r.from);
    j["to"] = bytes_to_json(r.to);
    j["why"] = bytes_to_json(r.why);
  }
  void operator()(const TlsRequestedRecord&) const {}
  void operator()(const TlsEstablishedRecord& r) const {
    j["version"] = bytes_to_json(r.version);
    j["cipher"] = bytes_to_json(r.cipher);
  }
  void operator()(const TlsFailedRecord& r) const { j["reason"] = bytes_to_json(r.reason); }
  void operator()(const AuthStepRecord& r) const {
    j["mechanism"] = bytes_to_json(r.mechanism);
    j["dir"] = dir(r.direction);
    j["description"] = bytes_to_json(r.description);
  }
  void operator()(const ExposureRecord& r) const {
    j["dir"] = dir(r.direction);
    j["offset"] = r.offset;
    j["length"] = r.length;
    j["kind"] = bytes_to_json(r.kind);
    j["label"] = bytes_to_json(r.label);
    j["channel"] = chan(r.channel);
  }
  void operator()(const InjectionDiscardedRecord& r) const {
    j["dir"] = dir(r.direction);
    j["octets"] = r.octets;
  }
  void operator()(const ViolationRecord& r) const {
    j["error"] = bytes_to_json(r.error);
    j["kind"] = bytes_to_json(r.kind);
    j["message"] = bytes_to_json(r.message);
    j["detail"] = bytes_to_json(r.detail);
    j["fatal"] = r.fatal;
  }
  void operator()(const NoteRecord& r) const { j["text"] = bytes_to_json(r.text); }
  void operator()(const SessionEndRecord& r) const {
    j["update_done"] = r.update_done;
    j["reason"] = bytes_to_json(r.reason);
  }
};

}  // namespace

Json record_to_json(const Record& record) {
  Json j = Json::object();
  j["type"] = std::string(record_type_name(record.body));
  j["session"] = bytes_to_json(record.session);
  j["seq"] = record.seq;
  j["t"] = record.t.count();
  std::visit(Fields{j}, record.body);
  return j;
}

}  // namespace pop3::trace::detail

namespace pop3::trace {

std::string encode_line(const Record& record) {
  // strict: every string was checked by bytes_to_json, so invalid UTF-8 here is a bug.
  return detail::record_to_json(record).dump(-1, ' ', false,
                                             nlohmann::ordered_json::error_handler_t::strict);
}

}  // namespace pop3::trace
