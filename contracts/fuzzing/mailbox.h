#pragma once
// Where the flows read the codes and reset tokens a server e-mails: an HTTP API in the mock's
// outbox format (`GET URL?username=&kind=` answering {"messages":[newest first]}, each with
// `code` or `token`, else a `text` to search), or a command run with PBX_MAIL_USERNAME and
// PBX_MAIL_KIND in its environment whose standard output is the newest message's text.
// Kinds are the mock's: "otp" (a two-factor code) and "password_reset" (a reset token).
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "contracts/http_client.h"
#include "spec/result.h"

namespace pbxmock::contracts::fuzzing {

// The code or token in a message's text: for "otp" the first run of exactly six digits (B5's
// code) standing alone; for "password_reset" the value of the first `token=` (a reset link),
// else the first run of at least 16 of A-Z a-z 0-9 _ -. nullopt when there is none.
std::optional<std::string> find_secret(std::string_view kind, std::string_view text);

// A code that is wrong in every digit (each digit plus one, 9 to 0), for the wrong-code steps.
std::string wrong_code(std::string_view code);

struct MailboxSource {
  std::string url;      // --mailbox
  std::string command;  // --mailbox-command
  bool empty() const { return url.empty() && command.empty(); }
};

class Mailbox {
 public:
  Mailbox(MailboxSource source, bool insecure);
  ~Mailbox();
  Mailbox(const Mailbox&) = delete;
  Mailbox& operator=(const Mailbox&) = delete;

  const MailboxSource& source() const { return source_; }

  // The newest message's code or token for that user and kind.
  Result<std::string, std::string> newest(const std::string& username, const std::string& kind,
                                          std::chrono::milliseconds timeout);

  // A value this mailbox has not returned before for that user and kind (mail may take a
  // moment to arrive), polled until `wait` has passed; then the newest one, whatever it is.
  Result<std::string, std::string> fresh(const std::string& username, const std::string& kind,
                                         std::chrono::milliseconds wait);

  // Notes the value there now, so that fresh() waits for a newer one (mail of an earlier run).
  void note_current(const std::string& username, const std::string& kind, std::chrono::milliseconds timeout);

 private:
  Result<std::string, std::string> from_url(const std::string& username, const std::string& kind,
                                            std::chrono::milliseconds timeout);
  Result<std::string, std::string> from_command(const std::string& username, const std::string& kind,
                                                std::chrono::milliseconds timeout);

  MailboxSource source_;
  std::unique_ptr<HttpClient> client_;
  std::string url_error_;
  std::map<std::pair<std::string, std::string>, std::string> seen_;
};

}  // namespace pbxmock::contracts::fuzzing
