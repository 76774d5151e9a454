// Throughput of the field parsers on typical inputs, valid and invalid (DESIGN.md bar:
// 10 million a second per parser). Each iteration parses a whole batch, and items per
// second counts inputs, so the figure compares directly with the bar.
#include <benchmark/benchmark.h>

#include <string>
#include <string_view>
#include <vector>

#include "spec/domain.h"
#include "spec/username.h"

namespace {

using pbxmock::spec::parse_domain;
using pbxmock::spec::parse_username;

const std::vector<std::string> kValidUsernames = {"john", "jane.doe", "o'brien", "sales_team-2", "1001",
                                                  "first.middle.last", "Support", "ext_2024"};
const std::vector<std::string> kInvalidUsernames = {"admin", "john.", ".jane", "john smith",
                                                    "user@example.com", std::string(70, 'a'), "", "ROOT"};
const std::vector<std::string> kHostNames = {"pbx.example.com", "PBX.Example.COM", "sip.tenant42.voip.example.org.",
                                             "pbx", "xn--bcher-kva.example", "eu-west-2.pbx.example.net"};
const std::vector<std::string> kInvalidHostNames = {"pbx..example.com", "-pbx.example.com", "pbx_1.example.com",
                                                    "https://pbx.example.com", "pbx.example.com:5060", "example.123"};
const std::vector<std::string> kIpv4 = {"192.168.1.10", "10.0.0.1", "255.255.255.255", "0.0.0.0", "172.16.254.3"};
const std::vector<std::string> kInvalidIpv4 = {"256.1.1.1", "01.2.3.4", "1.2.3", "1.2.3.4.5", "1.2.3.4:5060"};
const std::vector<std::string> kIpv6 = {"2001:db8::1", "::1", "fe80::1ff:fe23:4567:890a", "[2001:db8::8a2e:370:7334]",
                                        "2001:0DB8:0000:0000:0000:FF00:0042:8329", "::ffff:192.0.2.128"};
const std::vector<std::string> kInvalidIpv6 = {"2001:db8::1::2", "1:2:3:4:5:6:7:8:9", "[::1", "fe80::1%eth0",
                                               "12345::1", "::ffff:1.2.3.256"};

// What a PBX's tenant list looks like (AUTH-API.md A: "usually an FQDN, else the PBX's IP
// address"): mostly host names, some addresses, the odd mistake.
const std::vector<std::string> kTypicalDomains = {
    "pbx.example.com", "tenant42.voip.example.org", "PBX.Example.COM", "sip.eu-west-2.example.net", "pbx",
    "acme.pbx.example.com.", "192.168.1.10", "10.0.0.1", "2001:db8::1", "pbx.example.com:5060"};

void run_usernames(benchmark::State& state, const std::vector<std::string>& inputs) {
  for (auto _ : state) {
    for (const std::string& input : inputs) benchmark::DoNotOptimize(parse_username(input));
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * inputs.size()));
}

void run_domains(benchmark::State& state, const std::vector<std::string>& inputs) {
  for (auto _ : state) {
    for (const std::string& input : inputs) benchmark::DoNotOptimize(parse_domain(input));
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * inputs.size()));
}

void username_valid(benchmark::State& state) { run_usernames(state, kValidUsernames); }
void username_invalid(benchmark::State& state) { run_usernames(state, kInvalidUsernames); }
void domain_host_name(benchmark::State& state) { run_domains(state, kHostNames); }
void domain_host_name_invalid(benchmark::State& state) { run_domains(state, kInvalidHostNames); }
void domain_ipv4(benchmark::State& state) { run_domains(state, kIpv4); }
void domain_ipv4_invalid(benchmark::State& state) { run_domains(state, kInvalidIpv4); }
void domain_ipv6(benchmark::State& state) { run_domains(state, kIpv6); }
void domain_ipv6_invalid(benchmark::State& state) { run_domains(state, kInvalidIpv6); }
void domain_typical_mix(benchmark::State& state) { run_domains(state, kTypicalDomains); }

}  // namespace

BENCHMARK(username_valid);
BENCHMARK(username_invalid);
BENCHMARK(domain_host_name);
BENCHMARK(domain_host_name_invalid);
BENCHMARK(domain_ipv4);
BENCHMARK(domain_ipv4_invalid);
BENCHMARK(domain_ipv6);
BENCHMARK(domain_ipv6_invalid);
BENCHMARK(domain_typical_mix);
