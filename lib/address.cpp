#include "address.hpp"

#include "output.hpp"

#include <algorithm>

namespace lab {

std::uint16_t parse_port(std::string_view text, bool allow_port_zero) {
    bool digits = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
        return c >= '0' && c <= '9';
    });
    if (!digits) throw Error("Ports must be integers.");
    // Count in a wide type so that "99999999999" cannot overflow.
    unsigned long long port = 0;
    for (char c : text) {
        port = port * 10 + static_cast<unsigned>(c - '0');
        if (port > 65535) break;
    }
    unsigned lowest = allow_port_zero ? 0 : 1;
    if (port < lowest || port > 65535)
        throw Error("Port out of range: " + std::string(text) + " (must be " +
                    std::to_string(lowest) + "-65535)");
    return static_cast<std::uint16_t>(port);
}

Address parse_address(std::string_view text, bool allow_port_zero) {
    Address address;
    std::string_view port;
    if (!text.empty() && text.front() == '[') {
        auto close = text.find(']');
        if (close == std::string_view::npos || close + 1 >= text.size() ||
            text[close + 1] != ':')
            throw Error("Bad address '" + std::string(text) + "': write IPv6 as [::1]:PORT");
        address.host = std::string(text.substr(1, close - 1));
        port = text.substr(close + 2);
        if (address.host.empty())
            throw Error("Bad address '" + std::string(text) + "': empty host in []");
    } else if (auto colon = text.find(':'); colon == std::string_view::npos) {
        address.host = "127.0.0.1";  // the chapter's `get-poetry 10000` form
        port = text;
    } else {
        if (text.find(':', colon + 1) != std::string_view::npos)
            throw Error("Bad address '" + std::string(text) +
                        "': put an IPv6 host in brackets, as in [::1]:10000");
        address.host = std::string(text.substr(0, colon));
        if (address.host.empty()) address.host = "127.0.0.1";  // ":10000", as Python allows
        port = text.substr(colon + 1);
    }
    // Brackets only ever wrap an IPv6 host; a host with one inside ("[[x]",
    // "a]") could not be printed back as an address that parses.
    if (address.host.find_first_of("[]") != std::string::npos)
        throw Error("Bad address '" + std::string(text) +
                    "': brackets only go around an IPv6 host, as in [::1]:10000");
    address.port = parse_port(port, allow_port_zero);
    return address;
}

std::string format_address(const Address& address) {
    bool v6 = address.host.find(':') != std::string::npos;
    return (v6 ? "[" + address.host + "]" : address.host) + ":" + std::to_string(address.port);
}

}  // namespace lab
