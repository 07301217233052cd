// Command lines shared by the lab's programs: the clients' `[HOST:]PORT ...`
// and the option values the server checks (seconds, byte counts).
#pragma once

#include "address.hpp"
#include "options.hpp"

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lab {

// Options only some clients take; each client's meson.build says which
// (LAB_FEATURES), so that the client files themselves differ only where
// the chapter says they do (async vs broken).
enum ClientFeature : unsigned {
    kPoemTimeout = 1,     // --timeout SECONDS (the chapter's second exercise)
    kReactorOptions = 2,  // --slow-callback, --heartbeat, --step (the reactor-based clients)
    kSelectLimit = 4,     // the usage text says select() stops at FD_SETSIZE
};

// The name the usage text gives the client ("reactor edition"), and the
// options it takes: each program's meson.build defines them.
#ifndef LAB_EDITION
#define LAB_EDITION ""
#endif
#ifndef LAB_FEATURES
#define LAB_FEATURES 0
#endif

// The chapter's `parse_args()`: reads a client's command line,
// `NAME [OPTIONS] [HOST:]PORT ...`, into the servers to fetch from and the
// run it starts (run.hpp: --connect-timeout, --quiet, --count-only,
// --trace, and the reactor's --slow-callback, --heartbeat, --step). It
// also makes the process ready for the run: Ctrl-C interrupts what the
// client waits in (stop.hpp), a reader that leaves costs a write, not the
// process (SIGPIPE), and 1,000 servers get their 1,000 descriptors. With
// --help it prints the usage and exits; with no address it prints the
// usage (as the originals do) and throws lab::Error.
Options parse_args(int argc, char** argv, unsigned features = LAB_FEATURES,
                   std::string_view edition = LAB_EDITION);

// The longest wait any option takes: a week.
inline constexpr double kMaxSeconds = 7 * 24 * 3600.0;

// A finite number of seconds from 0 to kMaxSeconds given to `option` ("--delay").
double parse_seconds(std::string_view option, std::string_view text);

// A finite number of seconds above 0 ("--timeout").
double parse_positive_seconds(std::string_view option, std::string_view text);

// A whole number of at least `minimum` given to `option` ("--num-bytes").
std::size_t parse_count(std::string_view option, std::string_view text, std::size_t minimum);

}  // namespace lab
