// The TRANSACTION and UPDATE side of ServerSession: STAT, LIST, UIDL, RETR, TOP, DELE,
// RSET and QUIT, with message bodies streamed from the maildrop.
#include <algorithm>
#include <exception>

#include "ascii.hpp"
#include "pop3/core/codec.hpp"
#include "pop3/core/command_table.hpp"
#include "pop3/core/server_session.hpp"
#include "server_streaming.hpp"

namespace pop3 {
namespace {
constexpr std::size_t kChunk = 64 * 1024;
}  // namespace

void ServerSession::do_stat() {
  reply(Status::Ok,
        std::to_string(maildrop_->live_count()) + " " + std::to_string(maildrop_->live_octets()));
}

std::optional<std::size_t> ServerSession::message_number(const std::string& arg,
                                                         bool allow_deleted) {
  const auto n = detail::parse_decimal(arg).value_or(0);
  if (n == 0 || n > maildrop_->count()) {
    error_reply(
        Errc::no_such_message,
        "no such message, only " + std::to_string(maildrop_->count()) + " messages in maildrop");
    return std::nullopt;
  }
  const auto number = static_cast<std::size_t>(n);
  if (!allow_deleted && maildrop_->is_deleted(number)) {
    error_reply(Errc::message_deleted, "message " + arg + " already deleted");
    return std::nullopt;
  }
  return number;
}

void ServerSession::do_list(const Command& c, bool uidl) {
  auto value = [&](std::size_t n) {
    return uidl ? maildrop_->info(n).uidl : std::to_string(maildrop_->info(n).octets);
  };
  if (!c.args.empty()) {
    if (auto n = message_number(c.args[0], false))
      reply(Status::Ok, std::to_string(*n) + " " + value(*n));
    return;
  }
  std::vector<std::string> lines;
  for (std::size_t n = 1; n <= maildrop_->count(); ++n)
    if (!maildrop_->is_deleted(n)) lines.push_back(std::to_string(n) + " " + value(n));
  const std::string text = uidl ? "unique-id listing follows"
                                : std::to_string(maildrop_->live_count()) + " messages (" +
                                      std::to_string(maildrop_->live_octets()) + " octets)";
  reply_multiline(text, std::move(lines), uidl ? Verb::Uidl : Verb::List);
}

void ServerSession::do_retr(const Command& c, bool top) {
  auto n = message_number(c.args[0], false);
  if (!n) return;
  const MessageInfo& info = maildrop_->info(*n);
  if (config_.max_message_octets > 0 && info.octets > config_.max_message_octets) {
    error_reply(Errc::maildrop_unavailable,
                "message " + c.args[0] + " is larger than this server will send",
                ResponseCode::sys_perm());
    return;
  }
  auto streaming = std::make_unique<Streaming>();
  try {
    streaming->stream = maildrop_->open_message(*n);
  } catch (const std::exception& e) {
    emit(Violation{make_error_code(Errc::maildrop_unavailable), e.what(), false});
  }
  if (!streaming->stream) {
    error_reply(Errc::maildrop_unavailable, "cannot read message " + c.args[0],
                ResponseCode::sys_temp());
    return;
  }
  if (top) {
    streaming->top = true;
    streaming->lines_left = detail::parse_decimal(c.args[1]).value_or(0);
  }
  Reply status =
      Reply::positive(top ? "top of message follows" : std::to_string(info.octets) + " octets");
  status.multiline = true;
  send(serialize_status_line(Status::Ok, std::nullopt, status.text));
  emit(ReplyEvent{current_verb_, std::move(status), false});
  consecutive_errors_ = 0;
  streaming_ = std::move(streaming);
}

void ServerSession::pump_stream() {
  std::string out;
  std::string buffer(kChunk, '\0');
  bool more = true;
  try {
    const std::size_t got = streaming_->stream->read(buffer.data(), buffer.size());
    std::string_view data(buffer.data(), got);
    if (got == 0 || !streaming_->filter(data)) more = false;
    streaming_->encoder.encode(data, out);
  } catch (const std::exception& e) {
    // Half a message must never look like a whole one: end the connection without the
    // terminating line, so the client cannot take it as complete.
    streaming_.reset();
    emit(Violation{make_error_code(Errc::maildrop_unavailable),
                   std::string("message read failed mid-transfer: ") + e.what(), true});
    maildrop_.reset();
    move(Signal::Shutdown, std::nullopt, Outcome::Any);
    close_now(false);
    return;
  }
  if (!more) {
    streaming_->encoder.finish(out);
    streaming_.reset();
  }
  if (!out.empty()) send(std::move(out));
}

void ServerSession::do_dele(const Command& c) {
  if (auto n = message_number(c.args[0], false)) {
    maildrop_->mark_deleted(*n);
    reply(Status::Ok, "message " + std::to_string(*n) + " deleted");
  }
}

void ServerSession::do_rset() {
  maildrop_->unmark_all();
  reply(Status::Ok, "maildrop has " + std::to_string(maildrop_->live_count()) + " messages (" +
                        std::to_string(maildrop_->live_octets()) + " octets)");
}

void ServerSession::do_quit() {
  if (state_ != State::Transaction) {
    reply(Status::Ok, config_.server_name + " POP3 server signing off");
    move(Signal::Reply, Verb::Quit, Outcome::Ok);
    close_now(false);
    return;
  }
  move(Signal::Reply, Verb::Quit, Outcome::Any);  // TRANSACTION -> UPDATE
  UpdateResult result;
  try {
    result = maildrop_->commit();
  } catch (const std::exception& e) {
    result.failed = 1;
    result.error = e.what();
  }
  const std::size_t left = maildrop_->count() - result.removed;
  maildrop_.reset();
  update_done_ = true;
  if (result.ok()) {
    // RFC 1939 §6's wording, so the RFC's example session replays byte for byte.
    reply(Status::Ok, config_.server_name + " POP3 server signing off (" +
                          (left == 0 ? std::string("maildrop empty")
                                     : std::to_string(left) + " messages left") +
                          ")");
    move(Signal::UpdateFinished, std::nullopt, Outcome::Ok);
  } else {
    reply(Status::Err, "some deleted messages were not removed", ResponseCode::sys_temp());
    emit(Violation{make_error_code(Errc::maildrop_unavailable), result.error, false});
    move(Signal::UpdateFinished, std::nullopt, Outcome::Err);
  }
  close_now(true);
}

}  // namespace pop3
