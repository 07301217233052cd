// Printing the way the chapter's programs do, and failing the way a learner
// can act on.
//
// Every line is flushed as soon as it is printed: learners (and the tests)
// read the programs' output through pipes while the programs run, and a
// block-buffered stdout would hide the interleaving the chapter is about.
// These functions print and nothing else: what a program printed is read
// from its stdout, however it printed it (lab::say, std::cout, printf).
#pragma once

#include "address.hpp"

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

namespace lab {

class Run;
struct Options;

// A problem with the input or the network that ends a program with one line
// on stderr and exit status 1: never a crash, never a stack trace.
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A command line the program understands but cannot do (a reactor's
// option given to a client without one): report_error prints it as
// `NAME: WHAT`, without "error: ", so that a line naming the program to use
// instead still fits an 80-column terminal. Exit status 1, as for an Error.
class Refused : public Error {
public:
    using Error::Error;
};

// Ctrl-C came, and a client went on to start a new poem (the blocking
// client's next task): say_get_poetry and connect_to refuse, and main's
// catch ends the run with what it had (report_error, below).
class Interrupted : public Error {
public:
    explicit Interrupted(std::shared_ptr<Run> run_)
        : Error("interrupted: no new connection after Ctrl-C"), run(std::move(run_)) {}
    std::shared_ptr<Run> run;
};

void write_line(std::string_view line);        // stdout, then flush
void write_error_line(std::string_view line);  // stderr (unbuffered anyway)

// The parts, printed one after another into one string.
template <typename... Parts>
std::string joined(const Parts&... parts) {
    std::ostringstream line;
    (line << ... << parts);
    return line.str();
}

// say("Task ", 1, ": got ", 60, " bytes") prints one flushed line on stdout,
// the C++ spelling of the chapter's `print msg % (...)`; warn() the same on
// stderr, for warnings that must not mix with the poem report.
template <typename... Parts>
void say(const Parts&... parts) { write_line(joined(parts...)); }
template <typename... Parts>
void warn(const Parts&... parts) { write_error_line(joined(parts...)); }

// The chapter's lines about one server, shared by every client so they
// cannot drift:
//   Task N: get poetry from: HOST:PORT           (the blocking client)
//   Task N: got K bytes of poetry from HOST:PORT
//   Task N finished
// --quiet (of the run that named the address) leaves them out. After
// Ctrl-C say_get_poetry prints nothing and throws Interrupted: the
// blocking client starts no new task, and says what it had.
void say_get_poetry(int task, const Address& address);
void say_got(int task, std::size_t bytes, const Address& address);
void say_finished(int task, const Address& address);

// ... and the closing lines, printed even with --quiet:
//   Task N: K bytes of poetry
//   Got M poems in H:MM:SS.ffffff
// The last is the chapter's line for a run that ended on its own. After
// Ctrl-C it says what really happened instead,
//   Interrupted: got F of M poems in H:MM:SS.ffffff
// where F counts the poems that arrived whole. say_got_poems returns the
// exit status the run earned: 0 when every poem arrived whole, 1 when one
// did not (a failed connect, a lost connection, a timeout), and after
// Ctrl-C 128 + the signal (130), as shells expect.
void say_poem_size(int task, std::size_t bytes);
int say_got_poems(const Options& options, std::chrono::nanoseconds elapsed);

// The name a program was started as ("get-poetry-broken"), for messages.
std::string program_name();

// For main's `catch (...)`: says what went wrong in one line on stderr,
// `NAME: error: WHAT` (the chapter's traceback, for a learner to act on),
// and returns the exit status: 1, or 130 after Ctrl-C. Exceptions are how
// the library reports bad input and refused connections; this is the one
// place they become an exit status.
int report_error();

// The server's main: runs `body` and turns what it throws into one line
// and exit status 1, as report_error does; a stop signal (Ctrl-C, SIGTERM)
// is how a server's day ends, so it exits with body's status.
int run_main(int argc, char** argv, const std::function<int()>& body);

}  // namespace lab
