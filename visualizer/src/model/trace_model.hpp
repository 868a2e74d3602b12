#pragma once
// TraceModel: the one model every panel of pop3-viz draws. It holds trace records in the
// order they came (append-only), indexes them per session, and keeps derived views up to
// date as records arrive: each session's transcript, state changes, TLS status, exposures,
// wire and application bytes cut into rows. Panels ask for views *as of the cursor*: the
// timeline position, "records [0, cursor)". Following the end ("live"), the cursor moves
// with every append; scrubbing back pins it.
//
// No ImGui here: the model is tested without a window (tests/visualizer).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/byte_log.hpp"
#include "model/transcript.hpp"
#include "pop3/trace/record.hpp"

namespace pop3::viz {

struct StateEntry {
  std::size_t record = 0;
  std::string from;
  std::string to;
  std::string why;
};

enum class TlsStatus : std::uint8_t { None, Requested, Established, Failed };

struct TlsView {
  TlsStatus status = TlsStatus::None;
  bool implicit = false;  // the session started under TLS (port 995)
  std::string version, cipher, failure;
};

struct ExposureEntry {
  std::size_t record = 0;
  std::size_t session = 0;
  Direction dir = Direction::ClientToServer;
  std::uint64_t offset = 0;  // in the application stream of `dir`
  std::uint64_t length = 0;
  std::string kind;   // cleartext, base64, digest, salted-proof, none
  std::string label;  // "PASS argument"
  trace::Channel channel = trace::Channel::Plain;
};

struct Session {
  std::string id;
  bool started = false;  // a session_start record was seen
  trace::Role role = trace::Role::Client;
  std::string peer, label;
  trace::Channel start_channel = trace::Channel::Plain;
  std::vector<std::size_t> records;  // model indexes of this session's records
  std::vector<StateEntry> states;
  Transcript transcript;
  ByteLog app;                         // application bytes (app records)
  ByteLog wire;                        // wire bytes (wire records): the eavesdropper's view
  std::vector<std::size_t> exposures;  // indexes into TraceModel::exposures()
  std::optional<std::size_t> tls_requested, tls_established, tls_failed;
  std::string tls_version, tls_cipher, tls_failure;
  std::optional<std::size_t> ended;  // the session_end record
  bool update_done = false;
  std::string end_reason;
};

// A selected piece of the conversation, shared by every panel. A row is selected when it
// is the same record, or when its bytes overlap the selection's bytes in the same
// direction: client and server share application offsets, and before TLS those equal the
// TCP offsets of the wire, so one line lights up in the transcript of both sides and on
// the wire. Rows of two sessions of the same role (two connections to one server) never
// match by bytes.
struct ByteRef {
  std::size_t record = 0;
  std::size_t session = 0;
  Direction dir = Direction::ClientToServer;
  bool has_range = false;
  std::uint64_t begin = 0, end = 0;
  bool wire = false;    // TCP-stream offsets (a wire row), else application offsets
  bool pre_tls = true;  // application bytes that crossed before TLS (or plain wire bytes)
};

class TraceModel {
 public:
  TraceModel() = default;
  TraceModel(const TraceModel&) = delete;
  TraceModel& operator=(const TraceModel&) = delete;

  // --- records --------------------------------------------------------------------
  void clear();
  void append(trace::Record record);
  void set_header(std::optional<trace::Record> header) { header_ = std::move(header); }
  [[nodiscard]] const std::optional<trace::Record>& header() const noexcept { return header_; }
  [[nodiscard]] const std::vector<trace::Record>& records() const noexcept { return records_; }
  [[nodiscard]] std::size_t size() const noexcept { return records_.size(); }
  // Changes with every append and clear: caches key on it.
  [[nodiscard]] std::uint64_t revision() const noexcept { return revision_; }
  // Bumped by clear() only: a new conversation (panels drop what they remembered).
  [[nodiscard]] std::uint64_t generation() const noexcept { return generation_; }

