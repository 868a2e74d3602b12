#include "drop_tracker.hpp"

#include <algorithm>

namespace pop3::sim::detail {

using Kind = DropPoint::Kind;

std::optional<Arm> DropTracker::initial() const {
  if (drop_ && drop_->kind == Kind::AfterOctets) return Arm{drop_->direction, drop_->octets};
  return std::nullopt;
}

std::optional<Arm> DropTracker::done(Direction d, std::uint64_t octets) {
  stage_ = Stage::Done;
  return Arm{d, octets};
}

std::uint64_t DropTracker::middle(const Segment& s) noexcept {
  return s.wire_begin + std::max<std::uint64_t>(1, (s.wire_end - s.wire_begin) / 2);
}

void DropTracker::on_command(Side side, Verb verb, std::uint64_t app_sent) {
  if (!drop_ || stage_ != Stage::Waiting || verb != drop_->verb) return;
  const bool client_kind = drop_->kind == Kind::AfterCommand || drop_->kind == Kind::BeforeCommand;
  if (client_kind && side == Side::Client) {
    stage_ = Stage::InLine;
    start_ = app_sent;
  } else if (drop_->kind == Kind::MidReply && side == Side::Server) {
    stage_ = Stage::AwaitStatus;
    start_ = app_sent;
  }
}

std::optional<Arm> DropTracker::on_reply(Side side, const ReplyEvent& reply) {
  if (side != Side::Server || stage_ != Stage::AwaitReplyEvent) return std::nullopt;
  if (!reply.reply.multiline) return done(Direction::ServerToClient, middle(status_));
  stage_ = Stage::AwaitBody;
  return std::nullopt;
}

std::optional<Arm> DropTracker::on_write(Side side, const Segment& seg, std::string_view app) {
  const bool plain = seg.channel == trace::Channel::Plain;
  if (stage_ == Stage::InLine && side == Side::Client) {
    if (seg.app_end <= start_) return std::nullopt;
    const std::uint64_t from = std::max(start_, seg.app_begin);
    if (drop_->kind == Kind::BeforeCommand)
      return done(Direction::ClientToServer,
                  plain ? seg.wire_begin + (from - seg.app_begin) : seg.wire_begin);
    const auto lf = app.find('\n', static_cast<std::size_t>(from - seg.app_begin));
    if (lf == std::string_view::npos) return std::nullopt;  // the line goes on in the next write
    return done(Direction::ClientToServer, plain ? seg.wire_begin + lf + 1 : seg.wire_end);
  }
  if (side != Side::Server) return std::nullopt;
  if (stage_ == Stage::AwaitStatus) {
    if (seg.app_end <= start_) return std::nullopt;
    const std::uint64_t from = std::max(start_, seg.app_begin) - seg.app_begin;
    const auto lf = app.find('\n', static_cast<std::size_t>(from));
    if (lf != std::string_view::npos && lf + 1 < app.size())  // body octets in this write too
      return done(Direction::ServerToClient, middle(seg));
    status_ = seg;
    stage_ = Stage::AwaitReplyEvent;
    return std::nullopt;
  }
  if (stage_ == Stage::AwaitBody) return done(Direction::ServerToClient, middle(seg));
  return std::nullopt;
}

}  // namespace pop3::sim::detail
