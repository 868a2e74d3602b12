#include "fetch.hpp"

#include <algorithm>
#include <iostream>
#include <map>
#include <optional>

#include "mbox.hpp"
#include "pop3/core/codec.hpp"
#include "pop3/core/command_table.hpp"
#include "pop3/maildir/writer.hpp"
#include "progress.hpp"
#include "session.hpp"
#include "uidl_store.hpp"

namespace pop3::client {
namespace {

constexpr std::size_t kPipelineBatch = 128;

struct Listing {
  std::size_t number;
  std::uint64_t size;
  std::string uidl;  // "" when the server has no UIDL
};

[[noreturn]] void malformed(const char* verb, const std::string& line) {
  throw net::ClientError(net::FailureKind::MalformedReply,
                         std::string(verb) + " line \"" + line.substr(0, 40) + "\"");
}

std::vector<Listing> list_messages(net::Client& client, Observer& observer) {
  std::vector<Listing> out;
  Reply list = client.command({Verb::List, {}});
  if (!list.ok()) throw net::ClientError(net::FailureKind::ServerRefused, "LIST: " + list.text);
  for (const auto& line : list.lines) {
    const auto listing = parse_scan_listing(line);
    if (!listing) malformed("LIST", line);
    out.push_back(Listing{static_cast<std::size_t>(listing->number), listing->octets, {}});
  }
  Reply uidl = client.command({Verb::Uidl, {}});
  if (!uidl.ok()) {
    observer.warn("the server has no UIDL: every message looks new, --only-new cannot skip any");
    return out;
  }
  std::map<std::size_t, std::string> ids;
  for (const auto& line : uidl.lines) {
    auto listing = parse_unique_id_listing(line);
    if (!listing) malformed("UIDL", line);
    ids[static_cast<std::size_t>(listing->number)] = std::move(listing->unique_id);
  }
  for (auto& l : out)
    l.uidl = ids[l.number];
  return out;
}

// Where messages go. An mbox takes one message at a time: each append is synced before its
// "seen" line. A Maildir takes a pipelined batch at a time: each message is written to
// tmp/ as it arrives (its "pending" line written, not yet synced), and flush() makes the
// whole batch durable and visible with four syncs instead of four per message: the
// journal, the files (syncfs), the links into new/ (fsync of the folder), the "seen"
// lines. (4,004 syncs for 1,000 messages before; mpop makes about 1,000.) Only what flush()
// returned is stored, and only that may be deleted on the server.
class Destination {
 public:
  explicit Destination(const Settings& s) {
    if (s.maildir) {
      maildir_.emplace(*s.maildir);
    } else {
      mbox_.emplace(*s.mbox);
    }
  }
  [[nodiscard]] bool batched() const noexcept { return maildir_.has_value(); }
  // Starts a message; returns the journal target ("maildir:UNIQUE" or "mbox:OFFSET").
  std::string begin() {
    if (maildir_) {
      delivery_.emplace(maildir_->begin());
      return "maildir:" + delivery_->tmp_path().filename().string();
    }
    const auto offset = mbox_->end_offset();
    mbox_->begin();
    return "mbox:" + std::to_string(offset);
  }
  void append(std::string_view data) {
    if (delivery_)
      delivery_->append(data);
    else
      mbox_->append(data);
  }
  // The message is whole: an mbox commits it now; a Maildir keeps it for flush().
  void complete(const Listing* m) {
    if (delivery_) {
      delivery_->finish();
      finished_.emplace_back(std::move(*delivery_), m);
      delivery_.reset();
    } else {
      mbox_->commit();
    }
  }
  // Makes the batch's messages durable and visible; returns their listings.
  std::vector<const Listing*> flush(UidlStore& store) {
    std::vector<const Listing*> stored;
    if (finished_.empty()) return stored;
    try {
      store.sync();  // every "pending" line before any link
      maildir_->sync_files();
      for (auto& [delivery, m] : finished_) {
        (void)delivery.publish();
        stored.push_back(m);
      }
      maildir_->sync_folders();
    } catch (...) {
      finished_.clear();  // the unpublished ones are removed from tmp/
      throw;              // and what was published is not reported stored: not deleted
    }
    finished_.clear();
    for (const Listing* m : stored)
      if (!m->uidl.empty()) store.mark_seen(m->uidl, false);
    store.sync();
    return stored;
  }
  void abort() noexcept {
    if (delivery_) {
      delivery_->abort();
      delivery_.reset();
    } else if (mbox_) {
      mbox_->abort();
    }
  }

