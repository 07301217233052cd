// --step: the instructor's pause between turns of the loop. Before each
// turn it waits for a line on stdin (an Enter); once something is ready it
// says on stderr what, before the callbacks run:
//   step 3: ready Task 1, Task 3
// At the end of stdin the loop runs on freely.
//
// In front of a class, stdin is the instructor's terminal, and two things
// a terminal does by itself would spoil the picture: it echoes each Enter
// (a blank line between the steps), and it keeps the Enters pressed while
// a turn still runs (the broken client's doRead can hold one for seconds),
// which would then each start a turn nobody asked for, or, once we exit,
// reach the shell as empty commands. So while stepping on a terminal we
// turn its echo off (termios), and throw away what was typed during a
// turn before waiting for the next Enter (tcflush). The terminal gets its
// settings back when stepping ends, when the reactor stops (Ctrl-C too),
// and, at the latest, when the reactor lets go of us.
#include "instruments.hpp"
#include "output.hpp"
#include "reactor.hpp"

#include <cerrno>
#include <optional>
#include <string>
#include <vector>

#include <poll.h>
#include <termios.h>
#include <unistd.h>

namespace lab {

namespace {

class StepMode final : public ReactorObserver {
public:
    StepMode() = default;
    StepMode(const StepMode&) = delete;
    StepMode& operator=(const StepMode&) = delete;
    ~StepMode() override { echo_on(); }

    void running(Reactor&) override {
        if (!stepping_) return;
        warn("step mode: one turn of the loop per line on stdin (at its end: run on)");
        echo_off();
    }

    void waiting(Reactor&, int) override {
        if (!stepping_) return;
        stepping_ = next_line();
        if (!stepping_) echo_on();  // the end of stdin: the loop runs on, the terminal is the user's again
    }

    void stopped(Reactor&) override { echo_on(); }

    // What the turn will call: the readers whose descriptors are readable
    // now, and the timers that are due.
    void woke(Reactor& reactor, int turn) override {
        if (!stepping_) return;
        std::vector<IReadDescriptor*> readers = reactor.getReaders();
        std::vector<pollfd> fds;
        for (IReadDescriptor* reader : readers) fds.push_back(pollfd{reader->fileno(), POLLIN, 0});
        ::poll(fds.data(), fds.size(), 0);
        std::string ready;
        for (std::size_t i = 0; i < readers.size(); ++i)
            if (fds[i].revents != 0) ready += (ready.empty() ? "" : ", ") + readers[i]->logPrefix();
        double now = reactor.seconds();
        for (const auto& call : reactor.getDelayedCalls())
            if (call->getTime() <= now) ready += ready.empty() ? "callLater" : ", callLater";
        if (!ready.empty()) warn("step ", turn, ": ready ", ready);
    }

private:
    // Reads up to the end of a line: false at the end of stdin (run on).
    bool next_line() {
        // Enters pressed while the last turn ran were not meant for this
        // one: on a terminal, drop what is typed and not yet read.
        if (saved_) ::tcflush(0, TCIFLUSH);
        char c = 0;
        for (;;) {
            ssize_t n = ::read(0, &c, 1);
            if (n == 1 && c == '\n') return true;
            if (n == 0) return false;
            if (n < 0 && errno == EINTR) return true;  // Ctrl-C: the reactor stops next
            if (n < 0) return false;
        }
    }

    // The terminal keeps reading whole lines (ICANON, so an Enter still
    // ends one), it just stops showing them.
    void echo_off() {
        termios settings{};
        if (!::isatty(0) || ::tcgetattr(0, &settings) != 0) return;
        saved_ = settings;
        settings.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        ::tcsetattr(0, TCSANOW, &settings);
    }

    // TCSAFLUSH: the settings come back, and what was typed and not read
    // goes, so that no Enter meant for us falls through to the shell.
    void echo_on() {
        if (!saved_) return;
        ::tcsetattr(0, TCSAFLUSH, &*saved_);
        saved_.reset();
    }

    bool stepping_ = true;
    std::optional<termios> saved_;  // the terminal's settings, while its echo is off
};

}  // namespace

std::unique_ptr<ReactorObserver> step_mode() { return std::make_unique<StepMode>(); }

}  // namespace lab
