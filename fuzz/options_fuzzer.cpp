// libFuzzer target for lib/cli.cpp: the clients' command line
// (parse_args) and the option values (parse_seconds,
// parse_positive_seconds, parse_count). The input is argv: words separated
// by NUL bytes, after argv[0] = "get-poetry". lab::Error and cxxopts'
// exceptions are how bad command lines are refused, so they are caught;
// anything else, a sanitizer report or a failed check below crashes.
#include "cli.hpp"
#include "fuzz_support.hpp"
#include "output.hpp"
#include "run.hpp"

#include <cxxopts.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <streambuf>
#include <string>
#include <string_view>
#include <vector>

namespace {

std::string_view g_input;  // the current input, for the report

void check(bool ok, const char* what) { fuzz::check(ok, "options_fuzzer", what, g_input); }

// The usage text that parse_args prints to std::cerr on every
// address-less command line would bury libFuzzer's own log.
struct NullBuffer : std::streambuf {
    int overflow(int c) override { return traits_type::not_eof(c); }
};

// Words that would leave the process or touch the disk: --help / -h call
// std::exit, --trace opens a file. cxxopts also reads "-qh" style groups and
// "--help=1", so anything option-like that mentions them is skipped.
bool unsafe(const std::string& word) {
    if (word.rfind("--", 0) == 0)
        return word.rfind("--help", 0) == 0 || word.rfind("--trace", 0) == 0;
    return word.size() > 1 && word[0] == '-' && word.find('h') != std::string::npos;
}

void check_seconds_in_range(double value, bool positive, const char* what) {
    check(std::isfinite(value) && value <= lab::kMaxSeconds && (positive ? value > 0 : value >= 0), what);
}

// Reference reading for parse_count: all digits, no overflow.
std::optional<unsigned long long> reference_count(const std::string& word) {
    if (word.empty()) return std::nullopt;
    unsigned long long value = 0;
    for (char c : word) {
        if (c < '0' || c > '9') return std::nullopt;
        unsigned digit = static_cast<unsigned>(c - '0');
        if (value > (~0ULL - digit) / 10) return std::nullopt;
        value = value * 10 + digit;
    }
    return value;
}

void fuzz_values(const std::string& word) {
    auto seconds = fuzz::attempt([&] { return lab::parse_seconds("--delay", word); });
    if (seconds) check_seconds_in_range(*seconds, false, "parse_seconds out of [0, kMaxSeconds]");
    auto positive = fuzz::attempt([&] { return lab::parse_positive_seconds("--timeout", word); });
    if (positive) check_seconds_in_range(*positive, true, "parse_positive_seconds out of (0, kMaxSeconds]");
    // "Positive" is parse_seconds without zero, nothing more or less.
    check(positive.has_value() == (seconds && *seconds > 0), "parse_positive_seconds disagrees with parse_seconds");
    if (positive) check(*positive == *seconds, "parse_positive_seconds value differs from parse_seconds");

    auto expected = reference_count(word);
    for (std::size_t minimum : {std::size_t{0}, std::size_t{1}, std::size_t{10}}) {
        auto count = fuzz::attempt([&] { return lab::parse_count("--num-bytes", word, minimum); });
        if (count) check(*count >= minimum, "parse_count below its minimum");
        check(count.has_value() == (expected && *expected >= minimum), "parse_count accepts/refuses unlike the reference");
        if (count) check(*count == *expected, "parse_count value differs from the reference");
    }
}

void fuzz_command_line(const std::vector<std::string>& words) {
    std::vector<std::string> storage{"get-poetry"};
    storage.insert(storage.end(), words.begin(), words.end());
    std::vector<char*> argv;
    for (auto& word : storage) argv.push_back(word.data());
    argv.push_back(nullptr);  // as main's argv: argv[argc] is null

    lab::Options options;
    try {
        options = lab::parse_args(static_cast<int>(storage.size()), argv.data(),
                                  lab::kPoemTimeout | lab::kReactorOptions, "fuzz edition");
    } catch (const lab::Error&) {
        return;
    } catch (const cxxopts::exceptions::exception&) {
        return;
    }

    // An empty word still reaches parse_address (cxxopts keeps "" as one
    // list element) and is refused there, so success means a server.
    check(!options.addresses.empty(), "accepted a command line with no address");
    check(options.run != nullptr, "no run made");
    for (const auto& address : options.addresses) {
        check(!address.host.empty() && address.port != 0, "accepted an address without host or port");
        check(address.run == options.run, "an address that does not carry its run");
    }
    check(options.run->poems == options.addresses.size(), "the run counts other poems than the addresses");
    if (options.run->connect_timeout)
        check_seconds_in_range(*options.run->connect_timeout, true, "--connect-timeout out of (0, kMaxSeconds]");
    if (options.timeout) check_seconds_in_range(*options.timeout, true, "--timeout out of (0, kMaxSeconds]");
    if (options.run->slow_callback)
        check_seconds_in_range(*options.run->slow_callback, false, "--slow-callback out of [0, kMaxSeconds]");
    if (options.run->heartbeat)
        check_seconds_in_range(*options.run->heartbeat, true, "--heartbeat out of (0, kMaxSeconds]");
    check(!options.run->recorder, "--trace accepted although skipped");
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    static NullBuffer null_buffer;
    std::cerr.rdbuf(&null_buffer);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view input(reinterpret_cast<const char*>(data), size);
    // "" is a bare `get-poetry`; "a" is one word; "a\0" is "a" and "".
    std::vector<std::string> words;
    for (std::size_t start = 0; !input.empty();) {
        auto nul = input.find('\0', start);
        words.emplace_back(input.substr(start, nul == std::string_view::npos ? nul : nul - start));
        if (nul == std::string_view::npos) break;
        start = nul + 1;
    }
    g_input = input;

    for (const auto& word : words)
        if (unsafe(word)) return 0;
    fuzz_command_line(words);
    // The value parsers see the first few words only: each refusal is a
    // throw, which ASan makes slow, and a long argv adds no new paths there.
    for (std::size_t i = 0; i < words.size() && i < 3; ++i) fuzz_values(words[i]);
    return 0;
}