 private:
  std::optional<maildir::MaildirWriter> maildir_;
  std::optional<maildir::Delivery> delivery_;
  std::vector<std::pair<maildir::Delivery, const Listing*>> finished_;
  std::optional<MboxWriter> mbox_;
};

}  // namespace

FetchResult fetch(const Settings& s) {
  if (!s.maildir && !s.mbox)
    throw net::ClientError(net::FailureKind::Local, "fetch needs --maildir DIR or --mbox FILE");
  Observer observer(s);
  auto client = open_session(s, observer);
  const bool pipelining = client->session().capabilities().has("PIPELINING");
  const auto messages = list_messages(*client, observer);
  const auto store_path = s.uidl_store ? *s.uidl_store : default_uidl_store(s);
  std::optional<UidlStore> store;
  try {
    store.emplace(store_path, s.maildir, s.mbox);
  } catch (const std::exception& e) {
    throw StorageError(e.what());
  }
  observer.note("UIDL store " + store->path().string() + " (" + std::to_string(store->size()) +
                " seen)");

  FetchResult result;
  result.on_server = messages.size();
  const bool skip_seen = s.only_new || !s.keep;
  std::vector<const Listing*> wanted;
  std::vector<std::size_t> to_delete;
  std::uint64_t total_octets = 0;
  for (const auto& m : messages) {
    if (skip_seen && !m.uidl.empty() && store->seen(m.uidl)) {
      ++result.skipped_seen;
      if (!s.keep) to_delete.push_back(m.number);  // stored by an earlier run that did not QUIT
      continue;
    }
    if (s.max_size > 0 && m.size > s.max_size) {
      ++result.skipped_size;
      observer.note("message " + std::to_string(m.number) + " skipped: " + std::to_string(m.size) +
                        " octets is over --max-size",
                    true);
      continue;
    }
    wanted.push_back(&m);
    total_octets += m.size;
  }
  observer.note(std::to_string(wanted.size()) + " to fetch, " +
                std::to_string(result.skipped_seen) + " already fetched, " +
                std::to_string(result.skipped_size) + " too large" +
                (pipelining ? "; pipelining" : ""));

  Destination destination(s);
  Progress progress(wanted.size(), total_octets);
  // A message is stored: counted, and (without --keep) to be deleted.
  auto stored = [&](const Listing* m) {
    if (destination.batched() && !m->uidl.empty()) {
      // flush() wrote its "seen" line.
    } else if (!m->uidl.empty()) {
      store->mark_seen(m->uidl);
    }
    ++result.fetched;
    if (!s.keep) to_delete.push_back(m->number);
    progress.update(result.fetched, result.octets);
  };
  auto flush = [&] {
    for (const Listing* m : destination.flush(*store))
      stored(m);
  };
  auto keep_whole = [&]() noexcept {
    try {
      flush();
    } catch (...) {  // the failure being reported says enough; these are fetched next time
    }
  };
  std::size_t current = 0;  // index into wanted of the RETR whose reply comes next
  bool started = false;
  std::exception_ptr storage_failure;
  client->on_step = [&, previous = client->on_step](const Step& step) {
    if (previous) previous(step);
    if (storage_failure) return;
    try {
      if (auto* chunk = std::get_if<BodyChunk>(&step)) {
        if (!started) {
          store->pending(wanted[current]->uidl.empty() ? "-" : wanted[current]->uidl,
                         destination.begin(), !destination.batched());
          started = true;
        }
        destination.append(chunk->data);
        result.octets += chunk->data.size();
        progress.update(result.fetched, result.octets);
      } else if (auto* reply = std::get_if<ReplyEvent>(&step); reply && reply->verb == Verb::Retr) {
        const Listing& m = *wanted[current++];
        if (!reply->reply.ok()) {
          if (started) destination.abort();
          started = false;
          observer.warn("RETR " + std::to_string(m.number) + ": " + reply->reply.text);
          return;
        }
        if (!started)  // an empty message
          store->pending(m.uidl.empty() ? "-" : m.uidl, destination.begin(),
                         !destination.batched());
        started = false;
        destination.complete(&m);
        if (!destination.batched()) stored(&m);
      }
    } catch (...) {
      destination.abort();
      started = false;
      storage_failure = std::current_exception();
      client->close();  // stop reading: nothing more can be stored, nothing will be deleted
    }
  };

  try {
    for (std::size_t i = 0; i < wanted.size();) {
      const std::size_t batch = pipelining ? std::min(kPipelineBatch, wanted.size() - i) : 1;
      std::vector<Command> commands;
      for (std::size_t j = 0; j < batch; ++j)
        commands.push_back({Verb::Retr, {std::to_string(wanted[i + j]->number)}});
      if (batch == 1) {
        client->command(commands.front());
      } else {
        client->pipeline(commands);
      }
      i += batch;
      if (!storage_failure) flush();
    }
  } catch (const net::ClientError&) {
    // The messages of the batch that arrived whole are kept, if they can still be stored
    // (they are not deleted on the server: no QUIT follows).
    keep_whole();
    if (storage_failure) std::rethrow_exception(storage_failure);
    throw;
  }
  if (storage_failure) {
    keep_whole();
    std::rethrow_exception(storage_failure);
  }
  progress.finish();

  if (!to_delete.empty()) {
    std::vector<Command> deles;
    for (auto n : to_delete)
      deles.push_back({Verb::Dele, {std::to_string(n)}});
    if (pipelining) {
      for (std::size_t i = 0; i < deles.size(); i += kPipelineBatch) {
        std::vector<Command> batch(deles.begin() + static_cast<std::ptrdiff_t>(i),
                                   deles.begin() + static_cast<std::ptrdiff_t>(
                                                       std::min(deles.size(), i + kPipelineBatch)));
        for (const auto& r : client->pipeline(batch))
          result.deleted += r.ok() ? 1u : 0u;
      }
    } else {
      for (const auto& d : deles)
        result.deleted += client->command(d).ok() ? 1u : 0u;
    }
  }
  Reply bye = client->quit();
  if (!bye.ok()) {
    observer.warn("QUIT: " + bye.text + " (deletions may not have happened)");
    result.deleted = 0;
  }
  std::vector<std::string> on_server;
  for (const auto& m : messages) {
    const bool gone = !s.keep &&
                      std::find(to_delete.begin(), to_delete.end(), m.number) != to_delete.end() &&
                      bye.ok();
    if (!m.uidl.empty() && !gone) on_server.push_back(m.uidl);
  }
  if (!messages.empty() && !messages.front().uidl.empty()) store->retain(on_server);
  observer.finish();
  return result;
}

}  // namespace pop3::client
