#include "pop3/sim/link.hpp"

#include <algorithm>

namespace pop3::sim {

std::string Chunking::describe() const {
  if (is_whole()) return "whole writes";
  if (min == max)
    return min == 1 ? "one octet per delivery" : std::to_string(min) + "-octet chunks";
  return "chunks of " + std::to_string(min) + " to " + std::to_string(max) + " octets";
}

std::string DropPoint::describe() const {
  const std::string v(verb_name(verb));
  switch (kind) {
    case Kind::AfterOctets:
      return "after " + std::to_string(octets) + " octets " +
             std::string(direction_name(direction));
    case Kind::AfterCommand:
      return "after the client's " + v + " reaches the server";
    case Kind::BeforeCommand:
      return "while the client's " + v + " is on its way (it never arrives)";
    case Kind::MidReply:
      return "in the middle of the server's reply to " + v;
    case Kind::AtTime:
      return "at " + std::to_string(at.count()) + " ms";
  }
  return "?";
}

Link::Link(LinkSettings settings, std::uint64_t seed)
    : settings_(std::move(settings)),
      sizes_{SeededRandom(seed, "chunk sizes c2s"), SeededRandom(seed, "chunk sizes s2c")} {}

std::vector<std::string> Link::chunk(Direction direction, std::string_view bytes) {
  std::vector<std::string> out;
  const Chunking& c = settings_.chunking;
  if (c.is_whole()) {
    if (!bytes.empty()) out.emplace_back(bytes);
    return out;
  }
  const std::size_t lo = std::max<std::size_t>(1, std::min(c.min, c.max));
  const std::size_t hi = std::max(lo, c.max);
  SeededRandom& sizes = sizes_[index(direction)];
  while (!bytes.empty()) {
    const std::size_t n = lo == hi ? lo : static_cast<std::size_t>(sizes.between(lo, hi));
    const std::size_t take = std::min(n, bytes.size());
    out.emplace_back(bytes.substr(0, take));
    bytes.remove_prefix(take);
  }
  return out;
}

void Link::schedule(Direction direction, trace::Channel channel, std::string bytes, TimePoint now) {
  if (cut_ || bytes.empty()) return;
  queue_.push_back(
      Delivery{direction, channel, std::move(bytes), false, false, now + settings_.latency});
}

void Link::schedule_fin(Direction direction, TimePoint now) {
  if (cut_) return;
  queue_.push_back(
      Delivery{direction, trace::Channel::Plain, {}, true, false, now + settings_.latency});
}

std::optional<TimePoint> Link::next_due() const {
  if (queue_.empty()) return std::nullopt;
  return queue_.front().due;
}

std::optional<Link::Delivery> Link::pop_due(TimePoint now) {
  if (queue_.empty() || queue_.front().due > now) return std::nullopt;
  Delivery d = std::move(queue_.front());
  queue_.pop_front();
  const std::size_t i = index(d.direction);
  if (!d.fin && limit_[i]) {
    const std::uint64_t room = *limit_[i] > delivered_[i] ? *limit_[i] - delivered_[i] : 0;
    if (d.bytes.size() >= room) {
      d.bytes.resize(static_cast<std::size_t>(room));
      d.cut_after = true;
    }
  }
  delivered_[i] += d.bytes.size();
  return d;
}

void Link::limit(Direction direction, std::uint64_t octets) {
  auto& l = limit_[index(direction)];
  if (!l || octets < *l) l = octets;
}

std::optional<std::uint64_t> Link::limit_of(Direction direction) const {
  return limit_[index(direction)];
}

bool Link::limit_reached(Direction direction) const {
  const std::size_t i = index(direction);
  return limit_[i] && delivered_[i] >= *limit_[i];
}

void Link::cut() {
  cut_ = true;
  queue_.clear();
}

std::uint64_t Link::delivered(Direction direction) const noexcept {
  return delivered_[index(direction)];
}

}  // namespace pop3::sim
