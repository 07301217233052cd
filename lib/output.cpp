#include "output.hpp"

#include "options.hpp"
#include "run.hpp"
#include "stop.hpp"
#include "timedelta.hpp"

#include <cxxopts.hpp>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <string>

namespace lab {

namespace {

void write_to(std::FILE* stream, std::string_view line) {
    std::fwrite(line.data(), 1, line.size(), stream);
    std::fputc('\n', stream);
    std::fflush(stream);
}

bool quiet(const Address& address) { return address.run && address.run->quiet; }

// After Ctrl-C: the shell's convention (128 + signal) tells scripts the
// run did not end on its own, and stderr says so too, in one line that
// fits an 80-column terminal for our longest name (get-poetry-select,
// get-poetry-broken: 76 columns), where a classroom sees it whole.
int interrupted_status() {
    write_error_line(program_name() + ": interrupted by " +
                     (stop_signal() == SIGINT ? "SIGINT (Ctrl-C)" : "SIGTERM") +
                     ": what had arrived is above");
    return 128 + stop_signal();
}

}  // namespace

void write_line(std::string_view line) { write_to(stdout, line); }
void write_error_line(std::string_view line) { write_to(stderr, line); }

void say_get_poetry(int task, const Address& address) {
    // The blocking client's next task starts with this line: after Ctrl-C
    // it must not start (connect_to would refuse it a line later, with the
    // line already printed), so the run ends here, as it does there.
    if (stop_requested()) throw Interrupted(address.run);
    if (!quiet(address)) say("Task ", task, ": get poetry from: ", format_address(address));
}

void say_got(int task, std::size_t bytes, const Address& address) {
    if (!quiet(address)) say("Task ", task, ": got ", bytes, " bytes of poetry from ", format_address(address));
}

void say_finished(int task, const Address& address) {
    if (!quiet(address)) say("Task ", task, " finished");
}

void say_poem_size(int task, std::size_t bytes) { say("Task ", task, ": ", bytes, " bytes of poetry"); }

int say_got_poems(const Options& options, std::chrono::nanoseconds elapsed) {
    std::size_t poems = options.addresses.size();
    std::size_t whole = options.run ? options.run->whole() : poems;
    if (stop_requested()) {
        say("Interrupted: got ", whole, " of ", poems, " poems in ", format_timedelta(elapsed));
        return interrupted_status();
    }
    say("Got ", poems, " poems in ", format_timedelta(elapsed));
    return whole < poems ? 1 : 0;
}

std::string program_name() { return program_invocation_short_name; }

int report_error() {
    try {
        throw;
    } catch (const Interrupted& e) {
        // The run stopped between two poems: its closing line, as a run
        // the reactor stopped has it.
        if (e.run)
            say("Interrupted: got ", e.run->whole(), " of ", e.run->poems, " poems in ",
                format_timedelta(Clock::now() - e.run->started));
        return interrupted_status();
    } catch (const Refused& e) {
        write_error_line(program_name() + ": " + e.what());
    } catch (const Error& e) {
        write_error_line(program_name() + ": error: " + e.what());
    } catch (const cxxopts::exceptions::exception& e) {
        write_error_line(program_name() + ": error: " + e.what() + " (try --help)");
    } catch (const std::exception& e) {
        write_error_line(program_name() + ": error: " + e.what());
    } catch (...) {
        write_error_line(program_name() + ": error: something unknown was thrown");
    }
    return stop_requested() ? 128 + stop_signal() : 1;
}

int run_main(int, char**, const std::function<int()>& body) {
    // A peer that hangs up while we write must cost us that one connection,
    // not the whole process: without this, the kernel's SIGPIPE kills it.
    std::signal(SIGPIPE, SIG_IGN);
    try {
        return body();
    } catch (...) {
        report_error();
        return 1;
    }
}

}  // namespace lab
