// What the two libFuzzer targets share: a readable report of the input that
// broke an invariant, and a way to call a parser that refuses bad input by
// throwing lab::Error.
#pragma once

#include "output.hpp"

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

namespace fuzz {

// The input as one printable line: NUL (the options fuzzer's word
// separator) as \0, other bytes outside ASCII's printable range as \xNN, so
// that the report can be read and typed back.
inline std::string escaped(std::string_view input) {
    std::string out;
    for (char byte : input) {
        auto c = static_cast<unsigned char>(byte);
        if (c >= 0x20 && c < 0x7f && c != '\\') {
            out += byte;
        } else if (c == 0) {
            out += "\\0";
        } else {
            char hex[5];
            std::snprintf(hex, sizeof hex, "\\x%02x", c);
            out += hex;
        }
    }
    return out;
}

// abort() instead of assert(): the check must stay on whatever NDEBUG says.
inline void check(bool ok, const char* fuzzer, const char* what, std::string_view input) {
    if (ok) return;
    std::fprintf(stderr, "%s: invariant broken: %s\n  input: '%s'\n", fuzzer, what, escaped(input).c_str());
    std::abort();
}

// parse(...) as an optional: nullopt where it refuses (throws lab::Error).
template <typename Parse>
auto attempt(Parse&& parse) -> std::optional<decltype(parse())> {
    try {
        return parse();
    } catch (const lab::Error&) {
        return std::nullopt;
    }
}

}  // namespace fuzz
