// Server addresses as the chapter's clients take them on the command line:
// `10000` (a bare port means 127.0.0.1), `host:10000`, `[::1]:10000`.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace lab {

struct Address {
    std::string host;   // a name or a numeric IPv4/IPv6 address, no brackets
    std::uint16_t port = 0;

    bool operator==(const Address&) const = default;
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
