#include <functional>
#include <map>

#include "json_codec.hpp"
#include "json_fields.hpp"
#include "pop3/trace/jsonl.hpp"
#include "pop3/trace/timestamp.hpp"

namespace pop3::trace::detail {
namespace {

Direction direction(const JsonFields& f, std::string_view key = "dir") {
  Direction d{};
  if (!parse_direction_name(f.text(key), d)) {
    throw FieldError("field \"" + std::string(key) + "\" must be \"c2s\" or \"s2c\"");
  }
  return d;
}

Channel channel(const JsonFields& f) {
  Channel c{};
  if (!parse_channel_name(f.text("channel"), c)) {
    throw FieldError("field \"channel\" must be \"plain\" or \"tls\"");
  }
  return c;
}

Status status(const JsonFields& f) {
  const std::string token = f.text("status");
  for (Status s : {Status::Ok, Status::Err, Status::Continue}) {
    if (status_token(s) == token) return s;
  }
  throw FieldError("field \"status\" must be \"+OK\", \"-ERR\" or \"+\"");
}

int small_int(const JsonFields& f, std::string_view key) {
  const std::uint64_t value = f.unsigned_integer(key);
  if (value > 1'000'000) throw FieldError("field \"" + std::string(key) + "\" is too large");
  return static_cast<int>(value);
}

Body header(const JsonFields& f) {
  if (f.text("format") != kFormatName) {
    throw FieldError("field \"format\" must be \"" + std::string(kFormatName) + "\"");
  }
  HeaderRecord r;
  r.version = small_int(f, "version");
  r.minor = small_int(f, "minor");
  r.producer = f.bytes("producer");
  const auto created = parse_timestamp(f.text("created"));
  if (!created) {
    throw FieldError("field \"created\" must be an RFC 3339 UTC time like 2024-05-01T12:00:00Z");
  }
  r.created = *created;
  return r;
}

Body session_start(const JsonFields& f) {
  SessionStartRecord r;
  if (!parse_role_name(f.text("role"), r.role)) {
    throw FieldError("field \"role\" must be \"client\", \"server\" or \"simulator\"");
  }
  r.peer = f.bytes("peer");
  r.label = f.bytes("label");
  r.channel = channel(f);
  return r;
}

Body app(const JsonFields& f) {
  return AppBytesRecord{direction(f), f.unsigned_integer("offset"), f.bytes("bytes"),
                        f.boolean("redacted")};
}

Body wire(const JsonFields& f) {
  return WireBytesRecord{direction(f), channel(f), f.unsigned_integer("offset"), f.bytes("bytes"),
                         f.boolean("redacted")};
}

Body command(const JsonFields& f) {
  return CommandRecord{f.bytes("verb"), f.byte_list("args"), f.boolean("redacted")};
}

Body reply(const JsonFields& f) {
  ReplyRecord r;
  r.verb = f.optional_bytes("verb");
  r.greeting = f.boolean("greeting");
  r.status = status(f);
  r.code = f.optional_bytes("code");
  r.text = f.bytes("text");
  r.multiline = f.boolean("multiline");
  r.body_lines = f.unsigned_integer("body_lines");
  r.body_octets = f.unsigned_integer("body_octets");
  r.lines = f.optional_byte_list("lines");
  return r;
}

Body state(const JsonFields& f) {
  return StateChangeRecord{f.bytes("from"), f.bytes("to"), f.bytes("why")};
}

Body tls_requested(const JsonFields&) {
  return TlsRequestedRecord{};
}

Body tls_established(const JsonFields& f) {
  return TlsEstablishedRecord{f.bytes("version"), f.bytes("cipher")};
}

Body tls_failed(const JsonFields& f) {
  return TlsFailedRecord{f.bytes("reason")};
}

Body auth_step(const JsonFields& f) {
  return AuthStepRecord{f.bytes("mechanism"), direction(f), f.bytes("description")};
}

Body exposure(const JsonFields& f) {
  return ExposureRecord{direction(f),
                        f.unsigned_integer("offset"),
                        f.unsigned_integer("length"),
                        f.bytes("kind"),
                        f.bytes("label"),
                        channel(f)};
}

Body injection_discarded(const JsonFields& f) {
  return InjectionDiscardedRecord{direction(f), f.unsigned_integer("octets")};
}

Body violation(const JsonFields& f) {
  return ViolationRecord{f.bytes("error"), f.bytes("kind"), f.bytes("message"), f.bytes("detail"),
                         f.boolean("fatal")};
}

Body note(const JsonFields& f) {
  return NoteRecord{f.bytes("text")};
}

Body session_end(const JsonFields& f) {
  return SessionEndRecord{f.boolean("update_done"), f.bytes("reason")};
}

using Decoder = Body (*)(const JsonFields&);

const std::map<std::string, Decoder, std::less<>>& decoders() {
  static const std::map<std::string, Decoder, std::less<>> table{
      {"header", header},
      {"session_start", session_start},
      {"app", app},
      {"wire", wire},
      {"command", command},
      {"reply", reply},
      {"state", state},
      {"tls_requested", tls_requested},
      {"tls_established", tls_established},
      {"tls_failed", tls_failed},
      {"auth_step", auth_step},
      {"exposure", exposure},
      {"injection_discarded", injection_discarded},
      {"violation", violation},
      {"note", note},
      {"session_end", session_end},
  };
  return table;
}

}  // namespace

DecodeResult record_from_json(const Json& value) {
  if (!value.is_object()) return DecodeError{"a record must be a JSON object"};
  const JsonFields fields(value);
  try {
    const std::string type = fields.text("type");
    const auto decoder = decoders().find(type);
    if (decoder == decoders().end()) return UnknownRecordType{type};
    Record record;
    record.session = fields.bytes("session");
    record.seq = fields.unsigned_integer("seq");
    record.t = Micros{fields.integer("t")};
    record.body = decoder->second(fields);
    return record;
  } catch (const FieldError& e) {
    const auto type = value.find("type");
    const std::string prefix = type != value.end() && type->is_string()
                                   ? "\"" + type->get<std::string>() + "\" record: "
                                   : std::string();
    return DecodeError{prefix + e.what()};
  }
}

std::variant<Json, DecodeError> parse_json_line(std::string_view line) {
  try {
    return Json::parse(line);
  } catch (const Json::parse_error& e) {
    // nlohmann's text says "line 1, column N" of a one-line document; keep the reason and
    // the column, the reader adds the real line number.
    const std::string what = e.what();
    const auto column = what.find("column");
    const auto colon = what.find(": ", column == std::string::npos ? 0 : column);
    const std::string reason = colon == std::string::npos ? what : what.substr(colon + 2);
    return DecodeError{"not valid JSON at column " + std::to_string(e.byte) + ": " + reason};
  } catch (const Json::exception& e) {
    // Valid syntax nlohmann cannot hold, such as a number beyond a double (1e500,
    // out_of_range.406): still a bad line to report, never an exception out of the reader.
    const std::string what = e.what();
    const auto bracket = what.find("] ");
    return DecodeError{"not a usable JSON value: " +
                       (bracket == std::string::npos ? what : what.substr(bracket + 2))};
  }
}

}  // namespace pop3::trace::detail

namespace pop3::trace {

DecodeResult decode_line(std::string_view line) {
  auto parsed = detail::parse_json_line(line);
  if (auto* error = std::get_if<DecodeError>(&parsed)) return std::move(*error);
  return detail::record_from_json(std::get<detail::Json>(parsed));
}

}  // namespace pop3::trace
