#include "contracts/fuzzing/mailbox.h"

#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>
#include <vector>

#include "contracts/runner.h"
#include "spec/ascii.h"

extern char** environ;

namespace pbxmock::contracts::fuzzing {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kMaxOutput = 1 << 20;  // a message's text; more is not a message

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_token_char(char c) { return spec::ascii::is_alnum(c) || c == '_' || c == '-'; }

std::optional<std::string> six_digits(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    if (!is_digit(text[i])) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && is_digit(text[end])) ++end;
    if (end - i == 6) return std::string(text.substr(i, 6));
    i = end;
  }
  return std::nullopt;
}

std::optional<std::string> reset_token(std::string_view text) {
  if (const auto at = text.find("token="); at != std::string_view::npos) {
    std::size_t end = at + 6;
    while (end < text.size() && (is_token_char(text[end]) || text[end] == '.' || text[end] == '~')) ++end;
    if (end > at + 6) return std::string(text.substr(at + 6, end - at - 6));
  }
  for (std::size_t i = 0; i < text.size();) {
    std::size_t end = i;
    while (end < text.size() && is_token_char(text[end])) ++end;
    if (end - i >= 16) return std::string(text.substr(i, end - i));
    i = end == i ? i + 1 : end;
  }
  return std::nullopt;
}

// Runs `sh -c command` with two more environment variables; its standard output, at most
// kMaxOutput bytes, or why there is none. A command still running at the deadline is killed.
Result<std::string, std::string> run_command(const std::string& command, const std::string& username,
                                             const std::string& kind, std::chrono::milliseconds timeout) {
  std::vector<std::string> env_text;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string_view entry(*e);
    if (entry.rfind("PBX_MAIL_USERNAME=", 0) == 0 || entry.rfind("PBX_MAIL_KIND=", 0) == 0) continue;
    env_text.emplace_back(entry);
  }
  env_text.push_back("PBX_MAIL_USERNAME=" + username);
  env_text.push_back("PBX_MAIL_KIND=" + kind);
  std::vector<char*> envp;
  for (std::string& entry : env_text) envp.push_back(entry.data());
  envp.push_back(nullptr);

  int fds[2];
  if (::pipe(fds) != 0) return Err{std::string("--mailbox-command: cannot make a pipe")};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  posix_spawn_file_actions_addclose(&actions, fds[1]);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);  // its own group: a timeout ends its children too
  std::string shell = "/bin/sh";
  std::string dash_c = "-c";
  std::string text = command;
  char* argv[] = {shell.data(), dash_c.data(), text.data(), nullptr};
  pid_t pid = 0;
  const int spawned = ::posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  ::close(fds[1]);
  if (spawned != 0) {
    ::close(fds[0]);
    return Err{"--mailbox-command: cannot start /bin/sh"};
  }
  std::string out;
  bool timed_out = false;
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    pollfd p{fds[0], POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left)) <= 0) continue;
    char buffer[4096];
    const ssize_t n = ::read(fds[0], buffer, sizeof buffer);
    if (n <= 0) break;
    if (out.size() < kMaxOutput) out.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fds[0]);
  if (timed_out) ::kill(-pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (timed_out) return Err{"--mailbox-command did not finish within " + std::to_string(timeout.count()) + " ms"};
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return Err{"--mailbox-command exited with status " +
               std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status))};
  }
  return out;
}

}  // namespace

std::optional<std::string> find_secret(std::string_view kind, std::string_view text) {
  return kind == "otp" ? six_digits(text) : reset_token(text);
}

std::string wrong_code(std::string_view code) {
  std::string out(code);
  for (char& c : out) {
    if (is_digit(c)) c = c == '9' ? '0' : static_cast<char>(c + 1);
  }
  return out;
}

Mailbox::Mailbox(MailboxSource source, bool insecure) : source_(std::move(source)) {
  if (source_.url.empty()) return;
  auto target = parse_target(source_.url);
  if (!target) {
    url_error_ = "--mailbox " + source_.url + ": " + target.error();
    return;
  }
  client_ = std::make_unique<HttpClient>(*target, ClientOptions{!insecure, kDefaultMaxAnswerBytes, std::nullopt});
}

Mailbox::~Mailbox() = default;

Result<std::string, std::string> Mailbox::newest(const std::string& username, const std::string& kind,
                                                 std::chrono::milliseconds timeout) {
  return source_.url.empty() ? from_command(username, kind, timeout) : from_url(username, kind, timeout);
}

Result<std::string, std::string> Mailbox::from_url(const std::string& username, const std::string& kind,
                                                   std::chrono::milliseconds timeout) {
  if (!client_) return Err{url_error_};
  auto answer = client_->send(
      {"GET", "?username=" + url_encode(username) + "&kind=" + url_encode(kind), {{"Accept", "application/json"}}, {}},
      timeout);
  if (!answer) return Err{"--mailbox " + source_.url + ": " + answer.error().message};
  const auto* messages = answer->json && answer->json->is_object() && answer->json->contains("messages")
                             ? &(*answer->json)["messages"]
                             : nullptr;
  if (answer->status != 200 || messages == nullptr || !messages->is_array()) {
    return Err{"--mailbox " + source_.url + " answered " + std::to_string(answer->status) +
               ", not {\"messages\": [...]}"};
  }
  if (messages->empty() || !(*messages)[0].is_object()) return Err{"no " + kind + " message for " + username};
  const nlohmann::json& message = (*messages)[0];
  const std::string field = kind == "otp" ? "code" : "token";
  if (message.contains(field) && message[field].is_string()) return message[field].get<std::string>();
  if (message.contains("text") && message["text"].is_string()) {
    if (auto found = find_secret(kind, message["text"].get<std::string>())) return *found;
  }
  return Err{"the newest " + kind + " message for " + username + " has no " + field};
}

Result<std::string, std::string> Mailbox::from_command(const std::string& username, const std::string& kind,
                                                       std::chrono::milliseconds timeout) {
  auto text = run_command(source_.command, username, kind, timeout);
  if (!text) return Err{text.error()};
  if (auto found = find_secret(kind, *text)) return *found;
  return Err{"--mailbox-command printed no " + std::string(kind == "otp" ? "six-digit code" : "reset token") + " for " +
             username};
}

Result<std::string, std::string> Mailbox::fresh(const std::string& username, const std::string& kind,
                                                std::chrono::milliseconds wait) {
  const auto key = std::make_pair(username, kind);
  const auto deadline = Clock::now() + wait;
  for (;;) {
    auto value = newest(username, kind, wait);
    const bool last_try = Clock::now() >= deadline;
    if (value && (seen_[key] != *value || last_try)) {
      seen_[key] = *value;
      return value;
    }
    if (last_try) return value;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

void Mailbox::note_current(const std::string& username, const std::string& kind, std::chrono::milliseconds timeout) {
  if (auto value = newest(username, kind, timeout)) seen_[std::make_pair(username, kind)] = *value;
}

}  // namespace pbxmock::contracts::fuzzing
