// Command lines shared by the lab's programs: the clients' `[HOST:]PORT ...`
// and the option values the server checks (seconds, byte counts).
#pragma once

#include "address.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lab {

struct ClientOptions {
    std::vector<Address> addresses;         // in the order given: task 1, 2, 3 ...
    std::optional<double> connect_timeout;  // --connect-timeout (default: the kernel's)
    std::optional<double> timeout;          // --timeout, for the clients that take it
    bool quiet = false;                     // --quiet: only the closing lines
    bool count_only = false;                // --count-only: count the bytes, keep none
    std::optional<std::string> trace;       // --trace FILE (trace.hpp)
    std::optional<double> slow_callback;    // --slow-callback SECONDS (reactor.hpp)
};

// Options only some clients take.
enum ClientFeature : unsigned {
    kPoemTimeout = 1,   // --timeout SECONDS (the chapter's second exercise)
    kSlowCallback = 2,  // --slow-callback SECONDS (the reactor-based clients)
};

// Every client's command line: `NAME [OPTIONS] [HOST:]PORT ...`, with
// --help, --connect-timeout, --quiet and --trace, which it also puts into
// effect (connect_to's default timeout, say_got's quietness, the trace
// file, the reactor's slow-callback warning). With no address it prints the
// usage (as the originals do) and throws lab::Error. `edition` names the
// client in the usage text ("blocking edition").
ClientOptions parse_client_args(int argc, char** argv, std::string_view edition,
                                unsigned features = 0);

// The longest wait any option takes: a week.
inline constexpr double kMaxSeconds = 7 * 24 * 3600.0;

// A finite number of seconds from 0 to kMaxSeconds given to `option` ("--delay").
double parse_seconds(std::string_view option, std::string_view text);

// A finite number of seconds above 0 ("--timeout").
double parse_positive_seconds(std::string_view option, std::string_view text);

// A whole number of at least `minimum` given to `option` ("--num-bytes").
std::size_t parse_count(std::string_view option, std::string_view text, std::size_t minimum);

}  // namespace lab
