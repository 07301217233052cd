// libFuzzer target for lib/address.cpp: parse_address and parse_port.
// lab::Error is the library's way of refusing bad input, so it is caught;
// any other exception, a sanitizer report or a failed check below crashes.
#include "address.hpp"
#include "fuzz_support.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

namespace {

void check(bool ok, const char* what, std::string_view input) {
    fuzz::check(ok, "address_fuzzer", what, input);
}

std::optional<lab::Address> try_parse_address(std::string_view text, bool allow_port_zero) {
    return fuzz::attempt([&] { return lab::parse_address(text, allow_port_zero); });
}

std::optional<std::uint16_t> try_parse_port(std::string_view text, bool allow_port_zero) {
    return fuzz::attempt([&] { return lab::parse_port(text, allow_port_zero); });
}

// The port as a reference reading: only digits, value 0-65535 (or nullopt).
std::optional<unsigned> reference_port(std::string_view text) {
    if (text.empty()) return std::nullopt;
    unsigned long value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + static_cast<unsigned>(c - '0');
        if (value > 65535) return std::nullopt;  // stop before it can overflow
    }
    return static_cast<unsigned>(value);
}

// What every accepted address must satisfy, whichever port rule was used.
void check_address(const lab::Address& address, bool allow_port_zero, std::string_view input) {
    check(allow_port_zero || address.port != 0, "port 0 accepted without allow_port_zero", input);
    check(!address.host.empty(), "empty host accepted", input);

    // Round trip: what a line prints must read back as the same address.
    // It holds because no accepted host holds a bracket and an empty host
    // never reaches here ("" -> 127.0.0.1, "[]" refused).
    std::string printed = lab::format_address(address);
    auto again = try_parse_address(printed, allow_port_zero);
    check(again.has_value(), "format_address output does not parse", input);
    check(*again == address, "format_address output parses to another address", input);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view input(reinterpret_cast<const char*>(data), size);

    auto strict = try_parse_address(input, false);
    auto lenient = try_parse_address(input, true);
    if (strict) check_address(*strict, false, input);
    if (lenient) check_address(*lenient, true, input);
    // Allowing port 0 only widens what is accepted; it never changes a result.
    if (strict) check(lenient && *lenient == *strict, "allow_port_zero changed a result", input);
    if (lenient && !strict) check(lenient->port == 0, "refused without allow_port_zero, port not 0", input);

    auto expected = reference_port(input);
    for (bool allow_zero : {false, true}) {
        auto port = try_parse_port(input, allow_zero);
        bool in_range = expected && (allow_zero || *expected != 0);
        check(port.has_value() == in_range, "parse_port accepts/refuses unlike the reference", input);
        if (port) check(*port == *expected, "parse_port value differs from the reference", input);
        // A bare port is the chapter's `get-poetry 10000`: 127.0.0.1 and that port.
        if ((input.empty() || input.front() != '[') && input.find(':') == std::string_view::npos) {
            auto address = allow_zero ? lenient : strict;
            check(address.has_value() == port.has_value(), "bare port: parse_address and parse_port disagree", input);
            if (address) check(address->host == "127.0.0.1" && address->port == *port, "bare port: not 127.0.0.1:PORT", input);
        }
    }
    return 0;
}
