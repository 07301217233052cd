// Command lines shared by the lab's programs: the clients' `[HOST:]PORT ...`
// and the option values the server checks (seconds, byte counts).
#pragma once

#include "address.hpp"
#include "reactor.hpp"

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lab {

// What --connect-timeout, --quiet, --count-only and --trace change: the
// whole run's connects and output (apply_run_options, below, puts them in
// effect).
struct RunOptions {
    std::optional<double> connect_timeout;  // --connect-timeout (default: the kernel's)
    bool quiet = false;                     // --quiet: only the closing lines
    bool count_only = false;                // --count-only: count the bytes, keep none
    std::optional<std::string> trace;       // --trace FILE (trace.hpp)
};

struct ClientOptions {
    std::vector<Address> addresses;  // in the order given: task 1, 2, 3 ...
    std::optional<double> timeout;   // --timeout, for the clients that take it
    RunOptions run;
    ReactorOptions reactor;          // --slow-callback, --heartbeat, --step: for lab::Reactor
};

// Options only some clients take.
enum ClientFeature : unsigned {
    kPoemTimeout = 1,     // --timeout SECONDS (the chapter's second exercise)
    kReactorOptions = 2,  // --slow-callback, --heartbeat, --step (the reactor-based clients)
    kSelectLimit = 4,     // the usage text says select() stops at FD_SETSIZE
};

// The name the usage text gives the client ("reactor edition"): each
// program's meson.build defines it, so that the client files themselves
// differ only where the chapter says they do (async vs broken).
#ifndef LAB_EDITION
#define LAB_EDITION ""
#endif

// Every client's command line: `NAME [OPTIONS] [HOST:]PORT ...`, with
// --help, --connect-timeout, --quiet, --count-only and --trace. It only
// reads: run_client puts options.run in effect, and main hands
// options.reactor to its Reactor. With no address it prints the usage (as
// the originals do) and throws lab::Error.
ClientOptions parse_client_args(int argc, char** argv, unsigned features = 0,
                                std::string_view edition = LAB_EDITION);

// A client's main, as the chapter's `main` begins with `parse_args()`: reads
// the command line (parse_client_args), puts its RunOptions in effect
// (apply_run_options), then runs `body` with the options the way run_main
// does (an error becomes one line and exit status 1; Ctrl-C 130). What the
// reactor needs, options.reactor, main hands to its Reactor itself.
int run_client(int argc, char** argv, unsigned features,
               const std::function<int(const ClientOptions&)>& body,
               std::string_view edition = LAB_EDITION);

// Puts a client's RunOptions in effect for the whole run: connect_to's
// default timeout, say_got's quietness, the buffers' count-only mode, the
// --trace record (run_main writes its end), and enough descriptors for
// many servers. run_client calls it before the client's body runs.
void apply_run_options(const RunOptions& options);

// The longest wait any option takes: a week.
inline constexpr double kMaxSeconds = 7 * 24 * 3600.0;

// A finite number of seconds from 0 to kMaxSeconds given to `option` ("--delay").
double parse_seconds(std::string_view option, std::string_view text);

// A finite number of seconds above 0 ("--timeout").
double parse_positive_seconds(std::string_view option, std::string_view text);

// A whole number of at least `minimum` given to `option` ("--num-bytes").
std::size_t parse_count(std::string_view option, std::string_view text, std::size_t minimum);

}  // namespace lab
