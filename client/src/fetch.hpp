#pragma once
// pop3-client fetch: download an account's mail to a Maildir or an mbox, as dependable
// as mpop. The rules:
//   - a message is stored (written and fsynced) before anything else happens to it;
//   - its UIDL is recorded in the account's UIDL store only once it is stored, and the
//     store's journal resolves a run cut off in between (uidl_store.hpp);
//   - with --delete, DELE is sent only for messages already stored; QUIT makes it real;
//   - with --only-new (or --delete), messages whose UIDL is in the store are not fetched
//     again (with --delete they are deleted: they were stored by an earlier run that did
//     not get to QUIT);
//   - RETRs are pipelined when the server advertises PIPELINING.
#include "settings.hpp"

namespace pop3::client {

struct FetchResult {
  std::size_t on_server = 0;
  std::size_t fetched = 0;
  std::size_t skipped_seen = 0;
  std::size_t skipped_size = 0;
  std::size_t deleted = 0;
  std::uint64_t octets = 0;
};

// Throws net::ClientError for session failures and StorageError when a message cannot be
// stored (nothing is deleted then).
FetchResult fetch(const Settings& settings);

class StorageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace pop3::client