  // --- sessions -------------------------------------------------------------------
  [[nodiscard]] const std::vector<Session>& sessions() const noexcept { return sessions_; }
  [[nodiscard]] const Session& session(std::size_t i) const { return sessions_.at(i); }
  [[nodiscard]] std::optional<std::size_t> find_session(std::string_view id) const noexcept;
  [[nodiscard]] std::size_t session_of(std::size_t record) const {
    return record_session_.at(record);
  }
  // The session a one-session panel shows: the one chosen, else the newest client session
  // begun before the cursor, else the newest server session, else the first with a
  // transcript.
  [[nodiscard]] std::optional<std::size_t> focus() const noexcept;
  void set_focus(std::size_t session) noexcept { focus_ = session; }
  // The session whose bytes the wire panel shows: the focused session if it has wire
  // records (a server's trace), else the simulator's link of the focused connection
  // ("client-2" -> "link-2"), else any with wire records; nullopt if none has any.
  [[nodiscard]] std::optional<std::size_t> wire_session() const noexcept;
  [[nodiscard]] const std::vector<ExposureEntry>& exposures() const noexcept { return exposures_; }

  // --- the cursor -------------------------------------------------------------------
  [[nodiscard]] std::size_t cursor() const noexcept { return live_ ? records_.size() : cursor_; }
  void set_cursor(std::size_t cursor) noexcept;  // pins it (live off) unless at the end
  [[nodiscard]] bool live() const noexcept { return live_; }
  void set_live(bool live) noexcept;

  // --- the selection ----------------------------------------------------------------
  [[nodiscard]] const std::optional<ByteRef>& selection() const noexcept { return selection_; }
  void select(const ByteRef& ref) { selection_ = ref; }
  void clear_selection() noexcept { selection_.reset(); }
  [[nodiscard]] bool is_selected(const ByteRef& ref) const noexcept;

  // --- views as of a cursor -------------------------------------------------------
  // "" before the session started (and always for the simulator's link, which has no
  // protocol state); AUTHORIZATION once started, then each change's `to`.
  [[nodiscard]] std::string state_at(std::size_t session, std::size_t cursor) const;
  // The last state change before the cursor.
  [[nodiscard]] const StateEntry* last_change_at(std::size_t session, std::size_t cursor) const;
  [[nodiscard]] TlsView tls_at(std::size_t session, std::size_t cursor) const;
  // Number of rows of a list whose first record is before the cursor (rows sorted by
  // record): for clipping a list to the timeline.
  template <class Rows, class RecordOf>
  [[nodiscard]] static std::size_t visible_count(const Rows& rows, std::size_t cursor,
                                                 RecordOf record_of);
  // Transcript rows of a session whose record is before the cursor.
  [[nodiscard]] std::size_t transcript_rows_at(std::size_t session, std::size_t cursor) const;

 private:
  Session& session_for(const std::string& id);
  void index(std::size_t i);

  std::vector<trace::Record> records_;
  std::vector<std::uint32_t> record_session_;
  std::optional<trace::Record> header_;
  std::vector<Session> sessions_;
  std::unordered_map<std::string, std::size_t> session_index_;  // a server trace may hold thousands
  std::vector<ExposureEntry> exposures_;
  std::uint64_t revision_ = 0;
  std::uint64_t generation_ = 0;
  std::size_t cursor_ = 0;
  bool live_ = true;
  std::optional<ByteRef> selection_;
  std::optional<std::size_t> focus_;
};

template <class Rows, class RecordOf>
std::size_t TraceModel::visible_count(const Rows& rows, std::size_t cursor, RecordOf record_of) {
  std::size_t lo = 0, hi = rows.size();
  while (lo < hi) {
    const std::size_t mid = lo + (hi - lo) / 2;
    if (record_of(rows[mid]) < cursor)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

}  // namespace pop3::viz
