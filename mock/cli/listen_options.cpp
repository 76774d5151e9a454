#include "mock/cli/listen_options.h"

#include <CLI/CLI.hpp>
#include <string>

namespace pbxmock::cli {
namespace {

constexpr std::size_t kMinAdminKeyLength = 16;

}  // namespace

void add_listen_options(CLI::App& app, mock::ServerOptions& options, std::string& log_format) {
  app.add_option("--host", options.host, "Address to listen on; a non-loopback one needs the admin key for /__admin/")
      ->capture_default_str();
  app.add_option("--port", options.port, "Port; 0 picks a free one")->capture_default_str()->check(CLI::Range(0, 65535));
  app.add_option("--tls-cert", options.tls_cert, "PEM certificate: serve HTTPS (with --tls-key; see scripts/make-cert.sh)")
      ->check(CLI::ExistingFile);
  app.add_option("--tls-key", options.tls_key, "PEM private key for --tls-cert")->check(CLI::ExistingFile);
  app.add_option("--log-format", log_format, "Request log lines on standard error: text or json")
      ->capture_default_str()
      ->check(CLI::IsMember({"text", "json"}));
  app.add_flag("--quiet", options.quiet, "No per-request log lines (for benchmarks)");
  // At least 16 characters, so that it cannot be guessed in a few thousand tries; the
  // environment variable keeps it out of `ps` and shell history.
  app.add_option("--admin-key", options.admin_key,
                    "Admin key for a non-loopback host, at least 16 characters; better given as PBXMOCK_ADMIN_KEY in "
                    "the environment, which `ps` does not show (default: generated and printed at start)")
      ->envname("PBXMOCK_ADMIN_KEY")
      ->check(CLI::Validator(
          [](std::string& key) {
            return key.size() >= kMinAdminKeyLength
                       ? std::string()
                       : "the admin key must be at least " + std::to_string(kMinAdminKeyLength) + " characters, not " +
                             std::to_string(key.size());
          },
          "KEY of 16+ characters"));
  app.add_option("--journal-size", options.journal_size, "Requests kept in /__admin/requests (0 turns it off)")
      ->capture_default_str();
  app.add_option("--max-body", options.max_body_bytes, "Largest request body in bytes (413 above)")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 30));
}

}  // namespace pbxmock::cli
