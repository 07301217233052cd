#include "cli.hpp"

#include "net.hpp"
#include "output.hpp"
#include "run.hpp"
#include "stop.hpp"
#include "trace.hpp"

#include <cxxopts.hpp>

#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <iostream>

#include <sys/select.h>

namespace lab {

namespace {

std::string client_usage(std::string_view edition, unsigned features) {
    std::string name = program_name();
    bool poem_timeout = (features & kPoemTimeout) != 0;
    bool reactor = (features & kReactorOptions) != 0;
    return "usage: " + name + " [OPTIONS] [HOST:]PORT ...\n"
           "\n"
           "The Get Poetry Now! client" + (edition.empty() ? "" : ", " + std::string(edition)) + ".\n"
           "Downloads one poem from each slow poetry server named on the command\n"
           "line and says how long it took. Start the servers first, e.g.:\n"
           "\n"
           "  build/slow-server/slowpoetry --port 10000 poetry/ecstasy.txt --num-bytes 30\n"
           "  build/slow-server/slowpoetry --port 10001 poetry/fascination.txt\n"
           "  build/slow-server/slowpoetry --port 10002 poetry/science.txt\n"
           "\n"
           "then fetch from all three:\n"
           "\n"
           "  " + name + " 10000 10001 10002\n"
           "\n"
           "A bare PORT means 127.0.0.1:PORT; IPv6 hosts go in brackets: [::1]:10000.\n" +
           ((features & kSelectLimit) ? "select() watches descriptors below FD_SETSIZE (" +
                                            std::to_string(FD_SETSIZE) +
                                            ") only: for more servers, use the reactor client.\n"
                                      : std::string()) +
           "\n"
           "Options:\n"
           "  --connect-timeout SECONDS  give up connecting to a server after SECONDS\n" +
           (poem_timeout ? "  --timeout SECONDS          give up on a poem not finished SECONDS\n"
                           "                             after connecting\n"
                         : "") +
           "  --quiet                    print only the closing lines\n"
           "  --count-only               count the poem's bytes without keeping them\n"
           "                             (flat memory, for huge poems and benchmarks)\n"
           "  --trace FILE               record each read as a slice in FILE (Chrome trace\n"
           "                             format: open it in ui.perfetto.dev)\n" +
           (reactor ? "  --slow-callback SECONDS    warn when a callback blocks the reactor longer\n"
                      "                             than SECONDS\n"
                      "  --heartbeat SECONDS        a timer that ticks every SECONDS: in the trace,\n"
                      "                             and on stderr when the reactor made it late\n"
                      "  --step                     one turn of the loop per line on stdin (Enter),\n"
                      "                             saying on stderr what was ready\n"
                    : "") +
           "  -h, --help                 show this help and exit\n";
}

// --slow-callback, --heartbeat and --step are observers of a reactor
// (instruments.hpp). The blocking client has no loop at all, and the
// select() client's is written by hand, with no one watching it: a learner
// who tries them there (the chapter's next client over) is told why, and
// where they work, rather than cxxopts' "Option 'heartbeat' does not exist".
// The line must fit a classroom's 80 columns whole, also for our longest
// name and option, where it is exactly 80:
//
//   get-poetry-select: no reactor; try build/async-client/get-poetry --slow-callback
//
// So it names the program as a command to type from the repository's root,
// and goes without "error: " (Refused): the name before it says whose
// reactor is missing, and the exit status is 1 all the same.
void refuse_reactor_options(const cxxopts::ParseResult& parsed) {
    for (const char* option : {"heartbeat", "slow-callback", "step"})
        if (parsed.count(option))
            throw Refused(std::string("no reactor; try build/async-client/get-poetry --") + option);
}

}  // namespace

Options parse_args(int argc, char** argv, unsigned features, std::string_view edition) {
    // cxxopts parses; the help text is ours (client_usage), as in the originals.
    cxxopts::Options options(program_name());
    options.add_options()
        ("h,help", "show this help and exit")
        ("connect-timeout", "give up connecting to a server after SECONDS",
         cxxopts::value<std::string>(), "SECONDS");
    if (features & kPoemTimeout)
        options.add_options()("timeout", "give up on a poem not finished SECONDS after connecting",
                              cxxopts::value<std::string>(), "SECONDS");
    if (features & kReactorOptions)
        options.add_options()
            ("slow-callback", "", cxxopts::value<std::string>())
            ("heartbeat", "", cxxopts::value<std::string>())
            ("step", "");
    else
        // Taken only to be refused in our words (refuse_reactor_options):
        // with or without a value, as a learner types them.
        options.add_options()
            ("slow-callback", "", cxxopts::value<std::string>()->implicit_value(""))
            ("heartbeat", "", cxxopts::value<std::string>()->implicit_value(""))
            ("step", "");
    options.add_options()
        ("quiet", "")
        ("count-only", "")
        ("trace", "", cxxopts::value<std::string>())
        ("addresses", "servers", cxxopts::value<std::vector<std::string>>());
    options.parse_positional({"addresses"});
    auto parsed = options.parse(argc, argv);
    if (parsed.count("help")) {
        std::cout << client_usage(edition, features) << std::flush;
        std::exit(0);
    }
    if (!(features & kReactorOptions)) refuse_reactor_options(parsed);
    if (!parsed.count("addresses")) {
        std::cerr << client_usage(edition, features) << std::flush;
        throw Error("no server given: name at least one [HOST:]PORT");
    }
    Options result;
    auto run = std::make_shared<Run>();
    if (parsed.count("connect-timeout"))
        run->connect_timeout =
            parse_positive_seconds("--connect-timeout", parsed["connect-timeout"].as<std::string>());
    run->quiet = parsed.count("quiet") > 0;
    run->count_only = parsed.count("count-only") > 0;
    if (parsed.count("slow-callback"))
        run->slow_callback = parse_seconds("--slow-callback", parsed["slow-callback"].as<std::string>());
    if (parsed.count("heartbeat"))
        run->heartbeat = parse_positive_seconds("--heartbeat", parsed["heartbeat"].as<std::string>());
    run->step = parsed.count("step") > 0;
    if (parsed.count("timeout"))
        result.timeout = parse_positive_seconds("--timeout", parsed["timeout"].as<std::string>());
    for (const auto& text : parsed["addresses"].as<std::vector<std::string>>()) {
        result.addresses.push_back(parse_address(text));
        result.addresses.back().run = run;
    }
    run->poems = result.addresses.size();
    // Last, once the command line is known to be good: a trace file is
    // made only for a run that will happen.
    if (parsed.count("trace"))
        run->recorder = std::make_shared<trace::Recorder>(parsed["trace"].as<std::string>(), program_name());
    result.run = std::move(run);

    // The process, made ready for the run.
    raise_descriptor_limit();  // 1,000 servers need 1,000 descriptors
    result.run->hold_descriptors_back();
    interrupt_on_stop_signals();
    // A reader of our output that goes away (`get-poetry ... | head`) must
    // cost us a failed write, not the whole process.
    std::signal(SIGPIPE, SIG_IGN);
    return result;
}

double parse_seconds(std::string_view option, std::string_view text) {
    std::string copy(text);
    char* end = nullptr;
    errno = 0;
    double value = std::strtod(copy.c_str(), &end);
    // An upper bound keeps every later conversion (timeval, poll's
    // milliseconds) well inside its type; a week is longer than any class.
    if (copy.empty() || end != copy.c_str() + copy.size() || errno == ERANGE ||
        !std::isfinite(value) || value < 0 || value > kMaxSeconds)
        throw Error(std::string(option) + " must be a number of seconds from 0 to " +
                    std::to_string(static_cast<long>(kMaxSeconds)) + ", not '" + copy + "'");
    return value;
}

double parse_positive_seconds(std::string_view option, std::string_view text) {
    double value = 0;
    try {
        value = parse_seconds(option, text);
    } catch (const Error&) {
        value = 0;
    }
    if (!(value > 0))
        throw Error(std::string(option) + " must be a positive number of seconds (at most " +
                    std::to_string(static_cast<long>(kMaxSeconds)) + "), not '" +
                    std::string(text) + "'");
    return value;
}

std::size_t parse_count(std::string_view option, std::string_view text, std::size_t minimum) {
    std::string copy(text);
    bool digits = !copy.empty() && copy.find_first_not_of("0123456789") == std::string::npos;
    errno = 0;
    unsigned long long value = digits ? std::strtoull(copy.c_str(), nullptr, 10) : 0;
    if (!digits || errno == ERANGE || value < minimum)
        throw Error(std::string(option) + " must be a whole number of at least " +
                    std::to_string(minimum) + ", not '" + copy + "'");
    return static_cast<std::size_t>(value);
}

}  // namespace lab
