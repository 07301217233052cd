// Server addresses as the chapter's clients take them on the command line:
// `10000` (a bare port means 127.0.0.1), `host:10000`, `[::1]:10000`.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace lab {

class Run;

struct Address {
    Address() = default;
    Address(std::string host_, std::uint16_t port_, std::shared_ptr<Run> run_ = nullptr)
        : host(std::move(host_)), port(port_), run(std::move(run_)) {}

    std::string host;   // a name or a numeric IPv4/IPv6 address, no brackets
    std::uint16_t port = 0;
    // The run whose command line named this server (run.hpp), set by
    // parse_args: connect_to, receive and the lines about this server
    // follow its settings (--connect-timeout, --count-only, --quiet,
    // --trace), as a connection string carries its options. None for an
    // address made by hand: then the defaults.
    std::shared_ptr<Run> run = nullptr;

    bool operator==(const Address& other) const { return host == other.host && port == other.port; }
};

// Parses PORT, HOST:PORT or [IPV6]:PORT. Throws lab::Error with a message a
// learner can act on ("Ports must be integers.", like the original clients).
// Clients need a real port (1-65535); a server may ask for port 0 (any).
Address parse_address(std::string_view text, bool allow_port_zero = false);

// Parses a port number alone ("10000"), for --port.
std::uint16_t parse_port(std::string_view text, bool allow_port_zero);

// HOST:PORT, with brackets around an IPv6 host: what every line prints.
std::string format_address(const Address& address);

}  // namespace lab
