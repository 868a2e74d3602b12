#include "model/exposure_view.hpp"

#include <algorithm>

#include "model/text.hpp"
#include "pop3/auth/base64.hpp"
#include "pop3/core/exposure.hpp"

namespace pop3::viz {

namespace {

std::string consequence(const std::string& observed) {
  if (observed == "encrypted")
    return "Nothing: the secret crossed inside TLS, and the observer sees only ciphertext.";
  pop3::Exposure e{};
  if (pop3::parse_exposure_name(observed, e)) return std::string(pop3::exposure_consequence(e));
  return "An exposure kind this build does not know: " + observed + ".";
}

}  // namespace

ExposureView describe(const TraceModel& model, const ExposureEntry& x, std::size_t cursor) {
  ExposureView v;
  v.exposure = &x;
  trace::ExposureRecord rec;
  rec.kind = x.kind;
  rec.channel = x.channel;
  v.observed = std::string(trace::observed_exposure(rec));
  v.readable = x.channel == trace::Channel::Plain && x.kind != "none";
  v.learned = consequence(v.observed);

  const Session& s = model.session(x.session);
  if (x.channel == trace::Channel::Plain) {
    // Before TLS a direction's application offsets are its TCP offsets: the secret sits at
    // the same place on the wire.
    const ByteLog& log = s.wire.empty() ? s.app : s.wire;
    const std::string& stream = log.stream(x.dir);
    const std::uint64_t have = log.end_at(x.dir, cursor);
    if (x.offset + x.length <= have && x.offset + x.length <= stream.size()) {
      v.crossed = true;
      v.seen =
          stream.substr(static_cast<std::size_t>(x.offset), static_cast<std::size_t>(x.length));
      v.redacted = !v.seen.empty() &&
                   std::all_of(v.seen.begin(), v.seen.end(), [](char c) { return c == '*'; });
      if (!v.redacted && x.kind != "cleartext") {
        // AUTH PLAIN/LOGIN, CRAM-MD5 and SCRAM lines are base64 of text (NULs in PLAIN); an
        // APOP digest is hex, which may also parse as base64 but decodes to noise.
        auto text = auth::base64_decode(v.seen);
        const bool readable =
            text && !text->empty() && std::all_of(text->begin(), text->end(), [](char c) {
              const auto u = static_cast<unsigned char>(c);
              return u == 0 || (u >= 0x20 && u < 0x7F);
            });
        if (readable) v.decoded = std::move(text);
      }
    }
  } else if (!s.wire.empty()) {
    // Under TLS the session announces the secret before it writes the bytes: the first
    // application_data record that direction sends after the announcement carries them.
    for (std::size_t i : s.wire.rows_of(x.dir)) {
      const ByteRow& row = s.wire.rows()[i];
      if (row.first_record < x.record || row.channel != trace::Channel::Tls || row.tls_type != 23)
        continue;
      if (row.first_record >= cursor) break;
      v.crossed = true;
      v.ciphertext = std::string(s.wire.bytes(row));
      v.tls_type = row.tls_type;
      break;
    }
  } else {
    v.crossed = x.record < cursor;
  }
  return v;
}

std::vector<const ExposureEntry*> observer_exposures(const TraceModel& model, std::size_t cursor) {
  // The eavesdropper's own records (every simulator link, a lab may connect several
  // times); without them, one side's: the client's, else the server's (both sides report
  // each secret, and one report is enough).
  // The role is chosen on the whole trace, so that scrubbing does not switch views.
  std::vector<const ExposureEntry*> out;
  for (trace::Role role : {trace::Role::Simulator, trace::Role::Client, trace::Role::Server}) {
    bool has = false;
    for (const auto& x : model.exposures())
      if (model.session(x.session).started && model.session(x.session).role == role) has = true;
    if (!has) continue;
    for (const auto& x : model.exposures()) {
      if (x.record >= cursor) break;
      const Session& s = model.session(x.session);
      if (s.started && s.role == role) out.push_back(&x);
    }
    return out;
  }
  for (const auto& x : model.exposures())
    if (x.record < cursor) out.push_back(&x);
  return out;
}

}  // namespace pop3::viz
